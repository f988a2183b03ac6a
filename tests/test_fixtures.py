# SPDX-License-Identifier: MIT
"""Real responses: every file in data/responses round-trips exactly, every file in
data/invalid is rejected, and spot checks read real values out of each provider's quirks."""
from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any, Dict

import pytest

from tests import DATA, cc
from tests.helpers import same

Resp = cc.CreateChatCompletionResponse

RESPONSES = sorted((DATA / "responses").glob("*.json"))
INVALID = sorted((DATA / "invalid").glob("*.json"))


def load(name: str) -> Dict[str, Any]:
    d = json.loads((DATA / "responses" / name).read_bytes())
    assert type(d) is dict
    return d


def parsed(name: str) -> Any:
    return Resp.from_dict(load(name))


# -- the helper itself must be able to fail --------------------------------------------------


class _SubDict(dict):  # type: ignore[type-arg]
    pass


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (True, 1), (1, 1.0), (0, False), (1.0, True), ({"a": 1}, {"a": True}),
        ([1], [1.0]), ({"a": 1}, _SubDict(a=1)), ({"a": None}, {}), ({}, {"a": None}),
        ([1, 2], [1]), ("1", 1), (None, 0), ({"a": {"b": [0]}}, {"a": {"b": [False]}}),
    ],
)
def test_same_tells_types_apart(a: Any, b: Any) -> None:
    assert not same(a, b)
    assert not same(b, a)


def test_same_accepts_equal_documents() -> None:
    d = {"a": [1, 1.5, True, None, "x", {"b": []}]}
    assert same(d, copy.deepcopy(d))


# -- data folders ----------------------------------------------------------------------------


def test_the_data_folders_are_found() -> None:
    assert len(RESPONSES) >= 30, RESPONSES
    assert len(INVALID) >= 1, INVALID


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.stem)
def test_round_trip(path: Any) -> None:
    raw = path.read_bytes()
    d = json.loads(raw)
    before = copy.deepcopy(d)

    obj = Resp.from_dict(d)
    assert same(d, before), "from_dict changed its input"
    assert type(obj) is Resp
    out = obj.to_dict()
    assert same(out, d)
    assert out is not d

    text = raw.decode("utf-8")
    assert same(Resp.from_json(text).to_dict(), d)
    assert same(Resp.from_json(raw).to_dict(), d)
    assert same(Resp.from_json(bytearray(raw)).to_dict(), d)
    assert same(Resp.from_json(json.dumps(d, ensure_ascii=False)).to_dict(), d)

    j = obj.to_json()
    assert type(j) is str
    assert same(json.loads(j), d)
    assert Resp.from_json(j) == obj
    assert same(Resp.from_json(j.encode()).to_dict(), d)


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.stem)
def test_every_value_is_plain_json(path: Any) -> None:
    plain = {dict, list, str, int, float, bool, type(None)}

    def walk(v: Any) -> None:
        assert type(v) in plain, type(v)
        if type(v) is dict:
            for k, item in v.items():
                assert type(k) is str
                walk(item)
        elif type(v) is list:
            for item in v:
                walk(item)

    walk(parsed(path.name).to_dict())


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_is_rejected_with_a_path(path: Any) -> None:
    d = json.loads(path.read_bytes())
    before = copy.deepcopy(d)
    with pytest.raises(cc.ValidationError) as info:
        Resp.from_dict(d)
    assert info.value.path.startswith("$.")
    assert same(d, before)
    with pytest.raises(cc.ValidationError) as from_bytes:
        Resp.from_json(path.read_bytes())
    assert from_bytes.value.path == info.value.path


def test_mistral_content_array_names_the_content() -> None:
    with pytest.raises(cc.ValidationError) as info:
        Resp.from_json((DATA / "invalid" / "mistral_magistral_content_array.json").read_bytes())
    e = info.value
    assert e.path == "$.choices[0].message.content"
    assert (e.expected, e.found) == ("str", "array")
    assert str(e) == (
        "Expected `str`, got `array` (<array of 2 items>) - at `$.choices[0].message.content`")


