"""``chatcompletion serve``: the replay server, over urllib, the official client and the CLI.

Servers run in this process on port 0 and are always stopped by the ``server`` fixture
(``shutdown()`` and ``server_close()``, which also ends open connections). No test looks at
the clock: a delayed stream is checked for its content, never for its duration.
"""
from __future__ import annotations

import http.client
import importlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

import pytest

from tests import DATA, cc

serve_mod = importlib.import_module(f"{cc.__name__}._serve")
cli = importlib.import_module(f"{cc.__name__}._cli")
ROOT = Path(importlib.import_module(cc.__name__.split(".")[0]).__file__ or "").parent.parent

RESPONSES = sorted((DATA / "responses").glob("*.json"))
STREAMS = sorted(p for p in (DATA / "streams").glob("*.sse") if "error" not in p.name)
ERROR_STREAM = DATA / "streams" / "groq_stream_tool_use_failed_error.sse"
TEXT = DATA / "responses" / "openai_gpt41nano_text.json"
TOOLS = DATA / "responses" / "groq_two_tool_calls.json"
USAGE_STREAM = DATA / "streams" / "openai_tool_call_include_usage.sse"
INVALID = DATA / "invalid" / "mistral_magistral_content_array.json"
CHAT = {"model": "any", "messages": [{"role": "user", "content": "Hi"}]}

Start = Callable[..., str]


def test_fixtures_found() -> None:
    assert len(RESPONSES) > 20
    assert len(STREAMS) > 10


def recorded(path: Path) -> Dict[str, Any]:
    """What a recording should be served as: a file's dict, a stream's assembled response."""
    if path.suffix == ".sse":
        with path.open("rb") as f:
            return cc.accumulate(cc.iter_chunks(f)).to_dict()  # type: ignore[no-any-return]
    return json.loads(path.read_bytes())  # type: ignore[no-any-return]


@pytest.fixture
def server() -> Iterator[Start]:
    """``start(*sources, faults=..., delay=..., log=...)`` -> a running server's base URL."""
    running: List[Tuple[Any, threading.Thread]] = []

    def start(*sources: Any, faults: Tuple[str, ...] = (), delay: float = 0.0,
              log: Any = None) -> str:
        srv = serve_mod.make_server(sources, port=0, faults=faults, delay=delay, log=log)
        thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01})
        thread.start()
        running.append((srv, thread))
        return str(srv.url)

    yield start
    for srv, thread in running:
        srv.shutdown()
        srv.server_close()
        thread.join()


class Reply(NamedTuple):
    status: int
    headers: Dict[str, str]
    body: bytes
    cut: bool  # the body ended before its end (http.client.IncompleteRead)


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy


def fetch(url: str, body: Any = None, *, raw: Optional[bytes] = None,
          method: Optional[str] = None) -> Reply:
    data = raw if raw is not None else None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        response = _OPENER.open(request, timeout=30)
    except urllib.error.HTTPError as e:
        with e:
            return Reply(e.code, dict(e.headers), e.read(), False)
    with response:
        try:
            return Reply(response.status, dict(response.headers), response.read(), False)
        except http.client.IncompleteRead as e:
            return Reply(response.status, dict(response.headers), e.partial, True)


def chat(url: str, **fields: Any) -> Reply:
    return fetch(url + "/chat/completions", {**CHAT, **fields})


def error_of(reply: Reply) -> Dict[str, Any]:
    """The OpenAI-style error object of a reply (checked for its four keys)."""
    assert reply.headers["Content-Type"] == "application/json"
    body = json.loads(reply.body)
    assert list(body) == ["error"]
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]  # type: ignore[no-any-return]


def chunks_of(body: bytes) -> List[Any]:
    return list(cc.iter_chunks([body]))


# -- plain and streamed requests --


@pytest.mark.parametrize("path", RESPONSES + STREAMS, ids=lambda p: p.name)
def test_plain_answer_is_the_recording(server: Start, path: Path) -> None:
    reply = chat(server(path))
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert json.loads(reply.body) == recorded(path)


