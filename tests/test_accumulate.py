# SPDX-License-Identifier: MIT
"""The accumulator: chunks in, the response the request returns without streaming out.

Captured streams are parsed here by the oracle in tests/streamgen.py (not by the reader,
which test_stream.py covers), so these tests see the accumulator alone.
"""
from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any, Dict, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings

from tests import cc
from tests.helpers import containers, count_calls, ids
from tests.streamgen import STREAM_NAMES, reference, stream_path, streamed_responses

Chunk = cc.CreateChatCompletionStreamResponse
Response = cc.CreateChatCompletionResponse
Json = Dict[str, Any]


def captured(name: str) -> List[Any]:
    """The chunk objects of a captured stream (up to its error event, if any)."""
    return [Chunk.from_dict(d) for d in reference(stream_path(name)).chunks]


def assembled(name: str) -> Response:
    return cc.accumulate(captured(name))


def ch(*choices: Json, **top: Any) -> Any:
    """A chunk with the given choice objects and top-level keys."""
    d: Json = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
               "model": "m", "choices": list(choices)}
    d.update(top)
    return Chunk.from_dict(d)


def dl(index: int = 0, finish_reason: Any = "absent", **delta: Any) -> Json:
    """A choice object carrying the given delta keys."""
    c: Json = {"index": index, "delta": delta}
    if finish_reason != "absent":
        c["finish_reason"] = finish_reason
    return c


def tc(**frag: Any) -> Json:
    """A tool-call fragment: index/id/type as given, name/arguments into function."""
    function = {k: frag.pop(k) for k in ("name", "arguments") if k in frag}
    if function:
        frag["function"] = function
    return frag


def run(*chunks: Any) -> Json:
    return cc.accumulate(chunks).to_dict()


def msg(result: Json, i: int = 0) -> Json:
    return result["choices"][i]["message"]


def calls(result: Json, i: int = 0) -> List[Tuple[Any, ...]]:
    """(id, type, name, arguments) of each tool call of choice i."""
    return [(c["id"], c.get("type"), c["function"]["name"], c["function"]["arguments"])
            for c in msg(result, i).get("tool_calls", [])]


# -- every captured stream ----------------------------------------------------------------


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_assembled_response_round_trips(name: str) -> None:
    r = assembled(name)
    assert type(r) is Response
    assert r.object == "chat.completion"
    d = r.to_dict()
    assert Response.from_dict(copy.deepcopy(d)).to_dict() == d
    assert Response.from_json(r.to_json()) == r
    assert "obfuscation" not in r.to_json()
    acc = cc.ChatCompletionAccumulator()
    for c in captured(name):
        acc.add(c)
    assert acc.result() == r
    assert cc.accumulate(iter(captured(name))) == r  # any iterable, a generator too


@pytest.mark.parametrize("name", STREAM_NAMES)
def test_head_fields_come_from_the_first_non_empty_value(name: str) -> None:
    chunks = reference(stream_path(name)).chunks
    r = assembled(name)
    for key in ("id", "model", "created"):
        values = [c[key] for c in chunks if key in c]
        if not values:  # Gemini sends no id: none is invented
            assert getattr(r, key) is None
            assert key not in r.to_dict()
            continue
        assert getattr(r, key) == next((v for v in values if v), values[0]), key


def test_anthropic_compat_sparse_index_stream() -> None:
    assert assembled("anthropic_compat_tool_call_sparse_index").to_dict() == {
        "id": "msg_sanitized", "object": "chat.completion", "created": 0,
        "model": "claude-haiku-4-5-20251001",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": "Reading it.",
            "tool_calls": [{"id": "toolu_sanitized", "type": "function", "function": {
                "name": "read_file", "arguments": '{"path": "a.txt"}'}}],
        }}],
    }
    (call,) = assembled("anthropic_compat_tool_call_sparse_index").choices[0].message.tool_calls
    assert type(call) is cc.ChatCompletionMessageToolCall
    assert (call.id, call.type, call.function.name, call.function.arguments) == (
        "toolu_sanitized", "function", "read_file", '{"path": "a.txt"}')


AZURE_SAFE = {k: {"filtered": False, "severity": "safe"}
              for k in ("hate", "self_harm", "sexual", "violence")}


def test_azure_empty_first_chunk_does_not_win() -> None:
    r = assembled("azure_gpt35_prompt_filter_stream")
    assert r.to_dict() == {
        "id": "chatcmpl-9HpbaAXyt0cAnlWvI8kUAFpZt5jyQ", "object": "chat.completion",
        "created": 1714036974, "model": "gpt-35-turbo", "system_fingerprint": None,
        "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": AZURE_SAFE}],
        "choices": [{
            "index": 0, "finish_reason": "stop", "logprobs": None,
            "content_filter_results": AZURE_SAFE,  # the trailing {} does not erase it
            "message": {"role": "assistant", "content": (
                "Why did the Opentelemetry developer bring a ladder to the coding competition?"
                " \n\nBecause they wanted to reach new traces!")},
        }],
    }


DEEPSEEK_USAGE = {
    "prompt_tokens": 18, "completion_tokens": 219, "total_tokens": 237,
    "prompt_tokens_details": {"cached_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 205},
    "prompt_cache_hit_tokens": 0, "prompt_cache_miss_tokens": 18,
}


def test_deepseek_reasoning_content_is_concatenated() -> None:
    chunks = reference(stream_path("deepseek_reasoner_reasoning")).chunks
    expected = "".join(c["choices"][0]["delta"]["reasoning_content"] or "" for c in chunks)
    assert len(expected) == 606
    r = assembled("deepseek_reasoner_reasoning")
    m = r.choices[0].message
    assert m.extra["reasoning_content"] == expected
    assert m.reasoning_text == expected
    assert m.reasoning_text.startswith('We need to count the number of the letter "r" in the')
    assert m.reasoning_text.endswith("So yes, 3.\n\nThus, the answer is 3.")
    assert m.content == 'The word "strawberry" contains three "r"s.'
    assert (r.choices[0].finish_reason, r.choices[0].logprobs) == ("stop", None)
    assert r.usage.to_dict() == DEEPSEEK_USAGE
    assert (r.id, r.model, r.created, r.system_fingerprint) == (
        "cac7192e-e619-40c6-96b0-ed4276bc03ac", "deepseek-reasoner", 1764661832,
        "fp_eaab8d114b_prod0820_fp8_kvcache")


GROQ_REASONING = (
    'We need to call the tool with invalid parameters first, then second call with valid args.'
    ' The user wants us to test error handling. So first call should have wrong parameters'
    ' (e.g., missing required "name" or extra param). The tool expects only "name". If we send'
    ' extra property, that might cause error. Or missing "name". We\'ll do a call with missing'
    ' name: {}. Then second call with name: "test". Let\'s do that.'
)


def check_groq(r: Response) -> None:
    assert (r.id, r.model, r.created, r.system_fingerprint) == (
        "chatcmpl-4f39f3af-3267-4ac1-a0cf-6aa7451877dc", "openai/gpt-oss-120b", 1771434740,
        "fp_e8236260a9")
    assert r.extra == {"x_groq": {"id": "req_01khrvt2r6e9rb7e8qsg86ywkw", "seed": 27718886}}
    (choice,) = r.choices
    assert (choice.index, choice.finish_reason, choice.logprobs) == (0, None, None)
    m = choice.message
    assert (m.role, m.content, m.tool_calls) == ("assistant", "", None)
    assert m.extra == {"reasoning": GROQ_REASONING, "channel": "analysis"}
    assert m.reasoning_text == GROQ_REASONING
    assert r.usage is None


def test_groq_channel_stays_a_label() -> None:
    check_groq(assembled("groq_stream_tool_use_failed_error"))


def feed(acc: Any, chunks: Any) -> None:
    for c in chunks:
        acc.add(c)


def test_groq_partial_result_after_stream_error() -> None:
    acc = cc.ChatCompletionAccumulator()
    body = stream_path("groq_stream_tool_use_failed_error").read_bytes()
    source = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    with pytest.raises(cc.StreamError) as info:
        feed(acc, cc.iter_chunks(source))
    assert info.value.error["code"] == "tool_use_failed"
    check_groq(acc.result())
    assert acc.result() == assembled("groq_stream_tool_use_failed_error")


def test_mistral_tool_call_without_index_or_type() -> None:
    assert assembled("mistral_small_tool_call").to_dict() == {
        "id": "b3999b8c93e04e11bcbff7bcab829667", "object": "chat.completion",
        "created": 1769088854, "model": "mistral-small-latest",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": None, "message": {
            "role": "assistant", "content": "",  # the later null does not erase ""
            "tool_calls": [{"id": "gSIMJiOkT", "function": {
                "name": "weather", "arguments": '{"location": "San Francisco"}'}}],
        }}],
        "usage": {"prompt_tokens": 124, "total_tokens": 146, "completion_tokens": 22},
    }
    call = assembled("mistral_small_tool_call").choices[0].message.tool_calls[0]
    assert call.type is None


