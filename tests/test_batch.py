"""Batch API output files: BatchOutputLine, BatchResponse and iter_batch_output."""
from __future__ import annotations

import copy
import dataclasses
import gc
import importlib
import io
import json
import pickle
import tracemalloc
import warnings
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests import DATA, batchgen, cc
from tests.helpers import containers, ids

_batch = importlib.import_module(f"{cc.__name__}._batch")
BatchOutputLine = _batch.BatchOutputLine
BatchResponse = _batch.BatchResponse
iter_batch_output = _batch.iter_batch_output

BODIES = batchgen.bodies()
_, BODY = next((n, b) for n, b in BODIES if n == "openai_gpt4omini_cached_tokens.json")
INVALID_BODY = json.loads((DATA / "invalid" / "mistral_magistral_content_array.json").read_bytes())


def jsonl(*lines: Dict[str, Any]) -> str:
    return "".join(json.dumps(line) + "\n" for line in lines)


def error_of(source: Any) -> Any:
    with pytest.raises(cc.ValidationError) as info:
        for _ in iter_batch_output(source):
            pass
    return info.value


# -- one line --


def test_real_bodies_found() -> None:
    assert len(BODIES) >= 20


@pytest.mark.parametrize(("name", "body"), BODIES, ids=[n for n, _ in BODIES])
def test_successful_line_round_trips_and_parses_its_body(name: str, body: Dict[str, Any]) -> None:
    line = batchgen.success(7, body)
    out = BatchOutputLine.from_dict(line)
    assert out.to_dict() == line
    assert json.loads(out.to_json()) == line
    assert out.custom_id == "request-7"
    assert out.id == "batch_req_000007"
    assert out.status_code == 200
    assert out.error is None
    assert out.failure is None
    assert out.completion == cc.CreateChatCompletionResponse.from_dict(body)
    assert out.response is not None
    assert out.response.request_id == "req_000007"
    assert out.response.body is out.completion  # the body parsed once, not a copy of it
    assert out.response.body.to_dict() == body


def test_http_error_line() -> None:
    line = batchgen.http_error(3)
    out = BatchOutputLine.from_dict(line)
    assert out.to_dict() == line
    assert out.status_code == 400
    assert out.completion is None
    assert out.error is None  # the line's own `error`
    assert out.failure == line["response"]["body"]["error"]


def test_expired_line() -> None:
    line = batchgen.expired(4)
    out = BatchOutputLine.from_dict(line)
    assert out.to_dict() == line
    assert out.response is None
    assert out.status_code is None
    assert out.completion is None
    assert out.error == out.failure == {
        "code": "batch_expired",
        "message": line["error"]["message"],
    }


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, "Internal Server Error"),  # a body that is not an object
        (500, {"detail": "upstream"}),  # an object without `error`
        (429, {"error": "rate limited"}),  # an `error` that is not an object
        (500, None),
    ],
)
def test_non_2xx_without_an_error_object(status: int, body: Any) -> None:
    line = {"custom_id": "a", "response": {"status_code": status, "body": body}}
    out = BatchOutputLine.from_dict(line)
    assert out.status_code == status
    assert out.error is None
    assert out.failure is None
    assert out.completion is None


def test_line_error_wins_over_body_error() -> None:
    line = batchgen.http_error(1)
    line["error"] = {"code": "x", "message": "y"}
    out = BatchOutputLine.from_dict(line)
    assert out.failure == out.error == {"code": "x", "message": "y"}


@pytest.mark.parametrize(
    "body",
    [
        {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -2]}],
         "model": "text-embedding-3-small", "usage": {"prompt_tokens": 3, "total_tokens": 3}},
        {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "davinci-002",
         "choices": [{"text": "hi", "index": 0, "logprobs": None, "finish_reason": "stop"}]},
        {"id": "resp_1", "object": "response", "output": []},
        ["not", "an", "object"],
        "text",
        None,
    ],
    ids=["embeddings", "text_completion", "responses_api", "array", "string", "null"],
)
def test_other_2xx_bodies_are_kept_as_plain_json(body: Any) -> None:
    line = {"id": "b", "custom_id": "a", "response": {"status_code": 200, "body": body},
            "error": None}
    out = BatchOutputLine.from_dict(line)
    assert out.completion is None
    assert out.error is None
    assert out.failure is None
    assert out.to_dict() == line
    assert out.response is not None
    assert out.response.body == body


