# SPDX-License-Identifier: MIT
"""Every public class: built in code, read from minimal and full dicts, explicit null versus
absent for each optional key, unknown keys at every level, names, enums and aliases."""
from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Tuple

import pytest

from tests import cc
from tests.helpers import build, same
from tests.strategies import (
    MESSAGE,
    RESPONSE,
    SCHEMA,
    TOKEN,
    cls,
    full,
    get,
    keys,
    minimal,
    model_nodes,
    sample,
)

NAMES = list(SCHEMA)
OPTIONAL_KEYS: List[Tuple[str, str]] = [
    (name, key) for name in NAMES for key in SCHEMA[name][1]
]
REQUIRED_KEYS: List[Tuple[str, str]] = [
    (name, key) for name in NAMES for key in SCHEMA[name][0]
]
TREE_MODULES = {"_response", "_message", "_tools", "_logprobs", "_usage"}


def test_the_schema_covers_every_public_class_of_the_response_tree() -> None:
    exported = {
        getattr(cc, n) for n in cc.__all__
        if isinstance(getattr(cc, n), type)
        and getattr(cc, n).__module__.rsplit(".", 1)[-1] in TREE_MODULES
        and hasattr(getattr(cc, n), "from_dict")
    }
    assert {cls(n) for n in NAMES} == exported
    for n in NAMES:
        assert cls(n).__name__ == n
        assert n in cc.__all__


def test_dir_lists_the_lazily_imported_names() -> None:
    names = dir(cc)
    assert names == sorted(names)
    # Names served by the module's __getattr__ on first use are listed before that use.
    for name in ("ChatCompletionAccumulator", "accumulate", "iter_batch_output",
                 "iter_chunks", "aiter_chunks", "ChatCompletionChunk", "ChoiceDeltaToolCall"):
        assert name in names
    assert "ValidationError" in names
    assert "StreamError" in names
    assert set(cc.__all__) <= set(names)


def test_all_names_exist() -> None:
    for n in cc.__all__:
        assert hasattr(cc, n), n
    assert len(set(cc.__all__)) == len(cc.__all__)
    assert type(cc.__version__) is str


@pytest.mark.parametrize("name", NAMES)
def test_built_in_code_omits_fields_left_at_none(name: str) -> None:
    obj = build(name, minimal(name))
    out = obj.to_dict()
    assert same(out, minimal(name))
    for key in SCHEMA[name][1]:
        assert getattr(obj, key) is None
        assert key not in out
    assert obj.extra == {}
    assert same(json.loads(obj.to_json()), minimal(name))


@pytest.mark.parametrize("name", NAMES)
def test_built_in_code_with_every_field(name: str) -> None:
    obj = build(name, full(name))
    assert same(obj.to_dict(), full(name))
    assert obj == cls(name).from_dict(full(name))


@pytest.mark.parametrize("name", NAMES)
def test_built_in_code_with_extra(name: str) -> None:
    obj = build(name, minimal(name))
    obj.extra["x_vendor"] = {"a": [1, None]}
    assert same(obj.to_dict(), {**minimal(name), "x_vendor": {"a": [1, None]}})


@pytest.mark.parametrize("name", NAMES)
def test_from_minimal_dict(name: str) -> None:
    d = minimal(name)
    obj = cls(name).from_dict(d)
    assert type(obj) is cls(name)
    for key, kind in SCHEMA[name][0].items():
        value = getattr(obj, key)
        if kind[0] == "obj":
            assert type(value) is cls(kind[1])
        elif kind[0] == "list":
            assert type(value) is list
            assert [type(v) for v in value] == [cls(kind[1])] * len(d[key])
        else:
            assert same(value, d[key])
    for key in SCHEMA[name][1]:
        assert getattr(obj, key) is None
    assert obj.extra == {}
    assert same(obj.to_dict(), d)


@pytest.mark.parametrize("name", NAMES)
def test_from_full_dict(name: str) -> None:
    d = full(name)
    obj = cls(name).from_dict(d)
    for key, kind in keys(name).items():
        value = getattr(obj, key)
        if kind[0] == "obj":
            assert type(value) is cls(kind[1])
            assert same(value.to_dict(), d[key])
        elif kind[0] == "list":
            assert type(value) is list
            assert [type(v) for v in value] == [cls(kind[1])] * len(d[key])
            assert same([v.to_dict() for v in value], d[key])
        else:
            assert same(value, d[key]), key
    assert obj.extra == {}
    assert same(obj.to_dict(), d)
    assert same(cls(name).from_json(json.dumps(d)).to_dict(), d)