def test_ollama_role_in_every_delta() -> None:
    assert assembled("ollama_qwen25_stream").to_dict() == {
        "id": "chatcmpl-702", "object": "chat.completion", "created": 1731311782,
        "model": "qwen2.5:0.5b", "system_fingerprint": "fp_ollama",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "Atlantic Sea."}}],
    }


N2_CONTENTS = [
    ("I'm unable to provide real-time weather updates. To get the latest weather information"
    " for Seattle and San Francisco, I recommend checking a reliable weather website or using"
    " a weather app. You can also ask a voice assistant or search online for the current"
    " weather conditions."),
    ("I'm unable to provide real-time weather updates as my capabilities do not include"
    " accessing live data. However, you can easily check the current weather in Seattle and"
    " San Francisco using a weather website, app, or service. Would you like some tips on"
    " where to find this information?"),
]


def test_n2_interleaved_choices() -> None:
    order = [c["index"] for d in reference(stream_path("openai_gpt4omini_n2_choices")).chunks
             for c in d["choices"]]
    assert order != sorted(order)  # the stream really interleaves them
    assert assembled("openai_gpt4omini_n2_choices").to_dict() == {
        "id": "chatcmpl-ASYMaNc7XmbGRUNREnmvhyyISBHsv", "object": "chat.completion",
        "created": 1731368640, "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_0ba0d124f1",
        "choices": [
            {"index": i, "finish_reason": "stop", "logprobs": None,
             "message": {"role": "assistant", "content": text, "refusal": None}}
            for i, text in enumerate(N2_CONTENTS)
        ],
        "usage": {
            "prompt_tokens": 26, "completion_tokens": 104, "total_tokens": 130,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0,
                                          "rejected_prediction_tokens": 0},
        },
    }


def test_legacy_function_call() -> None:
    r = assembled("openai_legacy_function_call")
    assert r.to_dict() == {
        "id": "chatcmpl-8waNET2jegFyrhdKCchfPE5LYJjf1", "object": "chat.completion",
        "created": 1708973536, "model": "gpt-3.5-turbo-0125", "system_fingerprint": "fp_86156a94a0",
        "choices": [{"index": 0, "finish_reason": "function_call", "logprobs": None, "message": {
            "role": "assistant", "content": None,
            "function_call": {"name": "extract_student_info", "arguments": (
                '{"name":"David Nguyen","major":"Computer Science","school":"Stanford University",'
                '"grades":3.8,"clubs":["Chess Club","South Asian Student Association"]}')},
        }}],
    }
    fc = r.choices[0].message.function_call
    assert type(fc) is cc.Function
    assert json.loads(fc.arguments)["grades"] == 3.8


def test_parallel_tool_calls_in_index_order() -> None:
    r = assembled("openai_parallel_tool_calls")
    assert r.to_dict() == {
        "id": "chatcmpl-DPTOvF5JuGlXgYrrfyNsKaLXC8lPH", "object": "chat.completion",
        "created": 1774963589, "model": "gpt-3.5-turbo-0125", "service_tier": "default",
        "system_fingerprint": None,
        "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": None, "message": {
            "role": "assistant", "content": None, "tool_calls": [
                {"id": "call_u0T52evs3Y0byXDiUv5Al8dG", "type": "function", "function": {
                    "name": "get_current_weather", "arguments": '{"location": "San Francisco"}'}},
                {"id": "call_iXfR9wmFaDTHUw5YaVxD1uFH", "type": "function", "function": {
                    "name": "get_current_weather", "arguments": '{"location": "Boston"}'}},
            ],
        }}],
    }
    assert "obfuscation" not in json.dumps(r.to_dict())


def test_tool_call_with_final_usage_chunk() -> None:
    assert assembled("openai_tool_call_include_usage").to_dict() == {
        "id": "chatcmpl-Dx0XpqH8w09uBXwq1zFGYdETjtnEl", "object": "chat.completion",
        "created": 1782955817, "model": "gpt-4o-mini-2024-07-18", "service_tier": "default",
        "system_fingerprint": "fp_d0469e1700",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "logprobs": None, "message": {
            "role": "assistant", "content": None, "refusal": None, "tool_calls": [
                {"id": "call_ZR5UUuTt3pf61kjwAJIYdVMj", "type": "function", "function": {
                    "name": "get_capital", "arguments": '{"country":"UK"}'}}],
        }}],
        "usage": {
            "prompt_tokens": 53, "completion_tokens": 15, "total_tokens": 68,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0,
                                          "rejected_prediction_tokens": 0},
        },
    }


def test_openrouter_annotations_are_extended() -> None:
    chunks = reference(stream_path("openrouter_web_search_annotations")).chunks
    sent = [a for c in chunks for a in c["choices"][0]["delta"].get("annotations", [])]
    assert len(sent) == 5
    r = assembled("openrouter_web_search_annotations")
    assert (r.id, r.model, r.created, r.service_tier) == (
        "gen-1786680764-gY2YTdjLLLQA6Cd1Wa6J", "deepseek/deepseek-chat", 1786680764, None)
    assert r.extra == {"provider": "OpenAI"}
    assert r.usage.to_dict() == chunks[-1]["usage"]
    assert r.usage.to_dict()["cost"] == 0.0076509169000000005
    (choice,) = r.choices
    assert choice.finish_reason == "stop"
    assert choice.extra == {"native_finish_reason": "stop"}
    assert "logprobs" not in choice.to_dict()
    m = choice.message
    assert m.content == ("The URL for Pydantic AI's GitHub repository is:  \n\n"
                         "https://github.com/pydantic/pydantic-ai")
    assert all(type(a) is cc.Annotation for a in m.annotations)
    assert [a.to_dict() for a in m.annotations] == sent
    assert [a.url_citation.url for a in m.annotations] == [
        "https://github.com/pydantic/pydantic-ai",
        "https://pydantic.dev/pydantic-ai",
        "https://github.com/pydantic/pydantic-ai/releases/tag/v2.0.0",
        "https://pydantic.dev/docs/ai/overview/",
        "https://github.com/pydantic/pydantic-ai/tree/refs/tags/v1.44.0",
    ]
    assert m.annotations[0].url_citation.title == "AI Agent Framework, the Pydantic way - GitHub"
    assert "\U0001f389 Pydantic AI V2.0 is here!" in m.annotations[2].url_citation.extra["content"]
    assert m.extra == {}


PERPLEXITY_CITATIONS = [
    "https://populationstat.com/united-states/san-francisco",
    "https://en.wikipedia.org/wiki/San_Francisco",
    "https://fred.stlouisfed.org/graph/?g=4K5j",
    "https://www.california-demographics.com/cities_by_population",
    "https://worldpopulationreview.com/us-cities/california/san-francisco",
    "https://worldpopulationreview.com/us-counties/california/san-francisco-county",
    "https://www.worldometers.info/world-population/us-population/",
]


def test_perplexity_citations_not_duplicated_and_last_usage() -> None:
    assert assembled("perplexity_sonar_citations").to_dict() == {
        "id": "58cb9740-f356-49e9-b71e-a02a1376c1b9", "object": "chat.completion",
        "created": 1770768240,  # the first chunk's; later chunks say 1770768244
        "model": "sonar",
        "citations": PERPLEXITY_CITATIONS,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": "The current population of **[2][3]"}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 336, "total_tokens": 346},
    }


def test_vllm_stop_reason_kept() -> None:
    r = assembled("vllm_llama32_stream")
    assert r.to_dict() == {
        "id": "chat-22c24755532348e6b6ff75297b1a71b3", "object": "chat.completion",
        "created": 1729072360, "model": "facebook/opt-125m",
        "choices": [{"index": 0, "finish_reason": "length", "logprobs": None,
                     "stop_reason": None, "message": {
                         "role": "assistant",
                         "content": "<|im_end|>doctor\n<|im_end|>supervisor\n<"}}],
    }
    assert r.choices[0].extra == {"stop_reason": None}


# -- the merge rules, one by one -------------------------------------------------------------


def test_role_content_refusal() -> None:
    r = run(
        ch(dl(role="", content="")),
        ch(dl(role="assistant", content="Hel", refusal="I can")),
        ch(dl(role="assistant", content="lo")),
        ch(dl(content="", refusal="'t")),
        ch(dl(role="tool", content=" world")),
    )
    assert msg(r) == {"role": "assistant", "content": "Hello world", "refusal": "I can't"}


