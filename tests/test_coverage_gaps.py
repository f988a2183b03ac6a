# SPDX-License-Identifier: MIT
"""Behaviour at branches the rest of the suite does not reach.

Each test builds the input that leads to one such branch and checks what comes out there:
the accumulator's merges of function_call extras, custom tool calls and chunk-level
moderation; the chunk classes' errors for non-objects and their explicit nulls; the
StreamError's pickling; the async reader skipping events that carry no chunk; ``dir()`` of
the lazily importing package.
"""
from __future__ import annotations

import asyncio
import copy
import json
import pickle
from typing import Any, AsyncIterator, Dict, List

import pytest

from tests import cc

Chunk = cc.CreateChatCompletionStreamResponse
Json = Dict[str, Any]


def chunk_dict(*choices: Json, **top: Any) -> Json:
    d: Json = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
               "model": "m", "choices": list(choices)}
    d.update(top)
    return d


def delta(**keys: Any) -> Json:
    """A choice 0 whose delta has ``keys``."""
    return {"index": 0, "delta": keys}


def assemble(*chunks: Json) -> Any:
    return cc.accumulate([Chunk.from_dict(d) for d in chunks])


# -- the package --


def test_dir_lists_the_lazily_imported_names() -> None:
    names = dir(cc)
    assert names == sorted(names)
    # Names served by the module's __getattr__ on first use are listed before that use.
    for name in ("ChatCompletionAccumulator", "accumulate", "iter_batch_output",
                 "iter_chunks", "aiter_chunks", "ChatCompletionChunk", "ChoiceDeltaToolCall"):
        assert name in names
    assert "ValidationError" in names
    assert "StreamError" in names


# -- the accumulator --


def test_tool_call_fragment_without_function_then_with_one() -> None:
    # The first fragment names the call but carries no `function`; the next one does.
    response = assemble(
        chunk_dict(delta(role="assistant", tool_calls=[
            {"index": 0, "id": "call_1", "type": "function"}])),
        chunk_dict(delta(tool_calls=[
            {"index": 0, "function": {"name": "get_weather", "arguments": '{"city":'}}])),
        chunk_dict(delta(tool_calls=[{"index": 0, "function": {"arguments": '"Paris"}'}}])),
        chunk_dict({"index": 0, "delta": {}, "finish_reason": "tool_calls"}),
    )
    (call,) = response.choices[0].message.tool_calls
    assert call.to_dict() == {
        "id": "call_1", "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
    }
    assert response.choices[0].finish_reason == "tool_calls"


def test_custom_tool_call_has_no_function_key() -> None:
    # A custom tool's call never carries `function`: the assembled call must not invent one.
    custom = {"name": "apply_patch", "input": "*** Begin Patch"}
    response = assemble(
        chunk_dict(delta(tool_calls=[
            {"index": 0, "id": "call_c", "type": "custom", "custom": custom}])),
        chunk_dict({"index": 0, "delta": {}, "finish_reason": "tool_calls"}),
    )
    (call,) = response.choices[0].message.tool_calls
    assert call.function is None
    assert call.custom is not None
    assert (call.custom.name, call.custom.input) == ("apply_patch", "*** Begin Patch")
    assert call.to_dict() == {"id": "call_c", "type": "custom", "custom": custom}


def test_function_call_extras_are_merged() -> None:
    # Unknown keys inside the legacy `function_call` merge like any extra: objects merge
    # key by key, a later non-null scalar replaces, a null never erases.
    response = assemble(
        chunk_dict(delta(function_call={"name": "f", "arguments": '{"a"',
                                        "meta": {"x": 1}, "tag": "one"})),
        chunk_dict(delta(function_call={"arguments": ":1}", "meta": {"y": 2}, "tag": "two"})),
        chunk_dict(delta(function_call={"arguments": "", "tag": None})),
    )
    fc = response.choices[0].message.function_call
    assert (fc.name, fc.arguments) == ("f", '{"a":1}')
    assert fc.extra == {"meta": {"x": 1, "y": 2}, "tag": "two"}
    assert response.to_dict()["choices"][0]["message"]["function_call"] == {
        "meta": {"x": 1, "y": 2}, "tag": "two", "name": "f", "arguments": '{"a":1}',
    }


