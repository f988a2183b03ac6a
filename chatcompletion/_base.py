# SPDX-License-Identifier: MIT
"""What every model shares: the entry points (from_dict, from_json, to_json, validate),
equality by JSON value, pickling, and ``Extra``, the dict that remembers explicit nulls."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any  # at run time too: get_type_hints() of every model reads Model's

from ._errors import ValidationError
from ._json import dumps, find_foreign, loads

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple, Type, TypeVar

    M = TypeVar("M", bound="Model")
    S = TypeVar("S", str, Optional[str])
else:

    def model(cls):
        """A dataclass with slots where the interpreter has them (3.10+); eq comes from Model.

        Its ``extra`` field reads and writes Model's ``_extra`` slot (see EXTRA above).
        """
        if sys.version_info >= (3, 10):
            cls = dataclass(cls, eq=False, slots=True)
        else:  # pragma: no cover - only on 3.9
            cls = dataclass(cls, eq=False)
        cls.extra = EXTRA
        return cls


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


# -- how an object stores its extra --
#
# Every model keeps its ``extra`` in the slot ``_extra`` (from Model), in one of four forms,
# so that from_dict allocates nothing for the nearly every object that has no unknown key:
#   None          no unknown key, no null;
#   a tuple       no unknown key; these keys were sent as null;
#   a dict        the unknown keys (built in code, or read);
#   an Extra      the unknown keys, and the nulls (and lenient reading's absent arrays).
# Reading ``obj.extra`` turns the first two into a dict (kept), so users always see one.


def raw_extra(items: Dict[str, Any], nulls: Sequence[str], absent: Sequence[str]) -> Any:
    """The stored form of an extra with ``items`` (unknown keys), ``nulls`` and ``absent``."""
    if absent or (items and nulls):
        return _extra(items, tuple(nulls), tuple(absent))
    if items:
        return items
    return tuple(nulls) if nulls else None


def nulls_of(obj: Any) -> Tuple[str, ...]:
    """The keys ``obj`` (a model object) was given as ``null`` (inlined where hot)."""
    x = obj._extra
    return x if type(x) is tuple else x.nulls if type(x) is Extra else _NO_KEYS


def extras_of(obj: Any) -> Optional[Dict[str, Any]]:
    """The unknown keys of ``obj`` (a model object) if it has any, without allocating."""
    x = obj._extra
    return x if x and type(x) is not tuple else None


def _get_extra(obj: Any) -> Dict[str, Any]:
    x = obj._extra
    if x is None:
        x = obj._extra = {}
    elif type(x) is tuple:
        x = obj._extra = _extra({}, x, _NO_KEYS)
    return x  # type: ignore[no-any-return]


def _set_extra(obj: Any, value: Any) -> None:
    obj._extra = value


# On every model class in place of its field's slot (see model()).
EXTRA = property(_get_extra, _set_extra, doc="Unknown keys, exactly as sent.")


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

    __slots__ = ("_extra",)
    _extra: Any  # the stored form of ``extra``: see raw_extra

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
        """The fields' values, ``extra`` in its stored form (see raw_extra)."""
        return tuple(self._extra if name == "extra" else getattr(self, name)
                     for name in self.__dataclass_fields__)  # type: ignore[attr-defined]

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
