# SPDX-License-Identifier: MIT
"""Bad input: one exception type, the exact path, what was expected and found, a short
message, and no side effects. Covers every getter and the JSON text reader."""
from __future__ import annotations

import copy
import datetime
import decimal
import importlib
import json
import math
import pickle
from typing import Any, Dict, List, Tuple

import pytest

from tests import cc
from tests.helpers import follow, path_segments, same
from tests.strategies import (
    BIG,
    RESPONSE,
    SCHEMA,
    cls,
    fmt_path,
    full,
    get,
    keys,
    minimal,
    model_nodes,
    snapshot,
)

Resp = cc.CreateChatCompletionResponse
VE = cc.ValidationError
_errors = importlib.import_module(f"{cc.__name__}._errors")
NAMES = list(SCHEMA)

EXPECTED_NAME = {
    "str": "str", "int": "int", "number": "float", "ints": "array", "str_map": "object",
    "json": "object", "obj": "object", "list": "array",
}


def shown(value: Any) -> str:
    """The short repr a message shows for a small value."""
    if value is None:
        return ""
    if type(value) is dict:
        return f" (<object of {len(value)} keys>)"
    if type(value) is list:
        return f" (<array of {len(value)} items>)"
    if type(value) in (str, int, float, bool):
        return f" ({value!r})"
    return f" (<{type(value).__name__}>)"


def raises(parse: Any, doc: Any, keep: Tuple[Any, ...] = ()) -> Any:
    """Parse ``doc``, expecting a ValidationError; check the input is unchanged."""
    before = snapshot(doc, list(keep))
    with pytest.raises(VE) as info:
        parse(doc)
    assert same(doc, before), "a failed from_dict changed its input"
    e = info.value
    assert isinstance(e, ValueError)
    assert type(e.path) is str
    assert e.path.startswith("$")
    assert str(e).endswith(f" - at `{_errors.printable(e.path)}`") or len(e.path) > 300
    return e


def nodes_of(name: str) -> List[Tuple[Tuple[Any, ...], Dict[str, Any]]]:
    return [(p, d) for n, p, d in model_nodes(RESPONSE, full(RESPONSE)) if n == name]


# -- wrong scalar types, for every field of every class, in place in a response -------------

WRONG: Dict[str, List[Tuple[Any, str]]] = {
    "str": [(1, "int"), (1.5, "float"), (True, "bool"), (False, "bool"), ([], "array"),
            ({}, "object"), (["s"], "array"), (b"x", "bytes")],
    "int": [(True, "bool"), (False, "bool"), (2.0, "float"), (0.0, "float"), ("12", "str"),
            ("", "str"), ([], "array"), ({}, "object"), ([1], "array")],
    "number": [(True, "bool"), (False, "bool"), ("1.5", "str"), ("-1", "str"), ([], "array"),
               ({}, "object"), (float("nan"), "float"), (float("inf"), "float"),
               (float("-inf"), "float")],
    "ints": [("ab", "str"), ({}, "object"), (5, "int"), (True, "bool"), (b"ab", "bytes"),
             ((1, 2), "tuple")],
    "str_map": [([], "array"), ("x", "str"), (1, "int"), (True, "bool")],
    "json": [([], "array"), ("x", "str"), (1, "int"), (False, "bool"), ([{}], "array")],
    "obj": [([], "array"), ("x", "str"), (1, "int"), (True, "bool"), ([{}], "array")],
    "list": [({}, "object"), ("x", "str"), (1, "int"), (True, "bool"), ((), "tuple")],
}

WRONG_CASES = [
    (name, key, kind, value, found)
    for name in NAMES
    for key, kind in {**SCHEMA[name][0], **SCHEMA[name][1]}.items()
    for value, found in WRONG[kind[0]]
]


@pytest.mark.parametrize(
    ("name", "key", "kind", "value", "found"),
    WRONG_CASES,
    ids=[f"{n}.{k}={v!r:.12}" for n, k, _, v, _ in WRONG_CASES],
)
def test_wrong_type_in_every_field(name: str, key: str, kind: Any, value: Any, found: str) -> None:
    expected = EXPECTED_NAME[kind[0]]
    message = f"Expected `{expected}`, got `{found}`{shown(value)}"
    if type(value) is float and not math.isfinite(value):  # the type fits, the value not
        expected, found, message = "finite number", repr(value), (
            f"Expected a finite number, got {value!r}")
    # the class on its own
    d = {**minimal(name), key: value}
    e = raises(cls(name).from_dict, d, (value,))
    assert (e.path, e.expected, e.found) == (f"$.{key}", expected, found)
    assert e.message == message
    assert str(e) == f"{e.message} - at `$.{key}`"
    # the same with every other key set: the usual shape some classes parse on a fast path
    d = {**full(name), key: value}
    e = raises(cls(name).from_dict, d, (value,))
    assert (e.path, e.expected, e.found) == (f"$.{key}", expected, found)
    # and everywhere it occurs inside a full response
    for path, _ in nodes_of(name):
        doc = full(RESPONSE)
        get(doc, path)[key] = value
        e = raises(Resp.from_dict, doc, (value,))
        assert (e.path, e.expected, e.found) == (fmt_path((*path, key)), expected, found)


REQUIRED = [(name, key, kind) for name in NAMES for key, kind in SCHEMA[name][0].items()]
REQUIRED_IDS = [f"{n}.{k}" for n, k, _ in REQUIRED]


@pytest.mark.parametrize(("name", "key", "kind"), REQUIRED, ids=REQUIRED_IDS)
def test_null_for_a_required_key(name: str, key: str, kind: Any) -> None:
    expected = EXPECTED_NAME[kind[0]]
    e = raises(cls(name).from_dict, {**minimal(name), key: None})
    assert (e.path, e.expected, e.found) == (f"$.{key}", expected, "null")
    assert str(e) == f"Expected `{expected}`, got `null` - at `$.{key}`"


@pytest.mark.parametrize(("name", "key", "kind"), REQUIRED, ids=REQUIRED_IDS)
def test_null_for_a_required_key_of_a_full_object(name: str, key: str, kind: Any) -> None:
    e = raises(cls(name).from_dict, {**full(name), key: None})
    assert (e.path, e.found) == (f"$.{key}", "null")


