# SPDX-License-Identifier: MIT
"""Server-Sent Events without I/O: pieces of a response body in, events out.

Parsing follows the WHATWG HTML "event stream interpretation" rules
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
This layer knows nothing about chunks, JSON or ``[DONE]``: the chunk reader on top
of it handles those.
"""
from __future__ import annotations

import codecs

from ._errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple, Union

# A partial line is kept as a list of fragments, joined when the line ends, so a line fed
# one byte at a time costs O(n), not O(n^2) as re-concatenating a buffer would. Every
# this many fragments are joined into one, so tiny pieces do not each keep a list slot
# and a str object alive (memory stays close to the line's own size).
_FRAGMENTS = 256

_BOM = "\ufeff"


class SSEEvent:
    """One dispatched event: its type, its data, the last event ID and its 1-based number."""

    __slots__ = ("data", "event", "id", "number")

    def __init__(
        self,
        data: str,
        event: str = "message",
        id: Optional[str] = None,  # the spec's name for it
        number: int = 0,
    ) -> None:
        self.data = data
        self.event = event
        # The last event ID seen in the stream so far (it persists across events, as in
        # the spec); None when the stream never sent an `id` field.
        self.id = id
        # 1-based position among the events the stream dispatched (0: not from a stream).
        self.number = number

    def _key(self) -> Tuple[str, str, Optional[str], int]:
        return (self.data, self.event, self.id, self.number)

    def __eq__(self, other: object) -> bool:
        if type(other) is not SSEEvent:
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        return (
            f"SSEEvent(data={self.data!r}, event={self.event!r}, id={self.id!r}, "
            f"number={self.number!r})"
        )

    def __reduce__(self) -> Tuple[Any, ...]:
        return SSEEvent, self._key()


