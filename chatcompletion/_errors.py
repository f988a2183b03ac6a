# SPDX-License-Identifier: MIT
"""The library's exceptions: ValidationError for bad input, StreamError for a server's error."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional, Tuple

_MAX_PATH = 300  # characters of path shown in a message; longer paths are elided in the middle


class ValidationError(ValueError):
    """Input that does not fit the schema; ``path`` is the JSON path of the bad value."""

    def __init__(
        self,
        message: str,
        *,
        path: str = "$",
        expected: Optional[str] = None,
        found: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.expected = expected
        self.found = found

    def __str__(self) -> str:
        path = self.path
        if len(path) > _MAX_PATH:
            half = _MAX_PATH // 2
            path = f"{path[:half]}...{path[-half:]}"
        return f"{self.message} - at `{path}`"

    def __repr__(self) -> str:
        return f"ValidationError({self.message!r}, path={self.path!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return _rebuild, (self.message, self.path, self.expected, self.found)

    def _within(self, segment: str) -> ValidationError:
        """Prepend a path segment (``.key`` or ``[3]``) as the error travels up the tree."""
        self.path = "$" + segment + self.path[1:]
        return self


def _rebuild(
    message: str, path: str, expected: Optional[str], found: Optional[str]
) -> ValidationError:
    return ValidationError(message, path=path, expected=expected, found=found)


class StreamError(Exception):
    """The server ended a stream with an error; ``error`` is the error object it sent."""

    def __init__(self, message: str, *, error: Any = None, event: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.error = error
        self.event = event

    def __reduce__(self) -> Tuple[Any, ...]:
        return _rebuild_stream, (self.message, self.error, self.event)


def _rebuild_stream(message: str, error: Any, event: Optional[int]) -> StreamError:
    return StreamError(message, error=error, event=event)
