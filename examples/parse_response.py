# SPDX-License-Identifier: MIT
"""Parse a saved chat completion response and print what a user usually wants from it.

Run from a plain checkout, no install needed:  python3 examples/parse_response.py [FILE]
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the checkout's chatcompletion/, not an installed copy

import chatcompletion as cc  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "response.json"
    try:
        response = cc.ChatCompletion.from_json(path.read_bytes())
    except cc.ValidationError as e:
        print(f"{path}: invalid response: {e}", file=sys.stderr)
        return 1

    print(f"model:    {response.model}")
    print(f"id:       {response.id}")
    for choice in response.choices:
        message = choice.message
        print(f"choice {choice.index}: finish_reason={choice.finish_reason}")
        if message is None:
            print("  (no message: filtered by the server)")
            continue
        if message.reasoning_text:
            print(f"  reasoning: {message.reasoning_text[:200]}")
        if message.content:
            print(f"  content: {message.content[:300]}")
        if message.refusal:
            print(f"  refusal: {message.refusal}")
        for call in message.tool_calls or []:
            name = call.function.name if call.function else None
            print(f"  tool call {call.id}: {name}")
    usage = response.usage
    if usage is not None:
        cached = usage.prompt_tokens_details.cached_tokens if usage.prompt_tokens_details else None
        reasoning = (usage.completion_tokens_details.reasoning_tokens
                     if usage.completion_tokens_details else None)
        print(f"tokens:   prompt={usage.prompt_tokens} (cached={cached}) "
              f"completion={usage.completion_tokens} (reasoning={reasoning}) "
              f"total={usage.total_tokens}")
    if response.extra:
        print(f"provider extras: {sorted(response.extra)}")
    # Lossless: what came in goes out unchanged, unknown keys included.
    assert response.to_dict() == cc.ChatCompletion.from_json(path.read_bytes()).to_dict()
    return 0


if __name__ == "__main__":
    sys.exit(main())
