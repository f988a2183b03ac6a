# SPDX-License-Identifier: MIT
"""The response schema as test data, hypothesis strategies built from it, and an oracle.

``SCHEMA`` is written from DESIGN.md (its "What must be present" table) and the field
reference, not read from the package, so the tests can disagree with the code. From it:

* ``sample``/``minimal``/``full`` give hand-checkable valid dicts for every class;
* ``objects(name)`` generates valid dicts of a class: every field, explicit nulls, absent
  optional keys, ints for floats, unicode, and random unknown keys at every level;
* ``mutated_responses()`` applies one random mutation to a valid response;
* ``first_error(doc)`` says where a document is invalid (or that it is valid), so a property
  can check both the verdict and the ``path`` of ``from_dict``.
"""
from __future__ import annotations

import copy
import datetime
import decimal
import json
import math
from typing import Any, Dict, Iterator, List, Optional, Tuple

from hypothesis import strategies as st

from tests import cc

# -- the schema --------------------------------------------------------------------------

# A kind is ("str",), ("int",), ("number",) [int or float], ("ints",) [array of int, token
# bytes], ("str_map",) [metadata], ("json",) [object kept as plain JSON, moderation],
# ("obj", class name) or ("list", class name).
Kind = Tuple[str, ...]
STR: Kind = ("str",)
INT: Kind = ("int",)
NUMBER: Kind = ("number",)
INTS: Kind = ("ints",)
STR_MAP: Kind = ("str_map",)
JSON_OBJECT: Kind = ("json",)


def OBJ(name: str) -> Kind:
    return ("obj", name)


def LIST(name: str) -> Kind:
    return ("list", name)


RESPONSE = "CreateChatCompletionResponse"
CHOICE = "CreateChatCompletionResponseChoices"
MESSAGE = "ChatCompletionResponseMessage"
TOOL_CALL = "ChatCompletionMessageToolCall"
USAGE = "CreateChatCompletionResponseUsage"
TOKEN = "ChatCompletionTokenLogprob"

# class name -> (required {key: kind}, optional {key: kind}), keys in schema order
SCHEMA: Dict[str, Tuple[Dict[str, Kind], Dict[str, Kind]]] = {
    RESPONSE: (
        {"choices": LIST(CHOICE)},
        {"id": STR, "created": INT, "model": STR, "object": STR, "metadata": STR_MAP,
         "moderation": JSON_OBJECT, "service_tier": STR, "system_fingerprint": STR,
         "usage": OBJ(USAGE)},
    ),
    CHOICE: (
        {},
        {"finish_reason": STR, "index": INT, "logprobs": OBJ("ChoiceLogprobs"),
         "message": OBJ(MESSAGE)},
    ),
    MESSAGE: (
        {"role": STR},
        {"content": STR, "refusal": STR, "annotations": LIST("Annotation"),
         "audio": OBJ("ChatCompletionAudio"), "function_call": OBJ("Function"),
         "tool_calls": LIST(TOOL_CALL)},
    ),
    TOOL_CALL: (
        {},
        {"id": STR, "type": STR, "function": OBJ("Function"), "custom": OBJ("Custom")},
    ),
    "Function": ({"name": STR, "arguments": STR}, {}),
    "Custom": ({}, {"name": STR, "input": STR}),
    "Annotation": ({}, {"type": STR, "url_citation": OBJ("AnnotationURLCitation")}),
    "AnnotationURLCitation": (
        {}, {"end_index": INT, "start_index": INT, "title": STR, "url": STR},
    ),
    "ChatCompletionAudio": (
        {}, {"id": STR, "data": STR, "expires_at": INT, "transcript": STR},
    ),
    USAGE: (
        {"completion_tokens": INT, "prompt_tokens": INT, "total_tokens": INT},
        {"completion_tokens_details": OBJ("CompletionTokensDetails"),
         "prompt_tokens_details": OBJ("PromptTokensDetails")},
    ),
    "CompletionTokensDetails": (
        {}, {"accepted_prediction_tokens": INT, "audio_tokens": INT, "reasoning_tokens": INT,
             "rejected_prediction_tokens": INT, "text_tokens": INT},
    ),
    "PromptTokensDetails": (
        {}, {"audio_tokens": INT, "cache_write_tokens": INT, "cached_tokens": INT,
             "image_tokens": INT, "text_tokens": INT},
    ),
    "ChoiceLogprobs": ({}, {"content": LIST(TOKEN), "refusal": LIST(TOKEN)}),
    TOKEN: (
        {"token": STR, "logprob": NUMBER},
        {"bytes": INTS, "top_logprobs": LIST("TopLogprob")},
    ),
    "TopLogprob": ({}, {"token": STR, "logprob": NUMBER, "bytes": INTS}),
}


