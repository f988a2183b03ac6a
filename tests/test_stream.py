# SPDX-License-Identifier: MIT
"""The chunk tree's dict contract and the chunk reader (iter_chunks, aiter_chunks).

Every captured stream is read whole, in pieces of every size (bytes and str), with its
line ends converted to CRLF and to CR, and synchronously and asynchronously; each must give
exactly the chunk objects a naive oracle (tests/streamgen.py) finds in the body.
"""
from __future__ import annotations

import asyncio
import copy
import json
import pickle
import random
from typing import Any, AsyncIterator, Iterable, Iterator, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import cc
from tests.helpers import count_calls
from tests.streamgen import (
    STREAM_NAMES,
    Reference,
    cut,
    piece_sizes,
    pieces,
    reference,
    sse,
    stream_path,
    streamed_responses,
)

Chunk = cc.CreateChatCompletionStreamResponse
StreamError = cc.StreamError
ValidationError = cc.ValidationError

# Bodies up to this many bytes are read at every piece size 1..len+1 (that is O(len^2)
# bytes in all); longer ones at sizes 1..64, a seeded sample above, and len-1..len+1.
FULL_BYTES = 3500
FULL_STR = 1000


def chunk(content: Optional[str] = "x", **top: Any) -> dict:
    d = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}
    d.update(top)
    return d


def read(source: Iterable[Any]) -> Tuple[List[dict], Optional[StreamError]]:
    """The chunks (as dicts) iter_chunks yields, and the StreamError that ended it, if any."""
    out: List[dict] = []
    try:
        for c in cc.iter_chunks(source):
            assert type(c) is Chunk
            out.append(c.to_dict())
    except StreamError as e:
        return out, e
    return out, None


async def _agen(items: Iterable[Any]) -> AsyncIterator[Any]:
    for item in items:
        await asyncio.sleep(0)
        yield item


def aread(source: Iterable[Any]) -> Tuple[List[dict], Optional[StreamError]]:
    async def main() -> Tuple[List[dict], Optional[StreamError]]:
        out: List[dict] = []
        try:
            async for c in cc.aiter_chunks(_agen(source)):
                assert type(c) is Chunk
                out.append(c.to_dict())
        except StreamError as e:
            return out, e
        return out, None

    return asyncio.run(main())


def check(got: Tuple[List[dict], Optional[StreamError]], ref: Reference, what: str) -> None:
    chunks, error = got
    assert len(chunks) == len(ref.chunks), what
    assert chunks == ref.chunks, what
    if ref.error is None:
        assert error is None, what
    else:
        assert error is not None, what
        assert error.error == ref.error, what
        assert error.event == ref.error_event, what


REFS = {name: reference(stream_path(name)) for name in STREAM_NAMES}


def test_the_oracle_sees_every_fixture_as_expected() -> None:
    assert len(STREAM_NAMES) == 14
    for name, ref in REFS.items():
        assert ref.chunks, name
        assert ref.done == (name != "groq_stream_tool_use_failed_error"), name
    groq = REFS["groq_stream_tool_use_failed_error"]
    assert (len(groq.chunks), groq.error_event) == (94, 95)
    assert groq.error["code"] == "tool_use_failed"


# -- the chunk tree: same dict contract as the response -----------------------------------


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_every_captured_chunk_round_trips_exactly(name: str) -> None:
    for d in REFS[name].chunks:
        original = copy.deepcopy(d)
        c = Chunk.from_dict(d)
        assert c.to_dict() == original
        assert d == original  # the input is not modified
        assert Chunk.from_json(json.dumps(d)).to_dict() == original
        assert json.loads(c.to_json()) == original


