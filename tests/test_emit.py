# SPDX-License-Identifier: MIT
"""The serving side without a server: building responses and chunks, splitting a response
into the chunks its stream would carry, and writing them as SSE (DESIGN §9)."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
from hypothesis import HealthCheck, given, settings

from tests import DATA, cc
from tests.helpers import same
from tests.strategies import responses

RESPONSES = sorted((DATA / "responses").glob("*.json"))


def without_call_index(d: Dict[str, Any]) -> Dict[str, Any]:
    """``d`` as a stream can carry it: a tool call's unknown ``index`` key is the fragment's
    own in a stream, and a choice without ``index`` gets its position (documented)."""
    d = copy.deepcopy(d)
    for position, choice in enumerate(d.get("choices") or []):
        if type(choice) is not dict:
            continue
        if choice.get("index") is None:
            choice["index"] = position
        message = choice.get("message")
        if type(message) is dict and type(message.get("tool_calls")) is list:
            for call in message["tool_calls"]:
                if type(call) is dict:
                    call.pop("index", None)
    if "object" in d:
        d["object"] = "chat.completion"
    return d


def round_trip(r: Any, piece: int = 16) -> Any:
    chunks = r.to_chunks(piece=piece)
    body = b"".join(cc.encode_sse(chunks))
    back = list(cc.iter_chunks([body[i:i + 53] for i in range(0, len(body), 53)]))
    assert [c.to_dict() for c in back] == [c.to_dict() for c in chunks]
    return cc.accumulate(back)


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.name)
def test_every_fixture_split_encoded_read_back_and_accumulated(path: Path) -> None:
    d = json.loads(path.read_bytes())
    r = cc.ChatCompletion.from_dict(d)
    again = round_trip(r)
    assert same(again.to_dict(), without_call_index(d))
    for choice, original in zip(again.choices, r.choices):
        assert choice.finish_reason == original.finish_reason
        if original.message is not None:
            assert choice.message is not None
            assert choice.message.content == original.message.content
            assert [c.to_dict() for c in choice.message.tool_calls or []] == [
                {k: v for k, v in c.to_dict().items() if k != "index"}
                for c in original.message.tool_calls or []]
    assert again.usage == r.usage


@pytest.mark.parametrize("piece", [1, 3, 1000])
def test_piece_sizes(piece: int) -> None:
    r = cc.ChatCompletion.from_json((DATA / "responses" / "openai_n3_choices.json").read_bytes())
    assert round_trip(r, piece) == r


def test_the_shape_of_the_chunks() -> None:
    r = cc.build_response("m", "Hello world!", tool_calls=[("f", {"a": 1}), ("g", "")],
                          usage=(5, 6), id="chatcmpl-1", created=7)
    chunks = r.to_chunks(piece=4)
    ds = [c.to_dict() for c in chunks]
    assert all(d["id"] == "chatcmpl-1" and d["created"] == 7 and d["model"] == "m"
               and d["object"] == "chat.completion.chunk" for d in ds)
    first = ds[0]["choices"][0]
    assert first == {"index": 0, "delta": {"role": "assistant", "refusal": None}}
    contents = [c["choices"][0]["delta"].get("content") for c in ds if c["choices"]]
    assert "".join(x for x in contents if x) == "Hello world!"
    assert [x for x in contents if x] == ["Hell", "o wo", "rld!"]
    calls = [t for d in ds if d["choices"] for t in d["choices"][0]["delta"].get("tool_calls", [])]
    firsts = [t for t in calls if "id" in t]
    assert [(t["index"], t["type"], t["function"]["name"]) for t in firsts] == [
        (0, "function", "f"), (1, "function", "g")]
    assert all(set(t) == {"index", "function"} for t in calls if "id" not in t)
    finish = ds[-2]["choices"][0]
    assert finish == {"index": 0, "delta": {}, "finish_reason": "tool_calls", "logprobs": None}
    assert ds[-1]["choices"] == []
    assert ds[-1]["usage"]["total_tokens"] == 11
    assert cc.accumulate(chunks) == r


def test_logprobs_travel_with_their_tokens() -> None:
    r = cc.ChatCompletion.from_json((DATA / "responses" / "openai_docs_logprobs.json").read_bytes())
    chunks = r.to_chunks()
    with_tokens = [c for c in chunks if c.choices and c.choices[0].logprobs is not None
                   and c.choices[0].logprobs.content]
    for c in with_tokens:
        delta, logprobs = c.choices[0].delta, c.choices[0].logprobs
        assert delta is not None
        assert logprobs is not None
        assert logprobs.content is not None
        assert delta.content == "".join(t.token for t in logprobs.content)
    assert len(with_tokens) == len(r.choices[0].logprobs.content)  # type: ignore[union-attr,arg-type]
    assert cc.accumulate(chunks) == r


def test_unknown_keys_of_the_message_ride_in_the_deltas() -> None:
    d = json.loads((DATA / "responses" / "deepseek_reasoner_reasoning.json").read_bytes())
    r = cc.ChatCompletion.from_dict(d)
    chunks = r.to_chunks(piece=10)
    pieces = [c.choices[0].delta.reasoning_text for c in chunks
              if c.choices and c.choices[0].delta is not None]
    assert sum(1 for p in pieces if p) > 5  # reasoning in pieces, as DeepSeek streams it
    assert cc.accumulate(chunks) == r


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses())
def test_generated_responses_round_trip_through_a_stream(d: Dict[str, Any]) -> None:
    r = cc.ChatCompletion.from_dict(d)
    try:
        chunks = r.to_chunks(piece=5)
    except cc.ValidationError:
        # an unknown key of the response, or of a choice, named like a field of the chunk
        # (or chunk choice) that its value does not fit: the chunks would be invalid
        assert "obfuscation" in d or any("delta" in c for c in d["choices"]), d
        return
    again = cc.accumulate(cc.iter_chunks(cc.encode_sse(chunks)))
    expected = without_call_index(d)
    got = again.to_dict()
    # what a stream cannot carry exactly (README, to_chunks): indexed lists come back
    # merged in index order; "obfuscation" is transport padding
    for dd in (expected, got):
        _drop_undecidable(dd)
    assert got == expected


def _drop_undecidable(d: Any) -> None:
    """Remove from a response dict what a stream round trip may change by design."""
    if type(d) is dict:
        for key in list(d):
            value = d[key]
            if type(value) is list and value and all(
                    type(x) is dict and type(x.get("index")) is int for x in value):
                del d[key]  # an indexed list: merged by index
            elif key == "obfuscation":
                del d[key]
            else:
                _drop_undecidable(value)
    elif type(d) is list:
        for x in d:
            _drop_undecidable(x)


def test_build_response_is_conformant_and_fills_what_servers_fill() -> None:
    r = cc.build_response("gpt-x", "hi", usage=(1, 2), clock=lambda: 1_700_000_000)
    d = r.to_dict()
    assert re.fullmatch(r"chatcmpl-[A-Za-z0-9_-]{24}", d["id"])
    assert (d["created"], d["object"], d["model"]) == (1_700_000_000, "chat.completion", "gpt-x")
    assert d["choices"] == [{"finish_reason": "stop", "index": 0, "logprobs": None,
                             "message": {"role": "assistant", "content": "hi",
                                         "refusal": None}}]
    assert d["usage"] == {"completion_tokens": 2, "prompt_tokens": 1, "total_tokens": 3}
    assert cc.build_response("m").id != cc.build_response("m").id
    found: List[cc.ValidationError] = []
    cc.ChatCompletion.from_dict(d, problems=found)
    assert found == []


def test_build_response_with_tool_calls_refusal_and_reasoning() -> None:
    call = cc.tool_call("f", {"x": [1, 2]})
    r = cc.build_response("m", tool_calls=[call, ("g", '{"y": 1}')], reasoning="because",
                          finish_reason="length", created=5, id="chatcmpl-z",
                          system_fingerprint="fp", service_tier=cc.ServiceTier.DEFAULT)
    d = r.to_dict()
    message = d["choices"][0]["message"]
    assert message["content"] is None
    assert message["refusal"] is None
    assert message["reasoning_content"] == "because"
    assert message["tool_calls"][0] == call.to_dict()
    assert message["tool_calls"][0]["id"].startswith("call_")
    assert message["tool_calls"][1]["function"] == {"name": "g", "arguments": '{"y": 1}'}
    assert d["choices"][0]["finish_reason"] == "length"
    assert d["service_tier"] == "default"
    assert type(d["service_tier"]) is str
    assert cc.build_response("m", tool_calls=[call]).choices[0].finish_reason == "tool_calls"
    refused = cc.build_response("m", refusal="no").to_dict()["choices"][0]["message"]
    assert refused == {"role": "assistant", "content": None, "refusal": "no"}
    found: List[cc.ValidationError] = []
    cc.ChatCompletion.from_dict(d, problems=found)
    assert found == []


def test_build_chunk() -> None:
    first = cc.build_chunk("m", "", role="assistant", id="c1", created=3)
    piece = cc.build_chunk("m", "Hel", id="c1", created=3)
    calls = cc.build_chunk("m", tool_calls=[("f", {"a": 1})], id="c1", created=3)
    last = cc.build_chunk("m", finish_reason="stop", id="c1", created=3)
    usage = cc.build_chunk("m", usage=(1, 2), id="c1", created=3)
    assert first.to_dict() == {"id": "c1", "choices": [{"index": 0, "delta": {
        "role": "assistant", "content": ""}, "finish_reason": None}], "created": 3, "model": "m",
        "object": "chat.completion.chunk"}
    assert usage.to_dict()["choices"] == []
    assert usage.usage is not None
    frag = calls.choices[0].delta.tool_calls[0]  # type: ignore[union-attr,index]
    assert (frag.index, frag.type, frag.function.name) == (0, "function", "f")  # type: ignore[union-attr]
    found: List[cc.ValidationError] = []
    for chunk in (first, piece, calls, last, usage):
        cc.ChatCompletionChunk.from_dict(chunk.to_dict(), problems=found)
    assert found == []
    r = cc.accumulate([first, piece, calls, last, usage])
    assert r.choices[0].message.content == "Hel"  # type: ignore[union-attr]
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.total_tokens == 3
    assert cc.build_chunk("m", clock=lambda: 9).created == 9


def test_encode_sse_and_the_error_event() -> None:
    chunks = cc.build_response("m", "hi").to_chunks()
    body = list(cc.encode_sse(chunks))
    assert all(b.startswith(b"data: {") and b.endswith(b"\n\n") for b in body[:-1])
    assert body[-1] == b"data: [DONE]\n\n"
    assert list(cc.encode_sse(chunks, done=False))[-1] != b"data: [DONE]\n\n"
    error = cc.encode_sse_error("overloaded", type="server_error", code="503")
    assert error.startswith(b"event: error\ndata: {")
    assert json.loads(error.split(b"data: ", 1)[1])["error"]["message"] == "overloaded"
    got: List[Any] = []
    chunks_read = cc.iter_chunks([*body[:2], error, *body[2:]])
    got.append(next(chunks_read))
    got.append(next(chunks_read))
    with pytest.raises(cc.StreamError) as info:
        next(chunks_read)
    assert len(got) == 2
    assert (info.value.message, info.value.event, info.value.error["code"]) == (
        "overloaded", 3, "503")
    assert str(info.value) == "The server sent an error in event 3: overloaded"


def test_non_ascii_and_hostile_text_is_escaped_in_sse() -> None:
    r = cc.build_response("m", "caf\u00e9 \u2028 \n\n data: [DONE]\n\n")
    body = b"".join(cc.encode_sse(r.to_chunks(piece=3)))
    assert body.isascii()
    assert cc.accumulate(cc.iter_chunks([body])) == r
