# SPDX-License-Identifier: MIT
"""``python -m chatcompletion serve``: recorded responses replayed over HTTP, to test clients.

``POST /v1/chat/completions`` answers with the recordings in turn (a ``.json`` response, or
the response a ``.sse`` stream assembles to), as SSE built with ``to_chunks`` when the
request has ``"stream": true``; ``GET /v1/models`` lists their models. Nothing else is
served: no request path reaches the file system. Faults take turns with the requests, as
the recordings do (one ``--fault``: every request):

- ``truncate``: a stream stops before its first finish chunk, with neither ``[DONE]`` nor
  the last chunk of the chunked encoding, so the client sees the body cut off; a plain
  answer announces its whole Content-Length, sends half the body and closes the connection.
- ``error-event``: a stream sends an error event where ``truncate`` would cut it, then ends
  (no ``[DONE]``); a plain answer is not affected (an error event exists only in streams).
- ``http-429``, ``http-500``: an OpenAI-style error body with that status (429 with
  ``Retry-After: 1``), streamed or not; such a request takes no recording's turn.
- ``none``: a turn without a fault (``--fault http-429 --fault none``: every other request).
"""
from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ._cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, PROG
from ._errors import ValidationError, printable, type_name
from ._files import UsageError, read
from ._json import dumps, loads
from ._render import plural, problem_lines, shown
from ._response import CreateChatCompletionResponse
from ._stream import encode_sse, encode_sse_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

    from ._render import Progress

    Source = Union[str, "os.PathLike[str]", CreateChatCompletionResponse]

MAX_BODY = 4 * 2**20  # the largest request body read; a chat request for tests is far smaller
_DISCARD = 64 * 2**20  # a larger body up to this is read and dropped, so its 413 is received
_IDLE = 60  # seconds a connection may be silent before it is closed (a stuck client)
FAULTS = ("truncate", "error-event", "http-429", "http-500", "none")
_HTTP_FAULTS = {  # status, message, type, code
    "http-429": (429, "Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    "http-500": (500, "The server had an error while processing your request", "server_error",
                 None),
}
_CHAT, _MODELS = "/v1/chat/completions", "/v1/models"
_ROUTES = {_CHAT: "POST", _MODELS: "GET"}
_DONE = b"data: [DONE]\n\n"
_KINDS = {".json": "response", ".sse": "stream"}
_FAULT_NOTE = f" (a fault injected by `{PROG} serve --fault {{}}`)"


class Recording:
    """One recorded response, ready to serve: its JSON body and its stream's SSE events."""

    __slots__ = ("body", "created", "events", "finish_at", "model", "usage_event")

    def __init__(self, response: CreateChatCompletionResponse) -> None:
        chunks = response.to_chunks()  # never empty: a response without choices gets one
        self.model = response.model
        self.created = response.created
        self.body = response.to_json().encode("ascii")
        self.events = list(encode_sse(chunks, done=False))
        # where truncate and error-event cut the stream: before the first finish chunk
        self.finish_at = next((i for i, c in enumerate(chunks)
                               if any(ch.finish_reason is not None for ch in c.choices)),
                              len(chunks))
        # to_chunks puts the usage on a last chunk without choices; OpenAI sends that chunk
        # only for `stream_options: {"include_usage": true}`
        last = chunks[-1]
        self.usage_event = len(chunks) > 1 and not last.choices and last.usage is not None


def load(name: str) -> CreateChatCompletionResponse:
    """The response a file holds (``.json``), or the one its stream assembles to (``.sse``).

    Raises UsageError for a file that cannot be read, ValidationError (the first problem,
    and how many more) for one that is not a complete response.
    """
    report = read(name, _KINDS.get(os.path.splitext(name)[1].lower()), None, limit=1)
    if report.summary["kind"] == "batch":
        raise UsageError(f"{name} is a batch output file, not a response or a stream")
    if report.problem_count or report.response is None:
        message = problem_lines(report, 1)[0]
        if report.problem_count > 1:
            message += f" (and {plural(report.problem_count - 1, 'more problem')})"
        raise ValidationError(message)
    return report.response