def test_azure_first_chunk_is_all_empty_and_valid() -> None:
    d = {"choices": [], "created": 0, "id": "", "model": "", "object": "",
         "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}]}
    c = Chunk.from_dict(d)
    assert (c.id, c.model, c.object, c.created, c.choices) == ("", "", "", 0, [])
    assert c.extra == {"prompt_filter_results": d["prompt_filter_results"]}
    assert c.to_dict() == d


@pytest.mark.parametrize("choice", [
    {"index": 0, "delta": {"role": "assistant", "content": "The"}},  # Perplexity: no finish_reason
    {"index": 0, "content_filter_results": {}},  # Azure: no delta
    {"index": 0, "delta": {}, "finish_reason": "stop", "stop_reason": None},  # vLLM
    {"index": 0, "delta": {"tool_calls": [  # Mistral: no index, no type
        {"id": "gSIMJiOkT", "function": {"name": "weather", "arguments": "{}"}}]}},
    {"index": 0, "delta": {"tool_calls": [{"function": {"arguments": "\"}"}}]}},  # neither
    {"index": 0, "delta": {"tool_calls": [{"index": None, "id": None, "type": None,
                                           "function": {"name": None, "arguments": None}}]}},
    {"index": 0, "delta": {"function_call": {"name": "f"}}},
    {"index": 0, "delta": {"function_call": {"arguments": "{"}}},
    {"delta": {"content": "no index"}},
    {},
])
def test_chunk_choices_need_no_key_servers_omit(choice: dict) -> None:
    d = chunk(choices=[choice])
    c = Chunk.from_dict(copy.deepcopy(d))
    assert c.to_dict() == d


def test_mistral_tool_call_fragment_fields() -> None:
    d = chunk(choices=[{"index": 0, "delta": {"content": None, "tool_calls": [
        {"id": "gSIMJiOkT", "function": {"name": "weather", "arguments": "{}"}}]},
        "finish_reason": "tool_calls", "logprobs": None}])
    frag = Chunk.from_dict(d).choices[0].delta.tool_calls[0]
    assert (frag.index, frag.id, frag.type) == (None, "gSIMJiOkT", None)
    assert (frag.function.name, frag.function.arguments) == ("weather", "{}")
    assert "index" not in frag.to_dict()
    assert "type" not in frag.to_dict()


def test_unknown_keys_and_nulls_at_every_level_are_kept() -> None:
    d = {
        "id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "system_fingerprint": None, "service_tier": None, "usage": None, "obfuscation": "pad",
        "citations": ["a", "b"], "x_groq": {"id": "req"},
        "choices": [{
            "index": 0, "finish_reason": None, "logprobs": None, "native_finish_reason": None,
            "content_filter_results": {"hate": {"filtered": False}},
            "delta": {
                "role": None, "content": None, "refusal": None, "function_call": None,
                "audio": None, "reasoning_content": "hm", "channel": "analysis",
                "tool_calls": [{"index": 0, "id": None, "type": None, "custom": {"q": 1},
                                "function": {"name": None, "arguments": "", "strict": True}}],
            },
        }],
    }
    c = Chunk.from_dict(copy.deepcopy(d))
    assert c.to_dict() == d
    assert c.obfuscation == "pad"
    assert c.extra == {"citations": ["a", "b"], "x_groq": {"id": "req"}}
    choice = c.choices[0]
    assert choice.extra == {"native_finish_reason": None,
                            "content_filter_results": {"hate": {"filtered": False}}}
    assert choice.delta.extra == {"reasoning_content": "hm", "channel": "analysis"}
    assert choice.delta.reasoning_text == "hm"
    assert choice.delta.tool_calls[0].extra == {"custom": {"q": 1}}
    assert choice.delta.tool_calls[0].function.extra == {"strict": True}


def test_extra_is_a_copy_of_the_input() -> None:
    d = chunk(x_groq={"usage": {"n": 1}})
    c = Chunk.from_dict(d)
    d["x_groq"]["usage"]["n"] = 2
    assert c.extra == {"x_groq": {"usage": {"n": 1}}}
    c.to_dict()["x_groq"]["usage"]["n"] = 3
    assert c.extra == {"x_groq": {"usage": {"n": 1}}}


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d.update(id=5), "$.id"),
    (lambda d: d.update(created="1"), "$.created"),
    (lambda d: d.update(choices={}), "$.choices"),
    (lambda d: d.update(choices=[[]]), "$.choices[0]"),
    (lambda d: d.pop("choices"), "$"),
    (lambda d: d["choices"][0].update(index="0"), "$.choices[0].index"),
    (lambda d: d["choices"][0].update(finish_reason=1), "$.choices[0].finish_reason"),
    (lambda d: d["choices"][0]["delta"].update(content=5), "$.choices[0].delta.content"),
    (lambda d: d["choices"][0]["delta"].update(tool_calls=[{"index": "0"}]),
     "$.choices[0].delta.tool_calls[0].index"),
    (lambda d: d["choices"][0]["delta"].update(tool_calls=[{"function": {"arguments": {}}}]),
     "$.choices[0].delta.tool_calls[0].function.arguments"),
    (lambda d: d["choices"][0].update(logprobs={"content": [{"token": "a", "logprob": "x"}]}),
     "$.choices[0].logprobs.content[0].logprob"),
    (lambda d: d.update(usage={"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": "2"}),
     "$.usage.total_tokens"),
    (lambda d: d.update(obfuscation=3), "$.obfuscation"),
])
def test_bad_chunks_raise_validation_error_with_path(change: Any, path: str) -> None:
    d = chunk()
    change(d)
    with pytest.raises(ValidationError) as info:
        Chunk.from_dict(d)
    assert info.value.path == path
    assert isinstance(info.value, ValueError)


def with_choice(choice: dict, **top: Any) -> dict:
    """A chunk dict carrying the one choice object ``choice``."""
    return chunk(choices=[choice], **top)