def test_finish_reason_is_the_last_non_null() -> None:
    r = run(ch(dl(finish_reason=None)), ch(dl(finish_reason="length")),
            ch(dl(finish_reason=None)), ch({"index": 0}))
    assert r["choices"][0]["finish_reason"] == "length"
    r = run(ch(dl(finish_reason="content_filter")), ch(dl(finish_reason="stop")),
            ch(dl(finish_reason=None)))
    assert r["choices"][0]["finish_reason"] == "stop"


def token(t: str) -> Json:
    return {"token": t, "logprob": -0.5, "bytes": list(t.encode()), "top_logprobs": []}


def test_logprobs_lists_are_extended() -> None:
    r = run(
        ch({"index": 0, "delta": {"content": "a"}, "logprobs": None}),
        ch({"index": 0, "delta": {"content": "b"},
            "logprobs": {"content": [token("b")], "refusal": None}}),
        ch({"index": 0, "delta": {"content": "cd"},
            "logprobs": {"content": [token("c"), token("d")], "refusal": None}}),
        ch({"index": 0, "delta": {"refusal": "no"},
            "logprobs": {"content": None, "refusal": [token("no")]}}),
        ch({"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}),
    )
    assert r["choices"][0]["logprobs"] == {
        "content": [token("b"), token("c"), token("d")], "refusal": [token("no")]}
    assert msg(r)["content"] == "abcd"
    result = cc.accumulate([ch({"index": 0, "delta": {"content": "b"},
                                "logprobs": {"content": [token("b")], "refusal": None}})])
    assert type(result.choices[0].logprobs.content[0]) is cc.ChatCompletionTokenLogprob


def test_tool_calls_by_index_interleaved() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=0, id="call_a", type="function", name="f", arguments="")])),
        ch(dl(tool_calls=[tc(index=1, id="call_b", type="function", name="g", arguments="{")])),
        ch(dl(tool_calls=[tc(index=0, arguments='{"x"')])),
        ch(dl(tool_calls=[tc(index=1, arguments="}"), tc(index=0, arguments=": 1}")])),
    )
    assert calls(r) == [("call_a", "function", "f", '{"x": 1}'),
                        ("call_b", "function", "g", "{}")]


def test_tool_calls_listed_in_the_order_of_their_first_fragment_without_inventing() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=3, id="c3", type="function", name="h", arguments="3")])),
        ch(dl(tool_calls=[tc(index=1, id="c1", type="function", name="f", arguments="1")])),
        ch(dl(tool_calls=[tc(index=3, arguments="3")])),
    )
    assert calls(r) == [("c3", "function", "h", "33"), ("c1", "function", "f", "1")]


def test_tool_calls_stream_starting_at_index_1() -> None:
    r = run(
        ch(dl(content="Reading it.")),
        ch(dl(tool_calls=[tc(index=1, id="toolu_1", type="function", name="read",
                             arguments="")])),
        ch(dl(tool_calls=[tc(index=1, arguments="")])),
        ch(dl(tool_calls=[tc(index=1, arguments='{"p": 1}')])),
    )
    assert calls(r) == [("toolu_1", "function", "read", '{"p": 1}')]


def test_tool_call_labels_from_the_first_non_empty_fragment() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=0, id="", type="", name="", arguments="{")])),
        ch(dl(tool_calls=[tc(index=0, id="call_1", type="function", name="lookup",
                             arguments='"q"')])),
        ch(dl(tool_calls=[tc(index=0, id=None, type=None, name=None, arguments=None)])),
        ch(dl(tool_calls=[tc(index=0, id="call_1", type="custom", name="renamed",
                             arguments=":1}")])),
    )
    assert calls(r) == [("call_1", "function", "lookup", '{"q":1}')]


def test_tool_call_fragments_matched_by_id_without_index() -> None:
    r = run(
        ch(dl(tool_calls=[tc(id="a", type="function", name="f", arguments="{")])),
        ch(dl(tool_calls=[tc(id="b", type="function", name="g", arguments="[")])),
        ch(dl(tool_calls=[tc(id="a", arguments="}")])),
        ch(dl(tool_calls=[tc(id="b", arguments="]")])),
    )
    assert calls(r) == [("a", "function", "f", "{}"), ("b", "function", "g", "[]")]


def test_tool_call_fragment_with_neither_continues_the_last_call() -> None:
    r = run(
        ch(dl(tool_calls=[tc(id="a", name="f", arguments="{")])),
        ch(dl(tool_calls=[tc(arguments="}")])),
        ch(dl(tool_calls=[tc(id="b", name="g", arguments="[")])),
        ch(dl(tool_calls=[tc(arguments="1")])),
        ch(dl(tool_calls=[tc(arguments="]")])),
    )
    assert calls(r) == [("a", None, "f", "{}"), ("b", None, "g", "[1]")]
    r = run(ch(dl(tool_calls=[tc(index=0, id="a", name="f", arguments="{")])),
            ch(dl(tool_calls=[tc(arguments="}")])))
    assert calls(r) == [("a", None, "f", "{}")]


def test_two_calls_sharing_index_0_with_distinct_ids() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=0, id="a", type="function", name="f", arguments='{"x"')])),
        ch(dl(tool_calls=[tc(index=0, arguments=":1}")])),
        ch(dl(tool_calls=[tc(index=0, id="b", type="function", name="g", arguments="{")])),
        ch(dl(tool_calls=[tc(index=0, arguments="}")])),
    )
    assert calls(r) == [("a", "function", "f", '{"x":1}'), ("b", "function", "g", "{}")]


def test_shared_index_fragment_repeating_an_earlier_id_goes_to_that_call() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=0, id="a", type="function", name="f", arguments="{")])),
        ch(dl(tool_calls=[tc(index=0, id="b", type="function", name="g", arguments="[")])),
        ch(dl(tool_calls=[tc(index=0, id="a", arguments="}")])),
        ch(dl(tool_calls=[tc(index=0, id="b", arguments="]")])),
    )
    assert calls(r) == [("a", "function", "f", "{}"), ("b", "function", "g", "[]")]


def test_legacy_function_call_fragments() -> None:
    r = run(
        ch(dl(role="assistant", content=None, function_call={"name": "f", "arguments": ""})),
        ch(dl(function_call={"arguments": '{"a"'})),
        ch(dl(function_call={"name": None, "arguments": None})),
        ch(dl(function_call={"name": "", "arguments": ": 1"})),
        ch(dl(function_call={"name": "g", "arguments": "}"})),
        ch(dl(finish_reason="function_call")),
    )
    assert msg(r) == {"role": "assistant", "content": None,
                      "function_call": {"name": "f", "arguments": '{"a": 1}'}}
    assert r["choices"][0]["finish_reason"] == "function_call"


def test_tool_call_unknown_keys_are_kept() -> None:
    r = run(
        ch(dl(tool_calls=[{"index": 0, "id": "c", "type": "function",
                           "extra_content": {"google": {"thought_signature": "sig"}},
                           "function": {"name": "f", "arguments": "{", "strict": True}}])),
        ch(dl(tool_calls=[{"index": 0, "function": {"arguments": "}"}}])),
    )
    assert msg(r)["tool_calls"] == [{
        "id": "c", "type": "function", "extra_content": {"google": {"thought_signature": "sig"}},
        "function": {"name": "f", "arguments": "{}", "strict": True}}]


def test_tool_call_fragment_without_function_then_with_one() -> None:
    # The first fragment names the call but carries no `function`; the next one does.
    response = cc.accumulate([
        ch(dl(role="assistant", tool_calls=[{"index": 0, "id": "call_1", "type": "function"}])),
        ch(dl(tool_calls=[{"index": 0, "function": {"name": "get_weather",
                                                    "arguments": '{"city":'}}])),
        ch(dl(tool_calls=[{"index": 0, "function": {"arguments": '"Paris"}'}}])),
        ch(dl(finish_reason="tool_calls")),
    ])
    (call,) = response.choices[0].message.tool_calls
    assert call.to_dict() == {
        "id": "call_1", "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
    }
    assert response.choices[0].finish_reason == "tool_calls"


def test_custom_tool_call_has_no_function_key() -> None:
    # A custom tool's call never carries `function`: the assembled call must not invent one.
    custom = {"name": "apply_patch", "input": "*** Begin Patch"}
    response = cc.accumulate([
        ch(dl(tool_calls=[{"index": 0, "id": "call_c", "type": "custom", "custom": custom}])),
        ch(dl(finish_reason="tool_calls")),
    ])
    (call,) = response.choices[0].message.tool_calls
    assert call.function is None
    assert type(call.custom) is cc.Custom
    assert (call.custom.name, call.custom.input) == ("apply_patch", "*** Begin Patch")
    assert call.to_dict() == {"id": "call_c", "type": "custom", "custom": custom}
    assert call.kind == "custom"