# -- spot checks, one or more per provider ---------------------------------------------------


def test_azure_content_filtered_choice_has_no_message() -> None:
    obj = parsed("azure_gpt35_content_filter_finish.json")
    choice = obj.choices[0]
    assert choice.message is None
    assert choice.finish_reason == "content_filter"
    assert choice.finish_reason == cc.FinishReason.CONTENT_FILTER
    assert choice.logprobs is None
    assert choice.extra["content_filter_results"]["hate"] == {"filtered": True, "severity": "high"}
    assert set(choice.extra) == {"content_filter_results"}
    assert obj.extra["prompt_filter_results"][0]["prompt_index"] == 0
    assert obj.system_fingerprint is None
    out = obj.to_dict()
    assert "message" not in out["choices"][0]
    assert out["choices"][0]["logprobs"] is None
    assert "system_fingerprint" in out
    assert out["system_fingerprint"] is None
    assert (obj.usage.prompt_tokens, obj.usage.completion_tokens, obj.usage.total_tokens) == (
        15, 19, 34)


def test_azure_protected_material() -> None:
    obj = parsed("azure_gpt41mini_protected_material.json")
    results = obj.choices[0].extra["content_filter_results"]
    assert results["protected_material_code"] == {"filtered": False, "detected": False}
    assert results["protected_material_text"] == {"filtered": False, "detected": False}
    assert obj.choices[0].message.annotations == []
    assert obj.choices[0].message.content.startswith("Certainly! The phrase")
    assert "jailbreak" in obj.extra["prompt_filter_results"][0]["content_filter_results"]


def test_crusoe_vllm_extras() -> None:
    obj = parsed("crusoe_vllm_tool_call.json")
    msg = obj.choices[0].message
    assert msg.reasoning_text is not None
    assert msg.reasoning_text.startswith("The user wants to know the weather in Paris.")
    assert msg.reasoning_text == msg.extra["reasoning"]
    assert msg.annotations is None
    assert msg.audio is None
    assert msg.function_call is None
    assert {"annotations", "audio", "function_call", "refusal", "content"} <= set(
        msg.to_dict())
    assert obj.choices[0].extra["stop_reason"] == 154829
    assert obj.choices[0].extra["routed_experts"] is None
    assert obj.usage.prompt_tokens_details.extra == {"multimodal_tokens": None}
    assert obj.usage.completion_tokens_details.reasoning_tokens == 25
    for key in ("kv_transfer_params", "metrics", "prompt_logprobs", "prompt_token_ids"):
        assert key in obj.extra
        assert obj.extra[key] is None
    call = msg.tool_calls[0]
    assert (call.id, call.type) == ("chatcmpl-tool-bbb91941bf76335c", "function")
    assert json.loads(call.function.arguments) == {"city": "Paris"}


def test_deepseek_reasoning_content() -> None:
    obj = parsed("deepseek_reasoner_reasoning.json")
    msg = obj.choices[0].message
    d = load("deepseek_reasoner_reasoning.json")
    assert msg.reasoning_text == d["choices"][0]["message"]["reasoning_content"]
    assert msg.reasoning_text.startswith('We are asked: "How many \'r\'s')
    assert msg.extra == {"reasoning_content": msg.reasoning_text}
    assert obj.usage.completion_tokens_details.reasoning_tokens == 315
    assert obj.usage.extra == {"prompt_cache_hit_tokens": 0, "prompt_cache_miss_tokens": 18}
    assert obj.usage.prompt_tokens_details.cached_tokens == 0


def test_deepseek_tool_call_keeps_index() -> None:
    obj = parsed("deepseek_reasoner_tool_call.json")
    msg = obj.choices[0].message
    assert msg.content == ""
    assert msg.tool_calls[0].extra == {"index": 0}
    assert msg.tool_calls[0].function.name == "weather"
    assert obj.choices[0].finish_reason == cc.FinishReason.TOOL_CALLS