def delta(**keys: Any) -> dict:
    """A choice 0 whose delta has ``keys``."""
    return {"index": 0, "delta": keys}


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
def test_a_non_object_where_a_chunk_object_belongs(choice: dict, path: str, found: str) -> None:
    with pytest.raises(ValidationError) as info:
        Chunk.from_dict(with_choice(choice))
    e = info.value
    assert e.path == path
    assert (e.expected, e.found) == ("object", found)
    assert str(e) == f"{e.message} - at `{path}`"
    assert e.message.startswith(f"Expected `object`, got `{found}`")


def test_a_bad_second_tool_call_fragment_is_named_by_its_index() -> None:
    d = with_choice(delta(tool_calls=[{"index": 0, "id": "a"}, "b"]))
    with pytest.raises(ValidationError) as info:
        Chunk.from_dict(d)
    assert info.value.path == "$.choices[0].delta.tool_calls[1]"


@pytest.mark.parametrize(
    "d",
    [
        with_choice(delta(tool_calls=[{"index": 0, "id": "call_1", "function": None}])),
        with_choice(delta(content="x", tool_calls=None)),
        with_choice({"index": 0, "delta": None, "finish_reason": "stop"}),
        with_choice(delta(content="x"), moderation=None),
        with_choice({"index": None, "delta": {"content": "x"}}),
        with_choice(delta(content="x"), obfuscation=None),
        with_choice(delta(audio={"id": None, "data": None, "expires_at": None,
                                 "transcript": None})),
    ],
    ids=["tool_call_function", "delta_tool_calls", "choice_delta", "chunk_moderation",
         "choice_index", "obfuscation", "audio_keys"],
)
def test_explicit_nulls_in_a_chunk_are_written_back(d: dict) -> None:
    c = Chunk.from_dict(copy.deepcopy(d))
    assert c.to_dict() == d
    assert Chunk.from_json(c.to_json()) == c
    assert c != Chunk.from_dict(chunk(content="x"))


def test_a_null_index_and_obfuscation_read_as_none_and_are_kept() -> None:
    c = Chunk.from_dict(with_choice({"index": None, "delta": {}}, obfuscation=None))
    assert c.obfuscation is None
    assert c.choices[0].index is None
    out = c.to_dict()
    assert out["obfuscation"] is None
    assert out["choices"][0] == {"index": None, "delta": {}}
    bare = Chunk.from_dict(with_choice({"delta": {}}))
    assert "index" not in bare.to_dict()["choices"][0]
    assert "obfuscation" not in bare.to_dict()


def test_a_null_tool_call_function_reads_as_none() -> None:
    c = Chunk.from_dict(with_choice(delta(tool_calls=[{"index": 0, "function": None}])))
    (frag,) = c.choices[0].delta.tool_calls
    assert frag.function is None
    assert frag.to_dict() == {"index": 0, "function": None}
    bare = Chunk.from_dict(with_choice(delta(tool_calls=[{"index": 0}])))
    assert bare.choices[0].delta.tool_calls[0].to_dict() == {"index": 0}  # absent stays absent


@pytest.mark.parametrize(
    "audio",
    [
        {"id": "audio_1", "transcript": "Hel"},  # no data yet
        {"id": "audio_1", "data": "UklGRg==", "expires_at": 1700000000},  # no transcript
        {"data": "AAAA"},
    ],
    ids=["transcript_only", "data_only", "data_alone"],
)
def test_an_audio_delta_round_trips_without_adding_keys(audio: dict) -> None:
    d = with_choice(delta(audio=audio))
    c = Chunk.from_dict(d)
    a = c.choices[0].delta.audio
    assert type(a) is cc.ChoiceDeltaAudio
    assert a.to_dict() == audio
    assert c.to_dict() == d
    assert (a.id, a.data, a.transcript) == (
        audio.get("id"), audio.get("data"), audio.get("transcript"))


def test_the_delta_audio_is_its_own_class() -> None:
    assert cc.ChoiceDeltaAudio is not cc.ChatCompletionAudio
    assert not issubclass(cc.ChoiceDeltaAudio, cc.ChatCompletionAudio)
    assert "ChoiceDeltaAudio" in cc.__all__


def test_chunk_moderation_round_trips_as_a_copy() -> None:
    moderation = {"input": {"flagged": False, "scores": [0.1, 0.2]}}
    d = with_choice(delta(content="x"), moderation=moderation)
    c = Chunk.from_dict(d)
    assert c.moderation == moderation
    out = c.to_dict()
    assert out == d
    out["moderation"]["input"]["scores"].append(1.0)  # a deep copy: the chunk is unchanged
    assert c.moderation == {"input": {"flagged": False, "scores": [0.1, 0.2]}}