def test_function_call_extras_are_merged() -> None:
    # Unknown keys inside the legacy `function_call` merge like any extra: objects merge
    # key by key, a later non-null scalar replaces, a null never erases.
    response = cc.accumulate([
        ch(dl(function_call={"name": "f", "arguments": '{"a"', "meta": {"x": 1}, "tag": "one"})),
        ch(dl(function_call={"arguments": ":1}", "meta": {"y": 2}, "tag": "two"})),
        ch(dl(function_call={"arguments": "", "tag": None})),
    ])
    fc = response.choices[0].message.function_call
    assert (fc.name, fc.arguments) == ("f", '{"a":1}')
    assert fc.extra == {"meta": {"x": 1, "y": 2}, "tag": "two"}
    assert msg(response.to_dict())["function_call"] == {
        "meta": {"x": 1, "y": 2}, "tag": "two", "name": "f", "arguments": '{"a":1}',
    }
    fc = cc.accumulate([ch(dl(function_call={"name": "f", "arguments": "{}"}))]
                       ).choices[0].message.function_call
    assert (fc.name, fc.arguments, fc.extra) == ("f", "{}", {})


def test_chunk_moderation_is_merged_into_the_response() -> None:
    # Chunk-level `moderation` (input verdict first, output verdict at the end) merges.
    response = cc.accumulate([
        ch(dl(role="assistant", content="Hi"),
           moderation={"input": {"flagged": False, "categories": {"hate": False}}}),
        ch(dl(content="!")),
        ch(dl(finish_reason="stop"), moderation={"output": {"flagged": True}}),
    ])
    assert response.moderation == {
        "input": {"flagged": False, "categories": {"hate": False}},
        "output": {"flagged": True},
    }
    assert response.to_dict()["moderation"] == response.moderation
    assert response.choices[0].message.content == "Hi!"
    response = cc.accumulate([ch(dl(content="x"))])
    assert response.moderation is None
    assert "moderation" not in response.to_dict()


def test_audio_fragments() -> None:
    r = cc.accumulate([
        ch(dl(role="assistant", audio={"id": "audio_1", "data": "AAA", "transcript": "Hel"})),
        ch(dl(audio={"data": "BBB", "transcript": "lo"})),
        ch(dl(audio={"expires_at": 1700000000, "data": None, "transcript": None})),
    ])
    audio = r.choices[0].message.audio
    assert type(audio) is cc.ChatCompletionAudio
    assert (audio.id, audio.data, audio.transcript, audio.expires_at) == (
        "audio_1", "AAABBB", "Hello", 1700000000)
    audio = cc.accumulate([
        ch(dl(role="assistant", audio={"id": "audio_1", "transcript": "Hel"})),
        ch(dl(audio={"data": "AAAA", "transcript": "lo"})),
        ch(dl(audio={"data": "BBBB", "expires_at": 1700000000})),
    ]).choices[0].message.audio
    assert audio is not None
    assert audio.to_dict() == {"id": "audio_1", "transcript": "Hello", "data": "AAAABBBB",
                               "expires_at": 1700000000}  # no key that no fragment had


USAGE_1 = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
USAGE_2 = {"prompt_tokens": 1, "completion_tokens": 5, "total_tokens": 6,
           "completion_tokens_details": {"reasoning_tokens": 3}, "cost": 0.5}


def test_usage_from_the_last_chunk_carrying_one() -> None:
    r = run(ch(dl(content="a"), usage=USAGE_1), ch(dl(content="b"), usage=None),
            ch(usage=USAGE_2), ch(dl(content="c")), ch(usage=None))
    assert r["usage"] == USAGE_2
    assert run(ch(dl(content="a"), usage=None))["usage"] is None  # only nulls came: null
    assert "usage" not in run(ch(dl(content="a")))  # no chunk had it: absent


def test_head_fields_first_non_empty_value() -> None:
    r = run(
        ch(id="", model="", created=0, object="", system_fingerprint=None),
        ch(dl(content="a"), id="chatcmpl-real", model="gpt", created=1700000000,
           system_fingerprint="fp_1", service_tier="default"),
        ch(dl(content="b"), id="chatcmpl-other", model="gpt-2", created=1700000009,
           system_fingerprint="fp_2", service_tier="flex"),
        ch(dl(content="c"), id="", model="", created=0, system_fingerprint=None,
           service_tier=None),
    )
    assert (r["id"], r["model"], r["created"], r["object"]) == (
        "chatcmpl-real", "gpt", 1700000000, "chat.completion")
    assert (r["system_fingerprint"], r["service_tier"]) == ("fp_1", "default")


def test_head_fields_without_any_non_empty_value_keep_the_first_seen() -> None:
    r = run(ch(dl(content="a"), id="", model="", created=0, system_fingerprint="",
               service_tier=None),
            ch(dl(content="b"), id="", model="", created=0, system_fingerprint=None,
               service_tier=""))
    assert (r["id"], r["model"], r["created"]) == ("", "", 0)
    assert (r["system_fingerprint"], r["service_tier"]) == ("", None)
    r = run(ch(dl(content="a")))
    assert "system_fingerprint" not in r
    assert "service_tier" not in r


def null_chunk() -> Any:
    """A chunk holding a null for every key the chunks of full_stream() carry."""
    return ch(
        {"index": 0, "finish_reason": None, "logprobs": None, "native_finish_reason": None,
         "content_filter_results": None, "stop_reason": None,
         "delta": {"role": None, "content": None, "refusal": None, "function_call": None,
                   "audio": None, "reasoning_content": None, "reasoning": None,
                   "channel": None, "annotations": None, "reasoning_details": None,
                   "tool_calls": [{"index": 0, "id": None, "type": None,
                                   "function": {"name": None, "arguments": None}}]}},
        id="", model="", created=0, system_fingerprint=None, service_tier=None, usage=None,
        provider=None, x_groq=None, citations=None,
    )


def full_stream() -> List[Any]:
    annotation = {"type": "url_citation", "url_citation": {
        "url": "https://a.example", "title": "A", "start_index": 0, "end_index": 1}}
    return [
        ch({"index": 0, "finish_reason": None, "native_finish_reason": "x",
            "content_filter_results": {"hate": {"filtered": False}},
            "delta": {"role": "assistant", "content": "Hi", "refusal": "No",
                      "reasoning_content": "think", "reasoning": "hm", "channel": "analysis",
                      "annotations": [annotation],
                      "reasoning_details": [{"type": "reasoning.text", "text": "a",
                                             "index": 0}],
                      "tool_calls": [tc(index=0, id="c", type="function", name="f",
                                        arguments="{")]},
            "logprobs": {"content": [token("Hi")], "refusal": None}},
           system_fingerprint="fp", service_tier="default", provider="P",
           x_groq={"id": "req"}, citations=["u"]),
        ch({"index": 0, "finish_reason": "stop", "stop_reason": 7,
            "delta": {"content": "!", "reasoning_content": "ing",
                      "tool_calls": [tc(index=0, arguments="}")]}},
           usage=USAGE_1),
    ]


def test_a_null_never_erases_what_came_before() -> None:
    stream = full_stream()
    expected = cc.accumulate(stream).to_dict()
    with_nulls = [stream[0], null_chunk(), stream[1], null_chunk(), null_chunk()]
    # every value survives the nulls; the keys full_stream() never sent come as nulls
    assert "function_call" not in msg(expected)
    assert "audio" not in msg(expected)
    nulls_too = copy.deepcopy(expected)
    msg(nulls_too).update(function_call=None, audio=None)
    assert cc.accumulate(with_nulls).to_dict() == nulls_too
    m = msg(expected)
    assert (m["content"], m["refusal"], m["reasoning_content"], m["channel"]) == (
        "Hi!", "No", "thinking", "analysis")
    assert calls(expected) == [("c", "function", "f", "{}")]
    assert expected["choices"][0]["finish_reason"] == "stop"
    assert expected["choices"][0]["stop_reason"] == 7
    assert expected["usage"] == USAGE_1
    assert (expected["provider"], expected["x_groq"], expected["citations"]) == (
        "P", {"id": "req"}, ["u"])
    assert (expected["system_fingerprint"], expected["service_tier"]) == ("fp", "default")


def test_reasoning_text_is_concatenated() -> None:
    for key in ("reasoning_content", "reasoning"):
        r = cc.accumulate([ch(dl(**{key: "Let me"})), ch(dl(**{key: None})),
                           ch(dl(**{key: " think."}, content="Done"))])
        m = r.choices[0].message
        assert m.extra == {key: "Let me think."}
        assert m.reasoning_text == "Let me think."
        assert m.content == "Done"


