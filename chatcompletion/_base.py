# SPDX-License-Identifier: MIT
"""What every model shares: the entry points (from_dict, from_json, to_json, validate),
equality by JSON value, pickling, and ``Extra``, the dict that remembers explicit nulls."""
from __future__ import annotations

import sys
from dataclasses import dataclass

from ._errors import ValidationError
from ._json import dumps, find_foreign, loads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type, TypeVar

    M = TypeVar("M", bound="Model")
    S = TypeVar("S", str, Optional[str])
else:

    def model(cls):
        """A dataclass with slots where the interpreter has them (3.10+); eq comes from Model."""
        if sys.version_info >= (3, 10):
            return dataclass(cls, eq=False, slots=True)
        return dataclass(cls, eq=False)  # pragma: no cover - only on 3.9


_NO_KEYS: Tuple[str, ...] = ()


class Extra(dict):  # type: ignore[type-arg]
    """The ``extra`` dict of a parsed object that also remembers the shape of its input.

    ``nulls``: the optional keys sent as explicit ``null`` (the attribute reads None, as for
    an absent key, and to_dict writes the null back); ``absent``: required arrays the input
    lacked (lenient reading gives ``[]`` and to_dict writes nothing). Kept on the dict so that
    ``dataclasses.replace``, which passes on the fields and ``extra``, keeps them too; to
    users it is an ordinary dict of the unknown keys.
    """

    __slots__ = ("absent", "nulls")
    nulls: Tuple[str, ...]
    absent: Tuple[str, ...]

    def __reduce__(self) -> Tuple[Any, ...]:
        return _extra, (dict(self), self.nulls, self.absent)


def _extra(items: Dict[str, Any], nulls: Tuple[str, ...], absent: Tuple[str, ...]) -> Extra:
    out = Extra(items)
    out.nulls = nulls
    out.absent = absent
    return out


def new_extra(items: Dict[str, Any], nulls: Sequence[str], absent: Sequence[str]) -> Dict[str, Any]:
    """The ``extra`` of a parsed object: a plain dict, or an ``Extra`` when there is a shape
    to remember."""
    if not nulls and not absent:
        return items
    return _extra(items, tuple(nulls), tuple(absent))


def null_extra(nulls: Tuple[str, ...]) -> Extra:
    """An ``extra`` without unknown keys that remembers ``nulls`` (what fast paths build)."""
    out: Extra = _dict_new(Extra)
    out.nulls = nulls
    out.absent = _NO_KEYS
    return out


_dict_new = dict.__new__


def nulls_of(extra: Any) -> Tuple[str, ...]:
    """The keys sent as ``null``, for to_dict (inlined where to_dict is hot)."""
    return extra.nulls if type(extra) is Extra else _NO_KEYS


def plain(value: S) -> S:
    """A ``str`` subclass value (our ``str`` Enum constants) as the plain ``str`` it stands
    for, so that a constant assigned to a field serializes to a plain JSON string."""
    if value is None or type(value) is str or not isinstance(value, str):
        return value
    return str.__str__(value)