@pytest.mark.parametrize(("name", "key", "kind"), REQUIRED, ids=REQUIRED_IDS)
def test_missing_required_key(name: str, key: str, kind: Any) -> None:
    d = minimal(name)
    del d[key]
    e = raises(cls(name).from_dict, d)
    assert (e.path, e.expected, e.found) == ("$", key, "nothing")
    assert str(e) == f"Object missing required field `{key}` - at `$`"
    for path, _ in nodes_of(name):
        doc = full(RESPONSE)
        del get(doc, path)[key]
        e = raises(Resp.from_dict, doc)
        assert e.path == fmt_path(path)
        assert str(e) == f"Object missing required field `{key}` - at `{fmt_path(path)}`"


def test_the_required_keys_are_those_of_the_design_table() -> None:
    required = {n: set(SCHEMA[n][0]) for n in NAMES if SCHEMA[n][0]}
    assert required == {
        "CreateChatCompletionResponse": {"choices"},
        "ChatCompletionResponseMessage": {"role"},
        "Function": {"name", "arguments"},
        "CreateChatCompletionResponseUsage": {"prompt_tokens", "completion_tokens",
                                              "total_tokens"},
        "ChatCompletionTokenLogprob": {"token", "logprob"},
    }
    for name in NAMES:  # every other key may be absent: the minimal dicts parse
        assert cls(name).from_dict(minimal(name)).to_dict() == minimal(name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("value", "found"),
    [([], "array"), ("x", "str"), (1, "int"), (None, "null"), (True, "bool"), (1.5, "float"),
     ((), "tuple"), (b"{}", "bytes")],
)
def test_not_an_object(name: str, value: Any, found: str) -> None:
    e = raises(cls(name).from_dict, value)
    assert (e.path, e.expected, e.found) == ("$", "object", found)


class _Dict(dict):  # type: ignore[type-arg]
    pass


def test_dict_subclass_is_not_an_object() -> None:
    e = raises(Resp.from_dict, _Dict(minimal(RESPONSE)))
    assert (e.path, e.expected, e.found) == ("$", "object", "_Dict")


# -- arrays: items, indexes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "index", "found"),
    [([None], 0, "null"), ([1], 0, "int"), ([[]], 0, "array"), ([{}, "x"], 1, "str"),
     ([{}, {}, True], 2, "bool")],
)
def test_bad_item_in_choices(items: List[Any], index: int, found: str) -> None:
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "choices": items})
    assert (e.path, e.expected, e.found) == (f"$.choices[{index}]", "object", found)


@pytest.mark.parametrize(
    ("items", "index", "found"),
    [([1, True], 1, "bool"), ([1, 1.0], 1, "float"), ([1, "2"], 1, "str"), ([None], 0, "null"),
     ([[1]], 0, "array"), ([0, 0, {}], 2, "object"), ([BIG], 0, "int")],
)
def test_bad_item_in_token_bytes(items: List[Any], index: int, found: str) -> None:
    for name in ("ChatCompletionTokenLogprob", "TopLogprob"):
        for base in (minimal(name), full(name)):  # full() is the usual shape: every key set
            e = raises(cls(name).from_dict, {**base, "bytes": items})
            assert (e.path, e.expected, e.found) == (f"$.bytes[{index}]", "int", found)
    token = full("ChatCompletionTokenLogprob")
    token["top_logprobs"][1] = {"token": "b", "logprob": -1.5, "bytes": items}
    e = raises(cc.ChatCompletionTokenLogprob.from_dict, token)
    assert e.path == f"$.top_logprobs[1].bytes[{index}]"


@pytest.mark.parametrize("value", [0, 255, 256, -1, 10**20])
def test_token_bytes_outside_a_byte_are_kept(value: int) -> None:
    """Bytes are ints: a server's odd value is kept as is, whatever the shape around it."""
    for name in ("ChatCompletionTokenLogprob", "TopLogprob"):
        d = {**full(name), "bytes": [65, value]}
        assert same(cls(name).from_dict(d).to_dict(), d)


class _Str(str):
    pass


class _Int(int):
    pass


class _Float(float):
    pass


class _List(list):  # type: ignore[type-arg]
    pass


@pytest.mark.parametrize(
    ("where", "value", "found"),
    [
        (("choices", 0, "finish_reason"), cc.FinishReason.STOP, "FinishReason"),
        (("choices", 0, "message", "role"), cc.ChatCompletionResponseMessageRole.ASSISTANT,
         "ChatCompletionResponseMessageRole"),
        (("id",), _Str("a"), "_Str"),
        (("created",), _Int(1), "_Int"),
        (("choices", 0, "logprobs", "content", 0, "logprob"), _Float(-1.0), "_Float"),
        (("choices", 0, "logprobs", "content", 0, "top_logprobs", 0, "logprob"), _Float(-1.0),
         "_Float"),
        (("choices", 0, "logprobs", "content", 0, "bytes"), _List([1]), "_List"),
        (("choices",), _List(), "_List"),
        (("x",), _Str("a"), "_Str"),
        (("x",), [_Int(1)], "_Int"),
        (("metadata", "k"), _Str("v"), "_Str"),
    ],
)
def test_subclasses_of_json_types_are_not_json(where: Any, value: Any, found: str) -> None:
    """to_dict gives plain JSON types only, and nothing is converted: so a str Enum member
    (or any subclass) cannot be accepted."""
    doc = full(RESPONSE)
    get(doc, where[:-1])[where[-1]] = value
    e = raises(Resp.from_dict, doc, (value,))
    assert e.path.startswith(fmt_path(where))
    assert e.found == found