def test_indexed_lists_merge_by_index() -> None:
    r = run(
        ch(dl(reasoning="Hel", reasoning_details=[
            {"type": "reasoning.text", "text": "Hel", "format": "anthropic-claude-v1",
             "index": 0}])),
        ch(dl(reasoning="lo", reasoning_details=[
            {"type": "reasoning.text", "text": "lo", "format": "anthropic-claude-v1",
             "index": 0}])),
        ch(dl(reasoning_details=[
            {"type": "reasoning.text", "signature": "sig", "index": 0},
            {"type": "reasoning.encrypted", "data": "abc", "id": None, "index": 1}])),
        ch(dl(reasoning_details=[{"type": "reasoning.encrypted", "data": "def", "id": "rs_1",
                                  "index": 1}])),
    )
    assert msg(r)["reasoning_details"] == [
        {"type": "reasoning.text", "text": "Hello", "format": "anthropic-claude-v1",
         "index": 0, "signature": "sig"},
        {"type": "reasoning.encrypted", "data": "abcdef", "id": "rs_1", "index": 1},
    ]
    assert msg(r)["reasoning"] == "Hello"


def test_groq_executed_tools_merge_by_index() -> None:
    r = run(
        ch(dl(executed_tools=[{"index": 1, "type": "search", "arguments": '{"q": "x"}'}])),
        ch(dl(executed_tools=[{"index": 0, "type": "python", "arguments": "1+1"}])),
        ch(dl(executed_tools=[{"index": 1, "output": "found",
                               "search_results": {"results": [{"url": "u"}]}}])),
    )
    assert msg(r)["executed_tools"] == [
        {"index": 0, "type": "python", "arguments": "1+1"},
        {"index": 1, "type": "search", "arguments": '{"q": "x"}', "output": "found",
         "search_results": {"results": [{"url": "u"}]}},
    ]


def test_other_lists_are_extended_but_a_repeated_whole_list_is_not() -> None:
    a = {"type": "url_citation", "url_citation": {"url": "https://a", "title": "A",
                                                  "start_index": 0, "end_index": 1}}
    b = {"type": "url_citation", "url_citation": {"url": "https://b", "title": "B",
                                                  "start_index": 2, "end_index": 3}}
    r = cc.accumulate([
        ch(dl(annotations=[a], content="x"), citations=["u1", "u2"], search_results=[1]),
        ch(dl(annotations=[b], content="y"), citations=["u1", "u2"], search_results=[2, 3]),
        ch(dl(content="z"), citations=["u1", "u2"]),
    ])
    assert [x.to_dict() for x in r.choices[0].message.annotations] == [a, b]
    assert all(type(x) is cc.Annotation for x in r.choices[0].message.annotations)
    assert r.extra["citations"] == ["u1", "u2"]
    assert r.extra["search_results"] == [1, 2, 3]
    choice_lists = run(ch({"index": 0, "delta": {}, "notes": ["a"]}),
                       ch({"index": 0, "delta": {}, "notes": ["b", "c"]}))
    assert choice_lists["choices"][0]["notes"] == ["a", "b", "c"]


