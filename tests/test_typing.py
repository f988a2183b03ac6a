# SPDX-License-Identifier: MIT
"""The static typing tests in tests/typing pass ``mypy --strict``; run here too when mypy is
installed (CI's lint job runs it as well), skipped cleanly when it is not."""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest

REPO = Path(__file__).resolve().parent.parent
TYPING = REPO / "tests" / "typing"


def mypy_strict(paths: List[Path], cache: Path) -> Tuple[str, int]:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed")
    stdout, stderr, status = api.run([
        "--strict", "--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(cache),
        *[str(p) for p in paths],
    ])
    return stdout + stderr, status


def test_public_types_pass_mypy_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the package under test is found from the repository's root
    out, status = mypy_strict([TYPING], tmp_path / "cache")
    assert status == 0, out
    assert "Success: no issues found" in out


def test_the_typing_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    bad = tmp_path / "wrong_types.py"
    bad.write_text(
        "from typing import Optional\n"
        "from typing_extensions import assert_type\n"
        "import chatcompletion as cc\n"
        "def f(r: cc.ChatCompletion) -> None:\n"
        "    assert_type(r.id, str)\n"  # wrong: id is Optional[str]
        "    assert_type(r.created, Optional[int])\n",
        encoding="utf-8",
    )
    out, status = mypy_strict([bad], tmp_path / "cache")
    assert status == 1, out
    assert "wrong_types.py:5: error" in out
    assert "wrong_types.py:6" not in out
