# SPDX-License-Identifier: MIT
"""A response split into the chunks a stream of it would carry (``to_chunks``).

``accumulate(r.to_chunks())`` gives ``r`` back, except where a stream cannot say what the
response said: a choice without ``index`` gets its position; ``object`` reads
``"chat.completion"`` whatever the response had (when it had one); an unknown key of the
response that looks like an indexed list (items with an integer ``index``) comes back in
index order, its items merged by index; a tool call's unknown ``index`` key is taken for
the fragment's own.
"""
from __future__ import annotations

from ._base import extras_of, nulls_of
from ._json import dump_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional

    from ._chunk import CreateChatCompletionStreamResponse
    from ._logprobs import ChatCompletionTokenLogprob
    from ._message import ChatCompletionResponseMessage
    from ._response import CreateChatCompletionResponse, CreateChatCompletionResponseChoices

_SPLIT = ("reasoning_content", "reasoning")  # message extras that stream in pieces
_MESSAGE_NULLS = ("content", "refusal", "annotations", "audio", "function_call", "tool_calls")


def pieces(text: str, size: int) -> List[str]:
    """``text`` in pieces of ``size`` characters (one empty piece for ``""``)."""
    if not text:
        return [text]
    return [text[i:i + size] for i in range(0, len(text), size)]


def to_chunks(r: CreateChatCompletionResponse, size: int
              ) -> List[CreateChatCompletionStreamResponse]:
    from ._chunk import CreateChatCompletionStreamResponse

    if size < 1:
        raise ValueError("piece size must be at least 1")
    parse = CreateChatCompletionStreamResponse.from_dict
    return [parse(d) for d in _chunk_dicts(r, size)]


def _chunk_dicts(r: CreateChatCompletionResponse, size: int) -> Iterator[Dict[str, Any]]:
    nulls = nulls_of(r)
    head: Dict[str, Any] = {}
    for key in ("id", "created", "model"):
        value = getattr(r, key)
        if value is not None or key in nulls:
            head[key] = value
    if r.object is not None or "object" in nulls:
        head["object"] = "chat.completion.chunk"
    for key in ("service_tier", "system_fingerprint"):
        value = getattr(r, key)
        if value is not None or key in nulls:
            head[key] = str(value) if value is not None else None
    first: Dict[str, Any] = dump_json(extras_of(r) or {})  # unknown keys ride on the first chunk
    if r.metadata is not None or "metadata" in nulls:
        first["metadata"] = dump_json(r.metadata)
    if r.moderation is not None or "moderation" in nulls:
        first["moderation"] = dump_json(r.moderation)
    emitted = False
    for position, choice in enumerate(r.choices):
        index = choice.index if choice.index is not None else position
        for c in _choice_chunks(choice, index, size):
            d = {**head, "choices": [c]}
            if not emitted:
                d.update(first)
                emitted = True
            yield d
    if r.usage is not None or "usage" in nulls or not emitted:
        d = {**head, "choices": []}
        if not emitted:
            d.update(first)
        if r.usage is not None:
            d["usage"] = r.usage.to_dict()
        elif "usage" in nulls:
            d["usage"] = None
        yield d


def _choice_chunks(choice: CreateChatCompletionResponseChoices, index: int, size: int
                   ) -> Iterator[Dict[str, Any]]:
    nulls = nulls_of(choice)
    message = choice.message
    logprobs = choice.logprobs
    lp_content = lp_refusal = None
    if logprobs is not None:
        lp_content, lp_refusal = logprobs.content, logprobs.refusal
    if message is not None:
        for delta, tokens in _deltas(message, size, lp_content, lp_refusal):
            c: Dict[str, Any] = {"index": index, "delta": delta}
            if tokens is not None:
                c["logprobs"] = tokens
            yield c
    last: Dict[str, Any] = {"index": index}
    if message is None and "message" in nulls:
        last["delta"] = None
    elif message is not None:
        last["delta"] = {}
    if choice.finish_reason is not None or "finish_reason" in nulls:
        last["finish_reason"] = (None if choice.finish_reason is None
                                 else str(choice.finish_reason))
    if logprobs is not None:
        # what the content and refusal chunks did not carry: the object itself, its nulls
        # and unknown keys, and tokens of text that was split by characters
        lp = logprobs.to_dict()
        if message is not None and _aligned(message.content, lp_content):
            del lp["content"]
        if message is not None and _aligned(message.refusal, lp_refusal):
            del lp["refusal"]
        last["logprobs"] = lp
    elif "logprobs" in nulls:
        last["logprobs"] = None
    last.update(dump_json(extras_of(choice) or {}))
    yield last


