# SPDX-License-Identifier: MIT
"""Reading the fields of one JSON object, for the general parser of each model.

``Fields(d, depth, problems)`` wraps one object; its getters check one field each.

* Strict (``problems`` is None): a value that does not fit raises ValidationError, whose
  path is relative to this object (``$.key``); each caller prepends its own segment as the
  error travels up, so a valid document never pays for building path strings.
* Lenient (``problems`` is a list): the value is kept, exactly as sent, for the object's
  ``extra``, the attribute gets None (``[]`` for a required array) and the error strict mode
  would raise is appended to ``problems``. A required scalar that does not fit makes the
  whole object unfit (``Unfit``), and its parent keeps it as a misfit in turn. Paths of the
  problems a child appended are completed by each parent on the way out, as in strict mode.

Non-JSON values and nesting over 200 levels raise in both modes.
"""
from __future__ import annotations

from ._base import raw_extra
from ._errors import (
    ValidationError,
    api_error,
    bad_key,
    missing,
    missing_in_spec,
    not_object,
    wrong_type,
)
from ._json import BIG, INF, NEG_BIG, NEG_INF, json_copy, segment

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, List, Optional, Tuple, Type, TypeVar

    from ._base import Model

    T = TypeVar("T", bound=Model)
    Problems = Optional[List[ValidationError]]


