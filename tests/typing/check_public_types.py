# SPDX-License-Identifier: MIT
"""Static typing tests: checked by `mypy --strict tests/typing` in CI, never executed.

Each assert_type pins a public type users rely on; a change to the annotations that would
break their code fails the type check here.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterator, List, Optional

from typing_extensions import assert_type

import chatcompletion as cc


def response_types(body: bytes) -> None:
    resp = cc.ChatCompletion.from_json(body)
    assert_type(resp, cc.CreateChatCompletionResponse)
    assert_type(cc.CreateChatCompletionResponse.from_dict({}), cc.ChatCompletion)
    assert_type(resp.id, str)
    assert_type(resp.created, int)
    assert_type(resp.model, str)
    assert_type(resp.object, str)
    assert_type(resp.service_tier, Optional[str])
    assert_type(resp.system_fingerprint, Optional[str])
    assert_type(resp.metadata, Optional[Dict[str, str]])
    assert_type(resp.extra, Dict[str, Any])
    assert_type(resp.to_dict(), Dict[str, Any])
    assert_type(resp.to_json(), str)

    choice = resp.choices[0]
    assert_type(choice, cc.Choice)
    assert_type(choice.index, Optional[int])
    assert_type(choice.finish_reason, Optional[str])
    assert_type(choice.message, Optional[cc.ChatCompletionMessage])

    message = choice.message
    assert message is not None
    assert_type(message.role, str)
    assert_type(message.content, Optional[str])
    assert_type(message.refusal, Optional[str])
    assert_type(message.reasoning_text, Optional[str])
    assert_type(message.tool_calls, Optional[List[cc.ChatCompletionMessageToolCall]])
    assert_type(message.function_call, Optional[cc.Function])
    assert_type(message.annotations, Optional[List[cc.Annotation]])

    for call in message.tool_calls or []:
        assert_type(call.id, str)
        assert_type(call.type, Optional[str])
        assert call.function is not None
        assert_type(call.function.name, str)
        assert_type(call.function.arguments, str)
        assert_type(call.custom, Optional[cc.Custom])

    logprobs = choice.logprobs
    assert logprobs is not None
    assert logprobs.content is not None
    token = logprobs.content[0]
    assert_type(token.token, str)
    assert_type(token.logprob, float)
    assert_type(token.bytes, Optional[List[int]])
    assert_type(token.top_logprobs, Optional[List[cc.TopLogprob]])

    usage = resp.usage
    assert usage is not None
    assert_type(usage, cc.CompletionUsage)
    assert_type(usage.total_tokens, int)
    assert usage.prompt_tokens_details is not None
    assert_type(usage.prompt_tokens_details.cached_tokens, Optional[int])
    assert usage.completion_tokens_details is not None
    assert_type(usage.completion_tokens_details.reasoning_tokens, Optional[int])


def constants() -> None:
    reason: cc.FinishReason = cc.FinishReason.STOP
    assert_type(reason.value, str)
    role: str = cc.ChatCompletionResponseMessageRole.ASSISTANT  # a str enum is a str
    del role


def errors(body: bytes) -> None:
    try:
        cc.ChatCompletion.from_json(body)
    except cc.ValidationError as e:
        assert_type(e.path, str)
        assert_type(e.expected, Optional[str])
        assert_type(e.found, Optional[str])
        value_error: ValueError = e
        del value_error


def building() -> None:
    usage = cc.CompletionUsage(prompt_tokens=1, completion_tokens=2, total_tokens=3)
    msg = cc.ChatCompletionMessage(role="assistant", content="hi")
    resp = cc.ChatCompletion(
        id="x", object="chat.completion", created=0, model="m",
        choices=[cc.Choice(index=0, message=msg, finish_reason="stop")], usage=usage,
    )
    assert_type(resp, cc.ChatCompletion)


def streaming(pieces: List[bytes]) -> None:
    chunks = cc.iter_chunks(pieces)
    assert_type(chunks, Iterator[cc.ChatCompletionChunk])
    acc = cc.ChatCompletionAccumulator()
    for chunk in chunks:
        assert_type(chunk.choices[0].delta, Optional[cc.ChoiceDelta])
        delta = chunk.choices[0].delta
        assert delta is not None
        assert_type(delta.content, Optional[str])
        assert_type(delta.tool_calls, Optional[List[cc.ChoiceDeltaToolCall]])
        assert_type(delta.reasoning_text, Optional[str])
        acc.add(chunk)
    assert_type(acc.result(), cc.ChatCompletion)
    assert_type(cc.accumulate(cc.iter_chunks(pieces)), cc.ChatCompletion)
    try:
        pass
    except cc.StreamError as e:
        assert_type(e.error, Any)


async def async_streaming(source: AsyncIterator[bytes]) -> None:
    assert_type(cc.aiter_chunks(source), AsyncIterator[cc.ChatCompletionChunk])