@pytest.mark.parametrize(("name", "key"), OPTIONAL_KEYS, ids=[f"{n}.{k}" for n, k in OPTIONAL_KEYS])
def test_explicit_null_versus_absent(name: str, key: str) -> None:
    C = cls(name)
    absent = minimal(name)
    null = {**minimal(name), key: None}
    given = {**minimal(name), key: sample(keys(name)[key])}

    a, n, g = C.from_dict(absent), C.from_dict(null), C.from_dict(given)
    assert getattr(a, key) is None
    assert getattr(n, key) is None
    assert getattr(g, key) is not None
    assert key not in a.to_dict()
    assert same(n.to_dict(), null)
    assert same(a.to_dict(), absent)
    assert same(g.to_dict(), given)
    assert a != n
    assert n != g
    assert a != g
    assert n == C.from_dict({**minimal(name), key: None})
    assert same(C.from_json(json.dumps(null)).to_dict(), null)
    assert json.loads(n.to_json()) == null
    assert json.loads(a.to_json()) == absent
    assert n.extra == {}
    assert a.extra == {}


@pytest.mark.parametrize("name", NAMES)
def test_every_optional_key_null_at_once(name: str) -> None:
    d = {**minimal(name), **dict.fromkeys(SCHEMA[name][1])}
    obj = cls(name).from_dict(d)
    assert same(obj.to_dict(), d)
    assert obj.extra == {}


@pytest.mark.parametrize(("name", "key"), OPTIONAL_KEYS, ids=[f"{n}.{k}" for n, k in OPTIONAL_KEYS])
def test_null_kept_when_nested_in_a_response(name: str, key: str) -> None:
    doc = full(RESPONSE)
    nodes = [(path, d) for n, path, d in model_nodes(RESPONSE, doc) if n == name]
    assert nodes
    for _, d in nodes:
        d[key] = None
    obj = cls(RESPONSE).from_dict(doc)
    assert same(obj.to_dict(), doc)
    for path, _ in nodes:
        assert getattr(get(obj, path), key) is None
    for _, d in nodes:
        del d[key]
    other = cls(RESPONSE).from_dict(doc)
    assert same(other.to_dict(), doc)
    assert other != obj


def test_unknown_keys_at_every_level() -> None:
    doc = full(RESPONSE)
    nodes = list(model_nodes(RESPONSE, doc))
    assert {n for n, _, _ in nodes} == set(NAMES)
    before_objects = len(nodes)
    for i, (_, _, d) in enumerate(nodes):
        d[f"x_{i}"] = {"level": i, "v": [i, None, True, 1.5, "é", {"deep": [[]]}]}
    obj = cls(RESPONSE).from_dict(doc)
    assert same(obj.to_dict(), doc)
    assert same(json.loads(obj.to_json()), doc)
    seen = 0
    for i, (name, path, _) in enumerate(model_nodes(RESPONSE, doc)):
        node = get(obj, path)
        assert type(node) is cls(name)
        assert same(node.extra, {f"x_{i}": doc_value(doc, path, f"x_{i}")})
        seen += 1
    assert seen == before_objects


def doc_value(doc: Dict[str, Any], path: Tuple[Any, ...], key: str) -> Any:
    return get(doc, path)[key]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "unknown",
    [
        {"extra": {"a": 1}},
        {"_nulls": ["id", "content"]},
        {"to_dict": 1, "from_dict": None, "__class__": "x", "reasoning_text": "r"},
        {"": "", "a b": [], "0": 0, "é": "é", "\u0000": False},
        {"x_float": 1.0, "x_int": 1, "x_true": True, "x_null": None, "x_zero": 0, "x_false": False},
        {"x_big": 10**4300 - 1, "x_neg": -(10**4300 - 1), "x_tiny": 5e-324, "x_huge": 1.7e308},
    ],
    ids=["extra", "_nulls", "method-names", "odd-names", "types", "limits"],
)
def test_unknown_keys_land_in_extra(name: str, unknown: Dict[str, Any]) -> None:
    d = {**minimal(name), **copy.deepcopy(unknown)}
    obj = cls(name).from_dict(d)
    assert same(obj.extra, unknown)
    assert same(obj.to_dict(), d)
    for key in SCHEMA[name][1]:
        assert getattr(obj, key) is None
    if "x_big" not in unknown:
        assert same(json.loads(obj.to_json()), d)
    else:
        assert obj.to_json().count("9" * 4300) == 2


