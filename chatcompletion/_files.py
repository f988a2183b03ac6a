# SPDX-License-Identifier: MIT
"""Reading the files the command line is given: telling their kind, reading them in
bounded pieces, and what reading one found (a ``Report``).

Each file is a response (one JSON document), a stream (SSE ``data:`` lines) or a Batch API
output file (JSON lines). Nothing is read whole without a bound: a line, or a response, of
more than ``MAX_BYTES`` is an error, so ``/dev/zero`` or a huge sparse file cannot exhaust
memory. Files are read leniently, so that what can be read is summarized, and every
problem is listed with its place; ``spec`` adds the keys the OpenAI schema requires.
"""
from __future__ import annotations

import os
import sys

from ._batch import parse_lines
from ._errors import StreamError, ValidationError
from ._json import loads
from ._render import KIND_NAMES
from ._response import CreateChatCompletionResponse
from ._summary import BatchTally, response_summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, BinaryIO, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

    from ._render import Progress

    class Problem(NamedTuple):
        message: str
        path: str  # a JSON path, or "" for the file as a whole
        line: Optional[int]
        event: Optional[int]
else:
    from collections import namedtuple

    Problem = namedtuple("Problem", "message path line event")

MAX_BYTES = 256 * 2**20  # the most one response, or one line of a stream or batch file, may be
_SSE_FIELDS = (b"data:", b"event:", b"id:", b"retry:", b":")
_BOM = b"\xef\xbb\xbf"


class UsageError(Exception):
    """Bad usage or an unreadable file: reported in one line, exit status 2."""


class Report:
    """What reading one file found: its summary, its problems, the response it holds."""

    def __init__(self, name: str, kind: str, limit: Optional[int]) -> None:
        self.name = name
        self.summary: Dict[str, Any] = {"file": name, "kind": kind, "valid": True}
        self.limit = limit  # problems kept; None: all
        self.problems: List[Problem] = []
        self.problem_count = 0
        self.response: Optional[CreateChatCompletionResponse] = None

    def problem(self, message: str, path: str = "", line: Optional[int] = None,
                event: Optional[int] = None) -> None:
        self.problem_count += 1
        self.summary["valid"] = False
        if self.limit is None or len(self.problems) < self.limit:
            self.problems.append(Problem(message, path, line, event))

    def invalid(self, e: ValidationError) -> None:
        self.problem(e.message, e.path, e.line, e.event)

    def listed(self, found: List[ValidationError], spec: bool) -> None:
        """The problems lenient reading found: misfits, and with ``spec`` the missing keys."""
        for e in found:
            if spec or not e.conformance:
                self.invalid(e)
        found.clear()

    def as_json(self) -> Dict[str, Any]:
        out = dict(self.summary)
        out["problems"] = [
            {"line": p.line, "event": p.event, "path": p.path or None, "message": p.message}
            for p in self.problems
        ]
        out["problem_count"] = self.problem_count
        return out


def read(name: str, kind: Optional[str], progress: Optional[Progress], *, spec: bool = False,
         limit: Optional[int] = 10, expect: Optional[str] = None) -> Report:
    """Read the file ``name`` (``-``: standard input) as ``kind``, or as its content says.

    Raises UsageError when the file cannot be read, or is not of the ``expect`` kind.
    """
    display = "<stdin>" if name == "-" else name
    f = _open(name, display)
    try:
        size = _size(f)
        head, found = sniff(f)
        if found is None:
            report = Report(display, "empty", limit)
            report.problem("Empty input: expected a response, a stream or a batch file")
            return report
        if expect is not None and found != expect:
            raise UsageError(f"{display} is a {KIND_NAMES[found]}, not a {KIND_NAMES[expect]}")
        kind = kind or found
        if kind == "response" and size is not None and size > MAX_BYTES:
            raise UsageError(f"{display} is larger than {_limit()}")
        lines: Iterable[bytes] = _chain(head, bounded_lines(f))
        if progress is not None:
            lines = progress.track(lines, display, size)
        if kind == "batch":
            return _read_batch(display, lines, spec, limit)
        if kind == "stream":
            return _read_stream(display, lines, spec, limit)
        return _read_response(display, lines, spec, limit)
    except OSError as e:  # a read failing half way (a directory, a device error)
        raise UsageError(f"cannot read {display}: {e.strerror or e}") from None
    except _TooLong:
        raise UsageError(f"{display} has a line (or is) longer than {_limit()}") from None
    finally:
        if progress is not None:
            progress.clear()
        if f is not getattr(sys.stdin, "buffer", None):
            f.close()


def _limit() -> str:
    return f"{MAX_BYTES >> 20} MiB" if MAX_BYTES % 2**20 == 0 else f"{MAX_BYTES:,} bytes"


def _open(name: str, display: str) -> BinaryIO:
    if name == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise UsageError("cannot read standard input: it is closed")
        return stdin  # type: ignore[no-any-return]
    try:
        return open(name, "rb")
    except OSError as e:
        raise UsageError(f"cannot read {display}: {e.strerror or e}") from None
    except ValueError as e:  # a NUL in the name
        raise UsageError(f"cannot read {display}: {e}") from None