# -- the reader on every captured stream ----------------------------------------------------


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_read_whole(name: str) -> None:
    ref = REFS[name]
    body = stream_path(name).read_bytes()
    check(read([body]), ref, "bytes")
    check(read([body.decode("utf-8")]), ref, "str")
    check(read([bytearray(body)]), ref, "bytearray")
    check(read(iter(body.splitlines(keepends=True))), ref, "lines")


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_in_byte_pieces_of_every_size(name: str) -> None:
    ref = REFS[name]
    body = stream_path(name).read_bytes()
    for size in piece_sizes(len(body), FULL_BYTES):
        check(read(pieces(body, size)), ref, f"bytes, pieces of {size}")


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_in_str_pieces_of_every_size(name: str) -> None:
    ref = REFS[name]
    text = stream_path(name).read_text("utf-8")
    for size in piece_sizes(len(text), FULL_STR, small=48, sampled=24):
        check(read(pieces(text, size)), ref, f"str, pieces of {size}")


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_with_other_line_ends(name: str, ending: str) -> None:
    ref = REFS[name]
    text = stream_path(name).read_text("utf-8").replace("\n", ending)
    body = text.encode("utf-8")
    for size in piece_sizes(len(body), 0, small=24, sampled=12):
        check(read(pieces(body, size)), ref, f"bytes, {ending!r}, pieces of {size}")
    for size in piece_sizes(len(text), 0, small=8, sampled=4):
        check(read(pieces(text, size)), ref, f"str, {ending!r}, pieces of {size}")


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_pieces_cut_at_random_points(name: str) -> None:
    ref = REFS[name]
    body = stream_path(name).read_bytes()
    rng = random.Random(name)
    for _ in range(10):
        points = [rng.randrange(len(body) + 1) for _ in range(rng.randrange(1, 200))]
        check(read(cut(body, points)), ref, f"cut at {sorted(points)}")  # empty pieces too


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_captured_stream_accumulates_the_same_at_any_piece_size(name: str) -> None:
    body = stream_path(name).read_bytes()
    expected = cc.ChatCompletionAccumulator()
    for d in REFS[name].chunks:
        expected.add(Chunk.from_dict(d))
    for size in (1, 2, 3, 5, 64, 1000, len(body)):
        acc = cc.ChatCompletionAccumulator()
        ended_in_error = False
        try:
            for c in cc.iter_chunks(pieces(body, size)):
                acc.add(c)
        except StreamError:
            ended_in_error = True
        assert ended_in_error == (REFS[name].error is not None)
        assert acc.result() == expected.result()
        assert acc.result().to_dict() == expected.result().to_dict()


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_async_reader_equals_sync_reader(name: str) -> None:
    ref = REFS[name]
    body = stream_path(name).read_bytes()
    for size in (1, 7, 256, len(body)):
        got = aread(pieces(body, size))
        check(got, ref, f"async bytes, pieces of {size}")
        sync = read(pieces(body, size))
        assert got[0] == sync[0]
        assert (got[1] is None) == (sync[1] is None)
        if got[1] is not None:
            assert (got[1].error, got[1].event, str(got[1])) == (
                sync[1].error, sync[1].event, str(sync[1]))
    text = body.decode("utf-8").replace("\n", "\r\n")
    check(aread(pieces(text, 5)), ref, "async str CRLF")


@pytest.mark.parametrize("name", [n for n in STREAM_NAMES if REFS[n].error is None])
def test_accumulate_over_the_async_reader(name: str) -> None:
    """(The stream that ends in an error: test_async_stream_error.)"""
    body = stream_path(name).read_bytes()

    async def collect() -> List[Any]:
        return [c async for c in cc.aiter_chunks(_agen(pieces(body, 13)))]

    chunks = asyncio.run(collect())
    assert cc.accumulate(chunks) == cc.accumulate(cc.iter_chunks([body]))
    assert cc.accumulate(chunks).object == "chat.completion"


def test_async_stream_error() -> None:
    body = stream_path("groq_stream_tool_use_failed_error").read_bytes()
    ref = REFS["groq_stream_tool_use_failed_error"]
    acc = cc.ChatCompletionAccumulator()

    async def main() -> None:
        async for c in cc.aiter_chunks(_agen(pieces(body, 100))):
            acc.add(c)

    with pytest.raises(StreamError) as info:
        asyncio.run(main())
    assert info.value.error == ref.error
    assert acc.result().choices[0].message.extra["channel"] == "analysis"


# -- [DONE], the end of the source, errors ----------------------------------------------------


def test_done_stops_and_what_follows_is_ignored() -> None:
    body = (sse([chunk("a")], done=True) + sse([chunk("b")], done=False)
            + "data: {not json\n\nevent: error\ndata: {\"error\": {}}\n\n")
    assert read([body]) == ([chunk("a")], None)
    assert read(pieces(body.encode(), 3)) == ([chunk("a")], None)
    assert aread([body]) == ([chunk("a")], None)


@pytest.mark.parametrize("done", ["data: [DONE]", "data:[DONE]", "data: [DONE] "])
def test_done_spellings(done: str) -> None:
    body = sse([chunk("a")], done=False) + done + "\n\n" + sse([chunk("b")], done=False)
    assert read([body]) == ([chunk("a")], None)