def _aligned(text: Optional[str], tokens: Optional[List[ChatCompletionTokenLogprob]]) -> bool:
    """The tokens spell the text exactly: each chunk can carry its own tokens."""
    return bool(tokens) and text is not None and "".join([t.token for t in tokens or ()]) == text


def _deltas(m: ChatCompletionResponseMessage, size: int,
            lp_content: Optional[List[ChatCompletionTokenLogprob]],
            lp_refusal: Optional[List[ChatCompletionTokenLogprob]],
            ) -> Iterator[Any]:
    """``(delta, logprobs or None)`` pairs: the message in pieces."""
    nulls = nulls_of(m)
    extra = extras_of(m) or {}
    first: Dict[str, Any] = {"role": str(m.role)}
    for key in _MESSAGE_NULLS:
        if getattr(m, key) is None and key in nulls:
            first[key] = None
    for key, value in extra.items():
        if key not in _SPLIT or type(value) is not str:
            first[key] = dump_json(value)
    if m.annotations is not None:
        first["annotations"] = [a.to_dict() for a in m.annotations]
    if m.tool_calls == []:
        first["tool_calls"] = []
    if m.audio is not None:
        first["audio"] = m.audio.to_dict()
    yield first, None
    for key in _SPLIT:
        value = extra.get(key)
        if type(value) is str:
            for piece in pieces(value, size):
                yield {key: piece}, None
    yield from _text("content", m.content, size, lp_content)
    yield from _text("refusal", m.refusal, size, lp_refusal)
    if m.function_call is not None:
        fn = m.function_call
        for i, piece in enumerate(pieces(fn.arguments, size)):
            frag: Dict[str, Any] = {"arguments": piece}
            if i == 0:
                frag = {"name": fn.name, **frag, **dump_json(extras_of(fn) or {})}
            yield {"function_call": frag}, None
    for k, call in enumerate(m.tool_calls or ()):
        yield from ((d, None) for d in _call_deltas(call, k, size))


def _text(key: str, text: Optional[str], size: int,
          tokens: Optional[List[ChatCompletionTokenLogprob]]) -> Iterator[Any]:
    if text is None:
        return
    if tokens is not None and _aligned(text, tokens):
        for token in tokens:  # one chunk per token, as servers do
            yield {key: token.token}, {key: [token.to_dict()]}
        return
    for piece in pieces(text, size):
        yield {key: piece}, None


def _call_deltas(call: Any, k: int, size: int) -> Iterator[Dict[str, Any]]:
    nulls = nulls_of(call)
    frag: Dict[str, Any] = {"index": k}
    if call.id is not None or "id" in nulls:
        frag["id"] = call.id
    if call.type is not None or "type" in nulls:
        frag["type"] = None if call.type is None else str(call.type)
    fn = call.function
    if fn is not None:
        frag["function"] = {"name": fn.name, "arguments": "", **dump_json(extras_of(fn) or {})}
    elif "function" in nulls:
        frag["function"] = None
    if call.custom is not None:
        frag["custom"] = call.custom.to_dict()
    elif "custom" in nulls:
        frag["custom"] = None
    for key, value in (extras_of(call) or {}).items():
        if key != "index":
            frag[key] = dump_json(value)
    yield {"tool_calls": [frag]}
    if fn is not None and fn.arguments:
        for piece in pieces(fn.arguments, size):
            yield {"tool_calls": [{"index": k, "function": {"arguments": piece}}]}
