# SPDX-License-Identifier: MIT
"""The command line: ``python -m chatcompletion`` summarize / validate / assemble."""
from __future__ import annotations

import importlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from tests import DATA, batchgen, cc, streamgen

cli = importlib.import_module(f"{cc.__name__}._cli")
files = importlib.import_module(f"{cc.__name__}._files")
inspect_ = importlib.import_module(f"{cc.__name__}._inspect")
render = importlib.import_module(f"{cc.__name__}._render")
summary_ = importlib.import_module(f"{cc.__name__}._summary")
# Where `python -m` finds the package under test (its top-level package's parent).
ROOT = Path(importlib.import_module(cc.__name__.split(".")[0]).__file__ or "").parent.parent

RESPONSES = sorted((DATA / "responses").glob("*.json"))
STREAMS = sorted((DATA / "streams").glob("*.sse"))
INVALID = DATA / "invalid" / "mistral_magistral_content_array.json"
TOOL_CALLS = DATA / "responses" / "groq_two_tool_calls.json"
ERROR_STREAM = DATA / "streams" / "groq_stream_tool_use_failed_error.sse"
REASONING = DATA / "streams" / "deepseek_reasoner_reasoning.sse"
TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
          "reasoning_tokens")


def run(*args: Any, input: Optional[bytes] = None, **kwargs: Any
        ) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, as users run it."""
    proc = subprocess.run(
        [sys.executable, "-m", cc.__name__, *map(str, args)],
        input=input, capture_output=True, cwd=ROOT, timeout=120, **kwargs,
    )
    out = subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def call(capsys: pytest.CaptureFixture[str], *args: Any) -> Tuple[int, str, str]:
    """The CLI in this process (quicker): exit status, stdout, stderr."""
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def json_lines(text: str) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def cached(usage: Dict[str, Any]) -> Optional[int]:
    """The cached prompt tokens of a usage dict, read without the library: OpenAI's
    details, else DeepSeek's or Mistral's top-level counts."""
    details = usage.get("prompt_tokens_details") or {}
    for value in (details.get("cached_tokens"), usage.get("prompt_cache_hit_tokens"),
                  usage.get("num_cached_tokens")):
        if type(value) is int:
            return value
    return None


def reasoning(usage: Dict[str, Any]) -> Optional[int]:
    details = usage.get("completion_tokens_details") or {}
    for value in (details.get("reasoning_tokens"), usage.get("reasoning_tokens")):
        if type(value) is int:
            return value
    return None


def expected_usage(d: Dict[str, Any]) -> Dict[str, Any]:
    """The token counts of a response dict, read without the library (None: not sent)."""
    usage = d.get("usage")
    if usage is None:
        return dict.fromkeys(TOKENS)
    return {
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "total_tokens": usage["total_tokens"],
        "cached_tokens": cached(usage),
        "reasoning_tokens": reasoning(usage),
    }


def batch_totals(lines: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The token totals of generated batch lines, absent counts staying absent."""
    out: Dict[str, Any] = dict.fromkeys(TOKENS)
    for line in lines:
        response = line["response"]
        if response is None or not 200 <= response["status_code"] < 300:
            continue
        for key, value in expected_usage(response["body"]).items():
            if value is not None:
                out[key] = value if out[key] is None else out[key] + value
    return out


def test_data_found() -> None:
    assert len(RESPONSES) >= 20
    assert len(STREAMS) >= 10


# -- summarize --


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.name)
def test_summarize_response_json(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    d = json.loads(path.read_bytes())
    status, out, _ = call(capsys, "--json", path)
    assert status == 0
    (summary,) = json_lines(out)
    assert summary["kind"] == "response"
    assert summary["valid"] is True
    assert summary["problems"] == []
    assert (summary["id"], summary["model"], summary["created"]) == (
        d.get("id"), d.get("model"), d.get("created")
    )
    assert summary["choices"] == len(d["choices"])
    reasons = [c["finish_reason"] for c in d["choices"] if c.get("finish_reason") is not None]
    assert sum(summary["finish_reasons"].values()) == len(reasons)
    assert {k: summary[k] for k in TOKENS} == expected_usage(d)
    calls = [
        t["function"]["name"]
        for c in d["choices"]
        for t in (c.get("message") or {}).get("tool_calls") or ()
    ]
    assert sum(summary["tool_calls"].values()) >= len(calls)
    assert set(calls) <= set(summary["tool_calls"])


def test_summarize_response_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, TOOL_CALLS)
    assert status == 0
    assert err == ""
    assert out.splitlines()[0] == f"{TOOL_CALLS}: chat completion"
    assert "meta-llama/llama-4-scout-17b-16e-instruct" in out
    assert "get_weather 1, final_result 1" in out
    assert "779 prompt (- cached) + 65 completion (- reasoning), 844 total" in out
    assert "2026-01-29 20:24:41 UTC" in out


def test_absent_counts_show_as_absent_present_zeros_as_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = json.loads(TOOL_CALLS.read_bytes())
    d["usage"] = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7,
                  "prompt_tokens_details": {"cached_tokens": 0}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d))
    _, out, _ = call(capsys, path)
    assert "5 prompt (0 cached) + 2 completion (- reasoning), 7 total" in out
    _, out, _ = call(capsys, "--json", path)
    (s,) = json_lines(out)
    assert (s["cached_tokens"], s["reasoning_tokens"]) == (0, None)