def test_done_stops_reading_the_source() -> None:
    """A server may keep the connection open after [DONE]: the reader must not wait for more."""
    first = sse([chunk("a")], done=True).encode()

    def source() -> Iterator[bytes]:
        yield first
        raise AssertionError("the source was read after [DONE]")

    assert read(source()) == ([chunk("a")], None)


def test_async_done_stops_reading_the_source() -> None:
    first = sse([chunk("a")], done=True).encode()

    async def source() -> AsyncIterator[bytes]:
        yield first
        raise AssertionError("the source was read after [DONE]")

    async def main() -> List[dict]:
        return [c.to_dict() async for c in cc.aiter_chunks(source())]

    assert asyncio.run(main()) == [chunk("a")]


def test_consumer_may_stop_early() -> None:
    body = sse([chunk("a"), chunk("b"), chunk("c")])
    it = cc.iter_chunks(pieces(body, 5))
    assert next(it).to_dict() == chunk("a")
    it.close()

    async def main() -> List[dict]:
        out = []
        async for c in cc.aiter_chunks(_agen(pieces(body, 5))):
            out.append(c.to_dict())
            break
        return out

    assert asyncio.run(main()) == [chunk("a")]


def test_chunks_are_yielded_as_they_arrive() -> None:
    pulled = []

    def source() -> Iterator[str]:
        for i, part in enumerate([sse([chunk("a")], done=False), sse([chunk("b")])]):
            pulled.append(i)
            yield part

    it = cc.iter_chunks(source())
    assert next(it).to_dict() == chunk("a")
    assert pulled == [0]
    assert [c.to_dict() for c in it] == [chunk("b")]


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_source_ending_without_done_ends_cleanly(name: str) -> None:
    ref = REFS[name]
    text = stream_path(name).read_text("utf-8")
    text = text[: text.index("data: [DONE]")] if ref.done else text
    check(read([text]), ref, "no [DONE]")
    # ...even when the last event lost its blank line, or its line end too
    stripped = text.rstrip("\n")
    if ref.error is None:
        check(read([stripped + "\n"]), ref, "no blank line")
        check(read(pieces(stripped.encode(), 7)), ref, "no line end")


def test_named_and_empty_events_carry_no_chunk() -> None:
    def event(content: str) -> bytes:
        return f"data: {json.dumps(chunk(content))}\n\n".encode()

    body = [
        event("a"),
        b"event: ping\ndata: {}\n\n",  # a named event of another protocol
        b"data: \n\n",  # empty data: a keep-alive
        event("b"),
        b"data: [DONE]\n\n",
    ]
    assert aread(body) == ([chunk("a"), chunk("b")], None)
    assert read(body) == ([chunk("a"), chunk("b")], None)


@pytest.mark.parametrize("body", ["", ": ping\n\n", "\n\n\n", "data:\n\n", "event: ping\n\n"])
def test_stream_without_chunks(body: str) -> None:
    assert read([body]) == ([], None)
    assert read([]) == ([], None)


def test_groq_error_event_after_the_chunks_before_it() -> None:
    ref = REFS["groq_stream_tool_use_failed_error"]
    it = cc.iter_chunks([stream_path("groq_stream_tool_use_failed_error").read_bytes()])
    got = [next(it).to_dict() for _ in range(94)]
    assert got == ref.chunks
    with pytest.raises(StreamError) as info:
        next(it)
    e = info.value
    assert e.error == ref.error
    assert e.error["message"].startswith("Tool call validation failed")
    assert e.error["failed_generation"] == (
        '{"name": "get_something_by_name", "arguments": {\n  "invalid_param": "value"\n}}')
    assert e.error["status_code"] == 400
    assert e.event == 95
    assert "Tool call validation failed" in str(e)
    assert not isinstance(e, ValidationError)


ERROR = {"message": "Overloaded", "type": "server_error", "code": 529}


@pytest.mark.parametrize("event", [
    "event: error\ndata: " + json.dumps({"error": ERROR}),  # named error event
    "data: " + json.dumps({"error": ERROR}),  # a payload carrying error
    "event: error\ndata: " + json.dumps({"error": ERROR, "id": "", "choices": []}),
    "data: " + json.dumps({**chunk("late"), "error": ERROR}),  # a chunk carrying an error
])
def test_error_after_chunks(event: str) -> None:
    body = sse([chunk("a"), chunk("b")], done=False) + event + "\n\n" + sse([chunk("c")])
    for source in ([body], pieces(body, 1), pieces(body.encode(), 4)):
        chunks, error = read(source)
        assert chunks == [chunk("a"), chunk("b")]
        assert error is not None
        assert error.error == ERROR
        assert error.event == 3
        assert "Overloaded" in str(error)
    chunks, error = aread([body])
    assert chunks == [chunk("a"), chunk("b")]
    assert error is not None
    assert error.error == ERROR


