# SPDX-License-Identifier: MIT
"""The README's Python snippets run, on the repository's example and test data, as written."""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

from tests import DATA

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SNIPPETS = [textwrap.dedent(s) for s in  # a snippet in a list item is indented
            re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory laid out as the repository (examples/, tests/data/), as the current one:
    the snippets read paths relative to the repository's root and may write files."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copytree(DATA, tmp_path / "tests" / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 5


@pytest.mark.parametrize("snippet", SNIPPETS,
                         ids=[f"{i}-{s.splitlines()[-1][:30]}" for i, s in enumerate(SNIPPETS)])
def test_snippet_runs(snippet: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = snippet.replace("import chatcompletion as cc", "from tests import cc")
    ns: Dict[str, Any] = {"__name__": "readme"}
    exec(compile(code, str(README), "exec"), ns)  # the README's own code
    printed: List[str] = capsys.readouterr().out.splitlines()
    if "iter_batch_output" in code:
        assert printed[0].startswith("r1 ")
        assert printed[1].startswith("r2 None")
    if "answer = acc.result()" in code:  # the streaming snippet
        assert "".join(printed).strip()
        assert ns["answer"].choices
    if "ChunkDecoder" in code:
        assert printed == ["True"]
    if "Rate limit reached" in code:
        assert printed[0].startswith("The server sent an API error, not a chat completion: ")
    if "problems=found" in code:
        assert printed[0] == "['$.choices[0].message.content']"
    assert sorted(p.name for p in workdir.iterdir()) == ["examples", "tests"]  # cleaned up