def test_objects_merge() -> None:
    r = run(
        ch(dl(content="a"), x_groq={"id": "req_1", "usage": {"queue_time": 0.1}}),
        ch(dl(content="b"), x_groq={"usage": {"total_time": 0.5}}),
        ch({"index": 0, "delta": {}, "content_filter_results": {}}),
        ch({"index": 0, "delta": {},
            "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}}}),
        ch({"index": 0, "delta": {},
            "content_filter_results": {"violence": {"filtered": False}}}),
    )
    assert r["x_groq"] == {"id": "req_1", "usage": {"queue_time": 0.1, "total_time": 0.5}}
    assert r["choices"][0]["content_filter_results"] == {
        "hate": {"filtered": False, "severity": "safe"}, "violence": {"filtered": False}}


def test_other_values_are_replaced_by_the_next_non_null() -> None:
    r = run(*[ch(dl(reasoning=w, channel="analysis")) for w in ("We", " need", " to")])
    assert (msg(r)["channel"], msg(r)["reasoning"]) == ("analysis", "We need to")
    r = run(
        ch({"index": 0, "delta": {"channel": "analysis"}, "native_finish_reason": None,
            "seq": 1, "done": False}, provider="A"),
        ch({"index": 0, "delta": {"channel": "final"}, "native_finish_reason": "stop",
            "seq": 2, "done": True}, provider="B"),
        ch({"index": 0, "delta": {"channel": None}, "native_finish_reason": None,
            "seq": None, "done": None}, provider=None),
    )
    assert msg(r)["channel"] == "final"
    choice = r["choices"][0]
    assert (choice["native_finish_reason"], choice["seq"], choice["done"]) == ("stop", 2, True)
    assert r["provider"] == "B"


def test_choice_level_message_is_not_merged() -> None:
    r = run(
        ch({"index": 0, "delta": {"role": "assistant", "content": "Hel"},
            "message": {"role": "assistant", "content": "Hel", "graph_data": {"sources": []}}}),
        ch({"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop",
            "message": {"role": "assistant", "content": "Hello", "graph_data": {"sources": []}}}),
    )
    assert r["choices"][0] == {"index": 0, "finish_reason": "stop",
                               "message": {"role": "assistant", "content": "Hello"}}


def test_obfuscation_is_dropped() -> None:
    r = cc.accumulate([ch(dl(content="a"), obfuscation="xyz"),
                       ch(dl(content="b"), obfuscation="pqrs")])
    assert "obfuscation" not in r.to_dict()
    assert "obfuscation" not in r.extra
    assert r.choices[0].message.content == "ab"


def test_result_is_a_snapshot() -> None:
    acc = cc.ChatCompletionAccumulator()
    acc.add(ch(dl(role="assistant", content="Hel", reasoning_content="a",
                  tool_calls=[tc(index=0, id="c", type="function", name="f", arguments="{")]),
               x_groq={"usage": {"n": 1}}, citations=["u"]))
    first = acc.result()
    saved = copy.deepcopy(first.to_dict())
    assert msg(saved)["content"] == "Hel"
    assert "finish_reason" not in saved["choices"][0]
    acc.add(ch(dl(content="lo", reasoning_content="b", finish_reason="stop",
                  tool_calls=[tc(index=0, arguments="}")]),
               x_groq={"usage": {"m": 2}}, citations=["u"], usage=USAGE_1))
    assert first.to_dict() == saved  # the earlier snapshot did not change
    second = acc.result()
    assert msg(second.to_dict())["content"] == "Hello"
    assert msg(second.to_dict())["reasoning_content"] == "ab"
    assert calls(second.to_dict()) == [("c", "function", "f", "{}")]
    assert second.extra == {"x_groq": {"usage": {"n": 1, "m": 2}}, "citations": ["u"]}
    # changing a snapshot changes neither the accumulator nor the next snapshot
    second.extra["x_groq"]["usage"]["n"] = 99
    second.extra["citations"].append("v")
    second.choices[0].message.tool_calls[0].function.arguments = "changed"
    second.usage.prompt_tokens = 1000
    third = acc.result()
    assert third.extra == {"x_groq": {"usage": {"n": 1, "m": 2}}, "citations": ["u"]}
    assert calls(third.to_dict()) == [("c", "function", "f", "{}")]
    assert third.usage.prompt_tokens == 1
    assert acc.result() == third


def test_empty_accumulator_result() -> None:
    acc = cc.ChatCompletionAccumulator()
    r = acc.result()
    assert r.choices == []
    assert (r.id, r.created, r.model, r.object) == (None, None, None, None)  # none invented
    assert r.to_dict() == {"choices": []}
    assert not acc.finished


def test_choices_interleaved_in_any_order() -> None:
    r = run(
        ch(dl(1, role="assistant", content="B1")),
        ch(dl(2, role="assistant", content="C1")),
        ch(dl(0, role="assistant", content="A1")),
        ch(dl(2, content="C2"), dl(0, content="A2")),
        ch(dl(1, content="B2", finish_reason="length")),
        ch(dl(0, finish_reason="stop"), dl(2, finish_reason="stop",
                                          tool_calls=[tc(index=0, id="t", name="f",
                                                         arguments="{}")])),
    )
    assert [(c["index"], c["finish_reason"], c["message"]["content"]) for c in r["choices"]] == [
        (0, "stop", "A1A2"), (1, "length", "B1B2"), (2, "stop", "C1C2")]
    assert calls(r, 2) == [("t", None, "f", "{}")]
    assert "tool_calls" not in msg(r, 0)
    assert "tool_calls" not in msg(r, 1)


def test_choice_indexes_are_not_invented() -> None:
    r = run(ch(dl(1, content="only one")))
    assert [(c["index"], c["message"]["content"]) for c in r["choices"]] == [(1, "only one")]


# -- cost, counted in function calls (see helpers.count_calls), never in seconds ---------------


def long_stream(n: int, *, objects: bool = False) -> List[Any]:
    """n chunks exercising every growing value: content, reasoning, arguments, an indexed
    list's text, a list sent whole each time, a per-chunk list, logprobs, a label, two
    choices; with ``objects``, also annotations and a list of objects extended each chunk."""
    chunks = [ch(dl(0, role="assistant", tool_calls=[
        tc(index=0, id="c", type="function", name="f", arguments="")]))]
    for i in range(n - 1):
        delta: Json = {"content": "w ", "reasoning_content": "r ",
                       "tool_calls": [tc(index=0, arguments="a")],
                       "reasoning_details": [{"type": "reasoning.text", "text": "t",
                                              "index": 0}]}
        if objects:
            delta["annotations"] = [{"type": "url_citation", "url_citation": {"url": "u"}}]
            delta["x_items"] = [{"n": i}]
        chunks.append(ch({"index": i % 2, "logprobs": {"content": [token("w")], "refusal": None},
                          "delta": delta, "token_ids": [i]},
                         citations=["u1", "u2", "u3"], channel="analysis"))
    return chunks


def result_after_every_chunk(chunks: List[Any]) -> int:
    """The calls that adding each chunk and taking result() after each one makes."""
    acc = cc.ChatCompletionAccumulator()

    def run() -> None:
        for c in chunks:
            acc.add(c)
            acc.result()

    return count_calls(run)


def test_accumulate_cost_is_linear() -> None:
    big = cc.accumulate(long_stream(4001))
    assert big.choices[1].message.tool_calls[0].function.arguments == "a" * 2000
    small_calls = count_calls(lambda: cc.accumulate(long_stream(500)))
    big_calls = count_calls(lambda: cc.accumulate(long_stream(1000)))
    assert big_calls < 2.2 * small_calls, (small_calls, big_calls)


def test_result_after_every_chunk_stays_linear() -> None:
    """result() may be called after each chunk (a UI showing the answer so far): its cost
    grows with what changed since the last call, so N chunks cost O(N) calls, not O(N^2)."""
    small, big = result_after_every_chunk(long_stream(200)), result_after_every_chunk(
        long_stream(400))
    assert big < 2.2 * small, (small, big)  # linear is 2.0x; quadratic would be about 4x


def test_result_after_every_chunk_stays_linear_with_annotations_and_object_lists() -> None:
    small = result_after_every_chunk(long_stream(100, objects=True))
    big = result_after_every_chunk(long_stream(200, objects=True))
    assert big < 2.5 * small, (small, big)


# -- property: any response, cut into chunks, accumulates back to itself ------------------------


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streamed_responses())
def test_split_response_accumulates_back(case: Tuple[Json, List[Json]]) -> None:
    response, chunk_dicts = case
    acc = cc.ChatCompletionAccumulator()
    for d in chunk_dicts:
        c = Chunk.from_dict(copy.deepcopy(d))
        assert c.to_dict() == d  # each chunk round-trips too
        acc.add(c)
    result = acc.result()
    assert result.to_dict() == response
    assert result == Response.from_dict(response)


# -- choices made where the requirements are silent ---------------------------------------


def test_a_growing_list_sent_whole_replaces_the_one_before() -> None:
    r = run(ch(dl(content="a"), citations=["x"]), ch(dl(content="b"), citations=["x", "y"]),
            ch(dl(content="c"), citations=["x", "y"]))
    assert r["citations"] == ["x", "y"]
    r = run(ch(dl(content="a"), citations=["x"]), ch(dl(content="b"), citations=["y"]))
    assert r["citations"] == ["x", "y"]


def test_status_in_indexed_items_is_replaced_not_concatenated() -> None:
    r = run(
        ch(dl(reasoning_details=[{"index": 0, "status": "in_progress", "text": "a"}])),
        ch(dl(reasoning_details=[{"index": 0, "status": "completed", "text": "b"}])),
    )
    assert msg(r)["reasoning_details"] == [{"index": 0, "status": "completed", "text": "ab"}]


def test_a_logprobs_object_with_null_lists_is_kept_as_an_object() -> None:
    c = {"index": 0, "delta": {"content": "a"}, "logprobs": {"content": None, "refusal": None}}
    assert run(ch(c))["choices"][0]["logprobs"] == {"content": None, "refusal": None}
    c_null = {"index": 0, "delta": {"content": "a"}, "logprobs": None}
    assert run(ch(c_null), ch(c))["choices"][0]["logprobs"] == {"content": None, "refusal": None}
    assert run(ch(c_null))["choices"][0]["logprobs"] is None
    assert "logprobs" not in run(ch(dl(content="a")))["choices"][0]


def test_content_is_present_when_a_delta_had_it() -> None:
    r = run(ch(dl(tool_calls=[tc(index=0, id="a", type="function", name="f", arguments="{}")])))
    assert "content" not in msg(r)  # as Mistral's message of tool calls only
    r = run(ch(dl(content=None, tool_calls=[tc(index=0, id="a", name="f", arguments="{}")])))
    assert msg(r)["content"] is None
    assert msg(run(ch(dl(content=""))))["content"] == ""


def test_unknown_fields_named_like_a_response_field_never_make_result_fail() -> None:
    # A delta's "annotations" that is not a list, a chunk's "metadata" that is not str -> str:
    # every chunk was valid, so the assembly must not fail; the misfits stay in `extra`,
    # as lenient reading keeps them, and the typed fields are None.
    result = cc.accumulate([
        ch(dl(content="a", annotations={"x": 1}), metadata={"k": 1}),
        ch(dl(content="b", tool_calls=[tc(index=0, id="c", name="f", arguments="{}")])),
    ])
    m = result.choices[0].message
    assert (m.annotations, m.extra) == (None, {"annotations": {"x": 1}})
    assert (result.metadata, result.extra) == (None, {"metadata": {"k": 1}})
    r = result.to_dict()
    assert msg(r)["content"] == "ab"
    assert msg(r)["annotations"] == {"x": 1}
    assert r["metadata"] == {"k": 1}
    assert calls(r) == [("c", None, "f", "{}")]
    # ... while fields that fit are kept, as OpenRouter's annotations are
    note = {"type": "url_citation", "url_citation": {"url": "u", "title": "t"}}
    r = run(ch(dl(content="a", annotations=[note]), metadata={"k": "v"}))
    assert msg(r)["annotations"] == [note]
    assert r["metadata"] == {"k": "v"}


def test_annotations_in_pieces_are_typed_until_one_does_not_fit() -> None:
    note = {"type": "url_citation", "url_citation": {"url": "u", "title": "t"}}
    acc = cc.ChatCompletionAccumulator()
    acc.add(ch(dl(content="a", annotations=[note])))
    first = acc.result().choices[0].message
    acc.add(ch(dl(content="b", annotations=[dict(note, x=1)])))
    second = acc.result().choices[0].message
    assert [a.to_dict() for a in second.annotations] == [note, dict(note, x=1)]
    assert len(first.annotations) == 1  # an earlier result does not grow
    assert "annotations" not in second.extra
    acc.add(ch(dl(content="c", annotations=[{"type": 5}])))
    acc.add(ch(dl(content="d", annotations=[note])))
    for m in (acc.result().choices[0].message, acc.result().choices[0].message):
        # one misfit: the whole list, as sent, stays in extra (as lenient reading keeps it)
        assert m.annotations is None
        assert m.extra["annotations"] == [note, dict(note, x=1), {"type": 5}, note]
    assert msg(acc.result().to_dict())["annotations"] == [note, dict(note, x=1), {"type": 5},
                                                          note]


def test_unknown_fields_of_a_chunk_logprobs_object_are_kept() -> None:
    token = {"token": "a", "logprob": -0.5, "bytes": [97], "top_logprobs": []}
    c = {"index": 0, "delta": {"content": "a"},
         "logprobs": {"content": [token], "refusal": None, "x_ids": [5]}}
    c2 = {"index": 0, "delta": {"content": "b"},
          "logprobs": {"content": [dict(token, token="b")], "refusal": None, "x_ids": [6]}}
    logprobs = run(ch(c), ch(c2))["choices"][0]["logprobs"]
    assert logprobs["x_ids"] == [5, 6]
    assert [t["token"] for t in logprobs["content"]] == ["a", "b"]


def test_per_chunk_lists_below_the_top_level_are_always_extended() -> None:
    # vLLM sends each chunk's token_ids on the choice: equal lists are not "repeats" there
    r = run(ch({"index": 0, "delta": {"content": "a"}, "token_ids": [7]}),
            ch({"index": 0, "delta": {"content": "a"}, "token_ids": [7]}),
            ch({"index": 0, "delta": {"content": "b"}, "token_ids": [7, 8]}))
    assert r["choices"][0]["token_ids"] == [7, 7, 7, 8]


def test_a_streamed_custom_tool_call_joins_its_input() -> None:
    r = run(
        ch(dl(tool_calls=[{"index": 0, "id": "c1", "type": "custom",
                           "custom": {"name": "grep", "input": "fo"}}])),
        ch(dl(tool_calls=[{"index": 0, "custom": {"input": "o"}}])),
        ch(dl(tool_calls=[{"index": 0, "custom": {"name": "grep", "input": " bar"}}])),
    )
    call = msg(r)["tool_calls"][0]
    assert call == {"id": "c1", "type": "custom", "custom": {"name": "grep", "input": "foo bar"}}
    resp = cc.accumulate([ch(dl(tool_calls=[{"index": 0, "id": "c1", "custom": {"input": "x"}}]))])
    assert resp.choices[0].message.tool_calls[0].custom == cc.Custom(input="x")


# -- regressions ------------------------------------------------------------------------------


def test_unknown_keys_after_a_known_one_in_a_tool_call_fragment_are_kept() -> None:
    r = cc.accumulate([
        ch(dl(tool_calls=[{"index": 0, "id": "c", "type": "function",
                           "function": {"name": "f", "arguments": "{", "strict": True},
                           "extra_content": {"google": {"thought_signature": "s"}}, "z": 1}])),
        ch(dl(tool_calls=[{"index": 0, "function": {"arguments": "}", "later": "x"},
                           "y": [1]}])),
    ])
    (call,) = r.choices[0].message.tool_calls
    assert call.extra == {"extra_content": {"google": {"thought_signature": "s"}}, "z": 1,
                          "y": [1]}
    assert call.function.extra == {"strict": True, "later": "x"}
    assert call.function.arguments == "{}"


def test_nested_text_in_indexed_items_joins() -> None:
    r = run(
        ch(dl(reasoning_details=[{"index": 0, "type": "reasoning.text", "data": {"text": "a"}}])),
        ch(dl(reasoning_details=[{"index": 0, "data": {"text": "b", "meta": {"k": "c"}}}])),
        ch(dl(reasoning_details=[{"index": 0, "data": {"meta": {"k": "d"}}}])),
    )
    assert msg(r)["reasoning_details"] == [
        {"index": 0, "type": "reasoning.text", "data": {"text": "ab", "meta": {"k": "cd"}}}]


@pytest.mark.parametrize("role", ["tool", "user", "developer", "x_new_role"])
def test_a_delta_role_other_than_assistant_is_kept(role: str) -> None:
    assert msg(run(ch(dl(role=role, content="a")), ch(dl(content="b")))) == {
        "role": role, "content": "ab"}
    assert msg(run(ch(dl(role="", content="a")), ch(dl(role=role))))["role"] == role


def test_defaults_for_what_no_chunk_sent() -> None:
    r = cc.accumulate([ch(dl(content="a", tool_calls=[{"index": 0,
                                                      "function": {"arguments": "{}"}}]))])
    m = r.choices[0].message
    assert m.role == "assistant"  # no delta had a role: the role of every response message
    (call,) = m.tool_calls
    assert call.id is None  # not "": no id is invented (llama.cpp, NIM send none)
    assert "id" not in call.to_dict()
    assert call.type is None
    assert call.function.name == ""  # a function needs a name: the empty one
    assert call.function.to_dict() == {"name": "", "arguments": "{}"}
    r = cc.accumulate([ch(dl(tool_calls=[{"index": 0, "id": "c", "function": {"name": "f"}}]))])
    assert r.choices[0].message.tool_calls[0].function.arguments == ""


def test_a_first_tool_call_fragment_with_neither_index_nor_id() -> None:
    r = run(ch(dl(tool_calls=[{"function": {"name": "f", "arguments": "{"}}])),
            ch(dl(tool_calls=[{"function": {"arguments": "}"}}])),
            ch(dl(tool_calls=[{}])))
    assert msg(r)["tool_calls"] == [{"function": {"name": "f", "arguments": "{}"}}]
    r = run(ch(dl(tool_calls=[{"type": "function"}])))
    assert msg(r)["tool_calls"] == [{"type": "function"}]


def test_a_call_without_index_keeps_its_place_among_indexed_calls() -> None:
    r = run(
        ch(dl(tool_calls=[tc(index=0, id="a", name="f", arguments="{")])),
        ch(dl(tool_calls=[tc(id="m", name="g", arguments="[")])),  # Mistral-style, no index
        ch(dl(tool_calls=[tc(index=1, id="b", name="h", arguments="1")])),
        ch(dl(tool_calls=[tc(index=0, arguments="}"), tc(id="m", arguments="]")])),
    )
    assert calls(r) == [("a", None, "f", "{}"), ("m", None, "g", "[]"), ("b", None, "h", "1")]


def test_a_custom_payload_that_does_not_fit_stays_in_the_calls_extra() -> None:
    chunks = [ch(dl(tool_calls=[{"index": 0, "id": "c", "type": "custom",
                                 "custom": {"input": 5}}]))]
    r = cc.accumulate(chunks)  # every chunk was valid: the result must not fail
    (call,) = r.choices[0].message.tool_calls
    assert call.custom is None
    assert call.extra == {"custom": {"input": 5}}
    assert call.to_dict() == {"id": "c", "type": "custom", "custom": {"input": 5}}
    found: List[Any] = []
    again = Response.from_dict(r.to_dict(), problems=found)  # what lenient reading makes of it
    assert again.to_dict() == r.to_dict()
    assert [p.path for p in found if not p.conformance] == [
        "$.choices[0].message.tool_calls[0].custom.input"]
    fits = cc.accumulate([ch(dl(tool_calls=[{"index": 0, "id": "c", "type": "custom",
                                             "custom": {"name": "t", "input": "x"}}]))])
    assert fits.choices[0].message.tool_calls[0].custom == cc.Custom(name="t", input="x")


@pytest.mark.parametrize("where", ["chunk", "delta"])
def test_valid_metadata_next_to_misfit_annotations(where: str) -> None:
    bad_notes = [{"type": "url_citation", "url_citation": {"url": 5}}]
    top: Json = {"metadata": {"k": "v"}}
    delta: Json = {"content": "a", "annotations": bad_notes}
    if where == "delta":
        delta["metadata"] = {"k": "v"}
        top = {}
    r = cc.accumulate([ch(dl(**delta), **top)])
    m = r.choices[0].message
    assert m.annotations is None
    assert m.extra.get("annotations") == bad_notes  # kept as sent
    if where == "chunk":
        assert r.metadata == {"k": "v"}  # typed
        assert "metadata" not in r.extra
    else:
        assert m.extra["metadata"] == {"k": "v"}  # a message has no metadata field
    out = r.to_dict()
    assert msg(out)["annotations"] == bad_notes
    good = cc.accumulate([ch(dl(content="a", annotations=[{"type": "url_citation"}]),
                             metadata={"k": "v"})])
    assert good.choices[0].message.annotations == [cc.Annotation(type="url_citation")]
    assert good.choices[0].message.extra == {}
    assert (good.metadata, good.extra) == ({"k": "v"}, {})


# What each field of each chunk class becomes in the assembled response: the chunk (dicts)
# that carries a value for it, and a check of the result. Driven by dataclasses.fields() of
# the chunk classes: a field added to one fails test_every_chunk_field_reaches_the_response
# until it says where it goes.
TOOL_CALL = {"index": 0, "id": "c", "type": "function",
             "function": {"name": "f", "arguments": "{}"}}
AUDIO = {"id": "au", "data": "AAA", "expires_at": 1700000000, "transcript": "hi"}


def _call(r: Any) -> Any:
    return r.choices[0].message.tool_calls[0]


FIELD_CASES: Dict[str, Dict[str, Tuple[List[Json], Any]]] = {
    "CreateChatCompletionStreamResponse": {
        "id": ([{"id": "chatcmpl-9", "choices": []}], lambda r: r.id == "chatcmpl-9"),
        "choices": ([{"choices": [{"index": 0, "delta": {}}]}], lambda r: len(r.choices) == 1),
        "created": ([{"created": 1700000000, "choices": []}], lambda r: r.created == 1700000000),
        "model": ([{"model": "m-1", "choices": []}], lambda r: r.model == "m-1"),
        "object": ([{"object": "chat.completion.chunk", "choices": []}],
                   lambda r: r.object == "chat.completion"),
        "moderation": ([{"moderation": {"input": {"flagged": False}}, "choices": []}],
                       lambda r: r.moderation == {"input": {"flagged": False}}),
        # transport padding against length side channels: deliberately not in the response
        "obfuscation": ([{"obfuscation": "xyz", "choices": []}],
                        lambda r: "obfuscation" not in r.to_json()),
        "service_tier": ([{"service_tier": "flex", "choices": []}],
                         lambda r: r.service_tier == "flex"),
        "system_fingerprint": ([{"system_fingerprint": "fp_1", "choices": []}],
                               lambda r: r.system_fingerprint == "fp_1"),
        "usage": ([{"usage": USAGE_2, "choices": []}], lambda r: r.usage.to_dict() == USAGE_2),
        "extra": ([{"x_groq": {"id": "q"}, "choices": []}],
                  lambda r: r.extra == {"x_groq": {"id": "q"}}),
    },
    "CreateChatCompletionStreamResponseChoices": {
        "index": ([{"choices": [{"index": 2, "delta": {}}]}], lambda r: r.choices[0].index == 2),
        "delta": ([{"choices": [{"index": 0, "delta": {"content": "x"}}]}],
                  lambda r: r.choices[0].message.content == "x"),
        "finish_reason": ([{"choices": [{"index": 0, "finish_reason": "length"}]}],
                          lambda r: r.choices[0].finish_reason == "length"),
        "logprobs": ([{"choices": [{"index": 0, "logprobs": {"content": [token("x")],
                                                              "refusal": None}}]}],
                     lambda r: r.choices[0].logprobs.to_dict() == {"content": [token("x")],
                                                                   "refusal": None}),
        "extra": ([{"choices": [{"index": 0, "stop_reason": 7}]}],
                  lambda r: r.choices[0].extra == {"stop_reason": 7}),
    },
    "ChatCompletionStreamResponseDelta": {
        "role": ([{"choices": [dl(role="tool")]}], lambda r: r.choices[0].message.role == "tool"),
        "content": ([{"choices": [dl(content="a")]}, {"choices": [dl(content="b")]}],
                    lambda r: r.choices[0].message.content == "ab"),
        "refusal": ([{"choices": [dl(refusal="n")]}, {"choices": [dl(refusal="o")]}],
                    lambda r: r.choices[0].message.refusal == "no"),
        "function_call": ([{"choices": [dl(function_call={"name": "f", "arguments": "{"})]},
                           {"choices": [dl(function_call={"arguments": "}"})]}],
                          lambda r: r.choices[0].message.function_call.to_dict() == {
                              "name": "f", "arguments": "{}"}),
        "tool_calls": ([{"choices": [dl(tool_calls=[TOOL_CALL])]}],
                       lambda r: _call(r).to_dict() == {
                           "id": "c", "type": "function",
                           "function": {"name": "f", "arguments": "{}"}}),
        "audio": ([{"choices": [dl(audio=AUDIO)]}],
                  lambda r: r.choices[0].message.audio.to_dict() == AUDIO),
        "extra": ([{"choices": [dl(reasoning_content="r")]}],
                  lambda r: r.choices[0].message.extra == {"reasoning_content": "r"}),
    },
    "ChatCompletionMessageToolCallChunk": {
        "index": ([{"choices": [dl(tool_calls=[{"index": 3, "function": {"arguments": "a"}}])]},
                   {"choices": [dl(tool_calls=[{"index": 3, "function": {"arguments": "b"}}])]}],
                  lambda r: _call(r).function.arguments == "ab"),
        "id": ([{"choices": [dl(tool_calls=[{"index": 0, "id": "c"}])]}],
               lambda r: _call(r).id == "c"),
        "type": ([{"choices": [dl(tool_calls=[{"index": 0, "type": "function"}])]}],
                 lambda r: _call(r).type == "function"),
        "function": ([{"choices": [dl(tool_calls=[TOOL_CALL])]}],
                     lambda r: _call(r).function.to_dict() == TOOL_CALL["function"]),
        "extra": ([{"choices": [dl(tool_calls=[{"index": 0, "x_sig": "s"}])]}],
                  lambda r: _call(r).extra == {"x_sig": "s"}),
    },
    "ChoiceDeltaToolCallFunction": {
        "name": ([{"choices": [dl(tool_calls=[{"index": 0, "function": {"name": "g"}}])]}],
                 lambda r: _call(r).function.name == "g"),
        "arguments": ([{"choices": [dl(tool_calls=[{"index": 0,
                                                    "function": {"arguments": "[1]"}}])]}],
                      lambda r: _call(r).function.arguments == "[1]"),
        "extra": ([{"choices": [dl(tool_calls=[{"index": 0, "function": {"strict": True}}])]}],
                  lambda r: _call(r).function.extra == {"strict": True}),
    },
    "ChoiceDeltaAudio": {
        **{key: ([{"choices": [dl(audio={key: value})]}],
                 lambda r, key=key, value=value: getattr(r.choices[0].message.audio, key) == value)
           for key, value in AUDIO.items()},
        "extra": ([{"choices": [dl(audio={"x_format": "wav"})]}],
                  lambda r: r.choices[0].message.audio.extra == {"x_format": "wav"}),
    },
}
FIELDS = [(name, f.name) for name in FIELD_CASES
          for f in dataclasses.fields(getattr(cc, name))]


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[f"{n}.{f}" for n, f in FIELDS])
def test_every_chunk_field_reaches_the_response(name: str, field: str) -> None:
    assert field in FIELD_CASES[name], f"{name}.{field}: say where it goes in the response"
    chunk_dicts, check = FIELD_CASES[name][field]
    chunks = [Chunk.from_dict(copy.deepcopy(d)) for d in chunk_dicts]
    r = cc.accumulate(chunks)
    assert check(r), r
    Response.from_dict(r.to_dict())  # and the result is a valid response


