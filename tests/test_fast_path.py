# SPDX-License-Identifier: MIT
"""The fast paths give exactly what the general parsers give.

Each hot class tries the exact shape servers send first (``_parse``) and hands anything else
to its general parser (``_read``). This test cannot drift from the code: it finds the
classes by walking the package's models, and compares reading every document twice, once as
shipped and once with every fast path replaced by its general parser: the same objects (the
same ``to_dict()``, the same remembered nulls), or the same error (type, path, message,
expected, found), and no container shared with the input.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings

from tests import DATA, cc
from tests.helpers import ids, same
from tests.strategies import mutated_responses, responses, snapshot

_base = importlib.import_module(f"{cc.__name__}._base")
Model = _base.Model

RESPONSES = sorted((DATA / "responses").glob("*.json"))
INVALID = sorted((DATA / "invalid").glob("*.json"))
STREAMS = sorted((DATA / "streams").glob("*.sse"))
WRONG = ["x", "", 0, 7, -1, 1.5, True, None, [], [1], {}, {"a": 1}, 10**4300]


def models() -> List[type]:
    """Every model class of the package (subclasses of Model, found by walking, after
    importing every module: the stream and batch ones load on first use)."""
    for info in pkgutil.iter_modules(cc.__path__):
        importlib.import_module(f"{cc.__name__}.{info.name}")
    out, stack = [], list(Model.__subclasses__())
    while stack:
        cls = stack.pop()
        out.append(cls)
        stack.extend(cls.__subclasses__())
    return out


def fast_classes() -> List[type]:
    return [c for c in models() if "_parse" in c.__dict__]


def test_the_hot_classes_have_fast_paths() -> None:
    names = {c.__name__ for c in fast_classes()}
    assert names >= {
        "CreateChatCompletionResponse", "CreateChatCompletionResponseChoices",
        "ChatCompletionResponseMessage", "ChatCompletionMessageToolCall", "Function",
        "CreateChatCompletionResponseUsage", "PromptTokensDetails", "CompletionTokensDetails",
        "ChatCompletionTokenLogprob", "TopLogprob", "ChoiceLogprobs",
        "CreateChatCompletionStreamResponse", "CreateChatCompletionStreamResponseChoices",
        "ChatCompletionStreamResponseDelta", "BatchOutputLine", "BatchResponse",
    }, names


@contextlib.contextmanager
def general_only() -> Iterator[None]:
    """Every fast path replaced by its class's general parser, for the duration."""
    saved = {cls: cls.__dict__["_parse"] for cls in fast_classes()}
    general = classmethod(lambda cls, d, depth: cls._read(d, depth, None))
    try:
        for cls in saved:
            cls._parse = general
        yield
    finally:
        for cls, parse in saved.items():
            cls._parse = parse


def test_general_only_really_replaces_them() -> None:
    d = json.loads((DATA / "responses" / "openai_docs_default.json").read_bytes())
    calls: List[str] = []
    read = cc.Choice._read.__func__  # type: ignore[attr-defined]

    def spy(cls: Any, *args: Any) -> Any:
        calls.append(cls.__name__)
        return read(cls, *args)

    cc.Choice._read = classmethod(spy)  # type: ignore[method-assign,assignment]
    try:
        cc.ChatCompletion.from_dict(copy.deepcopy(d))
        fast_calls = len(calls)
        with general_only():
            cc.ChatCompletion.from_dict(copy.deepcopy(d))
    finally:
        del cc.Choice._read
        cc.Choice._read = classmethod(read)  # type: ignore[method-assign,assignment]
    assert (fast_calls, len(calls) - fast_calls) == (0, len(d["choices"]))


