# SPDX-License-Identifier: MIT
"""Assemble streamed chunks into the response the same request returns without streaming."""
from __future__ import annotations

from ._errors import ValidationError
from ._fields import dump_json
from ._logprobs import _CHOICE_LOGPROBS_KEYS
from ._response import (
    _CHOICE_KEYS,
    _FUNCTION_KEYS,
    _MESSAGE_KEYS,
    _RESPONSE_KEYS,
    _TOOL_CALL_KEYS,
    CreateChatCompletionResponse,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Iterable, List, Optional

    from ._chunk import (
        ChatCompletionMessageToolCallChunk,
        ChatCompletionStreamResponseDelta,
        ChoiceDeltaToolCallFunction,
        CreateChatCompletionStreamResponse,
        CreateChatCompletionStreamResponseChoices,
    )

# Unknown fields are merged by how real servers use them:
# - reasoning text arrives in pieces and is concatenated, like content;
# - a list whose items carry an integer "index" (OpenRouter's reasoning_details, Groq's
#   executed_tools) is merged item by item, like tool calls: labels (id, type, name, ...)
#   from the first non-empty fragment, other strings concatenated;
# - other lists are extended, unless a chunk repeats the whole list so far, perhaps grown
#   (Perplexity sends all its citations on every chunk): then it replaces it;
# - objects merge; any other value is replaced by the next non-null one (Groq's "channel"
#   label must stay "analysis", not become "analysis" x 93).
_NONE: FrozenSet[str] = frozenset()
_CONCATENATED = frozenset(("reasoning_content", "reasoning"))
_LABELS = frozenset(("index", "id", "type", "name", "format", "role"))  # first non-empty wins
_STATES = frozenset(("status",))  # in an item, the latest wins
# A choice-level "message" is not merged into the message the deltas build (Writer repeats
# the whole message in every chunk). The transport padding "obfuscation" is a chunk field
# the accumulator never copies.
_CHOICE_DROPPED = frozenset(("message",))
_CUSTOM = frozenset(("custom",))


class _Text:
    """A string arriving in pieces: joined once, when a result is asked for (linear time)."""

    __slots__ = ("parts",)

    def __init__(self, first: str) -> None:
        self.parts = [first]


class _Indexed:
    """A list whose items are merged by their "index"."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: Dict[int, Dict[str, Any]] = {}


def _merge(
    acc: Dict[str, Any],
    new: Dict[str, Any],
    *,
    item: bool = False,
    whole_lists: bool = False,
    skip: FrozenSet[str] = _NONE,
) -> None:
    """Merge the unknown fields ``new`` into ``acc`` (see the rules above). ``item``: inside
    an indexed list item; ``whole_lists``: at a chunk's top level, where servers repeat lists."""
    for key, value in new.items():
        if key in skip:
            continue
        if value is None:  # a null never erases what came before
            if key not in acc:
                acc[key] = None
            continue
        old = acc.get(key)
        t = type(value)
        if t is str:
            if key in _LABELS if item else key not in _CONCATENATED:
                if not item or not old:
                    acc[key] = value
            elif item and key in _STATES:
                acc[key] = value
            elif type(old) is _Text:
                old.parts.append(value)
            else:
                acc[key] = _Text(value)
        elif t is dict:
            if type(old) is not dict:
                old = acc[key] = {}
            _merge(old, value, item=item, whole_lists=whole_lists)
        elif t is list:
            if value and all(type(x) is dict and type(x.get("index")) is int for x in value):
                if type(old) is not _Indexed:
                    old = acc[key] = _Indexed()
                for entry in value:
                    _merge(old.items.setdefault(entry["index"], {}), entry, item=True)
            elif type(old) is not list:
                acc[key] = dump_json(value)
            elif whole_lists and len(value) >= len(old) and value[: len(old)] == old:
                acc[key] = dump_json(value)  # the whole list again, perhaps grown
            else:
                old.extend(dump_json(value))
        else:
            acc[key] = value


def _materialize(value: Any) -> Any:
    t = type(value)
    if t is _Text:
        return "".join(value.parts)
    if t is dict:
        return {k: _materialize(v) for k, v in value.items()}
    if t is _Indexed:
        return [_materialize(value.items[i]) for i in sorted(value.items)]
    if t is list:
        return dump_json(value)
    return value


def _unknown(extra: Dict[str, Any], known: FrozenSet[str], keep: bool) -> Dict[str, Any]:
    """The merged unknown fields as a dict for the response; with ``keep`` False, without
    those named like a field of the response object (they may not fit its type)."""
    return {k: _materialize(v) for k, v in extra.items() if keep or k not in known}


class _ToolCall:
    """A tool call (or the legacy function_call) assembled from its fragments."""

    __slots__ = ("arguments", "custom", "extra", "function", "function_extra", "id", "index",
                 "name", "order", "type")

    def __init__(self, index: Optional[int], order: int) -> None:
        self.index = index
        self.order = order
        self.id: Optional[str] = None
        self.type: Optional[str] = None
        self.function = False
        self.name: Optional[str] = None
        self.arguments: List[str] = []
        self.extra: Dict[str, Any] = {}
        self.function_extra: Dict[str, Any] = {}
        self.custom: Optional[Dict[str, Any]] = None

    def add(self, frag: ChatCompletionMessageToolCallChunk) -> None:
        if frag.id and not self.id:
            self.id = frag.id
        if frag.type and not self.type:
            self.type = frag.type
        if frag.function is not None:
            self.add_function(frag.function)
        if frag.extra:
            _merge(self.extra, frag.extra, skip=_CUSTOM)
            custom = frag.extra.get("custom")
            if type(custom) is dict:  # a custom tool's input arrives in pieces, as arguments do
                if self.custom is None:
                    self.custom = {}
                _merge(self.custom, custom, item=True)

    def add_function(self, fn: ChoiceDeltaToolCallFunction) -> None:
        self.function = True
        if fn.name and not self.name:
            self.name = fn.name
        if fn.arguments:
            self.arguments.append(fn.arguments)
        if fn.extra:
            _merge(self.function_extra, fn.extra)

    def function_dict(self, keep: bool) -> Dict[str, Any]:
        d = _unknown(self.function_extra, _FUNCTION_KEYS, keep)
        d["name"] = self.name or ""
        d["arguments"] = "".join(self.arguments)
        return d

    def to_dict(self, keep: bool) -> Dict[str, Any]:
        d = _unknown(self.extra, _TOOL_CALL_KEYS, keep)
        d["id"] = self.id or ""
        if self.type is not None:
            d["type"] = self.type
        if self.function:
            d["function"] = self.function_dict(keep)
        if self.custom is not None:
            d["custom"] = _materialize(self.custom)
        return d


class _Choice:
    __slots__ = (
        "audio",
        "choice_extra",
        "content",
        "finish_reason",
        "function_call",
        "last_tool_call",
        "logprobs",
        "logprobs_content",
        "logprobs_extra",
        "logprobs_refusal",
        "message_extra",
        "refusal",
        "role",
        "tool_calls",
        "tool_calls_by_id",
        "tool_calls_by_index",
    )

    def __init__(self) -> None:
        self.role: Optional[str] = None
        self.content: Optional[List[str]] = None  # None: never sent; []: only nulls
        self.refusal: Optional[List[str]] = None
        self.function_call: Optional[_ToolCall] = None
        self.tool_calls: List[_ToolCall] = []
        self.tool_calls_by_index: Dict[int, _ToolCall] = {}
        self.tool_calls_by_id: Dict[str, _ToolCall] = {}
        self.last_tool_call: Optional[_ToolCall] = None
        self.audio: Optional[Dict[str, Any]] = None
        self.finish_reason: Optional[str] = None
        self.logprobs: Optional[bool] = None  # None: never sent; False: only null; True: an object
        self.logprobs_content: Optional[List[Any]] = None
        self.logprobs_refusal: Optional[List[Any]] = None
        self.logprobs_extra: Dict[str, Any] = {}
        self.message_extra: Dict[str, Any] = {}
        self.choice_extra: Dict[str, Any] = {}

    def add(self, c: CreateChatCompletionStreamResponseChoices) -> None:
        if c.finish_reason is not None:
            self.finish_reason = c.finish_reason
        if c.logprobs is not None:
            self.logprobs = True
            if c.logprobs.content is not None:
                if self.logprobs_content is None:
                    self.logprobs_content = []
                self.logprobs_content.extend(c.logprobs.content)
            if c.logprobs.refusal is not None:
                if self.logprobs_refusal is None:
                    self.logprobs_refusal = []
                self.logprobs_refusal.extend(c.logprobs.refusal)
            if c.logprobs.extra:
                _merge(self.logprobs_extra, c.logprobs.extra)
        elif "logprobs" in c._nulls and self.logprobs is None:
            self.logprobs = False
        if c.delta is not None:
            self._delta(c.delta)
        if c.extra:
            _merge(self.choice_extra, c.extra, skip=_CHOICE_DROPPED)

    def _delta(self, delta: ChatCompletionStreamResponseDelta) -> None:
        if delta.role and not self.role:
            self.role = delta.role
        if delta.content is not None:
            if self.content is None:
                self.content = [delta.content]
            else:
                self.content.append(delta.content)
        elif self.content is None and "content" in delta._nulls:
            self.content = []
        if delta.refusal is not None:
            if self.refusal is None:
                self.refusal = [delta.refusal]
            else:
                self.refusal.append(delta.refusal)
        elif self.refusal is None and "refusal" in delta._nulls:
            self.refusal = []
        if delta.tool_calls:
            for frag in delta.tool_calls:
                self._tool_call(frag).add(frag)
        if delta.function_call is not None:
            if self.function_call is None:
                self.function_call = _ToolCall(None, 0)
            self.function_call.add_function(delta.function_call)
        if delta.audio is not None:
            if self.audio is None:
                self.audio = {}
            _merge(self.audio, delta.audio.to_dict(), item=True)
        if delta.extra:
            _merge(self.message_extra, delta.extra)

    def _tool_call(self, frag: ChatCompletionMessageToolCallChunk) -> _ToolCall:
        """The call a fragment continues: by index, else by id, else the last one."""
        call: Optional[_ToolCall] = None
        if frag.index is not None:
            call = self.tool_calls_by_index.get(frag.index)
            if call is not None and frag.id and call.id and frag.id != call.id:
                # A server reusing one index for calls with distinct ids.
                call = self.tool_calls_by_id.get(frag.id)
        elif frag.id:
            call = self.tool_calls_by_id.get(frag.id)
        else:
            call = self.last_tool_call
        if call is None:
            call = _ToolCall(frag.index, len(self.tool_calls))
            self.tool_calls.append(call)
            if frag.index is not None:
                self.tool_calls_by_index[frag.index] = call
        if frag.id:
            self.tool_calls_by_id.setdefault(frag.id, call)
        self.last_tool_call = call
        return call

    def to_dict(self, index: int, keep: bool) -> Dict[str, Any]:
        message = _unknown(self.message_extra, _MESSAGE_KEYS, keep)
        message["role"] = self.role or "assistant"
        # content is always there, as in a response that was not streamed (null if no text)
        message["content"] = "".join(self.content) if self.content else None
        if self.refusal is not None:
            message["refusal"] = "".join(self.refusal) if self.refusal else None
        if self.function_call is not None:
            message["function_call"] = self.function_call.function_dict(keep)
        if self.tool_calls:
            calls = sorted(self.tool_calls, key=_call_order)
            message["tool_calls"] = [call.to_dict(keep) for call in calls]
        if self.audio is not None:
            message["audio"] = _materialize(self.audio)
        choice = _unknown(self.choice_extra, _CHOICE_KEYS, keep)
        choice["index"] = index
        choice["finish_reason"] = self.finish_reason
        choice["message"] = message
        if self.logprobs:
            logprobs = _unknown(self.logprobs_extra, _CHOICE_LOGPROBS_KEYS, keep)
            logprobs["content"] = _dump_all(self.logprobs_content)
            logprobs["refusal"] = _dump_all(self.logprobs_refusal)
            choice["logprobs"] = logprobs
        elif self.logprobs is not None:
            choice["logprobs"] = None
        return choice


def _call_order(call: _ToolCall) -> Any:
    return (call.index is None, call.index or 0, call.order)


def _dump_all(items: Optional[List[Any]]) -> Optional[List[Any]]:
    return None if items is None else [item.to_dict() for item in items]


class ChatCompletionAccumulator:
    """Merge chunks with ``add``; ``result()`` gives the response so far, at any time."""

    __slots__ = ("_choices", "_extra", "_head", "_moderation", "_usage")

    def __init__(self) -> None:
        self._head: Dict[str, Any] = {}
        self._choices: Dict[int, _Choice] = {}
        self._usage: Optional[Dict[str, Any]] = None
        self._moderation: Optional[Dict[str, Any]] = None
        self._extra: Dict[str, Any] = {}

    def add(self, chunk: CreateChatCompletionStreamResponse) -> None:
        """Merge one chunk."""
        head = self._head
        nulls = chunk._nulls
        # id, model, created, system_fingerprint, service_tier: the first non-empty value
        # wins; where no chunk has one (Azure's first chunk is all empty), the first seen.
        for key, value in (
            ("id", chunk.id),
            ("created", chunk.created),
            ("model", chunk.model),
            ("system_fingerprint", chunk.system_fingerprint),
            ("service_tier", chunk.service_tier),
        ):
            if key not in head:
                if value is not None or key in nulls:
                    head[key] = value
            elif value and not head[key]:
                head[key] = value
        if chunk.usage is not None:
            self._usage = chunk.usage.to_dict()
        if chunk.moderation is not None:
            if self._moderation is None:
                self._moderation = {}
            _merge(self._moderation, chunk.moderation)
        choices = self._choices
        for c in chunk.choices:
            index = c.index or 0
            state = choices.get(index)
            if state is None:
                state = choices[index] = _Choice()
            state.add(c)
        if chunk.extra:
            _merge(self._extra, chunk.extra, whole_lists=True)

    def result(self) -> CreateChatCompletionResponse:
        """The response assembled from the chunks so far (a snapshot; adding more is fine)."""
        try:
            return CreateChatCompletionResponse.from_dict(self._assemble(keep=True))
        except ValidationError:
            # An unknown chunk field named like a response field (a delta's "annotations")
            # that does not fit that field's type: leave such fields out rather than fail
            # on chunks that were all valid.
            return CreateChatCompletionResponse.from_dict(self._assemble(keep=False))

    def _assemble(self, keep: bool) -> Dict[str, Any]:
        head = self._head
        d = _unknown(self._extra, _RESPONSE_KEYS, keep)
        d["id"] = head.get("id") or ""
        d["object"] = "chat.completion"
        d["created"] = head.get("created") or 0
        d["model"] = head.get("model") or ""
        d["choices"] = [self._choices[i].to_dict(i, keep) for i in sorted(self._choices)]
        for key in ("system_fingerprint", "service_tier"):
            if key in head:
                d[key] = head[key]
        if self._usage is not None:
            d["usage"] = self._usage
        if self._moderation is not None:
            d["moderation"] = _materialize(self._moderation)
        return d


def accumulate(
    chunks: Iterable[CreateChatCompletionStreamResponse],
) -> CreateChatCompletionResponse:
    """The response a stream of chunks adds up to (see ChatCompletionAccumulator)."""
    acc = ChatCompletionAccumulator()
    for chunk in chunks:
        acc.add(chunk)
    return acc.result()