class Model:
    """Shared behaviour of every object in the tree.

    Each class reads JSON with ``_read(d, depth, problems)``, its general parser: strict when
    ``problems`` is None (the first misfit raises), lenient when it is a list (misfits are
    kept in ``extra`` and listed). ``_parse(d, depth)`` is the strict entry; hot classes
    override it with a fast path for the exact shape servers send, which hands anything
    else to ``_read``.
    """

    __slots__ = ()

    @classmethod
    def _parse(cls: Type[M], d: Any, depth: int) -> M:
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls: Type[M], d: Any, depth: int, problems: Optional[List[ValidationError]]) -> M:
        raise NotImplementedError  # pragma: no cover - every model defines its own

    @classmethod
    def from_dict(cls: Type[M], d: Any, *, problems: Optional[List[ValidationError]] = None) -> M:
        """Build the object from a JSON-shaped dict; raises ValidationError.

        With ``problems`` (a list), read leniently: a value that does not fit its field is
        kept in the ``extra`` of the object holding it, and its ValidationError appended to
        ``problems``, as is each key the OpenAI schema requires that ``d`` lacks. What still
        raises: a root that is not an object, non-JSON values, nesting over 200 levels.
        """
        try:
            if problems is None:
                return cls._parse(d, 1)
            return cls._read_root(d, problems)
        except ValidationError:
            raise
        except Exception:
            # Only a foreign object in the input can get here (a key whose __eq__ or
            # __hash__ raises, met by a dict lookup): name it; anything else is our bug.
            foreign = find_foreign(d)
            if foreign is None:
                raise
            raise foreign from None

    @classmethod
    def _read_root(cls: Type[M], d: Any, problems: List[ValidationError]) -> M:
        from ._fields import Unfit

        try:
            return cls._read(d, 1, problems)
        except Unfit as e:  # a root without what it cannot do without: no object to return
            problems.remove(e.error)  # raised, so not listed as well
            raise e.error from None

    @classmethod
    def from_json(
        cls: Type[M], data: str | bytes | bytearray, *,
        problems: Optional[List[ValidationError]] = None,
    ) -> M:
        """Build the object from JSON text (bytes are UTF-8); raises ValidationError."""
        return cls.from_dict(loads(data), problems=problems)

    def to_dict(self) -> Dict[str, Any]:
        raise NotImplementedError  # pragma: no cover - every model defines its own

    def to_json(self, indent: Optional[int] = None) -> str:
        """Strict JSON text, compact or indented; raises ValueError for NaN or Infinity."""
        return dumps(self.to_dict(), indent)

    def validate(self) -> None:
        """Raise ValidationError if ``to_dict()`` is not a document ``from_dict`` accepts.

        from_dict checks what it reads; an object built or changed in code is checked only
        here (to_dict and to_json trust it, for speed).
        """
        try:
            d = self.to_dict()
        except (AttributeError, TypeError, ValueError, RecursionError) as e:
            # a field of the wrong kind, or a container that holds itself
            raise ValidationError(f"Cannot serialize: {str(e)[:200]}", expected="JSON values",
                                  found=type(e).__name__) from None
        self.from_dict(d)

    def __eq__(self, other: object) -> bool:
        # Equal exactly when they serialize the same: explicit nulls and extras count.
        if other.__class__ is not self.__class__:
            return NotImplemented
        try:
            return self.to_dict() == other.to_dict()
        except Exception:  # objects built in code with values to_dict cannot write
            pass
        try:
            return self._values() == other._values()
        except Exception:  # a value whose own == raises (it cannot be JSON): not equal
            return False

    __hash__ = None  # type: ignore[assignment]  # mutable, like any dataclass with eq

    def _values(self) -> Tuple[Any, ...]:
        """The fields' values, ``extra`` as stored (None where it was never allocated)."""
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)  # type: ignore[attr-defined]

    def __reduce__(self) -> Tuple[Any, ...]:
        # Every pickle protocol (0 and 1 cannot pickle slots by themselves), copy and deepcopy.
        return _restore, (self.__class__, self._values())


def clone(value: Any) -> Any:
    """A deep copy of a model object or a JSON value (the accumulator's copies of chunk
    objects; simpler and faster than copy.deepcopy)."""
    t = type(value)
    if t is list:
        return [clone(x) for x in value]
    if t is dict:
        return {k: clone(v) for k, v in value.items()}
    if t is Extra:
        return _extra({k: clone(v) for k, v in value.items()}, value.nulls, value.absent)
    if isinstance(value, Model):
        return _restore(t, tuple([clone(v) for v in value._values()]))
    return value


def _restore(cls: Type[M], values: Tuple[Any, ...]) -> M:
    obj = object.__new__(cls)
    for name, value in zip(cls.__dataclass_fields__, values):  # type: ignore[attr-defined]
        setattr(obj, name, value)
    return obj


def lazy_extra(cls: type) -> Callable[[Any], Optional[Dict[str, Any]]]:
    """Let ``obj.extra`` of ``cls`` be created on first read; return a reader that never does.

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

    def values(obj: Any) -> Tuple[Any, ...]:  # pickle and copies keep it unallocated
        names = cls.__dataclass_fields__  # type: ignore[attr-defined]
        return tuple(raw(obj) if n == "extra" else getattr(obj, n) for n in names)

    cls.extra = property(get, set_raw, doc="Unknown keys, exactly as sent.")  # type: ignore[attr-defined]
    cls._values = values  # type: ignore[attr-defined]
    return raw