def test_groq_x_groq_and_timing_floats() -> None:
    obj = parsed("groq_llama_text.json")
    assert obj.extra["x_groq"] == {"id": "req_01kh52m3qqem4sw141xf026ehx", "seed": 167346302}
    assert obj.extra["usage_breakdown"] is None
    assert obj.usage.extra["queue_time"] == 0.041876985
    assert type(obj.usage.extra["queue_time"]) is float
    assert set(obj.usage.extra) == {
        "queue_time", "prompt_time", "completion_time", "total_time"}
    assert obj.service_tier == "on_demand"
    assert (obj.usage.prompt_tokens, obj.usage.completion_tokens) == (45, 607)


def test_groq_two_tool_calls() -> None:
    calls = parsed("groq_two_tool_calls.json").choices[0].message.tool_calls
    assert [c.id for c in calls] == ["rew01jq49", "gbpypqxpx"]
    assert [c.function.name for c in calls] == ["get_weather", "final_result"]
    assert all(type(c) is cc.ChatCompletionMessageToolCall for c in calls)
    assert all(c.type == cc.ToolCallType.FUNCTION for c in calls)


def test_litellm_two_choices_with_explicit_nulls() -> None:
    obj = parsed("litellm_proxy_n2_choices.json")
    assert [c.index for c in obj.choices] == [0, 1]
    msg = obj.choices[1].message
    assert msg.tool_calls is None
    assert msg.function_call is None
    assert msg.to_dict()["tool_calls"] is None
    assert msg.to_dict()["function_call"] is None


def test_llamacpp_timings() -> None:
    obj = parsed("llamacpp_gemma2_timings.json")
    timings = obj.extra["timings"]
    assert timings["predicted_n"] == 14
    assert timings["prompt_ms"] == 4817.6
    assert type(timings["cache_n"]) is int
    assert obj.system_fingerprint == "b7634-f1768d8f0"
    assert obj.choices[0].logprobs is None
    assert "logprobs" not in obj.to_dict()["choices"][0]
    assert obj.choices[0].message.content == "Hi! \U0001f60a  How can I help you today? \n"


def test_mistral_tool_call_without_type() -> None:
    obj = parsed("mistral_small_tool_call.json")
    msg = obj.choices[0].message
    call = msg.tool_calls[0]
    assert call.type is None
    assert "type" not in call.to_dict()
    assert call.function.to_dict() == {
        "name": "weather", "arguments": '{"location": "San Francisco"}'}
    assert msg.content is None
    assert "content" not in msg.to_dict()


def test_ollama() -> None:
    obj = parsed("ollama_qwen25_tool_call.json")
    assert obj.system_fingerprint == "fp_ollama"
    assert obj.choices[0].message.content == ""
    assert obj.choices[0].message.tool_calls[0].id == "call_ww759p36"


def test_openai_docs_logprobs() -> None:
    lp = parsed("openai_docs_logprobs.json").choices[0].logprobs
    assert type(lp) is cc.ChoiceLogprobs
    first = lp.content[0]
    assert type(first) is cc.ChatCompletionTokenLogprob
    assert (first.token, first.logprob) == ("Hello", -0.31725305)
    assert first.bytes == [72, 101, 108, 108, 111]
    assert lp.content[2].logprob == -5.4669687e-05
    assert lp.content[4].logprob == -3.7697225e-06
    end = lp.content[2].top_logprobs[1]
    assert type(end) is cc.TopLogprob
    assert (end.token, end.logprob, end.bytes) == ("<|end|>", -10.953937, None)
    assert end.to_dict() == {"token": "<|end|>", "logprob": -10.953937, "bytes": None}
    assert lp.refusal is None


def test_openai_docs_functions() -> None:
    obj = parsed("openai_docs_functions.json")
    call = obj.choices[0].message.tool_calls[0]
    assert call.function.arguments == '{\n"location": "Boston, MA"\n}'
    assert obj.system_fingerprint is None
    assert "system_fingerprint" not in obj.to_dict()
    assert obj.usage.prompt_tokens_details is None
    assert obj.usage.completion_tokens_details.audio_tokens is None
    assert "audio_tokens" not in obj.usage.completion_tokens_details.to_dict()