@pytest.mark.parametrize("path", RESPONSES + STREAMS, ids=lambda p: p.name)
def test_stream_assembles_to_the_recording(server: Start, path: Path) -> None:
    reply = chat(server(path), stream=True, stream_options={"include_usage": True})
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/event-stream"
    assert reply.headers["Transfer-Encoding"] == "chunked"
    assert reply.body.endswith(b"data: [DONE]\n\n")
    response = cc.CreateChatCompletionResponse.from_dict(recorded(path))
    # what to_chunks promises (a choice's missing index, `object`, indexed unknown lists)
    assert cc.accumulate(chunks_of(reply.body)) == cc.accumulate(response.to_chunks())


@pytest.mark.parametrize("path", [TEXT, TOOLS, USAGE_STREAM], ids=lambda p: p.name)
def test_stream_gives_back_exactly_the_recording(server: Start, path: Path) -> None:
    reply = chat(server(path), stream=True, stream_options={"include_usage": True})
    assert cc.accumulate(chunks_of(reply.body)).to_dict() == recorded(path)


@pytest.mark.parametrize("options", [None, {}, {"include_usage": False}, "yes"])
def test_usage_chunk_only_with_include_usage(server: Start, options: Any) -> None:
    url = server(USAGE_STREAM)
    fields = {} if options is None else {"stream_options": options}
    without = chunks_of(chat(url, stream=True, **fields).body)
    assert all(c.usage is None and c.choices for c in without)
    with_usage = chunks_of(chat(url, stream=True, stream_options={"include_usage": True}).body)
    assert with_usage[:-1] == without
    assert with_usage[-1].choices == []
    assert with_usage[-1].usage.to_dict() == recorded(USAGE_STREAM)["usage"]


def test_models(server: Start) -> None:
    reply = fetch(server(TEXT, TOOLS, TEXT) + "/models")
    assert reply.status == 200
    body = json.loads(reply.body)
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [recorded(p)["model"] for p in (TEXT, TOOLS)]
    for m in body["data"]:
        assert set(m) == {"id", "object", "created", "owned_by"}
        assert m["object"] == "model"
        assert type(m["created"]) is int


def test_round_robin_over_files_and_a_stream(server: Start) -> None:
    files = [TEXT, USAGE_STREAM, TOOLS]
    url = server(*files)
    got = [json.loads(chat(url).body) for _ in range(4)]
    assert got == [recorded(p) for p in [*files, files[0]]]


def test_responses_built_in_code(server: Start) -> None:
    response = cc.CreateChatCompletionResponse.from_dict(recorded(TEXT))
    assert json.loads(chat(server(response)).body) == recorded(TEXT)


def test_keep_alive_over_one_connection(server: Start) -> None:
    host, port = server(TEXT).split("/")[2].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for body in (b"{", json.dumps(CHAT).encode(), json.dumps({**CHAT, "stream": True})):
            conn.request("POST", "/v1/chat/completions", body=body)
            response = conn.getresponse()
            response.read()
            assert not response.will_close
    finally:
        conn.close()


# -- faults --


def test_truncate_stream_is_cut_before_its_finish(server: Start) -> None:
    reply = chat(server(TOOLS, faults=("truncate",)), stream=True)
    assert reply.cut  # no last chunk of the chunked encoding
    assert b"[DONE]" not in reply.body
    acc = cc.ChatCompletionAccumulator()
    for chunk in chunks_of(reply.body):
        acc.add(chunk)
    assert not acc.finished
    assert acc.result().choices[0].finish_reason is None
    assert acc.result().choices[0].message.tool_calls[-1].function.arguments == (
        recorded(TOOLS)["choices"][0]["message"]["tool_calls"][-1]["function"]["arguments"])


def test_truncate_plain_body_is_cut_short(server: Start) -> None:
    reply = chat(server(TEXT, faults=("truncate",)))
    assert reply.cut
    whole = json.dumps(recorded(TEXT), separators=(",", ":")).encode()
    assert int(reply.headers["Content-Length"]) == len(whole)
    assert 0 < len(reply.body) < len(whole)


def test_error_event_mid_stream(server: Start) -> None:
    reply = chat(server(TOOLS, faults=("error-event",)), stream=True)
    assert not reply.cut
    assert b"[DONE]" not in reply.body
    got = []
    with pytest.raises(cc.StreamError) as e:
        got.extend(cc.iter_chunks([reply.body]))
    assert e.value.error["type"] == "server_error"
    assert "error-event" in e.value.message
    assert got  # the chunks before it arrived
    assert all(c.finish_reason is None for chunk in got for c in chunk.choices)