def test_exact_paths_deep_in_the_tree() -> None:
    doc = full(RESPONSE)
    doc["choices"][0]["message"]["tool_calls"][1]["function"] = {"name": "f", "arguments": 5}
    e = raises(Resp.from_dict, doc)
    assert e.path == "$.choices[0].message.tool_calls[1].function.arguments"
    assert str(e) == ("Expected `str`, got `int` (5) - at "
                      "`$.choices[0].message.tool_calls[1].function.arguments`")

    doc = full(RESPONSE)
    tok = {"token": "t", "logprob": -1.0, "bytes": [1],
           "top_logprobs": [{"token": "a"}, {"token": "b"}, {"token": "c", "bytes": [1, "x"]}]}
    doc["choices"][0]["logprobs"]["content"] = [{"token": "t", "logprob": 0}] * 3 + [tok]
    e = raises(Resp.from_dict, doc)
    assert e.path == "$.choices[0].logprobs.content[3].top_logprobs[2].bytes[1]"
    assert (e.expected, e.found) == ("int", "str")

    doc = full(RESPONSE)
    doc["usage"]["total_tokens"] = "12"
    e = raises(Resp.from_dict, doc)
    assert str(e) == "Expected `int`, got `str` ('12') - at `$.usage.total_tokens`"

    doc = full(RESPONSE)
    doc["choices"].append({"message": {"role": "assistant", "tool_calls": [
        {}, {"type": "x"}, {"function": {"arguments": "{}"}}]}})
    e = raises(Resp.from_dict, doc)
    assert e.path == "$.choices[2].message.tool_calls[2].function"
    assert str(e) == ("Object missing required field `name` - at "
                      "`$.choices[2].message.tool_calls[2].function`")


@pytest.mark.parametrize(
    ("key", "segment"),
    [
        ("a b", '["a b"]'), ("", '[""]'), ("0", '["0"]'), ("a-b", '["a-b"]'),
        ("a.b", '["a.b"]'), ("é b", '["é b"]'), ('say "hi"', '["say \\"hi\\""]'),
        ("back\\slash", '["back\\\\slash"]'), ("x_y", ".x_y"), ("é", ".é"), ("_", "._"),
    ],
)
def test_keys_that_are_not_identifiers_are_quoted(key: str, segment: str) -> None:
    assert fmt_path(("x", key)) == "$.x" + segment  # the helper agrees with the table
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "x": {key: (1,)}}, ())
    assert e.path == "$.x" + segment
    e = raises(Resp.from_dict, {**minimal(RESPONSE), key: {1}})
    assert e.path == "$" + segment


@pytest.mark.parametrize("key", ["a\nb", "tab\there", "nul\x00", "\x1f", "cr\r"])
def test_control_characters_in_keys_are_escaped(key: str) -> None:
    """The path is JSON's spelling of the key, so the message stays on one line and shows
    what is in the key."""
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "x": {key: (1,)}}, ())
    assert e.path == "$.x[" + json.dumps(key, ensure_ascii=False) + "]", repr(e.path)
    assert len(str(e).splitlines()) == 1, repr(str(e))


# -- values that are not JSON, anywhere ------------------------------------------------------

NON_JSON = [
    ((1, 2), "tuple"), ({1}, "set"), (frozenset(), "frozenset"), (b"x", "bytes"),
    (bytearray(b"x"), "bytearray"), (datetime.datetime(2024, 1, 1), "datetime"),
    (datetime.date(2024, 1, 1), "date"), (decimal.Decimal("1.5"), "Decimal"), (1j, "complex"),
    (object(), "object"), (_Dict(), "_Dict"), (range(3), "range"),
]
NON_FINITE = [float("nan"), float("inf"), float("-inf")]
EXTRA_HOMES = [
    ("$", ()),
    ("$.choices[0]", ("choices", 0)),
    ("$.choices[0].message", ("choices", 0, "message")),
    ("$.choices[0].message.tool_calls[1]", ("choices", 0, "message", "tool_calls", 1)),
    ("$.choices[0].message.tool_calls[0].function",
     ("choices", 0, "message", "tool_calls", 0, "function")),
    ("$.choices[0].logprobs.content[1]", ("choices", 0, "logprobs", "content", 1)),
    ("$.choices[0].logprobs.refusal[0].top_logprobs[1]",
     ("choices", 0, "logprobs", "refusal", 0, "top_logprobs", 1)),
    ("$.usage.prompt_tokens_details", ("usage", "prompt_tokens_details")),
]


@pytest.mark.parametrize(("prefix", "where"), EXTRA_HOMES, ids=[p for p, _ in EXTRA_HOMES])
@pytest.mark.parametrize(("value", "found"), NON_JSON, ids=[f for _, f in NON_JSON])
def test_non_json_value_in_unknown_keys(prefix: str, where: Any, value: Any, found: str) -> None:
    for wrap, suffix in [
        (lambda v: v, ".x"),
        (lambda v: [0, "a", v], ".x[2]"),
        (lambda v: {"a": [None, {"b": v}]}, ".x.a[1].b"),
    ]:
        doc = full(RESPONSE)
        get(doc, where)["x"] = wrap(value)
        e = raises(Resp.from_dict, doc, (value,))
        assert e.path == prefix + suffix
        assert (e.expected, e.found) == ("JSON value", found)
        assert e.message == f"Expected `JSON value`, got `{found}` (<{type(value).__name__}>)"


@pytest.mark.parametrize(("prefix", "where"), EXTRA_HOMES, ids=[p for p, _ in EXTRA_HOMES])
@pytest.mark.parametrize("value", NON_FINITE, ids=repr)
def test_nan_and_infinity_in_unknown_keys(prefix: str, where: Any, value: float) -> None:
    doc = full(RESPONSE)
    get(doc, where)["x"] = [1.5, value]
    e = raises(Resp.from_dict, doc, (value,))
    assert e.path == prefix + ".x[1]"
    assert (e.expected, e.found) == ("finite number", repr(value))
    assert e.message == f"Expected a finite number, got {value!r}"


@pytest.mark.parametrize(("prefix", "where"), EXTRA_HOMES, ids=[p for p, _ in EXTRA_HOMES])
@pytest.mark.parametrize(
    ("key", "found"), [(1, "int"), (None, "null"), (1.5, "float"), (("a",), "tuple"),
                       (True, "bool")],
)
def test_non_str_keys(prefix: str, where: Any, key: Any, found: str) -> None:
    doc = full(RESPONSE)
    get(doc, where)[key] = "x"  # on the object itself
    e = raises(Resp.from_dict, doc, (key,))
    assert (e.path, e.expected, e.found) == (prefix, "str", found)
    assert e.message.startswith(f"Expected `str` object keys, got `{found}`")
    doc = full(RESPONSE)
    get(doc, where)["x"] = [{"a": {key: 1}}]  # inside an unknown key
    e = raises(Resp.from_dict, doc, (key,))
    assert (e.path, e.expected, e.found) == (prefix + ".x[0].a", "str", found)