# -- reasoning_text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, None),
        ({"reasoning_content": "a"}, "a"),
        ({"reasoning": "b"}, "b"),
        ({"reasoning_content": "a", "reasoning": "b"}, "a"),
        ({"reasoning": "b", "reasoning_content": "a"}, "a"),
        ({"reasoning_content": "", "reasoning": "b"}, ""),
        ({"reasoning_content": None, "reasoning": "b"}, "b"),
        ({"reasoning_content": 5, "reasoning": "b"}, "b"),
        ({"reasoning_content": ["a"], "reasoning": None}, None),
        ({"reasoning": {"text": "x"}}, None),
        ({"reasoning": True}, None),
        ({"reasoning_content": None}, None),
        ({"reasoning_details": "x", "thinking": "y"}, None),
    ],
)
def test_reasoning_text(extra: Dict[str, Any], expected: Any) -> None:
    d = {"role": "assistant", "content": "hi", **extra}
    msg = cc.ChatCompletionResponseMessage.from_dict(d)
    assert msg.reasoning_text == expected
    assert type(msg.reasoning_text) is type(expected)
    assert same(msg.extra, extra)
    assert same(msg.to_dict(), d)
    built = cc.ChatCompletionResponseMessage(role="assistant", extra=dict(extra))
    assert built.reasoning_text == expected


def test_reasoning_text_is_read_only_and_not_serialized() -> None:
    msg = cc.ChatCompletionResponseMessage.from_dict({"role": "assistant", "reasoning": "r"})
    with pytest.raises(AttributeError):
        msg.reasoning_text = "other"  # type: ignore[misc]
    assert msg.to_dict() == {"role": "assistant", "reasoning": "r"}
    msg.extra["reasoning_content"] = "now"
    assert msg.reasoning_text == "now"


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "primary"),
    [
        ("ChatCompletion", "CreateChatCompletionResponse"),
        ("Choice", "CreateChatCompletionResponseChoices"),
        ("ChatCompletionMessage", "ChatCompletionResponseMessage"),
        ("CompletionUsage", "CreateChatCompletionResponseUsage"),
        ("ChatCompletionMessageToolCallUnion", "ChatCompletionMessageToolCall"),
        ("FunctionCall", "Function"),
        ("CreateChatCompletionResponseChoicesFinishReason", "FinishReason"),
    ],
)
def test_sdk_aliases_are_the_same_classes(alias: str, primary: str) -> None:
    assert getattr(cc, alias) is getattr(cc, primary)
    assert alias in cc.__all__
    assert primary in cc.__all__


@pytest.mark.parametrize(
    ("name", "kind", "other"),
    [("ChatCompletionMessageFunctionToolCall", "function", "custom"),
     ("ChatCompletionMessageCustomToolCall", "custom", "function")],
)
def test_sdk_names_for_the_two_kinds_of_tool_call_never_make_isinstance_lie(
        name: str, kind: str, other: str) -> None:
    """DESIGN 2: where the SDK has a class per kind of call and this library one class,
    the SDK's names test the kind instead of aliasing the class."""
    K = getattr(cc, name)
    assert name in cc.__all__
    assert K is not cc.ChatCompletionMessageToolCall
    fn = {"name": "f", "arguments": "{}"}
    custom = {"name": "t", "input": "x"}
    by_type = cc.ChatCompletionMessageToolCall.from_dict({"id": "a", "type": kind})
    by_payload = cc.ChatCompletionMessageToolCall.from_dict(
        {"id": "a", "function": fn} if kind == "function" else {"id": "a", "custom": custom})
    assert isinstance(by_type, K)
    assert isinstance(by_payload, K)  # no type (Mistral): told from the payload
    assert by_payload.kind == kind
    wrong = cc.ChatCompletionMessageToolCall.from_dict({"id": "a", "type": other})
    assert not isinstance(wrong, K)
    assert not isinstance(cc.ChatCompletionMessageToolCall(), K)  # neither payload: no kind
    assert not isinstance({"id": "a", "type": kind}, K)
    assert not isinstance(cc.Function(name="f", arguments=""), K)
    # Calling it builds the library's one class, of that kind unless told otherwise.
    built = K(id="c")
    assert type(built) is cc.ChatCompletionMessageToolCall
    assert built.to_dict() == {"id": "c", "type": kind}
    assert isinstance(built, K)
    assert K(id="c", type=other).type == other


