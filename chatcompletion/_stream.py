# SPDX-License-Identifier: MIT
"""Chunks from a streamed response body: SSE events in, ``chat.completion.chunk`` objects out.

The library does no I/O. ``ChunkDecoder`` is the push API (h11's style): give it what your
HTTP client yields with ``receive_data``, take chunks with ``next_chunk`` until it returns
None, and ``close`` it at the end of the body. ``iter_chunks``/``aiter_chunks`` are loops
over it for an iterable (``httpx``'s ``iter_bytes()``, ``requests``' ``iter_content()``, a
file, ``iter_lines()`` with ``lines=True``).
"""
from __future__ import annotations

from collections import deque

from ._chunk import CreateChatCompletionStreamResponse
from ._errors import StreamError, ValidationError, printable
from ._json import json_copy, loads
from ._sse import SSEDecoder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import (
        Any,
        AsyncIterable,
        AsyncIterator,
        Deque,
        Iterable,
        Iterator,
        List,
        Optional,
        Union,
    )

    from ._sse import SSEEvent

    Piece = Union[bytes, bytearray, str]

_DONE = "[DONE]"
_FAST_MAX = 2**16  # bytes of one event the fast path gathers; a longer one, the SSE decoder
_FAST_PARTS = 1000  # str pieces of one event the fast path gathers (as for bytes)
_LINES_HINT = (
    " (the stream has no line ends: if the pieces are lines from iter_lines(), pass lines=True)"
)


