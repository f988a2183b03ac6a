# SPDX-License-Identifier: MIT
"""Plain JSON values: text in and out, the limits every document obeys, checked deep copies.

Limits (DESIGN §4): the root object is level 1 and each object or array inside adds one;
200 levels work everywhere, deeper documents are rejected. Integers over 4,300 digits (which
CPython 3.11+ cannot print) and non-finite floats are rejected too.
"""
from __future__ import annotations

from ._errors import ValidationError, bad_key, short_repr, type_name, wrong_type

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

MAX_DEPTH = 200
BIG = 10**4300  # a constant: `10**4300` in a check would build a 4,300-digit int every time
NEG_BIG = -BIG
INF = float("inf")
NEG_INF = -INF


def loads(data: Any) -> Any:
    """JSON text to Python: UTF-8 only for bytes, no BOM.

    ``NaN`` and ``Infinity`` come out as floats here (the default decoder is the fast one);
    every model's checks then reject them with their JSON path.
    """
    import json  # imported on first use: `import chatcompletion` stays cheap

    if type(data) is bytes or type(data) is bytearray:
        if data[:3] == b"\xef\xbb\xbf":
            raise ValidationError("JSON text starts with a byte order mark", expected="JSON text",
                                  found="BOM")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValidationError(f"JSON text is not valid UTF-8 (byte {e.start})",
                                  expected="UTF-8", found=repr(bytes(data[e.start:e.end]))
                                  ) from None
    elif type(data) is not str:
        raise ValidationError(f"Expected JSON text (`str` or `bytes`), got `{type_name(data)}`",
                              expected="str", found=type_name(data))
    if data[:1] == "\ufeff":
        raise ValidationError("JSON text starts with a byte order mark", expected="JSON text",
                              found="BOM")
    try:
        return json.loads(data)
    except json.JSONDecodeError as e:
        raise invalid_json(e) from None
    except RecursionError:
        raise ValidationError("JSON text nested too deeply", expected=f"<= {MAX_DEPTH} levels",
                              found="deeper") from None
    except ValueError as e:  # e.g. an integer over the interpreter's 4,300-digit limit
        raise ValidationError(f"Invalid JSON: {str(e)[:100]}", expected="JSON text",
                              found="invalid value") from None


def invalid_json(e: Any) -> ValidationError:
    """The error for a ``json.JSONDecodeError``: what and where (line, column)."""
    return ValidationError(f"Invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})",
                           expected="JSON text", found=short_repr(e.doc[e.pos:e.pos + 20]))


def dumps(value: Any, indent: Optional[int] = None) -> str:
    import json

    if indent is None:
        return json.dumps(value, allow_nan=False, separators=(",", ":"))
    return json.dumps(value, allow_nan=False, indent=indent)


def json_copy(value: Any, depth: int) -> Any:
    """Check that ``value`` (at nesting level ``depth``) is plain JSON, and return a deep copy."""
    t = type(value)
    if t is str or t is bool or value is None:
        return value
    if t is int:
        if NEG_BIG < value < BIG:
            return value
        raise wrong_type("int", value)
    if t is float:
        if NEG_INF < value < INF:
            return value
        raise wrong_type("finite number", value)
    if t is dict or t is list:
        if depth > MAX_DEPTH:
            raise too_deep(value)
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


def too_deep(value: Any) -> ValidationError:
    return ValidationError(f"Nested deeper than {MAX_DEPTH} levels",
                           expected=f"<= {MAX_DEPTH} levels", found=type_name(value))


def dump_json(value: Any) -> Any:
    """Deep copy of a JSON value for to_dict (no validation: objects built in code are trusted)."""
    t = type(value)
    if t is dict:
        return {k: dump_json(item) for k, item in value.items()}
    if t is list:
        return [dump_json(item) for item in value]
    return value


def dump_extra(out: Dict[str, Any], extra: Dict[str, Any]) -> Dict[str, Any]:
    """``out`` with the keys of ``extra`` (unknown keys, and values lenient reading kept)."""
    for k, value in extra.items():
        out[k] = dump_json(value)
    return out


def segment(key: str) -> str:
    """The path segment of an object key: ``.name``, or ``["odd key"]`` when it is not a name.

    The key is kept whole, so the path can be followed back into the document; messages
    shorten and escape it when they show it.
    """
    if key.isidentifier():
        return "." + key
    import json  # only on the error path

    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def find_foreign(value: Any) -> Optional[ValidationError]:
    """The first non-JSON key or value in ``value``, found with type tests only (never
    calling a key's ``__eq__`` or ``__hash__``), as an error with its path; else None.

    Run after an unexpected exception escaped a parse: only a foreign object in the input
    (a key whose ``__eq__`` raises) can cause one, and this names it.
    """
    stack = [(value, "$", 1)]
    while stack:
        node, path, depth = stack.pop()
        t = type(node)
        if (t is dict or t is list) and depth > MAX_DEPTH:
            continue  # too deep to matter: the parse reports the depth
        if t is dict:
            for k, item in node.items():
                if type(k) is not str:
                    e = bad_key(k)
                    e.path = path
                    return e
                stack.append((item, path + segment(k), depth + 1))
        elif t is list:
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node))
        elif not (t is str or t is int or t is float or t is bool or node is None):
            e = wrong_type("JSON value", node)
            e.path = path
            return e
    return None