@pytest.mark.parametrize(("event", "error"), [
    ("event: error\ndata: upstream closed", "upstream closed"),
    ("event: error\ndata: " + json.dumps({"message": "bad"}), {"message": "bad"}),
    ("data: " + json.dumps({"error": "rate limited"}), "rate limited"),
])
def test_other_error_shapes(event: str, error: Any) -> None:
    chunks, e = read([sse([chunk("a")], done=False) + event + "\n\n"])
    assert chunks == [chunk("a")]
    assert e is not None
    assert e.error == error


@pytest.mark.parametrize(("data", "path"), [
    ('{"id": "x", "choices": [', "$"),
    ("not json", "$"),
    ("[1, 2]", "$"),
    (json.dumps(chunk(5)), "$.choices[0].delta.content"),
    (json.dumps(chunk(choices=[{"index": 0, "delta": {"tool_calls": [{"index": "1"}]}}])),
     "$.choices[0].delta.tool_calls[0].index"),
    (json.dumps(chunk(model=1)), "$.model"),
])
def test_bad_chunk_names_its_event(data: str, path: str) -> None:
    """The event's number is an attribute of its own, and shown once; the path is pure."""
    body = (": keep-alive\n\n" + sse([chunk("a")], done=False) + ": ping\n\n"
            + sse([chunk("b")], done=False) + "data: " + data + "\n\n" + sse([chunk("c")]))
    for source in ([body], pieces(body.encode(), 3)):
        it = cc.iter_chunks(source)
        assert [next(it).to_dict(), next(it).to_dict()] == [chunk("a"), chunk("b")]
        with pytest.raises(ValidationError) as info:
            next(it)
        e = info.value
        assert (e.path, e.event, e.line) == (path, 3, None)
        assert str(e).endswith(f" - at `{path}` in event 3 of the stream")
        assert str(e).count("event 3") == 1
    with pytest.raises(ValidationError) as info:
        aread([body])
    assert (info.value.path, info.value.event) == (path, 3)


# -- SSE rules at the chunk level -------------------------------------------------------------


def test_comments_keep_alives_and_other_fields_are_skipped() -> None:
    body = (
        "\ufeff: OPENROUTER PROCESSING\n\n"
        ":\n"
        "retry: 3000\n"
        "id: 7\n"
        "foo: bar\n"
        + sse([chunk("a")], done=False)
        + ": ping\n\n"
        + "event: ping\ndata: {\"type\": \"ping\"}\n\n"  # another protocol's named event
        + "data:\n\n"  # empty keep-alive
        + "\n\n\n"
        + "event: message\ndata: " + json.dumps(chunk("b")) + "\n\n"
        + "data:" + json.dumps(chunk("c")) + "\n\n"  # no space after the colon
        + "data: [DONE]\n\n"
    )
    expected = [chunk("a"), chunk("b"), chunk("c")]
    assert read([body]) == (expected, None)
    assert read(pieces(body.encode(), 1)) == (expected, None)
    assert read(pieces(body.replace("\n", "\r\n"), 2)) == (expected, None)


def test_event_type_applies_to_one_event_only() -> None:
    body = "event: ping\ndata: {}\n\n" + sse([chunk("a")])
    assert read([body]) == ([chunk("a")], None)


def test_multi_line_data_is_one_event() -> None:
    d = chunk("a\nb", usage={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3})
    lines = json.dumps(d, indent=2).split("\n")
    body = "".join(f"data: {line}\n" for line in lines) + "\n" + "data: [DONE]\n\n"
    for ending in ("\n", "\r\n", "\r"):
        text = body.replace("\n", ending)
        for size in (1, 3, len(text)):
            assert read(pieces(text.encode(), size)) == ([d], None)


def test_utf8_split_inside_characters() -> None:
    texts = ["h\u00e9llo", " \u4e16\u754c", " \U0001f389\U0001f1eb\U0001f1f7", "\u2028\u0000"]
    body = sse([chunk(t) for t in texts]).encode("utf-8")
    for size in range(1, len(body) + 2):
        chunks, error = read(pieces(body, size))
        assert error is None
        assert [c["choices"][0]["delta"]["content"] for c in chunks] == texts


def test_mixed_line_ends_in_one_stream() -> None:
    a, b, c = (json.dumps(chunk(x)) for x in "abc")
    body = f"data: {a}\r\n\r\n: note\rdata: {b}\n\r\ndata: {c}\r\r" + "data: [DONE]\n\n"
    expected = [chunk("a"), chunk("b"), chunk("c")]
    for size in range(1, 40):
        assert read(pieces(body.encode(), size)) == (expected, None)
        assert read(pieces(body, size)) == (expected, None)