@pytest.mark.parametrize(
    ("enum", "members"),
    [
        ("ChatCompletionResponseMessageRole", {
            "SYSTEM": "system", "USER": "user", "ASSISTANT": "assistant",
            "DEVELOPER": "developer", "TOOL": "tool"}),
        ("FinishReason", {
            "STOP": "stop", "LENGTH": "length", "TOOL_CALLS": "tool_calls",
            "CONTENT_FILTER": "content_filter", "FUNCTION_CALL": "function_call"}),
        ("ServiceTier", {
            "AUTO": "auto", "DEFAULT": "default", "FLEX": "flex", "SCALE": "scale",
            "PRIORITY": "priority"}),
        ("ToolCallType", {"FUNCTION": "function", "CUSTOM": "custom"}),
        ("AnnotationType", {"URL_CITATION": "url_citation"}),
    ],
)
def test_str_enums_compare_equal_to_json_strings(enum: str, members: Dict[str, str]) -> None:
    E = getattr(cc, enum)
    assert issubclass(E, str)
    for member_name, value in members.items():
        m = getattr(E, member_name)
        assert m == value
        assert value == m
        assert m.value == value
        assert str(m) == value
        assert f"{m}" == value
        assert hash(m) == hash(value)
        assert {value: 1}[m] == 1
        assert E(value) is m
        assert json.dumps(m) == json.dumps(value)
    for m in E:
        assert m.value == m.value.lower()
        assert m != "x_unknown"


def test_role_enum_matches_a_parsed_message() -> None:
    msg = cc.ChatCompletionResponseMessage.from_dict({"role": "assistant"})
    assert msg.role == cc.ChatCompletionResponseMessageRole.ASSISTANT
    assert type(msg.role) is str


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (MESSAGE, "role"),
        ("CreateChatCompletionResponseChoices", "finish_reason"),
        (RESPONSE, "service_tier"),
        ("ChatCompletionMessageToolCall", "type"),
        ("Annotation", "type"),
    ],
)
@pytest.mark.parametrize("value", ["x_new_value", "", "STOP", "stop "])
def test_unknown_enum_values_are_kept(name: str, key: str, value: str) -> None:
    d = {**minimal(name), key: value}
    obj = cls(name).from_dict(d)
    assert getattr(obj, key) == value
    assert type(getattr(obj, key)) is str
    assert same(obj.to_dict(), d)


# -- numbers, object, metadata, moderation --------------------------------------------------


@pytest.mark.parametrize("value", [0, -3, 2**70, -(10**4300 - 1)])
def test_int_accepted_for_float_logprob_and_kept_int(value: int) -> None:
    tok = cc.ChatCompletionTokenLogprob.from_dict(
        {"token": "a", "logprob": value, "top_logprobs": [{"token": "b", "logprob": value}]})
    assert tok.logprob == value
    assert type(tok.logprob) is int
    assert type(tok.top_logprobs[0].logprob) is int
    out = tok.to_dict()
    assert type(out["logprob"]) is int
    assert type(out["top_logprobs"][0]["logprob"]) is int


@pytest.mark.parametrize("value", [-0.0, 0.0, -1.5, 1e-300, -1.7976931348623157e308, 5e-324])
def test_floats_kept_exactly(value: float) -> None:
    d = {"token": "a", "logprob": value}
    tok = cc.ChatCompletionTokenLogprob.from_dict(d)
    assert type(tok.logprob) is float
    assert repr(tok.logprob) == repr(value)
    assert repr(json.loads(tok.to_json())["logprob"]) == repr(value)


def test_int_fields_keep_zero_and_negatives() -> None:
    d = {"completion_tokens": 0, "prompt_tokens": -1, "total_tokens": 10**4300 - 1}
    u = cc.CreateChatCompletionResponseUsage.from_dict(d)
    assert same(u.to_dict(), d)


@pytest.mark.parametrize(
    "value",
    ["chat.completion", "", "list", "chat.completion.done", "CHAT.COMPLETION.CHUNK",
     "chat.completion.chunk ", " chat.completion.chunk", "chat.completion.chunk.x"],
)
def test_object_may_be_any_string_but_the_chunk(value: str) -> None:
    d = {**minimal(RESPONSE), "object": value}
    obj = cc.CreateChatCompletionResponse.from_dict(d)
    assert obj.object == value
    assert same(obj.to_dict(), d)