def test_chat_body_of_a_non_2xx_status_is_not_parsed() -> None:
    line = batchgen.success(0, INVALID_BODY)
    line["response"]["status_code"] = 500
    out = BatchOutputLine.from_dict(line)  # the invalid body is not a chat completion here
    assert out.completion is None
    assert out.to_dict() == line


def test_unknown_keys_and_explicit_nulls_survive() -> None:
    line = {
        "custom_id": "a",
        "response": {
            "status_code": 200, "request_id": None, "body": None, "x_resp": [1, {"a": None}],
        },
        "x_line": {"nested": True},
    }
    out = BatchOutputLine.from_dict(line)
    assert out.to_dict() == line
    assert out.extra == {"x_line": {"nested": True}}
    assert out.response is not None
    assert out.response.extra == {"x_resp": [1, {"a": None}]}
    bare = {"custom_id": "a"}
    assert BatchOutputLine.from_dict(bare).to_dict() == bare
    nulls = {"id": None, "custom_id": "a", "response": None, "error": None}
    assert BatchOutputLine.from_dict(nulls).to_dict() == nulls


def test_built_in_code() -> None:
    completion = cc.CreateChatCompletionResponse.from_dict(BODY)
    response = BatchResponse(status_code=200, body=completion)
    assert response.completion is completion
    line = BatchOutputLine(custom_id="a", response=response)
    assert line.to_dict() == {"custom_id": "a", "response": {"status_code": 200, "body": BODY}}
    assert line.completion is completion
    assert BatchOutputLine.from_dict(line.to_dict()) == line
    other = dataclasses.replace(response, body={"object": "list", "data": []})
    assert other.completion is None  # follows the body, nothing carried over
    assert BatchResponse(status_code=404).completion is None
    assert BatchResponse(status_code=404).to_dict() == {"status_code": 404}
    # a dict body built in code is plain JSON; validate() checks it as from_dict would
    plain = BatchResponse(status_code=200, body=INVALID_BODY)
    assert plain.completion is None
    with pytest.raises(cc.ValidationError) as info:
        plain.validate()
    assert info.value.path == "$.body.choices[0].message.content"


def test_dataclass_behaviour() -> None:
    out = BatchOutputLine.from_dict(batchgen.success(1, BODY))
    for twin in (copy.deepcopy(out), pickle.loads(pickle.dumps(out)), dataclasses.replace(out)):
        assert twin == out
        assert twin.completion == out.completion
    assert out != BatchOutputLine.from_dict(batchgen.success(2, BODY))
    assert "error=None" in repr(out)
    assert "_completion" not in repr(out)


def test_no_aliasing() -> None:
    line = batchgen.success(1, copy.deepcopy(BODY))
    out = BatchOutputLine.from_dict(line)
    line["response"]["body"]["choices"][0]["message"]["content"] = "changed"
    line["response"]["body"]["usage"]["prompt_tokens"] = -1
    assert out.to_dict() == batchgen.success(1, BODY)
    dumped = out.to_dict()
    dumped["response"]["body"]["model"] = "changed"
    assert out.to_dict() == batchgen.success(1, BODY)
    error_line = batchgen.expired(1)
    out = BatchOutputLine.from_dict(error_line)
    error_line["error"]["code"] = "changed"
    assert out.to_dict() == batchgen.expired(1)


