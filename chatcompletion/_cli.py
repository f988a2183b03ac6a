# SPDX-License-Identifier: MIT
"""``python -m chatcompletion``: the command table, the front door and the exit statuses.

Each command lives in the module its entry names, as two functions: ``<name>_arguments``
adds its options to an argparse parser, ``<name>(options, progress)`` runs it and returns
the exit status. A new command is one entry here and its two functions there; the usage
and ``--help`` text are made from this table. Only the chosen command's module is imported.
"""
from __future__ import annotations

import contextlib
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import List, NamedTuple, Optional, Sequence

    class Command(NamedTuple):
        name: str
        usage: str  # its arguments, for the usage line
        summary: str  # one line on the front door
        module: str  # the module with its functions
else:
    from collections import namedtuple

    Command = namedtuple("Command", "name usage summary module")

PROG = "chatcompletion"
EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports it
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader went away (`... | head`); not our verdict
EXIT_STATUS = ("exit status: 0 ok, 1 invalid content, 2 bad usage or an unreadable file, "
               "130 interrupted, 141 output pipe closed")

COMMANDS = (
    Command("summarize", "[--json] [--all] [--kind KIND] FILE...",
            "model, choices, finish reasons, token usage and tool calls of each FILE "
            "(the default command)", "_inspect"),
    Command("validate", "[--spec] [--json] [--quiet] [--all] [--kind KIND] FILE...",
            "check each FILE, print every problem with its place; --spec: also what the "
            "OpenAI schema requires", "_inspect"),
    Command("assemble", "FILE",
            "print the response a saved stream adds up to, as JSON", "_inspect"),
    Command("serve", "PATH... [--host HOST] [--port PORT] [--delay S] [--fault FAULT]",
            "replay recorded responses over HTTP, as an OpenAI-compatible server for tests",
            "_serve"),
)
DEFAULT = COMMANDS[0]


def front_door() -> str:
    """The help of the whole tool: what it is for, its commands, its exit statuses."""
    width = max(len(c.name) for c in COMMANDS)
    commands = "\n".join(f"  {c.name:<{width}}  {c.summary}" for c in COMMANDS)
    return (
        f"usage: {PROG} [COMMAND] [OPTIONS] FILE...\n\n"
        "Look into saved OpenAI Chat Completions output (a response, an SSE stream or a Batch\n"
        "API output file, told apart by their content; - reads standard input), or serve it.\n\n"
        f"commands:\n{commands}\n\n"
        f"`{PROG} FILE...` summarizes; `{PROG} COMMAND --help` shows a command's options.\n"
        f"{EXIT_STATUS}\n"
    )


def _parser(command: Command) -> argparse.ArgumentParser:
    import argparse
    from importlib import import_module

    from . import __version__

    module = import_module(f".{command.module}", __package__)
    parser = argparse.ArgumentParser(
        prog=f"{PROG} {command.name}", usage=f"{PROG} {command.name} {command.usage}",
        description=command.summary[:1].upper() + command.summary[1:] + ".",
        epilog=EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    getattr(module, f"{command.name}_arguments")(parser)
    parser.set_defaults(run=getattr(module, command.name))
    return parser


def _command(args: List[str]) -> Optional[Command]:
    """The command ``args`` name; the default one for files or options; None after saying
    that the first word is no command (a mistyped command is not read as a file name)."""
    first = args[0]
    for command in COMMANDS:
        if first == command.name:
            del args[0]
            return command
    if first.startswith("-") or os.path.exists(first) or not first.isidentifier():
        return DEFAULT  # files (also `-`) and options: the default command
    import difflib

    close = difflib.get_close_matches(first, [c.name for c in COMMANDS], n=1)
    hint = (f"; did you mean `{close[0]}`?" if close
            else f" (and no file of that name); see `{PROG} --help`")
    _error(f"unknown command `{first}`{hint}")
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        _write(sys.stdout if args else sys.stderr, front_door())
        return EXIT_OK if args else EXIT_USAGE
    if args == ["--version"]:
        from . import __version__

        _write(sys.stdout, f"{PROG} {__version__}\n")
        return EXIT_OK
    command = _command(args)
    if command is None:
        return EXIT_USAGE
    _tolerant_output()
    progress = None
    try:
        try:
            options = _parser(command).parse_args(args)
        except SystemExit as e:  # argparse has printed the usage and the error (or the help)
            return e.code if isinstance(e.code, int) else EXIT_USAGE
        from ._render import Progress, stderr_tty

        progress = Progress(sys.stderr) if stderr_tty() else None
        status: int = options.run(options, progress)
        _flush()  # here, so that a closed pipe is caught below, not at exit
        return status
    except KeyboardInterrupt:
        if progress is not None:
            progress.clear()
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as e:  # writing failed: a full disk, a closed terminal
        _silence_stdout()
        _error(f"cannot write the output: {e.strerror or e}")
        return EXIT_USAGE


def _write(stream: object, text: str) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):  # closed or absent
        stream.write(text)  # type: ignore[attr-defined]


def _flush() -> None:
    stdout = sys.stdout
    if stdout is not None:
        stdout.flush()


def _error(message: str) -> None:
    from ._errors import printable

    _write(sys.stderr, f"{PROG}: error: {printable(message)}\n")


def _silence_stdout() -> None:
    """Stop the interpreter's final flush of stdout from failing again, with a traceback."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a descriptor
        pass


def _tolerant_output() -> None:
    """Show what the console cannot encode as escapes rather than fail on it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream already in use
                reconfigure(errors="backslashreplace")
