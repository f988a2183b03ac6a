# SPDX-License-Identifier: MIT
"""The README's Python snippets run, on the repository's example and test data, as written."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

import pytest

from tests import DATA

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SNIPPETS = [textwrap.dedent(s) for s in  # a snippet in a list item is indented
            re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory laid out as the repository (examples/, tests/data/), as the current one:
    the snippets read paths relative to the repository's root and may write files."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copytree(DATA, tmp_path / "tests" / "data")
    return tmp_path


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 5


@pytest.mark.parametrize("snippet", SNIPPETS,
                         ids=[f"{i}-{s.splitlines()[-1][:30]}" for i, s in enumerate(SNIPPETS)])
def test_snippet_runs(snippet: str, workdir: Path) -> None:
    """Each snippet runs exactly as written, by a fresh interpreter that finds the repository's
    package the way a reader who cloned it does (from the root, or installed)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CHATCOMPLETION_UNDER_TEST", None)
    r = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                       timeout=120, cwd=workdir, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    printed: List[str] = r.stdout.splitlines()
    if "iter_batch_output" in snippet:
        assert printed[0].startswith("r1 ")
        assert printed[1].startswith("r2 None")
    if "answer = acc.result()" in snippet:  # the streaming snippet
        assert "".join(printed).strip()
    if "ChunkDecoder" in snippet:
        assert printed == ["True"]
    if "Rate limit reached" in snippet:
        assert printed[0].startswith("The server sent an API error, not a chat completion: ")
    if "problems=found" in snippet:
        assert printed[0] == "['$.choices[0].message.content']"
    assert sorted(p.name for p in workdir.iterdir()) == ["examples", "tests"]  # cleaned up


SHELL_BLOCKS = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def shell_lines(*starts: str) -> List[str]:
    lines = [line for block in SHELL_BLOCKS for line in block.splitlines()]
    return [line for line in lines if line.startswith(starts)]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A copy of the repository's files a clone has (no virtualenv, no caches)."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv*", ".*_cache", ".hypothesis",
                                  "build", "*.egg-info", ".git")
    for name in ("chatcompletion", "examples", "tests"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=skip)
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    return tmp_path


def run_shell(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`line` by bash, as written, with this interpreter (its virtualenv) as `python3`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CHATCOMPLETION_UNDER_TEST")}
    bindir = cwd / ".bin"  # a wrapper, not a symlink: a virtualenv is found by the path run
    bindir.mkdir(exist_ok=True)
    wrapper = bindir / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env["PATH"] = os.pathsep.join([str(bindir), env.get("PATH", "")])
    return subprocess.run(["bash", "-euo", "pipefail", "-c", line], capture_output=True,
                          text=True, timeout=300, cwd=cwd, env=env)


CLI_LINES = shell_lines("python3 -m chatcompletion examples/", "python3 -m chatcompletion validate",
                        "python3 -m chatcompletion assemble", "python3 -m chatcompletion summarize",
                        "python3 -m chatcompletion --help")


def test_the_readme_has_cli_commands() -> None:
    assert len(CLI_LINES) >= 6, CLI_LINES


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("line", CLI_LINES, ids=lambda s: s.split("#")[0].strip()[25:60])
def test_cli_command_runs_as_written(line: str, clone: Path) -> None:
    r = run_shell(line, clone)
    # tool_calls.json is a real response that omits keys the OpenAI schema requires: exit 1
    expected = 1 if "--spec" in line else 0
    assert r.returncode == expected, (r.stdout + r.stderr)[-3000:]
    assert r.stdout.strip()
    assert "Traceback" not in r.stderr
    if expected:
        assert "which the OpenAI schema requires" in r.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_vendoring_commands_run_as_written(clone: Path) -> None:
    pytest.importorskip("pytest")
    block = next(b for b in SHELL_BLOCKS if "CHATCOMPLETION_UNDER_TEST" in b)
    r = run_shell(block, clone)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    assert " passed" in r.stdout, r.stdout[-2000:]
    assert " failed" not in r.stdout, r.stdout[-2000:]
    assert (clone / "build" / "vendored" / "yourapp" / "_vendor" / "chatcompletion"
            / "__init__.py").is_file()
