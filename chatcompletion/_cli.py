# SPDX-License-Identifier: MIT
"""``python -m chatcompletion``: summarize, validate or assemble saved responses, streams
and Batch API output files.

Exit status: 0 all good, 1 invalid content, 2 bad usage or an unreadable file, 130 when
interrupted. Content problems are printed as ``FILE:LINE: PATH: MESSAGE`` (batch files),
``FILE: event N: PATH: MESSAGE`` (streams) or ``FILE: PATH: MESSAGE`` (responses).
"""
from __future__ import annotations

import contextlib
import os
import sys

from ._base import loads
from ._batch import BatchOutputLine, parse_lines
from ._errors import StreamError, ValidationError
from ._response import CreateChatCompletionResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, BinaryIO, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

    # line (batch files), event (streams), JSON path ("" for none), message
    Problem = Tuple[Optional[int], Optional[int], str, str]

PROG = "chatcompletion"
COMMANDS = ("summarize", "validate", "assemble")
KINDS = ("response", "stream", "batch")
_KIND_NAMES = {"response": "chat completion", "stream": "stream", "batch": "batch output"}
_SHOWN = 10  # problems printed per file; the rest are counted
_TOP = 3  # most common errors in a batch summary
_MAX_KEYS = 1000  # distinct values counted per tally: memory stays bounded on any input
_OTHER = "(other)"
_SSE_FIELDS = (b"data:", b"event:", b"id:", b"retry:", b":")
_BOM = b"\xef\xbb\xbf"

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 1  # what the Python documentation suggests (the note on SIGPIPE)

USAGE = f"""\
{PROG} [summarize] [--json] [--kind KIND] FILE...
       {PROG} validate [--quiet] [--kind KIND] FILE...
       {PROG} assemble FILE"""

DESCRIPTION = """\
Look into saved OpenAI Chat Completions output: a response (a JSON object), a stream
(SSE `data:` lines) or a Batch API output file (JSON lines). The kind is told from the
content; `-` reads standard input.

commands:
  summarize   (the default) model, choices, finish reasons, token usage and tool calls;
              for a batch file, succeeded/failed counts and the most common errors
  validate    check every file; print each problem with its file, line and JSON path
  assemble    print the response a stream adds up to, as JSON"""

EPILOG = "exit status: 0 ok, 1 invalid content, 2 bad usage or an unreadable file"


class UsageError(Exception):
    """Bad usage or an unreadable file: reported in one line, exit status 2."""


# -- the command line --


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*COMMANDS, "-h", "--help", "--version"):
        args.insert(0, "summarize")  # the default command
    try:
        options = _parser().parse_args(args)
    except SystemExit as e:  # argparse has printed the usage and the error (or the help)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    _tolerant_stdout()
    progress: Optional[Progress] = None
    try:
        progress = Progress(sys.stderr) if sys.stderr.isatty() else None
        status: int = options.run(options, progress)
        sys.stdout.flush()  # here, so that a closed pipe is caught below, not at exit
        return status
    except KeyboardInterrupt:
        if progress is not None:
            progress.clear()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `... | head`: the reader has gone, which is no error of ours
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as e:  # writing failed: a full disk, a closed terminal
        _silence_stdout()
        _error(f"cannot write the output: {e.strerror or e}")
        return EXIT_USAGE


def _silence_stdout() -> None:
    """Stop the interpreter's final flush of stdout from failing again, with a traceback."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a descriptor
        pass


def _parser() -> argparse.ArgumentParser:
    import argparse

    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG, usage=USAGE, description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(help=argparse.SUPPRESS)  # listed in DESCRIPTION

    kind = argparse.ArgumentParser(add_help=False)
    kind.add_argument(
        "--kind", choices=KINDS,
        help="read every FILE as this kind instead of telling it from the content",
    )

    cmd = commands.add_parser(
        "summarize", parents=[kind], prog=f"{PROG} summarize", epilog=EPILOG,
        description="Summarize each FILE: model, choices, finish reasons, token usage, tool "
        "calls; for a batch file, succeeded and failed requests and the most common errors.",
    )
    cmd.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    cmd.add_argument("--json", action="store_true", help="print one JSON object per file")
    cmd.set_defaults(run=_summarize)

    cmd = commands.add_parser(
        "validate", parents=[kind], prog=f"{PROG} validate", epilog=EPILOG,
        description="Check each FILE; print each problem with its file, line and JSON path. "
        "Exit status 1 when any FILE is invalid.",
    )
    cmd.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    cmd.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    cmd.set_defaults(run=_validate)

    cmd = commands.add_parser(
        "assemble", prog=f"{PROG} assemble", epilog=EPILOG,
        description="Print the chat completion a saved SSE stream adds up to, as JSON.",
    )
    cmd.add_argument("file", metavar="FILE", help="an SSE stream, or - for standard input")
    cmd.set_defaults(run=_assemble)
    return parser


def _tolerant_stdout() -> None:
    """Show what the console cannot encode as escapes rather than fail on it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream already in use
                reconfigure(errors="backslashreplace")


