# SPDX-License-Identifier: MIT
"""Read a response's tool calls and decode their JSON arguments.

Models sometimes produce arguments that are not valid JSON: the library keeps the text
exactly as sent (a str), so decoding is yours, with an error that says which call failed.

Run from a plain checkout:  python3 examples/tool_calls.py [FILE]
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import chatcompletion as cc  # noqa: E402


class BadArguments(ValueError):
    """A tool call whose arguments are not a JSON object."""


def decode_arguments(call: cc.ChatCompletionMessageToolCall) -> dict:
    """The call's arguments as a dict, or BadArguments naming the call and the problem."""
    if call.function is None:
        raise BadArguments(f"tool call {call.id} has no function (type={call.type!r})")
    text = call.function.arguments
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadArguments(
            f"tool call {call.id} ({call.function.name}): arguments are not valid JSON: "
            f"{e.msg} at character {e.pos} of {text[:80]!r}"
        ) from None
    if not isinstance(value, dict):
        raise BadArguments(f"tool call {call.id}: arguments are a {type(value).__name__}, "
                           "not a JSON object")
    return value


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "tool_calls.json"
    response = cc.ChatCompletion.from_json(path.read_bytes())
    message = response.choices[0].message
    calls = (message.tool_calls or []) if message else []
    for call in calls:
        name = call.function.name if call.function else call.type
        print(f"{name}({decode_arguments(call)})")

    # What a truncated generation looks like, and the error you get:
    broken = cc.ChatCompletionMessageToolCall(
        id="call_broken", type="function",
        function=cc.Function(name="get_weather", arguments='{"city": "Par'),
    )
    try:
        decode_arguments(broken)
    except BadArguments as e:
        print(f"error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