def test_summarize_cached_and_reasoning_tokens_wherever_providers_put_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openai_cached = DATA / "responses" / "openai_gpt4omini_cached_tokens.json"
    deepseek = DATA / "responses" / "deepseek_reasoner_reasoning.json"
    d = json.loads(TOOL_CALLS.read_bytes())
    d["usage"] = {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70,
                  "num_cached_tokens": 30, "reasoning_tokens": 12}  # Mistral, Azure AI Foundry
    other = tmp_path / "other.json"
    other.write_text(json.dumps(d))
    status, out, _ = call(capsys, "--json", openai_cached, deepseek, other)
    assert status == 0
    first, second, third = json_lines(out)
    assert (first["prompt_tokens"], first["cached_tokens"]) == (10122, 9984)
    assert second["reasoning_tokens"] == 315
    assert second["reasoning_chars"] > 0
    assert (third["cached_tokens"], third["reasoning_tokens"]) == (30, 12)


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.name)
def test_summarize_stream(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    ref = streamgen.reference(path)
    status, out, err = call(capsys, "--json", path)
    (summary,) = json_lines(out)
    assert summary["kind"] == "stream"
    assert summary["chunks"] == len(ref.chunks)
    expected = cc.ChatCompletionAccumulator()
    try:
        for chunk in cc.iter_chunks(path.read_bytes().splitlines(keepends=True)):
            expected.add(chunk)
    except cc.StreamError:
        pass
    assert summary["model"] == expected.result().model
    assert summary["finished"] is expected.finished
    if ref.error is None:
        assert status == 0
        assert summary["valid"] is True
        assert summary["choices"] == len(expected.result().choices)
    else:
        assert status == 1
        assert summary["valid"] is False
        assert summary["error"] == ref.error
        (problem,) = summary["problems"]
        assert problem["event"] == ref.error_event
        assert problem["message"].startswith("The server sent an error: ")
    assert err == ""


def test_summarize_stream_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(capsys, REASONING)
    assert status == 0
    assert out.startswith(f"{REASONING}: stream, 220 chunks\n")
    assert "(205 reasoning)" in out
    assert "reasoning:      606 chars" in out


def test_summarize_stream_that_ends_in_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, ERROR_STREAM)
    assert status == 1
    assert "stream, 94 chunks, incomplete - INVALID" in out
    assert "server error:   tool_use_failed: Tool call validation failed" in out
    assert err.startswith(f"{ERROR_STREAM}: event 95: The server sent an error: Tool call")
    assert err.count("\n") == 1  # the error, not also "incomplete"


def _cut(tmp_path: Path) -> Path:
    """A stream cut off before its finish chunk (and without [DONE])."""
    body = (DATA / "streams" / "openai_parallel_tool_calls.sse").read_text("utf-8")
    events = [e for e in body.split("\n\n") if e.strip()]
    path = tmp_path / "cut.sse"
    path.write_text("\n\n".join(events[:6]) + "\n\n", encoding="utf-8")
    return path


def test_a_cut_off_stream_is_incomplete(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    path = _cut(tmp_path)
    status, out, err = call(capsys, path)
    assert status == 1
    assert out.startswith(f"{path}: stream, 6 chunks, incomplete - INVALID\n")
    assert "before every choice had its finish_reason" in err
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    assert out == (f"{path}: The stream ended before every choice had its finish_reason "
                   "(cut off?)\n")
    status, out, _ = call(capsys, "--json", path)
    assert json_lines(out)[0]["finished"] is False


def test_summarize_batch_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.jsonl"
    totals = batchgen.write(path, 3000)
    status, out, err = call(capsys, "--json", path)
    assert (status, err) == (0, "")
    (s,) = json_lines(out)
    assert s["kind"] == "batch"
    assert s["valid"] is True
    got = {k: s[k] for k in ("lines", "succeeded", "failed")}
    assert got == {k: getattr(totals, k) for k in got}
    assert {k: s[k] for k in TOKENS} == batch_totals(list(batchgen.lines(3000)))
    assert s["models"] == totals.models
    assert s["finish_reasons"] == totals.finish_reasons
    assert [(e["code"], e["count"]) for e in s["errors"]] == sorted(
        totals.errors.items(), key=lambda kv: -kv[1]
    )
    assert s["errors"][0]["message"].startswith("Invalid 'messages[0].content'")
    assert s["invalid"] == 0


def test_summarize_batch_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.jsonl"
    totals = batchgen.write(path, 1000)
    expected = batch_totals(list(batchgen.lines(1000)))
    status, out, _ = call(capsys, "summarize", path)
    assert status == 0
    assert out.startswith(f"{path}: batch output, 1,000 lines\n")
    assert f"succeeded:      {totals.succeeded:,}\n" in out
    assert f"failed:         {totals.failed:,}\n" in out
    assert f"{expected['prompt_tokens']:,} prompt ({expected['cached_tokens']:,} cached)" in out
    assert "top errors:     27 x string_above_max_length: Invalid" in out
    assert "x batch_expired: This request could not be executed" in out


@pytest.mark.slow
def test_summarize_batch_of_20000_real_bodies_exactly(tmp_path: Path) -> None:
    path = tmp_path / "20k.jsonl"
    totals = batchgen.write(path, 20000)
    proc = run("--json", path)
    assert proc.returncode == 0
    (s,) = json_lines(proc.stdout)
    assert {k: s[k] for k in ("lines", "succeeded", "failed")} == {
        "lines": totals.lines, "succeeded": totals.succeeded, "failed": totals.failed}
    assert {k: s[k] for k in TOKENS} == batch_totals(list(batchgen.lines(20000)))
    assert totals.prompt_tokens > 10_000_000  # the real bodies' counts, summed


def test_summarize_batch_with_other_bodies(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # an embeddings result counts as succeeded, not as a chat completion
    line = {"custom_id": "e", "response": {"status_code": 200, "body": {"object": "list"}}}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(line).encode())))
    status, out, _ = call(capsys, "--json", "-")
    (s,) = json_lines(out)
    assert status == 0
    assert (s["file"], s["lines"], s["succeeded"], s["other_bodies"]) == ("<stdin>", 1, 1, 1)
    assert s["prompt_tokens"] is None  # no usage anywhere: absent, not 0


