"""Deterministic benchmark inputs: four response dicts, one SSE stream, one batch file.

Everything is generated from a seeded ``random.Random``; no files are read.
The shapes follow what api.openai.com sends today (see the captured
responses in the design fixtures): explicit ``null``s for ``refusal`` and
``logprobs``, ``annotations: []``, usage with both details objects,
``service_tier`` and ``system_fingerprint``.
"""

from __future__ import annotations

import json
import random
from typing import Any, Dict, List

__all__ = [
    "CASES",
    "make_case",
    "typical",
    "tool_calls",
    "n8",
    "logprobs_heavy",
    "stream_chunks",
    "stream_sse",
    "split_pieces",
    "STREAM_CHUNKS",
    "batch_lines",
    "BATCH_LINES",
]

JSONDict = Dict[str, Any]

#: Names of the four response cases, in report order.
CASES = ("typical", "tool_call", "n8", "logprobs")

#: Number of chunks (``data:`` events before ``[DONE]``) in the stream case.
STREAM_CHUNKS = 2000

#: Number of lines of the Batch API output file case.
BATCH_LINES = 1000

_WORDS = [
    "the",
    "model",
    "of",
    "a",
    "response",
    "is",
    "a",
    "token",
    "and",
    "each",
    "choice",
    "has",
    "one",
    "message",
    "with",
    "content",
    "that",
    "users",
    "read",
    "while",
    "tools",
    "call",
    "functions",
    "on",
    "servers",
    "for",
    "weather",
    "search",
    "retrieval",
    "code",
    "data",
    "analysis",
    "summary",
    "answer",
    "question",
    "context",
    "window",
    "prompt",
    "cache",
    "latency",
    "stream",
    "chunk",
    "delta",
    "usage",
    "reasoning",
    "audio",
    "image",
    "file",
    "Paris",
    "London",
    "Tokyo",
    "Berlin",
    "Madrid",
    "Rome",
    "Vienna",
    "Prague",
    "Lisbon",
    "Dublin",
]

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _rid(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(n))


def _text(rng: random.Random, words: int) -> str:
    out = [rng.choice(_WORDS) for _ in range(words)]
    out[0] = out[0].capitalize()
    # A sentence break every ~12 words, like prose.
    for i in range(12, words, 12):
        out[i - 1] += "."
    return " ".join(out) + "."


def _usage(rng: random.Random, completion_tokens: int) -> JSONDict:
    prompt = rng.randint(20, 4000)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _envelope(rng: random.Random, choices: List[JSONDict], usage: JSONDict) -> JSONDict:
    return {
        "id": "chatcmpl-" + _rid(rng, 29),
        "object": "chat.completion",
        "created": 1783610061 + rng.randint(0, 10**6),
        "model": "gpt-4o-mini-2024-07-18",
        "choices": choices,
        "usage": usage,
        "service_tier": "default",
        "system_fingerprint": "fp_" + _rid(rng, 10).lower(),
    }


def _choice(index: int, content: str | None, finish: str, **message: Any) -> JSONDict:
    msg: JSONDict = {"role": "assistant", "content": content}
    msg.update(message)
    msg["refusal"] = None
    msg["annotations"] = []
    return {"index": index, "message": msg, "logprobs": None, "finish_reason": finish}


def typical(seed: int = 1) -> JSONDict:
    """One choice of ~120 words of prose, finish ``stop``, full usage."""
    rng = random.Random(seed)
    content = _text(rng, 120)
    return _envelope(rng, [_choice(0, content, "stop")], _usage(rng, 160))


def tool_calls(seed: int = 2) -> JSONDict:
    """One choice with ``content: null`` and three function tool calls."""
    rng = random.Random(seed)
    cities = rng.sample(_WORDS[-10:], 3)
    calls = [
        {
            "id": "call_" + _rid(rng, 24),
            "type": "function",
            "function": {
                "name": "get_weather",
                "arguments": json.dumps({"location": city, "unit": "celsius"}),
            },
        }
        for city in cities
    ]
    choice = _choice(0, None, "tool_calls", tool_calls=calls)
    return _envelope(rng, [choice], _usage(rng, 67))


def n8(seed: int = 3) -> JSONDict:
    """``n=8``: eight choices of ~60 words each."""
    rng = random.Random(seed)
    choices = [_choice(i, _text(rng, 60), rng.choice(("stop", "stop", "length"))) for i in range(8)]
    return _envelope(rng, choices, _usage(rng, 8 * 80))


def _token(rng: random.Random) -> str:
    word = rng.choice(_WORDS)
    return word if rng.random() < 0.2 else " " + word


def _top(rng: random.Random, token: str, logprob: float) -> JSONDict:
    return {"token": token, "logprob": logprob, "bytes": list(token.encode("utf-8"))}


