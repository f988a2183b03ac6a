# SPDX-License-Identifier: MIT
"""Replay a recorded response over HTTP and call it, plain and streamed, as a client would.

The same server runs from the command line (``python -m chatcompletion serve FILE``); in a
test suite, start it in-process as here and point your client's base URL at ``server.url``
(``OpenAI(base_url=server.url, api_key="test")`` with the official client).

Run from a plain checkout:  python3 examples/serve_and_call.py
"""
import json
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Dict

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import chatcompletion as cc  # noqa: E402


def post(url: str, body: Dict[str, Any]) -> bytes:
    request = urllib.request.Request(url + "/chat/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to it
    with opener.open(request, timeout=30) as response:
        answer: bytes = response.read()
    return answer


def main() -> int:
    server = cc.make_server([HERE / "response.json"], port=0)  # port 0: a free one
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        print(f"serving at {server.url}")
        request = {"model": "any", "messages": [{"role": "user", "content": "A holiday?"}]}

        plain = cc.CreateChatCompletionResponse.from_json(post(server.url, request))
        choice = plain.choices[0]
        text = choice.message.content if choice.message is not None else None
        print(f"plain: {plain.model}, finish_reason {choice.finish_reason}, "
              f"{len(text or '')} chars")

        body = post(server.url, {**request, "stream": True,
                                 "stream_options": {"include_usage": True}})
        chunks = list(cc.iter_chunks([body]))
        streamed = cc.accumulate(chunks)
        print(f"streamed: {len(chunks)} chunks, finish_reason "
              f"{streamed.choices[0].finish_reason}, same as plain: {streamed == plain}")
        print(f"usage: {streamed.usage.to_dict() if streamed.usage else None}")
    finally:
        server.shutdown()  # stops serve_forever
        server.server_close()  # closes the socket and any open connections
        thread.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
