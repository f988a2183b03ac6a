# SPDX-License-Identifier: MIT
"""Typed getters and JSON helpers shared by every model's from_dict/to_dict.

Each getter checks one field of a JSON object and raises ValidationError whose path
is relative to that object (``$.key``); the caller prepends its own segment as the error
travels up, so a valid document never pays for building path strings.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from ._errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple, TypeVar

    T = TypeVar("T")
    S = TypeVar("S", str, Optional[str])
    Parse = Callable[[Any, int], T]
else:

    def model(cls):
        """A dataclass with slots where the interpreter has them (3.10+); eq comes from Model."""
        if sys.version_info >= (3, 10):
            return dataclass(cls, eq=False, slots=True)
        return dataclass(cls, eq=False)  # pragma: no cover - only on 3.9


def lazy_extra(cls: type) -> Callable[[Any], Optional[Dict[str, Any]]]:
    """Let ``cls().extra`` be created on first read, and return a reader that never creates it.

    A logprobs response holds thousands of token objects, nearly all without unknown keys;
    an empty dict each would be a third of their memory. from_dict's fast path stores None;
    reading ``extra`` then gives (and keeps) a new empty dict, so users see an ordinary dict.
    """
    storage: Any = cls.__dict__.get("extra")  # the slot's descriptor on 3.10+; none on 3.9
    raw: Callable[[Any], Optional[Dict[str, Any]]]
    set_raw: Callable[[Any, Optional[Dict[str, Any]]], None]
    if storage is not None:
        raw, set_raw = storage.__get__, storage.__set__
    else:  # pragma: no cover - 3.9 has no slots: plain instance attributes

        def raw(obj: Any) -> Optional[Dict[str, Any]]:
            return obj.__dict__.get("extra")  # type: ignore[no-any-return]

        def set_raw(obj: Any, value: Optional[Dict[str, Any]]) -> None:
            obj.__dict__["extra"] = value

    def get(obj: Any) -> Dict[str, Any]:
        extra = raw(obj)
        if extra is None:
            extra = {}
            set_raw(obj, extra)
        return extra

    cls.extra = property(get, set_raw, doc="Unknown keys, exactly as sent.")  # type: ignore[attr-defined]
    # With slots, pickle and copy read every attribute, which would create the dict.
    if storage is not None:  # pragma: no branch - there are no slots on 3.9
        names = cls.__slots__  # type: ignore[attr-defined]

        def getstate(obj: Any) -> Tuple[None, Dict[str, Any]]:
            return None, {n: raw(obj) if n == "extra" else getattr(obj, n) for n in names}

        setattr(cls, "__getstate__", getstate)  # noqa: B010 - a method on a class made elsewhere
    return raw


def plain(value: S) -> S:
    """A ``str`` subclass value (our ``str`` Enum constants) as the plain ``str`` it stands
    for, so objects built in code with ``FinishReason.STOP`` serialize to plain JSON values."""
    if value is None or type(value) is str or not isinstance(value, str):
        return value
    return str.__str__(value)


MAX_DEPTH = 200  # the root object is level 1; each object or array inside adds one
_BIG = 10**4300  # ints with more digits cannot be printed by CPython 3.11+ (int_max_str_digits)
_NEG_BIG = -_BIG  # a constant: `-_BIG` in a check would build a 4,300-digit int every time
_INF = float("inf")
_NEG_INF = -_INF
_SHORT = 40  # characters of a value or key shown in a message


# -- describing bad values: safe for 10 MB strings, 5,000-digit ints and deep containers --

_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool", dict: "object", list: "array"}


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value)) or type(value).__name__


def short_repr(value: Any) -> str:
    t = type(value)
    if t is str:
        if len(value) > _SHORT:
            return repr(value[:_SHORT]) + f"... ({len(value)} chars)"
        return repr(value)
    if t is int:
        if _NEG_BIG < value < _BIG and -(10**_SHORT) < value < 10**_SHORT:
            return repr(value)
        return f"<int of {value.bit_length()} bits>"
    if t is float or t is bool or value is None:
        return repr(value)
    if t is dict:
        return f"<object of {len(value)} keys>"
    if t is list:
        return f"<array of {len(value)} items>"
    return f"<{t.__name__}>"


def segment(key: str) -> str:
    """The path segment of an object key: ``.name``, or ``["odd key"]`` when it is not a name."""
    shown = key if len(key) <= _SHORT else key[:_SHORT] + "..."
    if key.isidentifier():
        return "." + shown
    import json  # only on the error path

    return "[" + json.dumps(shown, ensure_ascii=False) + "]"


def wrong_type(expected: str, value: Any) -> ValidationError:
    if type(value) is int and not _NEG_BIG < value < _BIG:
        return ValidationError(
            f"Integer too long (over 4,300 digits): {short_repr(value)}",
            expected=expected,
            found="int",
        )
    found = type_name(value)
    shown = "" if value is None else f" ({short_repr(value)})"
    return ValidationError(
        f"Expected `{expected}`, got `{found}`{shown}", expected=expected, found=found
    )


def wrong_field(key: str, expected: str, value: Any) -> ValidationError:
    return wrong_type(expected, value)._within(segment(key))


def missing(key: str) -> ValidationError:
    return ValidationError(f"Object missing required field `{key}`", expected=key, found="nothing")


def not_object(value: Any) -> ValidationError:
    return wrong_type("object", value)


# -- getters: one per JSON type; `d` is always an exact dict here --


def req_str(d: Dict[str, Any], key: str) -> str:
    try:
        value = d[key]
    except KeyError:
        raise missing(key) from None
    if type(value) is str:
        return value
    raise wrong_field(key, "str", value)


def opt_str(d: Dict[str, Any], key: str) -> Optional[str]:
    value = d.get(key)
    if value is None or type(value) is str:
        return value
    raise wrong_field(key, "str", value)


def req_int(d: Dict[str, Any], key: str) -> int:
    try:
        value = d[key]
    except KeyError:
        raise missing(key) from None
    if type(value) is int and _NEG_BIG < value < _BIG:
        return value
    raise wrong_field(key, "int", value)


def opt_int(d: Dict[str, Any], key: str) -> Optional[int]:
    value = d.get(key)
    if value is None or (type(value) is int and _NEG_BIG < value < _BIG):
        return value
    raise wrong_field(key, "int", value)


def req_number(d: Dict[str, Any], key: str) -> float:
    """A JSON number: an int is accepted (and kept an int), a bool is not, nor NaN/Infinity."""
    try:
        value = d[key]
    except KeyError:
        raise missing(key) from None
    if (type(value) is float and _NEG_INF < value < _INF) or (
        type(value) is int and _NEG_BIG < value < _BIG
    ):
        return value
    raise wrong_field(key, "float", value)


def opt_number(d: Dict[str, Any], key: str) -> Optional[float]:
    value = d.get(key)
    if value is None:
        return None
    if (type(value) is float and _NEG_INF < value < _INF) or (
        type(value) is int and _NEG_BIG < value < _BIG
    ):
        return value
    raise wrong_field(key, "float", value)


def opt_ints(d: Dict[str, Any], key: str) -> Optional[List[int]]:
    """An array of ints (token ``bytes``), copied."""
    value = d.get(key)
    if value is None:
        return None
    if type(value) is not list:
        raise wrong_field(key, "array", value)
    for i, item in enumerate(value):
        if type(item) is not int or not _NEG_BIG < item < _BIG:
            raise wrong_type("int", item)._within(f"[{i}]")._within(segment(key))
    return value.copy()


def opt_str_map(d: Dict[str, Any], key: str) -> Optional[Dict[str, str]]:
    """An object whose values are strings (``metadata``), copied."""
    value = d.get(key)
    if value is None:
        return None
    if type(value) is not dict:
        raise wrong_field(key, "object", value)
    for k, item in value.items():
        if type(k) is not str:
            raise bad_key(k)._within(segment(key))
        if type(item) is not str:
            raise wrong_type("str", item)._within(segment(k))._within(segment(key))
    return value.copy()


def opt_json_object(d: Dict[str, Any], key: str, depth: int) -> Optional[Dict[str, Any]]:
    """An object kept as plain JSON (``moderation``): checked and copied, not modelled."""
    value = d.get(key)
    if value is None:
        return None
    if type(value) is not dict:
        raise wrong_field(key, "object", value)
    try:
        return json_copy(value, depth + 1)  # type: ignore[no-any-return]
    except ValidationError as e:
        raise e._within(segment(key)) from None


def opt_obj(d: Dict[str, Any], key: str, parse: Parse[T], depth: int) -> Optional[T]:
    value = d.get(key)
    if value is None:
        return None
    try:
        return parse(value, depth + 1)
    except ValidationError as e:
        raise e._within(segment(key)) from None


def _items(value: List[Any], parse: Parse[T], depth: int) -> List[T]:
    try:
        return [parse(item, depth) for item in value]
    except ValidationError:
        pass
    for i, item in enumerate(value):  # rare: parse again, one by one, to name the index
        try:
            parse(item, depth)
        except ValidationError as e:
            raise e._within(f"[{i}]") from None
    raise AssertionError("unreachable")  # pragma: no cover


def req_list(d: Dict[str, Any], key: str, parse: Parse[T], depth: int) -> List[T]:
    try:
        value = d[key]
    except KeyError:
        raise missing(key) from None
    if type(value) is not list:
        raise wrong_field(key, "array", value)
    try:
        return _items(value, parse, depth + 2)
    except ValidationError as e:
        raise e._within(segment(key)) from None


def opt_list(d: Dict[str, Any], key: str, parse: Parse[T], depth: int) -> Optional[List[T]]:
    value = d.get(key)
    if value is None:
        return None
    if type(value) is not list:
        raise wrong_field(key, "array", value)
    try:
        return _items(value, parse, depth + 2)
    except ValidationError as e:
        raise e._within(segment(key)) from None


# -- unknown keys and explicit nulls --


def extra(d: Dict[str, Any], known: FrozenSet[str], depth: int) -> Dict[str, Any]:
    """The unknown keys of ``d`` (an object at level ``depth``), checked and deep-copied.

    Callers first check ``known.issuperset(d)`` inline: most objects have no unknown key.
    """
    out = {}
    for k, value in d.items():
        if k in known:
            continue
        if type(k) is not str:
            raise bad_key(k)
        try:
            out[k] = json_copy(value, depth + 1)
        except ValidationError as e:
            raise e._within(segment(k)) from None
    return out


def nulls(d: Dict[str, Any], optional: Tuple[str, ...]) -> Tuple[str, ...]:
    """The optional keys given as explicit ``null``, so to_dict can write them back.

    Callers first check ``None not in d.values()`` inline: most objects have no null.
    """
    return tuple([k for k in optional if d.get(k, 0) is None])


def bad_key(key: Any) -> ValidationError:
    found = type_name(key)
    return ValidationError(
        f"Expected `str` object keys, got `{found}` ({short_repr(key)})",
        expected="str",
        found=found,
    )


def json_copy(value: Any, depth: int) -> Any:
    """Check that ``value`` (at nesting level ``depth``) is plain JSON, and return a deep copy."""
    t = type(value)
    if t is str or t is bool or value is None:
        return value
    if t is int:
        if _NEG_BIG < value < _BIG:
            return value
        raise wrong_type("int", value)
    if t is float:
        if _NEG_INF < value < _INF:
            return value
        raise wrong_type("finite number", value)
    if t is dict or t is list:
        if depth > MAX_DEPTH:
            raise ValidationError(
                f"Nested deeper than {MAX_DEPTH} levels", expected=f"<= {MAX_DEPTH} levels",
                found=type_name(value),
            )
        if t is dict:
            out = {}
            for k, item in value.items():
                if type(k) is not str:
                    raise bad_key(k)
                try:
                    out[k] = json_copy(item, depth + 1)
                except ValidationError as e:
                    raise e._within(segment(k)) from None
            return out
        items = []  # a loop, not parse-then-rescan: that would be exponential in the depth
        for i, item in enumerate(value):
            try:
                items.append(json_copy(item, depth + 1))
            except ValidationError as e:
                raise e._within(f"[{i}]") from None
        return items
    raise wrong_type("JSON value", value)


def dump_json(value: Any) -> Any:
    """Deep copy of a JSON value for to_dict (no validation: objects built in code are trusted)."""
    t = type(value)
    if t is dict:
        return {k: dump_json(item) for k, item in value.items()}
    if t is list:
        return [dump_json(item) for item in value]
    return value


def dump_extra(out: Dict[str, Any], extra: Dict[str, Any]) -> Dict[str, Any]:
    for k, value in extra.items():
        out[k] = dump_json(value)
    return out