def state(obj: Any) -> Any:
    """Everything an object holds, recursively, extra's remembered nulls included."""
    if isinstance(obj, Model):
        values = {f.name: state(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        values["nulls"] = _base.nulls_of(obj)
        values["absent"] = getattr(obj._extra, "absent", ())
        return (type(obj).__name__, values)
    if type(obj) is list:
        return [state(x) for x in obj]
    if isinstance(obj, dict):
        return {k: state(v) for k, v in obj.items()}
    return (type(obj).__name__, obj)


def outcome(parse: Callable[[], Any]) -> Tuple[str, Any]:
    try:
        obj = parse()
    except cc.ValidationError as e:
        return "error", (type(e), e.path, e.message, e.expected, e.found)
    return "ok", obj


def check(cls: Any, d: Any, inserted: List[Any] = []) -> None:  # noqa: B006 - read only
    """Reading ``d`` fast and generally gives the same, and shares nothing with ``d``
    (``inserted``: non-JSON values in ``d``, kept by identity in the copy)."""
    before = snapshot(d, inserted)
    fast = outcome(lambda: cls.from_dict(d))
    with general_only():
        general = outcome(lambda: cls.from_dict(d))
    assert same(d, before)
    assert fast[0] == general[0], (fast, general)
    if fast[0] == "error":
        assert fast[1] == general[1]
        return
    assert state(fast[1]) == state(general[1])
    assert same(fast[1].to_dict(), general[1].to_dict())
    assert fast[1] == general[1]
    assert not ids(fast[1]) & ids(d), "the fast path shares a container with its input"


@pytest.mark.parametrize("path", [*RESPONSES, *INVALID], ids=lambda p: p.name)
def test_every_fixture(path: Path) -> None:
    check(cc.ChatCompletion, json.loads(path.read_bytes()))


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.name)
def test_every_chunk_of_every_stream(path: Path) -> None:
    for event in path.read_text("utf-8").split("\n\n"):
        data = "".join(line[5:].lstrip(" ") for line in event.splitlines()
                       if line.startswith("data:"))
        if data and data.strip() != "[DONE]":
            payload = json.loads(data)
            if "error" not in payload:
                check(cc.ChatCompletionChunk, payload)


def test_batch_lines() -> None:
    for path in RESPONSES[:8]:
        body = json.loads(path.read_bytes())
        check(cc.BatchOutputLine, {"id": "b", "custom_id": "c", "error": None,
                                   "response": {"status_code": 200, "request_id": "r",
                                                "body": body}})
        check(cc.BatchOutputLine, {"id": "b", "custom_id": "c", "response": None,
                                   "error": {"code": "x", "message": "y"}})


def sites(value: Any, path: Tuple[Any, ...] = ()) -> Iterator[Tuple[Any, ...]]:
    yield path
    if type(value) is dict:
        for k, item in value.items():
            yield from sites(item, (*path, k))
    elif type(value) is list:
        for i, item in enumerate(value[:3]):  # three items of a long list are enough
            yield from sites(item, (*path, i))


def at(doc: Any, path: Tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def mutations(d: Dict[str, Any]) -> Iterator[Any]:
    """Every single-value mutation of ``d``: each value replaced by each wrong value, each key
    deleted, an unknown key added to each object."""
    for path in list(sites(d))[1:]:
        parent, key = path[:-1], path[-1]
        for bad in WRONG:
            doc = copy.deepcopy(d)
            at(doc, parent)[key] = copy.deepcopy(bad)
            yield doc
        doc = copy.deepcopy(d)
        del at(doc, parent)[key]
        yield doc
        if type(at(d, path)) is dict:
            doc = copy.deepcopy(d)
            at(doc, path)["x_new"] = [1, {"a": None}]
            yield doc


SMALL = ["openai_docs_default.json", "groq_two_tool_calls.json", "openai_n3_choices.json",
         "openai_gpt4omini_cached_tokens.json", "openai_docs_logprobs.json"]


@pytest.mark.parametrize("name", SMALL)
def test_every_single_value_mutation_of_openai_shapes(name: str) -> None:
    d = json.loads((DATA / "responses" / name).read_bytes())
    for doc in mutations(d):
        check(cc.ChatCompletion, doc)


@pytest.mark.slow
@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.name)
def test_every_single_value_mutation_of_every_fixture(path: Path) -> None:
    d = json.loads(path.read_bytes())
    for doc in mutations(d):
        check(cc.ChatCompletion, doc)


@pytest.mark.slow
@pytest.mark.parametrize("path", STREAMS[:6], ids=lambda p: p.name)
def test_every_single_value_mutation_of_chunks(path: Path) -> None:
    events = [e for e in path.read_text("utf-8").split("\n\n") if e.startswith("data: {")]
    for event in events[:4]:
        d = json.loads(event[6:])
        for doc in mutations(d):
            check(cc.ChatCompletionChunk, doc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses())
def test_generated_responses(d: Dict[str, Any]) -> None:
    check(cc.ChatCompletion, d)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_responses())
def test_generated_mutations(mutated: Any) -> None:
    doc, _, inserted = mutated
    check(cc.ChatCompletion, doc, inserted)


@pytest.mark.parametrize("case", ["typical", "tool_call", "n8"])
def test_every_single_value_mutation_of_the_benchmark_shapes(case: str) -> None:
    data = importlib.import_module("tests.benchmarks.data")
    d = data.make_case(case)
    check(cc.ChatCompletion, d)
    for doc in mutations(d):
        check(cc.ChatCompletion, doc)


def test_every_single_value_mutation_of_benchmark_chunks_and_batch_lines() -> None:
    data = importlib.import_module("tests.benchmarks.data")
    chunks = data.stream_chunks(20)
    for chunk in (chunks[0], chunks[1], chunks[-2], chunks[-1]):
        for doc in [chunk, *mutations(chunk)]:
            check(cc.ChatCompletionChunk, doc)
    line = json.loads(data.batch_lines(1)[0])
    for doc in [line, *mutations(line)]:
        check(cc.BatchOutputLine, doc)
