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

    __slots__ = ("_events", "_lines", "_problems", "_sse", "done")

    def __init__(self, *, lines: bool = False,
                 problems: Optional[List[ValidationError]] = None) -> None:
        self._sse = SSEDecoder()
        self._events: Deque[SSEEvent] = deque()
        self._lines = lines
        self._problems = problems
        self.done = False
        """True once the server sent ``data: [DONE]``: no chunk comes after it."""

    def receive_data(self, piece: Piece) -> None:
        """Take the next piece of the body (ignored once ``done``)."""
        if self.done:
            return
        if self._lines:
            if type(piece) is str:
                piece = piece + "\n"
            elif isinstance(piece, (bytes, bytearray)):
                piece = bytes(piece) + b"\n"
        self._events.extend(self._sse.feed(piece))

    def close(self) -> None:
        """The body has ended: a last event without its blank line still counts."""
        if not self.done:
            self._events.extend(self._sse.close())

    def next_chunk(self) -> Optional[CreateChatCompletionStreamResponse]:
        """The next chunk, or None (more data needed, or the stream is over)."""
        events = self._events
        while events:
            event = events.popleft()
            if event.data.strip() == _DONE:
                self.done = True
                events.clear()
                return None
            chunk = self._chunk(event)
            if chunk is not None:
                return chunk
        return None

    def _chunk(self, event: SSEEvent) -> Optional[CreateChatCompletionStreamResponse]:
        """The chunk an event carries, None for one to skip; raises for an error."""
        if event.event == "error":
            self.done = True
            raise stream_error(event.number, _payload_or_text(event.data))
        if event.event != "message" or not event.data.strip():
            return None  # keep-alives and named events of other protocols carry no chunk
        problems = self._problems
        try:
            payload = loads(event.data)
            if type(payload) is dict and payload.get("error") is not None:
                self.done = True
                raise stream_error(event.number, json_copy(payload, 1))
            if problems is None:
                return CreateChatCompletionStreamResponse.from_dict(payload)
            start = len(problems)
            try:
                return CreateChatCompletionStreamResponse.from_dict(payload, problems=problems)
            finally:
                for p in problems[start:]:
                    p.event = event.number
        except ValidationError as e:
            e.event = event.number
            if e.expected == "JSON text" and not self._lines and not self._sse.saw_line_end:
                e.message += _LINES_HINT
            if problems is None:
                raise
            problems.append(e)  # no chunk at all: listed, and the stream goes on
            return None


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
    for piece in source:
        decoder.receive_data(piece)
        chunk = decoder.next_chunk()
        while chunk is not None:
            yield chunk
            chunk = decoder.next_chunk()
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
    async for piece in source:
        decoder.receive_data(piece)
        chunk = decoder.next_chunk()
        while chunk is not None:
            yield chunk
            chunk = decoder.next_chunk()
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