def test_summarize_several_files_keeps_going(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, TOOL_CALLS, "missing.json", INVALID, REASONING)
    assert status == 2  # the worst: an unreadable file
    assert out.count("\n\n") == 2  # three summaries
    assert "chatcompletion: error: cannot read missing.json: No such file or directory" in err
    assert f"{INVALID}: chat completion - INVALID" in out
    assert "magistral-medium-2507" in out  # read leniently: what fits is summarized
    assert f"{INVALID}: $.choices[0].message.content: Expected `str`, got `array`" in err


def test_an_api_error_body_is_labelled_as_one(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "e.json"
    path.write_text(json.dumps({"error": {"message": "Rate limit reached for gpt-4o-mini",
                                          "type": "requests", "code": "rate_limit_exceeded"}}))
    status, out, err = call(capsys, path)
    assert status == 1
    assert out.startswith(f"{path}: API error - INVALID\n")
    assert "server error:   rate_limit_exceeded: Rate limit reached for gpt-4o-mini" in out
    assert "chat completion" not in out
    assert "The server sent an API error, not a chat completion: Rate limit reached" in err
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    assert out.splitlines() == [
        (f"{path}: $: The server sent an API error, not a chat completion: Rate limit reached "
        "for gpt-4o-mini"),
        f"{path}: $: Object missing required field `choices`",
    ]


# -- validate --


def test_validate_everything_real(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    batch = tmp_path / "ok.jsonl"
    batchgen.write(batch, 500)
    valid = [p for p in STREAMS if p != ERROR_STREAM]
    status, out, err = call(capsys, "validate", *RESPONSES, *valid, batch)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == len(RESPONSES) + len(valid) + 1
    assert lines[0] == f"{RESPONSES[0]}: ok (chat completion)"
    assert f"{REASONING}: ok (stream, 220 chunks)" in lines
    assert lines[-1] == f"{batch}: ok (batch output, 500 lines)"
    assert call(capsys, "validate", "--quiet", *RESPONSES, batch) == (0, "", "")


def test_validate_invalid_response() -> None:
    proc = run("validate", INVALID)
    assert proc.returncode == 1
    assert proc.stdout == (
        f"{INVALID}: $.choices[0].message.content: "
        "Expected `str`, got `array` (<array of 2 items>)\n"
    )


def test_validate_lists_every_misfit_not_only_the_first(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    d = json.loads(TOOL_CALLS.read_bytes())
    d["created"] = 1.5  # SambaNova's float
    d["choices"][0]["message"]["content"] = 5
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d))
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    assert out.splitlines() == [
        f"{path}: $.choices[0].message.content: Expected `str`, got `int` (5)",
        f"{path}: $.created: Expected `int`, got `float` (1.5)",
    ]


def test_validate_spec_lists_what_the_openai_schema_requires(
    capsys: pytest.CaptureFixture[str]
) -> None:
    glm = DATA / "responses" / "huggingface_router_zai_glm46_no_object_tool_call.json"
    status, out, _ = call(capsys, "validate", glm)
    assert (status, out) == (0, f"{glm}: ok (chat completion)\n")
    status, out, _ = call(capsys, "validate", "--spec", glm)
    assert status == 1
    lines = out.splitlines()
    assert f"{glm}: $: Object missing field `object`, which the OpenAI schema requires" in lines
    assert (f"{glm}: $.choices[0].message: Object missing field `refusal`, which the OpenAI "
            "schema requires") in lines
    status, out, _ = call(capsys, "validate", "--spec", "--json", glm)
    (s,) = json_lines(out)
    assert s["problem_count"] == len(lines)
    conformant = cc.build_response("m", "hi", usage=(1, 2)).to_json()
    assert conformant  # built in code: nothing missing
    path = glm.parent.parent / "built.json"
    try:
        path.write_text(conformant)
        assert call(capsys, "validate", "--spec", path)[0] == 0
    finally:
        path.unlink()


def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(capsys, "validate", "--json", TOOL_CALLS, INVALID)
    assert status == 1
    ok, bad = json_lines(out)
    assert (ok["valid"], ok["problems"]) == (True, [])
    assert bad["problems"] == [{"line": None, "event": None,
                                "path": "$.choices[0].message.content",
                                "message": "Expected `str`, got `array` (<array of 2 items>)"}]


def test_validate_error_stream(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(capsys, "validate", ERROR_STREAM)
    assert status == 1
    assert out.startswith(f"{ERROR_STREAM}: event 95: The server sent an error: ")


def test_validate_bad_chunk_names_event_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (DATA / "streams" / "openai_tool_call_include_usage.sse").read_text("utf-8")
    events = body.split("\n\n")
    events[2] = events[2].replace('"index":0', '"index":"0"', 1)
    path = tmp_path / "bad.sse"
    path.write_text("\n\n".join(events), encoding="utf-8")
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    assert out.startswith(f"{path}: event 3: $.choices[0].index: Expected `int`, got `str`")


def test_validate_batch_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps(line).encode() for line in batchgen.lines(40)]
    lines[4] = json.dumps(batchgen.success(4, json.loads(INVALID.read_bytes()))).encode()
    lines[9] = b'{"custom_id": "caf\xe9"}'  # Latin-1, not UTF-8
    lines[14] = b"[1, 2]"
    lines[-1] = lines[-1][:-30]  # cut short
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n\r\n")
    status, out, err = call(capsys, "validate", path)
    assert (status, err) == (1, "")
    *found, last = out.splitlines()
    content = "$.response.body.choices[0].message.content"
    assert found == [
        f"{path}:5: {content}: Expected `str`, got `array` (<array of 2 items>)",
        f"{path}:10: $: JSON text is not valid UTF-8 (byte 18)",
        f"{path}:15: $: Expected `object`, got `array` (<array of 2 items>)",
    ]
    assert last.startswith(f"{path}:40: $: Invalid JSON: ")  # the CR is inside the cut string
    status, out, err = call(capsys, "--json", path)  # the summary counts the rest
    (s,) = json_lines(out)
    assert status == 1
    assert (s["lines"], s["invalid"], s["problem_count"]) == (40, 4, 4)
    assert s["succeeded"] + s["failed"] == 37  # line 5 was read leniently, and counted
    assert [(p["line"], p["path"]) for p in s["problems"]] == [
        (5, "$.response.body.choices[0].message.content"), (10, "$"), (15, "$"), (40, "$"),
    ]


def test_ten_problems_then_a_count_and_all_of_them_with_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n' * 25, encoding="utf-8")
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 11
    assert lines[0] == f"{path}:1: $: Object missing required field `custom_id`"
    assert lines[-1] == f"{path}: ... and 15 more problems (--all shows them all)"
    status, out, _ = call(capsys, "validate", "--all", path)
    lines = out.splitlines()
    assert len(lines) == 25
    assert lines[-1] == f"{path}:25: $: Object missing required field `custom_id`"
    _, out, _ = call(capsys, "--json", "--all", path)
    assert len(json_lines(out)[0]["problems"]) == 25


def test_validate_non_utf8_response(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(TOOL_CALLS.read_bytes().replace(b"get_weather", b"g\xe9t_weather"))
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    assert out.startswith(f"{path}: $: JSON text is not valid UTF-8 (byte ")


# -- assemble --


@pytest.mark.parametrize("path", [p for p in STREAMS if p != ERROR_STREAM], ids=lambda p: p.name)
def test_assemble(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    status, out, err = call(capsys, "assemble", path)
    assert (status, err) == (0, "")
    expected = cc.accumulate(cc.iter_chunks([path.read_bytes()]))
    assert json.loads(out) == expected.to_dict()
    assert cc.CreateChatCompletionResponse.from_json(out) == expected


def test_assemble_subprocess_from_stdin() -> None:
    proc = run("assemble", "-", input=REASONING.read_bytes())
    assert proc.returncode == 0
    response = cc.CreateChatCompletionResponse.from_json(proc.stdout)
    assert response.model == "deepseek-reasoner"
    assert response.choices[0].message is not None
    assert response.choices[0].message.reasoning_text


def test_assemble_refuses_other_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, "assemble", TOOL_CALLS)
    assert (status, out) == (2, "")
    assert err == f"chatcompletion: error: {TOOL_CALLS} is a chat completion, not a stream\n"


def test_assemble_prints_the_partial_answer_of_an_error_stream(
    capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = call(capsys, "assemble", ERROR_STREAM)
    assert status == 1
    partial = cc.CreateChatCompletionResponse.from_json(out)
    assert partial.choices[0].message is not None
    assert partial.choices[0].message.reasoning_text  # what came before the error
    assert partial.choices[0].finish_reason is None
    assert "event 95: The server sent an error" in err


def test_assemble_prints_the_partial_answer_of_a_cut_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = call(capsys, "assemble", _cut(tmp_path))
    assert status == 1
    assert json.loads(out)["choices"][0]["message"]["tool_calls"]
    assert "cut off?" in err


# -- telling the kind --


def _kind(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> Dict[str, Any]:
    _, out, _ = call(capsys, "--json", *options, path)
    (summary,) = json_lines(out)
    return summary


def test_kind_from_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(TOOL_CALLS.read_bytes())
    compact = tmp_path / "compact.txt"
    compact.write_text("\n\n" + json.dumps(d) + "\n\n", encoding="utf-8")
    assert _kind(capsys, compact)["kind"] == "response"
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(batchgen.success(0, d)) + "\n", encoding="utf-8")
    assert _kind(capsys, one)["kind"] == "batch"
    cut = tmp_path / "cut.jsonl"  # a batch file whose first line is cut short
    cut.write_text(json.dumps(batchgen.success(0, d))[:80], encoding="utf-8")
    assert _kind(capsys, cut)["problems"][0]["line"] == 1
    lines = tmp_path / "responses.jsonl"  # JSON lines of responses: not batch lines
    lines.write_text(json.dumps(d) + "\n" + json.dumps(d) + "\n", encoding="utf-8")
    s = _kind(capsys, lines)
    assert (s["kind"], s["invalid"]) == ("batch", 2)
    assert s["problems"][0]["message"] == "Object missing required field `custom_id`"
    comment = tmp_path / "comment"
    comment.write_bytes(b": OPENROUTER PROCESSING\n\n" + REASONING.read_bytes())
    assert _kind(capsys, comment)["chunks"] == 220
    bom = tmp_path / "bom.sse"
    bom.write_bytes(b"\xef\xbb\xbf" + REASONING.read_bytes())
    assert _kind(capsys, bom)["chunks"] == 220
    forced = _kind(capsys, compact, "--kind", "batch")["problems"]
    assert [(p["line"], p["message"]) for p in forced] == [
        (1, "Blank line before the end of the input"),
        (3, "Object missing required field `custom_id`"),
    ]


def test_empty_and_unrecognized_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"\n  \n")
    status, out, _ = call(capsys, "validate", empty)
    assert status == 1
    assert out == f"{empty}: Empty input: expected a response, a stream or a batch file\n"
    status, out, _ = call(capsys, "--json", empty)
    assert (status, json_lines(out)[0]["kind"]) == (1, "empty")
    done = tmp_path / "done.sse"
    done.write_bytes(b": keep-alive\n\ndata: [DONE]\n\n")
    status, out, _ = call(capsys, "validate", done)
    assert status == 1
    assert out == f"{done}: No chunks: the stream has no `data:` event with a chunk\n"
    html = tmp_path / "page.html"
    html.write_bytes(b"<html>502 Bad Gateway</html>\n")
    status, out, _ = call(capsys, "validate", html)
    assert status == 1
    assert out.startswith(f"{html}: $: Invalid JSON: Expecting value")


# -- hostile files: bounded memory, escaped output --


def test_terminal_escapes_from_files_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    esc = "\x1b]0;owned\x07\x1b[2J"
    d = json.loads(TOOL_CALLS.read_bytes())
    d["model"] = "m" + esc
    d["id"] = "id" + esc
    d["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = "f" + esc
    path = tmp_path / f"name{esc[:5]}.json"
    path.write_text(json.dumps(d))
    error = tmp_path / "error.sse"
    error.write_text(json.dumps({"error": {"message": "bad" + esc}}).join(["data: ", "\n\n"]))
    for args in ([path], ["validate", path], ["validate", "--spec", path], [error],
                 ["validate", error], ["--json", path]):
        _status, out, err = call(capsys, *args)
        assert "\x1b" not in out + err, args
        assert "\x07" not in out + err, args
    _, out, _ = call(capsys, path)
    assert "m\\x1b]0;owned\\x07\\x1b[2J" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**d, "x\x1b[31m": 1, "created": "\x1b[31m"}))
    _, out, _ = call(capsys, "validate", bad)
    assert "\x1b" not in out
    assert "\\x1b[31m" in out