def keys(name: str) -> Dict[str, Kind]:
    required, optional = SCHEMA[name]
    return {**required, **optional}


def cls(name: str) -> Any:
    return getattr(cc, name)


MAX_DEPTH = 200  # DESIGN 4: the root object is level 1; 200 levels work, 201 do not
BIG = 10**4300  # the smallest int with 4,301 digits: too long for CPython to print

# -- hand-made valid values ----------------------------------------------------------------

_SAMPLES: Dict[str, Any] = {
    "str": "s é😀",
    "int": 7,
    "number": -0.5,
    "ints": [104, 105],
    "str_map": {"k": "v", "a b": ""},
    "json": {"a": [1, None, True, 1.5, "x", {"b": {}}], "c": False},
}


def sample(kind: Kind) -> Any:
    """A valid value of ``kind`` with every optional key of every nested object set."""
    if kind[0] == "obj":
        return full(kind[1])
    if kind[0] == "list":
        return [full(kind[1]), minimal(kind[1])]
    return copy.deepcopy(_SAMPLES[kind[0]])


def minimal(name: str) -> Dict[str, Any]:
    """The smallest valid dict of a class: its required keys only."""
    return {k: sample(kind) for k, kind in SCHEMA[name][0].items()}


def full(name: str) -> Dict[str, Any]:
    """A valid dict of a class with every key of the schema set to a non-null value."""
    return {k: sample(kind) for k, kind in keys(name).items()}


def model_nodes(
    name: str, d: Any, path: Tuple[Any, ...] = ()
) -> Iterator[Tuple[str, Tuple[Any, ...], Dict[str, Any]]]:
    """Every modelled object of a valid document: (class name, path segments, the dict)."""
    yield name, path, d
    for k, kind in keys(name).items():
        value = d.get(k)
        if value is None:
            continue
        if kind[0] == "obj":
            yield from model_nodes(kind[1], value, (*path, k))
        elif kind[0] == "list":
            for i, item in enumerate(value):
                yield from model_nodes(kind[1], item, (*path, k, i))


def get(obj: Any, path: Tuple[Any, ...]) -> Any:
    """Follow path segments through dicts and lists, or through a parsed object's attributes."""
    for seg in path:
        if type(seg) is int or isinstance(obj, (dict, list)):
            obj = obj[seg]
        else:
            obj = getattr(obj, seg)
    return obj


# -- paths as ValidationError spells them ----------------------------------------------------


def key_segment(key: str) -> str:
    """``.name``, or the key as a JSON string in brackets: ``["a b"]``, ``["a\\nb"]``; the
    key whole, however long, so that the path can be followed back into the document."""
    if key.isidentifier():
        return "." + key
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def fmt_path(path: Tuple[Any, ...]) -> str:
    """``$.choices[0].message.x["a b"]``: a key that is not a name goes in brackets, quoted."""
    return "$" + "".join(f"[{seg}]" if type(seg) is int else key_segment(seg) for seg in path)


def _spellings(key: str) -> List[str]:
    if key.isidentifier():
        return [key_segment(key)]
    partial = '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return ["[" + q + "]" for q in (json.dumps(key, ensure_ascii=False), json.dumps(key),
                                     repr(key), partial)]