def test_openai_docs_default() -> None:
    obj = parsed("openai_docs_default.json")
    assert obj.service_tier == cc.ServiceTier.DEFAULT
    msg = obj.choices[0].message
    assert msg.role == cc.ChatCompletionResponseMessageRole.ASSISTANT
    assert msg.content == "Hello! How can I assist you today?"
    assert msg.refusal is None
    assert msg.to_dict()["refusal"] is None


def test_openai_legacy_function_call() -> None:
    obj = parsed("openai_gpt4_0613_legacy_function_call.json")
    choice = obj.choices[0]
    assert choice.finish_reason == cc.FinishReason.FUNCTION_CALL
    fc = choice.message.function_call
    assert type(fc) is cc.Function
    assert type(fc) is cc.FunctionCall
    assert (fc.name, fc.arguments) == ("get_current_weather", '{\n  "location": "Boston"\n}')
    assert choice.message.content is None
    assert choice.message.to_dict()["content"] is None


def test_openai_vision_preview_finish_details() -> None:
    obj = parsed("openai_gpt4_vision_preview_finish_details.json")
    choice = obj.choices[0]
    assert choice.finish_reason is None
    assert "finish_reason" not in choice.to_dict()
    assert choice.extra == {"finish_details": {"type": "max_tokens"}}
    assert choice.index == 0


def test_openai_cached_tokens() -> None:
    usage = parsed("openai_gpt4omini_cached_tokens.json").usage
    assert type(usage) is cc.CompletionUsage
    assert usage.prompt_tokens_details.cached_tokens == 9984
    assert type(usage.prompt_tokens_details) is cc.PromptTokensDetails
    assert type(usage.completion_tokens_details) is cc.CompletionTokensDetails


def test_openai_moderation_is_plain_json() -> None:
    obj = parsed("openai_gpt5_moderation_field.json")
    assert type(obj.moderation) is dict
    assert obj.moderation["input"]["model"] == "omni-moderation-latest"
    assert obj.moderation["input"]["results"][0]["flagged"] is False
    assert obj.moderation == load("openai_gpt5_moderation_field.json")["moderation"]


def test_openai_three_choices() -> None:
    obj = parsed("openai_n3_choices.json")
    assert [c.index for c in obj.choices] == [0, 1, 2]
    assert all(type(c) is cc.Choice for c in obj.choices)


def test_openai_search_preview_empty_fingerprint() -> None:
    obj = parsed("openai_search_preview_no_logprobs.json")
    assert obj.system_fingerprint == ""
    assert "logprobs" not in obj.to_dict()["choices"][0]


def test_openai_structured_refusal() -> None:
    msg = parsed("openai_structured_refusal.json").choices[0].message
    assert msg.refusal == "I'm sorry, but I can't assist with that request."
    assert msg.content is None


def test_openrouter_url_citation() -> None:
    obj = parsed("openrouter_web_search_url_citation.json")
    ann = obj.choices[0].message.annotations[0]
    assert type(ann) is cc.Annotation
    assert ann.type == cc.AnnotationType.URL_CITATION
    cite = ann.url_citation
    assert type(cite) is cc.AnnotationURLCitation
    assert cite.url == "https://github.com/pydantic/pydantic-ai"
    assert cite.title == "AI Agent Framework, the Pydantic way"
    assert (cite.start_index, cite.end_index) == (0, 0)
    assert cite.extra["content"].startswith("# pydantic/pydantic-ai\n")
    assert set(cite.extra) == {"content"}
    assert obj.choices[0].message.annotations[1].url_citation.title == ""
    assert obj.extra["provider"] == "OpenAI"
    assert obj.usage.extra["cost"] == 0.007637029
    assert obj.usage.prompt_tokens_details.cache_write_tokens == 0
    assert obj.usage.completion_tokens_details.extra == {"image_tokens": 0}
    assert obj.choices[0].extra["native_finish_reason"] == "stop"