def test_non_json_in_moderation_and_metadata() -> None:
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "moderation": {"a": [{"b": (1,)}]}})
    assert (e.path, e.found) == ("$.moderation.a[0].b", "tuple")
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "moderation": {"a": float("nan")}})
    assert e.path == "$.moderation.a"
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "moderation": {1: 1}})
    assert (e.path, e.found) == ("$.moderation", "int")
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "metadata": {"a": b"x"}})
    assert (e.path, e.found) == ("$.metadata.a", "bytes")


# -- integers too long to print ----------------------------------------------------------------


def test_4300_digits_are_fine_everywhere() -> None:
    n = 10**4300 - 1
    assert len(str(n)) == 4300
    doc = full(RESPONSE)
    doc["created"] = n
    doc["usage"]["total_tokens"] = -n
    doc["choices"][0]["logprobs"]["content"][0]["logprob"] = n
    doc["choices"][0]["logprobs"]["content"][0]["bytes"] = [n]
    doc["x"] = [n, {"y": -n}]
    obj = Resp.from_dict(doc)
    assert same(obj.to_dict(), doc)
    assert same(json.loads(obj.to_json()), doc)
    assert same(Resp.from_json(obj.to_json()).to_dict(), doc)


@pytest.mark.parametrize("value", [BIG, -BIG, 10**5000], ids=["4301", "-4301", "5001"])
def test_longer_ints_are_rejected_in_unknown_keys(value: int) -> None:
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "x": {"y": [value]}})
    assert e.path == "$.x.y[0]"
    assert e.expected == "int"
    assert "4,300 digits" in e.message
    assert len(str(e)) < 200


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("created",), "$.created"),
        (("usage", "total_tokens"), "$.usage.total_tokens"),
        (("choices", 0, "index"), "$.choices[0].index"),
        (("choices", 0, "logprobs", "content", 0, "logprob"),
         "$.choices[0].logprobs.content[0].logprob"),
        (("choices", 0, "logprobs", "content", 0, "bytes", 1),
         "$.choices[0].logprobs.content[0].bytes[1]"),
    ],
)
@pytest.mark.parametrize("value", [BIG, -BIG, 10**5000], ids=["4301", "-4301", "5001"])
def test_longer_ints_are_rejected_in_typed_fields(where: Any, path: str, value: int) -> None:
    doc = full(RESPONSE)
    get(doc, where[:-1])[where[-1]] = value
    e = raises(Resp.from_dict, doc)
    assert e.path == path
    assert e.expected == "int" or e.expected == "float"
    assert len(str(e)) < 200


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("created",), "$.created"),
        (("choices", 0, "logprobs", "content", 0, "logprob"),
         "$.choices[0].logprobs.content[0].logprob"),
        (("choices", 0, "logprobs", "content", 0, "bytes", 1),
         "$.choices[0].logprobs.content[0].bytes[1]"),
    ],
)
def test_longer_int_message_names_the_problem(where: Any, path: str) -> None:
    """The problem is the length, not the type: "Expected `int`, got `int`" does not say so.
    The same value in an unknown key says "Integer too long (over 4,300 digits)"."""
    doc = full(RESPONSE)
    get(doc, where[:-1])[where[-1]] = BIG
    e = raises(Resp.from_dict, doc)
    assert e.path == path
    assert "4,300 digits" in e.message, e.message


# -- depth -------------------------------------------------------------------------------------

# (where the unknown key goes, the nesting level of that object)
DEPTH_HOMES = [
    ((), 1),
    (("choices", 0), 3),
    (("choices", 0, "message"), 4),
    (("choices", 0, "message", "tool_calls", 1), 6),
    (("choices", 0, "message", "tool_calls", 0, "function"), 7),
    (("choices", 0, "message", "annotations", 0, "url_citation"), 7),
    (("choices", 0, "logprobs", "content", 0), 6),
    (("choices", 0, "logprobs", "content", 0, "top_logprobs", 1), 8),
    (("usage", "completion_tokens_details"), 3),
]


def nest(levels: int, in_list: bool, leaf: Any = None) -> Tuple[Any, Tuple[Any, ...]]:
    """``levels`` containers one inside the other, and the path to the innermost."""
    node: Any = [] if in_list else {}
    if leaf is not None:
        node = [leaf] if in_list else {"leaf": leaf}
    for _ in range(levels - 1):
        node = [node] if in_list else {"n": node}
    path = (0,) * (levels - 1) if in_list else ("n",) * (levels - 1)
    return node, path


@pytest.mark.parametrize(("where", "level"), DEPTH_HOMES, ids=[fmt_path(w) for w, _ in DEPTH_HOMES])
@pytest.mark.parametrize("in_list", [False, True], ids=["objects", "arrays"])
def test_depth_200_works_201_is_rejected(where: Any, level: int, in_list: bool) -> None:
    assert get(full(RESPONSE), where) is not None
    # the unknown key's value is at level + 1; the innermost container at exactly 200
    value, _ = nest(200 - level, in_list, leaf="deepest")
    doc = full(RESPONSE)
    get(doc, where)["x"] = value
    obj = Resp.from_dict(doc)
    assert same(obj.to_dict(), doc)
    assert same(json.loads(obj.to_json()), doc)
    assert same(Resp.from_json(json.dumps(doc)).to_dict(), doc)
    assert obj == Resp.from_dict(doc)
    assert "deepest" in repr(obj)

    value, inner = nest(201 - level, in_list)
    doc = full(RESPONSE)
    get(doc, where)["x"] = value
    e = raises(Resp.from_dict, doc)
    assert e.path == fmt_path((*where, "x", *inner))
    assert (e.expected, e.found) == ("<= 200 levels", "array" if in_list else "object")
    assert e.message == "Nested deeper than 200 levels"
    e2 = raises(Resp.from_json, json.dumps(doc))
    assert e2.path == e.path