def test_error_event_leaves_plain_answers_alone(server: Start) -> None:
    assert json.loads(chat(server(TEXT, faults=("error-event",))).body) == recorded(TEXT)


@pytest.mark.parametrize("stream", [False, True])
def test_http_429(server: Start, stream: bool) -> None:
    reply = chat(server(TEXT, faults=("http-429",)), stream=stream)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "1"
    assert error_of(reply)["code"] == "rate_limit_exceeded"


@pytest.mark.parametrize("stream", [False, True])
def test_http_500(server: Start, stream: bool) -> None:
    reply = chat(server(TEXT, faults=("http-500",)), stream=stream)
    assert reply.status == 500
    assert error_of(reply)["type"] == "server_error"


def test_faults_take_turns(server: Start) -> None:
    url = server(TEXT, TOOLS, faults=("http-429", "none", "truncate"))
    replies = [chat(url) for _ in range(6)]
    assert [r.status for r in replies] == [429, 200, 200, 429, 200, 200]
    assert [r.cut for r in replies] == [False, False, True, False, False, True]
    # an HTTP error takes no recording's turn: TEXT, TOOLS (cut), TEXT, TOOLS (cut)
    assert json.loads(replies[1].body) == json.loads(replies[4].body) == recorded(TEXT)
    tools = serve_mod.load(str(TOOLS)).to_json().encode()
    assert tools.startswith(replies[2].body)
    assert tools.startswith(replies[5].body)


def test_delay_still_sends_every_chunk(server: Start) -> None:
    reply = chat(server(TOOLS, delay=0.001), stream=True, stream_options={"include_usage": True})
    assert cc.accumulate(chunks_of(reply.body)).to_dict() == recorded(TOOLS)


def test_stopping_ends_a_delayed_stream_and_idle_connections() -> None:
    srv = serve_mod.make_server([TOOLS], delay=600)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    host, port = srv.server_address[:2]
    idle = socket.create_connection((host, port))
    conn = http.client.HTTPConnection(host, port, timeout=30)
    closer = threading.Thread(target=srv.server_close)
    try:
        conn.request("POST", "/v1/chat/completions", body=json.dumps({**CHAT, "stream": True}))
        response = conn.getresponse()
        assert response.status == 200
        response.read(1)  # the first event came; the next one waits 600 s
        srv.shutdown()
        closer.start()
        closer.join(timeout=20)  # only a broken stop takes long
        assert not closer.is_alive()
        with pytest.raises(http.client.IncompleteRead):
            response.read()
    finally:
        idle.close()
        conn.close()
        if not closer.is_alive() and closer.ident is None:  # failed before the stop
            srv.shutdown()
            srv.server_close()
        thread.join()


# -- bad requests --


@pytest.mark.parametrize(("raw", "param"), [
    (b"{not json", None),
    (b"\xff\xfe", None),
    (b"[1, 2]", None),
    (b"", None),
    (b'{"model": "m"}', "messages"),
    (b'{"model": "m", "messages": "Hi"}', "messages"),
    (b'{"model": "m", "messages": {"role": "user"}}', "messages"),
])
def test_bad_request_is_400(server: Start, raw: bytes, param: Optional[str]) -> None:
    reply = fetch(server(TEXT) + "/chat/completions", raw=raw)
    assert reply.status == 400
    error = error_of(reply)
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param


def test_bad_request_takes_no_turn(server: Start) -> None:
    url = server(TEXT, TOOLS)
    assert fetch(url + "/chat/completions", raw=b"{").status == 400
    assert json.loads(chat(url).body) == recorded(TEXT)


