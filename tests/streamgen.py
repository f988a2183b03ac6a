# SPDX-License-Identifier: MIT
"""Shared helpers for the streaming tests: the captured streams read by a naive oracle,
body splitters, and hypothesis strategies that cut a response into the chunks of its stream.

Nothing here uses the package under test, so the tests can disagree with it.
"""
from __future__ import annotations

import json
import random
import string
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

from hypothesis import strategies as st

from tests import DATA

STREAMS: List[Path] = sorted((DATA / "streams").glob("*.sse"))
STREAM_NAMES: List[str] = [p.stem for p in STREAMS]

Json = Dict[str, Any]


def stream_path(name: str) -> Path:
    return DATA / "streams" / f"{name}.sse"


# -- the oracle: a deliberately naive whole-text reading of an LF-only fixture ----------


class Reference(NamedTuple):
    """What reading a captured stream must give."""

    chunks: List[Json]  # the JSON object of every chunk event, in order
    error: Any  # the server's error object when the stream ends in one, else None
    error_event: Optional[int]  # that event's 1-based position
    done: bool  # the stream has a `data: [DONE]`


def events(text: str) -> List[Tuple[str, str]]:
    """(event type, data) of each dispatched event of an LF-only body, comments dropped."""
    assert "\r" not in text
    out = []
    for block in text.split("\n\n"):
        event, data = "", []
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
        if data:
            out.append((event or "message", "\n".join(data)))
    return out


def reference(path: Path) -> Reference:
    chunks: List[Json] = []
    for number, (event, data) in enumerate(events(path.read_text("utf-8")), 1):
        if data == "[DONE]":
            return Reference(chunks, None, None, True)
        payload = json.loads(data)
        if event == "error" or "error" in payload:
            return Reference(chunks, payload["error"], number, False)
        chunks.append(payload)
    return Reference(chunks, None, None, False)


# -- cutting bodies into pieces -----------------------------------------------------------


def pieces(body: Any, size: int) -> List[Any]:
    """``body`` (bytes or str) in consecutive pieces of ``size`` (the last one shorter)."""
    return [body[i : i + size] for i in range(0, len(body), size)]


def piece_sizes(length: int, full_up_to: int, small: int = 64, sampled: int = 48) -> List[int]:
    """Every size 1..length+1 for a short body; else 1..small, a seeded sample above, and the
    sizes around the whole body (one piece, one piece short of it)."""
    if length <= full_up_to:
        return list(range(1, length + 2))
    rng = random.Random(length)
    above = rng.sample(range(small + 1, length - 1), min(sampled, length - small - 2))
    return sorted({*range(1, small + 1), *above, length - 1, length, length + 1})


def cut(body: Any, points: Sequence[int]) -> List[Any]:
    """``body`` cut at the given offsets (any order, repeats give empty pieces)."""
    bounds = [0, *sorted(points), len(body)]
    return [body[a:b] for a, b in zip(bounds, bounds[1:])]


def sse(chunks: Sequence[Json], done: bool = True) -> str:
    """An LF body carrying the chunks the way OpenAI sends them."""
    body = "".join(f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks)
    return body + ("data: [DONE]\n\n" if done else "")


# -- hypothesis: a response and the chunks of its stream ----------------------------------

_texts = st.text(max_size=24)  # any unicode (no surrogates), the empty string included
_names = st.text(string.ascii_letters + "_", min_size=1, max_size=12)
_ids = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=16)
_logprob = st.floats(max_value=0, allow_nan=False, allow_infinity=False)
_bytes = st.none() | st.lists(st.integers(0, 255), max_size=4)
_finish = st.none() | st.sampled_from(["stop", "length", "tool_calls", "content_filter", "eos"])


def _token() -> st.SearchStrategy[Json]:
    top = st.fixed_dictionaries({"token": _texts, "logprob": _logprob, "bytes": _bytes})
    return st.fixed_dictionaries({
        "token": _texts, "logprob": _logprob, "bytes": _bytes,
        "top_logprobs": st.lists(top, max_size=2),
    })