def test_a_megabyte_value_is_shown_shortened(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(TOOL_CALLS.read_bytes())
    d["model"] = "m" * 1_000_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(d))
    status, out, _ = call(capsys, path)
    assert status == 0
    assert len(out) < 3000
    assert "(1,000,000 chars)" in out


def test_a_line_over_the_limit_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    stream = tmp_path / "s.sse"
    stream.write_bytes(b"data: " + b"x" * 5000)
    response = tmp_path / "r.json"
    response.write_bytes(b"{\n" + b'"a": 1,\n' * 500 + b"}")
    for path in (stream, response):
        status, out, err = call(capsys, "validate", path)
        assert (status, out) == (2, "")
        what = "is larger than" if path is response else "has a line (or is) longer than"
        assert err == f"chatcompletion: error: {path} {what} 1,000 bytes\n"


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_and_a_huge_sparse_file_stay_bounded(tmp_path: Path) -> None:
    def limited() -> None:  # a reader without bound would hit this and fail with MemoryError
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    proc = run("/dev/zero", preexec_fn=limited)
    assert proc.returncode == 2
    assert proc.stderr == (
        "chatcompletion: error: /dev/zero has a line (or is) longer than 256 MiB\n")
    sparse = tmp_path / "sparse.sse"
    with open(sparse, "wb") as f:
        f.write(b"data: ")
        f.truncate(3 * 2**30)  # 3 GB, nearly all of it a hole
    proc = run("validate", sparse, preexec_fn=limited)
    assert proc.returncode == 2
    assert "longer than 256 MiB" in proc.stderr
    big = tmp_path / "sparse.json"
    with open(big, "wb") as f:
        f.write(b"{")
        f.truncate(3 * 2**30)
    proc = run(big, preexec_fn=limited)
    assert (proc.returncode, proc.stderr) == (
        2, f"chatcompletion: error: {big} has a line (or is) longer than 256 MiB\n")