def test_depth_counts_containers_not_scalars() -> None:
    value, _ = nest(199, in_list=True, leaf=7)  # 199 arrays under the root, a scalar inside
    doc = {**minimal(RESPONSE), "x": value}
    assert same(Resp.from_dict(doc).to_dict(), doc)


def test_depth_in_moderation() -> None:
    value, _ = nest(198, in_list=False)
    doc = {**minimal(RESPONSE), "moderation": {"m": value}}  # moderation is level 2
    assert same(Resp.from_dict(doc).to_dict(), doc)
    value, inner = nest(199, in_list=False)
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "moderation": {"m": value}})
    assert e.path == fmt_path(("moderation", "m", *inner))


def test_very_deep_input_is_rejected_quickly() -> None:
    value, _ = nest(100_000, in_list=False)
    doc = {**minimal(RESPONSE), "x": value}
    with pytest.raises(VE) as info:
        Resp.from_dict(doc)
    assert info.value.path.startswith("$.x.n.n.")
    value, _ = nest(100_000, in_list=True)
    with pytest.raises(VE):
        Resp.from_dict({**minimal(RESPONSE), "x": value})
    with pytest.raises(VE):
        Resp.from_dict({**minimal(RESPONSE), "choices": value})


def test_deep_nest_in_a_typed_field_is_a_type_error() -> None:
    value, _ = nest(300, in_list=True)
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "choices": [value]})
    assert (e.path, e.expected, e.found) == ("$.choices[0]", "object", "array")


def test_a_huge_path_is_elided_in_the_message_only() -> None:
    value, inner = nest(200, in_list=False)  # "x" is level 2: the innermost is 201
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "x": value})
    assert e.path == fmt_path(("x", *inner))
    assert len(e.path) > 300
    text = str(e)
    assert "..." in text
    assert len(text) < 400
    assert text.startswith("Nested deeper than 200 levels - at `$.x.n.n")
    assert text.endswith(".n.n`")


# -- messages stay short ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"created": "x" * 10_000_000}, "$.created"),
        ({"created": 10**5000}, "$.created"),
        ({"id": list(range(1_000_000))}, "$.id"),
        ({"id": {str(i): i for i in range(100_000)}}, "$.id"),
        ({"x" * 10_000_000: (1,)}, "$." + "x" * 10_000_000),  # the path keeps keys whole
        ({"x y" * 3_000_000: (1,)}, '$["' + "x y" * 3_000_000 + '"]'),
        ({"x": {10**5000: 1}}, "$.x"),
        ({"x": {"é" * 5_000_000: {1}}}, "$.x." + "é" * 5_000_000),
    ],
    ids=["10MB-str", "5000-digit-int", "1M-array", "100k-object", "10MB-key", "10MB-odd-key",
         "5000-digit-key", "5M-char-key"],
)
def test_messages_stay_short(patch: Dict[Any, Any], path: Any) -> None:
    doc = {**minimal(RESPONSE), **patch}
    with pytest.raises(VE) as info:
        Resp.from_dict(doc)
    e = info.value
    # the message is short; a path over 300 characters is shown elided in the middle
    assert len(str(e)) < 400, str(e)[:500]
    assert len(str(e)) < 300 or "..." in str(e)
    assert len(repr(e)) < 400
    assert len(e.found or "") < 100
    if path is not None:
        assert e.path == path


def test_short_repr_of_a_long_string() -> None:
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "created": "é" * 1000})
    assert e.message == "Expected `int`, got `str` ('" + "é" * 40 + "'... (1,000 chars))"


# -- JSON text -----------------------------------------------------------------------------------

GOOD = json.dumps(minimal(RESPONSE))


def test_from_json_accepts_what_from_dict_does() -> None:
    for data in (GOOD, GOOD.encode(), bytearray(GOOD.encode()), "  \n" + GOOD + "\n\t "):
        assert same(Resp.from_json(data).to_dict(), minimal(RESPONSE))


@pytest.mark.parametrize(
    "data",
    ["\ufeff" + GOOD, ("\ufeff" + GOOD).encode(), bytearray(("\ufeff" + GOOD).encode()),
     GOOD.encode("utf-8-sig")],
    ids=["str", "bytes", "bytearray", "utf-8-sig"],
)
def test_from_json_rejects_a_bom(data: Any) -> None:
    e = raises(Resp.from_json, data)
    assert (e.path, e.expected, e.found) == ("$", "JSON text", "BOM")
    assert str(e) == "JSON text starts with a byte order mark - at `$`"


@pytest.mark.parametrize(
    ("data", "byte", "bad"),
    [
        (b'{"id": "\xff"}', 8, b"\xff"),
        (b'{"id": "\xc3"}', 8, b"\xc3"),
        (b'{"id": "\xed\xa0\x80"}', 8, b"\xed"),  # an encoded surrogate
        (GOOD.encode("utf-16"), 0, b"\xff"),
        (b"\x80", 0, b"\x80"),
    ],
    ids=["ff", "truncated", "surrogate", "utf-16", "continuation"],
)
def test_from_json_rejects_invalid_utf8(data: bytes, byte: int, bad: bytes) -> None:
    for d in (data, bytearray(data)):
        e = raises(Resp.from_json, d)
        assert (e.path, e.expected) == ("$", "UTF-8")
        assert e.message == f"JSON text is not valid UTF-8 (byte {byte})"
        assert e.found == repr(bad), e.found  # the bad bytes, shown


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_from_json_rejects_nan_and_infinity(constant: str) -> None:
    text = GOOD[:-1] + ', "x": [1.5, ' + constant + "]}"
    shown = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[constant]
    e = raises(Resp.from_json, text)
    assert e.path == "$.x[1]"  # the place of the constant, not just "somewhere in the text"
    assert e.message == f"Expected a finite number, got {shown}"
    assert str(e).count(" - at ") == 1, str(e)
    assert (e.expected, e.found) == ("finite number", shown)
    e = raises(Resp.from_json, GOOD[:-1] + ', "created": ' + constant + "}")
    assert (e.path, e.message) == ("$.created", f"Expected `int`, got `float` ({shown})")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("", "line 1, column 1"),
        ("{", "line 1, column 2"),
        (GOOD[:-1], f"line 1, column {len(GOOD)}"),
        (GOOD[:20], None),
        (GOOD + "x", None),
        ('{"id": "a"\n,}', None),  # the column differs across Python versions
        ("{'id': 'a'}", "line 1, column 2"),
        ("nul", None),
    ],
    ids=["empty", "open", "no-close", "cut", "trailing", "trailing-comma", "quotes", "nul"],
)
def test_from_json_rejects_malformed_json(text: str, where: Any) -> None:
    e = raises(Resp.from_json, text)
    assert e.path == "$"
    assert e.message.startswith("Invalid JSON: ")
    assert e.expected == "JSON text"
    if where:
        assert f"({where})" in e.message
    assert len(str(e)) < 200
    raises(Resp.from_json, text.encode())