class ChunkDecoder:
    """Sans-I/O reader of a chat completion stream: pieces of the body in, chunks out.

    ``receive_data(piece)`` takes ``bytes`` or ``str`` split anywhere (with ``lines=True``:
    whole lines without their line ends); ``next_chunk()`` returns the next chunk, or None
    when it needs more data or the stream is over (``done``: it sent ``data: [DONE]``);
    ``close()`` says the body has ended. ``next_chunk`` raises StreamError for an error event
    or an ``{"error": ...}`` payload, and ValidationError (its ``event`` attribute set) for
    a chunk that does not fit the schema; after a ValidationError the next call goes on with
    the following event.

    With ``problems`` (a list), chunks are read leniently (see ``from_dict``), and an event
    that is no chunk at all (invalid JSON, not an object) is listed there and skipped.
    """

    __slots__ = ("_begun", "_buf", "_count", "_events", "_fast", "_lines", "_problems", "_scan",
                 "_seen", "_sse", "done")

    def __init__(self, *, lines: bool = False,
                 problems: Optional[List[ValidationError]] = None) -> None:
        import json

        self._sse = SSEDecoder()  # reads every unusual event (and says what is wrong)
        self._events: Deque[Any] = deque()  # (number, payload) or an SSEEvent, in order
        self._fast = True  # events are framed by the fast path, until one is not its kind
        self._buf: Any = None  # the fast path's bytes (or text) not framed yet
        self._seen = 0  # bytes framed by the fast path, for the SSE decoder's messages
        self._begun = False  # the fast path framed some text (a BOM can no longer come)
        self._count = 0  # events framed so far, either way
        # json's C scanner: the JSON value at a position of a string, and where it ends
        self._scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self._lines = lines
        self._problems = problems
        self.done = False
        """True once the stream is over (``data: [DONE]``, or an error): what comes after
        is ignored."""

    def receive_data(self, piece: Piece) -> None:
        """Take the next piece of the body (ignored once ``done``)."""
        buf = self._buf
        if type(buf) is bytearray and type(piece) is bytes and not self._lines:
            # the common case, first: _take_bytes(), inlined (a call a piece is a tenth of
            # the time of a stream cut in small pieces)
            start = len(buf) - 1  # an event may end across the pieces
            buf += piece
            if 13 in piece:  # a CR (an int to look for is one memchr, a bytes one is slow)
                self._leave()
            elif buf.find(b"\n\n", start if start > 0 else 0) >= 0:
                self._frame_bytes(buf)
            elif len(buf) > _FAST_MAX:
                self._leave()
            return
        if self.done:
            return
        if self._lines:
            if type(piece) is str:
                piece = piece + "\n"
            elif isinstance(piece, (bytes, bytearray)):
                piece = bytes(piece) + b"\n"
        if not self._fast:
            self._general(piece)
            return
        # Fast path: what servers send, one `data: {...}` line and a blank line per event.
        # The pieces are kept as they come until they complete events; those are decoded
        # at once and each payload scanned in place by json's scanner; an unusual event
        # (a comment, an `event:` line, several data lines, [DONE], invalid JSON) is read
        # by the SSE decoder. CR line ends, bytes that are not UTF-8 and an event of over
        # _FAST_MAX characters make the SSE decoder read on, until it is between events.
        if type(piece) is bytes or type(piece) is bytearray:
            if buf is None:
                if self._sse.mode is True or not piece:
                    self._general(piece)  # mixed kinds of pieces: it says so
                    return
                buf = self._buf = bytearray()
                self._sse.mode = False
            if type(buf) is bytearray:
                self._take_bytes(buf, piece)
                return
        elif type(piece) is str:
            if buf is None:
                if self._sse.mode is False or not piece:
                    self._general(piece)
                    return
                buf = self._buf = []
                self._sse.mode = True
            if type(buf) is list:
                self._take_text(buf, piece)
                return
        self._general(piece)  # the wrong kind: the SSE decoder raises

    def _take_bytes(self, buf: bytearray, piece: Any) -> None:
        start = len(buf) - 1  # an event may end across the pieces
        buf += piece
        if 13 in piece:  # a CR
            self._leave()
        elif buf.find(b"\n\n", start if start > 0 else 0) >= 0:
            self._frame_bytes(buf)
        elif len(buf) > _FAST_MAX:  # one long event: gathered by the SSE decoder
            self._leave()

    def _take_text(self, parts: List[str], piece: str) -> None:
        if not piece:
            return
        if "\r" in piece:
            parts.append(piece)
            self._leave()
            return
        if not ("\n\n" in piece or (piece[0] == "\n" and parts and parts[-1][-1] == "\n")):
            parts.append(piece)
            if len(parts) > _FAST_PARTS:  # tiny pieces of a long event: the SSE decoder,
                self._leave()  # which joins them in linear time
            return
        parts.append(piece)
        text = "".join(parts)
        parts.clear()
        end = text.rfind("\n\n") + 2
        if not self._begun and text[0] == "\ufeff":  # a BOM starting the stream
            self._frame(text[1:end])
        else:
            self._frame(text[:end])
        if end < len(text):
            parts.append(text[end:])

    def _frame_bytes(self, buf: bytearray) -> None:
        """Frame the whole events at the start of ``buf`` (it has one at least)."""
        end = buf.rfind(b"\n\n") + 2
        try:
            text = buf[:end].decode("utf-8")
        except UnicodeDecodeError as e:
            # the events before the bad byte, then the SSE decoder, which names it
            end = buf.rfind(b"\n\n", 0, e.start) + 2
            text = buf[:end].decode("utf-8") if end >= 2 else ""
            bad = True
        else:
            bad = False
        if not self._begun and text[:1] == "\ufeff":  # a BOM starting the stream is ignored
            text = text[1:]
        if text:
            self._frame(text)
        del buf[:end]
        self._seen += end
        if bad:
            self._leave()

    def _frame(self, text: str) -> None:
        """Frame the events of ``text``, whole events: the usual ones here, each other one
        (a comment, an `event:` line, several data lines, [DONE], invalid JSON) by the SSE
        decoder, which is between events again after it."""
        self._begun = True
        pos, size, events, scan = 0, len(text), self._events, self._scan
        while pos < size:
            end = text.find("\n\n", pos)
            if end < 0:  # a last line end ("\n\n\n" ends the text): a blank line
                self._feed(text[pos:])
                break
            if text.startswith("data: {", pos):
                try:
                    payload, stop = scan(text, pos + 6)
                except (StopIteration, ValueError, RecursionError):  # the SSE decoder says why
                    stop = -1
                # the event is this one line: the JSON value, then the blank line (a line
                # end inside it, where JSON allows whitespace, ends the SSE line there)
                if stop == end and text.find("\n", pos, stop) < 0:
                    self._count += 1
                    events.append((self._count, payload))
                    pos = end + 2
                    continue
            self._feed(text[pos:end + 2])
            pos = end + 2
        self._sse.saw_line_end = True

    def _leave(self) -> None:
        """Leave the fast path: what it holds goes to the SSE decoder."""
        buf, self._buf = self._buf, None
        self._fast = False
        # a BOM may still start the text when the fast path framed none of it
        self._sse.begun(self._seen, at_start=not self._begun)
        if buf:
            self._general(bytes(buf) if type(buf) is bytearray else "".join(buf))

    def _stop(self) -> None:
        self.done = True
        self._fast = False  # receive_data's first test
        self._buf = None

    def _general(self, piece: Any) -> None:
        """A piece for the SSE decoder; back to the fast path once it is between events.

        Bytes that are not UTF-8 queue their error behind the events before them:
        next_chunk raises it in its turn (a piece of the wrong kind raises at once)."""
        self._fast = False
        sse = self._sse
        try:
            text = sse.decode(piece)
        except ValidationError as e:
            if e.expected != "UTF-8":
                raise
            self._events.append(e)
            self._stop()
            return
        if text:
            self._feed(text)
        if sse.idle:
            self._fast = True
            self._seen = sse.offset
            self._buf = None

    def _feed(self, text: str) -> None:
        for event in self._sse.feed_text(text):
            self._count += 1
            event.number = self._count
            self._events.append(event)

    def close(self) -> None:
        """The body has ended: a last event without its blank line still counts."""
        if self.done:
            return
        if self._buf:
            self._leave()
        try:
            events = self._sse.close()
        except ValidationError as e:  # a character cut off by the end of the body
            self._events.append(e)
            self._stop()
            return
        for event in events:
            self._count += 1
            event.number = self._count
            self._events.append(event)

    def next_chunk(self) -> Optional[CreateChatCompletionStreamResponse]:
        """The next chunk, or None (more data needed, or the stream is over)."""
        events = self._events
        while events:
            item = events.popleft()
            if type(item) is tuple:
                chunk = self._chunk(*item)
            elif type(item) is ValidationError:
                events.clear()
                raise item
            elif item.data.strip() == _DONE:
                self._stop()
                events.clear()
                return None
            else:
                chunk = self._event(item)
            if chunk is not None:
                return chunk
        return None

    def _event(self, event: SSEEvent) -> Optional[CreateChatCompletionStreamResponse]:
        """The chunk an event the SSE decoder framed carries, None for one to skip."""
        if event.event == "error":
            self._stop()
            raise stream_error(event.number, _payload_or_text(event.data))
        if event.event != "message" or not event.data.strip():
            return None  # keep-alives and named events of other protocols carry no chunk
        try:
            payload = loads(event.data)
        except ValidationError as e:
            self._no_chunk(e, event.number)
            return None
        return self._chunk(event.number, payload)

    def _chunk(self, number: int, payload: Any) -> Optional[CreateChatCompletionStreamResponse]:
        """The chunk of event ``number``'s JSON payload; raises for the server's error."""
        problems = self._problems
        try:
            if type(payload) is dict and payload.get("error") is not None:
                error = json_copy(payload, 1)  # plain JSON, or a ValidationError (NaN)
                self._stop()
                raise stream_error(number, error)
            if problems is None:  # (from JSON text: no foreign object for from_dict to name)
                return CreateChatCompletionStreamResponse._parse(payload, 1)
            start = len(problems)
            try:
                return CreateChatCompletionStreamResponse.from_dict(payload, problems=problems)
            finally:
                for p in problems[start:]:
                    p.event = number
        except ValidationError as e:
            self._no_chunk(e, number)
            return None

    def _no_chunk(self, e: ValidationError, number: int) -> None:
        """An event that does not give a chunk: raised, or listed when reading leniently."""
        e.event = number
        if e.expected == "JSON text" and not self._lines and not self._sse.saw_line_end:
            e.message += _LINES_HINT
        if self._problems is None:
            raise e
        self._problems.append(e)  # no chunk at all: listed, and the stream goes on


