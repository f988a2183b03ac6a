# SPDX-License-Identifier: MIT
"""Chunks from a streamed response body: SSE events in, ``chat.completion.chunk`` objects out.

The library does no I/O: give it what your HTTP client yields (``httpx``'s ``iter_bytes()``,
``requests``' ``iter_content()``, a file, a list of lines), split anywhere.
"""
from __future__ import annotations

from ._base import loads
from ._chunk import CreateChatCompletionStreamResponse
from ._errors import StreamError, ValidationError
from ._fields import json_copy
from ._sse import aiter_events, iter_events

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, AsyncIterable, AsyncIterator, Iterable, Iterator, Optional, Union

    from ._sse import SSEEvent

    Piece = Union[bytes, bytearray, str]

_DONE = "[DONE]"


def iter_chunks(source: Iterable[Piece]) -> Iterator[CreateChatCompletionStreamResponse]:
    """Yield the chunks of an SSE body; stops at ``data: [DONE]`` or the end of ``source``.

    Raises StreamError for an error event or an ``{"error": ...}`` payload (after the chunks
    before it), ValidationError for a chunk that is not valid JSON or does not fit the schema.
    """
    for event in iter_events(source):
        if event.data.strip() == _DONE:
            return
        chunk = _chunk(event)
        if chunk is not None:
            yield chunk


async def aiter_chunks(
    source: AsyncIterable[Piece],
) -> AsyncIterator[CreateChatCompletionStreamResponse]:
    """The same as iter_chunks for an async iterable (``httpx``'s ``aiter_bytes()``)."""
    async for event in aiter_events(source):
        if event.data.strip() == _DONE:
            return
        chunk = _chunk(event)
        if chunk is not None:
            yield chunk


def _chunk(event: SSEEvent) -> Optional[CreateChatCompletionStreamResponse]:
    """The chunk an event carries, None for one to skip; raises for an error."""
    if event.event == "error":
        raise _stream_error(event, _payload_or_text(event))
    if event.event != "message" or not event.data.strip():
        return None  # keep-alives and named events of other protocols carry no chunk
    try:
        payload = loads(event.data)
        if type(payload) is dict and payload.get("error") is not None:
            raise _stream_error(event, json_copy(payload, 1))
        return CreateChatCompletionStreamResponse._parse(payload, 1)
    except ValidationError as e:
        raise ValidationError(
            f"{e.message} (in event {event.number} of the stream)",
            path=f"{event.number}:{e.path}",  # the event's number, then the path in its JSON
            expected=e.expected,
            found=e.found,
        ) from None


def _payload_or_text(event: SSEEvent) -> Any:
    """An error event's data: its JSON value if it is plain JSON, else the text itself."""
    try:
        return json_copy(loads(event.data), 1)
    except ValidationError:
        return event.data


def _stream_error(event: SSEEvent, payload: Any) -> StreamError:
    error = payload.get("error", payload) if type(payload) is dict else payload
    message = error.get("message") if type(error) is dict else None
    if type(message) is not str:
        message = str(error)
    if len(message) > 200:
        message = message[:200] + "..."
    return StreamError(f"The server sent an error in event {event.number}: {message}",
                       error=error, event=event.number)