def test_no_aliasing_when_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(TEXT, encoding="utf-8")
    out = next(iter_batch_output(path))
    assert out.completion is not None
    assert out.completion.to_dict() == BODY
    written = out.to_dict()["response"]["body"]
    written["choices"][0]["message"]["content"] = "changed"
    written["usage"]["prompt_tokens"] = -1
    assert out.completion.to_dict() == BODY
    out.completion.choices[0].message.content = "changed too"
    assert out.to_dict()["response"]["body"]["choices"][0]["message"]["content"] == "changed too"
    assert written["choices"][0]["message"]["content"] == "changed"


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ({"id": "b"}, "$"),
        ({"custom_id": 5}, "$.custom_id"),
        ({"custom_id": "a", "id": 1}, "$.id"),
        ({"custom_id": "a", "response": []}, "$.response"),
        ({"custom_id": "a", "response": {"body": {}}}, "$.response"),
        ({"custom_id": "a", "response": {"status_code": "200"}}, "$.response.status_code"),
        ({"custom_id": "a", "response": {"status_code": True}}, "$.response.status_code"),
        ({"custom_id": "a", "response": {"status_code": 200, "request_id": 3}},
         "$.response.request_id"),
        ({"custom_id": "a", "error": "expired"}, "$.error"),
        ({"custom_id": "a", "error": {"code": (1, 2)}}, "$.error.code"),
        ({"custom_id": "a", "response": {"status_code": 404, "body": {"x": {1, 2}}}},
         "$.response.body.x"),
        ({"custom_id": "a", "x": float("nan")}, "$.x"),
        # a 2xx body that is a chat completion, or claims to be, is checked in full
        ({"custom_id": "a", "response": {"status_code": 200, "body": INVALID_BODY}},
         "$.response.body.choices[0].message.content"),
        ({"custom_id": "a", "response": {"status_code": 201,
                                         "body": {"object": "chat.completion"}}},
         "$.response.body"),
        ({"custom_id": "a", "response": {"status_code": 201, "body": {"choices": {}}}},
         "$.response.body.choices"),
        ({"custom_id": "a", "response": {"status_code": 200, "body": {**BODY, "object": 1}}},
         "$.response.body.object"),
        ({"custom_id": "a", "response": {"status_code": 200, "body": {**BODY, "id": 5}}},
         "$.response.body.id"),
    ],
)
def test_bad_line(line: Dict[str, Any], path: str) -> None:
    with pytest.raises(cc.ValidationError) as info:
        BatchOutputLine.from_dict(line)
    assert info.value.path == path


def test_depth_limit_counts_from_the_line() -> None:
    def nested(levels: int) -> Any:
        value: Any = 1
        for _ in range(levels):
            value = [value]
        return value

    # line 1, response 2, body 3, body's x is 4: x's arrays take the rest of the 200 levels
    ok = {"custom_id": "a", "response": {"status_code": 200, "body": {"x": nested(197)}}}
    assert BatchOutputLine.from_dict(ok).to_dict() == ok
    deep = {"custom_id": "a", "response": {"status_code": 200, "body": {"x": nested(198)}}}
    with pytest.raises(cc.ValidationError, match="200 levels"):
        BatchOutputLine.from_dict(deep)


# -- iter_batch_output: sources --


LINES = [batchgen.success(0, BODY), batchgen.http_error(1), batchgen.expired(2)]
TEXT = jsonl(*LINES)


def sources(tmp_path: Path) -> Dict[str, Any]:
    path = tmp_path / "out.jsonl"
    path.write_text(TEXT, encoding="utf-8")
    return {
        "str path": str(path),
        "Path": path,
        "binary file": io.BytesIO(TEXT.encode()),
        "text file": io.StringIO(TEXT),
        "open binary file": path.open("rb"),
        "str lines": TEXT.splitlines(),
        "bytes lines": TEXT.encode().splitlines(keepends=True),
        "generator": (json.dumps(line) for line in LINES),
    }


def test_every_kind_of_source(tmp_path: Path) -> None:
    for name, source in sources(tmp_path).items():
        out = [line.to_dict() for line in iter_batch_output(source)]
        assert out == LINES, name
        if hasattr(source, "close"):
            source.close()


def test_bytes_are_not_a_source() -> None:
    with pytest.raises(TypeError, match="splitlines"):
        next(iter_batch_output(TEXT.encode()))


def test_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        next(iter_batch_output(tmp_path / "missing.jsonl"))


def test_reads_lazily_one_line_at_a_time() -> None:
    consumed: List[int] = []

    def lines() -> Iterator[str]:
        for i, line in enumerate(LINES * 100):
            consumed.append(i)
            yield json.dumps(line)

    it = iter_batch_output(lines())
    first = next(it)
    assert first.custom_id == "request-0"
    assert consumed == [0]
    next(it)
    assert consumed == [0, 1]


def test_stopping_early_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text(TEXT * 10, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        closed = iter_batch_output(path)
        next(closed)
        closed.close()
        dropped = iter_batch_output(path)
        next(dropped)
        del closed, dropped
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_crlf_and_blank_trailing_lines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode() + b"\r\n\n  \t\r\n")
    assert [line.to_dict() for line in iter_batch_output(path)] == LINES
    assert len(list(iter_batch_output(io.StringIO(TEXT + "\n\n")))) == 3
    assert list(iter_batch_output([])) == []
    assert list(iter_batch_output(["", "\n"])) == []


