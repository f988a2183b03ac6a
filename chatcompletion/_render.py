# SPDX-License-Identifier: MIT
"""How the command line shows things: summaries as text, problems as lines, JSON, and a
progress line. Whatever came from a file (model names, ids, tool names, a server's error
message, the file's own name) is shown escaped and shortened: a terminal escape sequence or
a megabyte-long value in a file never reaches the terminal as it is."""
from __future__ import annotations

import sys

from ._errors import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, TextIO, Tuple

    from ._files import Report

SHOWN = 200  # characters of a value from a file shown in a summary
_EMPTY = '""'  # how an empty finish reason or tool name shows
KIND_NAMES = {"response": "chat completion", "error": "API error", "stream": "stream",
              "batch": "batch output", "empty": "empty input"}


def shown(value: Any, limit: int = SHOWN) -> str:
    """A value from a file, safe to print: escaped, and cut to ``limit`` characters."""
    text = value if type(value) is str else str(value)
    if len(text) > limit:
        text = text[:limit] + f"... ({len(text):,} chars)"
    return printable(text)


def n(value: Optional[int]) -> str:
    """A count; ``-`` for an absent one."""
    if value is None:
        return "-"
    try:
        return f"{value:,}"
    except ValueError:  # over the interpreter's 4,300-digit limit (only sums get there)
        return f"<a {value.bit_length()}-bit number>"


def plural(count: int, noun: str) -> str:
    return f"{n(count)} {noun}" if count == 1 else f"{n(count)} {noun}s"


def describe(s: Dict[str, Any]) -> str:
    """What a file is, in a few words: "stream, 12 chunks, incomplete"."""
    kind: str = s["kind"]
    if kind == "batch":
        return f"batch output, {plural(s['lines'], 'line')}"
    if kind == "stream":
        text = f"stream, {plural(s['chunks'], 'chunk')}"
        return text if s.get("finished", True) else text + ", incomplete"
    return KIND_NAMES.get(kind, kind)


def _counts(counter: Dict[str, int], limit: int = 5) -> str:
    items = list(counter.items())
    text = ", ".join(f"{shown(key, 60) or _EMPTY} {n(v)}" for key, v in items[:limit])
    if len(items) > limit:
        text += f", and {len(items) - limit:,} more"
    return text or "-"


def _time(created: Any) -> str:
    import time

    if type(created) is not int:
        return "-"
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(created))
    except (OverflowError, OSError, ValueError):
        return str(created)


def _usage(s: Dict[str, Any]) -> str:
    if s["prompt_tokens"] is None:
        return "-"
    return (
        f"{n(s['prompt_tokens'])} prompt ({n(s['cached_tokens'])} cached)"
        f" + {n(s['completion_tokens'])} completion ({n(s['reasoning_tokens'])} reasoning)"
        f", {n(s['total_tokens'])} total"
    )


def _error_line(error: Any) -> str:
    """A server's error object in one line."""
    if type(error) is dict:
        message = error.get("message")
        code = error.get("code") or error.get("type")
        if type(message) is str:
            return shown(f"{code}: {message}" if type(code) is str else message)
    return shown(error)


def render(s: Dict[str, Any]) -> str:
    """The human summary of one file."""
    rows: List[Tuple[str, str]] = []
    if s["kind"] == "batch":
        rows += [("succeeded", n(s["succeeded"])), ("failed", n(s["failed"]))]
        if s["invalid"]:
            rows.append(("invalid lines", n(s["invalid"])))
        if s["other_bodies"]:
            rows.append(("not chat", f"{n(s['other_bodies'])} successful bodies"))
        rows.append(("models", _counts(s["models"])))
    elif "model" in s:
        rows += [
            ("id", _EMPTY if s["id"] == "" else shown(s["id"]) if s["id"] is not None else "-"),
            ("model", _EMPTY if s["model"] == "" else shown(s["model"])
             if s["model"] is not None else "-"),
            ("created", _time(s["created"])),
        ]
    if "choices" in s:
        rows += [
            ("choices", n(s["choices"])),
            ("finish reasons", _counts(s["finish_reasons"])),
            ("usage", _usage(s)),
            ("tool calls", _counts(s["tool_calls"], 10)),
            ("refusals", n(s["refusals"])),
            ("content", f"{n(s['content_chars'])} chars"),
        ]
        if s["reasoning_chars"]:
            rows.append(("reasoning", f"{n(s['reasoning_chars'])} chars"))
    if s.get("error") is not None:
        rows.append(("server error", _error_line(s["error"])))
    for i, error in enumerate(s.get("errors", ())):
        rows.append(("top errors" if i == 0 else "",
                     f"{n(error['count'])} x {shown(error['code'], 60)}: "
                     + shown(error["message"])))
    title = f"{shown(s['file'])}: {describe(s)}"
    if not s["valid"]:
        title += " - INVALID"
    return "\n".join([title] + [f"  {label + ':' if label else '':<16}{v}" for label, v in rows])


