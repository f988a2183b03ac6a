# SPDX-License-Identifier: MIT
"""Build a response in code (a test double, a mock server), split it into the chunks a
stream of it carries, and write them as SSE bytes.

Run from a plain checkout:  python3 examples/build_response.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import chatcompletion as cc


def main() -> int:
    # id ("chatcmpl-..."), created (now) and object are filled in; what the OpenAI schema
    # requires is all there (refusal and logprobs as null).
    response = cc.build_response(
        "my-local-model",
        "Hello! How can I help?",
        reasoning="The user greeted me.",  # as DeepSeek's reasoning_content
        usage=(9, 7),  # prompt and completion tokens
    )
    print(response.to_json(indent=2))
    found: list = []
    cc.ChatCompletion.from_dict(response.to_dict(), problems=found)
    assert found == [], found  # conformant

    weather = cc.build_response("my-local-model", tool_calls=[("get_weather", {"city": "Paris"})])
    print(weather.choices[0].finish_reason, weather.choices[0].message.tool_calls[0].id[:5])

    # The same response as a stream: chunks, then SSE bytes, and back.
    chunks = response.to_chunks(piece=8)
    body = b"".join(cc.encode_sse(chunks))
    print(body.decode()[:160], "...")
    again = cc.accumulate(cc.iter_chunks([body]))
    assert again == response
    print(f"{len(chunks)} chunks, {len(body)} bytes, accumulated back exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
