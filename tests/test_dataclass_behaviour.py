# SPDX-License-Identifier: MIT
"""The objects are ordinary dataclasses: ==, repr, replace, copy, deepcopy, pickle; equality
means the same JSON; no container is ever shared with the input or the output."""
from __future__ import annotations

import copy
import dataclasses
import inspect
import json
import pickle
import sys
from typing import Any, Dict

import pytest

from tests import DATA, cc
from tests.helpers import build, containers, ids, same
from tests.strategies import RESPONSE, SCHEMA, cls, full, get, keys, minimal, model_nodes

Resp = cc.CreateChatCompletionResponse
NAMES = list(SCHEMA)
FIXTURES = sorted((DATA / "responses").glob("*.json"))
PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))  # 0 and 1 cannot pickle slots themselves
# Every model class the package exports, the stream and batch classes included.
MODEL_CLASSES = sorted({getattr(cc, n) for n in cc.__all__ if isinstance(getattr(cc, n), type)
                        and dataclasses.is_dataclass(getattr(cc, n))}, key=lambda c: c.__name__)
# Values for the required fields of the classes the schema in strategies.py does not cover.
REQUIRED_VALUES: Dict[str, Any] = {"choices": [], "status_code": 200, "custom_id": "a"}


def with_nulls(C: Any) -> Dict[str, Any]:
    """A valid dict of class C with every optional key an explicit null and an unknown key."""
    if C.__name__ in SCHEMA:
        d = {**minimal(C.__name__), **dict.fromkeys(SCHEMA[C.__name__][1])}
    else:
        d = {f.name: None if f.default is None else REQUIRED_VALUES[f.name]
             for f in dataclasses.fields(C) if f.name != "extra"}
    d["x_v"] = [1.5, True, None, {"a": {}}]
    return d


def fixture(path: Any) -> Dict[str, Any]:
    return json.loads(path.read_bytes())  # type: ignore[no-any-return]


def decorated() -> Dict[str, Any]:
    """A full response with an unknown key (holding containers) on every object of the tree,
    and an explicit null for the first optional scalar of each."""
    doc = full(RESPONSE)
    for i, (name, _, d) in enumerate(model_nodes(RESPONSE, doc)):
        d[f"x_{i}"] = {"a": [i, {"b": [None]}], "c": {}}
        scalars = [k for k, kind in SCHEMA[name][1].items() if kind[0] in ("str", "int")]
        if scalars:
            d[scalars[0]] = None
    return doc


# -- dataclass basics ----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_is_a_dataclass_whose_fields_are_the_json_keys(name: str) -> None:
    C = cls(name)
    obj = C.from_dict(full(name))
    assert dataclasses.is_dataclass(C)
    assert dataclasses.is_dataclass(obj)
    names = [f.name for f in dataclasses.fields(C)]
    assert set(names) == set(keys(name)) | {"extra"}  # nothing internal, no `_nulls`
    assert names[-1] == "extra"
    # the constructor takes the fields and `extra`, nothing else
    assert list(inspect.signature(C).parameters) == names
    for key in keys(name):
        assert hasattr(obj, key)


@pytest.mark.parametrize("name", NAMES)
def test_unhashable(name: str) -> None:
    obj = cls(name).from_dict(full(name))
    with pytest.raises(TypeError):
        hash(obj)
    with pytest.raises(TypeError):
        {obj}  # noqa: B018


@pytest.mark.skipif(sys.version_info < (3, 10), reason="slots only on 3.10+")
@pytest.mark.parametrize("name", NAMES)
def test_slots_on_310_and_later(name: str) -> None:
    obj = cls(name).from_dict(minimal(name))
    assert not hasattr(obj, "__dict__")
    with pytest.raises(AttributeError):
        obj.not_a_field = 1


@pytest.mark.parametrize("name", NAMES)
def test_repr_shows_fields_not_nulls(name: str) -> None:
    d = {**minimal(name), **dict.fromkeys(SCHEMA[name][1]), "x_v": "marker"}
    obj = cls(name).from_dict(d)
    text = repr(obj)
    assert text.startswith(f"{name}(")
    assert "_nulls" not in text
    assert "'x_v': 'marker'" in text
    for key in keys(name):
        assert f"{key}=" in text