def test_blank_line_in_the_middle_is_an_error() -> None:
    e = error_of([*TEXT.splitlines(), "", " ", json.dumps(LINES[0])])
    assert (e.path, e.line, e.event) == ("$", 4, None)  # the first blank line of the run
    assert e.message == "Blank line before the end of the input"
    assert (e.expected, e.found) == ("JSON object", "blank line")
    assert str(e) == "Blank line before the end of the input - at `$` in line 4"


def test_truncated_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_bytes(TEXT.encode()[:-25])  # the last line lost its end
    it = iter_batch_output(path)
    assert [next(it).custom_id, next(it).custom_id] == ["request-0", "request-1"]
    with pytest.raises(cc.ValidationError) as info:
        next(it)
    assert (info.value.path, info.value.line) == ("$", 3)
    assert info.value.message.startswith("Invalid JSON")
    assert str(info.value).endswith(" - at `$` in line 3")


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    bad = json.dumps({"custom_id": "caf\u00e9"}, ensure_ascii=False).encode("latin-1")
    path.write_bytes(TEXT.encode() + bad + b"\n")
    e = error_of(path)
    assert (e.path, e.line) == ("$", 4)
    assert "line 4" in str(e)
    assert "UTF-8" in e.message
    assert e.expected == "UTF-8"
    # a BOM is no more welcome at the start of a line than at the start of JSON text
    e = error_of(["\ufeff" + json.dumps(LINES[0])])
    assert (e.path, e.line, e.found) == ("$", 1, "BOM")


def test_invalid_line_reports_line_number_and_path() -> None:
    lines = [json.dumps(line) for line in LINES * 4]
    lines.append(json.dumps(batchgen.success(12, INVALID_BODY)))
    e = error_of(lines)
    assert (e.path, e.line) == ("$.response.body.choices[0].message.content", 13)
    assert str(e).endswith(" in line 13")
    assert str(e).count("line 13") == 1
    assert e.expected == "str"
    assert e.found == "array"
    again = pickle.loads(pickle.dumps(e))
    assert (again.path, again.message, again.line) == (e.path, e.message, 13)


@pytest.mark.parametrize(
    ("line", "path"),
    [("[1, 2]", "$"), ('"text"', "$"), ("null", "$"), ("{", "$"), ("NaN", "$"),
     ('{"custom_id": "a", "x": 1e999}', "$.x"), ("{} {}", "$")],
)
def test_lines_that_are_not_objects(line: str, path: str) -> None:
    e = error_of([json.dumps(LINES[0]), line])
    assert (e.path, e.line) == (path, 2)


def test_items_that_are_not_lines() -> None:
    e = error_of([json.dumps(LINES[0]), 42])
    assert (e.path, e.line) == ("$", 2)
    assert "`int`" in e.message


# -- big files --