def test_from_json_names_the_bad_text() -> None:
    e = raises(Resp.from_json, '{"id": x' + "y" * 100)
    assert e.found == repr("x" + "y" * 19)


@pytest.mark.parametrize(
    ("data", "found"),
    [(None, "null"), (1, "int"), ({}, "object"), ([], "array"), (memoryview(b"{}"), "memoryview"),
     (1.5, "float"), (True, "bool")],
)
def test_from_json_needs_text(data: Any, found: str) -> None:
    e = raises(Resp.from_json, data, (data,))
    assert (e.path, e.expected, e.found) == ("$", "str", found)
    assert e.message == f"Expected JSON text (`str` or `bytes`), got `{found}`"


@pytest.mark.parametrize(("text", "found"), [("[1,2]", "array"), ("1", "int"), ('"x"', "str"),
                                             ("null", "null")])
def test_from_json_needs_an_object(text: str, found: str) -> None:
    e = raises(Resp.from_json, text)
    assert (e.path, e.expected, e.found) == ("$", "object", found)


def test_from_json_deep_brackets() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
                 GOOD[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        e = raises(Resp.from_json, text)
        assert e.path.startswith("$")
        raises(Resp.from_json, text.encode())


def test_from_json_long_numbers() -> None:
    with pytest.raises(VE) as info:
        Resp.from_json(GOOD[:-1] + ', "x": ' + "9" * 5000 + "}")
    assert len(str(info.value)) < 300
    with pytest.raises(VE):
        Resp.from_json(GOOD[:-1] + ', "created": ' + "9" * 4301 + "}")
    ok = GOOD[:-1] + ', "x": ' + "9" * 4300 + "}"
    assert Resp.from_json(ok).extra["x"] == 10**4300 - 1


def test_from_json_big_valid_documents() -> None:
    doc = {**minimal(RESPONSE), "x": "y" * 10_000_000, "z": list(range(200_000))}
    assert same(Resp.from_json(json.dumps(doc)).to_dict(), doc)


# -- the exception itself -------------------------------------------------------------------------


def test_validation_error_is_a_value_error_with_stable_attributes() -> None:
    assert issubclass(VE, ValueError)
    e = VE("boom")
    assert (e.message, e.path, e.expected, e.found) == ("boom", "$", None, None)
    assert str(e) == "boom - at `$`"
    e = VE("boom", path="$.a", expected="int", found="str")
    assert repr(e) == "ValidationError('boom', path='$.a')"
    with pytest.raises(TypeError):
        VE("boom", "$.a")  # type: ignore[misc]


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_validation_error_pickles(protocol: int) -> None:
    doc = full(RESPONSE)
    doc["choices"][0]["message"]["tool_calls"][1]["id"] = 5
    with pytest.raises(VE) as info:
        Resp.from_dict(doc)
    e = info.value
    e2 = pickle.loads(pickle.dumps(e, protocol))
    assert type(e2) is VE
    assert (e2.message, e2.path, e2.expected, e2.found) == (
        e.message, "$.choices[0].message.tool_calls[1].id", "str", "int")
    assert str(e2) == str(e)
    assert repr(e2) == repr(e)
    assert e2.args == e.args
    e3 = copy.deepcopy(e)
    assert (e3.path, str(e3)) == (e.path, str(e))


def test_errors_are_only_validation_errors() -> None:
    """The brief's list of exception types that must never escape."""
    bad_inputs: List[Any] = [
        [], None, {}, {"id": 1}, {**minimal(RESPONSE), "choices": None},
        {**minimal(RESPONSE), "choices": [{"message": None, "logprobs": {"content": [None]}}]},
        {**minimal(RESPONSE), "usage": {"prompt_tokens": 1}},
        {**minimal(RESPONSE),
         "choices": [{"message": {"role": "a", "tool_calls": [{"id": "1", "function": {}}]}}]},
    ]
    for bad in bad_inputs:
        try:
            Resp.from_dict(bad)
        except VE:
            continue
        except BaseException as e:
            pytest.fail(f"{bad!r:.80}: {type(e).__name__}: {e}")
        pytest.fail(f"{bad!r:.80}: accepted")


def test_non_json_input_in_a_typed_value_with_a_hostile_eq() -> None:
    class Hostile:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("compared")

        __hash__ = object.__hash__

    h = Hostile()
    for patch in ({"x": h}, {"x": [h]}, {"system_fingerprint": h}, {"metadata": {"a": h}},
                  {"moderation": {"a": h}}):
        e = raises(Resp.from_dict, {**minimal(RESPONSE), **patch}, (h,))
        assert e.found == "Hostile"


# -- keys and values that are hard to show or to compare ---------------------------------------


@pytest.mark.parametrize("key", ["k" * 41, "k" * 100_000, "a b" * 30, "é" * 41 + "x"],
                         ids=["41", "100k", "odd-123", "accented-42"])
def test_a_long_key_is_whole_in_the_path_and_the_path_leads_back_to_it(key: str) -> None:
    doc = full(RESPONSE)
    doc["choices"][0]["message"][key] = {"inner": [0, {1, 2}]}
    e = raises(Resp.from_dict, doc, ())
    assert e.path == fmt_path(("choices", 0, "message", key, "inner", 1))
    assert path_segments(e.path)[3] == key  # not cut at 40 characters
    assert follow(doc, e.path) == {1, 2}  # the path names the bad value in the document
    assert len(str(e)) < 400
    lenient: List[cc.ValidationError] = []
    with pytest.raises(VE) as info:  # non-JSON raises in lenient reading too, at the same path
        Resp.from_dict(doc, problems=lenient)
    assert info.value.path == e.path


def test_every_error_path_leads_back_to_the_bad_value() -> None:
    cases = [
        (("choices", 0, "message", "tool_calls", 0, "function", "arguments"), 5),
        (("choices", 0, "logprobs", "content", 0, "top_logprobs", 0, "bytes", 1), "x"),
        (("usage", "prompt_tokens_details", "cached_tokens"), 1.5),
        (("metadata", "a b"), 1),
        (("x", "a\nb", "c"), (1,)),
    ]
    for where, value in cases:
        doc = full(RESPONSE)
        doc["x"] = {"a\nb": {}}
        get(doc, where[:-1])[where[-1]] = value
        e = raises(Resp.from_dict, doc, (value,))
        assert follow(doc, e.path) is value, e.path


@pytest.mark.parametrize("key", [chr(0xD800), "x" + chr(0xDFFF) + "y", chr(0xD83D)],
                         ids=["high", "low", "half-emoji"])
def test_a_key_with_a_lone_surrogate_gives_a_printable_message(
        key: str, capsys: pytest.CaptureFixture[str]) -> None:
    for doc in ({**minimal(RESPONSE), key: (1,)}, {**minimal(RESPONSE), "x": {key: {1}}},
                {**minimal(RESPONSE), "metadata": {key: 5}}):
        e = raises(Resp.from_dict, doc, ())
        text = str(e)
        text.encode("utf-8")  # no lone surrogate left to encode
        assert text.isprintable()
        print(e)
        assert capsys.readouterr().out == text + "\n"
        repr(e).encode("utf-8")
        assert key in path_segments(e.path)  # the path itself keeps the key as it is
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "created": key}, ())
    str(e).encode("utf-8")  # ... and so does a value with one


