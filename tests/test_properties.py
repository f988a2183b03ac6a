# SPDX-License-Identifier: MIT
"""Properties over generated responses: exact round trips for every valid document, and
for a valid document with one mutation either a ValidationError at the mutated place
(nothing else, input unchanged) or an exact round trip."""
from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import cc
from tests.helpers import same
from tests.strategies import (
    MUTATIONS,
    RESPONSE,
    SCHEMA,
    first_error,
    fmt_path,
    mutated_responses,
    objects,
    path_matches,
    responses,
    snapshot,
)

Resp = cc.CreateChatCompletionResponse

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.slow
@SETTINGS
@given(responses())
def test_round_trip_is_exact(d: Dict[str, Any]) -> None:
    assert first_error(d) is None  # the generator makes valid documents only
    before = copy.deepcopy(d)
    obj = Resp.from_dict(d)
    assert same(d, before)
    assert same(obj.to_dict(), d)


@pytest.mark.slow
@SETTINGS
@given(responses())
def test_json_round_trip_is_exact(d: Dict[str, Any]) -> None:
    obj = Resp.from_dict(d)
    text = obj.to_json()
    assert same(json.loads(text), d)
    again = Resp.from_json(text)
    assert same(again.to_dict(), d)
    assert again == obj
    assert same(Resp.from_json(text.encode("utf-8")).to_dict(), d)
    assert same(Resp.from_json(json.dumps(d, ensure_ascii=False, indent=1)).to_dict(), d)


@pytest.mark.slow
@SETTINGS
@given(st.sampled_from(sorted(SCHEMA)).flatmap(lambda n: st.tuples(st.just(n), objects(n))))
def test_every_class_round_trips(case: Any) -> None:
    name, d = case
    C = getattr(cc, name)
    obj = C.from_dict(d)
    assert type(obj) is C
    assert same(obj.to_dict(), d)
    assert same(C.from_json(obj.to_json()).to_dict(), d)


@pytest.mark.slow
@SETTINGS
@given(responses())
def test_two_parses_are_equal_and_independent(d: Dict[str, Any]) -> None:
    a = Resp.from_dict(d)
    b = Resp.from_dict(copy.deepcopy(d))
    assert a == b
    assert (a != b) is False  # __ne__ itself, not only __eq__
    assert a is not b
    if a.choices:
        assert a.choices[0] == b.choices[0]
        assert a.choices[0] is not b.choices[0]


def _mutate_containers(value: Any) -> int:
    """Change every container inside ``value`` in place; return how many were changed."""
    count = 0
    stack: List[Any] = [value]
    while stack:
        v = stack.pop()
        if type(v) is dict:
            stack.extend(v.values())
            v["__mutated__"] = True
            count += 1
        elif type(v) is list:
            stack.extend(v)
            v.append("__mutated__")
            count += 1
    return count


@pytest.mark.slow
@SETTINGS
@given(responses())
def test_mutating_the_output_does_not_change_the_object(d: Dict[str, Any]) -> None:
    obj = Resp.from_dict(d)
    out = obj.to_dict()
    assert _mutate_containers(out) >= 2
    assert same(obj.to_dict(), d)
    json_out = json.loads(obj.to_json())
    assert same(json_out, d)


@pytest.mark.slow
@SETTINGS
@given(responses())
def test_mutating_the_input_does_not_change_the_object(d: Dict[str, Any]) -> None:
    expected = copy.deepcopy(d)
    obj = Resp.from_dict(d)
    _mutate_containers(d)
    assert same(obj.to_dict(), expected)


MUTATION_SETTINGS = settings(SETTINGS, max_examples=60)


def parse(how: Any, data: Any) -> Tuple[Any, Optional[cc.ValidationError]]:
    """(object, None) or (None, the ValidationError); any other exception propagates."""
    try:
        return how(data), None
    except cc.ValidationError as e:
        return None, e


@pytest.mark.slow
@pytest.mark.parametrize("kind", MUTATIONS)
@MUTATION_SETTINGS
@given(data=st.data())
def test_one_mutation_is_rejected_at_its_place_or_round_trips(kind: str, data: Any) -> None:
    doc, how, inserted = data.draw(mutated_responses(kind), label="mutated")
    before = snapshot(doc, inserted)
    where = first_error(doc)
    obj, e = parse(Resp.from_dict, doc)
    assert same(doc, before), f"{how}: from_dict changed its input"
    if e is not None:
        assert where is not None, f"{how}: valid input rejected: {e}"
        assert path_matches(e.path, where), (
            f"{how}: error at {e.path}, expected at {fmt_path(where)}: {e}")
        assert isinstance(e.expected, str)
        assert isinstance(e.found, str)
        assert len(str(e)) < 1000
    else:
        assert where is None, f"{how}: accepted, but invalid at {fmt_path(where)}"
        assert same(obj.to_dict(), doc), how


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["replace", "delete", "deep", "bool_for_int", "new_key", "nan"])
@MUTATION_SETTINGS
@given(data=st.data())
def test_one_mutation_through_json_text(kind: str, data: Any) -> None:
    doc, how, _ = data.draw(mutated_responses(kind), label="mutated")
    try:
        text = json.dumps(doc)  # NaN and Infinity written as such: from_json must refuse them
    except (TypeError, ValueError, RecursionError):
        return  # not expressible as JSON text: from_dict's job, tested above
    where = first_error(json.loads(text))
    obj, e = parse(Resp.from_json, text)
    if e is not None:
        assert where is not None, f"{how}: valid input rejected: {e}"
        assert path_matches(e.path, where), (
            f"{how}: error at {e.path}, expected at {fmt_path(where)}: {e}")
    else:
        assert where is None, f"{how}: accepted, but invalid at {fmt_path(where)}"
        assert same(json.loads(obj.to_json()), json.loads(text))


def test_the_oracle_agrees_with_hand_made_cases() -> None:
    """first_error itself must be able to say no (and say where)."""
    good = {"id": "a", "choices": [], "created": 1, "model": "m", "object": "chat.completion"}
    assert first_error(good) is None
    assert first_error({**good, "created": True}) == ("created",)
    assert first_error({**good, "object": "chat.completion.chunk"}) == ("object",)
    assert first_error({**good, "choices": [{"message": {}}]}) == ("choices", 0, "message")
    assert first_error({**good, "x": {1: 2}}) == ("x",)
    assert first_error({**good, "x": [float("nan")]}) == ("x", 0)
    assert first_error({**good, "usage": None}) is None
    assert first_error({k: v for k, v in good.items() if k != "choices"}) == ()
    assert first_error({"choices": []}) is None  # id, created, model, object: optional
    assert first_error({**good, "metadata": {"a": 1}}) == ("metadata", "a")
    assert RESPONSE in SCHEMA
