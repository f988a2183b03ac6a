# SPDX-License-Identifier: MIT
"""Assemble streamed chunks into the response the same request returns without streaming.

The result is built from what the chunks carried, without re-validating it (each chunk was
checked when it was read). A key is in the result when some chunk had it, and ``null``
when only nulls came; text arrives in pieces and is joined; tool calls are assembled by
``index``. ``result()`` may be called after every chunk: its cost grows with what changed
since the last call, not with the stream so far.
"""
from __future__ import annotations

from ._base import clone, extras_of, nulls_of, raw_extra
from ._logprobs import ChoiceLogprobs
from ._merge import MISFIT, Items, Text, fit, materialize, merge, settle
from ._message import Annotation, ChatCompletionAudio, ChatCompletionResponseMessage
from ._response import CreateChatCompletionResponse, CreateChatCompletionResponseChoices
from ._tools import ChatCompletionMessageToolCall, Custom, Function

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Set

    from ._chunk import (
        CreateChatCompletionStreamResponse,
        CreateChatCompletionStreamResponseChoices,
    )
    from ._delta import (
        ChatCompletionMessageToolCallChunk,
        ChatCompletionStreamResponseDelta,
        ChoiceDeltaToolCallFunction,
    )

_new = object.__new__

# Chunk keys the accumulator never copies: a choice-level "message" (Writer repeats the
# whole message in every chunk) and the transport padding "obfuscation" (a known field).
_DROPPED = frozenset(("message",))


class _Call:
    """A tool call (or the legacy function_call) assembled from its fragments."""

    __slots__ = ("arguments", "extra", "function", "function_extra", "function_null", "id",
                 "index", "name", "type")

    def __init__(self, index: Optional[int]) -> None:
        self.index = index
        self.id: Optional[str] = None
        self.type: Optional[str] = None
        self.function: Optional[bool] = None  # None: never sent; False: only null; True: sent
        self.name: Optional[str] = None
        self.arguments: Optional[Text] = None
        self.function_extra: Dict[str, Any] = {}
        self.function_null: Set[str] = set()  # function keys sent only as null
        self.extra: Dict[str, Any] = {}  # unknown keys (a custom tool's "custom" among them)

    def add(self, frag: ChatCompletionMessageToolCallChunk) -> None:
        if frag.id and not self.id:
            self.id = frag.id
        elif self.id is None and frag.id is not None:
            self.id = frag.id  # "" kept while nothing better comes
        if frag.type and not self.type:
            self.type = frag.type
        if frag.function is not None:
            self.add_function(frag.function)
        elif self.function is None and "function" in nulls_of(frag):
            self.function = False
        extra = extras_of(frag)
        if extra:
            custom = extra.get("custom")
            if type(custom) is dict:  # a custom tool's input arrives in pieces, as arguments do
                old = self.extra.get("custom")
                if type(old) is not dict:
                    old = self.extra["custom"] = {}
                merge(old, custom, item=True)
                extra = {k: v for k, v in extra.items() if k != "custom"}
            merge(self.extra, extra)

    def add_function(self, fn: ChoiceDeltaToolCallFunction) -> None:
        self.function = True
        if fn.name and not self.name:
            self.name = fn.name
        if fn.arguments is not None:
            if self.arguments is None:
                self.arguments = Text(fn.arguments)
            else:
                self.arguments.parts.append(fn.arguments)
        extra = extras_of(fn)
        if extra:
            merge(self.function_extra, extra)

    def function_obj(self) -> Function:
        fn = _new(Function)
        fn.name = self.name or ""
        fn.arguments = self.arguments.text() if self.arguments is not None else ""
        fn._extra = materialize(self.function_extra) or None
        return fn

    def tool_call(self) -> ChatCompletionMessageToolCall:
        call = _new(ChatCompletionMessageToolCall)
        call.id = self.id
        call.type = self.type
        call.function = self.function_obj() if self.function else None
        call.custom = None
        extra = materialize(self.extra)
        nulls = ["function"] if self.function is False else []
        settle(call, extra, "custom", lambda f: f.opt_obj("v", Custom), nulls)
        call._extra = raw_extra(extra, nulls, [])
        return call