def test_oversized_body_is_413(server: Start) -> None:
    raw = b'{"messages": [], "x": "' + b"a" * serve_mod.MAX_BODY + b'"}'
    reply = fetch(server(TEXT) + "/chat/completions", raw=raw)
    assert reply.status == 413
    assert error_of(reply)["code"] == "request_too_large"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/v1/nothing", 404),
    ("POST", "/v1/completions", 404),
    ("GET", "/", 404),
    ("GET", "/v1/../tests/data/responses/groq_two_tool_calls.json", 404),
    ("GET", "/examples/response.json", 404),
    ("GET", "/v1/chat/completions", 405),
    ("PUT", "/v1/chat/completions", 405),
    ("POST", "/v1/models", 405),
    ("DELETE", "/v1/models", 405),
])
def test_unknown_paths_and_wrong_methods(server: Start, method: str, path: str,
                                         status: int) -> None:
    base = server(TEXT)
    reply = fetch(base.rsplit("/v1", 1)[0] + path, {} if method != "GET" else None,
                  method=method)
    assert reply.status == status
    error_of(reply)
    if status == 405:
        assert reply.headers["Allow"] in ("GET", "POST")


def _raw_exchange(url: str, request: bytes) -> bytes:
    host, port = url.split("/")[2].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        received = b""
        while True:
            piece = s.recv(65536)
            if not piece:
                return received
            received += piece


