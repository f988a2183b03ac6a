# SPDX-License-Identifier: MIT
"""Building responses and chunks in code, for servers, proxies and test doubles.

What these build is conformant: it has every key the OpenAI schema requires (so lenient
reading lists no problem for it), ``id`` is ``chatcmpl-`` and a random suffix, ``created``
is now, and ``object`` is set.
"""
from __future__ import annotations

from ._base import raw_extra
from ._chunk import CreateChatCompletionStreamResponse, CreateChatCompletionStreamResponseChoices
from ._delta import (
    ChatCompletionMessageToolCallChunk,
    ChatCompletionStreamResponseDelta,
    ChoiceDeltaToolCallFunction,
)
from ._message import ChatCompletionResponseMessage
from ._response import CreateChatCompletionResponse, CreateChatCompletionResponseChoices
from ._tools import ChatCompletionMessageToolCall, Function
from ._usage import CreateChatCompletionResponseUsage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple, Union

    ToolCallLike = Union[ChatCompletionMessageToolCall, Tuple[str, Union[str, Mapping[str, Any]]]]
    UsageLike = Union[CreateChatCompletionResponseUsage, Tuple[int, int]]


def new_id(prefix: str = "chatcmpl-") -> str:
    """A random id in OpenAI's style: ``chatcmpl-`` and 24 URL-safe characters."""
    import secrets

    return prefix + secrets.token_urlsafe(18)


def _now() -> int:
    import time

    return int(time.time())


def tool_call(name: str, arguments: Union[str, Mapping[str, Any]] = "",
              *, id: Optional[str] = None) -> ChatCompletionMessageToolCall:
    """A function tool call; ``arguments`` as JSON text, or a mapping to encode as JSON."""
    if not isinstance(arguments, str):
        import json

        arguments = json.dumps(dict(arguments), allow_nan=False)
    return ChatCompletionMessageToolCall(
        id=id or new_id("call_"), type="function",
        function=Function(name=name, arguments=arguments),
    )


def _calls(calls: Sequence[ToolCallLike]) -> List[ChatCompletionMessageToolCall]:
    out = []
    for call in calls:
        if isinstance(call, ChatCompletionMessageToolCall):
            out.append(call)
        else:
            out.append(tool_call(*call))
    return out


def _usage(usage: Optional[UsageLike]) -> Optional[CreateChatCompletionResponseUsage]:
    if usage is None or isinstance(usage, CreateChatCompletionResponseUsage):
        return usage
    prompt, completion = usage
    return CreateChatCompletionResponseUsage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )


def build_response(
    model: str,
    content: Optional[str] = None,
    *,
    tool_calls: Sequence[ToolCallLike] = (),
    refusal: Optional[str] = None,
    reasoning: Optional[str] = None,
    usage: Optional[UsageLike] = None,
    finish_reason: Optional[str] = None,
    id: Optional[str] = None,
    created: Optional[int] = None,
    system_fingerprint: Optional[str] = None,
    service_tier: Optional[str] = None,
    clock: Callable[[], int] = _now,
) -> CreateChatCompletionResponse:
    """A conformant ``chat.completion`` with one choice.

    ``tool_calls``: ``ChatCompletionMessageToolCall`` objects or ``(name, arguments)``
    pairs; ``reasoning``: the message's ``reasoning_content`` (as DeepSeek sends it);
    ``usage``: a usage object or ``(prompt_tokens, completion_tokens)``; ``finish_reason``
    defaults to ``"tool_calls"`` when there are tool calls, else ``"stop"``.
    """
    calls = _calls(tool_calls)
    message = ChatCompletionResponseMessage(role="assistant", content=content, refusal=refusal,
                                            tool_calls=calls or None)
    extra = {"reasoning_content": reasoning} if reasoning is not None else {}
    # The schema wants content and refusal present, null when there is none.
    message._extra = raw_extra(extra, [k for k in ("content", "refusal")
                                      if getattr(message, k) is None], [])
    if finish_reason is None:
        finish_reason = "tool_calls" if calls else "stop"
    choice = CreateChatCompletionResponseChoices(finish_reason=finish_reason, index=0,
                                                 message=message)
    choice._extra = raw_extra({}, ["logprobs"], [])  # required, and null: none were asked for
    return CreateChatCompletionResponse(
        id=id or new_id(), choices=[choice], created=clock() if created is None else created,
        model=model, object="chat.completion", system_fingerprint=system_fingerprint,
        service_tier=service_tier, usage=_usage(usage),
    )


def build_chunk(
    model: str,
    content: Optional[str] = None,
    *,
    role: Optional[str] = None,
    tool_calls: Sequence[ToolCallLike] = (),
    finish_reason: Optional[str] = None,
    usage: Optional[UsageLike] = None,
    index: int = 0,
    id: Optional[str] = None,
    created: Optional[int] = None,
    clock: Callable[[], int] = _now,
) -> CreateChatCompletionStreamResponse:
    """A conformant ``chat.completion.chunk`` for choice ``index``: a piece of ``content``,
    a ``role``, whole tool calls (each as one fragment), or a ``finish_reason``. With
    ``usage`` and nothing else, the usage chunk that ends a stream (``choices`` empty).
    Pass the same ``id`` and ``created`` to every chunk of one stream."""
    chunk = CreateChatCompletionStreamResponse(
        id=id or new_id(), created=clock() if created is None else created, model=model,
        object="chat.completion.chunk", usage=_usage(usage),
    )
    if (content is None and role is None and not tool_calls and finish_reason is None
            and usage is not None):
        return chunk
    fragments = [
        ChatCompletionMessageToolCallChunk(
            index=i, id=call.id, type=call.type or "function",
            function=None if call.function is None else ChoiceDeltaToolCallFunction(
                name=call.function.name, arguments=call.function.arguments),
        )
        for i, call in enumerate(_calls(tool_calls))
    ]
    delta = ChatCompletionStreamResponseDelta(role=role, content=content,
                                              tool_calls=fragments or None)
    choice = CreateChatCompletionStreamResponseChoices(index=index, delta=delta,
                                                       finish_reason=finish_reason)
    choice._extra = raw_extra({}, ["finish_reason"] if finish_reason is None else [], [])
    chunk.choices = [choice]
    return chunk
