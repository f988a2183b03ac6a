# SPDX-License-Identifier: MIT
"""After the response: the message as the next request's message, tool-call arguments,
tool results, reasoning text (DESIGN §8)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests import DATA, cc

RESPONSES = sorted((DATA / "responses").glob("*.json"))
STREAMS = sorted((DATA / "streams").glob("*.sse"))
REQUEST_KEYS = {"role", "content", "refusal", "name", "audio", "tool_calls", "function_call"}


def fixture_messages() -> Iterator[Any]:
    for path in RESPONSES:
        for i, choice in enumerate(cc.ChatCompletion.from_json(path.read_bytes()).choices):
            if choice.message is not None:
                yield pytest.param(choice.message, id=f"{path.stem}[{i}]")
    for path in STREAMS:
        acc = cc.ChatCompletionAccumulator()
        try:
            for chunk in cc.iter_chunks([path.read_bytes()]):
                acc.add(chunk)
        except cc.StreamError:
            pass
        for i, choice in enumerate(acc.result().choices):
            if choice.message is not None:
                yield pytest.param(choice.message, id=f"{path.stem}.sse[{i}]")


MESSAGES = list(fixture_messages())


def nulls(value: Any) -> List[str]:
    """Where ``value`` holds a null."""
    if value is None:
        return ["$"]
    if type(value) is dict:
        return [f".{k}{p[1:]}" for k, v in value.items() for p in nulls(v)]
    if type(value) is list:
        return [f"[{i}]{p[1:]}" for i, v in enumerate(value) for p in nulls(v)]
    return []


@pytest.mark.parametrize("message", MESSAGES)
def test_to_param_is_a_request_message_with_no_nulls(message: Any) -> None:
    param = message.to_param()
    assert nulls(param) == []
    assert set(param) <= REQUEST_KEYS
    assert param["role"] == "assistant"
    if message.content is not None:
        assert param["content"] == message.content
    calls = [c for c in message.tool_calls or () if c.function is not None or c.custom]
    assert len(param.get("tool_calls", ())) == len(calls)
    for call, out in zip(calls, param.get("tool_calls", ())):
        assert set(out) == {"id", "type", "function"} or set(out) == {"id", "type", "custom"}
        assert out["id"] == (call.id or call.call_id())
        if call.function is not None:
            assert out["function"] == {"name": call.function.name,
                                       "arguments": call.function.arguments}
    if not calls and message.function_call is None and message.audio is None:
        assert isinstance(param["content"], str)  # the request wants some content
    json.dumps(param)
    assert message.to_param() == param
    assert param is not message.to_param()


@pytest.mark.parametrize("message", MESSAGES)
def test_to_param_validates_against_the_official_sdk(message: Any) -> None:
    pytest.importorskip("openai")
    pydantic = pytest.importorskip("pydantic")
    from openai.types.chat import ChatCompletionAssistantMessageParam

    adapter = pydantic.TypeAdapter(ChatCompletionAssistantMessageParam)
    param = message.to_param()
    validated = adapter.validate_python(param, strict=True)
    if "tool_calls" in validated:  # an Iterable in the SDK's type: validated as it is read
        validated["tool_calls"] = list(validated["tool_calls"])
    assert validated == param
    assert set(param) <= set(ChatCompletionAssistantMessageParam.__annotations__)


def test_keep_names_the_provider_fields_to_send_back() -> None:
    deepseek = cc.ChatCompletion.from_json(
        (DATA / "responses" / "deepseek_reasoner_tool_call.json").read_bytes())
    message = deepseek.choices[0].message
    assert message is not None
    assert "reasoning_content" not in message.to_param()  # Mistral would reject it
    param = message.to_param(keep=["reasoning_content", "not_there"])
    assert param["reasoning_content"] == message.extra["reasoning_content"]
    assert "not_there" not in param
    assert message.to_param(keep="reasoning_content") == param  # one name as a string
    assert param["tool_calls"] == [{"id": "call_00_9V0vrf86Pc9aelHCJMZqnJBo", "type": "function",
                                    "function": {"name": "weather",
                                                 "arguments": '{"location": "San Francisco"}'}}]
    assert "index" not in param["tool_calls"][0]  # response-only


def test_to_param_leaves_out_what_the_request_has_not() -> None:
    message = cc.ChatCompletionMessage.from_dict({
        "role": "assistant", "content": None, "refusal": None, "annotations": [],
        "audio": {"id": "audio_1", "data": "AAAA", "expires_at": 1, "transcript": "hi"},
        "function_call": {"name": "f", "arguments": "{}"}, "provider_field": 1,
    })
    assert message.to_param() == {"role": "assistant", "audio": {"id": "audio_1"},
                                  "function_call": {"name": "f", "arguments": "{}"}}
    refusal = cc.ChatCompletionMessage(role="assistant", refusal="I can't.")
    assert refusal.to_param() == {"role": "assistant", "content": "", "refusal": "I can't."}
    named = cc.ChatCompletionMessage.from_dict({"role": "assistant", "content": "x", "name": "n"})
    assert named.to_param() == {"role": "assistant", "content": "x", "name": "n"}


def test_a_tool_call_without_id_gets_one_that_its_result_shares() -> None:
    llamacpp = cc.ChatCompletionMessage.from_dict({"role": "assistant", "tool_calls": [
        {"type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}},
        {"type": "function", "function": {"name": "f", "arguments": '{"a": 2}'}},
        {"type": "function"},  # nothing a request can say: left out
    ]})
    calls = llamacpp.tool_calls
    assert calls is not None
    param = llamacpp.to_param()
    ids = [c["id"] for c in param["tool_calls"]]
    assert len(param["tool_calls"]) == 2
    assert ids[0].startswith("call_")
    assert ids[0] != ids[1]
    assert [calls[0].result_param("r")["tool_call_id"], calls[1].call_id()] == ids
    assert calls[0].id is None  # the object is not changed
    again = cc.ChatCompletionMessage.from_dict(llamacpp.to_dict())
    assert again.to_param() == param  # the same call, the same id


def test_custom_tool_calls_to_param() -> None:
    message = cc.ChatCompletionMessage.from_dict({"role": "assistant", "content": None,
                                                 "tool_calls": [{"id": "c1", "type": "custom",
                                                                 "custom": {"name": "sql",
                                                                            "input": "SELECT 1"}}]})
    assert message.to_param()["tool_calls"] == [
        {"id": "c1", "type": "custom", "custom": {"name": "sql", "input": "SELECT 1"}}]
    call = message.tool_calls[0]  # type: ignore[index]
    assert call.kind == "custom"
    assert isinstance(call, cc.ChatCompletionMessageCustomToolCall)
    assert not isinstance(call, cc.ChatCompletionMessageFunctionToolCall)
    with pytest.raises(cc.ValidationError, match="has no function"):
        call.parse_arguments()


def test_the_sdk_names_of_the_two_kinds_of_call_never_lie() -> None:
    function = cc.ChatCompletionMessageFunctionToolCall(
        id="c", function=cc.Function(name="f", arguments="{}"))
    assert type(function) is cc.ChatCompletionMessageToolCall
    assert function.type == "function"
    assert isinstance(function, cc.ChatCompletionMessageFunctionToolCall)
    assert not isinstance(function, cc.ChatCompletionMessageCustomToolCall)
    mistral = cc.ChatCompletionMessageToolCall.from_dict(  # no type: told from the payload
        {"id": "m", "function": {"name": "f", "arguments": "{}"}})
    assert isinstance(mistral, cc.ChatCompletionMessageFunctionToolCall)
    assert not isinstance("x", cc.ChatCompletionMessageFunctionToolCall)
    assert cc.ChatCompletionMessageToolCall().kind is None


@pytest.mark.parametrize(("arguments", "expected"), [
    ('{"city": "Paris"}', {"city": "Paris"}),
    ("", {}),
    ("  \n", {}),
    ('{"a": [1, {"b": null}], "c": 1.5}', {"a": [1, {"b": None}], "c": 1.5}),
])
def test_parse_arguments(arguments: str, expected: Dict[str, Any]) -> None:
    fn = cc.Function(name="get_weather", arguments=arguments)
    assert fn.parse_arguments() == expected
    assert cc.tool_call("get_weather", arguments).parse_arguments() == expected


@pytest.mark.parametrize(("arguments", "found", "where"), [
    ('{"city": "Par', "invalid JSON", "line 1, column 10"),
    ('{"a": 1}{"a": 2}', "several values", "line 1, column 9"),  # glued by a buggy stream
    ('{"a": 1}\n{"a": 2}', "several values", "line 2, column 1"),
    ("[1, 2]", "an array", None),
    ("42", "a number", None),
    ('"x"', "a string", None),
    ("null", "null", None),
    ('{"a": NaN}', "invalid JSON", None),
    ("[" * 100_000, "invalid JSON", None),
])
def test_arguments_that_are_no_json_object(arguments: str, found: str, where: Any) -> None:
    call = cc.tool_call("get_weather", arguments, id="call_7")
    with pytest.raises(cc.ValidationError) as info:
        call.parse_arguments()
    e = info.value
    assert "tool call `call_7`" in e.message
    assert "`get_weather`" in e.message
    assert (e.found, e.expected, e.path) == (found, "JSON object", "$.function.arguments")
    if where is not None:
        assert where in e.message
    with pytest.raises(cc.ValidationError, match="function `get_weather`"):
        call.function.parse_arguments()  # type: ignore[union-attr]


def test_the_error_names_a_hostile_function_name_safely() -> None:
    fn = cc.Function(name="f\x1b[31m" + "x" * 1000, arguments="{")
    with pytest.raises(cc.ValidationError) as info:
        fn.parse_arguments()
    text = str(info.value)
    assert "\x1b" not in text
    assert len(text) < 400


def test_result_param() -> None:
    call = cc.tool_call("f", {"a": 1}, id="call_1")
    assert call.result_param("sunny") == {"role": "tool", "tool_call_id": "call_1",
                                         "content": "sunny"}
    parts = [{"type": "text", "text": "sunny"}]
    assert call.result_param(parts)["content"] is parts


# -- reasoning text --


@pytest.mark.parametrize(("content", "extra", "reasoning"), [
    ("<think>step 1</think>The answer", {}, "step 1"),
    ("\n <think>\nstep</think>\n\nThe answer", {}, "\nstep"),
    ("<think>still thinking", {}, "still thinking"),  # cut off, or still streaming
    ("The answer <think>no</think>", {}, None),  # not opening the content
    ("The answer", {}, None),
    (None, {}, None),
    ("<think>a</think>b", {"reasoning": "r"}, "r"),
    ("<think>a</think>b", {"reasoning_content": "rc", "reasoning": "r"}, "rc"),
    ("x", {"reasoning_content": 5, "reasoning": "r"}, "r"),  # only strings count
])
def test_reasoning_text(content: Any, extra: Dict[str, Any], reasoning: Any) -> None:
    message = cc.ChatCompletionMessage(role="assistant", content=content, extra=dict(extra))
    assert message.reasoning_text == reasoning
    assert message.content == content  # never changed


def test_reasoning_text_of_the_ollama_deepseek_r1_fixture() -> None:
    path = DATA / "responses" / "ollama_deepseek_r1_think_in_content.json"
    message = cc.ChatCompletion.from_json(path.read_bytes()).choices[0].message
    assert message is not None
    assert message.content is not None
    assert message.reasoning_text
    assert message.content.startswith("<think>")
    answer = message.content.split("</think>", 1)[-1].lstrip()  # as README says
    assert answer
    assert "<think>" not in answer


def test_to_json_indent() -> None:
    r = cc.ChatCompletion.from_json(RESPONSES[0].read_bytes())
    pretty = r.to_json(indent=2)
    assert pretty.startswith("{\n  ")
    assert json.loads(pretty) == r.to_dict() == json.loads(r.to_json())
    assert "\n" not in r.to_json()


def test_validate_checks_objects_built_in_code() -> None:
    good = cc.build_response("m", "hi")
    good.validate()
    good.created = "yesterday"  # type: ignore[assignment]
    with pytest.raises(cc.ValidationError) as info:
        good.validate()
    assert info.value.path == "$.created"
    broken = cc.ChatCompletion(choices=[1])  # type: ignore[list-item]
    with pytest.raises(cc.ValidationError, match="Cannot serialize"):
        broken.validate()
    assert broken == cc.ChatCompletion(choices=[1])  # type: ignore[list-item]  # == never raises
    assert broken != cc.ChatCompletion(choices=[2])  # type: ignore[list-item]
    repr(broken)


def test_messages_assembled_from_a_stream_to_param(tmp_path: Path) -> None:
    body = (DATA / "streams" / "openai_parallel_tool_calls.sse").read_bytes()
    message = cc.accumulate(cc.iter_chunks([body])).choices[0].message
    assert message is not None
    param = message.to_param()
    assert [c["function"]["name"] for c in param["tool_calls"]] == ["get_current_weather"] * 2
    assert "content" not in param  # null content with tool calls: left out, not "null"