# -- commands --


def _reports(
    options: argparse.Namespace, progress: Optional[Progress]
) -> Iterator[Optional[Report]]:
    """Each file's report, in order; None for a file that cannot be read (said on stderr)."""
    for name in options.files:
        try:
            yield read(name, options.kind, progress)
        except UsageError as e:
            _error(str(e))
            yield None


def _status(status: int, report: Optional[Report]) -> int:
    """The exit status so far, after one more file."""
    if report is None:
        return max(status, EXIT_USAGE)
    return max(status, EXIT_INVALID) if report.problem_count else status


def _summarize(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    status, shown = EXIT_OK, 0
    for report in _reports(options, progress):
        status = _status(status, report)
        if report is None:
            continue
        if options.json:
            _print_json(report.as_json())
            continue
        if shown:
            print()
        shown += 1
        print(render(report.summary))
        for line in report.problem_lines():
            print(line, file=sys.stderr)
    return status


def _validate(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    status = EXIT_OK
    for report in _reports(options, progress):
        status = _status(status, report)
        if report is None:
            continue
        if report.problem_count:
            for line in report.problem_lines():
                print(line)
        elif not options.quiet:
            print(f"{report.name}: ok ({_describe(report.summary)})")
    return status


def _assemble(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    try:
        report = read(options.file, None, progress, expect="stream")
    except UsageError as e:
        _error(str(e))
        return EXIT_USAGE
    if report.problem_count or report.response is None:
        for line in report.problem_lines():
            print(line, file=sys.stderr)
        return EXIT_INVALID
    _print_json(report.response.to_dict(), indent=2)
    return EXIT_OK


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _print_json(value: Any, indent: Optional[int] = None) -> None:
    """JSON is UTF-8 whatever the console's encoding: write bytes when stdout has them."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
    except ValueError:  # a token total over 4,300 digits (summed from absurd lines)
        text = json.dumps(_printable(value), ensure_ascii=False, indent=indent) + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "backslashreplace"))  # lone surrogates, if any
    buffer.flush()


# -- reading a file --


class Report:
    """What reading one file found: its summary, its problems, an assembled response."""

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.summary: Dict[str, Any] = {"file": name, "kind": kind, "valid": True}
        self.problems: List[Problem] = []  # the first _SHOWN
        self.problem_count = 0
        self.response: Optional[CreateChatCompletionResponse] = None

    def problem(
        self, message: str, path: str = "", line: Optional[int] = None,
        event: Optional[int] = None,
    ) -> None:
        self.problem_count += 1
        self.summary["valid"] = False
        if len(self.problems) < _SHOWN:
            self.problems.append((line, event, path, message))

    def invalid(self, e: ValidationError, line: Optional[int] = None) -> None:
        path, event = e.path, None
        number, _, rest = path.partition(":")  # "12:$.x" from the stream reader
        if number.isdigit() and rest.startswith("$"):
            path, event = rest, int(number)
        self.problem(e.message, path, line, event)

    def problem_lines(self) -> List[str]:
        lines = []
        for line, event, path, message in self.problems:
            place = self.name
            if line is not None:
                place += f":{line}"
            elif event is not None:
                place += f": event {event}"
            lines.append(": ".join((place, path, message) if path else (place, message)))
        hidden = self.problem_count - len(self.problems)
        if hidden:
            lines.append(f"{self.name}: ... and {hidden:,} more problems")
        return lines

    def as_json(self) -> Dict[str, Any]:
        out = dict(self.summary)
        out["problems"] = [
            {"line": line, "event": event, "path": path or None, "message": message}
            for line, event, path, message in self.problems
        ]
        out["problem_count"] = self.problem_count
        return out


def read(
    name: str, kind: Optional[str], progress: Optional[Progress], expect: Optional[str] = None
) -> Report:
    """Read the file ``name`` (``-``: standard input) as ``kind``, or as its content says.

    Raises UsageError when the file cannot be read, or is not of the ``expect`` kind.
    """
    display = "<stdin>" if name == "-" else name
    try:
        f: BinaryIO = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115
    except OSError as e:
        raise UsageError(f"cannot read {display}: {e.strerror or e}") from None
    try:
        size = _size(f)
        head, found = sniff(f)
        if found is None:
            report = Report(display, "empty")
            report.problem("Empty input: expected a response, a stream or a batch file")
            return report
        if expect is not None and found != expect:
            raise UsageError(f"{display} is a {_KIND_NAMES[found]}, not a {_KIND_NAMES[expect]}")
        lines = _chain(head, f)
        if progress is not None:
            lines = progress.track(lines, display, size)
        kind = kind or found
        if kind == "batch":
            return _read_batch(display, lines)
        if kind == "stream":
            return _read_stream(display, lines)
        return _read_response(display, lines)
    except OSError as e:  # a read failing half way (a directory, a device error)
        raise UsageError(f"cannot read {display}: {e.strerror or e}") from None
    finally:
        if progress is not None:
            progress.clear()
        if f is not sys.stdin.buffer:
            f.close()


def _size(f: BinaryIO) -> Optional[int]:
    import stat

    try:
        st = os.fstat(f.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def sniff(f: BinaryIO) -> Tuple[List[bytes], Optional[str]]:
    """Read the first lines to tell the kind: ``(lines read, kind or None)``.

    SSE field lines make a stream; a first line that is a whole JSON object makes JSON
    lines (a batch file) if it has ``custom_id`` or more lines follow, else a response;
    anything else is taken for a response, pretty-printed or broken.
    """
    head: List[bytes] = []
    for line in f:
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
    for line in f:  # one more non-blank line makes JSON lines
        head.append(line)
        if line.strip():
            return head, "batch"
    return head, "response"


def _chain(head: List[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from head
    head.clear()  # the lines are owned by the reader now
    yield from rest


def _read_response(display: str, lines: Iterable[bytes]) -> Report:
    report = Report(display, "response")
    try:
        response = CreateChatCompletionResponse.from_json(b"".join(lines))
    except ValidationError as e:
        report.invalid(e)
        return report
    report.response = response
    report.summary.update(response_summary(response))
    return report


def _read_stream(display: str, lines: Iterable[bytes]) -> Report:
    from ._accumulate import ChatCompletionAccumulator
    from ._stream import iter_chunks

    report = Report(display, "stream")
    acc = ChatCompletionAccumulator()
    count = 0
    try:
        for chunk in iter_chunks(lines):
            acc.add(chunk)
            count += 1
    except ValidationError as e:
        report.invalid(e)
    except StreamError as e:  # its message names the event
        report.problem(e.message)
        report.summary["error"] = e.error
    report.summary["chunks"] = count
    if not count:
        if not report.problem_count:
            report.problem("No chunks: the stream has no `data:` event with a chunk")
        return report
    try:  # after a problem: what the chunks before it add up to
        response = acc.result()
    except ValidationError as e:  # chunks that add up to no valid response
        report.invalid(e)
        return report
    report.summary.update(response_summary(response))
    if not report.problem_count:
        report.response = response
    return report


def _read_batch(display: str, lines: Iterable[bytes]) -> Report:
    report = Report(display, "batch")
    tally = BatchTally()
    for number, item in parse_lines(lines):
        if isinstance(item, ValidationError):
            tally.invalid += 1
            report.invalid(item, number)
        else:
            tally.add(item)
    report.summary.update(tally.summary())
    return report


# -- summaries --


def _count(counter: Dict[str, int], key: str, n: int = 1) -> None:
    """Add to a tally of at most _MAX_KEYS keys; later newcomers count as "(other)"."""
    if key in counter or len(counter) < _MAX_KEYS:
        counter[key] = counter.get(key, 0) + n
    else:
        counter[_OTHER] = counter.get(_OTHER, 0) + n


def _most_common(counter: Dict[str, int]) -> Dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: -kv[1]))


class Facts:
    """Counts over one or more responses: choices, finish reasons, usage, tool calls."""

    def __init__(self) -> None:
        self.choices = 0
        self.finish_reasons: Dict[str, int] = {}
        self.tool_calls: Dict[str, int] = {}
        self.refusals = 0
        self.content_chars = 0
        self.reasoning_chars = 0
        self.usage: Dict[str, int] = dict.fromkeys(_TOKENS, 0)
        self.with_usage = 0

    def add(self, response: CreateChatCompletionResponse) -> None:
        self.choices += len(response.choices)
        for choice in response.choices:
            if choice.finish_reason is not None:
                _count(self.finish_reasons, choice.finish_reason)
            message = choice.message
            if message is None:
                continue
            if message.content is not None:
                self.content_chars += len(message.content)
            reasoning = message.reasoning_text
            if reasoning is not None:
                self.reasoning_chars += len(reasoning)
            if message.refusal:
                self.refusals += 1
            for call in message.tool_calls or ():
                name = (call.function and call.function.name) or (call.custom and call.custom.name)
                _count(self.tool_calls, name or "(unnamed)")
            if message.function_call is not None:
                _count(self.tool_calls, message.function_call.name)
        usage = response.usage
        if usage is not None:
            self.with_usage += 1
            totals = self.usage
            totals["prompt_tokens"] += usage.prompt_tokens
            totals["completion_tokens"] += usage.completion_tokens
            totals["total_tokens"] += usage.total_tokens
            prompt, completion = usage.prompt_tokens_details, usage.completion_tokens_details
            totals["cached_tokens"] += (prompt and prompt.cached_tokens) or 0
            totals["reasoning_tokens"] += (completion and completion.reasoning_tokens) or 0

    def summary(self) -> Dict[str, Any]:
        return {
            "choices": self.choices,
            "finish_reasons": _most_common(self.finish_reasons),
            **self.usage,
            "tool_calls": _most_common(self.tool_calls),
            "refusals": self.refusals,
            "content_chars": self.content_chars,
            "reasoning_chars": self.reasoning_chars,
        }


_TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
           "reasoning_tokens")


def response_summary(response: CreateChatCompletionResponse) -> Dict[str, Any]:
    facts = Facts()
    facts.add(response)
    out: Dict[str, Any] = {
        "id": response.id, "model": response.model, "created": response.created,
    }
    out.update(facts.summary())
    if not facts.with_usage:  # no usage is not zero tokens
        out.update(dict.fromkeys(_TOKENS))
    return out


class BatchTally:
    """Counts over the lines of a batch file, in memory that does not grow with it."""

    def __init__(self) -> None:
        self.valid = 0
        self.succeeded = 0
        self.failed = 0
        self.invalid = 0
        self.other_bodies = 0  # successful requests whose body is no chat completion
        self.models: Dict[str, int] = {}
        self.facts = Facts()
        self.errors: Dict[str, int] = {}
        self.messages: Dict[str, str] = {}  # an example message per error code

    def add(self, line: BatchOutputLine) -> None:
        self.valid += 1
        status = line.status_code
        error = line.error
        if error is None and status is not None and 200 <= status < 300:
            self.succeeded += 1
            completion = line.completion
            if completion is None:
                self.other_bodies += 1
                return
            _count(self.models, completion.model)
            self.facts.add(completion)
            return
        self.failed += 1
        code, message = _error_code(error, status)
        _count(self.errors, code)
        if code in self.errors and code not in self.messages:
            self.messages[code] = message

    def summary(self) -> Dict[str, Any]:
        errors = [
            {"code": code, "count": count, "message": self.messages.get(code)}
            for code, count in sorted(self.errors.items(), key=lambda kv: -kv[1])[:_TOP]
        ]
        return {
            "lines": self.valid + self.invalid,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "invalid": self.invalid,
            "other_bodies": self.other_bodies,
            "models": _most_common(self.models),
            **self.facts.summary(),
            "errors": errors,
        }


def _error_code(error: Any, status: Optional[int]) -> Tuple[str, str]:
    """A failed line's error code (else its type, else its HTTP status) and message."""
    code: Any = None
    message: Any = None
    if type(error) is dict:
        code = error.get("code") or error.get("type")
        message = error.get("message")
    if type(code) is not str:
        code = f"HTTP {status}" if status is not None else "error"
    if type(message) is not str:
        message = ""
    return code[:100], message[:200]


# -- rendering --


def _describe(summary: Dict[str, Any]) -> str:
    kind: str = summary["kind"]
    if kind == "batch":
        return f"batch output, {_plural(summary['lines'], 'line')}"
    if kind == "stream":
        return f"stream, {_plural(summary['chunks'], 'chunk')}"
    return _KIND_NAMES.get(kind, kind)


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _n(value: int) -> str:
    try:
        return f"{value:,}"
    except ValueError:  # over the interpreter's 4,300-digit limit
        return f"<a {value.bit_length()}-bit number>"


def _printable(value: Any) -> Any:
    """``value`` with ints too long to print as text (they can only come from sums)."""
    if type(value) is dict:
        return {k: _printable(v) for k, v in value.items()}
    if type(value) is list:
        return [_printable(v) for v in value]
    if type(value) is int and value.bit_length() > 14_000:  # about 4,200 digits
        return _n(value)
    return value


_EMPTY = '""'  # how an empty finish reason or tool name shows


def _counts(counter: Dict[str, int], limit: int = 5) -> str:
    items = list(counter.items())
    text = ", ".join(f"{key or _EMPTY} {_n(n)}" for key, n in items[:limit])
    if len(items) > limit:
        text += f", and {len(items) - limit:,} more"
    return text or "-"


def _time(created: int) -> str:
    import time

    try:
        return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(created))
    except (OverflowError, OSError, ValueError):
        return str(created)


def render(s: Dict[str, Any]) -> str:
    """The human summary of one file."""
    rows: List[Tuple[str, str]] = []
    if s["kind"] == "batch":
        rows += [
            ("succeeded", _n(s["succeeded"])),
            ("failed", _n(s["failed"])),
        ]
        if s["invalid"]:
            rows.append(("invalid lines", _n(s["invalid"])))
        if s["other_bodies"]:
            rows.append(("not chat", f"{_n(s['other_bodies'])} successful bodies"))
        rows.append(("models", _counts(s["models"])))
    elif "model" in s:
        rows += [
            ("id", s["id"] or _EMPTY),
            ("model", s["model"] or _EMPTY),
            ("created", _time(s["created"])),
        ]
    if "choices" in s:
        rows += [
            ("choices", _n(s["choices"])),
            ("finish reasons", _counts(s["finish_reasons"])),
            ("usage", _usage(s)),
            ("tool calls", _counts(s["tool_calls"], 10)),
            ("refusals", _n(s["refusals"])),
            ("content", f"{_n(s['content_chars'])} chars"),
        ]
        if s["reasoning_chars"]:
            rows.append(("reasoning", f"{_n(s['reasoning_chars'])} chars"))
    if s.get("error") is not None:
        rows.append(("server error", _short(s["error"])))
    for i, error in enumerate(s.get("errors", ())):
        rows.append(("top errors" if i == 0 else "",
                     f"{_n(error['count'])} x {error['code']}: {error['message']}"))
    title = f"{s['file']}: {_describe(s)}"
    if not s["valid"]:
        title += " - INVALID"
    return "\n".join([title] + [f"  {label + ':' if label else '':<16}{v}" for label, v in rows])


def _short(error: Any) -> str:
    """A server's error object in one line."""
    if type(error) is dict:
        message = error.get("message")
        code = error.get("code") or error.get("type")
        if type(message) is str:
            return f"{code}: {message}" if type(code) is str else message
    return str(error)[:200]


def _usage(s: Dict[str, Any]) -> str:
    if s["prompt_tokens"] is None:
        return "-"
    return (
        f"{_n(s['prompt_tokens'])} prompt ({_n(s['cached_tokens'])} cached)"
        f" + {_n(s['completion_tokens'])} completion ({_n(s['reasoning_tokens'])} reasoning)"
        f", {_n(s['total_tokens'])} total"
    )


# -- progress --


class Progress:
    """A one-line progress indicator on a terminal: after a short delay, at most 10 updates a
    second, erased when done."""

    DELAY = 0.3  # seconds before it shows: quick files never flash one
    INTERVAL = 0.1

    def __init__(self, stream: Any) -> None:
        import time

        self.stream = stream
        self.clock = time.monotonic
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
        text = f"{name}: {_n(count)} lines"
        if size:
            text += f", {min(100, done * 100 // size)}%"
        pad = max(0, self.shown - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self.shown = len(text)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0