def _size(f: BinaryIO) -> Optional[int]:
    import stat

    try:
        st = os.fstat(f.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


class _TooLong(Exception):
    """A line (or a whole response) over MAX_BYTES."""


def bounded_lines(f: BinaryIO) -> Iterator[bytes]:
    """The lines of ``f``, each read with a bound: over MAX_BYTES raises _TooLong."""
    while True:
        line = f.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_BYTES:
            raise _TooLong
        yield line


def sniff(f: BinaryIO) -> Tuple[List[bytes], Optional[str]]:
    """Read the first lines to tell the kind: ``(lines read, kind or None)``.

    SSE field lines make a stream; a first line that is a whole JSON object makes JSON
    lines (a batch file) if it has ``custom_id`` or more lines follow, else a response;
    anything else is taken for a response, pretty-printed or broken.
    """
    head: List[bytes] = []
    lines = bounded_lines(f)
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if not head or not head[-1].strip():
        return head, None  # empty input
    first = head[-1]
    if first.startswith(_BOM):
        first = first[3:]
    first = first.strip()
    if first.startswith(_SSE_FIELDS) or first in (b"data", b"event"):
        return head, "stream"
    if not first.startswith(b"{"):
        return head, "response"
    try:
        value = loads(first)
    except ValidationError:  # a pretty-printed object, a broken one, or a cut batch line
        return head, "batch" if b'"custom_id"' in first else "response"
    if type(value) is dict and "custom_id" in value:
        return head, "batch"
    for line in lines:  # one more non-blank line makes JSON lines
        head.append(line)
        if line.strip():
            return head, "batch"
    return head, "response"


def _chain(head: List[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from head
    head.clear()  # the lines are owned by the reader now
    yield from rest


def _read_response(display: str, lines: Iterable[bytes], spec: bool,
                   limit: Optional[int]) -> Report:
    report = Report(display, "response", limit)
    text = bytearray()
    for line in lines:
        text += line
        if len(text) > MAX_BYTES:
            raise _TooLong
    found: List[ValidationError] = []
    try:
        document = loads(bytes(text))
        if type(document) is dict and "error" in document and "choices" not in document:
            report.summary["kind"] = "error"
            report.summary["error"] = document["error"]
        response = CreateChatCompletionResponse.from_dict(document, problems=found)
    except ValidationError as e:  # no response at all: not JSON, not an object, too deep
        report.invalid(e)
        return report
    report.listed(found, spec)
    report.response = response
    if report.summary["kind"] == "response":
        report.summary.update(response_summary(response))
    return report


def _read_stream(display: str, lines: Iterable[bytes], spec: bool,
                 limit: Optional[int]) -> Report:
    from ._accumulate import ChatCompletionAccumulator
    from ._stream import ChunkDecoder

    report = Report(display, "stream", limit)
    found: List[ValidationError] = []
    decoder = ChunkDecoder(problems=found)
    acc = ChatCompletionAccumulator()
    count = 0
    try:
        for line in lines:
            decoder.receive_data(line)
            count += _drain(decoder, acc)
            report.listed(found, spec)
            if decoder.done:
                break
        else:
            decoder.close()
            count += _drain(decoder, acc)
    except ValidationError as e:  # not UTF-8, and the like: the stream cannot go on
        report.invalid(e)
    except StreamError as e:  # the server's error: its message names the event
        report.problem(f"The server sent an error: {e.message}", event=e.event)
        report.summary["error"] = e.error
    report.listed(found, spec)
    report.summary["chunks"] = count
    if not count:
        if not report.problem_count:
            report.problem("No chunks: the stream has no `data:` event with a chunk")
        return report
    response = acc.result()  # after a problem too: what the chunks before it add up to
    report.response = response
    report.summary["finished"] = acc.finished
    report.summary.update(response_summary(response))
    if not acc.finished and "error" not in report.summary:
        report.problem("The stream ended before every choice had its finish_reason "
                       "(cut off?)")
    return report


def _drain(decoder: Any, acc: Any) -> int:
    count = 0
    chunk = decoder.next_chunk()
    while chunk is not None:
        acc.add(chunk)
        count += 1
        chunk = decoder.next_chunk()
    return count


def _read_batch(display: str, lines: Iterable[bytes], spec: bool,
                limit: Optional[int]) -> Report:
    report = Report(display, "batch", limit)
    tally = BatchTally()
    found: List[ValidationError] = []
    for _number, item in parse_lines(lines, found):
        tally.lines += 1
        if isinstance(item, ValidationError):  # a line that cannot be read at all
            tally.invalid += 1
            report.invalid(item)
            continue
        if any(not e.conformance for e in found):
            tally.invalid += 1  # read leniently: counted, and tallied all the same
        report.listed(found, spec)
        tally.add(item)
    report.summary.update(tally.summary())
    return report