def problem_lines(report: Report, limit: Optional[int]) -> List[str]:
    """``FILE:LINE: PATH: MESSAGE`` (batch files), ``FILE: event N: PATH: MESSAGE`` (streams),
    ``FILE: PATH: MESSAGE``; at most ``limit`` of them (None: all), then how many more."""
    name = shown(report.name)
    lines = []
    for problem in report.problems[:limit]:
        place = name
        if problem.line is not None:
            place += f":{problem.line}"
        elif problem.event is not None:
            place += f": event {problem.event}"
        parts = [place]
        if problem.path:
            parts.append(shown(problem.path, 300))
        parts.append(printable(problem.message))
        lines.append(": ".join(parts))
    hidden = report.problem_count - len(lines)
    if hidden:
        lines.append(f"{name}: ... and {hidden:,} more problems (--all shows them all)")
    return lines


def print_json(value: Any, indent: Optional[int] = None) -> None:
    """JSON as ASCII (every other character escaped): safe on any console and terminal."""
    import json

    try:
        text = json.dumps(value, indent=indent, allow_nan=False)
    except ValueError:  # a token total over 4,300 digits (summed from absurd lines)
        text = json.dumps(_printable_ints(value), indent=indent)
    print(text)


def _printable_ints(value: Any) -> Any:
    """``value`` with ints too long to print as text (they can only come from sums)."""
    if type(value) is dict:
        return {k: _printable_ints(v) for k, v in value.items()}
    if type(value) is list:
        return [_printable_ints(v) for v in value]
    if type(value) is int and value.bit_length() > 14_000:  # about 4,200 digits
        return n(value)
    return value


class Progress:
    """A one-line progress indicator on a terminal: after a short delay, at most 10 updates a
    second, never wider than the terminal, erased when done. ``clock`` is injectable."""

    DELAY = 0.3  # seconds before it shows: quick files never flash one
    INTERVAL = 0.1

    def __init__(self, stream: TextIO, clock: Optional[Callable[[], float]] = None,
                 width: Optional[int] = None) -> None:
        import shutil
        import time

        self.stream = stream
        self.clock = clock or time.monotonic
        self.width = width or shutil.get_terminal_size().columns
        self.shown = 0  # width of the line on screen

    def track(self, lines: Iterable[bytes], name: str, size: Optional[int]) -> Iterator[bytes]:
        clock = self.clock
        due = clock() + self.DELAY
        done = 0
        for count, line in enumerate(lines, 1):
            done += len(line)
            if count & 63 == 0 and clock() >= due:  # the clock only every 64 lines
                self.show(name, done, count, size)
                due = clock() + self.INTERVAL
            yield line

    def show(self, name: str, done: int, count: int, size: Optional[int]) -> None:
        tail = f": {n(count)} lines"
        if size:
            tail += f", {min(100, done * 100 // size)}%"
        room = max(self.width - 1 - len(tail), 8)  # the last column would wrap the line
        name = printable(name)
        if len(name) > room:
            name = "..." + name[-(room - 3):]
        text = (name + tail)[:max(self.width - 1, 1)]
        pad = max(0, self.shown - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self.shown = len(text)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0


def stderr_tty() -> bool:
    """stderr is a terminal (False when it is closed or not a stream at all)."""
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
