# SPDX-License-Identifier: MIT
"""Lenient reading (``problems=[]``): nothing a server sends is lost, every misfit is listed
with the path strict mode names, and the list doubles as a conformance report."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings

from tests import DATA, cc
from tests.helpers import same
from tests.strategies import (
    RESPONSE,
    SCHEMA,
    first_error,
    fmt_path,
    mutated_responses,
    responses,
)

Resp = cc.CreateChatCompletionResponse
Chunk = cc.CreateChatCompletionStreamResponse
VALID = sorted((DATA / "responses").glob("*.json"))
INVALID = sorted((DATA / "invalid").glob("*.json"))

# What the OpenAI schema requires of each object (shared/reference, "required"), written out
# here so that the conformance report is checked against the spec, not against the code.
SPEC: Dict[str, Tuple[str, ...]] = {
    "CreateChatCompletionResponse": ("id", "choices", "created", "model", "object"),
    "CreateChatCompletionResponseChoices": ("finish_reason", "index", "logprobs", "message"),
    "ChatCompletionResponseMessage": ("content", "refusal", "role"),
    "ChatCompletionMessageToolCall": ("id", "type", "function"),  # "custom" for custom calls
    "Function": ("name", "arguments"),
    "Custom": ("name", "input"),
    "Annotation": ("type", "url_citation"),
    "AnnotationURLCitation": ("end_index", "start_index", "title", "url"),
    "ChatCompletionAudio": ("id", "data", "expires_at", "transcript"),
    "CreateChatCompletionResponseUsage": ("completion_tokens", "prompt_tokens", "total_tokens"),
    "CompletionTokensDetails": (),
    "PromptTokensDetails": (),
    "ChoiceLogprobs": ("content", "refusal"),
    "ChatCompletionTokenLogprob": ("token", "bytes", "logprob", "top_logprobs"),
    "TopLogprob": ("token", "bytes", "logprob"),
}


def spec_gaps(d: Any, name: str = RESPONSE, path: Tuple[Any, ...] = ()) -> List[str]:
    """The paths (of the objects) and keys the OpenAI schema requires but ``d`` lacks, as
    ``"$.choices[0].message: refusal"``; keys DESIGN requires are strict errors, not gaps."""
    if type(d) is not dict:
        return []
    required, optional = SCHEMA[name]
    spec = SPEC[name]
    if name == "ChatCompletionMessageToolCall":
        custom = d.get("type") == "custom" or (d.get("type") is None and d.get("custom")
                                               and not d.get("function"))
        spec = ("id", "type", "custom") if custom else spec
    out = [f"{fmt_path(path)}: {k}" for k in spec if k not in d and k not in required]
    for k, kind in {**required, **optional}.items():
        value = d.get(k)
        if kind[0] == "obj":
            out += spec_gaps(value, kind[1], (*path, k))
        elif kind[0] == "list" and type(value) is list:
            for i, item in enumerate(value):
                out += spec_gaps(item, kind[1], (*path, k, i))
    return out


def gaps(found: List[cc.ValidationError]) -> List[str]:
    return sorted(f"{p.path}: {p.expected}" for p in found if p.conformance)


def misfits(found: List[cc.ValidationError]) -> List[str]:
    return [p.path for p in found if not p.conformance]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_fixture_reads_leniently_as_strictly(path: Path) -> None:
    d = json.loads(path.read_bytes())
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(d, problems=found)
    assert same(obj.to_dict(), d)
    assert obj == Resp.from_dict(d)
    assert misfits(found) == []
    assert gaps(found) == sorted(spec_gaps(d))
    for p in found:
        assert "which the OpenAI schema requires" in p.message
        assert p.found == "nothing"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_every_invalid_fixture_is_kept_whole_and_listed(path: Path) -> None:
    d = json.loads(path.read_bytes())
    with pytest.raises(cc.ValidationError) as strict:
        Resp.from_dict(d)
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(d, problems=found)
    assert same(obj.to_dict(), d)
    assert strict.value.path in misfits(found)
    assert same(json.loads(Resp.from_json(path.read_bytes(), problems=[]).to_json()), d)


def test_what_the_real_misfits_become() -> None:
    tgi = json.loads((DATA / "invalid" / "tgi_zephyr_tool_calls_object_text_completion.json")
                     .read_bytes())
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(tgi, problems=found)
    message = obj.choices[0].message
    assert message is not None
    assert message.tool_calls is None  # an object, not an array: kept in extra
    assert message.extra["tool_calls"] == tgi["choices"][0]["message"]["tool_calls"]
    assert misfits(found) == ["$.choices[0].message.tool_calls"]
    assert found[0].message == "Expected `array`, got `object` (<object of 3 keys>)"
    assert obj.object == "text_completion"  # any string but a chunk's


def test_a_required_scalar_that_does_not_fit_moves_its_holder_up() -> None:
    d = {"choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": [
        {"id": "c", "type": "function", "function": {"arguments": "{}"}}]},
        "logprobs": {"content": [{"token": "a", "logprob": "high"}], "refusal": None}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2}}
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(copy.deepcopy(d), problems=found)
    call = obj.choices[0].message.tool_calls[0]  # type: ignore[union-attr,index]
    assert call.function is None
    assert call.extra["function"] == {"arguments": "{}"}
    logprobs = obj.choices[0].logprobs
    assert logprobs is not None
    assert logprobs.content is None
    assert logprobs.extra["content"] == d["choices"][0]["logprobs"]["content"]
    assert obj.usage is None
    assert obj.extra["usage"] == d["usage"]
    assert misfits(found) == [  # in schema order: a choice's logprobs come before its message
        "$.choices[0].logprobs.content[0].logprob",
        "$.choices[0].message.tool_calls[0].function",
        "$.usage",
    ]
    assert [p.message for p in found if not p.conformance] == [
        "Expected `float`, got `str` ('high')",
        "Object missing required field `name`",
        "Object missing required field `total_tokens`",
    ]
    assert same(obj.to_dict(), d)


def test_an_absent_required_array_stays_absent() -> None:
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict({"id": "x"}, problems=found)
    assert obj.choices == []
    assert obj.to_dict() == {"id": "x"}
    assert misfits(found) == ["$"]
    assert found[0].message == "Object missing required field `choices`"
    obj.choices.append(cc.Choice(index=0))  # once there are choices, they are written
    assert obj.to_dict() == {"id": "x", "choices": [{"index": 0}]}
    chunk = Chunk.from_dict({"id": "c"}, problems=[])
    assert chunk.choices == []
    assert chunk.to_dict() == {"id": "c"}


def test_an_api_error_body_reads_as_a_response_its_error_listed_first() -> None:
    body = {"error": {"message": "model `x` not found", "type": "invalid_request_error"}}
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(body, problems=found)
    assert obj.to_dict() == body
    assert obj.extra["error"] == body["error"]
    assert found[0].message == ("The server sent an API error, not a chat completion: "
                                "model `x` not found")
    with pytest.raises(cc.ValidationError, match=r"API error.*model `x` not found"):
        Resp.from_dict(body)
    with pytest.raises(cc.ValidationError, match="API error"):
        Chunk.from_json(json.dumps(body))


def test_a_chunk_read_as_a_response_is_kept_and_named() -> None:
    d = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": []}
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(d, problems=found)
    assert obj.object is None
    assert obj.extra["object"] == "chat.completion.chunk"
    assert obj.to_dict() == d
    assert misfits(found) == ["$.object"]
    assert "CreateChatCompletionStreamResponse" in found[0].message


@pytest.mark.parametrize("bad", [
    [], "x", None,
    {"choices": [], "x": (1, 2)},
    {"choices": [{"message": {"role": "assistant", "content": {1, 2}}}]},
    {"choices": [], "x": float("nan")},
], ids=["array", "string", "null", "tuple", "set in a misfit", "nan"])
def test_what_still_raises(bad: Any) -> None:
    with pytest.raises(cc.ValidationError):
        Resp.from_dict(bad, problems=[])


def test_too_deep_and_invalid_json_still_raise() -> None:
    deep: Dict[str, Any] = {}
    node = deep
    for _ in range(250):
        node["n"] = {}
        node = node["n"]
    with pytest.raises(cc.ValidationError, match="deeper than 200"):
        Resp.from_dict({"choices": [], "x": deep}, problems=[])
    with pytest.raises(cc.ValidationError, match="deeper than 200"):  # deep inside a misfit
        Resp.from_dict({"choices": [{"message": deep}]}, problems=[])
    with pytest.raises(cc.ValidationError, match="Invalid JSON"):
        Resp.from_json('{"choices": [', problems=[])


def test_a_failed_lenient_read_leaves_its_input_unchanged() -> None:
    d = json.loads(VALID[3].read_bytes())
    d["choices"][0]["message"]["content"] = ["a", {"b": 1}]
    before = copy.deepcopy(d)
    obj = Resp.from_dict(d, problems=[])
    assert d == before
    obj.choices[0].message.extra["content"][1]["b"] = 2  # type: ignore[union-attr]
    assert d == before  # the misfit kept is a copy


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_responses(how="replace"))
def test_one_wrong_value_anywhere_is_kept_and_listed_at_strict_paths(mutated: Any) -> None:
    doc, how, _ = mutated
    if type(doc) is not dict:  # the root replaced: no response to read, in either mode
        with pytest.raises(cc.ValidationError):
            Resp.from_dict(doc, problems=[])
        return
    before = copy.deepcopy(doc)
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(doc, problems=found)
    assert same(doc, before), how
    assert same(obj.to_dict(), doc), how
    if first_error(doc) is None:
        assert misfits(found) == [], how
        assert obj == Resp.from_dict(doc)
        return
    with pytest.raises(cc.ValidationError) as strict:
        Resp.from_dict(doc)
    # one place is wrong; an object put there may lack several required keys ({} for a
    # usage), each listed at that place, the one strict mode raises first among them
    assert set(misfits(found)) == {strict.value.path}, how
    listed = [(p.message, p.expected, p.found) for p in found if not p.conformance]
    assert listed[0] == (strict.value.message, strict.value.expected, strict.value.found), how


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_responses(how="delete"))
def test_one_deleted_key_anywhere(mutated: Any) -> None:
    doc, how, _ = mutated
    if type(doc) is not dict:
        return  # nothing to delete at the root: replaced instead (see the test above)
    found: List[cc.ValidationError] = []
    obj = Resp.from_dict(doc, problems=found)
    assert same(obj.to_dict(), doc), how
    if first_error(doc) is None:
        assert misfits(found) == [], how
    else:
        with pytest.raises(cc.ValidationError) as strict:
            Resp.from_dict(doc)
        assert set(misfits(found)) == {strict.value.path}, how


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses())
def test_the_conformance_report_of_generated_responses(doc: Dict[str, Any]) -> None:
    found: List[cc.ValidationError] = []
    Resp.from_dict(doc, problems=found)
    assert misfits(found) == []
    assert gaps(found) == sorted(spec_gaps(doc))


def test_a_built_response_is_conformant() -> None:
    r = cc.build_response("m", "hi", usage=(3, 4))
    found: List[cc.ValidationError] = []
    Resp.from_dict(r.to_dict(), problems=found)
    assert found == []
    call = cc.build_response("m", tool_calls=[("f", {"a": 1})])
    Resp.from_dict(call.to_dict(), problems=found)
    assert found == []


# -- streams and batch files --


def _lines(body: bytes) -> List[bytes]:
    return body.splitlines()


@pytest.mark.parametrize("path", sorted((DATA / "streams").glob("*.sse")), ids=lambda p: p.name)
def test_streams_fed_as_lines_equal_streams_fed_as_bytes(path: Path) -> None:
    body = path.read_bytes()

    def read(pieces: Any, **kw: Any) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        out: List[Dict[str, Any]] = []
        try:
            out.extend(chunk.to_dict() for chunk in cc.iter_chunks(pieces, **kw))
        except cc.StreamError as e:
            return out, e.message
        return out, None

    as_bytes = read([body[i:i + 41] for i in range(0, len(body), 41)])
    assert read(_lines(body), lines=True) == as_bytes
    assert read([line.decode("utf-8") for line in _lines(body)], lines=True) == as_bytes
    assert read(body.decode("utf-8").splitlines(keepends=True)) == as_bytes


def test_lines_without_lines_true_get_a_hint() -> None:
    body = (DATA / "streams" / "vllm_llama32_stream.sse").read_bytes()
    with pytest.raises(cc.ValidationError, match=r"iter_lines.*lines=True") as info:
        list(cc.iter_chunks(_lines(body)))
    assert info.value.event == 1


def test_a_lenient_stream_lists_bad_events_and_goes_on() -> None:
    body = (b'data: {"choices": [{"index": 0, "delta": {"content": "a"}}]}\n\n'
            b"data: {not json}\n\n"
            b'data: {"choices": [{"index": "0", "delta": {"content": "b"}}]}\n\n'
            b"data: [1]\n\n"
            b'data: {"choices": [{"index": 0, "delta": {"content": "c"}, '
            b'"finish_reason": "stop"}]}\n\n')
    found: List[cc.ValidationError] = []
    chunks = list(cc.iter_chunks([body], problems=found))
    assert len(chunks) == 3
    assert [(p.event, p.path) for p in found if not p.conformance] == [
        (2, "$"), (3, "$.choices[0].index"), (4, "$")]
    assert chunks[1].choices[0].extra["index"] == "0"
    assert all(p.event is not None for p in found)
    with pytest.raises(cc.ValidationError):
        list(cc.iter_chunks([body]))


def test_aiter_chunks_reads_lines_and_leniently() -> None:
    import asyncio

    body = (DATA / "streams" / "openai_parallel_tool_calls.sse").read_bytes()

    async def source() -> Any:
        for line in _lines(body):
            yield line

    async def collect(found: List[cc.ValidationError]) -> List[Any]:
        return [c async for c in cc.aiter_chunks(source(), lines=True, problems=found)]

    found: List[cc.ValidationError] = []
    chunks = asyncio.run(collect(found))
    assert [c.to_dict() for c in chunks] == [c.to_dict() for c in cc.iter_chunks([body])]
    assert misfits(found) == []


@pytest.mark.parametrize("cut", [1, 2, 5, 10])
def test_truncated_streams_are_not_finished(cut: int) -> None:
    body = (DATA / "streams" / "openai_gpt4omini_n2_choices.sse").read_bytes()
    events = [e for e in body.split(b"\n\n") if e.strip()]
    acc = cc.ChatCompletionAccumulator()
    for chunk in cc.iter_chunks([b"\n\n".join(events[:cut])]):
        acc.add(chunk)
    assert acc.finished is False
    whole = cc.ChatCompletionAccumulator()
    for chunk in cc.iter_chunks([body]):
        whole.add(chunk)
    assert whole.finished is True
    assert cc.ChatCompletionAccumulator().finished is False  # no choice at all


def test_a_lenient_batch_file_keeps_every_response(tmp_path: Path) -> None:
    good = json.loads(VALID[0].read_bytes())
    bad = json.loads(INVALID[0].read_bytes())
    lines = [
        {"custom_id": "a", "response": {"status_code": 200, "body": good}},
        {"custom_id": "b", "response": {"status_code": 200, "body": bad}},
        "not json",
        {"id": "no custom_id"},
        {"custom_id": "c", "response": {"status_code": "200", "body": good}},
    ]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(line if type(line) is str else json.dumps(line) for line in lines))
    found: List[cc.ValidationError] = []
    read = list(cc.iter_batch_output(path, problems=found))
    assert [line.custom_id for line in read] == ["a", "b", "c"]
    assert read[1].completion is not None  # read leniently
    assert same(read[1].to_dict(), lines[1])
    assert read[2].response is None
    assert read[2].extra["response"] == lines[4]["response"]
    assert [(p.line, p.path) for p in found if not p.conformance] == [
        (2, "$.response.body.choices[0].message.content"), (3, "$"), (4, "$"),
        (5, "$.response.status_code")]
    with pytest.raises(cc.ValidationError) as strict:
        list(cc.iter_batch_output(path))
    assert (strict.value.line, strict.value.path) == (
        2, "$.response.body.choices[0].message.content")