@pytest.mark.parametrize(("request_bytes", "status"), [
    (b"FOO /v1/models HTTP/1.1\r\n\r\n", b"501"),
    (b"garbage\r\n\r\n", b"400"),
    (b"GET /v1/models HTTP/2.0\r\n\r\n", b"505"),
    (b"GET /v1/models HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", b"431"),
    (b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -1\r\n\r\n", b"400"),
    (b"POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     b"411"),
])
def test_protocol_errors_are_json_and_close(server: Start, request_bytes: bytes,
                                            status: bytes) -> None:
    received = _raw_exchange(server(TEXT), request_bytes)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == status
    assert b"Connection: close" in head
    assert set(json.loads(body)["error"]) == {"message", "type", "param", "code"}


def test_http_10_stream_is_sent_without_chunked_encoding(server: Start) -> None:
    body = json.dumps({**CHAT, "stream": True, "stream_options": {"include_usage": True}}).encode()
    received = _raw_exchange(server(TEXT), b"POST /v1/chat/completions HTTP/1.0\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    head, _, events = received.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding" not in head
    assert cc.accumulate(chunks_of(events)).to_dict() == recorded(TEXT)


def test_log_lines_are_escaped(server: Start, capsys: pytest.CaptureFixture[str]) -> None:
    url = server(TEXT, log=serve_mod.log)  # on stderr, as the CLI logs
    fetch(url + "/chat/completions", raw=b"{")
    _raw_exchange(url, b"GET /\x1b[31m\x7f HTTP/1.1\r\nConnection: close\r\n\r\n")
    chat(url, stream=True)
    err = capsys.readouterr().err
    assert "POST /v1/chat/completions 400\n" in err
    assert "POST /v1/chat/completions 200 stream\n" in err
    assert "\x1b" not in err
    assert "\x7f" not in err
    assert "Traceback" not in err


def test_in_process_server_is_quiet_unless_given_a_log(capsys: pytest.CaptureFixture[str]) -> None:
    lines: List[str] = []
    for log in (None, lines.append):
        srv = serve_mod.make_server([TEXT], log=log)
        thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01})
        thread.start()
        try:
            chat(srv.url)
        finally:
            srv.shutdown()
            srv.server_close()
            thread.join()
    assert capsys.readouterr().err == ""
    assert lines == ["POST /v1/chat/completions 200"]


def test_client_going_away_logs_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    srv = serve_mod.make_server([TOOLS], delay=0.001, log=serve_mod.log)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        for _ in range(3):
            host, port = srv.server_address[:2]
            conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("POST", "/v1/chat/completions", json.dumps({**CHAT, "stream": True}))
            conn.getresponse().read(1)
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()  # a reset, not a clean close
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()
    assert "Traceback" not in capsys.readouterr().err


def test_short_oversized_body_is_413(server: Start) -> None:
    """A client that announces a huge body and sends less still gets its 413."""
    url = server(TEXT)
    host, port = url.split("/")[2].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: %d\r\n\r\n{"
                  % (serve_mod.MAX_BODY + 1))
        s.shutdown(socket.SHUT_WR)
        assert s.makefile("rb").readline().split(b" ")[1] == b"413"


def test_head_gets_no_body(server: Start) -> None:
    host, port = server(TEXT).split("/")[2].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("HEAD", "/v1/models")
        response = conn.getresponse()
        assert response.status == 405
        assert response.read() == b""
    finally:
        conn.close()


def test_ipv6(server: Start) -> None:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:  # pragma: no cover - a machine without IPv6
        pytest.skip("no IPv6 loopback")
    srv = serve_mod.make_server([TEXT], host="::1")
    try:
        assert srv.url == f"http://[::1]:{srv.server_address[1]}/v1"
    finally:
        srv.server_close()


def test_silent_client_is_timed_out(monkeypatch: pytest.MonkeyPatch, server: Start,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(serve_mod._Handler, "timeout", 0.05)
    # the server closes the connection:
    assert _raw_exchange(server(TEXT, log=serve_mod.log), b"") == b""
    assert "Request timed out" in capsys.readouterr().err


def test_log_without_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    serve_mod.log("nowhere to go")


def test_make_server_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no recordings"):
        serve_mod.make_server([])
    with pytest.raises(ValueError, match="unknown fault"):
        serve_mod.make_server([TEXT], faults=["slow"])
    with pytest.raises(cc.ValidationError, match="content"):
        serve_mod.make_server([INVALID])


# -- the official client --


@pytest.fixture
def client_for() -> Iterator[Callable[[str], Any]]:
    openai = pytest.importorskip("openai")
    clients: List[Any] = []

    def make(url: str) -> Any:
        http_client = openai.DefaultHttpxClient(trust_env=False)  # never a proxy
        clients.append(openai.OpenAI(base_url=url, api_key="test", max_retries=0,
                                     http_client=http_client))
        return clients[-1]

    yield make
    for client in clients:
        client.close()


@pytest.mark.parametrize("path", RESPONSES + STREAMS, ids=lambda p: p.name)
def test_openai_client_plain(server: Start, client_for: Callable[[str], Any],
                             path: Path) -> None:
    client = client_for(server(path))
    completion = client.chat.completions.create(**CHAT)
    assert completion.model_dump(mode="json", exclude_unset=True) == recorded(path)
    raw = client.chat.completions.with_raw_response.create(**CHAT)
    assert json.loads(raw.http_response.content) == recorded(path)


def joined(chunks: Iterable[Any]) -> Tuple[Dict[int, Dict[str, Any]], Any]:
    """What a client joins from the official client's chunks: per choice index its content,
    tool calls (id, name, arguments) and finish_reason; and the usage."""
    choices: Dict[int, Dict[str, Any]] = {}
    usage = None
    for chunk in chunks:
        if chunk.usage is not None:
            usage = chunk.usage.model_dump(mode="json", exclude_unset=True)
        for c in chunk.choices:
            got = choices.setdefault(c.index, {"content": None, "calls": {}, "finish": None})
            if c.finish_reason is not None:
                got["finish"] = c.finish_reason
            if c.delta is None:
                continue
            if c.delta.content is not None:
                got["content"] = (got["content"] or "") + c.delta.content
            for t in c.delta.tool_calls or ():
                call = got["calls"].setdefault(t.index, [None, None, ""])
                if t.id is not None:
                    call[0] = t.id
                if t.function is not None:
                    if t.function.name is not None:
                        call[1] = t.function.name
                    call[2] += t.function.arguments or ""
    return choices, usage


@pytest.mark.parametrize("path", RESPONSES + STREAMS, ids=lambda p: p.name)
def test_openai_client_stream(server: Start, client_for: Callable[[str], Any],
                              path: Path) -> None:
    client = client_for(server(path))
    with client.chat.completions.create(**CHAT, stream=True,
                                        stream_options={"include_usage": True}) as stream:
        choices, usage = joined(stream)
    want = cc.CreateChatCompletionResponse.from_dict(recorded(path))
    assert sorted(choices) == sorted(c.index for c in want.choices)
    for expected in want.choices:
        got = choices[expected.index]
        assert got["finish"] == expected.finish_reason
        message = expected.message
        assert got["content"] == (message and message.content)
        calls = [[t.id, t.function.name, t.function.arguments]
                 for t in (message and message.tool_calls) or () if t.function]
        assert [got["calls"][k] for k in sorted(got["calls"])] == calls
    assert usage == (want.usage.to_dict() if want.usage else None)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(("fault", "error"), [
    ("http-429", "RateLimitError"), ("http-500", "InternalServerError"),
])
def test_openai_client_http_faults(server: Start, client_for: Callable[[str], Any],
                                   fault: str, error: str, stream: bool) -> None:
    import openai

    client = client_for(server(TEXT, faults=(fault,)))
    with pytest.raises(getattr(openai, error)) as e:
        client.chat.completions.create(**CHAT, stream=stream)
    assert e.value.body["type"] in ("requests", "server_error")  # the error object itself


def test_openai_client_error_event(server: Start, client_for: Callable[[str], Any]) -> None:
    import openai

    client = client_for(server(TOOLS, faults=("error-event",)))
    got = []
    stream = client.chat.completions.create(**CHAT, stream=True)  # the status is 200
    with stream, pytest.raises(openai.APIError) as e:
        got.extend(stream)
    assert type(e.value) is openai.APIError  # no subclass: no status code to go by
    assert "error-event" in e.value.message
    assert got


def test_openai_client_truncate(server: Start, client_for: Callable[[str], Any]) -> None:
    """The official client (openai 3.57) raises APIConnectionError for both cut-offs: while
    iterating a stream, and from ``create`` for a plain answer. The cause is its HTTP
    library's RemoteProtocolError ("peer closed connection without sending complete message
    body"; the library is httpx, or httpx2 in openai 3.x, so it is matched by name)."""
    import openai

    client = client_for(server(TOOLS, faults=("truncate",)))
    got = []
    stream = client.chat.completions.create(**CHAT, stream=True)  # the status is 200
    with stream, pytest.raises(openai.APIConnectionError) as e:
        got.extend(stream)
    assert type(e.value.__cause__).__name__ == "RemoteProtocolError"
    assert "incomplete chunked read" in str(e.value.__cause__)
    assert got
    assert all(c.finish_reason is None for chunk in got for c in chunk.choices)
    with pytest.raises(openai.APIConnectionError) as e:
        client.chat.completions.create(**CHAT)
    assert type(e.value.__cause__).__name__ == "RemoteProtocolError"
    assert "expected" in str(e.value.__cause__)  # "(received 427 bytes, expected 855)"


def test_openai_client_models(server: Start, client_for: Callable[[str], Any]) -> None:
    models = client_for(server(TEXT, TOOLS)).models.list()
    assert [m.id for m in models] == [recorded(TEXT)["model"], recorded(TOOLS)["model"]]


# -- the command line --


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Python then installs its own handler


def test_cli_serves_and_stops_on_sigint() -> None:
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("SIGINT cannot be sent to a process on Windows")
    proc = subprocess.Popen(
        [sys.executable, "-m", cc.__name__, "serve", str(TOOLS), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=default_sigint,  # a background job ignores SIGINT, and so would the child
    )
    try:
        lines: List[bytes] = []
        stdout = proc.stdout
        assert stdout is not None
        reader = threading.Thread(target=lambda: lines.append(stdout.readline()))
        reader.start()
        reader.join(timeout=60)
        assert lines, "no URL on stdout"
        url = lines[0].decode().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        assert not url.endswith(":0/v1")
        assert json.loads(chat(url).body) == recorded(TOOLS)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    text = err.decode()
    assert proc.returncode == 0, text
    assert out == b""  # the URL was the only line
    assert "Traceback" not in text
    assert "POST /v1/chat/completions 200" in text
    assert text.rstrip().endswith("stopped")


def run(capsys: pytest.CaptureFixture[str], *args: Any) -> Tuple[int, str, str]:
    status = cli.main(["serve", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_cli_in_process_until_interrupted(capsys: pytest.CaptureFixture[str]) -> None:
    """serve() in this process (so that coverage sees it), ended as Ctrl-C ends it: a
    KeyboardInterrupt in the main thread, sent once a request was answered."""
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:  # pragma: no cover
        pytest.skip("SIGINT is not Python's default here")
    import _thread

    seen: List[Any] = []
    err = ""
    returned = threading.Event()

    def client() -> None:
        nonlocal err
        out = ""
        try:
            while "\n" not in out and not returned.wait(0.01):  # the URL line
                captured = capsys.readouterr()
                out, err = out + captured.out, err + captured.err
            seen.append(out)
            seen.append(chat(out.splitlines()[0], stream=True))
        except BaseException as e:  # pragma: no cover - said by the asserts below
            seen.append(e)
        finally:
            if "\n" in out:  # serve_forever runs: it takes the interrupt
                _thread.interrupt_main()

    thread = threading.Thread(target=client)
    thread.start()
    try:
        status = cli.main(["serve", str(TOOLS), "--port", "0", "--delay", "0", "--fault", "none"])
    finally:
        returned.set()
        thread.join()
    err += capsys.readouterr().err
    assert status == 0
    assert len(seen) == 2, seen
    assert seen[0].startswith("http://127.0.0.1:")
    assert seen[0].count("\n") == 1  # the URL alone on stdout
    streamed = cc.accumulate(chunks_of(seen[1].body))
    assert streamed.choices == cc.CreateChatCompletionResponse.from_dict(recorded(TOOLS)).choices
    assert "recording at http://127.0.0.1:" in err
    assert "POST /v1/chat/completions 200 stream\n" in err
    assert err.endswith("stopped\n")


def test_cli_names_every_problem_count(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    bad = tmp_path / "two.json"
    bad.write_text('{"choices": [{"message": {"role": 1, "content": 2}}]}')
    status, _, err = run(capsys, bad)
    assert status == 1
    assert err.count("\n") == 1
    assert "(and 1 more problem)" in err


def test_cli_unreadable_path_exits_2(capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    status, out, err = run(capsys, tmp_path / "missing\x1b.json", TEXT)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("chatcompletion: error: cannot read ")
    assert "\x1b" not in err


def test_cli_unreadable_path_exits_2_in_a_process(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", cc.__name__, "serve", str(tmp_path)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert proc.stderr.decode().count("\n") == 1
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize(("bad", "want"), [
    (INVALID, 1), (ERROR_STREAM, 1), ("empty.json", 1), ("cut.sse", 1), ("batch.txt", 2),
])
def test_cli_invalid_path_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  bad: Any, want: int) -> None:
    """Invalid content exits 1; a batch file is no recording at all (bad usage, 2)."""
    (tmp_path / "empty.json").write_bytes(b"")
    lines = (DATA / "streams" / "vllm_llama32_stream.sse").read_bytes().splitlines(True)
    (tmp_path / "cut.sse").write_bytes(b"".join(lines[:4]))
    (tmp_path / "batch.txt").write_text('{"custom_id": "a"}\n')
    path = bad if isinstance(bad, Path) else tmp_path / bad
    status, out, err = run(capsys, path, TEXT)
    assert (status, out) == (want, "")
    assert err.count("\n") == 1
    assert err.startswith("chatcompletion: error: ")


def test_cli_every_bad_path_is_said(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, INVALID, tmp_path / "missing.json", ERROR_STREAM)
    assert status == 2
    assert err.count("\n") == 3


def test_cli_port_in_use_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        status, out, err = run(capsys, TEXT, "--port", taken.getsockname()[1])
    assert (status, out) == (2, "")
    assert err.startswith("chatcompletion: error: cannot listen on 127.0.0.1 port ")


@pytest.mark.parametrize("args", [
    ["--port", "70000"], ["--port", "x"], ["--delay", "-1"], ["--delay", "nan"],
    ["--fault", "slow"], [],
])
def test_cli_bad_usage_exits_2(capsys: pytest.CaptureFixture[str], args: List[str]) -> None:
    status, _out, err = run(capsys, *([TEXT] if args else []), *args)
    assert status == 2
    assert "usage: chatcompletion serve" in err


def test_cli_help_names_the_faults(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for fault in serve_mod.FAULTS:
        assert fault in out


def test_every_fault_is_documented() -> None:
    doc = serve_mod.__doc__ or ""
    for fault in serve_mod.FAULTS:
        assert f"``{fault}``" in doc


def test_example_runs() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "serve_and_call.py")],
                          capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": ""})
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    assert b"finish_reason" in proc.stdout