def path_matches(found: str, path: Tuple[Any, ...]) -> bool:
    """The error's path names the place ``path`` names. A key that is not a name may be
    spelled several ways (JSON or Python quotes, escaped or not): the properties check the
    place, and test_errors checks the spelling."""
    out = "$"
    for seg in path:
        if type(seg) is int:
            out += f"[{seg}]"
            continue
        for spelling in _spellings(seg):
            if found.startswith(out + spelling):
                out += spelling
                break
        else:
            return False
    return found == out


# -- the oracle ---------------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, path: Tuple[Any, ...]) -> None:
        super().__init__(path)
        self.path = path


def _check_json(value: Any, depth: int, path: Tuple[Any, ...]) -> None:
    t = type(value)
    if t is str or t is bool or value is None:
        return
    if t is int:
        if -BIG < value < BIG:
            return
        raise _Invalid(path)
    if t is float:
        if math.isfinite(value):
            return
        raise _Invalid(path)
    if t is dict or t is list:
        if depth > MAX_DEPTH:
            raise _Invalid(path)
        if t is dict:
            if any(type(k) is not str for k in value):
                raise _Invalid(path)
            for k, item in value.items():
                _check_json(item, depth + 1, (*path, k))
        else:
            for i, item in enumerate(value):
                _check_json(item, depth + 1, (*path, i))
        return
    raise _Invalid(path)


def _check_kind(kind: Kind, value: Any, depth: int, path: Tuple[Any, ...]) -> None:
    """``value`` is the value of a field at nesting level ``depth``."""
    k = kind[0]
    t = type(value)
    if k == "str":
        ok = t is str
    elif k == "int":
        ok = t is int and -BIG < value < BIG
    elif k == "number":
        ok = (t is int and -BIG < value < BIG) or (t is float and math.isfinite(value))
    elif k == "ints":
        if t is not list:
            raise _Invalid(path)
        for i, item in enumerate(value):
            if type(item) is not int or not -BIG < item < BIG:
                raise _Invalid((*path, i))
        return
    elif k == "str_map":
        if t is not dict:
            raise _Invalid(path)
        for key, item in value.items():
            if type(key) is not str:
                raise _Invalid(path)
            if type(item) is not str:
                raise _Invalid((*path, key))
        return
    elif k == "json":
        if t is not dict:
            raise _Invalid(path)
        _check_json(value, depth, path)
        return
    elif k == "obj":
        _check_model(kind[1], value, depth, path)
        return
    else:  # list of objects: the array is one level, its items the next
        if t is not list:
            raise _Invalid(path)
        for i, item in enumerate(value):
            _check_model(kind[1], item, depth + 1, (*path, i))
        return
    if not ok:
        raise _Invalid(path)


def _check_model(name: str, d: Any, depth: int, path: Tuple[Any, ...]) -> None:
    if type(d) is not dict:
        raise _Invalid(path)
    required, optional = SCHEMA[name]
    for key, kind in required.items():
        if key not in d:
            raise _Invalid(path)
        _check_kind(kind, d[key], depth + 1, (*path, key))
    if name == RESPONSE and d.get("object") == "chat.completion.chunk":
        raise _Invalid((*path, "object"))
    for key, kind in optional.items():
        if d.get(key) is not None:
            _check_kind(kind, d[key], depth + 1, (*path, key))
    known = keys(name)
    for key, value in d.items():
        if key in known:
            continue
        if type(key) is not str:
            raise _Invalid(path)
        _check_json(value, depth + 1, (*path, key))


def first_error(doc: Any, name: str = RESPONSE) -> Optional[Tuple[Any, ...]]:
    """None if ``doc`` is a valid ``name``, else the path segments of the bad value.

    With one mistake in a document there is one place to name, whatever the checking order.
    """
    try:
        _check_model(name, doc, 1, ())
    except _Invalid as e:
        return e.path
    return None


# -- strategies -----------------------------------------------------------------------------