@st.composite
def encoded_streams(draw: Any) -> Tuple[List[dict], List[Any], bool]:
    """(chunks, the pieces of an SSE body carrying them, async?): random line ends per
    line, comments, data split over several lines, [DONE] or not, cut anywhere."""
    _, chunks = draw(streamed_responses())
    lines: List[str] = []
    for d in chunks:
        if draw(st.booleans()):
            lines.append(": keep-alive")
            lines.append("")
        text = json.dumps(d, ensure_ascii=draw(st.booleans()), indent=draw(st.none() | st.just(1)))
        lines.extend("data: " + line for line in text.split("\n"))
        lines.append("")
    if draw(st.booleans()):
        lines += ["data: [DONE]", ""]
    body = ""
    previous = ""
    for line in lines:
        ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
        if previous == "\r" and not line and ending == "\n":
            ending = "\r"  # "\r" then "\n" would be one CRLF line end, not two
        body += line + ending
        previous = ending
    if draw(st.booleans()):
        body = body.encode("utf-8")
    points = draw(st.lists(st.integers(0, len(body)), max_size=30))
    return chunks, cut(body, points), draw(st.booleans())


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(encoded_streams())
def test_any_stream_cut_anywhere_reads_back(case: Tuple[List[dict], List[Any], bool]) -> None:
    chunks, source, use_async = case
    assert (aread(source) if use_async else read(source)) == (chunks, None)


def test_reader_cost_is_linear() -> None:
    """Counted in function calls, not seconds (see helpers.count_calls)."""
    def calls(n: int) -> int:
        parts = pieces(sse([chunk(str(i)) for i in range(n)]).encode(), 37)
        return count_calls(lambda: sum(1 for _ in cc.iter_chunks(parts)))

    small, big = calls(300), calls(600)
    assert big < 2.2 * small, (small, big)  # quadratic would be about 4x


def test_an_error_event_that_is_not_plain_json_keeps_its_text() -> None:
    body = b'event: error\ndata: {"error": {"message": "boom", "code": NaN}}\n\n'
    with pytest.raises(cc.StreamError) as info:
        list(cc.iter_chunks([body]))
    assert info.value.error == '{"error": {"message": "boom", "code": NaN}}'  # text, not NaN
    json.dumps(info.value.error, allow_nan=False)  # what a CLI or a log can print


def test_an_error_payload_with_nan_is_a_validation_error() -> None:
    body = b'data: {"error": {"message": "boom", "code": NaN}}\n\n'
    with pytest.raises(cc.ValidationError) as info:
        list(cc.iter_chunks([body]))
    assert (info.value.path, info.value.event) == ("$.error.code", 1)


def test_a_huge_server_message_gives_a_short_error() -> None:
    body = b'data: {"error": {"message": "' + b"x" * 10_000_000 + b'"}}\n\n'
    with pytest.raises(cc.StreamError) as info:
        list(cc.iter_chunks([body]))
    assert len(str(info.value)) < 300
    assert len(info.value.error["message"]) == 10_000_000  # the server's object, whole


def test_a_bad_chunk_error_is_consistent() -> None:
    rest = b'"object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n'
    good, bad = b'data: {"id":"a",' + rest, b'data: {"id":5,' + rest
    with pytest.raises(cc.ValidationError) as info:
        list(cc.iter_chunks([good, bad]))
    e = info.value
    assert (e.path, e.event) == ("$.id", 2)
    assert e.args == (e.message,)
    assert e.message == "Expected `str`, got `int` (5)"
    assert str(e) == "Expected `str`, got `int` (5) - at `$.id` in event 2 of the stream"
    assert (e.expected, e.found) == ("str", "int")


def test_a_bad_piece_type_raises_in_the_async_reader_too() -> None:
    async def source() -> AsyncIterator[object]:
        yield sse([chunk("a")], done=False).encode()
        yield 3

    async def main() -> List[dict]:
        return [c.to_dict() async for c in cc.aiter_chunks(source())]  # type: ignore[arg-type]

    with pytest.raises(ValidationError) as info:
        asyncio.run(main())
    assert info.value.message == "Expected `bytes` or `str` pieces, got `int`"


# -- StreamError ------------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_stream_error_pickles(protocol: int) -> None:
    error = {"message": "Rate limit reached", "type": "rate_limit_error", "code": None}
    e = cc.StreamError("Rate limit reached", error=error, event=7)
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
    assert (e.message, str(e)) == ("overloaded", "The server sent an error in event 1: overloaded")
    for twin in (pickle.loads(pickle.dumps(e)), copy.copy(e), copy.deepcopy(e)):
        assert type(twin) is cc.StreamError
        assert (twin.message, twin.error, twin.event) == (e.message, e.error, e.event)
        assert twin.error == {"message": "overloaded", "code": 529}
        assert twin.event == 1
        assert str(twin) == str(e)


def test_stream_error_defaults_pickle() -> None:
    back = pickle.loads(pickle.dumps(cc.StreamError("gone")))
    assert (back.message, back.error, back.event) == ("gone", None, None)
    assert str(back) == "The server sent an error: gone"