def test_the_field_table_names_only_fields() -> None:
    for name, cases in FIELD_CASES.items():
        assert set(cases) == {f.name for f in dataclasses.fields(getattr(cc, name))}, name


def test_the_result_shares_no_object_with_the_chunks() -> None:
    chunks = [
        *full_stream(),
        ch(dl(audio={"id": "au", "data": "A"}, function_call={"name": "f", "arguments": "{}"},
              annotations=[{"type": "url_citation", "url_citation": {"url": "u"}}],
              tool_calls=[{"index": 1, "id": "k", "type": "custom",
                           "custom": {"name": "t", "input": "x"}}]),
           moderation={"input": {"flagged": False}}, metadata={"k": "v"}),
        ch({"index": 1, "delta": {"content": "b"},
            "logprobs": {"content": [token("b")], "refusal": [token("c")], "x": [{}]}}),
        ch(usage=USAGE_2),
    ]
    acc = cc.ChatCompletionAccumulator()
    for c in chunks:
        acc.add(c)
        assert not ids(acc.result(), models=True) & ids(chunks, models=True)
    r = acc.result()
    shared = ids(r, models=True) & ids(chunks, models=True)
    assert not shared, [o for o in containers_of(r) if id(o) in shared][:3]
    r2 = acc.result()
    before = [c.to_dict() for c in chunks]
    for obj in containers_of(r2):  # change everything in a result: the chunks do not change
        if isinstance(obj, dict):
            obj["__mutated__"] = 1
        elif isinstance(obj, list):
            obj.append("__mutated__")
    assert [c.to_dict() for c in chunks] == before