def test_a_stream_chunk_is_rejected_with_a_pointer_to_the_stream_class() -> None:
    d = {**minimal(RESPONSE), "object": "chat.completion.chunk"}
    for parse in (cc.CreateChatCompletionResponse.from_dict,
                  lambda x: cc.CreateChatCompletionResponse.from_json(json.dumps(x))):
        with pytest.raises(cc.ValidationError) as info:
            parse(d)
        e = info.value
        assert e.path == "$.object"
        assert "CreateChatCompletionStreamResponse" in str(e)
        assert str(e).endswith(" - at `$.object`")
        assert (e.expected, e.found) == ("chat.completion", "chat.completion.chunk")


@pytest.mark.parametrize("metadata", [{}, {"a": "b"}, {"": "", "a b": "é", "k": "v" * 1000}])
def test_metadata_is_a_str_map(metadata: Dict[str, str]) -> None:
    d = {**minimal(RESPONSE), "metadata": dict(metadata)}
    obj = cc.CreateChatCompletionResponse.from_dict(d)
    assert obj.metadata == metadata
    assert type(obj.metadata) is dict
    assert same(obj.to_dict(), d)


@pytest.mark.parametrize(
    ("metadata", "path", "found"),
    [
        ({"a": 1}, "$.metadata.a", "int"),
        ({"a": None}, "$.metadata.a", "null"),
        ({"a": "b", "c": ["d"]}, "$.metadata.c", "array"),
        ({"a": {"b": "c"}}, "$.metadata.a", "object"),
        ({"a": True}, "$.metadata.a", "bool"),
        ({1: "a"}, "$.metadata", "int"),
        (["a"], "$.metadata", "array"),
        ("a=b", "$.metadata", "str"),
    ],
)
def test_metadata_rejects_non_strings(metadata: Any, path: str, found: str) -> None:
    with pytest.raises(cc.ValidationError) as info:
        cc.CreateChatCompletionResponse.from_dict({**minimal(RESPONSE), "metadata": metadata})
    assert info.value.path == path
    assert info.value.found == found


@pytest.mark.parametrize(
    "moderation",
    [
        {},
        {"input": {"type": "error", "error": {"code": "x", "message": None}}},
        {"a": [1, 1.5, True, None, "s", {"b": [[]]}], "c": -0.0},
    ],
)
def test_moderation_is_kept_as_plain_json(moderation: Dict[str, Any]) -> None:
    d = {**minimal(RESPONSE), "moderation": copy.deepcopy(moderation)}
    obj = cc.CreateChatCompletionResponse.from_dict(d)
    assert same(obj.moderation, moderation)
    assert same(obj.to_dict(), d)
    assert obj.extra == {}


def test_moderation_must_be_an_object() -> None:
    for bad, found in (([], "array"), ("x", "str"), (1, "int"), (True, "bool")):
        with pytest.raises(cc.ValidationError) as info:
            cc.CreateChatCompletionResponse.from_dict({**minimal(RESPONSE), "moderation": bad})
        assert (info.value.path, info.value.expected, info.value.found) == (
            "$.moderation", "object", found)


def test_tool_call_may_carry_function_custom_both_or_neither() -> None:
    f = {"name": "f", "arguments": "{}"}
    c = {"name": "t", "input": "x"}
    for d in ({"id": "a"}, {"id": "a", "function": f}, {"id": "a", "custom": c},
              {"id": "a", "type": "function", "function": f, "custom": c},
              {"id": "a", "type": "custom", "custom": {}}):
        call = cc.ChatCompletionMessageToolCall.from_dict(copy.deepcopy(d))
        assert same(call.to_dict(), d)
        assert (call.function is None) == ("function" not in d)
        assert (call.custom is None) == ("custom" not in d)


def test_choices_may_be_empty_and_choice_may_be_empty() -> None:
    d = {**minimal(RESPONSE), "choices": []}
    assert same(cc.CreateChatCompletionResponse.from_dict(d).to_dict(), d)
    d = {**minimal(RESPONSE), "choices": [{}, {}]}
    obj = cc.CreateChatCompletionResponse.from_dict(d)
    assert [c.to_dict() for c in obj.choices] == [{}, {}]
    assert obj.choices[0].message is None
    assert obj.choices[0].index is None


def test_no_cross_field_arithmetic() -> None:
    d = {**minimal(RESPONSE), "usage": {"prompt_tokens": 5, "completion_tokens": 5,
                                        "total_tokens": 1}}
    d["choices"] = [{"index": 7}, {"index": 7}]
    assert same(cc.CreateChatCompletionResponse.from_dict(d).to_dict(), d)