# -- the process: stdin, exit statuses, usage, interruptions, progress --


def test_stdin_and_files_in_a_subprocess(tmp_path: Path) -> None:
    batch = tmp_path / "b.jsonl"
    batchgen.write(batch, 200)
    proc = run("validate", "-", batch, REASONING, input=TOOL_CALLS.read_bytes())
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "<stdin>: ok (chat completion)",
        f"{batch}: ok (batch output, 200 lines)",
        f"{REASONING}: ok (stream, 220 chunks)",
    ]
    assert proc.stderr == ""
    proc = run("-", input=REASONING.read_bytes())
    assert proc.returncode == 0
    assert proc.stdout.startswith("<stdin>: stream, 220 chunks\n")


def test_missing_file_and_directory_exit_2() -> None:
    proc = run("missing.json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "chatcompletion: error: cannot read missing.json: No such file or directory\n"
    )
    proc = run("validate", DATA)
    assert proc.returncode == 2
    assert proc.stderr == f"chatcompletion: error: cannot read {DATA}: Is a directory\n"


@pytest.mark.parametrize(
    "args",
    [["validate"], ["--bogus", "x.json"], ["validate", "--kind", "csv", "x"],
     ["assemble"], ["assemble", "a.sse", "b.sse"]],
    ids=["no file", "unknown option", "unknown kind", "assemble nothing", "two"],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: List[str]) -> None:
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert "usage:" in err
    assert "error:" in err