class Unfit(Exception):
    """Lenient reading: this object cannot be built (a required scalar does not fit, or it
    is not an object). Its problems are listed already; ``error`` is the first of them."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.message)
        self.error = error


def unknown(d: Dict[str, Any], known: FrozenSet[str], depth: int) -> Dict[str, Any]:
    """The unknown keys of ``d`` (an object at level ``depth``), checked and deep-copied."""
    out = {}
    for k, value in d.items():
        if type(k) is not str:
            raise bad_key(k)
        if k in known:
            continue
        try:
            out[k] = json_copy(value, depth + 1)
        except ValidationError as e:
            raise e._within(segment(k)) from None
    return out


def within(problems: List[ValidationError], start: int, seg: str) -> None:
    """Prepend ``seg`` to the paths of the problems appended since ``start``."""
    for i in range(start, len(problems)):
        problems[i]._within(seg)


class Fields:
    """The fields of one JSON object ``d`` at nesting level ``depth``."""

    __slots__ = ("absent", "d", "depth", "error", "misfits", "nulls", "problems")

    def __init__(self, d: Any, depth: int, problems: Problems) -> None:
        if type(d) is not dict:
            error = not_object(d)
            if problems is None:
                raise error
            problems.append(error)
            raise Unfit(error)
        self.d: Dict[str, Any] = d
        self.depth = depth
        self.problems = problems
        self.nulls: List[str] = []  # optional keys sent as null, in schema order
        self.absent: List[str] = []  # required arrays lenient reading found missing
        self.misfits: Dict[str, Any] = {}  # lenient: values that did not fit, as sent
        self.error: Optional[ValidationError] = None  # lenient: what makes the object unfit

    # -- what every getter does with a value that does not fit --

    def misfit(self, key: str, error: ValidationError) -> None:
        """The value of ``key`` does not fit: raise, or keep it for ``extra`` and list it."""
        problems = self.problems
        if problems is None:
            raise error._within(segment(key))
        self.misfits[key] = json_copy(self.d[key], self.depth + 1)  # non-JSON raises here
        problems.append(error._within(segment(key)))

    def problem(self, error: ValidationError) -> None:
        """Something wrong with the object as a whole (an API error body): raise, or list it."""
        if self.problems is None:
            raise error
        self.problems.append(error)

    def _required(self, key: str, error: ValidationError) -> None:
        """A required scalar is missing or does not fit: the whole object does not fit."""
        if key in self.d:
            self.misfit(key, error)
        else:
            self.problem(error)
        if self.error is None:
            self.error = error

    def _null(self, key: str) -> None:
        if key in self.d:
            self.nulls.append(key)

    # -- scalars --

    def req_str(self, key: str) -> str:
        value = self.d.get(key)
        if type(value) is str:
            return value
        self._required(key, missing(key) if key not in self.d else wrong_type("str", value))
        return None  # type: ignore[return-value]  # lenient, and the object is unfit

    def opt_str(self, key: str) -> Optional[str]:
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is str:
            return value
        self.misfit(key, wrong_type("str", value))
        return None

    def req_int(self, key: str) -> int:
        value = self.d.get(key)
        if type(value) is int and NEG_BIG < value < BIG:
            return value
        self._required(key, missing(key) if key not in self.d else wrong_type("int", value))
        return None  # type: ignore[return-value]  # lenient, and the object is unfit

    def opt_int(self, key: str) -> Optional[int]:
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is int and NEG_BIG < value < BIG:
            return value
        self.misfit(key, wrong_type("int", value))
        return None

    def req_number(self, key: str) -> float:
        """A JSON number: an int is accepted (and kept an int), a bool is not, nor NaN/Infinity."""
        value = self.d.get(key)
        if (type(value) is float and NEG_INF < value < INF) or (
            type(value) is int and NEG_BIG < value < BIG
        ):
            return value
        self._required(key, missing(key) if key not in self.d else wrong_type("float", value))
        return None  # type: ignore[return-value]  # lenient, and the object is unfit

    def opt_number(self, key: str) -> Optional[float]:
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if (type(value) is float and NEG_INF < value < INF) or (
            type(value) is int and NEG_BIG < value < BIG
        ):
            return value
        self.misfit(key, wrong_type("float", value))
        return None

    # -- plain JSON containers, copied --

    def opt_ints(self, key: str) -> Optional[List[int]]:
        """An array of ints (token ``bytes``)."""
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is not list:
            self.misfit(key, wrong_type("array", value))
            return None
        for i, item in enumerate(value):
            if type(item) is not int or not NEG_BIG < item < BIG:
                self.misfit(key, wrong_type("int", item)._within(f"[{i}]"))
                return None
        return value.copy()

    def opt_str_map(self, key: str) -> Optional[Dict[str, str]]:
        """An object whose values are strings (``metadata``)."""
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is not dict:
            self.misfit(key, wrong_type("object", value))
            return None
        for k, item in value.items():
            if type(k) is not str:
                raise bad_key(k)._within(segment(key))
            if type(item) is not str:
                self.misfit(key, wrong_type("str", item)._within(segment(k)))
                return None
        return value.copy()

    def opt_json_object(self, key: str) -> Optional[Dict[str, Any]]:
        """An object kept as plain JSON (``moderation``): checked and copied, not modelled."""
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is not dict:
            self.misfit(key, wrong_type("object", value))
            return None
        try:
            return json_copy(value, self.depth + 1)  # type: ignore[no-any-return]
        except ValidationError as e:
            raise e._within(segment(key)) from None

    def opt_json(self, key: str) -> Any:
        """Any JSON value (a batch response's ``body`` that is not a chat completion)."""
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        try:
            return json_copy(value, self.depth + 1)
        except ValidationError as e:
            raise e._within(segment(key)) from None

    # -- modelled objects and arrays of them --

    def opt_obj(self, key: str, cls: Type[T]) -> Optional[T]:
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        problems = self.problems
        if problems is None:
            try:
                return cls._parse(value, self.depth + 1)
            except ValidationError as e:
                raise e._within(segment(key)) from None
        start = len(problems)
        try:
            return cls._read(value, self.depth + 1, problems)
        except Unfit:
            self.misfits[key] = json_copy(value, self.depth + 1)
            return None
        except ValidationError as e:  # non-JSON or too deep: raises in lenient mode too
            raise e._within(segment(key)) from None
        finally:
            within(problems, start, segment(key))

    def opt_list(self, key: str, cls: Type[T]) -> Optional[List[T]]:
        value = self.d.get(key)
        if value is None:
            self._null(key)
            return None
        if type(value) is not list:
            self.misfit(key, wrong_type("array", value))
            return None
        return self._items(key, value, cls)

    def req_list(self, key: str, cls: Type[T], null: bool = False) -> List[T]:
        """A required array; ``null``: an explicit null reads as ``[]`` (TGI's usage chunk)."""
        d = self.d
        value = d.get(key)
        if type(value) is list:
            items = self._items(key, value, cls)
            return [] if items is None else items
        if value is None and null and key in d:
            self.nulls.append(key)
        elif key not in d:
            self.problem(missing(key))
            self.absent.append(key)
        else:
            self.misfit(key, wrong_type("array", value))
        return []

    def _items(self, key: str, value: List[Any], cls: Type[T]) -> Optional[List[T]]:
        depth = self.depth + 2
        problems = self.problems
        if problems is None:
            parse = cls._parse
            try:
                return [parse(item, depth) for item in value]
            except ValidationError:
                pass
            for i, item in enumerate(value):  # rare: parse again, one by one, to name the index
                try:
                    parse(item, depth)
                except ValidationError as e:
                    raise e._within(f"[{i}]")._within(segment(key)) from None
            raise AssertionError("unreachable")  # pragma: no cover
        read = cls._read
        start = len(problems)
        items = []
        fits = True
        try:
            for i, item in enumerate(value):
                mark = len(problems)
                try:
                    items.append(read(item, depth, problems))
                except Unfit:
                    fits = False  # one item that does not fit: the array does not fit
                except ValidationError as e:
                    raise e._within(f"[{i}]") from None
                finally:
                    within(problems, mark, f"[{i}]")
        except ValidationError as e:
            raise e._within(segment(key)) from None
        finally:
            within(problems, start, segment(key))
        if fits:
            return items
        self.misfits[key] = json_copy(value, self.depth + 1)
        return None

    # -- the rest of the object --

    def not_error_body(self) -> None:
        """A body that is an API error (``{"error": ...}`` and no ``choices``) is no response."""
        d = self.d
        if "choices" not in d and "error" in d:
            self.problem(api_error(d))

    def extra(self, known: FrozenSet[str], spec: Tuple[str, ...] = ()) -> Any:
        """The object's ``extra``, in its stored form (see ``_base.raw_extra``): its unknown
        keys (checked and copied), the nulls and, when lenient, the values that did not fit.
        Lenient reading also lists the keys of ``spec`` (what the OpenAI schema requires
        beyond this library) that are absent, and raises Unfit when a required scalar did
        not fit."""
        d = self.d
        out = {} if known.issuperset(d) else unknown(d, known, self.depth)
        problems = self.problems
        if problems is not None:
            if self.misfits:
                out.update(self.misfits)
            problems.extend([missing_in_spec(key) for key in spec if key not in d])
            if self.error is not None:
                raise Unfit(self.error)
        return raw_extra(out, self.nulls, self.absent)
