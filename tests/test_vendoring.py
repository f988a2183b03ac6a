# SPDX-License-Identifier: MIT
"""The package works when copied under another package, imports itself only relatively,
carries its licence in every file, and imports nothing but the standard library."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path
from typing import Any, List

import pytest

from tests import DATA, cc

PACKAGE = Path(cc.__file__).resolve().parent
ROOT = PACKAGE.parents[cc.__name__.count(".")]  # the directory to put on sys.path
REPO = Path(__file__).resolve().parent.parent
TOP = cc.__name__.split(".")[0]
SOURCES = sorted(PACKAGE.glob("*.py"))
SPDX = "# SPDX-License-Identifier: MIT\n"


def run(code: str, *args: str, cwd: Any = None, env: Any = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        [sys.executable, "-I", "-W", "error", "-c", textwrap.dedent(code), *args],
        capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
    )


def test_sources_are_found() -> None:
    names = {p.name for p in SOURCES}
    assert {"__init__.py", "_fields.py", "_base.py", "_response.py"} <= names
    assert (PACKAGE / "py.typed").is_file()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_absolute_self_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                assert top not in ("chatcompletion", TOP), f"{node.lineno}: import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                top = (node.module or "").split(".")[0]
                assert top not in ("chatcompletion", TOP), f"line {node.lineno}: from {node.module}"
            else:
                assert node.level == 1, f"line {node.lineno}: reaches outside the package"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            raise AssertionError(f"line {node.lineno}: __import__")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_spdx_header_first(path: Path) -> None:
    with open(path, encoding="utf-8") as f:
        assert f.readline() == SPDX


def test_the_ast_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from chatcompletion._fields import x\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        test_no_absolute_self_import(bad)
    with pytest.raises(AssertionError):
        test_spdx_header_first(bad)


def vendor(tmp_path: Path) -> Path:
    dest = tmp_path / "myapp" / "_vendor" / "chatcompletion"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (tmp_path / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "myapp" / "_vendor" / "__init__.py").write_text("", encoding="utf-8")
    return dest


def test_works_when_vendored(tmp_path: Path) -> None:
    vendor(tmp_path)
    code = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        from myapp._vendor import chatcompletion as c
        from pathlib import Path
        names = sorted(Path(sys.argv[2]).glob("*.json"))
        assert len(names) >= 30, names
        for p in names:
            d = json.loads(p.read_bytes())
            obj = c.CreateChatCompletionResponse.from_dict(d)
            assert obj.to_dict() == d, p
            assert json.loads(obj.to_json()) == d, p
            assert c.ChatCompletion.from_json(p.read_bytes()) == obj, p
        try:
            c.CreateChatCompletionResponse.from_dict({"id": 1})
        except c.ValidationError as e:
            assert isinstance(e, ValueError) and e.path == "$.id", e
        else:
            raise AssertionError("accepted")
        assert c.__file__.startswith(sys.argv[1]), c.__file__
        bad = [m for m in sys.modules if m.split(".")[0] == "chatcompletion"]
        assert not bad, bad
        mine = [m for m in sys.modules if m.startswith("myapp._vendor.chatcompletion.")]
        assert "myapp._vendor.chatcompletion._response" in mine, mine
        print("ok", len(names))
    """
    r = run(code, str(tmp_path), str(DATA / "responses"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith("ok ")
    assert r.stderr == ""


def test_the_suite_can_be_pointed_at_a_vendored_copy(tmp_path: Path) -> None:
    vendor(tmp_path)
    env = {**os.environ, "CHATCOMPLETION_UNDER_TEST": "myapp._vendor.chatcompletion",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(Path(__file__).parent.parent)])}
    r = subprocess.run(
        [sys.executable, "-c",
         ("import tests, sys; print(tests.cc.__name__); "
          "print(any(m.split('.')[0] == 'chatcompletion' for m in sys.modules))")],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["myapp._vendor.chatcompletion", "False"]


def _stdlib_fallback(files: List[str]) -> List[str]:
    """Without sys.stdlib_module_names (3.9): modules whose file is outside the stdlib."""
    paths = sysconfig.get_paths()
    std = [paths["stdlib"], paths["platstdlib"]]
    site = [paths["purelib"], paths["platlib"]]
    bad = []
    for line in files:
        name, _, file = line.partition("=")
        if file in ("", "None"):
            continue  # built in or frozen
        if any(file.startswith(s) for s in site) or not any(file.startswith(s) for s in std):
            bad.append(name)
    return bad


def test_import_is_quiet_and_pulls_in_the_standard_library_only() -> None:
    code = """
        import importlib, sys
        sys.path.insert(0, sys.argv[1])
        before = set(sys.modules)
        importlib.import_module(sys.argv[2])
        new = sorted(set(sys.modules) - before)
        files = [f"{m}={getattr(sys.modules[m], '__file__', None)}" for m in new]
        sys.stderr.write("\\n".join(files))
    """
    r = run(code, str(ROOT), cc.__name__)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == "", r.stdout[:500]
    lines = [line for line in r.stderr.splitlines() if line]
    own = [line for line in lines if line.split("=")[0].split(".")[0] == TOP]
    assert own, lines
    others = [line for line in lines if line.split("=")[0].split(".")[0] != TOP]
    std = getattr(sys, "stdlib_module_names", None)
    if std is not None:
        bad = [line for line in others if line.split("=")[0].split(".")[0] not in std]
    else:  # pragma: no cover - Python 3.9
        bad = _stdlib_fallback(others)
    assert not bad, bad

    quiet = run(f"import sys; sys.path.insert(0, sys.argv[1]); import {cc.__name__}", str(ROOT))
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert (quiet.stdout, quiet.stderr) == ("", "")


def test_no_runtime_dependencies_declared() -> None:
    pyproject = REPO / "pyproject.toml"
    if not pyproject.is_file():
        pytest.skip("not a source checkout (a vendored copy has no pyproject.toml)")
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python < 3.11
        assert "\ndependencies = []\n" in text
        return
    project = tomllib.loads(text)["project"]
    assert project["dependencies"] == []
    assert "dependencies" not in project.get("dynamic", [])
