# SPDX-License-Identifier: MIT
"""Static typing tests: checked by `mypy --strict tests/typing` (in CI, and by
tests/test_typing.py when mypy is installed), never executed.

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
    # Optional: real servers omit each of them (DESIGN, "What must be present")
    assert_type(resp.id, Optional[str])
    assert_type(resp.created, Optional[int])
    assert_type(resp.model, Optional[str])
    assert_type(resp.object, Optional[str])
    assert_type(resp.choices, List[cc.Choice])
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
        assert_type(call.id, Optional[str])  # llama.cpp, NIM, GLM and Kimi send none
        assert_type(call.kind, Optional[str])
        assert_type(call.call_id(), str)
        assert_type(call.parse_arguments(), Dict[str, Any])
        assert_type(call.result_param("done"), Dict[str, Any])
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
    assert_type(usage + usage, cc.CompletionUsage)
    assert_type(usage.cached_prompt_tokens, Optional[int])
    assert_type(usage.reasoning_completion_tokens, Optional[int])
    assert_type(message.to_param(), Dict[str, Any])
    assert_type(message.to_param(keep=["reasoning_content"]), Dict[str, Any])
    assert_type(resp.to_json(indent=2), str)
    assert_type(resp.to_chunks(), List[cc.ChatCompletionChunk])
    resp.validate()


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
        assert_type(e.line, Optional[int])
        assert_type(e.event, Optional[int])
        assert_type(e.conformance, bool)
        value_error: ValueError = e
        del value_error


def lenient(body: bytes) -> None:
    found: List[cc.ValidationError] = []
    assert_type(cc.ChatCompletion.from_json(body, problems=found), cc.ChatCompletion)
    assert_type(cc.ChatCompletion.from_dict({}, problems=found), cc.ChatCompletion)
    assert_type(cc.iter_chunks([body], problems=found), Iterator[cc.ChatCompletionChunk])
    assert_type(cc.iter_batch_output("out.jsonl", problems=found), Iterator[cc.BatchOutputLine])


def batch(path: str) -> None:
    for line in cc.iter_batch_output(path):
        assert_type(line.custom_id, str)
        assert_type(line.status_code, Optional[int])
        assert_type(line.completion, Optional[cc.ChatCompletion])
        assert_type(line.error, Optional[Dict[str, Any]])
        assert_type(line.failure, Optional[Dict[str, Any]])


def building() -> None:
    usage = cc.CompletionUsage(prompt_tokens=1, completion_tokens=2, total_tokens=3)
    msg = cc.ChatCompletionMessage(role="assistant", content="hi")
    resp = cc.ChatCompletion(
        id="x", object="chat.completion", created=0, model="m",
        choices=[cc.Choice(index=0, message=msg, finish_reason="stop")], usage=usage,
    )
    assert_type(resp, cc.ChatCompletion)
    assert_type(cc.ChatCompletion(), cc.ChatCompletion)  # every field may be left out
    assert_type(cc.build_response("m", "hi"), cc.ChatCompletion)
    assert_type(cc.build_chunk("m", "hi"), cc.ChatCompletionChunk)
    assert_type(cc.tool_call("f", {"a": 1}), cc.ChatCompletionMessageToolCall)
    assert_type(cc.ChatCompletionMessageFunctionToolCall(id="c"), cc.ChatCompletionMessageToolCall)


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
    assert_type(acc.finished, bool)
    decoder = cc.ChunkDecoder(lines=True)
    decoder.receive_data(b"data: [DONE]")
    decoder.close()
    assert_type(decoder.next_chunk(), Optional[cc.ChatCompletionChunk])
    assert_type(decoder.done, bool)
    assert_type(cc.encode_sse(cc.iter_chunks(pieces)), Iterator[bytes])
    assert_type(cc.encode_sse_error("boom"), bytes)
    assert_type(cc.accumulate(cc.iter_chunks(pieces)), cc.ChatCompletion)
    try:
        pass
    except cc.StreamError as e:
        assert_type(e.error, Any)


async def async_streaming(source: AsyncIterator[bytes]) -> None:
    assert_type(cc.aiter_chunks(source), AsyncIterator[cc.ChatCompletionChunk])