def test_repr_of_a_fixture_shows_values() -> None:
    obj = Resp.from_dict(fixture(DATA / "responses" / "openai_docs_default.json"))
    text = repr(obj)
    assert "id='chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT'" in text
    assert "content='Hello! How can I assist you today?'" in text
    assert "ChatCompletionResponseMessage(role='assistant'" in text


# -- equality is JSON equality --------------------------------------------------------------


def test_equality_is_equality_of_to_dict_across_fixtures() -> None:
    objs = [Resp.from_dict(fixture(p)) for p in FIXTURES]
    for i, a in enumerate(objs):
        for j, b in enumerate(objs):
            assert (a == b) == (i == j) == (a.to_dict() == b.to_dict())
            assert (a != b) == (i != j)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(system_fingerprint=None),
        lambda d: d.update(x_vendor=1),
        lambda d: d.update(x_vendor=None),
        lambda d: d["choices"][0].update(x=[]),
        lambda d: d["choices"][0]["message"].update(refusal=None),
        lambda d: d["choices"][0]["message"].pop("content"),
        lambda d: d["choices"][0]["message"]["tool_calls"][1].update(type=None),
        lambda d: d["choices"][0]["logprobs"]["content"][0]["bytes"].append(1),
        lambda d: d["choices"].append({}),
        lambda d: d["choices"].reverse(),
        lambda d: d["usage"].update(completion_tokens_details=None),
        lambda d: d["moderation"].update(z=None),
        lambda d: d["metadata"].update(z=""),
    ],
)
def test_any_json_difference_is_an_inequality(change: Any) -> None:
    d = full(RESPONSE)
    d["choices"][0]["message"]["tool_calls"] = [{"id": "a"}, {"id": "b"}]
    other = copy.deepcopy(d)
    change(other)
    a, b = Resp.from_dict(d), Resp.from_dict(other)
    assert a.to_dict() != b.to_dict()
    assert a != b
    assert (a == b) is False  # __eq__ itself, not only __ne__
    assert a == Resp.from_dict(copy.deepcopy(d))


def test_equal_json_is_equal_objects() -> None:
    a = Resp.from_dict(full(RESPONSE))
    b = build(RESPONSE, full(RESPONSE))
    assert a == b
    d = {"token": "a", "logprob": 0}
    assert cc.ChatCompletionTokenLogprob.from_dict(d) == cc.ChatCompletionTokenLogprob.from_dict(
        {"token": "a", "logprob": 0.0})  # 0 == 0.0 in JSON and in Python alike
    key_order = dict(reversed(list(full(RESPONSE).items())))
    assert Resp.from_dict(key_order) == a


def test_different_classes_are_never_equal() -> None:
    empties = [cls(n)() for n in NAMES if not SCHEMA[n][0]]
    assert len(empties) >= 8
    for i, a in enumerate(empties):
        assert a.to_dict() == {}
        for j, b in enumerate(empties):
            assert (a == b) == (i == j)
    obj = Resp.from_dict(full(RESPONSE))
    assert obj != obj.to_dict()
    assert obj.to_dict() != obj
    assert obj.__eq__(obj.to_dict()) is NotImplemented
    assert obj != None  # noqa: E711


# -- replace, copy, deepcopy, pickle -----------------------------------------------------------


def test_replace() -> None:
    d = decorated()
    d["system_fingerprint"] = None
    obj = Resp.from_dict(d)
    changed = dataclasses.replace(obj, model="other")
    assert changed.model == "other"
    assert same(changed.to_dict(), {**d, "model": "other"})  # explicit nulls and extras kept
    assert same(obj.to_dict(), d)
    fp = dataclasses.replace(obj, system_fingerprint="fp")
    assert fp.to_dict()["system_fingerprint"] == "fp"
    assert fp == Resp.from_dict({**d, "system_fingerprint": "fp"})
    msg = Resp.from_dict(full(RESPONSE)).choices[0].message
    assert msg.content is not None
    gone = dataclasses.replace(msg, content=None)
    assert "content" not in gone.to_dict()
    assert msg.content is not None


