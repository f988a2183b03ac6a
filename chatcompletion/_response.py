# SPDX-License-Identifier: MIT
"""The non-streaming response tree: ``chat.completion``."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional, Tuple  # at run time too: get_type_hints()

from ._base import Model
from ._errors import ValidationError
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
    opt_str_map,
    plain,
    req_int,
    req_list,
    req_str,
)
from ._logprobs import ChoiceLogprobs
from ._usage import CreateChatCompletionResponseUsage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._fields import model


_new = object.__new__


@model
class Function(Model):
    """A function's name and its arguments as JSON text (tool call ``function``, legacy
    ``function_call``). The model may produce invalid JSON: decode with care."""

    name: str
    arguments: str
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> Function:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.name = req_str(d, "name")
        obj.arguments = req_str(d, "arguments")
        obj.extra = {} if _FUNCTION_KEYS.issuperset(d) else extra(d, _FUNCTION_KEYS, depth)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"name": self.name, "arguments": self.arguments}
        return dump_extra(d, self.extra) if self.extra else d


_FUNCTION_KEYS = frozenset(("name", "arguments"))


@model
class Custom(Model):
    """A custom tool's name and its free-form input."""

    name: Optional[str] = None
    input: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> Custom:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.name = opt_str(d, "name")
        obj.input = opt_str(d, "input")
        obj.extra = {} if _CUSTOM_KEYS.issuperset(d) else extra(d, _CUSTOM_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _CUSTOM_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.name is not None or "name" in n:
            d["name"] = self.name
        if self.input is not None or "input" in n:
            d["input"] = self.input
        return dump_extra(d, self.extra) if self.extra else d


_CUSTOM_KEYS_ORDERED = ("name", "input")
_CUSTOM_KEYS = frozenset(_CUSTOM_KEYS_ORDERED)


@model
class ChatCompletionMessageToolCall(Model):
    """A tool call: ``function`` for function tools, ``custom`` for custom tools.

    One class for both kinds, since servers omit ``type`` (Mistral) or send both payloads.
    """

    id: str
    type: Optional[str] = None
    function: Optional[Function] = None
    custom: Optional[Custom] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.type = plain(self.type)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionMessageToolCall:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.id = req_str(d, "id")
        obj.type = opt_str(d, "type")
        obj.function = opt_obj(d, "function", Function._parse, depth)
        obj.custom = opt_obj(d, "custom", Custom._parse, depth)
        obj.extra = {} if _TOOL_CALL_KEYS.issuperset(d) else extra(d, _TOOL_CALL_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _TOOL_CALL_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {"id": self.id}
        if self.type is not None or "type" in n:
            d["type"] = self.type
        if self.function is not None:
            d["function"] = self.function.to_dict()
        elif "function" in n:
            d["function"] = None
        if self.custom is not None:
            d["custom"] = self.custom.to_dict()
        elif "custom" in n:
            d["custom"] = None
        return dump_extra(d, self.extra) if self.extra else d


_TOOL_CALL_OPTIONAL = ("type", "function", "custom")
_TOOL_CALL_KEYS = frozenset(("id", *_TOOL_CALL_OPTIONAL))


@model
class AnnotationURLCitation(Model):
    """A cited web page and the span of the message text that cites it."""

    end_index: Optional[int] = None
    start_index: Optional[int] = None
    title: Optional[str] = None
    url: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> AnnotationURLCitation:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.end_index = opt_int(d, "end_index")
        obj.start_index = opt_int(d, "start_index")
        obj.title = opt_str(d, "title")
        obj.url = opt_str(d, "url")
        obj.extra = {} if _URL_CITATION_KEYS.issuperset(d) else extra(d, _URL_CITATION_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _URL_CITATION_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.end_index is not None or "end_index" in n:
            d["end_index"] = self.end_index
        if self.start_index is not None or "start_index" in n:
            d["start_index"] = self.start_index
        if self.title is not None or "title" in n:
            d["title"] = self.title
        if self.url is not None or "url" in n:
            d["url"] = self.url
        return dump_extra(d, self.extra) if self.extra else d


_URL_CITATION_KEYS_ORDERED = ("end_index", "start_index", "title", "url")
_URL_CITATION_KEYS = frozenset(_URL_CITATION_KEYS_ORDERED)


@model
class Annotation(Model):
    """A message annotation; ``type`` is ``"url_citation"`` today, other types are kept."""

    type: Optional[str] = None
    url_citation: Optional[AnnotationURLCitation] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.type = plain(self.type)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> Annotation:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.type = opt_str(d, "type")
        obj.url_citation = opt_obj(d, "url_citation", AnnotationURLCitation._parse, depth)
        obj.extra = {} if _ANNOTATION_KEYS.issuperset(d) else extra(d, _ANNOTATION_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _ANNOTATION_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.type is not None or "type" in n:
            d["type"] = self.type
        if self.url_citation is not None:
            d["url_citation"] = self.url_citation.to_dict()
        elif "url_citation" in n:
            d["url_citation"] = None
        return dump_extra(d, self.extra) if self.extra else d


_ANNOTATION_KEYS_ORDERED = ("type", "url_citation")
_ANNOTATION_KEYS = frozenset(_ANNOTATION_KEYS_ORDERED)


@model
class ChatCompletionAudio(Model):
    """Audio output of a message (when the audio modality was requested)."""

    id: Optional[str] = None
    data: Optional[str] = None
    expires_at: Optional[int] = None
    transcript: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionAudio:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.id = opt_str(d, "id")
        obj.data = opt_str(d, "data")
        obj.expires_at = opt_int(d, "expires_at")
        obj.transcript = opt_str(d, "transcript")
        obj.extra = {} if _AUDIO_KEYS.issuperset(d) else extra(d, _AUDIO_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _AUDIO_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        if self.data is not None or "data" in n:
            d["data"] = self.data
        if self.expires_at is not None or "expires_at" in n:
            d["expires_at"] = self.expires_at
        if self.transcript is not None or "transcript" in n:
            d["transcript"] = self.transcript
        return dump_extra(d, self.extra) if self.extra else d


_AUDIO_KEYS_ORDERED = ("id", "data", "expires_at", "transcript")
_AUDIO_KEYS = frozenset(_AUDIO_KEYS_ORDERED)


def reasoning_text(extra: Dict[str, Any]) -> Optional[str]:
    """The provider's reasoning text: ``reasoning_content`` (DeepSeek, vLLM), else ``reasoning``."""
    text = extra.get("reasoning_content")
    if type(text) is str:
        return text
    text = extra.get("reasoning")
    return text if type(text) is str else None


@model
class ChatCompletionResponseMessage(Model):
    """The message a choice generated. ``content`` is None when it holds only tool calls."""

    role: str
    content: Optional[str] = None
    refusal: Optional[str] = None
    annotations: Optional[List[Annotation]] = None
    audio: Optional[ChatCompletionAudio] = None
    function_call: Optional[Function] = None
    tool_calls: Optional[List[ChatCompletionMessageToolCall]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @property
    def reasoning_text(self) -> Optional[str]:
        """The reasoning text some servers add (``reasoning_content`` or ``reasoning``), or None."""
        return reasoning_text(self.extra)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.role = plain(self.role)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionResponseMessage:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.role = req_str(d, "role")
        obj.content = opt_str(d, "content")
        obj.refusal = opt_str(d, "refusal")
        obj.annotations = opt_list(d, "annotations", Annotation._parse, depth)
        obj.audio = opt_obj(d, "audio", ChatCompletionAudio._parse, depth)
        obj.function_call = opt_obj(d, "function_call", Function._parse, depth)
        obj.tool_calls = opt_list(d, "tool_calls", ChatCompletionMessageToolCall._parse, depth)
        obj.extra = {} if _MESSAGE_KEYS.issuperset(d) else extra(d, _MESSAGE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _MESSAGE_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {"role": self.role}
        if self.content is not None or "content" in n:
            d["content"] = self.content
        if self.refusal is not None or "refusal" in n:
            d["refusal"] = self.refusal
        if self.annotations is not None:
            d["annotations"] = [a.to_dict() for a in self.annotations]
        elif "annotations" in n:
            d["annotations"] = None
        if self.audio is not None:
            d["audio"] = self.audio.to_dict()
        elif "audio" in n:
            d["audio"] = None
        if self.function_call is not None:
            d["function_call"] = self.function_call.to_dict()
        elif "function_call" in n:
            d["function_call"] = None
        if self.tool_calls is not None:
            d["tool_calls"] = [t.to_dict() for t in self.tool_calls]
        elif "tool_calls" in n:
            d["tool_calls"] = None
        return dump_extra(d, self.extra) if self.extra else d


_MESSAGE_OPTIONAL = "content", "refusal", "annotations", "audio", "function_call", "tool_calls",
_MESSAGE_KEYS = frozenset(("role", *_MESSAGE_OPTIONAL))


@model
class CreateChatCompletionResponseChoices(Model):
    """One generated alternative. Every key is optional: a content-filtered Azure choice
    has no ``message``, and older servers omit ``index`` or ``finish_reason``."""

    finish_reason: Optional[str] = None
    index: Optional[int] = None
    logprobs: Optional[ChoiceLogprobs] = None
    message: Optional[ChatCompletionResponseMessage] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.finish_reason = plain(self.finish_reason)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponseChoices:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.finish_reason = opt_str(d, "finish_reason")
        obj.index = opt_int(d, "index")
        obj.logprobs = opt_obj(d, "logprobs", ChoiceLogprobs._parse, depth)
        obj.message = opt_obj(d, "message", ChatCompletionResponseMessage._parse, depth)
        obj.extra = {} if _CHOICE_KEYS.issuperset(d) else extra(d, _CHOICE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _CHOICE_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.finish_reason is not None or "finish_reason" in n:
            d["finish_reason"] = self.finish_reason
        if self.index is not None or "index" in n:
            d["index"] = self.index
        if self.logprobs is not None:
            d["logprobs"] = self.logprobs.to_dict()
        elif "logprobs" in n:
            d["logprobs"] = None
        if self.message is not None:
            d["message"] = self.message.to_dict()
        elif "message" in n:
            d["message"] = None
        return dump_extra(d, self.extra) if self.extra else d


_CHOICE_KEYS_ORDERED = ("finish_reason", "index", "logprobs", "message")
_CHOICE_KEYS = frozenset(_CHOICE_KEYS_ORDERED)

CHUNK_OBJECT = "chat.completion.chunk"


def _object_kind(d: Dict[str, Any]) -> str:
    kind = req_str(d, "object")
    if kind == CHUNK_OBJECT:
        raise ValidationError(
            "Expected a response, got a stream chunk (`object` is 'chat.completion.chunk'): "
            "parse it with CreateChatCompletionStreamResponse",
            path="$.object", expected="chat.completion", found=CHUNK_OBJECT,
        )
    return kind


@model
class CreateChatCompletionResponse(Model):
    """A chat completion response, ``object`` "chat.completion" (the SDK's ``ChatCompletion``)."""

    id: str
    choices: List[CreateChatCompletionResponseChoices]
    created: int
    model: str
    object: str
    metadata: Optional[Dict[str, str]] = None
    moderation: Optional[Dict[str, Any]] = None
    service_tier: Optional[str] = None
    system_fingerprint: Optional[str] = None
    usage: Optional[CreateChatCompletionResponseUsage] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # Only objects built in code get here: from_dict does not call __init__.
        self.service_tier = plain(self.service_tier)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponse:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.id = req_str(d, "id")
        obj.choices = req_list(d, "choices", CreateChatCompletionResponseChoices._parse, depth)
        obj.created = req_int(d, "created")
        obj.model = req_str(d, "model")
        obj.object = _object_kind(d)
        obj.metadata = opt_str_map(d, "metadata")
        obj.moderation = opt_json_object(d, "moderation", depth)
        obj.service_tier = opt_str(d, "service_tier")
        obj.system_fingerprint = opt_str(d, "system_fingerprint")
        obj.usage = opt_obj(d, "usage", CreateChatCompletionResponseUsage._parse, depth)
        obj.extra = {} if _RESPONSE_KEYS.issuperset(d) else extra(d, _RESPONSE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _RESPONSE_OPTIONAL)
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
        if self.metadata is not None or "metadata" in n:
            d["metadata"] = None if self.metadata is None else self.metadata.copy()
        if self.moderation is not None or "moderation" in n:
            d["moderation"] = dump_json(self.moderation)
        if self.service_tier is not None or "service_tier" in n:
            d["service_tier"] = self.service_tier
        if self.system_fingerprint is not None or "system_fingerprint" in n:
            d["system_fingerprint"] = self.system_fingerprint
        if self.usage is not None:
            d["usage"] = self.usage.to_dict()
        elif "usage" in n:
            d["usage"] = None
        return dump_extra(d, self.extra) if self.extra else d


_RESPONSE_OPTIONAL = "metadata", "moderation", "service_tier", "system_fingerprint", "usage",
_RESPONSE_KEYS = frozenset(("id", "choices", "created", "model", "object", *_RESPONSE_OPTIONAL))