@st.composite
def _tool_call(draw: Any) -> Json:
    call: Json = {"id": draw(_ids)}
    if draw(st.booleans()):  # Mistral omits the type
        call["type"] = "function"
    call["function"] = {"name": draw(_names), "arguments": draw(_texts)}
    return call


@st.composite
def _choice(draw: Any, index: int) -> Json:
    message: Json = {"role": "assistant", "content": draw(st.none() | _texts)}
    if draw(st.booleans()):
        message["refusal"] = draw(st.none() | _texts)
    if draw(st.booleans()):
        message["tool_calls"] = draw(
            st.lists(_tool_call(), min_size=1, max_size=3, unique_by=lambda c: c["id"])
        )
    choice: Json = {"index": index, "finish_reason": draw(_finish), "message": message}
    logprobs = draw(st.sampled_from(["absent", "null", "object"]))
    if logprobs == "null":
        choice["logprobs"] = None
    elif logprobs == "object":
        content = draw(st.none() | st.lists(_token(), max_size=4))
        refusal = draw(st.none() | st.lists(_token(), max_size=2))
        if content is None and refusal is None:
            content = []
        choice["logprobs"] = {"content": content, "refusal": refusal}
    return choice


_details = st.fixed_dictionaries({}, optional={
    "cached_tokens": st.integers(0, 10**6), "audio_tokens": st.integers(0, 10**6),
})


@st.composite
def responses(draw: Any) -> Json:
    """A valid chat.completion made only of fields a stream can carry."""
    n = draw(st.integers(1, 3))
    response: Json = {
        "id": draw(_ids),
        "object": "chat.completion",
        "created": draw(st.integers(1, 2**40)),
        "model": draw(_ids),
        "choices": [draw(_choice(i)) for i in range(n)],
    }
    if draw(st.booleans()):
        response["system_fingerprint"] = draw(st.none() | _ids)
    if draw(st.booleans()):
        response["service_tier"] = draw(st.none() | st.sampled_from(["default", "flex"]))
    if draw(st.booleans()):
        usage: Json = {
            "prompt_tokens": draw(st.integers(0, 10**6)),
            "completion_tokens": draw(st.integers(0, 10**6)),
            "total_tokens": draw(st.integers(0, 2 * 10**6)),
        }
        if draw(st.booleans()):
            usage["prompt_tokens_details"] = draw(_details)
        response["usage"] = usage
    return response


@st.composite
def _split(draw: Any, text: str) -> List[str]:
    """``text`` cut at random points (empty pieces included); one piece for ""."""
    points = draw(st.lists(st.integers(0, len(text)), max_size=5))
    return cut(text, points)


@st.composite
def _interleave(draw: Any, seqs: Sequence[Sequence[Any]], ordered: Sequence[int] = ()
                ) -> List[Any]:
    """A random merge of the sequences, each one's own order kept. The sequences numbered
    in ``ordered`` start in that order (a response lists its tool calls in the order of
    their first fragments): items of one drawn before its turn are held back until then."""
    labels = [i for i, seq in enumerate(seqs) for _ in seq]
    order = draw(st.permutations(labels))
    rank = {label: r for r, label in enumerate(ordered)}
    started = 0  # how many of `ordered` have started
    held: Dict[int, int] = {}  # label -> its items held back
    merged: List[int] = []
    for label in order:
        r = rank.get(label)
        if r is None or r < started:
            merged.append(label)
        elif r > started:
            held[label] = held.get(label, 0) + 1
        else:
            merged.append(label)
            started += 1
            while started < len(ordered) and ordered[started] in held:
                merged.extend([ordered[started]] * held.pop(ordered[started]))
                started += 1
    assert not held
    its = [iter(seq) for seq in seqs]
    return [next(its[i]) for i in merged]


