# SPDX-License-Identifier: MIT
"""The commands that look into files: ``summarize``, ``validate`` and ``assemble``.

Output: summaries on stdout and problems on stderr (``summarize``), problems on stdout
(``validate``), the response on stdout and problems on stderr (``assemble``). Problems read
``FILE:LINE: PATH: MESSAGE`` (batch files), ``FILE: event N: PATH: MESSAGE`` (streams) or
``FILE: PATH: MESSAGE`` (responses).
"""
from __future__ import annotations

import sys

from ._cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, PROG
from ._errors import printable
from ._files import Report, UsageError, read
from ._render import describe, print_json, problem_lines, render, shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Iterator, List, Optional, TextIO

    from ._render import Progress

KINDS = ("response", "stream", "batch")
SHOWN_PROBLEMS = 10  # problems printed per file, unless --all


def _files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="a file, or - for standard input")
    parser.add_argument("--kind", choices=KINDS,
                        help="read every FILE as this kind instead of telling it from the content")
    parser.add_argument("--all", action="store_true",
                        help=f"show every problem (default: the first {SHOWN_PROBLEMS} per file)")


def summarize_arguments(parser: argparse.ArgumentParser) -> None:
    _files(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    _files(parser)
    parser.add_argument("--spec", action="store_true",
                        help="also list the keys the OpenAI schema requires that a file lacks "
                        "(a conformance report for people who run servers)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")


def assemble_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="an SSE stream, or - for standard input")


def _reports(options: argparse.Namespace, progress: Optional[Progress], spec: bool = False
             ) -> Iterator[Optional[Report]]:
    """Each file's report, in order; None for a file that cannot be read (said on stderr)."""
    limit = None if options.all else SHOWN_PROBLEMS
    for name in options.files:
        try:
            yield read(name, options.kind, progress, spec=spec, limit=limit)
        except UsageError as e:
            _error(str(e))
            yield None


def _status(status: int, report: Optional[Report]) -> int:
    """The exit status so far, after one more file."""
    if report is None:
        return max(status, EXIT_USAGE)
    return max(status, EXIT_INVALID) if report.problem_count else status


def summarize(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    status, shown_files = EXIT_OK, 0
    for report in _reports(options, progress):
        status = _status(status, report)
        if report is None:
            continue
        if options.json:
            print_json(report.as_json())
            continue
        if shown_files:
            print()
        shown_files += 1
        print(render(report.summary))
        _lines_to(sys.stderr, problem_lines(report, report.limit))
    return status


def validate(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    status = EXIT_OK
    for report in _reports(options, progress, spec=options.spec):
        status = _status(status, report)
        if report is None:
            continue
        if options.json:
            print_json(report.as_json())
        elif report.problem_count:
            for line in problem_lines(report, report.limit):
                print(line)
        elif not options.quiet:
            print(f"{shown(report.name)}: ok ({describe(report.summary)})")
    return status


def assemble(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    """The response a stream adds up to; after an error or a cut-off, the partial one."""
    try:
        report = read(options.file, None, progress, expect="stream", limit=None)
    except UsageError as e:
        _error(str(e))
        return EXIT_USAGE
    if report.response is not None:
        print_json(report.response.to_dict(), indent=2)
    _lines_to(sys.stderr, problem_lines(report, SHOWN_PROBLEMS))
    return EXIT_INVALID if report.problem_count else EXIT_OK


def _lines_to(stream: Optional[TextIO], lines: List[str]) -> None:
    if stream is not None:  # None: the process was started with it closed
        for line in lines:
            print(line, file=stream)


def _error(message: str) -> None:
    _lines_to(sys.stderr, [f"{PROG}: error: {printable(message)}"])
