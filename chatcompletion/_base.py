# SPDX-License-Identifier: MIT
"""The base every model shares: from_dict/from_json/to_json and equality by JSON value."""
from __future__ import annotations

from ._errors import ValidationError
from ._fields import short_repr, type_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Type, TypeVar

    M = TypeVar("M", bound="Model")


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
        raise ValidationError(f"Invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})",
                              expected="JSON text", found=short_repr(data[e.pos:e.pos + 20])
                              ) from None
    except RecursionError:
        raise ValidationError("JSON text nested too deeply", expected="<= 200 levels",
                              found="deeper") from None
    except ValueError as e:  # e.g. an integer over the interpreter's 4,300-digit limit
        raise ValidationError(f"Invalid JSON: {str(e)[:100]}", expected="JSON text",
                              found="invalid value") from None


def dumps(value: Any) -> str:
    import json

    return json.dumps(value, allow_nan=False, separators=(",", ":"))


class Model:
    """Shared behaviour of every object in the tree."""

    __slots__ = ()

    @classmethod
    def _parse(cls: Type[M], d: Any, depth: int) -> M:
        raise NotImplementedError  # pragma: no cover - every model defines its own

    @classmethod
    def from_dict(cls: Type[M], d: Any) -> M:
        """Build the object from a JSON-shaped dict; raises ValidationError."""
        return cls._parse(d, 1)

    @classmethod
    def from_json(cls: Type[M], data: str | bytes | bytearray) -> M:
        """Build the object from JSON text (bytes are UTF-8); raises ValidationError."""
        return cls._parse(loads(data), 1)

    def to_dict(self) -> Dict[str, Any]:
        raise NotImplementedError  # pragma: no cover - every model defines its own

    def to_json(self) -> str:
        """Strict JSON text; raises ValueError for NaN or Infinity."""
        return dumps(self.to_dict())

    def __eq__(self, other: object) -> bool:
        # Equal exactly when they serialize the same: explicit nulls and extras count.
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, like any dataclass with eq