def _payload_or_text(data: str) -> Any:
    """An error event's data: its JSON value if it is plain JSON, else the text itself."""
    try:
        return json_copy(loads(data), 1)
    except ValidationError:
        return data


def stream_error(number: Optional[int], payload: Any) -> StreamError:
    """The StreamError for a server's error (an error event, or an ``{"error": ...}`` payload)."""
    error = payload.get("error", payload) if type(payload) is dict else payload
    message = error.get("message") if type(error) is dict else None
    if type(message) is not str:
        message = str(error)
    if len(message) > 200:
        message = message[:200] + "..."
    return StreamError(printable(message), error=error, event=number)


def iter_chunks(
    source: Iterable[Piece], *, lines: bool = False,
    problems: Optional[List[ValidationError]] = None,
) -> Iterator[CreateChatCompletionStreamResponse]:
    """Yield the chunks of an SSE body; stops at ``data: [DONE]`` or the end of ``source``.

    ``source`` yields ``bytes`` or ``str`` pieces split anywhere, or with ``lines=True`` whole
    lines without line ends (``iter_lines()`` of httpx and requests). Raises StreamError for
    an error event (after the chunks before it), ValidationError for a chunk that is not
    valid JSON or does not fit the schema; with ``problems``, reads leniently instead.
    """
    decoder = ChunkDecoder(lines=lines, problems=problems)
    pending = decoder._events  # looked at here to save a call for each piece without a chunk
    for piece in source:
        decoder.receive_data(piece)
        while pending:
            chunk = decoder.next_chunk()
            if chunk is not None:
                yield chunk
        if decoder.done:
            return
    decoder.close()
    chunk = decoder.next_chunk()
    while chunk is not None:
        yield chunk
        chunk = decoder.next_chunk()