class _RoleLookalike(str):
    """A key that hashes like "role" and cannot be compared: a dict lookup of "role" in a
    dict holding it calls its __eq__."""

    def __hash__(self) -> int:
        return hash("role")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("compared")

    __ne__ = __eq__  # type: ignore[assignment]


class _Uncomparable:
    """Not a str at all, hashing like a known key, raising when compared."""

    def __init__(self, like: str) -> None:
        self.like = like

    def __hash__(self) -> int:
        return hash(self.like)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("compared")


@pytest.mark.parametrize(
    ("name", "make", "path"),
    [
        ("ChatCompletionResponseMessage", lambda: {_RoleLookalike("x"): "assistant"}, "$"),
        ("ChatCompletionResponseMessage",
         lambda: {_RoleLookalike("role"): "assistant", "content": "hi"}, "$"),
        ("ChatCompletionResponseMessage",
         lambda: {"role": "assistant", _Uncomparable("content"): 1}, "$"),
        ("TopLogprob",  # the fast path's lookups
         lambda: {_Uncomparable("token"): "a", "logprob": -1.0, "bytes": [97]}, "$"),
        ("ChatCompletionTokenLogprob",
         lambda: {"token": "a", "logprob": -1.0, "bytes": [97],
                  "top_logprobs": [{_Uncomparable("bytes"): [97], "token": "a",
                                    "logprob": -1.0}]}, "$.top_logprobs[0]"),
        (RESPONSE,
         lambda: {"choices": [{"message": {_RoleLookalike("x"): "assistant"}}]},
         "$.choices[0].message"),
        ("CreateChatCompletionStreamResponse",
         lambda: {"choices": [{"delta": {_Uncomparable("content"): "a"}}]},
         "$.choices[0].delta"),
        ("BatchOutputLine", lambda: {_Uncomparable("custom_id"): "a"}, "$"),
    ],
    ids=["role-lookalike", "role-lookalike-named-role", "foreign-key", "fast-path",
         "fast-path-nested", "nested", "chunk", "batch-line"],
)
def test_a_key_that_cannot_be_compared_is_a_validation_error(
        name: str, make: Any, path: str) -> None:
    C = getattr(cc, name) if hasattr(cc, name) else getattr(
        importlib.import_module(f"{cc.__name__}._batch"), name)
    for problems in (None, []):
        with pytest.raises(VE) as info:  # not the RuntimeError of the key's __eq__
            C.from_dict(make(), problems=problems)
        e = info.value
        assert e.path == path
        assert e.expected == "str"
        assert e.message.startswith("Expected `str` object keys, got `")


@pytest.mark.parametrize("escape", ["\x1b[2J", "\x1b]0;owned\x07", "\x1b[31m", "\r", "\x9b1m",
                                    "\u202e"])
def test_terminal_escapes_in_values_and_keys_give_a_printable_message(escape: str) -> None:
    for doc in (
        {**minimal(RESPONSE), "created": escape + "x"},  # a value shown in the message
        {**minimal(RESPONSE), "metadata": {"k": 1, escape: 2}},
        {**minimal(RESPONSE), "x": {escape: (1,)}},  # a key in the path
        {**minimal(RESPONSE), escape * 50: {1}},
        {"error": {"message": escape + "boom"}},  # the server's own message
    ):
        e = raises(Resp.from_dict, doc, ())
        for text in (str(e), repr(e)):
            assert escape not in text, text
            assert text.isprintable(), text
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "created": "\x1b[2J"}, ())
    assert e.message == r"Expected `int`, got `str` ('\x1b[2J')"