def test_token_logprob_bytes_and_top_logprobs() -> None:
    d = {"token": "é", "logprob": -1, "bytes": [195, 169],
         "top_logprobs": [{"token": "é", "logprob": -1.0, "bytes": [195, 169]}, {}]}
    tok = cc.ChatCompletionTokenLogprob.from_dict(d)
    assert tok.bytes == [195, 169]
    assert type(tok.bytes) is list
    assert tok.top_logprobs[1].to_dict() == {}
    assert same(tok.to_dict(), d)
    assert TOKEN in SCHEMA


def test_a_token_read_on_the_fast_path_serializes_after_its_fields_change() -> None:
    """The usual shape is read on a fast path that leaves ``extra`` unallocated; a token
    changed after that still writes what it holds (an absent key for a None)."""
    d = {"token": "a", "logprob": -1.0, "bytes": [97],
         "top_logprobs": [{"token": "a", "logprob": -1.0, "bytes": [97]}]}
    tok = cc.ChatCompletionTokenLogprob.from_dict(d)
    tok.bytes = None
    assert tok.to_dict() == {"token": "a", "logprob": -1.0, "top_logprobs": d["top_logprobs"]}
    tok.top_logprobs[0].bytes = None
    assert tok.to_dict()["top_logprobs"] == [{"token": "a", "logprob": -1.0}]
    tok.top_logprobs = None
    assert tok.to_dict() == {"token": "a", "logprob": -1.0}
    top = cc.TopLogprob.from_dict(d["top_logprobs"][0])
    top.bytes = None
    top.token = None
    assert top.to_dict() == {"logprob": -1.0}
    top.extra["x"] = 1
    assert top.to_dict() == {"logprob": -1.0, "x": 1}
    tok.validate()
    top.validate()


def test_objects_built_with_the_constants_serialize_to_plain_strings() -> None:
    choice = cc.Choice(
        index=0,
        finish_reason=cc.FinishReason.STOP,
        message=cc.ChatCompletionMessage(
            role=cc.ChatCompletionResponseMessageRole.ASSISTANT,
            content="hi",
            tool_calls=[cc.ChatCompletionMessageToolCall(id="c", type=cc.ToolCallType.FUNCTION)],
            annotations=[cc.Annotation(type=cc.AnnotationType.URL_CITATION)],
        ),
    )
    d = choice.to_dict()
    assert type(d["finish_reason"]) is str
    assert d["finish_reason"] == "stop"
    assert type(d["message"]["role"]) is str
    assert type(d["message"]["tool_calls"][0]["type"]) is str
    assert type(d["message"]["annotations"][0]["type"]) is str
    assert cc.Choice.from_dict(d) == choice
    resp = cc.ChatCompletion(id="x", choices=[], created=0, model="m", object="chat.completion",
                             service_tier=cc.ServiceTier.FLEX)
    assert type(resp.to_dict()["service_tier"]) is str
    delta = cc.ChoiceDelta(role=cc.ChatCompletionResponseMessageRole.ASSISTANT)
    assert type(delta.to_dict()["role"]) is str
    chunk = cc.ChatCompletionChunk(
        id="x", created=0, model="m", object="chat.completion.chunk",
        service_tier=cc.ServiceTier.DEFAULT,
        choices=[cc.ChunkChoice(
            index=0, finish_reason=cc.FinishReason.TOOL_CALLS,
            delta=cc.ChoiceDelta(tool_calls=[cc.ChoiceDeltaToolCall(
                index=0, type=cc.ToolCallType.FUNCTION)]),
        )],
    )
    d = chunk.to_dict()
    assert type(d["service_tier"]) is str
    assert type(d["choices"][0]["finish_reason"]) is str
    assert type(d["choices"][0]["delta"]["tool_calls"][0]["type"]) is str
    assert cc.ChatCompletionChunk.from_dict(d) == chunk


def test_type_hints_resolve_at_run_time() -> None:
    # pydantic, FastAPI, cattrs and dacite read dataclass annotations with get_type_hints.
    import dataclasses
    import typing

    for name in cc.__all__:
        obj = getattr(cc, name)
        if isinstance(obj, type) and dataclasses.is_dataclass(obj):
            hints = typing.get_type_hints(obj)
            assert "extra" in hints, name
    hints = typing.get_type_hints(cc.ChatCompletionMessage)
    assert hints["content"] == typing.Optional[str]
    assert hints["tool_calls"] == typing.Optional[typing.List[cc.ChatCompletionMessageToolCall]]