def test_function_call_without_extras_keeps_none() -> None:
    response = assemble(chunk_dict(delta(function_call={"name": "f", "arguments": "{}"})))
    fc = response.choices[0].message.function_call
    assert (fc.name, fc.arguments, fc.extra) == ("f", "{}", {})


def test_chunk_moderation_is_merged_into_the_response() -> None:
    # Chunk-level `moderation` (input verdict first, output verdict at the end) merges.
    response = assemble(
        chunk_dict(delta(role="assistant", content="Hi"),
                   moderation={"input": {"flagged": False, "categories": {"hate": False}}}),
        chunk_dict(delta(content="!")),
        chunk_dict({"index": 0, "delta": {}, "finish_reason": "stop"},
                   moderation={"output": {"flagged": True}}),
    )
    assert response.moderation == {
        "input": {"flagged": False, "categories": {"hate": False}},
        "output": {"flagged": True},
    }
    assert response.to_dict()["moderation"] == response.moderation
    assert response.choices[0].message.content == "Hi!"


def test_no_moderation_in_the_chunks_none_in_the_response() -> None:
    response = assemble(chunk_dict(delta(content="x")))
    assert response.moderation is None
    assert "moderation" not in response.to_dict()


# -- the chunk classes: non-objects where an object belongs --


@pytest.mark.parametrize(
    ("choice", "path", "found"),
    [
        (delta(tool_calls=[1]), "$.choices[0].delta.tool_calls[0]", "int"),
        (delta(tool_calls=[{"index": 0, "function": []}]),
         "$.choices[0].delta.tool_calls[0].function", "array"),
        (delta(function_call="f()"), "$.choices[0].delta.function_call", "str"),
        (delta(audio=5), "$.choices[0].delta.audio", "int"),
        ({"index": 0, "delta": "hi"}, "$.choices[0].delta", "str"),
    ],
    ids=["tool_call", "tool_call_function", "function_call", "audio", "delta"],
)
def test_non_object_in_a_chunk(choice: Json, path: str, found: str) -> None:
    with pytest.raises(cc.ValidationError) as info:
        Chunk.from_dict(chunk_dict(choice))
    e = info.value
    assert e.path == path
    assert (e.expected, e.found) == ("object", found)
    assert str(e) == f"{e.message} - at `{path}`"
    assert e.message.startswith(f"Expected `object`, got `{found}`")


def test_non_object_second_tool_call_named_by_index() -> None:
    # The list is re-scanned to name the failing item: the second, not the first.
    d = chunk_dict(delta(tool_calls=[{"index": 0, "id": "a"}, "b"]))
    with pytest.raises(cc.ValidationError) as info:
        Chunk.from_dict(d)
    assert info.value.path == "$.choices[0].delta.tool_calls[1]"


# -- the chunk classes: explicit nulls and partial objects survive to_dict --


@pytest.mark.parametrize(
    "d",
    [
        chunk_dict(delta(tool_calls=[{"index": 0, "id": "call_1", "function": None}])),
        chunk_dict(delta(content="x", tool_calls=None)),
        chunk_dict({"index": 0, "delta": None, "finish_reason": "stop"}),
        chunk_dict(delta(content="x"), moderation=None),
    ],
    ids=["tool_call_function", "delta_tool_calls", "choice_delta", "chunk_moderation"],
)
def test_explicit_null_round_trips(d: Json) -> None:
    c = Chunk.from_dict(d)
    assert c.to_dict() == d
    assert Chunk.from_json(c.to_json()) == c


def test_tool_call_function_null_reads_as_none() -> None:
    c = Chunk.from_dict(chunk_dict(delta(tool_calls=[{"index": 0, "function": None}])))
    (frag,) = c.choices[0].delta.tool_calls
    assert frag.function is None
    assert frag.to_dict() == {"index": 0, "function": None}
    # Absent, it stays absent.
    bare = Chunk.from_dict(chunk_dict(delta(tool_calls=[{"index": 0}])))
    assert bare.choices[0].delta.tool_calls[0].to_dict() == {"index": 0}