class _Choice:
    """One choice's state: its message assembled from the deltas."""

    __slots__ = ("audio", "calls", "calls_by_id", "calls_by_index", "content", "delta",
                 "extra", "finish_reason", "function_call", "has_calls", "last_call", "logprobs",
                 "logprobs_content", "logprobs_extra", "logprobs_refusal", "message_extra",
                 "notes", "notes_of", "nulls", "refusal", "role")

    def __init__(self) -> None:
        self.delta: Optional[bool] = None  # None: never sent; False: only null; True: sent
        self.role: Optional[str] = None
        self.content: Optional[Text] = None
        self.refusal: Optional[Text] = None
        self.function_call: Optional[_Call] = None
        self.has_calls = False  # some delta had a tool_calls list (perhaps empty)
        self.calls: List[_Call] = []  # in the order of their first fragment
        self.calls_by_index: Dict[int, _Call] = {}
        self.calls_by_id: Dict[str, _Call] = {}
        self.last_call: Optional[_Call] = None
        self.audio: Optional[Dict[str, Any]] = None
        self.message_extra: Dict[str, Any] = {}
        self.notes: Any = None  # the annotations of notes_of read so far, or MISFIT
        self.notes_of: Optional[Items] = None
        self.nulls: Set[str] = set()  # keys of the choice and its message sent only as null
        self.finish_reason: Optional[str] = None
        self.logprobs: Optional[bool] = None  # as for delta
        self.logprobs_content: Optional[List[Any]] = None
        self.logprobs_refusal: Optional[List[Any]] = None
        self.logprobs_extra: Dict[str, Any] = {}
        self.extra: Dict[str, Any] = {}

    def add(self, c: CreateChatCompletionStreamResponseChoices) -> None:
        nulls = nulls_of(c)
        if c.finish_reason is not None:
            self.finish_reason = c.finish_reason
        elif "finish_reason" in nulls:
            self.nulls.add("finish_reason")
        if c.logprobs is not None:
            self._logprobs(c.logprobs)
        elif self.logprobs is None and "logprobs" in nulls:
            self.logprobs = False
        if c.delta is not None:
            self.delta = True
            self._delta(c.delta)
        elif self.delta is None and "delta" in nulls:
            self.delta = False
        extra = extras_of(c)
        if extra:
            merge(self.extra, {k: v for k, v in extra.items() if k not in _DROPPED})

    def _logprobs(self, logprobs: ChoiceLogprobs) -> None:
        self.logprobs = True
        if logprobs.content is not None:
            if self.logprobs_content is None:
                self.logprobs_content = []
            self.logprobs_content.extend([clone(t) for t in logprobs.content])
        elif "content" in nulls_of(logprobs):
            self.nulls.add("logprobs.content")
        if logprobs.refusal is not None:
            if self.logprobs_refusal is None:
                self.logprobs_refusal = []
            self.logprobs_refusal.extend([clone(t) for t in logprobs.refusal])
        elif "refusal" in nulls_of(logprobs):
            self.nulls.add("logprobs.refusal")
        extra = extras_of(logprobs)
        if extra:
            merge(self.logprobs_extra, extra)

    def _delta(self, delta: ChatCompletionStreamResponseDelta) -> None:
        nulls = nulls_of(delta)
        if delta.role and not self.role:
            self.role = delta.role
        if delta.content is not None:
            if self.content is None:
                self.content = Text(delta.content)
            else:
                self.content.parts.append(delta.content)
        elif "content" in nulls:
            self.nulls.add("content")
        if delta.refusal is not None:
            if self.refusal is None:
                self.refusal = Text(delta.refusal)
            else:
                self.refusal.parts.append(delta.refusal)
        elif "refusal" in nulls:
            self.nulls.add("refusal")
        if delta.tool_calls is not None:
            self.has_calls = True
            for frag in delta.tool_calls:
                self._call(frag).add(frag)
        elif "tool_calls" in nulls:
            self.nulls.add("tool_calls")
        if delta.function_call is not None:
            if self.function_call is None:
                self.function_call = _Call(None)
            self.function_call.add_function(delta.function_call)
        elif "function_call" in nulls:
            self.nulls.add("function_call")
        if delta.audio is not None:
            if self.audio is None:
                self.audio = {}
            merge(self.audio, delta.audio.to_dict(), item=True)
        elif "audio" in nulls:
            self.nulls.add("audio")
        extra = extras_of(delta)
        if extra:
            merge(self.message_extra, extra)

    def _call(self, frag: ChatCompletionMessageToolCallChunk) -> _Call:
        """The call a fragment continues: by index, else by id, else the last one."""
        call: Optional[_Call] = None
        if frag.index is not None:
            call = self.calls_by_index.get(frag.index)
            if call is not None and frag.id and call.id and frag.id != call.id:
                call = self.calls_by_id.get(frag.id)  # a server reusing one index for two calls
        elif frag.id:
            call = self.calls_by_id.get(frag.id)
        else:
            call = self.last_call
        if call is None:
            call = _Call(frag.index)
            self.calls.append(call)
            if frag.index is not None:  # later fragments of this index without id continue it
                self.calls_by_index[frag.index] = call
        if frag.id:
            self.calls_by_id.setdefault(frag.id, call)
        self.last_call = call
        return call

    def message(self) -> ChatCompletionResponseMessage:
        nulls = self.nulls
        m = _new(ChatCompletionResponseMessage)
        m.role = self.role or "assistant"
        m.content = self.content.text() if self.content is not None else None
        m.refusal = self.refusal.text() if self.refusal is not None else None
        m.annotations = None
        m.audio = None
        if self.audio is not None:
            m.audio = ChatCompletionAudio._read(materialize(self.audio), 4, [])
        m.function_call = self.function_call.function_obj() if self.function_call else None
        m.tool_calls = [call.tool_call() for call in self.calls] if self.has_calls else None
        null_keys: List[str] = [
            k for k in ("content", "refusal", "audio", "function_call", "tool_calls")
            if k in nulls and getattr(m, k) is None]
        extra = materialize(self.message_extra)
        notes = self.message_extra.get("annotations")
        if type(notes) is Items:
            m.annotations = self._annotations(notes)
            if m.annotations is not None:
                del extra["annotations"]
        else:
            settle(m, extra, "annotations", lambda f: f.opt_list("v", Annotation), null_keys)
        m._extra = raw_extra(extra, null_keys, [])
        return m

    def _annotations(self, items: Items) -> Optional[List[Annotation]]:
        """The annotations typed, reading only those that came since the last result (the
        chunks only extend the list); None when one does not fit (then none can be typed,
        and the list stays in ``extra``)."""
        if self.notes_of is not items:
            self.notes_of, self.notes = items, []
        notes = self.notes
        if notes is MISFIT:
            return None
        new = items.items[len(notes):]
        if new:
            typed = fit(new, lambda f: f.opt_list("v", Annotation))
            if typed is MISFIT:
                self.notes = MISFIT
                return None
            notes.extend(typed)
        return list(notes)

    def choice(self, index: int) -> CreateChatCompletionResponseChoices:
        nulls = self.nulls
        c = _new(CreateChatCompletionResponseChoices)
        c.finish_reason = self.finish_reason
        c.index = index
        c.logprobs = None
        null_keys = []
        if self.finish_reason is None and "finish_reason" in nulls:
            null_keys.append("finish_reason")
        if self.logprobs:
            lp = c.logprobs = _new(ChoiceLogprobs)
            lp.content = None if self.logprobs_content is None else self.logprobs_content.copy()
            lp.refusal = None if self.logprobs_refusal is None else self.logprobs_refusal.copy()
            lp_nulls = [k for k in ("content", "refusal")
                        if getattr(lp, k) is None and f"logprobs.{k}" in nulls]
            lp._extra = raw_extra(materialize(self.logprobs_extra), lp_nulls, [])
        elif self.logprobs is False:
            null_keys.append("logprobs")
        c.message = self.message() if self.delta else None
        if self.delta is False:
            null_keys.append("message")
        c._extra = raw_extra(materialize(self.extra), null_keys, [])
        return c