# -- how values are shown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"), (-7, "-7"), (10**40 - 1, str(10**40 - 1)), (-(10**40) + 1, str(-(10**40) + 1)),
        (10**40, "<int of 133 bits>"), (-(10**40), "<int of 133 bits>"),
        (2**1000, "<int of 1,001 bits>"), (10**5000, f"<int of {(10**5000).bit_length():,} bits>"),
        ("a" * 40, repr("a" * 40)), ("a" * 41, repr("a" * 40) + "... (41 chars)"),
        (1.5, "1.5"), (float("inf"), "inf"), (True, "True"), (None, "None"),
        ({}, "<object of 0 keys>"), ({"a": 1, "b": 2}, "<object of 2 keys>"),
        (list(range(1234)), "<array of 1,234 items>"), ((1,), "<tuple>"),
    ],
    ids=lambda v: None if type(v) is not int or abs(v) < 10**100 else f"<{v.bit_length()} bits>",
)
def test_short_repr(value: Any, shown: str) -> None:
    assert _errors.short_repr(value) == shown


def test_big_ints_are_shown_by_their_size() -> None:
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "id": 10**40})
    assert e.message == "Expected `str`, got `int` (<int of 133 bits>)"
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "id": 10**40 - 1})
    assert e.message == f"Expected `str`, got `int` ({10**40 - 1})"
    e = raises(Resp.from_dict, {**minimal(RESPONSE), "created": 10**5000})
    bits = (10**5000).bit_length()
    assert e.message == f"Integer too long (over 4,300 digits): <int of {bits:,} bits>"
    assert (e.expected, e.found) == ("int", "int")


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")], ids=repr)
def test_a_non_finite_logprob_says_finite_number(value: float) -> None:
    usual = {"token": "a", "logprob": value, "bytes": [97], "top_logprobs": []}  # fast path
    for name, d in (("ChatCompletionTokenLogprob", usual),
                    ("ChatCompletionTokenLogprob", {"token": "a", "logprob": value}),
                    ("TopLogprob", {"token": "a", "logprob": value, "bytes": [97]})):
        e = raises(cls(name).from_dict, d, (value,))
        assert e.path == "$.logprob"
        assert e.message == f"Expected a finite number, got {value!r}"
        assert (e.expected, e.found) == ("finite number", repr(value))


def test_type_names_and_printable() -> None:
    assert [_errors.type_name(v) for v in (None, "", 1, 1.0, True, {}, [], (), b"")] == [
        "null", "str", "int", "float", "bool", "object", "array", "tuple", "bytes"]
    assert _errors.type_name(type("\x1b[2J" + "n" * 100, (), {})()) == "\\x1b[2J" + "n" * 36
    assert _errors.printable("plain é 😀") == "plain é 😀"
    assert _errors.printable("a\x1b[2Jb\nc\ud800") == "a\\x1b[2Jb\\nc\\ud800"


# -- the integer range: what CPython can print ----------------------------------------------------

INT_FIELDS = [(name, key) for name in NAMES for key, kind in {**SCHEMA[name][0],
              **SCHEMA[name][1]}.items() if kind[0] in ("int", "number", "ints")]


@pytest.mark.parametrize(("name", "key"), INT_FIELDS, ids=[f"{n}.{k}" for n, k in INT_FIELDS])
@pytest.mark.parametrize("value", [10**4300, -(10**4300)], ids=["10**4300", "-10**4300"])
def test_10_to_the_4300_is_rejected_in_every_int_and_number_field(
        name: str, key: str, value: int) -> None:
    """The limit is exclusive: 4,300 digits are fine, 10**4300 (4,301 digits) is not."""
    kind = keys(name)[key][0]
    bad = [value] if kind == "ints" else value
    ok = [value - 1 if value > 0 else value + 1] if kind == "ints" else (
        value - 1 if value > 0 else value + 1)
    for base in (minimal(name), full(name)):  # full(): the usual shape, some on a fast path
        e = raises(cls(name).from_dict, {**base, key: bad})
        assert e.path == (f"$.{key}[0]" if kind == "ints" else f"$.{key}")
        assert "4,300 digits" in e.message
        assert len(str(e)) < 200
        d = {**base, key: ok}
        assert same(cls(name).from_dict(d).to_dict(), d)


@pytest.mark.parametrize("value", [10**4300, -(10**4300)], ids=["10**4300", "-10**4300"])
def test_10_to_the_4300_is_rejected_in_the_chunk_tree_and_unknown_keys(value: int) -> None:
    Chunk = cc.CreateChatCompletionStreamResponse
    chunk = {"choices": [{"index": 0, "delta": {
        "audio": {"expires_at": 0}, "tool_calls": [{"index": 0}]}}],
        "created": 0, "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}
    places = [("created",), ("choices", 0, "index"), ("choices", 0, "delta", "audio", "expires_at"),
              ("choices", 0, "delta", "tool_calls", 0, "index"), ("usage", "total_tokens"),
              ("x",), ("choices", 0, "delta", "x")]
    for where in places:
        d = copy.deepcopy(chunk)
        get(d, where[:-1])[where[-1]] = value
        with pytest.raises(VE) as info:
            Chunk.from_dict(d)
        assert info.value.path == fmt_path(where)
        get(d, where[:-1])[where[-1]] = value - 1 if value > 0 else value + 1
        assert Chunk.from_dict(d).to_dict() == d


def test_an_api_error_body_quotes_a_short_server_message() -> None:
    for message, shown in (("x" * 10_000, "x" * 300 + "..."), (None, "None"),
                           ({"a": 1}, "<object of 1 keys>"), ("\x1b[2Jboom", "\\x1b[2Jboom")):
        e = raises(Resp.from_dict, {"error": {"message": message, "type": "server_error"}})
        assert e.message == f"The server sent an API error, not a chat completion: {shown}"
        assert (e.path, e.expected, e.found) == ("$", "chat completion", "error")
    e = raises(Resp.from_dict, {"error": "rate limited"})  # an error that is a string
    assert e.message.endswith(": rate limited")


def test_a_key_that_cannot_be_compared_next_to_other_non_json_values() -> None:
    """Whichever of them is named, it is a ValidationError at its own place."""
    deep: Any = {}
    for _ in range(300):
        deep = {"n": deep}
    for doc in ({"choices": [], "x": [(1,)], _Uncomparable("model"): "m"},
                {"choices": [], "deep": deep, _Uncomparable("model"): "m"}):
        e = raises(Resp.from_dict, doc, tuple(doc))
        assert e.path in ("$", "$.x[0]")