@st.composite
def _tool_fragments(draw: Any, calls: List[Json]) -> List[List[Json]]:
    """Fragment sequences (to interleave) of a choice's tool calls, in one server style:
    by index (OpenAI; sparse indexes, calls interleaved), by id without index, or
    continuation fragments with neither (each call's fragments in one run)."""
    style = draw(st.sampled_from(["index", "id", "neither"]))
    if style == "index":
        indexes = sorted(draw(st.lists(st.integers(0, 6), min_size=len(calls),
                                       max_size=len(calls), unique=True)))
    repeat_id = draw(st.booleans())
    seqs: List[List[Json]] = []
    for n, call in enumerate(calls):
        args = draw(_split(call["function"]["arguments"]))
        first: Json = {"id": call["id"]}
        if style == "index":
            first = {"index": indexes[n], **first}
        if "type" in call:
            first["type"] = call["type"]
        first["function"] = {"name": call["function"]["name"], "arguments": args[0]}
        seq = [first]
        for arg in args[1:]:
            frag: Json = {}
            if style == "index":
                frag["index"] = indexes[n]
            if style == "id" or (style == "index" and repeat_id):
                frag["id"] = call["id"]
            frag["function"] = {"arguments": arg}
            seq.append(frag)
        seqs.append(seq)
    if style == "index":
        return seqs
    return [[frag for seq in seqs for frag in seq]]  # calls one after the other


@st.composite
def _choice_fragments(draw: Any, choice: Json) -> List[Json]:
    """The choice objects of the chunks that carry one choice, in stream order."""
    index, message = choice["index"], choice["message"]
    logprobs = choice.get("logprobs", "absent")
    first: Json = {"role": "assistant"}
    if message["content"] is None:
        first["content"] = None
    if "refusal" in message and message["refusal"] is None:
        first["refusal"] = None
    deltas: List[List[Json]] = []
    if message["content"] is not None:
        deltas.append([{"content": p} for p in draw(_split(message["content"]))])
    if message.get("refusal") is not None:
        deltas.append([{"refusal": p} for p in draw(_split(message["refusal"]))])
    call_seqs: List[List[Json]] = []
    if "tool_calls" in message:
        call_seqs = draw(_tool_fragments(message["tool_calls"]))
        deltas.extend([{"tool_calls": [frag]} for frag in seq] for seq in call_seqs)
    calls = range(len(deltas) - len(call_seqs), len(deltas))  # their numbers among the seqs
    seqs: List[List[Json]] = [[{"index": index, "delta": d} for d in seq] for seq in deltas]
    if type(logprobs) is dict:
        for key in ("content", "refusal"):
            tokens = logprobs[key]
            if tokens is not None:
                points = draw(st.lists(st.integers(0, len(tokens)), max_size=3))
                seqs.append([
                    {"index": index, "delta": {},
                     "logprobs": {"content": group if key == "content" else None,
                                  "refusal": group if key == "refusal" else None}}
                    for group in cut(tokens, points)
                ])
    last = {"index": index, "delta": {}, "finish_reason": choice["finish_reason"]}
    fragments = [{"index": index, "delta": first}, *draw(_interleave(seqs, list(calls))), last]
    for fragment in fragments:
        fragment.setdefault("finish_reason", None)
        if logprobs != "absent":
            fragment.setdefault("logprobs", None)
    return fragments


@st.composite
def streamed_responses(draw: Any) -> Tuple[Json, List[Json]]:
    """(response, chunk dicts of its stream): choices interleaved, contents and arguments
    cut anywhere, sometimes an Azure-style empty first chunk, usage on a last chunk with
    no choices."""
    response = draw(responses())
    head: Json = {"id": response["id"], "object": "chat.completion.chunk",
                  "created": response["created"], "model": response["model"]}
    for key in ("system_fingerprint", "service_tier"):
        if key in response:
            head[key] = response[key]
    per_choice = [draw(_choice_fragments(c)) for c in response["choices"]]
    fragments = draw(_interleave(per_choice))
    chunks: List[Json] = []
    if draw(st.booleans()):  # Azure: a first chunk with nothing in it
        chunks.append({"choices": [], "created": 0, "id": "", "model": "", "object": ""})
    group: List[Json] = []
    for fragment in fragments:
        if group and (fragment["index"] in {f["index"] for f in group}
                      or draw(st.booleans())):
            chunks.append({**head, "choices": group})
            group = []
        group.append(fragment)
    chunks.append({**head, "choices": group})
    if "usage" in response:
        chunks.append({**head, "choices": [], "usage": response["usage"]})
    return response, chunks
