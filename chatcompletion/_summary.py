# SPDX-License-Identifier: MIT
"""What the command line says about a file: summaries as pure functions of parsed objects.

A summary is a plain dict (the ``--json`` output); ``_render`` turns it into text. Tallies
keep memory bounded whatever the input: at most ``MAX_KEYS`` distinct values each.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple

    from ._batch import BatchOutputLine
    from ._response import CreateChatCompletionResponse

MAX_KEYS = 1000  # distinct values counted per tally
OTHER = "(other)"
TOP_ERRORS = 3  # most common errors in a batch summary
TOKENS = ("prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
          "reasoning_tokens")


def count(counter: Dict[str, int], key: str, n: int = 1) -> None:
    """Add to a tally of at most MAX_KEYS keys; later newcomers count as "(other)"."""
    if key in counter or len(counter) < MAX_KEYS:
        counter[key] = counter.get(key, 0) + n
    else:
        counter[OTHER] = counter.get(OTHER, 0) + n


def most_common(counter: Dict[str, int]) -> Dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: -kv[1]))


def _plus(total: Optional[int], n: Optional[int]) -> Optional[int]:
    """Absent counts stay absent; one present count makes the total present."""
    if n is None:
        return total
    return n if total is None else total + n


class Facts:
    """Counts over one or more responses: choices, finish reasons, usage, tool calls."""

    def __init__(self) -> None:
        self.choices = 0
        self.finish_reasons: Dict[str, int] = {}
        self.tool_calls: Dict[str, int] = {}
        self.refusals = 0
        self.content_chars = 0
        self.reasoning_chars = 0
        self.with_usage = 0
        self.usage: Dict[str, Optional[int]] = dict.fromkeys(TOKENS)

    def add(self, response: CreateChatCompletionResponse) -> None:
        self.choices += len(response.choices)
        for choice in response.choices:
            if choice.finish_reason is not None:
                count(self.finish_reasons, str(choice.finish_reason))
            message = choice.message
            if message is None:
                continue
            if message.content is not None:
                self.content_chars += len(message.content)
            reasoning = message.reasoning_text
            if reasoning is not None:
                self.reasoning_chars += len(reasoning)
            if message.refusal:
                self.refusals += 1
            for call in message.tool_calls or ():
                name = (call.function and call.function.name) or (call.custom and call.custom.name)
                count(self.tool_calls, name or "(unnamed)")
            if message.function_call is not None:
                count(self.tool_calls, message.function_call.name or "(unnamed)")
        usage = response.usage
        if usage is not None:
            self.with_usage += 1
            totals = self.usage
            totals["prompt_tokens"] = _plus(totals["prompt_tokens"], usage.prompt_tokens)
            totals["completion_tokens"] = _plus(totals["completion_tokens"],
                                                usage.completion_tokens)
            totals["total_tokens"] = _plus(totals["total_tokens"], usage.total_tokens)
            totals["cached_tokens"] = _plus(totals["cached_tokens"], usage.cached_prompt_tokens)
            totals["reasoning_tokens"] = _plus(totals["reasoning_tokens"],
                                               usage.reasoning_completion_tokens)

    def summary(self) -> Dict[str, Any]:
        return {
            "choices": self.choices,
            "finish_reasons": most_common(self.finish_reasons),
            **self.usage,
            "tool_calls": most_common(self.tool_calls),
            "refusals": self.refusals,
            "content_chars": self.content_chars,
            "reasoning_chars": self.reasoning_chars,
        }


def response_summary(response: CreateChatCompletionResponse) -> Dict[str, Any]:
    """Model, choices, finish reasons, usage (None where the server sent no count)."""
    facts = Facts()
    facts.add(response)
    out: Dict[str, Any] = {"id": response.id, "model": response.model,
                           "created": response.created}
    out.update(facts.summary())
    return out


class BatchTally:
    """Counts over the lines of a batch file, in memory that does not grow with it."""

    def __init__(self) -> None:
        self.lines = 0
        self.succeeded = 0
        self.failed = 0
        self.invalid = 0
        self.other_bodies = 0  # successful requests whose body is no chat completion
        self.models: Dict[str, int] = {}
        self.facts = Facts()
        self.errors: Dict[str, int] = {}
        self.messages: Dict[str, str] = {}  # an example message per error code

    def add(self, line: BatchOutputLine) -> None:
        status = line.status_code
        failure = line.failure
        if failure is None and status is not None and 200 <= status < 300:
            self.succeeded += 1
            completion = line.completion
            if completion is None:
                self.other_bodies += 1
                return
            count(self.models, completion.model or "(none)")
            self.facts.add(completion)
            return
        self.failed += 1
        code, message = error_code(failure, status)
        count(self.errors, code)
        if code in self.errors and code not in self.messages:
            self.messages[code] = message

    def summary(self) -> Dict[str, Any]:
        errors = [
            {"code": code, "count": n, "message": self.messages.get(code)}
            for code, n in sorted(self.errors.items(), key=lambda kv: -kv[1])[:TOP_ERRORS]
        ]
        return {
            "lines": self.lines,
            "succeeded": self.succeeded,
            "failed": self.failed,
            "invalid": self.invalid,
            "other_bodies": self.other_bodies,
            "models": most_common(self.models),
            **self.facts.summary(),
            "errors": errors,
        }


def error_code(error: Any, status: Optional[int]) -> Tuple[str, str]:
    """A failed line's error code (else its type, else its HTTP status) and message."""
    code: Any = None
    message: Any = None
    if type(error) is dict:
        code = error.get("code") or error.get("type")
        message = error.get("message")
    if type(code) is not str:
        code = f"HTTP {status}" if status is not None else "error"
    if type(message) is not str:
        message = ""
    return code[:100], message[:200]