def test_a_mistyped_command_is_not_read_as_a_file(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = call(capsys, "valdate", TOOL_CALLS)
    assert (status, out) == (2, "")
    assert err == "chatcompletion: error: unknown command `valdate`; did you mean `validate`?\n"
    status, _, err = call(capsys, "frobnicate")
    assert status == 2
    assert "unknown command `frobnicate` (and no file of that name)" in err
    monkeypatch.chdir(tmp_path)
    (tmp_path / "recorded").write_bytes(TOOL_CALLS.read_bytes())  # a file named like a word
    assert call(capsys, "recorded")[0] == 0


def test_bad_usage_in_a_subprocess() -> None:
    proc = run("validate")
    assert proc.returncode == 2
    assert "the following arguments are required: FILE" in proc.stderr


def test_the_front_door(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys)  # no arguments: the whole tool's help, as an error
    assert (status, out) == (2, "")
    assert err.startswith("usage: chatcompletion [COMMAND] [OPTIONS] FILE...\n")
    status, out, err = call(capsys, "--help")
    assert (status, err) == (0, "")
    for command in cli.COMMANDS:
        assert f"  {command.name}  " in out
    assert "summarize" not in out.splitlines()[0]
    assert "exit status: 0 ok, 1 invalid content, 2 bad usage" in out
    status, out, _ = call(capsys, "validate", "--help")
    assert status == 0
    assert out.startswith("usage: chatcompletion validate [--spec] [--json] [--quiet]")
    assert "--spec" in out
    assert "--all" in out
    status, out, _ = call(capsys, "--version")
    assert (status, out) == (0, f"chatcompletion {cc.__version__}\n")


def test_console_script_entry_point() -> None:
    main_module = importlib.import_module(f"{cc.__name__}.__main__")
    assert main_module.main is cli.main
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'chatcompletion = "chatcompletion.__main__:main"' in pyproject


def test_keyboard_interrupt_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(inspect_, "read", interrupted)
    status, out, err = call(capsys, TOOL_CALLS)
    assert (status, out, err) == (130, "", "chatcompletion: error: interrupted\n")


def test_a_closed_pipe_is_quiet_and_not_an_invalid_verdict() -> None:
    # `chatcompletion --json ... | head -c 100`: the reader goes away early.
    args = [sys.executable, "-m", cc.__name__, "--json", *map(str, RESPONSES * 40)]
    with subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.read(100)
        proc.stdout.close()
        err = proc.stderr.read()
        status = proc.wait(timeout=120)
    assert err == b""
    assert status == cli.EXIT_BROKEN_PIPE == 141


@pytest.mark.parametrize("closed", ["0<&-", ">&-", "2>&-", ">&- 2>&-"])
def test_closed_standard_streams_give_no_traceback(closed: str, tmp_path: Path) -> None:
    err = tmp_path / "err.txt"
    for args in (str(TOOL_CALLS), "validate -", str(INVALID)):
        command = f'"{sys.executable}" -m {cc.__name__} {args} {closed}'
        if "2>&-" not in closed:
            command += f' 2>"{err}"'
        proc = subprocess.run(command, shell=True, cwd=ROOT, capture_output="2>&-" in closed,
                              timeout=120)
        assert proc.returncode in (0, 1, 2), (args, closed, proc.returncode)
        shown = err.read_text() if err.exists() else ""
        assert "Traceback" not in shown, (args, closed, shown)
        if args == "validate -" and "0<&-" in closed:
            assert proc.returncode == 2
            assert "standard input" in shown


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.jsonl"
    batchgen.write(path, 2000)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(render.Progress, "DELAY", 0.0)
    monkeypatch.setattr(render.Progress, "INTERVAL", 0.0)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a: os.terminal_size((200, 24)))
    assert cli.main(["validate", str(path)]) == 0
    shown = terminal.getvalue()
    assert f"\r{path}: 64 lines, " in shown
    assert f"\r{path}: 1,984 lines, 99%" in shown  # updated every 64 lines at most
    assert shown.count("\r") == 2000 // 64 + 2  # and erased at the end
    assert shown.endswith("\r" + " " * len(f"{path}: 1,984 lines, 99%") + "\r")
    assert capsys.readouterr().out == f"{path}: ok (batch output, 2,000 lines)\n"