# -- the push API: ChunkDecoder ----------------------------------------------------------------


def test_chunk_decoder_gives_chunks_as_their_events_complete() -> None:
    decoder = cc.ChunkDecoder()
    body = sse([chunk("a"), chunk("b")]).encode()
    first_end = body.index(b"\n\n") + 2
    decoder.receive_data(body[:first_end - 1])
    assert decoder.next_chunk() is None  # the blank line has not arrived
    decoder.receive_data(body[first_end - 1:first_end])
    got = decoder.next_chunk()
    assert got is not None
    assert got.to_dict() == chunk("a")
    assert decoder.next_chunk() is None
    decoder.receive_data(body[first_end:])
    got = decoder.next_chunk()
    assert got is not None
    assert got.to_dict() == chunk("b")
    assert not decoder.done
    assert decoder.next_chunk() is None  # [DONE]
    assert decoder.done
    decoder.receive_data(sse([chunk("c")]).encode())  # after [DONE]: ignored
    decoder.close()
    assert decoder.next_chunk() is None


def test_chunk_decoder_close_flushes_a_last_event_without_its_blank_line() -> None:
    decoder = cc.ChunkDecoder()
    decoder.receive_data("data: " + json.dumps(chunk("a")))
    assert decoder.next_chunk() is None
    decoder.close()
    got = decoder.next_chunk()
    assert got is not None
    assert got.to_dict() == chunk("a")
    assert not decoder.done  # the server never said [DONE]: cut off, or a server without it


@pytest.mark.parametrize("kind", [str, bytes, bytearray])
def test_chunk_decoder_takes_lines_without_line_ends(kind: Any) -> None:
    lines = ["data: " + json.dumps(chunk("a")), "", ": ping", "", "data: [DONE]", ""]
    decoder = cc.ChunkDecoder(lines=True)
    got = []
    for line in lines:
        decoder.receive_data(kind(line, "utf-8") if kind is not str else line)
        c = decoder.next_chunk()
        if c is not None:
            got.append(c.to_dict())
    assert got == [chunk("a")]
    assert decoder.done
    assert [c.to_dict() for c in cc.iter_chunks(lines, lines=True)] == [chunk("a")]
    with pytest.raises(ValidationError, match="got `int`"):
        cc.ChunkDecoder(lines=True).receive_data(5)  # type: ignore[arg-type]


def test_chunk_decoder_goes_on_after_a_bad_chunk() -> None:
    """After a ValidationError, the next call goes on with the following event."""
    decoder = cc.ChunkDecoder()
    decoder.receive_data(sse([chunk("a"), chunk(5), chunk("c")]))
    assert decoder.next_chunk().to_dict() == chunk("a")  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as info:
        decoder.next_chunk()
    assert (info.value.event, info.value.path) == (2, "$.choices[0].delta.content")
    assert decoder.next_chunk().to_dict() == chunk("c")  # type: ignore[union-attr]
    found: List[ValidationError] = []
    lenient = cc.ChunkDecoder(problems=found)
    lenient.receive_data(sse([chunk("a"), chunk(5)], done=False) + "data: {oops\n\n"
                         + sse([chunk("c")]))
    got = []
    while (c := lenient.next_chunk()) is not None:
        got.append(c.to_dict())
    assert got == [chunk("a"), chunk(5), chunk("c")]  # the misfit kept, the non-chunk skipped
    assert [(p.event, p.path) for p in found if not p.conformance] == [
        (2, "$.choices[0].delta.content"), (3, "$")]


def test_async_reader_flushes_the_last_event_at_the_end_of_the_source() -> None:
    body = sse([chunk("a")], done=False) + "data: " + json.dumps(chunk("b"))  # no line end
    assert aread(pieces(body, 7)) == ([chunk("a"), chunk("b")], None)
    assert read(pieces(body, 7)) == ([chunk("a"), chunk("b")], None)


def test_a_null_choices_reads_as_an_empty_list_and_is_written_back() -> None:
    """TGI's usage chunk has `choices: null`."""
    d = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": None, "usage": {"prompt_tokens": 1, "completion_tokens": 2,
                                    "total_tokens": 3}}
    c = Chunk.from_dict(copy.deepcopy(d))
    assert c.choices == []
    assert c.to_dict() == d
    assert Chunk.from_json(c.to_json()) == c
    assert c != Chunk.from_dict({**d, "choices": []})
    r = cc.accumulate([Chunk.from_dict(chunk("a")), c])
    assert r.usage is not None
    assert r.usage.total_tokens == 3
    assert r.choices[0].message.content == "a"
    with pytest.raises(ValidationError) as info:  # a response's choices may not be null
        cc.ChatCompletion.from_dict({"choices": None})
    assert (info.value.path, info.value.found) == ("$.choices", "null")