def containers_of(value: Any) -> List[Any]:
    return list(containers(value, models=True))


def test_finished() -> None:
    acc = cc.ChatCompletionAccumulator()
    assert not acc.finished  # nothing yet
    acc.add(ch(usage=USAGE_1))
    assert not acc.finished  # no choice at all
    acc.add(ch(dl(0, content="a"), dl(1, content="b")))
    assert not acc.finished
    acc.add(ch(dl(0, finish_reason="stop")))
    assert not acc.finished  # choice 1 still open
    acc.add(ch(dl(1, finish_reason=None)))
    assert not acc.finished  # a null is no finish_reason
    acc.add(ch(dl(1, finish_reason="")))
    assert acc.finished  # a server's own (even empty) value counts
    acc.add(ch(dl(2, content="late")))
    assert not acc.finished


def test_a_tool_call_function_sent_only_as_null_is_null() -> None:
    r = run(ch(dl(tool_calls=[{"index": 0, "id": "c", "function": None}])),
            ch(dl(tool_calls=[{"index": 0, "function": None}])))
    assert msg(r)["tool_calls"] == [{"id": "c", "function": None}]
    r = run(ch(dl(tool_calls=[{"index": 0, "id": "c", "function": None}])),
            ch(dl(tool_calls=[{"index": 0, "function": {"name": "f", "arguments": "{}"}}])),
            ch(dl(tool_calls=[{"index": 0, "function": None}])))
    assert msg(r)["tool_calls"] == [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]


def test_refusal_logprobs_are_extended_too() -> None:
    r = run(ch({"index": 0, "delta": {"refusal": "no"},
                "logprobs": {"content": None, "refusal": [token("no")]}}),
            ch({"index": 0, "delta": {"refusal": "pe"},
                "logprobs": {"content": None, "refusal": [token("pe")]}}))
    assert r["choices"][0]["logprobs"] == {"content": None,
                                           "refusal": [token("no"), token("pe")]}
