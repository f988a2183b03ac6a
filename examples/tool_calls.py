# SPDX-License-Identifier: MIT
"""Run a response's tool calls: decode their JSON arguments, and write the tool messages
and the assistant message the next request needs.

Models sometimes produce arguments that are not valid JSON: ``parse_arguments`` raises a
ValidationError that names the call and where the JSON breaks.

Run from a plain checkout:  python3 examples/tool_calls.py [FILE]
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import chatcompletion as cc  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "tool_calls.json"
    response = cc.ChatCompletion.from_json(path.read_bytes())
    message = response.choices[0].message
    if message is None:
        print("no message")
        return 1
    next_messages = [message.to_param()]  # the assistant turn, as the request wants it
    for call in message.tool_calls or []:
        arguments = call.parse_arguments()
        print(f"{call.function.name if call.function else call.kind}({arguments})")
        next_messages.append(call.result_param(json.dumps({"ok": True})))
    print(json.dumps(next_messages, indent=2))

    # What a truncated generation looks like, and the error you get:
    broken = cc.tool_call("get_weather", '{"city": "Par', id="call_broken")
    try:
        broken.parse_arguments()
    except cc.ValidationError as e:
        print(f"error: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
