# SPDX-License-Identifier: MIT
"""Assemble a streamed response (raw SSE body) into the response the request would have
returned without streaming.

With an HTTP client you would pass its byte iterator instead of the file, e.g.
``cc.iter_chunks(response.iter_bytes())`` with httpx; pieces may be split anywhere.

Run from a plain checkout:  python3 examples/assemble_stream.py [FILE.sse]
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import chatcompletion as cc  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "stream.sse"
    accumulator = cc.ChatCompletionAccumulator()
    with path.open("rb") as body:
        try:
            for chunk in cc.iter_chunks(body):  # a file yields lines; any split works
                for choice in chunk.choices:
                    if choice.delta is not None and choice.delta.content:
                        print(choice.delta.content, end="", flush=True)
                accumulator.add(chunk)
        except cc.StreamError as e:
            # The server ended the stream with an error: what came before is kept.
            code = e.error.get("code") if isinstance(e.error, dict) else None
            print(f"\nstream error: {e} (code: {code})")
    response = accumulator.result()
    print()
    print(response.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
