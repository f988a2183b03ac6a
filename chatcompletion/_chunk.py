# SPDX-License-Identifier: MIT
"""The streaming tree: ``chat.completion.chunk``, one object per server-sent event."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional, Tuple  # at run time too: get_type_hints()

from ._base import Model
from ._fields import (
    dump_extra,
    dump_json,
    extra,
    not_object,
    nulls,
    opt_int,
    opt_json_object,
    opt_list,
    opt_obj,
    opt_str,
    plain,
    req_int,
    req_list,
    req_str,
)
from ._logprobs import ChoiceLogprobs
from ._response import ChatCompletionAudio, reasoning_text
from ._usage import CreateChatCompletionResponseUsage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._fields import model


_new = object.__new__


@model
class ChoiceDeltaToolCallFunction(Model):
    """A fragment of a function's name and arguments (tool call, or legacy ``function_call``)."""

    name: Optional[str] = None
    arguments: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChoiceDeltaToolCallFunction:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.name = opt_str(d, "name")
        obj.arguments = opt_str(d, "arguments")
        obj.extra = (
            {} if _DELTA_FUNCTION_KEYS.issuperset(d) else extra(d, _DELTA_FUNCTION_KEYS, depth)
        )
        obj._nulls = () if None not in d.values() else nulls(d, _DELTA_FUNCTION_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.name is not None or "name" in n:
            d["name"] = self.name
        if self.arguments is not None or "arguments" in n:
            d["arguments"] = self.arguments
        return dump_extra(d, self.extra) if self.extra else d


_DELTA_FUNCTION_KEYS_ORDERED = ("name", "arguments")
_DELTA_FUNCTION_KEYS = frozenset(_DELTA_FUNCTION_KEYS_ORDERED)


@model
class ChatCompletionMessageToolCallChunk(Model):
    """A fragment of a tool call; fragments with the same ``index`` belong to one call.

    Every key is optional: Mistral sends whole calls without ``index`` or ``type``.
    """

    index: Optional[int] = None
    id: Optional[str] = None
    type: Optional[str] = None
    function: Optional[ChoiceDeltaToolCallFunction] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.type = plain(self.type)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionMessageToolCallChunk:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.index = opt_int(d, "index")
        obj.id = opt_str(d, "id")
        obj.type = opt_str(d, "type")
        obj.function = opt_obj(d, "function", ChoiceDeltaToolCallFunction._parse, depth)
        obj.extra = (
            {} if _DELTA_TOOL_CALL_KEYS.issuperset(d) else extra(d, _DELTA_TOOL_CALL_KEYS, depth)
        )
        obj._nulls = () if None not in d.values() else nulls(d, _DELTA_TOOL_CALL_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.index is not None or "index" in n:
            d["index"] = self.index
        if self.id is not None or "id" in n:
            d["id"] = self.id
        if self.type is not None or "type" in n:
            d["type"] = self.type
        if self.function is not None:
            d["function"] = self.function.to_dict()
        elif "function" in n:
            d["function"] = None
        return dump_extra(d, self.extra) if self.extra else d


_DELTA_TOOL_CALL_KEYS_ORDERED = ("index", "id", "type", "function")
_DELTA_TOOL_CALL_KEYS = frozenset(_DELTA_TOOL_CALL_KEYS_ORDERED)


# Audio fragments have the response's audio fields, every one optional: one class for both.
ChoiceDeltaAudio = ChatCompletionAudio


@model
class ChatCompletionStreamResponseDelta(Model):
    """What one chunk adds to a choice's message (the SDK's ``ChoiceDelta``)."""

    role: Optional[str] = None
    content: Optional[str] = None
    refusal: Optional[str] = None
    function_call: Optional[ChoiceDeltaToolCallFunction] = None
    tool_calls: Optional[List[ChatCompletionMessageToolCallChunk]] = None
    audio: Optional[ChoiceDeltaAudio] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @property
    def reasoning_text(self) -> Optional[str]:
        """This chunk's reasoning text (``reasoning_content`` or ``reasoning``), or None."""
        return reasoning_text(self.extra)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.role = plain(self.role)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionStreamResponseDelta:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.role = opt_str(d, "role")
        obj.content = opt_str(d, "content")
        obj.refusal = opt_str(d, "refusal")
        obj.function_call = opt_obj(d, "function_call", ChoiceDeltaToolCallFunction._parse, depth)
        obj.tool_calls = opt_list(d, "tool_calls", ChatCompletionMessageToolCallChunk._parse, depth)
        obj.audio = opt_obj(d, "audio", ChoiceDeltaAudio._parse, depth)
        obj.extra = {} if _DELTA_KEYS.issuperset(d) else extra(d, _DELTA_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _DELTA_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.role is not None or "role" in n:
            d["role"] = self.role
        if self.content is not None or "content" in n:
            d["content"] = self.content
        if self.refusal is not None or "refusal" in n:
            d["refusal"] = self.refusal
        if self.function_call is not None:
            d["function_call"] = self.function_call.to_dict()
        elif "function_call" in n:
            d["function_call"] = None
        if self.tool_calls is not None:
            d["tool_calls"] = [t.to_dict() for t in self.tool_calls]
        elif "tool_calls" in n:
            d["tool_calls"] = None
        if self.audio is not None:
            d["audio"] = self.audio.to_dict()
        elif "audio" in n:
            d["audio"] = None
        return dump_extra(d, self.extra) if self.extra else d


_DELTA_KEYS_ORDERED = ("role", "content", "refusal", "function_call", "tool_calls", "audio")
_DELTA_KEYS = frozenset(_DELTA_KEYS_ORDERED)


@model
class CreateChatCompletionStreamResponseChoices(Model):
    """One choice's fragment in a chunk. Every key is optional: Azure's content-filter
    chunks carry no ``delta``, and the last chunk of some servers no ``finish_reason``."""

    index: Optional[int] = None
    delta: Optional[ChatCompletionStreamResponseDelta] = None
    finish_reason: Optional[str] = None
    logprobs: Optional[ChoiceLogprobs] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.finish_reason = plain(self.finish_reason)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionStreamResponseChoices:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.index = opt_int(d, "index")
        obj.delta = opt_obj(d, "delta", ChatCompletionStreamResponseDelta._parse, depth)
        obj.finish_reason = opt_str(d, "finish_reason")
        obj.logprobs = opt_obj(d, "logprobs", ChoiceLogprobs._parse, depth)
        obj.extra = {} if _CHUNK_CHOICE_KEYS.issuperset(d) else extra(d, _CHUNK_CHOICE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _CHUNK_CHOICE_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.index is not None or "index" in n:
            d["index"] = self.index
        if self.delta is not None:
            d["delta"] = self.delta.to_dict()
        elif "delta" in n:
            d["delta"] = None
        if self.finish_reason is not None or "finish_reason" in n:
            d["finish_reason"] = self.finish_reason
        if self.logprobs is not None:
            d["logprobs"] = self.logprobs.to_dict()
        elif "logprobs" in n:
            d["logprobs"] = None
        return dump_extra(d, self.extra) if self.extra else d


_CHUNK_CHOICE_KEYS_ORDERED = ("index", "delta", "finish_reason", "logprobs")
_CHUNK_CHOICE_KEYS = frozenset(_CHUNK_CHOICE_KEYS_ORDERED)


@model
class CreateChatCompletionStreamResponse(Model):
    """One streamed chunk, ``object`` "chat.completion.chunk" (the SDK's ``ChatCompletionChunk``).

    Azure's first chunk has an empty ``id``, ``model`` and ``object``, ``created`` 0 and no
    choices; the last chunk of a stream with ``include_usage`` has ``usage`` and no choices.
    """

    id: str
    choices: List[CreateChatCompletionStreamResponseChoices]
    created: int
    model: str
    object: str
    moderation: Optional[Dict[str, Any]] = None
    obfuscation: Optional[str] = None
    service_tier: Optional[str] = None
    system_fingerprint: Optional[str] = None
    usage: Optional[CreateChatCompletionResponseUsage] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.service_tier = plain(self.service_tier)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionStreamResponse:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.id = req_str(d, "id")
        obj.choices = (
            req_list(d, "choices", CreateChatCompletionStreamResponseChoices._parse, depth)
        )
        obj.created = req_int(d, "created")
        obj.model = req_str(d, "model")
        obj.object = req_str(d, "object")
        obj.moderation = opt_json_object(d, "moderation", depth)
        obj.obfuscation = opt_str(d, "obfuscation")
        obj.service_tier = opt_str(d, "service_tier")
        obj.system_fingerprint = opt_str(d, "system_fingerprint")
        obj.usage = opt_obj(d, "usage", CreateChatCompletionResponseUsage._parse, depth)
        obj.extra = {} if _CHUNK_KEYS.issuperset(d) else extra(d, _CHUNK_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _CHUNK_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {
            "id": self.id,
            "choices": [c.to_dict() for c in self.choices],
            "created": self.created,
            "model": self.model,
            "object": self.object,
        }
        if self.moderation is not None or "moderation" in n:
            d["moderation"] = dump_json(self.moderation)
        if self.obfuscation is not None or "obfuscation" in n:
            d["obfuscation"] = self.obfuscation
        if self.service_tier is not None or "service_tier" in n:
            d["service_tier"] = self.service_tier
        if self.system_fingerprint is not None or "system_fingerprint" in n:
            d["system_fingerprint"] = self.system_fingerprint
        if self.usage is not None:
            d["usage"] = self.usage.to_dict()
        elif "usage" in n:
            d["usage"] = None
        return dump_extra(d, self.extra) if self.extra else d


_CHUNK_OPTIONAL = ("moderation", "obfuscation", "service_tier", "system_fingerprint", "usage")
_CHUNK_KEYS = frozenset(("id", "choices", "created", "model", "object", *_CHUNK_OPTIONAL))
