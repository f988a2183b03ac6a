# SPDX-License-Identifier: MIT
"""Build a response in code (a test double, a mock server) and serialize it.

Run from a plain checkout:  python3 examples/build_response.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import chatcompletion as cc


def main() -> int:
    response = cc.CreateChatCompletionResponse(
        id="chatcmpl-example",
        object="chat.completion",
        created=1_700_000_000,
        model="my-local-model",
        choices=[
            cc.Choice(
                index=0,
                finish_reason=cc.FinishReason.STOP,
                message=cc.ChatCompletionMessage(
                    role=cc.ChatCompletionResponseMessageRole.ASSISTANT,
                    content="Hello! How can I help?",
                    extra={"reasoning_content": "The user greeted me."},  # a provider field
                ),
            )
        ],
        usage=cc.CompletionUsage(prompt_tokens=9, completion_tokens=7, total_tokens=16),
    )
    # Optional fields left at None are omitted; extras are written back as they are.
    print(response.to_json())
    again = cc.ChatCompletion.from_json(response.to_json())
    assert again == response
    assert again.choices[0].message is not None
    print("reasoning:", again.choices[0].message.reasoning_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