_OBJECT_CHUNK = "chat.completion.chunk"

texts = st.text(max_size=12)
names = st.text(max_size=10)  # unknown keys: short, often not identifiers ("", "0", "a b")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(names, children, max_size=3)
    ),
    max_leaves=8,
)

_KIND_STRATEGIES: Dict[str, st.SearchStrategy[Any]] = {
    "str": texts,
    "int": st.integers(),
    "number": st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers()),
    "ints": st.lists(st.one_of(st.integers(0, 255), st.integers()), max_size=4),
    "str_map": st.dictionaries(names, texts, max_size=3),
    "json": st.dictionaries(names, json_values, max_size=3),
}

# Unknown keys providers really send, next to random ones.
_PROVIDER_EXTRAS: Dict[str, st.SearchStrategy[Dict[str, Any]]] = {
    MESSAGE: st.fixed_dictionaries(
        {}, optional={"reasoning_content": st.one_of(texts, json_values),
                      "reasoning": st.one_of(texts, json_values)}
    ),
    TOOL_CALL: st.fixed_dictionaries({}, optional={"index": st.one_of(st.none(), st.integers())}),
    CHOICE: st.fixed_dictionaries(
        {}, optional={"content_filter_results": json_values, "stop_reason": json_values}
    ),
}


def _kind(kind: Kind) -> st.SearchStrategy[Any]:
    if kind[0] == "obj":
        return objects(kind[1])
    if kind[0] == "list":
        return st.lists(objects(kind[1]), max_size=3 if kind[1] != CHOICE else 2)
    return _KIND_STRATEGIES[kind[0]]


def _merge(parts: Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any]]) -> Dict[str, Any]:
    known, provider, unknown = parts
    out = dict(known)
    for k, v in (*provider.items(), *unknown.items()):
        out.setdefault(k, v)
    return out


_CACHE: Dict[str, st.SearchStrategy[Dict[str, Any]]] = {}


def objects(name: str) -> st.SearchStrategy[Dict[str, Any]]:
    """Valid dicts of class ``name``: optional keys absent, null or set; unknown keys added."""
    if name not in _CACHE:
        required, optional = SCHEMA[name]
        req = {k: _kind(kind) for k, kind in required.items()}
        opt = {k: st.one_of(st.none(), _kind(kind)) for k, kind in optional.items()}
        if name == RESPONSE:
            opt["object"] = st.one_of(st.none(), st.just("chat.completion"), texts).filter(
                lambda s: s != _OBJECT_CHUNK
            )
        known = frozenset(keys(name))
        unknown = st.dictionaries(names.filter(lambda k: k not in known), json_values, max_size=2)
        general = st.tuples(
            st.fixed_dictionaries(req, optional=opt),
            _PROVIDER_EXTRAS.get(name, st.just({})),
            unknown,
        ).map(_merge)
        typical = _typical(name)
        _CACHE[name] = general if typical is None else st.one_of(typical, general)
    return _CACHE[name]


def _typical(name: str) -> Optional[st.SearchStrategy[Dict[str, Any]]]:
    """The shape api.openai.com sends for token logprobs (every key set, a float logprob,
    byte values): the shape a parser is most tempted to special-case."""
    top = {
        "token": texts,
        "logprob": st.floats(max_value=0.0, allow_nan=False, allow_infinity=False),
        "bytes": st.lists(st.integers(0, 255), max_size=4),
    }
    if name == "TopLogprob":
        return st.fixed_dictionaries(top)
    if name == TOKEN:
        return st.fixed_dictionaries(
            {**top, "top_logprobs": st.lists(objects("TopLogprob"), max_size=3)})
    return None


def responses() -> st.SearchStrategy[Dict[str, Any]]:
    return objects(RESPONSE)


# -- mutations ------------------------------------------------------------------------------


def _sites(value: Any, path: Tuple[Any, ...] = ()) -> Iterator[Tuple[Tuple[Any, ...], Any]]:
    yield path, value
    if type(value) is dict:
        for k, item in value.items():
            yield from _sites(item, (*path, k))
    elif type(value) is list:
        for i, item in enumerate(value):
            yield from _sites(item, (*path, i))


