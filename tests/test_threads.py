# SPDX-License-Identifier: MIT
"""Parsing and serializing from many threads at once gives what one thread gives: the
package keeps no shared mutable state."""
from __future__ import annotations

import json
import sys
import threading
from typing import Any, Dict, List, Tuple

import pytest

from tests import DATA, cc
from tests.helpers import same

Resp = cc.CreateChatCompletionResponse
THREADS = 8
ROUNDS = 25

RESPONSES = [(p.name, p.read_bytes()) for p in sorted((DATA / "responses").glob("*.json"))]
BAD: List[Tuple[str, Any]] = [
    ("invalid", json.loads((DATA / "invalid" / "mistral_magistral_content_array.json").read_text(
        encoding="utf-8"))),
    ("tool-call", {"id": "a", "choices": [{"message": {"role": "r", "tool_calls": [
        {"id": "1"}, {"id": "2", "function": {"name": "f", "arguments": 5}}]}}],
        "created": 1, "model": "m", "object": "chat.completion"}),
    ("deep", {"id": "a", "choices": [], "created": 1, "model": "m", "object": "chat.completion",
              "x": json.loads("[" * 250 + "]" * 250)}),
    ("nan", {"id": "a", "choices": [], "created": 1, "model": "m", "object": "chat.completion",
             "x": [float("nan")]}),
]


def work(shared: Dict[str, Any]) -> Dict[str, Any]:
    """Everything one round does; the result must not depend on the thread."""
    out: Dict[str, Any] = {}
    for name, raw in RESPONSES:
        d = json.loads(raw)
        obj = Resp.from_dict(d)
        out[name] = (obj.to_dict(), obj.to_json(), Resp.from_json(raw).to_json(),
                     obj == shared[name], shared[name].to_json(), repr(shared[name]))
    for name, bad in BAD:
        try:
            Resp.from_dict(bad)
        except cc.ValidationError as e:
            out[name] = (e.path, str(e), e.expected, e.found)
        else:  # pragma: no cover - a failure, reported by the comparison
            out[name] = "accepted"
    return out


@pytest.fixture
def fast_switching() -> Any:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        yield
    finally:
        sys.setswitchinterval(old)


@pytest.mark.slow
def test_threads_give_the_single_threaded_results(fast_switching: Any) -> None:
    shared = {name: Resp.from_json(raw) for name, raw in RESPONSES}
    expected = work(shared)
    assert all(expected[name][3] for name, _ in RESPONSES)
    assert expected["tool-call"][0] == "$.choices[0].message.tool_calls[1].function.arguments"

    barrier = threading.Barrier(THREADS)
    results: List[List[Dict[str, Any]]] = [[] for _ in range(THREADS)]
    errors: List[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            for _ in range(ROUNDS):
                results[i].append(work(shared))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    for per_thread in results:
        assert len(per_thread) == ROUNDS
        for got in per_thread:
            assert got.keys() == expected.keys()
            for key, value in expected.items():
                assert same(list(got[key]), list(value)), key
    for name, raw in RESPONSES:  # the shared objects were only read
        assert same(shared[name].to_dict(), json.loads(raw))