_HEAD = ("id", "created", "model", "system_fingerprint", "service_tier")


class ChatCompletionAccumulator:
    """Merge chunks with ``add``; ``result()`` gives the response so far, at any time, and
    ``finished`` tells whether the stream got to its end."""

    __slots__ = ("_choices", "_extra", "_head", "_moderation", "_object", "_unsettled",
                 "_usage")

    def __init__(self) -> None:
        self._head: Dict[str, Any] = {}
        self._unsettled = list(_HEAD)  # head keys without a non-empty value yet
        self._choices: Dict[int, _Choice] = {}
        self._usage: Any = None  # the last usage object; _NULL while only nulls came
        self._moderation: Any = None  # merged objects; _NULL while only nulls came
        self._object = False  # some chunk had an `object`
        self._extra: Dict[str, Any] = {}

    def add(self, chunk: CreateChatCompletionStreamResponse) -> None:
        """Merge one chunk."""
        head = self._head
        nulls = nulls_of(chunk)
        # id, created, model, system_fingerprint, service_tier: the first non-empty value
        # wins; where no chunk has one (Azure's first chunk is all empty), the first seen.
        # Once a key has a non-empty value, later chunks cannot change it: not looked at.
        if self._unsettled:
            settled = False
            for key in self._unsettled:
                value = getattr(chunk, key)
                if key not in head:
                    if value is not None or key in nulls:
                        head[key] = value
                        settled = settled or bool(value)
                elif value and not head[key]:
                    head[key] = value
                    settled = True
            if settled:
                self._unsettled = [k for k in self._unsettled if not head.get(k)]
        if chunk.object is not None or "object" in nulls:
            self._object = True
        if chunk.usage is not None:
            self._usage = chunk.usage
        elif self._usage is None and "usage" in nulls:
            self._usage = _NULL
        if chunk.moderation is not None:
            if self._moderation is None or self._moderation is _NULL:
                self._moderation = {}
            merge(self._moderation, chunk.moderation)
        elif self._moderation is None and "moderation" in nulls:
            self._moderation = _NULL
        choices = self._choices
        for c in chunk.choices:
            index = c.index or 0
            state = choices.get(index)
            if state is None:
                state = choices[index] = _Choice()
            state.add(c)
        extra = extras_of(chunk)
        if extra:
            merge(self._extra, extra, whole_lists=True)

    @property
    def finished(self) -> bool:
        """True when the stream had at least one choice and every choice got its
        ``finish_reason``; a stream cut off by the network is not finished."""
        choices = self._choices
        return bool(choices) and all(c.finish_reason is not None for c in choices.values())

    def result(self) -> CreateChatCompletionResponse:
        """The response assembled from the chunks so far (a snapshot; adding more is fine).

        It shares no object with the chunks. Successive results share the items of the
        lists the chunks extend (token logprobs, annotations, lists of objects under unknown
        keys), which the accumulator copied from the chunks once: copying them again for
        every result would make a result after each chunk cost the whole stream each time.
        """
        head = self._head
        r = _new(CreateChatCompletionResponse)
        nulls: List[str] = []
        for key in ("id", "created", "model"):
            value = head.get(key)
            setattr(r, key, value)
            if value is None and key in head:
                nulls.append(key)
        r.object = "chat.completion" if self._object else None
        r.choices = [self._choices[i].choice(i) for i in sorted(self._choices)]
        r.metadata = None
        moderation = self._moderation
        if moderation is _NULL:
            nulls.append("moderation")
        r.moderation = None if moderation is None or moderation is _NULL else materialize(
            moderation)
        for key in ("service_tier", "system_fingerprint"):
            value = head.get(key)
            setattr(r, key, value)
            if value is None and key in head:
                nulls.append(key)
        usage = self._usage
        if usage is _NULL:
            r.usage = None
            nulls.append("usage")
        else:
            r.usage = None if usage is None else clone(usage)
        extra = materialize(self._extra)
        settle(r, extra, "metadata", lambda f: f.opt_str_map("v"), nulls)
        r._extra = raw_extra(extra, nulls, [])
        return r


_NULL = object()


def accumulate(
    chunks: Iterable[CreateChatCompletionStreamResponse],
) -> CreateChatCompletionResponse:
    """The response a stream of chunks adds up to (see ChatCompletionAccumulator)."""
    acc = ChatCompletionAccumulator()
    for chunk in chunks:
        acc.add(chunk)
    return acc.result()