class SSEDecoder:
    r"""Incremental, sans-I/O SSE parser: ``feed`` pieces, then ``close``; both return events.

    Pieces may be split anywhere: mid-line, inside a UTF-8 character, between the
    ``\r`` and ``\n`` of a CRLF. ``bytes`` pieces are decoded as strict UTF-8; ``str``
    pieces are taken as already decoded. One stream is either all ``bytes`` (and
    ``bytearray``) or all ``str``: mixing them raises ``ValidationError``, since a
    caller that mixes them has almost certainly read the body twice (empty pieces of
    either kind are always accepted and ignored). After a ``ValidationError`` the
    decoder is in an unspecified state; discard it.
    """

    __slots__ = (
        "_at_start",
        "_chunks",
        "_closed",
        "_count",
        "_cr",
        "_data",
        "_event",
        "_joined",
        "_last_id",
        "_offset",
        "_text_mode",
        "_utf8",
        "saw_line_end",
    )

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._text_mode: Optional[bool] = None  # fixed by the first non-empty piece
        self._offset = 0  # bytes fed so far, for error messages
        self._at_start = True  # no character seen yet (a BOM is skipped only here)
        self._cr = False  # the last piece ended in "\r": a "\n" next completes that CRLF
        self._chunks: List[str] = []  # the incomplete last line: recent fragments
        self._joined: List[str] = []  # ... preceded by these, each _FRAGMENTS fragments joined
        self._data: List[str] = []  # the data buffer, one entry per `data` line
        self._event = ""  # the event type buffer
        self._last_id: Optional[str] = None  # the last event ID buffer
        self._count = 0  # events dispatched
        self._closed = False
        self.saw_line_end = False  # any line end yet (a stream of iter_lines() pieces has none)

    def feed(self, piece: Union[bytes, bytearray, str]) -> List[SSEEvent]:
        """Parse the next piece of the stream; return the events it completed."""
        text = self.decode(piece)
        return self.feed_text(text) if text else []

    def decode(self, piece: Union[bytes, bytearray, str]) -> str:
        """The text of the next piece (decoded UTF-8 for bytes), without a BOM that starts
        the stream; "" while a character is incomplete. Checks the piece's kind."""
        if self._closed:
            raise RuntimeError("SSEDecoder.feed() called after close()")
        if type(piece) is bytes or isinstance(piece, (bytes, bytearray)):
            if not piece:
                return ""
            if self._text_mode:
                raise _mixed("str", "bytes")
            self._text_mode = False
            try:
                text = self._utf8.decode(piece)
            except UnicodeDecodeError as exc:
                raise self._utf8_error(exc) from None
            self._offset += len(piece)
        elif isinstance(piece, str):
            if not piece:
                return ""
            if self._text_mode is False:
                raise _mixed("bytes", "str")
            self._text_mode = True
            text = piece
        else:
            raise ValidationError(
                f"Expected `bytes` or `str` pieces, got `{type(piece).__name__}`",
                expected="bytes or str",
                found=type(piece).__name__,
            )
        if self._at_start and text:
            self._at_start = False
            # "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are
            # present." Only there: a U+FEFF anywhere else is content.
            if text[0] == _BOM:
                text = text[1:]
        return text

    @property
    def mode(self) -> Optional[bool]:
        """True for a stream of ``str`` pieces, False for ``bytes``, None before any."""
        return self._text_mode

    @mode.setter
    def mode(self, text: bool) -> None:
        self._text_mode = text

    @property
    def offset(self) -> int:
        """Bytes decoded so far (for the positions its messages name)."""
        return self._offset

    def begun(self, offset: int, at_start: bool) -> None:
        """Take over a stream another reader began: ``offset`` bytes were read already, and
        with ``at_start`` nothing of it was text yet (a BOM may still come)."""
        self._at_start = at_start
        self._offset = offset

    @property
    def idle(self) -> bool:
        """Between events: no partial line, no data or event type pending, no part of a
        character held (what it is fed next starts a new event)."""
        return not (self._chunks or self._joined or self._data or self._event or self._cr
                    or self._utf8.getstate()[0])

    def close(self) -> List[SSEEvent]:
        """End of input: flush a last line and a last event that lack their blank line."""
        if self._closed:
            return []
        self._closed = True
        if self._text_mode is False:
            try:  # a character cut off by the end of the stream is an error
                self._utf8.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise self._utf8_error(exc) from None
        events: List[SSEEvent] = []
        if self._chunks or self._joined:  # the last line had no line end: still a line
            self._line(self._partial(""), events)
        # Deviation from the spec, which discards an event still pending at end of
        # input: real captured streams often lack the final blank line (the last
        # `data: [DONE]` in particular), so the pending event is dispatched anyway.
        self._line("", events)
        return events

    def feed_text(self, text: str) -> List[SSEEvent]:
        """Parse the next piece of text (from ``decode``); return the events it completed."""
        if self._cr:
            self._cr = False
            if text[0] == "\n":  # the second half of a CRLF split between pieces
                text = text[1:]
                if not text:
                    return []
        chunks = self._chunks
        if "\r" in text:
            self.saw_line_end = True
            # "\r\n", "\r" and "\n" all end a line. The replacements run left to right
            # without overlap, so "\r\r\n" becomes two line ends, as it should.
            self._cr = text[-1] == "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        elif "\n" not in text:  # no line end: just remember the fragment
            chunks.append(text)
            if len(chunks) >= _FRAGMENTS:  # each fragment is joined once here: linear
                self._joined.append("".join(chunks))
                chunks.clear()
            return []
        self.saw_line_end = True
        lines = text.split("\n")
        if chunks or self._joined:
            lines[0] = self._partial(lines[0])
        rest = lines.pop()
        if rest:
            chunks.append(rest)
        events: List[SSEEvent] = []
        for line in lines:
            self._line(line, events)
        return events

    def _partial(self, end: str) -> str:
        """Take the incomplete line kept so far, completed by ``end``."""
        self._chunks.append(end)
        line = "".join(self._chunks)
        self._chunks.clear()
        if self._joined:
            self._joined.append(line)
            line = "".join(self._joined)
            self._joined.clear()
        return line

    def _line(self, line: str, events: List[SSEEvent]) -> None:
        """Process one complete line (without its line end), appending a dispatched event."""
        if not line:  # a blank line dispatches the event
            if self._data:
                self._count += 1
                data = "\n".join(self._data)
                self._data.clear()
                # "If the event type buffer has a value other than the empty string,
                # set the type of the newly created event to equal [it]", else "message".
                event = self._event or "message"
                events.append(SSEEvent(data, event, self._last_id, self._count))
            self._event = ""
            return
        if line[0] == ":":  # a comment; keep-alives such as ": ping" are comments too
            return
        field, _, value = line.partition(":")  # no colon: the line is the field name
        if value[:1] == " ":  # "If value starts with a U+0020 SPACE, remove it"
            value = value[1:]
        if field == "data":
            # Each line appends value + "\n" and dispatch strips one trailing "\n":
            # joining the values with "\n" gives the same string.
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            # "If the field value does not contain U+0000 NULL, then set the last event
            # ID buffer to the field value." An empty value sets it to "".
            self._last_id = value
        # `retry` sets a reconnection delay, meaningless here; other fields are ignored.

    def _utf8_error(self, exc: UnicodeDecodeError) -> ValidationError:
        # exc.start counts from the bytes the decoder still held from earlier pieces.
        held = len(self._utf8.getstate()[0])
        offset = self._offset - held + exc.start
        bad = bytes(exc.object[exc.start : exc.end])
        return ValidationError(
            f"Stream is not valid UTF-8 ({exc.reason} at byte offset {offset})",
            expected="UTF-8",
            found=repr(bad),
        )


def _mixed(before: str, now: str) -> ValidationError:
    return ValidationError(
        f"Expected `{before}` pieces like the earlier ones, got `{now}`"
        " (a stream is all `bytes` or all `str`)",
        expected=before,
        found=now,
    )