class _Opaque:
    """A non-JSON value that only equals itself."""

    def __repr__(self) -> str:
        return "<opaque>"


WRONG_VALUES = ["", "12", 0, 12, -1, 1.5, 2.0, True, False, None, [], [1], {}, {"a": 1}]


def non_json_values() -> List[Any]:
    return [
        (1, 2), {1}, frozenset(), b"x", bytearray(b"x"), datetime.datetime(2024, 1, 1),
        decimal.Decimal("1.5"), 1j, _Opaque(), object(), float("nan"), float("inf"),
        float("-inf"), BIG, -BIG, {1: "x"}, {None: 1}, {("a",): 1},
    ]


Mutated = Tuple[Any, str, List[Any]]


def _set(doc: Any, path: Tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    get(doc, path[:-1])[path[-1]] = value
    return doc


MUTATIONS = [
    "replace", "delete", "non_json", "deep", "bool_for_int", "nan", "huge_int", "non_str_key",
    "new_key",
]


@st.composite
def mutated_responses(draw: Any, how: Optional[str] = None) -> Mutated:
    """A valid response with one mutation: (document, what was done, the non-JSON values
    put in, so a copy of the document can keep them by identity).

    ``how`` is one of MUTATIONS, or None for any. Places are picked with a hypothesis-seeded
    Random so that every place is about equally likely (sampled_from leans to the first)."""
    doc = draw(responses())
    rnd = draw(st.randoms(use_true_random=False))
    sites = list(_sites(doc))
    path, value = rnd.choice(sites[1:]) if len(sites) > 1 and rnd.random() < 0.97 else sites[0]
    if how is None:
        how = rnd.choice(MUTATIONS)
    inserted: List[Any] = []
    if how == "bool_for_int":
        ints = [p for p, v in sites if type(v) is int]
        if ints:
            path = rnd.choice(ints)
            doc = _set(doc, path, rnd.random() < 0.5)
            return doc, f"bool at {path}", inserted
        how = "replace"
    if how == "delete" and path:
        del get(doc, path[:-1])[path[-1]]
        return doc, f"deleted {path}", inserted
    if how in ("non_json", "nan", "huge_int"):
        pool = {
            "non_json": non_json_values(),
            "nan": [float("nan"), float("inf"), float("-inf")],
            "huge_int": [BIG, -BIG, 10**5000],
        }[how]
        bad = rnd.choice(pool)
        inserted.append(bad)
        shown = f"<int of {bad.bit_length()} bits>" if type(bad) is int else repr(bad)[:30]
        return _set(doc, path, bad), f"{how} {shown} at {path}", inserted
    if how == "deep":
        levels = rnd.choice([rnd.randint(1, 230), rnd.randint(190, 205)])
        wrap_in_list = rnd.random() < 0.5
        for _ in range(levels):
            value = [value] if wrap_in_list else {"n": value}
        return _set(doc, path, value), f"{levels} levels around {path}", inserted
    if how in ("non_str_key", "new_key"):
        where = rnd.choice([p for p, v in sites if type(v) is dict])
        target = get(doc, where)
        if how == "non_str_key":
            key: Any = rnd.choice([1, None, 1.5, ("a",), True])
            inserted.append(key)
            target[key] = "x"
            return doc, f"key {key!r} in {where}", inserted
        key = draw(names.filter(lambda k: k not in target))
        target[key] = draw(json_values)
        return doc, f"new key {key!r} in {where}", inserted
    bad = rnd.choice(WRONG_VALUES)
    return _set(doc, path, copy.deepcopy(bad)), f"replaced by {bad!r} at {path}", inserted


def snapshot(doc: Any, keep: List[Any]) -> Any:
    """A deep copy of ``doc`` in which the values in ``keep`` stay the same objects."""
    return copy.deepcopy(doc, {id(x): x for x in keep})

