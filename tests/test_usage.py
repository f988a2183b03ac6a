# SPDX-License-Identifier: MIT
"""Usage that adds up: ``usage + usage``, ``sum(usages)``, and the counts providers put in
different places read from one accessor each."""
from __future__ import annotations

import copy
import json
from typing import Any, Dict, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import DATA, cc

Usage = cc.CreateChatCompletionResponseUsage
CORPUS = [json.loads(p.read_bytes()) for p in sorted((DATA / "responses").glob("*.json"))]
USAGES = [d["usage"] for d in CORPUS if d.get("usage")]


def cached(u: Dict[str, Any]) -> Optional[int]:
    """Where each provider puts the cached prompt tokens, read without the library."""
    details = u.get("prompt_tokens_details") or {}
    if type(details.get("cached_tokens")) is int:
        return details["cached_tokens"]
    for key in ("prompt_cache_hit_tokens", "num_cached_tokens"):  # DeepSeek, Mistral
        if type(u.get(key)) is int:
            return u[key]  # type: ignore[no-any-return]
    return None


def reasoning(u: Dict[str, Any]) -> Optional[int]:
    details = u.get("completion_tokens_details") or {}
    if type(details.get("reasoning_tokens")) is int:
        return details["reasoning_tokens"]
    return u["reasoning_tokens"] if type(u.get("reasoning_tokens")) is int else None


def test_the_corpus_has_usages() -> None:
    assert len(USAGES) >= 20


@pytest.mark.parametrize("u", USAGES)
def test_accessors_read_each_provider(u: Dict[str, Any]) -> None:
    usage = Usage.from_dict(u)
    assert usage.cached_prompt_tokens == cached(u)
    assert usage.reasoning_completion_tokens == reasoning(u)


@pytest.mark.parametrize(("extra", "cached_", "reasoning_"), [
    ({"prompt_cache_hit_tokens": 7, "prompt_cache_miss_tokens": 3}, 7, None),  # DeepSeek
    ({"num_cached_tokens": 5}, 5, None),  # Mistral
    ({"reasoning_tokens": 9}, None, 9),  # Azure AI Foundry
    ({"num_cached_tokens": True, "reasoning_tokens": "9"}, None, None),  # not counts
    ({}, None, None),
])
def test_accessors_where_providers_put_the_counts(extra: Dict[str, Any], cached_: Any,
                                                  reasoning_: Any) -> None:
    usage = Usage.from_dict({"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30,
                             **extra})
    assert usage.cached_prompt_tokens == cached_
    assert usage.reasoning_completion_tokens == reasoning_


def test_sums_over_the_corpus_equal_the_hand_computed_sums() -> None:
    total = sum(Usage.from_dict(u) for u in USAGES)
    assert isinstance(total, Usage)
    for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert getattr(total, key) == sum(u[key] for u in USAGES)
    assert total.cached_prompt_tokens == sum(c for u in USAGES if (c := cached(u)) is not None)
    assert total.reasoning_completion_tokens == sum(
        r for u in USAGES if (r := reasoning(u)) is not None)
    costs = [u["cost"] for u in USAGES if type(u.get("cost")) in (int, float)]
    if costs:
        assert total.extra["cost"] == pytest.approx(sum(costs))


def test_addition_leaves_its_operands_unchanged_and_shares_nothing() -> None:
    a, b = (Usage.from_dict(copy.deepcopy(u)) for u in USAGES[:2])
    before = (a.to_dict(), b.to_dict())
    c = a + b
    assert (a.to_dict(), b.to_dict()) == before
    if c.prompt_tokens_details is not None and a.prompt_tokens_details is not None:
        assert c.prompt_tokens_details is not a.prompt_tokens_details
    c.extra["x"] = 1
    assert "x" not in a.extra
    assert "x" not in b.extra


def test_sum_of_one_equals_it_and_is_a_copy() -> None:
    u = Usage.from_dict(USAGES[0])
    total = sum([u])
    assert total == u
    assert total is not u
    with pytest.raises(TypeError):
        u + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        1 + u  # type: ignore[operator]


def test_details_and_extras_add_field_by_field() -> None:
    a = Usage.from_dict({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3,
                         "prompt_tokens_details": {"cached_tokens": 1, "audio_tokens": 0},
                         "cost": 0.5, "cost_details": {"upstream": 1}, "provider": "a"})
    b = Usage.from_dict({"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30,
                         "completion_tokens_details": {"reasoning_tokens": 4},
                         "cost": 1, "cost_details": {"upstream": 2, "other": 1}, "provider": "b"})
    assert (a + b).to_dict() == {
        "prompt_tokens": 11, "completion_tokens": 22, "total_tokens": 33,
        "prompt_tokens_details": {"cached_tokens": 1, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 4},
        "cost": 1.5, "cost_details": {"upstream": 3, "other": 1}, "provider": "a",
    }


def test_a_sum_of_mixed_providers_counts_everything_once() -> None:
    openai = Usage.from_dict({"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11,
                              "prompt_tokens_details": {"cached_tokens": 4}})
    mistral = Usage.from_dict({"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11,
                               "num_cached_tokens": 3})
    total = openai + mistral
    assert total.cached_prompt_tokens == 7
    assert (mistral + openai).cached_prompt_tokens == 7
    assert (mistral + mistral).to_dict()["num_cached_tokens"] == 6


counts = st.one_of(st.none(), st.integers(0, 10**6))
floats = st.integers(0, 2**20).map(lambda n: n / 1024)  # exact in binary: sums are exact


@st.composite
def usages(draw: Any) -> Usage:
    d: Dict[str, Any] = {k: draw(st.integers(0, 10**6))
                         for k in ("prompt_tokens", "completion_tokens", "total_tokens")}
    for key, fields in (("prompt_tokens_details", ("cached_tokens", "audio_tokens")),
                        ("completion_tokens_details", ("reasoning_tokens", "audio_tokens"))):
        if draw(st.booleans()):
            d[key] = {f: v for f in fields if (v := draw(counts)) is not None}
    for key in ("num_cached_tokens", "prompt_cache_hit_tokens", "reasoning_tokens"):
        if draw(st.booleans()):
            d[key] = draw(st.integers(0, 10**6))
    if draw(st.booleans()):
        d["cost"] = draw(floats)
    if draw(st.booleans()):
        d["provider"] = draw(st.sampled_from(["a", "b"]))
    return Usage.from_dict(d)


def _plus(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return b if a is None else a if b is None else a + b


@settings(max_examples=300, deadline=None)
@given(usages(), usages(), usages())
def test_addition_is_associative(a: Usage, b: Usage, c: Usage) -> None:
    assert ((a + b) + c).to_dict() == (a + (b + c)).to_dict()
    assert sum([a, b, c]) == (a + b) + c


@settings(max_examples=300, deadline=None)
@given(usages(), usages())
def test_a_sum_counts_what_each_operand_counts(a: Usage, b: Usage) -> None:
    total = a + b
    assert total.prompt_tokens == a.prompt_tokens + b.prompt_tokens
    assert total.cached_prompt_tokens == _plus(a.cached_prompt_tokens, b.cached_prompt_tokens)
    assert total.reasoning_completion_tokens == _plus(a.reasoning_completion_tokens,
                                                      b.reasoning_completion_tokens)
    cc.CreateChatCompletionResponseUsage.from_dict(total.to_dict())  # valid JSON of a usage