@pytest.mark.parametrize("name", NAMES)
def test_copy_and_deepcopy(name: str) -> None:
    d = {**full(name), "x_v": {"a": [1]}}
    obj = cls(name).from_dict(d)
    shallow = copy.copy(obj)
    assert shallow == obj
    assert shallow is not obj
    assert type(shallow) is type(obj)
    deep = copy.deepcopy(obj)
    assert deep == obj
    assert deep is not obj
    assert type(deep) is type(obj)
    assert not ids(deep) & ids(obj)
    deep.extra["x_v"]["a"].append(2)
    assert same(obj.to_dict(), d)
    assert deep != obj


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickle_every_fixture(protocol: int) -> None:
    for p in FIXTURES:
        d = fixture(p)
        obj = Resp.from_dict(d)
        back = pickle.loads(pickle.dumps(obj, protocol))
        assert type(back) is Resp
        assert back == obj
        assert same(back.to_dict(), d), p.name


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("name", NAMES)
def test_pickle_every_class_with_nulls_and_extras(name: str, protocol: int) -> None:
    d = {**minimal(name), **dict.fromkeys(SCHEMA[name][1]), "x_v": [1.5, True, None]}
    obj = cls(name).from_dict(d)
    back = pickle.loads(pickle.dumps(obj, protocol))
    assert type(back) is cls(name)
    assert same(back.to_dict(), d)
    full_obj = cls(name).from_dict(full(name))
    assert same(pickle.loads(pickle.dumps(full_obj, protocol)).to_dict(), full(name))


def test_every_model_class_is_covered() -> None:
    names = {C.__name__ for C in MODEL_CLASSES}
    assert set(SCHEMA) <= names
    assert {"CreateChatCompletionStreamResponse", "ChatCompletionStreamResponseDelta",
            "ChoiceDeltaAudio", "BatchOutputLine", "BatchResponse"} <= names
    assert len(names) == len(SCHEMA) + 8


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("C", MODEL_CLASSES, ids=lambda C: C.__name__)
def test_every_class_pickles_at_every_protocol(C: Any, protocol: int) -> None:
    d = with_nulls(C)
    obj = C.from_dict(copy.deepcopy(d))
    assert same(obj.to_dict(), d)  # the sample is valid, nulls kept
    back = pickle.loads(pickle.dumps(obj, protocol))
    assert type(back) is C
    assert same(back.to_dict(), d)  # nulls and extras survive
    assert back == obj
    assert type(back.extra) is type(obj.extra)  # the dict that remembers nulls stays one
    built = C(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(C)
                 if f.name != "extra"})  # built in code: no nulls, a plain extra
    assert same(pickle.loads(pickle.dumps(built, protocol)).to_dict(), built.to_dict())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_captured_chunks_pickle_at_every_protocol(protocol: int) -> None:
    Chunk = cc.CreateChatCompletionStreamResponse
    for path in sorted((DATA / "streams").glob("*.sse")):
        for c in cc.iter_chunks([path.read_bytes()]) if "error" not in path.stem else ():
            back = pickle.loads(pickle.dumps(c, protocol))
            assert type(back) is Chunk
            assert back.to_dict() == c.to_dict()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_constant_assigned_in_code_pickles_and_serializes_plain(protocol: int) -> None:
    choice = cc.Choice.from_dict({"index": 0, "finish_reason": None})
    choice.finish_reason = cc.FinishReason.STOP
    back = pickle.loads(pickle.dumps(choice, protocol))
    assert back.to_dict() == {"index": 0, "finish_reason": "stop"}
    assert type(back.to_dict()["finish_reason"]) is str


def test_200_levels_work_everywhere() -> None:
    doc = decorated()
    node = doc["choices"][0]["message"]["x_deep"] = {}  # the message is level 4
    for _ in range(200 - 5):
        node["n"] = {}
        node = node["n"]
    obj = Resp.from_dict(doc)
    assert same(obj.to_dict(), doc)
    assert same(json.loads(obj.to_json()), doc)
    assert "'n': {'n':" in repr(obj)
    assert copy.deepcopy(obj) == obj
    for protocol in PROTOCOLS:
        assert pickle.loads(pickle.dumps(obj, protocol)) == obj
    assert dataclasses.replace(obj, id="z").choices[0].message.extra == obj.choices[0].message.extra