def test_the_progress_line_fits_the_terminal() -> None:
    terminal = _Terminal()
    progress = render.Progress(terminal, clock=lambda: 0.0, width=80)
    long_name = "/very/long/" + "directory/" * 20 + "batch\x1b[31m.jsonl"
    progress.show(long_name, 500, 1280, 1000)
    line = terminal.getvalue()
    assert line.startswith("\r...")
    assert len(line) - 1 <= 79  # never into the last column, which would wrap
    assert line.endswith("batch\\x1b[31m.jsonl: 1,280 lines, 50%")
    assert "\x1b" not in line


def test_progress_waits_for_its_delay_by_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    now = [0.0]
    progress = render.Progress(terminal, clock=lambda: now[0], width=80)
    lines = iter([b"x\n"] * 256)
    tracked = progress.track(lines, "f", None)
    for _ in range(128):
        next(tracked)
    assert terminal.getvalue() == ""  # within the delay: nothing, however many lines
    now[0] = 1.0
    for _ in range(128):
        next(tracked)
    assert terminal.getvalue() == "\rf: 192 lines"
    monkeypatch.setattr(render.Progress, "DELAY", 0.0)
    status, _, err = call(capsys, "validate", TOOL_CALLS)  # captured stderr is no terminal
    assert (status, err) == (0, "")


def test_non_ascii_output_on_an_ascii_console(tmp_path: Path) -> None:
    d = json.loads(TOOL_CALLS.read_bytes())
    d["model"] = "mod\u00e8le-\u6a21\u578b"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", cc.__name__, path], capture_output=True, cwd=ROOT, env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"mod\\xe8le-\\u6a21\\u578b" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", cc.__name__, "--json", path], capture_output=True, cwd=ROOT,
        env=env, timeout=120,
    )
    assert json.loads(proc.stdout)["model"] == d["model"]  # JSON escapes what is not ASCII


# -- odd corners --


def test_in_process_corners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = call(capsys, "validate", tmp_path / "missing.jsonl")
    assert status == 2
    assert "cannot read" in err
    status, out, _ = call(capsys, "validate", DATA / "streams" / "mistral_small_tool_call.sse")
    assert out.endswith("(stream, 2 chunks)\n")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(batchgen.expired(1)) + "\n", encoding="utf-8")
    status, out, _ = call(capsys, "validate", one)
    assert out == f"{one}: ok (batch output, 1 line)\n"


def test_read_error_half_way(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def failing(f: Any) -> Any:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(files, "sniff", failing)
    status, _, err = call(capsys, TOOL_CALLS)
    assert status == 2
    assert err == f"chatcompletion: error: cannot read {TOOL_CALLS}: Input/output error\n"


def test_broken_pipe_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(*args: Any, **kwargs: Any) -> Any:
        raise BrokenPipeError

    monkeypatch.setattr(inspect_, "read", closed)
    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)  # no descriptor to redirect here
    assert call(capsys, TOOL_CALLS) == (141, "", "")


def test_interrupt_erases_the_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.jsonl"
    batchgen.write(path, 300)
    real_add = summary_.BatchTally.add
    seen = [0]

    def add(self: Any, line: Any) -> None:
        seen[0] += 1
        if seen[0] == 200:
            raise KeyboardInterrupt
        real_add(self, line)

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(render.Progress, "DELAY", 0.0)
    monkeypatch.setattr(summary_.BatchTally, "add", add)
    monkeypatch.setattr("shutil.get_terminal_size", lambda *a: os.terminal_size((200, 24)))
    assert cli.main([str(path)]) == 130
    shown = terminal.getvalue()
    assert shown.startswith(f"\r{path}: 64 lines, 21%\r ")
    assert shown.endswith(" \rchatcompletion: error: interrupted\n")  # erased first
    assert capsys.readouterr().out == ""