class ReplayServer(ThreadingHTTPServer):
    """Answers chat completion requests with the recordings in turn, faults taking turns too."""

    daemon_threads = True

    def __init__(self, address: Tuple[str, int], recordings: List[Recording],
                 faults: Sequence[str] = (), delay: float = 0.0,
                 log: Optional[Callable[[str], None]] = None) -> None:
        if not recordings:
            raise ValueError("nothing to serve: no recordings")
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault {unknown[0]!r}; the faults are {', '.join(FAULTS)}")
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.recordings = recordings
        self.faults = list(faults) or ["none"]
        self.delay = delay
        self.log = log or (lambda line: None)  # a line per request and per connection error
        self.stopping = threading.Event()  # set by server_close: delayed streams end at once
        self._lock = threading.Lock()
        self._turn = self._fault_turn = 0
        self._connections: Set[socket.socket] = set()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The base URL to give a client (the openai client's ``base_url``)."""
        host, port = self.server_address[:2]
        host = host if isinstance(host, str) else host.decode()
        return f"http://[{host}]:{port}/v1" if ":" in host else f"http://{host}:{port}/v1"

    def next_turn(self) -> Tuple[str, Optional[Recording]]:
        """The next request's fault, and its recording (None for an HTTP error fault)."""
        with self._lock:
            fault = self.faults[self._fault_turn]
            self._fault_turn = (self._fault_turn + 1) % len(self.faults)
            if fault in _HTTP_FAULTS:
                return fault, None
            recording = self.recordings[self._turn]
            self._turn = (self._turn + 1) % len(self.recordings)
            return fault, recording

    def models(self) -> Dict[str, Any]:
        """The recordings' models, each once, in OpenAI's list shape."""
        data: Dict[str, Dict[str, Any]] = {}
        for r in self.recordings:
            if r.model is not None and r.model not in data:
                data[r.model] = {"id": r.model, "object": "model", "created": r.created or 0,
                                 "owned_by": PROG}
        return {"object": "list", "data": list(data.values())}

    def track(self, connection: socket.socket, opened: bool) -> None:
        with self._lock:
            if opened:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def server_close(self) -> None:
        """Stop listening, end open connections (idle keep-alive ones, delayed streams) and
        wait for their threads."""
        self.stopping.set()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        super().server_close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on stderr instead of the traceback socketserver prints."""
        e = sys.exc_info()[1]
        what = ("the client closed the connection" if isinstance(e, ConnectionError)
                else f"{type(e).__name__}: {e}")
        self.log(f"{shown(client_address[0])}: {shown(what)}")


class _Handler(BaseHTTPRequestHandler):
    server: ReplayServer
    protocol_version = "HTTP/1.1"  # keep-alive: Content-Length for JSON, chunked for streams
    server_version = f"{PROG}-serve"
    timeout = _IDLE
    disable_nagle_algorithm = True  # events go out as written, not after a delayed ACK
    _note = ""  # what the log line adds to the status: the fault, "stream"

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def _handle(self) -> None:
        body = self._body()  # read first, whatever the path: the connection stays in step
        if body is None:
            return
        path = self.path.split("?", 1)[0]
        method = _ROUTES.get(path)
        if method is None:
            self._error(404, f"Invalid URL ({self.command} {self.path})", code="unknown_url")
        elif self.command != method:
            self._error(405, f"Method {self.command} not allowed for {path}; use {method}",
                        code="method_not_allowed", headers=[("Allow", method)])
        elif path == _MODELS:
            self._send(200, "application/json", dumps(self.server.models()).encode("ascii"))
        else:
            self._chat(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def _body(self) -> Optional[bytes]:
        """The request body; None after answering why it is not read."""
        if "Transfer-Encoding" in self.headers:
            self._error(411, "Send the request body with a Content-Length", close=True)
            return None
        text = self.headers.get("Content-Length", "0").strip()
        if not (text.isascii() and text.isdigit()):
            self._error(400, "Invalid Content-Length header", close=True)
            return None
        length = int(text)
        if length > MAX_BODY:
            left = min(length, _DISCARD)
            while left > 0:
                piece = self.rfile.read(min(left, 2**16))
                if not piece:
                    break
                left -= len(piece)
            self._error(413, f"The request body is over {MAX_BODY >> 20} MiB",
                        code="request_too_large", close=True)
            return None
        return self.rfile.read(length)

    def _chat(self, body: bytes) -> None:
        try:
            request = loads(body)
        except ValidationError as e:
            self._error(400, f"We could not parse the JSON body of your request: {e.message}")
            return
        if type(request) is not dict:
            self._error(400, f"The request body must be a JSON object, not {type_name(request)}")
            return
        if "messages" not in request:
            self._error(400, "Missing required parameter: 'messages'.", param="messages",
                        code="missing_required_parameter")
            return
        if type(request["messages"]) is not list:
            self._error(400, "Invalid type for 'messages': expected an array, got "
                        f"{type_name(request['messages'])}", param="messages",
                        code="invalid_type")
            return
        fault, recording = self.server.next_turn()
        stream = request.get("stream") is True
        self._note = " stream" if stream else ""
        if fault != "none":
            self._note += f" ({fault})"
        if recording is None:
            status, message, kind, code = _HTTP_FAULTS[fault]
            retry = [("Retry-After", "1")] if status == 429 else []
            self._error(status, message + _FAULT_NOTE.format(fault), type=kind, code=code,
                        headers=retry)
        elif stream:
            options = request.get("stream_options")
            usage = type(options) is dict and options.get("include_usage") is True
            self._stream(recording, fault, usage)
        elif fault == "truncate":
            # the whole length announced, half the body sent, the connection closed: every
            # HTTP client reports the answer cut short
            self._head(200, "application/json", [("Content-Length", str(len(recording.body)))])
            self.wfile.write(recording.body[:len(recording.body) // 2])
            self.close_connection = True
        else:
            self._send(200, "application/json", recording.body)

    def _stream(self, recording: Recording, fault: str, usage: bool) -> None:
        events = recording.events
        if fault in ("truncate", "error-event"):
            events = events[:recording.finish_at]
        elif recording.usage_event and not usage:
            events = events[:-1]
        if fault == "error-event":
            message = _HTTP_FAULTS["http-500"][1] + _FAULT_NOTE.format(fault)
            events = [*events, encode_sse_error(message, type="server_error")]
        elif fault != "truncate":
            events = [*events, _DONE]
        chunked = self.request_version != "HTTP/1.0"  # HTTP/1.0 has no chunked encoding
        headers = [("Cache-Control", "no-cache")]
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        self._head(200, "text/event-stream", headers, close=not chunked)
        delay, stopping = self.server.delay, self.server.stopping
        for i, event in enumerate(events):
            if i and delay and stopping.wait(delay):
                self.close_connection = True  # the server is stopping: the stream is cut
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event) if chunked else event)
        if fault == "truncate":
            self.close_connection = True  # without the last chunk: the client sees a cut-off
        elif chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _error(self, status: int, message: str, *, type: str = "invalid_request_error",
               param: Optional[str] = None, code: Optional[str] = None,
               headers: Sequence[Tuple[str, str]] = (), close: bool = False) -> None:
        """An error answer in OpenAI's shape: ``{"error": {message, type, param, code}}``."""
        error = {"message": message, "type": type, "param": param, "code": code}
        self._send(status, "application/json", dumps({"error": error}).encode("ascii"), headers,
                   close)

    def _send(self, status: int, content_type: str, body: bytes,
              headers: Sequence[Tuple[str, str]] = (), close: bool = False) -> None:
        self._head(status, content_type, [("Content-Length", str(len(body))), *headers], close)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _head(self, status: int, content_type: str, headers: Sequence[Tuple[str, str]],
              close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")  # also sets close_connection
        self.end_headers()

    def send_error(self, code: int, message: Optional[str] = None,
                   explain: Optional[str] = None) -> None:
        """http.server's own errors (a malformed request line, an unknown method), as JSON."""
        if self.request_version == "HTTP/0.9":  # the request line was not understood: http.server
            self.request_version = "HTTP/1.1"  # would answer without a status line
        text = message or self.responses.get(code, ("Error",))[0]
        self._error(code, text, close=True)  # the request may not have been read to its end

    def log_request(self, code: Union[int, str] = "-", size: Union[int, str] = "-") -> None:
        """One line per request: method, path, status (and stream, fault), escaped."""
        status = int(code) if isinstance(code, int) else code
        path = getattr(self, "path", None) or self.requestline or "-"
        self.server.log(f"{shown(self.command or '-', 20)} {shown(path)} {status}{self._note}")
        self._note = ""

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(f"{shown(self.address_string())}: {shown(format % args)}")


def make_server(sources: Iterable[Source], host: str = "127.0.0.1", port: int = 0,
                faults: Sequence[str] = (), delay: float = 0.0,
                log: Optional[Callable[[str], None]] = None) -> ReplayServer:
    """A bound server replaying ``sources`` (responses, or files read as ``serve`` reads
    them): run ``serve_forever()`` (in a thread), stop it with ``shutdown()`` and
    ``server_close()``. It is quiet unless given ``log``, called with a line per request
    (``print`` will do). Raises what ``load`` raises, and OSError when it cannot listen."""
    recordings = [Recording(s if isinstance(s, CreateChatCompletionResponse)
                            else load(os.fspath(s))) for s in sources]
    return ReplayServer((host, port), recordings, faults, delay, log)


def log(line: str) -> None:
    """A line on stderr (from any thread; nothing when stderr is closed)."""
    stream = sys.stderr
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            stream.write(line + "\n")
            stream.flush()


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    def port(text: str) -> int:  # argparse names it: "invalid port value: '99999'"
        if not (text.isascii() and text.isdigit() and int(text) < 2**16):
            raise ValueError(text)
        return int(text)

    def seconds(text: str) -> float:
        value = float(text)
        if not 0 <= value <= 3600:  # also false for NaN
            raise ValueError(text)
        return value

    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a recorded response (.json) or stream (.sse); answered in turn")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=port, default=8000,
                        help="the port, 0 to 65535 (default: 8000; 0 picks a free one)")
    parser.add_argument("--delay", type=seconds, default=0.0, metavar="S",
                        help="seconds to wait between the events of a stream (0 to 3600)")
    parser.add_argument("--fault", action="append", choices=FAULTS, metavar="FAULT",
                        help=f"one of {', '.join(FAULTS)}; given more than once, the faults "
                        "take turns with the requests")


def serve(options: argparse.Namespace, progress: Optional[Progress]) -> int:
    """Read every PATH (each bad one said in a line), then serve until Ctrl-C."""
    recordings, status = [], EXIT_OK
    for name in options.paths:
        try:
            recordings.append(Recording(load(name)))
        except UsageError as e:
            status = max(status, EXIT_USAGE)
            log(f"{PROG}: error: {shown(str(e), 400)}")
        except ValidationError as e:
            status = max(status, EXIT_INVALID)
            log(f"{PROG}: error: {printable(e.message)}")
    if status != EXIT_OK:
        return status
    try:
        server = ReplayServer((options.host, options.port), recordings, options.fault or (),
                              options.delay, log)
    except OSError as e:  # the port in use, an unknown host
        log(f"{PROG}: error: cannot listen on {shown(options.host)} port {options.port}: "
            f"{shown(e.strerror or e)}")
        return EXIT_USAGE
    try:
        print(server.url, flush=True)  # first, and alone on stdout: scripts read it
        log(f"{PROG} serve: {plural(len(recordings), 'recording')} at {server.url}; "
            "Ctrl-C stops")
        server.serve_forever()
    except KeyboardInterrupt:
        log(f"{PROG} serve: stopped")
    finally:
        server.server_close()
    return EXIT_OK