@pytest.mark.parametrize(
    "audio",
    [
        {"id": "audio_1", "transcript": "Hel"},  # no data yet
        {"id": "audio_1", "data": "UklGRg==", "expires_at": 1700000000},  # no transcript
        {"data": "AAAA"},
    ],
    ids=["transcript_only", "data_only", "data_alone"],
)
def test_audio_delta_round_trips_without_adding_keys(audio: Json) -> None:
    d = chunk_dict(delta(audio=audio))
    c = Chunk.from_dict(d)
    a = c.choices[0].delta.audio
    assert a is not None
    assert a.to_dict() == audio
    assert c.to_dict() == d
    assert (a.id, a.data, a.transcript) == (
        audio.get("id"), audio.get("data"), audio.get("transcript"))


def test_audio_deltas_assemble_into_the_message_audio() -> None:
    response = assemble(
        chunk_dict(delta(role="assistant", audio={"id": "audio_1", "transcript": "Hel"})),
        chunk_dict(delta(audio={"data": "AAAA", "transcript": "lo"})),
        chunk_dict(delta(audio={"data": "BBBB", "expires_at": 1700000000})),
    )
    audio = response.choices[0].message.audio
    assert audio is not None
    assert audio.to_dict() == {"id": "audio_1", "transcript": "Hello", "data": "AAAABBBB",
                               "expires_at": 1700000000}


def test_chunk_moderation_round_trips_as_a_copy() -> None:
    moderation = {"input": {"flagged": False, "scores": [0.1, 0.2]}}
    d = chunk_dict(delta(content="x"), moderation=moderation)
    c = Chunk.from_dict(d)
    assert c.moderation == moderation
    out = c.to_dict()
    assert out == d
    out["moderation"]["input"]["scores"].append(1.0)  # a deep copy: the chunk is unchanged
    assert c.moderation == {"input": {"flagged": False, "scores": [0.1, 0.2]}}


# -- StreamError pickling --


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_stream_error_pickles(protocol: int) -> None:
    error = {"message": "Rate limit reached", "type": "rate_limit_error", "code": None}
    e = cc.StreamError("The server sent an error in event 7: Rate limit reached",
                       error=error, event=7)
    back = pickle.loads(pickle.dumps(e, protocol))
    assert type(back) is cc.StreamError
    assert (back.message, back.error, back.event) == (e.message, error, 7)
    assert str(back) == str(e) == "The server sent an error in event 7: Rate limit reached"
    assert back.args == e.args


def test_stream_error_from_a_stream_pickles_and_copies() -> None:
    body = [b'data: {"error": {"message": "overloaded", "code": 529}}\n\n']
    with pytest.raises(cc.StreamError) as info:
        list(cc.iter_chunks(body))
    e = info.value
    for twin in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
        assert type(twin) is cc.StreamError
        assert (twin.message, twin.error, twin.event) == (e.message, e.error, e.event)
        assert twin.error == {"message": "overloaded", "code": 529}
        assert twin.event == 1


def test_stream_error_defaults_pickle() -> None:
    back = pickle.loads(pickle.dumps(cc.StreamError("gone")))
    assert (back.message, back.error, back.event) == ("gone", None, None)


# -- the async reader skips events that carry no chunk --


async def _pieces(items: List[bytes]) -> AsyncIterator[bytes]:
    for item in items:
        await asyncio.sleep(0)
        yield item


def test_aiter_chunks_skips_named_and_empty_events() -> None:
    def event(content: str) -> bytes:
        return f"data: {json.dumps(chunk_dict(delta(content=content)))}\n\n".encode()

    body = [
        event("a"),
        b"event: ping\ndata: {}\n\n",  # a named event of another protocol
        b"data: \n\n",  # empty data: a keep-alive
        event("b"),
        b"data: [DONE]\n\n",
    ]

    async def collect() -> List[Any]:
        return [c async for c in cc.aiter_chunks(_pieces(body))]

    chunks = asyncio.run(collect())
    assert [c.choices[0].delta.content for c in chunks] == ["a", "b"]
    # The synchronous reader agrees.
    assert [c.to_dict() for c in cc.iter_chunks(body)] == [c.to_dict() for c in chunks]