async def aiter_chunks(
    source: AsyncIterable[Piece], *, lines: bool = False,
    problems: Optional[List[ValidationError]] = None,
) -> AsyncIterator[CreateChatCompletionStreamResponse]:
    """The same as iter_chunks for an async iterable (``httpx``'s ``aiter_bytes()``)."""
    decoder = ChunkDecoder(lines=lines, problems=problems)
    pending = decoder._events
    async for piece in source:
        decoder.receive_data(piece)
        while pending:
            chunk = decoder.next_chunk()
            if chunk is not None:
                yield chunk
        if decoder.done:
            return
    decoder.close()
    chunk = decoder.next_chunk()
    while chunk is not None:
        yield chunk
        chunk = decoder.next_chunk()


# -- writing a stream --


def encode_sse(
    chunks: Iterable[CreateChatCompletionStreamResponse], *, done: bool = True,
) -> Iterator[bytes]:
    """The SSE body of a stream: one ``data: {...}`` event per chunk, then ``data: [DONE]``
    (unless ``done`` is False). ``iter_chunks(encode_sse(chunks))`` gives the chunks back."""
    for chunk in chunks:
        yield b"data: " + chunk.to_json().encode("ascii") + b"\n\n"
    if done:
        yield b"data: [DONE]\n\n"


def encode_sse_error(
    message: str, *, type: str = "server_error", code: Optional[str] = None,
) -> bytes:
    """An error event as OpenAI-compatible servers send one mid-stream: the official client
    raises ``APIError`` for it, and ``iter_chunks`` raises StreamError."""
    from ._json import dumps

    error = {"error": {"message": message, "type": type, "param": None, "code": code}}
    return b"event: error\ndata: " + dumps(error).encode("ascii") + b"\n\n"