# -- no aliasing -------------------------------------------------------------------------------


def _mutate_everything(value: Any) -> None:
    for c in list(containers(value)):
        if isinstance(c, dict):
            c["__mutated__"] = True
        else:
            c.append("__mutated__")


def test_no_container_is_shared_with_the_input() -> None:
    d = decorated()
    expected = copy.deepcopy(d)
    obj = Resp.from_dict(d)
    assert not ids(obj) & ids(d)
    _mutate_everything(d)
    assert same(obj.to_dict(), expected)


def test_no_container_is_shared_with_the_output() -> None:
    d = decorated()
    obj = Resp.from_dict(d)
    out = obj.to_dict()
    assert not ids(out) & ids(obj)
    assert not ids(out) & ids(obj.to_dict())
    _mutate_everything(out)
    assert same(obj.to_dict(), d)


def test_objects_built_in_code_share_nothing_with_their_output() -> None:
    d = full(RESPONSE)
    obj = build(RESPONSE, d)
    for i, (_, path, node) in enumerate(model_nodes(RESPONSE, d)):
        node[f"x_{i}"] = {"a": [i, {"b": [None]}]}
        get(obj, path).extra[f"x_{i}"] = {"a": [i, {"b": [None]}]}
    out = obj.to_dict()
    assert same(out, d)
    assert not ids(out) & ids(obj)
    _mutate_everything(out)
    assert same(obj.to_dict(), d)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_no_container_is_shared_in_any_fixture(path: Any) -> None:
    d = fixture(path)
    obj = Resp.from_dict(d)
    out = obj.to_dict()
    assert not ids(obj) & ids(d)
    assert not ids(out) & ids(obj)
    _mutate_everything(d)
    _mutate_everything(out)
    assert same(obj.to_dict(), fixture(path))


@pytest.mark.parametrize("make", [decorated, lambda: full(RESPONSE)], ids=["decorated", "plain"])
@pytest.mark.parametrize(
    ("where", "field"),
    [
        ((), "metadata"),
        ((), "moderation"),
        ((), "choices"),
        ((), "extra"),
        (("choices", 0), "extra"),
        (("choices", 0, "message"), "tool_calls"),
        (("choices", 0, "message"), "annotations"),
        (("choices", 0, "message"), "extra"),
        (("choices", 0, "message", "tool_calls", 0), "extra"),
        (("choices", 0, "logprobs"), "content"),
        (("choices", 0, "logprobs"), "refusal"),
        (("choices", 0, "logprobs", "content", 0), "bytes"),
        (("choices", 0, "logprobs", "content", 0), "top_logprobs"),
        (("choices", 0, "logprobs", "content", 0, "top_logprobs", 0), "bytes"),
        (("usage",), "extra"),
        (("usage", "prompt_tokens_details"), "extra"),
    ],
)
def test_each_container_field_is_copied_both_ways(make: Any, where: Any, field: str) -> None:
    d = make()
    obj = Resp.from_dict(d)
    node = obj
    src: Any = d
    for seg in where:
        node = node[seg] if type(seg) is int else getattr(node, seg)
        src = src[seg]
    value = getattr(node, field)
    assert isinstance(value, (list, dict))  # `extra` may be the dict that remembers nulls
    if field != "extra":
        assert value is not src[field]
        assert value == src[field] or field in ("choices", "tool_calls", "annotations",
                                                 "content", "refusal", "top_logprobs")
    out = node.to_dict()
    if field == "extra":
        for k, v in value.items():
            assert out[k] == v
            assert (out[k] is not v or type(v) not in (list, dict))
    else:
        assert out[field] is not value
    # mutate what the object holds: neither the input nor an earlier output changes
    before_in, before_out = copy.deepcopy(d), copy.deepcopy(out)
    if isinstance(value, dict):
        value["__mutated__"] = "x"
    else:
        value.append(value[0])
    assert same(d, before_in)
    assert same(out, before_out)


