"""The command line: ``python -m chatcompletion`` summarize / validate / assemble."""
from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from tests import DATA, batchgen, cc, streamgen

cli = importlib.import_module(f"{cc.__name__}._cli")
# Where `python -m` finds the package under test (its top-level package's parent).
ROOT = Path(importlib.import_module(cc.__name__.split(".")[0]).__file__ or "").parent.parent

RESPONSES = sorted((DATA / "responses").glob("*.json"))
STREAMS = sorted((DATA / "streams").glob("*.sse"))
INVALID = DATA / "invalid" / "mistral_magistral_content_array.json"
TOOL_CALLS = DATA / "responses" / "groq_two_tool_calls.json"
ERROR_STREAM = DATA / "streams" / "groq_stream_tool_use_failed_error.sse"
REASONING = DATA / "streams" / "deepseek_reasoner_reasoning.sse"


def run(*args: Any, input: Optional[bytes] = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, as users run it."""
    proc = subprocess.run(
        [sys.executable, "-m", cc.__name__, *map(str, args)],
        input=input, capture_output=True, cwd=ROOT, timeout=120,
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


def expected_usage(d: Dict[str, Any]) -> Dict[str, Any]:
    """The token counts of a response dict, read without the library."""
    usage = d.get("usage")
    if usage is None:
        return dict.fromkeys(cli._TOKENS)
    return {
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "total_tokens": usage["total_tokens"],
        "cached_tokens": (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0,
        "reasoning_tokens": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens")
        or 0,
    }


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
        d["id"], d["model"], d["created"]
    )
    assert summary["choices"] == len(d["choices"])
    reasons = [c["finish_reason"] for c in d["choices"] if c.get("finish_reason") is not None]
    assert sum(summary["finish_reasons"].values()) == len(reasons)
    assert {k: summary[k] for k in cli._TOKENS} == expected_usage(d)
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
    assert "779 prompt (0 cached) + 65 completion (0 reasoning), 844 total" in out
    assert "2026-01-29 20:24:41 UTC" in out


def test_summarize_cached_and_reasoning_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    cached = DATA / "responses" / "openai_gpt4omini_cached_tokens.json"
    reasoning = DATA / "responses" / "deepseek_reasoner_reasoning.json"
    status, out, _ = call(capsys, "--json", cached, reasoning)
    assert status == 0
    first, second = json_lines(out)
    assert (first["prompt_tokens"], first["cached_tokens"]) == (10122, 9984)
    assert second["reasoning_tokens"] == 315
    assert second["reasoning_chars"] > 0


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.name)
def test_summarize_stream(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    ref = streamgen.reference(path)
    status, out, err = call(capsys, "--json", path)
    (summary,) = json_lines(out)
    assert summary["kind"] == "stream"
    assert summary["chunks"] == len(ref.chunks)
    if ref.error is None:
        assert status == 0
        assert summary["valid"] is True
        expected = cc.accumulate(cc.iter_chunks(path.read_bytes().splitlines(keepends=True)))
        assert summary["model"] == expected.model
        assert summary["choices"] == len(expected.choices)
    else:
        assert status == 1
        assert summary["valid"] is False
        assert summary["error"] == ref.error
        (problem,) = summary["problems"]
        assert f"event {ref.error_event}" in problem["message"]
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
    assert "stream, 94 chunks - INVALID" in out
    assert "server error:   tool_use_failed: Tool call validation failed" in out
    assert err.startswith(f"{ERROR_STREAM}: The server sent an error in event 95: ")


def test_summarize_batch_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.jsonl"
    totals = batchgen.write(path, 3000)
    status, out, err = call(capsys, "--json", path)
    assert (status, err) == (0, "")
    (s,) = json_lines(out)
    assert s["kind"] == "batch"
    assert s["valid"] is True
    got = {k: s[k] for k in ("lines", "succeeded", "failed", *cli._TOKENS)}
    assert got == {k: getattr(totals, k) for k in got}
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
    status, out, _ = call(capsys, "summarize", path)
    assert status == 0
    assert out.startswith(f"{path}: batch output, 1,000 lines\n")
    assert f"succeeded:      {totals.succeeded:,}\n" in out
    assert f"failed:         {totals.failed:,}\n" in out
    assert f"{totals.prompt_tokens:,} prompt ({totals.cached_tokens:,} cached)" in out
    assert "top errors:     27 x string_above_max_length: Invalid" in out
    assert "x batch_expired: This request could not be executed" in out


def test_summarize_batch_of_20000_real_bodies_exactly(tmp_path: Path) -> None:
    path = tmp_path / "20k.jsonl"
    totals = batchgen.write(path, 20000)
    proc = run("--json", path)
    assert proc.returncode == 0
    (s,) = json_lines(proc.stdout)
    got = {k: s[k] for k in ("lines", "succeeded", "failed", *cli._TOKENS)}
    assert got == {k: getattr(totals, k) for k in got}
    assert totals.prompt_tokens > 10_000_000  # the real bodies' counts, summed


def test_summarize_batch_with_other_bodies(capsys: pytest.CaptureFixture[str]) -> None:
    # an embeddings result counts as succeeded, not as a chat completion
    line = {"custom_id": "e", "response": {"status_code": 200, "body": {"object": "list"}}}
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(line).encode() + b"\n"))
    old, sys.stdin = sys.stdin, stdin
    try:
        status, out, _ = call(capsys, "--json", "-")
    finally:
        sys.stdin = old
    (s,) = json_lines(out)
    assert status == 0
    assert (s["file"], s["lines"], s["succeeded"], s["other_bodies"]) == ("<stdin>", 1, 1, 1)
    assert s["prompt_tokens"] == 0


def test_summarize_several_files_keeps_going(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, TOOL_CALLS, "missing.json", INVALID, REASONING)
    assert status == 2  # the worst: an unreadable file
    assert out.count("\n\n") == 2  # three summaries
    assert "chatcompletion: error: cannot read missing.json: No such file or directory" in err
    assert f"{INVALID}: chat completion - INVALID" in out
    assert f"{INVALID}: $.choices[0].message.content: Expected `str`, got `array`" in err


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


def test_validate_error_stream(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(capsys, "validate", ERROR_STREAM)
    assert status == 1
    assert out.startswith(f"{ERROR_STREAM}: The server sent an error in event 95: ")


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
    assert s["succeeded"] + s["failed"] == 36
    assert [(p["line"], p["path"]) for p in s["problems"]] == [
        (5, "$.response.body.choices[0].message.content"), (10, "$"), (15, "$"), (40, "$"),
    ]


def test_validate_shows_ten_problems_then_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n' * 25, encoding="utf-8")
    status, out, _ = call(capsys, "validate", path)
    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 11
    assert lines[0] == f"{path}:1: $: Object missing required field `custom_id`"
    assert lines[-1] == f"{path}: ... and 15 more problems"


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


def test_assemble_error_stream(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = call(capsys, "assemble", ERROR_STREAM)
    assert (status, out) == (1, "")
    assert "The server sent an error in event 95" in err


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
    [[], ["validate"], ["--bogus", "x.json"], ["validate", "--kind", "csv", "x"],
     ["assemble"], ["assemble", "a.sse", "b.sse"]],
    ids=["nothing", "no file", "unknown option", "unknown kind", "assemble nothing", "two"],
)
def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: List[str]) -> None:
    status, out, err = call(capsys, *args)
    assert (status, out) == (2, "")
    assert "usage:" in err
    assert "error:" in err


def test_bad_usage_in_a_subprocess() -> None:
    proc = run("validate")
    assert proc.returncode == 2
    assert "the following arguments are required: FILE" in proc.stderr


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = call(capsys, "--help")
    assert status == 0
    assert out.startswith("usage: chatcompletion [summarize] [--json] [--kind KIND] FILE...\n")
    for command in ("summarize", "validate", "assemble"):
        assert f"  {command}  " in out
    status, out, _ = call(capsys, "validate", "--help")
    assert status == 0
    assert "--quiet" in out
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

    monkeypatch.setattr(cli, "read", interrupted)
    status, out, err = call(capsys, TOOL_CALLS)
    assert (status, out, err) == (130, "", "chatcompletion: interrupted\n")


def test_closed_pipe_is_quiet() -> None:
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
    assert status == 1


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
    monkeypatch.setattr(cli.Progress, "DELAY", 0.0)
    monkeypatch.setattr(cli.Progress, "INTERVAL", 0.0)
    assert cli.main(["validate", str(path)]) == 0
    shown = terminal.getvalue()
    assert f"\r{path}: 64 lines, " in shown
    assert f"\r{path}: 1,984 lines, 99%" in shown  # updated every 64 lines at most
    assert shown.count("\r") == 2000 // 64 + 2  # and erased at the end
    assert shown.endswith("\r" + " " * len(f"{path}: 1,984 lines, 99%") + "\r")
    assert capsys.readouterr().out == f"{path}: ok (batch output, 2,000 lines)\n"


def test_progress_waits_and_stays_off_without_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.jsonl"
    batchgen.write(path, 500)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["validate", str(path)]) == 0  # quicker than the delay: nothing shown
    assert terminal.getvalue() == ""
    monkeypatch.undo()
    monkeypatch.setattr(cli.Progress, "DELAY", 0.0)
    status, _, err = call(capsys, "validate", path)  # captured stderr is no terminal
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
    assert json.loads(proc.stdout)["model"] == d["model"]  # JSON is UTF-8 regardless


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

    monkeypatch.setattr(cli, "sniff", failing)
    status, _, err = call(capsys, TOOL_CALLS)
    assert status == 2
    assert err == f"chatcompletion: error: cannot read {TOOL_CALLS}: Input/output error\n"


def test_broken_pipe_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(*args: Any, **kwargs: Any) -> Any:
        raise BrokenPipeError

    monkeypatch.setattr(cli, "read", closed)
    assert call(capsys, TOOL_CALLS) == (1, "", "")


def test_interrupt_erases_the_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.jsonl"
    batchgen.write(path, 300)
    real_add = cli.BatchTally.add

    def add(self: Any, line: Any) -> None:
        if self.valid == 200:
            raise KeyboardInterrupt
        real_add(self, line)

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli.Progress, "DELAY", 0.0)
    monkeypatch.setattr(cli.BatchTally, "add", add)
    assert cli.main([str(path)]) == 130
    shown = terminal.getvalue()
    assert shown.startswith(f"\r{path}: 64 lines, 21%\r ")
    assert shown.endswith(" \rchatcompletion: interrupted\n")  # erased first
    assert capsys.readouterr().out == ""


def test_progress_without_a_size(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "".join(json.dumps(line) + "\n" for line in batchgen.lines(128)).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(cli.Progress, "DELAY", 0.0)
    monkeypatch.setattr(cli.Progress, "INTERVAL", 0.0)
    assert cli.main(["validate", "-"]) == 0
    assert terminal.getvalue() == (  # no percentage for a pipe
        "\r<stdin>: 64 lines\r<stdin>: 128 lines\r" + " " * 18 + "\r"
    )
    assert capsys.readouterr().out == "<stdin>: ok (batch output, 128 lines)\n"


def test_json_to_a_stdout_without_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli.main(["--json", str(TOOL_CALLS)]) == 0
    assert json.loads(out.getvalue())["model"] == "meta-llama/llama-4-scout-17b-16e-instruct"


def test_accumulated_response_that_is_invalid(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def invalid(self: Any) -> Any:
        raise cc.ValidationError("Object missing required field `id`", path="$.choices[0]")

    accumulate = importlib.import_module(f"{cc.__name__}._accumulate")
    monkeypatch.setattr(accumulate.ChatCompletionAccumulator, "result", invalid)
    status, out, _ = call(capsys, "validate", REASONING)
    assert status == 1
    assert out == f"{REASONING}: $.choices[0]: Object missing required field `id`\n"


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
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines) + "[]\n", "utf-8")
    monkeypatch.setattr(cli, "_MAX_KEYS", 2)
    status, out, err = call(capsys, "--json", path)
    (s,) = json_lines(out)
    assert status == 1
    assert s["models"] == {"a": 1, "b": 1, "(other)": 1}
    assert s["errors"] == [
        {"code": "HTTP 500", "count": 1, "message": ""},
        {"code": "error", "count": 1, "message": ""},
        {"code": "(other)", "count": 1, "message": None},
    ]
    assert (s["succeeded"], s["failed"], s["invalid"], s["other_bodies"]) == (4, 3, 1, 1)
    status, out, err = call(capsys, path)
    assert "invalid lines:  1\n" in out
    assert "not chat:       1 successful bodies\n" in out
    assert err == f"{path}:8: $: Expected `object`, got `array` (<array of 0 items>)\n"
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
