# SPDX-License-Identifier: MIT
"""The library's exceptions, and the safe descriptions of bad values their messages use.

``ValidationError`` is the one exception for bad input. Its ``path`` is a pure JSON path
(``$.choices[0].message.content``); where the document was one line of a batch file or one
event of a stream, that number is an attribute of its own (``line``, ``event``).
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional, Tuple

_MAX_PATH = 300  # characters of path shown in a message; longer paths are elided in the middle
_SHORT = 40  # characters of a value shown in a message
_BIG = 10**4300  # ints with more digits cannot be printed by CPython 3.11+ (int_max_str_digits)
_NEG_BIG = -_BIG
_SMALL = 10**_SHORT  # ints shown in full below this size
_INFINITIES = (float("inf"), float("-inf"))
_NUMBERS = ("float", "finite number")  # what a field that takes floats expects
_TYPE_NAMES = {str: "str", int: "int", float: "float", bool: "bool", dict: "object", list: "array"}


class ValidationError(ValueError):
    """Input that does not fit the schema.

    ``path`` is the JSON path of the bad value, ``expected`` and ``found`` say what was
    wrong; ``line`` (batch files) and ``event`` (streams) are 1-based numbers, else None.
    ``conformance`` is True for what lenient reading lists only as a conformance report: a
    key the OpenAI schema requires that the document lacks, where nothing was lost.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str = "$",
        expected: Optional[str] = None,
        found: Optional[str] = None,
        line: Optional[int] = None,
        event: Optional[int] = None,
        conformance: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.expected = expected
        self.found = found
        self.line = line
        self.event = event
        self.conformance = conformance

    def __str__(self) -> str:
        text = f"{printable(self.message)} - at `{printable(_elided(self.path))}`"
        if self.line is not None:
            text += f" in line {self.line}"
        if self.event is not None:
            text += f" in event {self.event} of the stream"
        return text

    def __repr__(self) -> str:
        return f"ValidationError({self.message!r}, path={_elided(self.path)!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return _rebuild, (self.message, self.path, self.expected, self.found, self.line,
                          self.event, self.conformance)

    def _within(self, segment: str) -> ValidationError:
        """Prepend a path segment (``.key`` or ``[3]``) as the error travels up the tree."""
        self.path = "$" + segment + self.path[1:]
        return self


def _elided(path: str) -> str:
    """A path as messages show it: one over _MAX_PATH characters elided in the middle."""
    if len(path) > _MAX_PATH:
        half = _MAX_PATH // 2
        return f"{path[:half]}...{path[-half:]}"
    return path


def _rebuild(
    message: str, path: str, expected: Optional[str], found: Optional[str],
    line: Optional[int] = None, event: Optional[int] = None, conformance: bool = False,
) -> ValidationError:
    return ValidationError(message, path=path, expected=expected, found=found, line=line,
                           event=event, conformance=conformance)


class StreamError(Exception):
    """The server ended a stream with an error: ``message`` is its message, ``error`` the
    error object it sent, ``event`` the number of the event that carried it."""

    def __init__(self, message: str, *, error: Any = None, event: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.error = error
        self.event = event

    def __str__(self) -> str:
        where = f" in event {self.event}" if self.event else ""
        return f"The server sent an error{where}: {printable(self.message)}"

    def __reduce__(self) -> Tuple[Any, ...]:
        return _rebuild_stream, (self.message, self.error, self.event)


def _rebuild_stream(message: str, error: Any, event: Optional[int]) -> StreamError:
    return StreamError(message, error=error, event=event)


# -- describing bad values: safe for 10 MB strings, 5,000-digit ints, lone surrogates and
# terminal escape sequences --


def printable(text: str) -> str:
    """``text`` with what a terminal would interpret (escape sequences, other control
    characters, lone surrogates) shown as Python escapes, so printing it is always safe."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value)) or printable(type(value).__name__[:_SHORT])


def short_repr(value: Any) -> str:
    """A short, printable repr of a JSON value: long strings cut, big containers counted."""
    t = type(value)
    if t is str:
        if len(value) > _SHORT:
            return repr(value[:_SHORT]) + f"... ({len(value):,} chars)"
        return repr(value)
    if t is int:
        if -_SMALL < value < _SMALL:
            return repr(value)
        return f"<int of {value.bit_length():,} bits>"
    if t is float or t is bool or value is None:
        return repr(value)
    if t is dict:
        return f"<object of {len(value):,} keys>"
    if t is list:
        return f"<array of {len(value):,} items>"
    return f"<{type_name(value)}>"


def wrong_type(expected: str, value: Any) -> ValidationError:
    t = type(value)
    if t is int and not _NEG_BIG < value < _BIG:
        return ValidationError(
            f"Integer too long (over 4,300 digits): {short_repr(value)}",
            expected=expected, found="int",
        )
    if t is float and expected in _NUMBERS and (value != value or value in _INFINITIES):
        # the type fits, the value not (in an int field, a float is the wrong type anyway)
        return ValidationError(
            f"Expected a finite number, got {value!r}", expected="finite number", found=repr(value)
        )
    found = type_name(value)
    shown = "" if value is None else f" ({short_repr(value)})"
    return ValidationError(
        f"Expected `{expected}`, got `{found}`{shown}", expected=expected, found=found
    )


def missing(key: str) -> ValidationError:
    return ValidationError(f"Object missing required field `{key}`", expected=key, found="nothing")


def missing_in_spec(key: str) -> ValidationError:
    """A key the OpenAI schema requires and this library does not (lenient reading lists it)."""
    return ValidationError(
        f"Object missing field `{key}`, which the OpenAI schema requires",
        expected=key, found="nothing", conformance=True,
    )


def not_object(value: Any) -> ValidationError:
    return wrong_type("object", value)


def bad_key(key: Any) -> ValidationError:
    found = type_name(key)
    return ValidationError(
        f"Expected `str` object keys, got `{found}` ({short_repr(key)})",
        expected="str", found=found,
    )


def api_error(d: Any) -> ValidationError:
    """The error for a body that is an API error (``{"error": {...}}``), quoting the server."""
    error = d.get("error")
    message = error.get("message") if type(error) is dict else error
    text = message if type(message) is str else short_repr(message)
    if len(text) > 300:
        text = text[:300] + "..."
    return ValidationError(
        f"The server sent an API error, not a chat completion: {printable(text)}",
        expected="chat completion", found="error",
    )