@pytest.mark.slow
def test_thousands_of_generated_lines(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    totals = batchgen.write(path, 5000)
    got = batchgen.Totals()
    for out in iter_batch_output(path):
        got.add(out.to_dict())  # the oracle reads what the objects give back
        if out.completion is not None:
            assert out.completion.usage is None or out.completion.usage.prompt_tokens >= 0
    assert got == totals
    assert totals.lines == 5000
    assert 100 < totals.failed < 300
    assert totals.prompt_tokens > 0


def _peak(path: Path) -> int:
    # CPython keeps freed tuples, dicts and lists on free lists (up to 2,000 tuples of each
    # size) and tracemalloc counts them; they fill over tens of thousands of lines. A full
    # collection empties them, so collecting every 1,000 lines leaves the working set.
    gc.collect()
    tracemalloc.start()
    try:
        for i, _ in enumerate(iter_batch_output(path)):
            if i % 1000 == 999:
                gc.collect()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_constant_memory(tmp_path: Path) -> None:
    # The smaller real bodies keep this quicker under tracemalloc; the peak is set by the
    # largest line, whatever the count, so any of them would do.
    real = [body for _, body in BODIES if len(json.dumps(body)) < 1000]
    assert len(real) >= 8
    small, big = tmp_path / "2k.jsonl", tmp_path / "20k.jsonl"
    batchgen.write(small, 2000, real=real)
    batchgen.write(big, 20000, real=real)
    peak_small, peak_big = _peak(small), _peak(big)
    assert peak_big / peak_small < 1.5, (peak_small, peak_big)
    assert peak_big < 1_000_000  # a few lines' worth, not a file's (over 10 MB)


def test_completion_follows_a_changed_status_or_body() -> None:
    body = json.loads((DATA / "responses" / "openai_docs_default.json").read_bytes())
    line = next(iter_batch_output([json.dumps(
        {"id": "b", "custom_id": "r", "error": None,
         "response": {"status_code": 200, "request_id": "q", "body": body}})]))
    assert line.completion is not None
    assert line.response is not None
    line.response.status_code = 500
    line.response.body = {"error": {"message": "boom", "type": "server_error"}}
    assert line.completion is None
    assert line.failure == {"message": "boom", "type": "server_error"}
    assert line.error is None
    line.response.status_code = 200
    line.response.body = body  # a dict put there in code is plain JSON, no completion
    assert line.completion is None
    line.response.body = cc.CreateChatCompletionResponse.from_dict(body)
    assert line.completion is line.response.body
    assert line.completion.id == body["id"]


# -- what the objects share, line numbers, statuses --


@pytest.mark.parametrize(
    "body",
    [copy.deepcopy(BODY), {"object": "list", "data": [{"embedding": [0.1]}]},
     {"error": {"message": "m", "param": ["a"]}}, [{"a": [1]}]],
    ids=["chat", "embeddings", "error", "array"],
)
def test_batch_response_shares_no_container_with_the_callers_body(body: Any) -> None:
    d = {"status_code": 200 if "error" not in body else 400, "body": body, "x": {"y": [1]}}
    before = copy.deepcopy(d)
    response = BatchResponse.from_dict(d)
    assert not ids(response) & ids(d)
    _mutate(d)
    assert response.to_dict() == before
    out = response.to_dict()
    assert not ids(out) & ids(response)
    _mutate(out)
    assert response.to_dict() == before


def _mutate(value: Any) -> None:
    for c in list(containers(value)):
        if isinstance(c, dict):
            c["__mutated__"] = True
        else:
            c.append("__mutated__")


def test_a_blank_line_in_the_middle_does_not_shift_the_numbers_of_later_lines() -> None:
    good, bad = json.dumps(LINES[0]), json.dumps({"custom_id": 5})
    got = list(_batch.parse_lines([good, "", "\n", bad, good, "  ", bad]))
    assert [n for n, _ in got] == [1, 2, 4, 5, 6, 7]
    assert type(got[0][1]) is BatchOutputLine
    assert [(type(item).__name__, getattr(item, "line", None)) for _, item in got[1:]] == [
        ("ValidationError", 2), ("ValidationError", 4), ("BatchOutputLine", None),
        ("ValidationError", 6), ("ValidationError", 7)]
    assert [got[i][1].message for i in (1, 4)] == ["Blank line before the end of the input"] * 2
    assert got[2][1].path == got[5][1].path == "$.custom_id"
    e = error_of([good, "", bad])
    assert (e.line, e.path) == (2, "$")  # the blank line comes first
    problems: List[Any] = []
    assert [line.custom_id for line in iter_batch_output([good, "", good], problems=problems)] == [
        "request-0", "request-0"]
    assert [(p.line, p.message) for p in problems if not p.conformance] == [
        (2, "Blank line before the end of the input")]


@pytest.mark.parametrize("status", [300, 302, 199, 100, 0, -200])
def test_a_status_outside_2xx_is_no_success(status: int) -> None:
    body = {"error": {"message": "moved", "type": "redirect"}}
    line = BatchOutputLine.from_dict({"custom_id": "a", "response": {"status_code": status,
                                                                      "body": body}})
    assert line.completion is None
    assert line.failure == body["error"]
    assert line.error is None
    chat = BatchOutputLine.from_dict({"custom_id": "a", "response": {"status_code": status,
                                                                      "body": BODY}})
    assert chat.completion is None  # a chat body of a non-2xx status is not parsed
    assert chat.response is not None
    assert type(chat.response.body) is dict
    ok = BatchOutputLine.from_dict({"custom_id": "a", "response": {"status_code": 299,
                                                                    "body": body}})
    assert ok.failure is None  # 299 is a success, whatever its body says
