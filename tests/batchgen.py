"""Generated Batch API output files, built from the real responses in tests/data/responses.

Every value here is computed from the plain dicts, never with chatcompletion, so the
expected totals are an independent oracle for what the library and the CLI report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from tests import DATA

JSONDict = Dict[str, Any]


def bodies() -> List[Tuple[str, JSONDict]]:
    """(file name, response dict) for every real response, in name order."""
    paths = sorted((DATA / "responses").glob("*.json"))
    out = [(p.name, json.loads(p.read_bytes())) for p in paths]
    assert out, "no responses in tests/data/responses"
    return out


def success(i: int, body: JSONDict) -> JSONDict:
    return {
        "id": f"batch_req_{i:06d}",
        "custom_id": f"request-{i}",
        "response": {"status_code": 200, "request_id": f"req_{i:06d}", "body": body},
        "error": None,
    }


def http_error(i: int) -> JSONDict:
    return {
        "id": f"batch_req_{i:06d}",
        "custom_id": f"request-{i}",
        "response": {
            "status_code": 400,
            "request_id": f"req_{i:06d}",
            "body": {
                "error": {
                    "message": "Invalid 'messages[0].content': string too long.",
                    "type": "invalid_request_error",
                    "param": "messages[0].content",
                    "code": "string_above_max_length",
                }
            },
        },
        "error": None,
    }


def expired(i: int) -> JSONDict:
    return {
        "id": f"batch_req_{i:06d}",
        "custom_id": f"request-{i}",
        "response": None,
        "error": {
            "code": "batch_expired",
            "message": "This request could not be executed before the completion window expired.",
        },
    }


@dataclass
class Totals:
    """What a summary of the generated lines must say."""

    lines: int = 0
    succeeded: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    models: Dict[str, int] = field(default_factory=dict)
    finish_reasons: Dict[str, int] = field(default_factory=dict)
    errors: Dict[str, int] = field(default_factory=dict)

    def add(self, line: JSONDict) -> None:
        self.lines += 1
        response = line["response"]
        if response is None or not 200 <= response["status_code"] < 300:
            self.failed += 1
            error = line["error"] or response["body"]["error"]
            self.errors[error["code"]] = self.errors.get(error["code"], 0) + 1
            return
        self.succeeded += 1
        body = response["body"]
        self.models[body["model"]] = self.models.get(body["model"], 0) + 1
        for choice in body["choices"]:
            reason = choice.get("finish_reason")
            if reason is not None:
                self.finish_reasons[reason] = self.finish_reasons.get(reason, 0) + 1
        usage = body.get("usage") or {}
        self.prompt_tokens += usage.get("prompt_tokens", 0)
        self.completion_tokens += usage.get("completion_tokens", 0)
        self.total_tokens += usage.get("total_tokens", 0)
        self.cached_tokens += (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
        details = usage.get("completion_tokens_details") or {}
        self.reasoning_tokens += details.get("reasoning_tokens") or 0


def lines(
    n: int,
    *,
    http_errors: int = 37,
    expirations: int = 101,
    real: Optional[List[JSONDict]] = None,
) -> Iterator[JSONDict]:
    """``n`` lines cycling through the ``real`` bodies (default: all of them); every
    ``http_errors``-th line is a 400 and every ``expirations``-th an expired request."""
    if real is None:
        real = [body for _, body in bodies()]
    for i in range(n):
        if http_errors and i % http_errors == http_errors - 1:
            yield http_error(i)
        elif expirations and i % expirations == expirations - 1:
            yield expired(i)
        else:
            yield success(i, real[i % len(real)])


def write(path: Path, n: int, **kwargs: Any) -> Totals:
    """Write ``n`` generated lines as JSONL to ``path``; return their expected totals."""
    totals = Totals()
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for line in lines(n, **kwargs):
            totals.add(line)
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return totals