def test_perplexity_citations() -> None:
    obj = parsed("perplexity_sonar_text.json")
    assert len(obj.extra["citations"]) == 6
    assert obj.extra["citations"][3] == "https://www.youtube.com/watch?v=GVxMMHAwzIU"
    assert obj.usage.completion_tokens_details is None


def test_snowflake_empty_strings_and_zero_objects() -> None:
    obj = parsed("snowflake_cortex_claude_tool_call.json")
    assert obj.id == ""
    assert obj.service_tier == ""
    assert obj.system_fingerprint == ""
    choice = obj.choices[0]
    assert choice.finish_reason == ""
    assert (choice.logprobs.content, choice.logprobs.refusal) == (None, None)
    assert choice.logprobs.to_dict() == {"content": None, "refusal": None}
    msg = choice.message
    assert msg.annotations is None
    assert msg.to_dict()["annotations"] is None
    assert type(msg.audio) is cc.ChatCompletionAudio
    assert (msg.audio.id, msg.audio.data, msg.audio.expires_at, msg.audio.transcript) == (
        "", "", 0, "")
    assert (msg.function_call.name, msg.function_call.arguments) == ("", "")
    call = msg.tool_calls[0]
    assert type(call.custom) is cc.Custom
    assert (call.custom.name, call.custom.input) == ("", "")
    assert call.function.name == "get_weather"
    assert msg.refusal == ""
    assert obj.usage.completion_tokens_details.rejected_prediction_tokens == 0


def test_tgi_empty_id() -> None:
    obj = parsed("tgi_llama405b_empty_id.json")
    assert obj.id == ""
    assert obj.system_fingerprint == "2.2.0-native"
    assert obj.choices[0].finish_reason == cc.FinishReason.LENGTH
    assert [f.name for f in dataclasses.fields(obj)][:5] == [
        "id", "choices", "created", "model", "object"]
    assert {"id", "choices", "created", "model", "object"} <= set(obj.to_dict())


def test_together_eos() -> None:
    obj = parsed("together_mixtral_finish_reason_eos.json")
    assert obj.choices[0].finish_reason == "eos"
    assert obj.extra == {"prompt": []}


def test_vllm_empty_tool_calls_and_stop_reason() -> None:
    obj = parsed("vllm_llama32_stop_reason.json")
    assert obj.choices[0].message.tool_calls == []
    assert obj.choices[0].extra == {"stop_reason": None}
    assert obj.choices[0].to_dict()["stop_reason"] is None


def test_writer_seven_tool_calls_with_null_index() -> None:
    obj = parsed("writer_palmyra_seven_tool_calls.json")
    msg = obj.choices[0].message
    assert len(msg.tool_calls) == 7
    assert all(c.extra == {"index": None} for c in msg.tool_calls)
    assert [json.loads(c.function.arguments)["location"] for c in msg.tool_calls] == [
        "Zakopane", "Warsaw", "Lodz", "Katowice", "Krakow", "Poznan", "Lublin"]
    assert msg.extra["graph_data"] == {"sources": None, "status": None, "subqueries": None}
    assert msg.extra["llm_data"] is None
    assert obj.choices[0].extra == {"trace_details": None}
    assert obj.usage.extra == {"prompt_token_details": None}
    assert obj.usage.completion_tokens_details is None
    assert obj.usage.to_dict()["completion_tokens_details"] is None
    assert obj.service_tier is None
    assert obj.to_dict()["service_tier"] is None


def test_xai_totals_are_not_summed() -> None:
    obj = parsed("xai_grok_tool_call.json")
    u = obj.usage
    assert (u.prompt_tokens, u.completion_tokens, u.total_tokens) == (291, 26, 506)
    assert u.extra == {"num_sources_used": 0, "cost_in_usd_ticks": 1399000}
    assert u.prompt_tokens_details.text_tokens == 291
    assert u.prompt_tokens_details.image_tokens == 0
    msg = obj.choices[0].message
    assert msg.reasoning_text.startswith("First, the user is asking about the weather")
    assert msg.refusal is None
    assert "refusal" in msg.to_dict()