def test_pickle_and_copies_keep_token_extras_unallocated() -> None:
    # A logprobs response holds thousands of tokens: a copy must not gain an empty dict each.
    d = {"token": "a", "logprob": -1.0, "bytes": [97],
         "top_logprobs": [{"token": "a", "logprob": -1.0, "bytes": [97]}]}
    token = cc.ChatCompletionTokenLogprob.from_dict(d)
    makes = [copy.deepcopy, copy.copy]
    makes += [lambda o, p=p: pickle.loads(pickle.dumps(o, p)) for p in PROTOCOLS]  # type: ignore[misc]
    for make in makes:
        other = make(token)
        assert other.to_dict() == d
        assert other == token
        if sys.version_info >= (3, 10):  # with slots: the attribute stays unallocated
            assert other._extra is None
            assert other.top_logprobs[0]._extra is None
        assert other.extra == {}  # ... and reads as an ordinary dict
    token.extra["x"] = 1
    assert pickle.loads(pickle.dumps(token)).to_dict() == {**d, "x": 1}


# -- objects built in code with values of the wrong type ------------------------------------------


class _Hostile:
    """A value whose == raises."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("compared")

    __hash__ = object.__hash__


def _cyclic() -> Dict[str, Any]:
    d: Dict[str, Any] = {}
    d["self"] = d
    return d


WRONG_IN_CODE = {
    "choices-str": lambda: Resp(choices="x"),
    "choices-int-items": lambda: Resp(choices=[1]),
    "message-dict": lambda: Resp(choices=[cc.Choice(message={"role": "assistant"})]),
    "usage-str": lambda: Resp(usage="x"),
    "created-str": lambda: Resp(created="1"),
    "role-none": lambda: cc.ChatCompletionMessage(role=None),
    "content-int": lambda: cc.ChatCompletionMessage(role="assistant", content=5),
    "tool-calls-dicts": lambda: cc.ChatCompletionMessage(role="assistant", tool_calls=[{"id": 1}]),
    "counts": lambda: cc.CompletionUsage(completion_tokens=None, prompt_tokens="1",
                                         total_tokens=1.5),
    "extra-list": lambda: Resp(extra=[1]),
    "metadata-int-key": lambda: Resp(metadata={1: "2"}),
    "moderation-set": lambda: Resp(moderation={1, 2}),
    "token": lambda: cc.ChatCompletionTokenLogprob(token=1, logprob="x", bytes="ab"),
    "top-bytes-int": lambda: cc.TopLogprob(bytes=5),
    "function-none": lambda: cc.Function(name=None, arguments=None),  # type: ignore[arg-type]
    "hostile-name": lambda: cc.Function(name=_Hostile(), arguments=""),
    "hostile-extra": lambda: Resp(extra={"x": _Hostile()}),
    "cyclic-extra": lambda: Resp(extra=_cyclic()),
    "nan": lambda: cc.ChatCompletionTokenLogprob(token="a", logprob=float("nan")),
    "chunk-choices-none": lambda: cc.ChatCompletionChunk(choices=None),
    "delta-tool-calls-str": lambda: cc.ChoiceDelta(tool_calls="x"),
    "batch-status-str": lambda: cc.BatchResponse(status_code="200"),
}


@pytest.mark.parametrize("make", WRONG_IN_CODE.values(), ids=WRONG_IN_CODE.keys())
def test_wrong_types_built_in_code_never_break_eq_or_repr_and_fail_validate(make: Any) -> None:
    a, b = make(), make()
    text = repr(a)
    assert text.startswith(type(a).__name__ + "(")
    assert a == copy.copy(a)  # the same values
    assert (a == b) in (True, False)  # never raises
    assert (a != b) in (True, False)
    valid = type(a).from_dict(with_nulls(type(a)))
    assert a != valid
    assert valid != a
    assert a != 1
    with pytest.raises(cc.ValidationError):
        a.validate()


def test_validate_accepts_what_from_dict_accepts() -> None:
    for p in FIXTURES:
        Resp.from_dict(fixture(p)).validate()
    build(RESPONSE, full(RESPONSE)).validate()
    msg = cc.ChatCompletionMessage(role=cc.ChatCompletionResponseMessageRole.ASSISTANT)
    msg.validate()  # a constant is a plain string in to_dict
    msg.content = 5  # type: ignore[assignment]
    with pytest.raises(cc.ValidationError) as info:
        msg.validate()
    assert (info.value.path, info.value.found) == ("$.content", "int")