def logprobs_heavy(seed: int = 4, tokens: int = 1000, top: int = 5) -> JSONDict:
    """One choice with ``logprobs.content`` of 1,000 tokens x 5 top logprobs."""
    rng = random.Random(seed)
    entries = []
    for _ in range(tokens):
        token = _token(rng)
        logprob = -rng.expovariate(8.0)
        alternatives = [_top(rng, token, logprob)]
        lp = logprob
        while len(alternatives) < top:
            lp -= rng.expovariate(0.7)
            alternatives.append(_top(rng, _token(rng), lp))
        entries.append(
            {
                "token": token,
                "logprob": logprob,
                "bytes": list(token.encode("utf-8")),
                "top_logprobs": alternatives,
            }
        )
    content = "".join(e["token"] for e in entries)
    choice = _choice(0, content, "length")
    choice["logprobs"] = {"content": entries, "refusal": None}
    return _envelope(rng, [choice], _usage(rng, tokens))


_MAKERS = {"typical": typical, "tool_call": tool_calls, "n8": n8, "logprobs": logprobs_heavy}


def make_case(name: str, logprob_tokens: int = 1000) -> JSONDict:
    """A fresh copy of the named response dict (``logprob_tokens`` sizes the
    logprobs-heavy case; ``--quick`` makes it smaller)."""
    if name == "logprobs":
        return logprobs_heavy(tokens=logprob_tokens)
    return _MAKERS[name]()


# ----------------------------------------------------------------------------
# Stream


def stream_chunks(
    n: int = STREAM_CHUNKS, seed: int = 5, obfuscation: bool = True
) -> List[JSONDict]:
    """``n`` chunk dicts: a role chunk, content deltas, a finish chunk and a
    final usage chunk with ``choices: []`` (``stream_options.include_usage``).

    Like api.openai.com, every chunk carries ``usage: null`` until the last
    and an ``obfuscation`` padding string (an unknown key for most readers).
    """
    if n < 4:
        raise ValueError("a stream needs at least 4 chunks")
    rng = random.Random(seed)
    head = {
        "id": "chatcmpl-" + _rid(rng, 29),
        "object": "chat.completion.chunk",
        "created": 1783610061 + rng.randint(0, 10**6),
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_" + _rid(rng, 10).lower(),
    }

    def chunk(choices: List[JSONDict], usage: Any = None) -> JSONDict:
        c = dict(head)
        c["choices"] = choices
        c["usage"] = usage
        if obfuscation:
            c["obfuscation"] = _rid(rng, rng.randint(1, 16))
        return c

    def delta_choice(delta: JSONDict, finish: Any = None) -> JSONDict:
        return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}

    out = [chunk([delta_choice({"role": "assistant", "content": "", "refusal": None})])]
    out.extend(chunk([delta_choice({"content": _token(rng)})]) for _ in range(n - 3))
    out.append(chunk([delta_choice({}, "stop")]))
    out.append(chunk([], _usage(rng, n - 3)))
    return out


def stream_content(chunks: List[JSONDict]) -> str:
    """The assistant text the stream spells out (for sanity checks)."""
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])


def stream_sse(chunks: List[JSONDict]) -> bytes:
    """The chunks as an SSE body: ``data: {json}\\n\\n`` each, then ``[DONE]``."""
    parts = [b"data: " + json.dumps(c, separators=(",", ":")).encode() + b"\n\n" for c in chunks]
    parts.append(b"data: [DONE]\n\n")
    return b"".join(parts)


def split_pieces(body: bytes, size: int = 100) -> List[bytes]:
    """``body`` cut into ``size``-byte pieces, as an HTTP client yields them
    (cuts fall mid-line and mid-JSON)."""
    return [body[i : i + size] for i in range(0, len(body), size)]


def sizes() -> Dict[str, int]:
    """Compact JSON size in bytes of each case, for the report header."""
    out = {name: len(json.dumps(make_case(name), separators=(",", ":"))) for name in CASES}
    out["stream"] = len(stream_sse(stream_chunks()))
    out["batch"] = sum(len(line) for line in batch_lines())
    return out


# ----------------------------------------------------------------------------
# Batch API output file


def batch_lines(n: int = BATCH_LINES, seed: int = 6) -> List[bytes]:
    """``n`` lines of a Batch API output file, as a binary file yields them (each
    ends with ``\\n``): successful chat completion requests whose bodies are,
    alternately, the ``typical`` and the ``tool_call`` responses above (each
    body with its own ``id``), ``"error": null`` on every line, as OpenAI
    writes them."""
    rng = random.Random(seed)
    bodies = (typical(), tool_calls())
    out = []
    for i in range(n):
        body = dict(bodies[i % 2])
        body["id"] = "chatcmpl-" + _rid(rng, 29)
        line = {
            "id": "batch_req_" + _rid(rng, 32),
            "custom_id": f"request-{i + 1}",
            "response": {
                "status_code": 200,
                "request_id": "".join(rng.choice("0123456789abcdef") for _ in range(32)),
                "body": body,
            },
            "error": None,
        }
        out.append(json.dumps(line, separators=(",", ":")).encode() + b"\n")
    return out