def test_progress_without_a_size(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "".join(json.dumps(line) + "\n" for line in batchgen.lines(128)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(render.Progress, "DELAY", 0.0)
    monkeypatch.setattr(render.Progress, "INTERVAL", 0.0)
    assert cli.main(["validate", "-"]) == 0
    assert terminal.getvalue() == (  # no percentage for a pipe
        "\r<stdin>: 64 lines\r<stdin>: 128 lines\r" + " " * 18 + "\r"
    )
    assert capsys.readouterr().out == "<stdin>: ok (batch output, 128 lines)\n"


def test_json_to_a_stdout_without_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["--json", str(TOOL_CALLS)]) == 0
    assert json.loads(out.getvalue())["model"] == "meta-llama/llama-4-scout-17b-16e-instruct"


def test_batch_summary_corners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = json.loads(TOOL_CALLS.read_bytes())
    lines = [
        batchgen.success(0, {**body, "created": 10**30, "model": "a"}),
        batchgen.success(1, {**body, "model": "b"}),
        batchgen.success(2, {**body, "model": "c"}),
        {"custom_id": "3", "response": {"status_code": 500, "body": "Internal Server Error"}},
        {"custom_id": "4", "response": None, "error": {"code": 7, "message": None}},
        {"custom_id": "5", "response": None, "error": {"type": "server_error"}},
        {"custom_id": "6", "response": {"status_code": 200, "body": {"object": "list"}}},
        {"custom_id": "7", "response": {"status_code": 300, "body": {"error": {
            "code": "moved", "message": "elsewhere"}}}},
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + "[]\n", "utf-8")
    monkeypatch.setattr(summary_, "MAX_KEYS", 2)
    status, out, err = call(capsys, "--json", path)
    (s,) = json_lines(out)
    assert status == 1
    assert s["models"] == {"a": 1, "b": 1, "(other)": 1}
    assert s["errors"] == [
        {"code": "(other)", "count": 2, "message": None},
        {"code": "HTTP 500", "count": 1, "message": ""},
        {"code": "error", "count": 1, "message": ""},
    ]
    assert (s["succeeded"], s["failed"], s["invalid"], s["other_bodies"]) == (4, 4, 1, 1)
    status, out, err = call(capsys, path)
    assert "invalid lines:  1\n" in out
    assert "not chat:       1 successful bodies\n" in out
    assert err == f"{path}:9: $: Expected `object`, got `array` (<array of 0 items>)\n"
    single = tmp_path / "r.json"
    single.write_text(json.dumps({**body, "created": 10**30}), "utf-8")
    assert f"created:        {10**30}\n" in call(capsys, single)[1]


def test_server_error_without_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "e.sse"
    path.write_bytes(b'event: error\ndata: "overloaded"\n\n')
    status, out, _ = call(capsys, path)
    assert status == 1
    assert "server error:   overloaded\n" in out
    path.write_bytes(b'data: {"error": {"code": 503}}\n\n')
    status, out, _ = call(capsys, path)
    assert status == 1
    assert "server error:   {'code': 503}\n" in out


def test_token_totals_too_long_to_print_are_shown_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = int("9" * 4300)
    body = {"id": "x", "object": "chat.completion", "created": 1, "model": "m", "choices": [],
            "usage": {"prompt_tokens": huge, "completion_tokens": 1, "total_tokens": 1}}
    line = {"id": "b", "custom_id": "r", "error": None,
            "response": {"status_code": 200, "request_id": "q", "body": body}}
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line) + "\n")
    code, out, err = call(capsys, str(path))
    assert (code, err) == (0, "")
    assert "-bit number> prompt" in out
    code, out, err = call(capsys, "--json", str(path))
    assert code == 0
    summary = json.loads(out)
    assert summary["prompt_tokens"].endswith("-bit number>")
    assert summary["completion_tokens"] == 2


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_failed_write_is_a_message_not_a_traceback() -> None:
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", cc.__name__, "assemble", "examples/stream.sse"],
            stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )
    assert r.returncode == 2
    assert r.stderr == "chatcompletion: error: cannot write the output: No space left on device\n"


def test_a_failed_write_in_process(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "_silence_stdout", lambda: None)  # no descriptor to redirect here
    monkeypatch.setattr(sys, "stdout", Full())
    status = cli.main([str(ROOT / "examples" / "response.json")])
    assert status == 2
    assert capsys.readouterr().err == (
        "chatcompletion: error: cannot write the output: No space left on device\n"
    )


def test_sigint_in_a_subprocess_exits_130_quietly(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", cc.__name__, str(fifo)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            # a background job ignores SIGINT, and the child would inherit it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        with open(fifo, "wb") as writer:
            writer.write(b"data: {")
            writer.flush()
            wait_until_blocked_in_a_read(proc.pid)
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == 130
    assert err == b"chatcompletion: error: interrupted\n"


def wait_until_blocked_in_a_read(pid: int) -> None:
    """Until the process sleeps in the read of a pipe (Linux's /proc says where it waits).

    A SIGINT that comes while CPython is in C code just before the read() (here, inside the
    readline that got b"data: {" and reads on) only sets a flag, and read() then blocks
    until more data comes: a Ctrl-C at that instant waits for the next byte. Waiting until
    the read is blocking makes the test about the CLI, not about that race.
    """
    wchan = Path(f"/proc/{pid}/wchan")
    if not wchan.exists() or wchan.read_text() in ("", "0"):  # pragma: no cover
        time.sleep(0.5)  # not Linux, or the kernel hides where processes wait: most likely
        return  # the read has begun by then
    for _ in range(60_000):  # a bound (a minute at least), not a timing
        if "pipe_read" in wchan.read_text():
            return
        time.sleep(0.001)
    raise AssertionError(f"the CLI never blocked in a read: {wchan.read_text()!r}")
