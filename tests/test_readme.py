# SPDX-License-Identifier: MIT
"""The README's Python snippets run, on real data, as written."""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests import DATA

README = Path(__file__).resolve().parent.parent / "README.md"
SNIPPETS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


class FakeHTTPResponse:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def iter_bytes(self) -> Iterator[bytes]:
        for i in range(0, len(self.body), 37):  # split anywhere
            yield self.body[i:i + 37]


def namespace(tmp_path: Path) -> Dict[str, Any]:
    body = (DATA / "responses" / "openai_gpt4omini_cached_tokens.json").read_bytes()
    line = {"id": "b1", "custom_id": "r1", "error": None,
            "response": {"status_code": 200, "request_id": "q", "body": json.loads(body)}}
    failed = {"id": "b2", "custom_id": "r2", "response": None,
              "error": {"code": "batch_expired", "message": "expired"}}
    lines = json.dumps(line) + "\n" + json.dumps(failed) + "\n"
    (tmp_path / "batch_output.jsonl").write_text(lines)
    stream = (DATA / "streams" / "azure_gpt35_prompt_filter_stream.sse").read_bytes()
    return {
        "json": json,
        "http_body": body,
        "body": body,
        "data": json.loads((DATA / "responses" / "groq_two_tool_calls.json").read_bytes()),
        "log": logging.getLogger("readme"),
        "http_response": FakeHTTPResponse(stream),
    }


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 5


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.split("\n")[0][:40] for s in SNIPPETS])
def test_snippet_runs(snippet: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = snippet.replace("import chatcompletion as cc", "from tests import cc")
    ns = namespace(tmp_path)
    ns["cc"] = __import__("tests").cc
    exec(compile(code, str(README), "exec"), ns)  # the README's own code
    printed: List[str] = capsys.readouterr().out.splitlines()
    if "iter_batch_output" in code:
        assert printed[0].startswith("r1 ")
        assert printed[1].startswith("r2 None")
    if "iter_chunks" in code:
        assert "Why did the Opentelemetry developer" in "".join(printed)
        assert ns["partial_or_full"].choices[0].finish_reason == "stop"
