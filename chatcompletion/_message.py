# SPDX-License-Identifier: MIT
"""The message a choice generated: its annotations, audio and tool calls, its reasoning
text wherever servers put it, and the message as the next request's ``to_param()``."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, extras_of, plain
from ._errors import ValidationError
from ._fields import Fields
from ._json import dump_extra, dump_json
from ._tools import ChatCompletionMessageToolCall, Function, calls_param

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
    from typing import Iterable
else:
    from ._base import model

_new = object.__new__
_URL_CITATION_KEYS = frozenset(("end_index", "start_index", "title", "url"))
_URL_CITATION_SPEC = ("end_index", "start_index", "title", "url")
_ANNOTATION_KEYS = frozenset(("type", "url_citation"))
_ANNOTATION_SPEC = ("type", "url_citation")
_AUDIO_KEYS = frozenset(("id", "data", "expires_at", "transcript"))
_AUDIO_SPEC = ("id", "data", "expires_at", "transcript")
MESSAGE_KEYS = frozenset(
    ("role", "content", "refusal", "annotations", "audio", "function_call", "tool_calls")
)
_MESSAGE_SPEC = ("content", "refusal")
_CONTENT_REFUSAL, _CONTENT, _REFUSAL = ("content", "refusal"), ("content",), ("refusal",)
_THINK, _END_THINK = "<think>", "</think>"


@model
class AnnotationURLCitation(Model):
    """A cited web page and the span of the message text that cites it."""

    end_index: Optional[int] = None
    """Index of the last character of the cited span in the message text."""
    start_index: Optional[int] = None
    """Index of the first character of the cited span."""
    title: Optional[str] = None
    """Title of the cited page."""
    url: Optional[str] = None
    """URL of the cited page."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> AnnotationURLCitation:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.end_index = f.opt_int("end_index")
        obj.start_index = f.opt_int("start_index")
        obj.title = f.opt_str("title")
        obj.url = f.opt_str("url")
        obj._extra = f.extra(_URL_CITATION_KEYS, _URL_CITATION_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.end_index is not None or "end_index" in n:
            d["end_index"] = self.end_index
        if self.start_index is not None or "start_index" in n:
            d["start_index"] = self.start_index
        if self.title is not None or "title" in n:
            d["title"] = self.title
        if self.url is not None or "url" in n:
            d["url"] = self.url
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class Annotation(Model):
    """A message annotation; ``type`` is ``"url_citation"`` today, other types are kept."""

    type: Optional[str] = None
    """The kind of annotation (see AnnotationType)."""
    url_citation: Optional[AnnotationURLCitation] = None
    """The citation, for ``url_citation`` annotations."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> Annotation:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.type = f.opt_str("type")
        obj.url_citation = f.opt_obj("url_citation", AnnotationURLCitation)
        obj._extra = f.extra(_ANNOTATION_KEYS, _ANNOTATION_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        v = self.type
        if v is not None or "type" in n:
            d["type"] = v if type(v) is str else plain(v)
        if self.url_citation is not None:
            d["url_citation"] = self.url_citation.to_dict()
        elif "url_citation" in n:
            d["url_citation"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class ChatCompletionAudio(Model):
    """Audio output of a message (when the audio modality was requested)."""

    id: Optional[str] = None
    """The audio's id: the next request refers to it (``to_param``)."""
    data: Optional[str] = None
    """Base64-encoded audio."""
    expires_at: Optional[int] = None
    """Unix time after which the server no longer keeps the audio."""
    transcript: Optional[str] = None
    """Transcript of the audio."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionAudio:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.data = f.opt_str("data")
        obj.expires_at = f.opt_int("expires_at")
        obj.transcript = f.opt_str("transcript")
        obj._extra = f.extra(_AUDIO_KEYS, _AUDIO_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        if self.data is not None or "data" in n:
            d["data"] = self.data
        if self.expires_at is not None or "expires_at" in n:
            d["expires_at"] = self.expires_at
        if self.transcript is not None or "transcript" in n:
            d["transcript"] = self.transcript
        return dump_extra(d, x) if x and type(x) is not tuple else d


def reasoning_text(content: Optional[str], extra: Optional[Dict[str, Any]]) -> Optional[str]:
    """The reasoning text servers add: ``reasoning_content`` (DeepSeek, vLLM), else
    ``reasoning`` (OpenRouter, Groq, Ollama), else a ``<think>…</think>`` block that opens
    ``content`` (DeepSeek-R1 on Ollama and Hyperbolic; all of it while the block is open)."""
    if extra:
        text = extra.get("reasoning_content")
        if type(text) is str:
            return text
        text = extra.get("reasoning")
        if type(text) is str:
            return text
    if content is None or _THINK not in content[:100]:
        return None
    head = content.lstrip()
    if not head.startswith(_THINK):
        return None
    end = head.find(_END_THINK)
    return head[len(_THINK):] if end < 0 else head[len(_THINK):end]


@model
class ChatCompletionResponseMessage(Model):
    """The message a choice generated. ``content`` is None when it holds only tool calls."""

    role: str
    """Who wrote it: ``"assistant"`` (see ChatCompletionResponseMessageRole)."""
    content: Optional[str] = None
    """The text of the reply; None for a reply of tool calls only, or a refusal."""
    refusal: Optional[str] = None
    """Why the model declined, when it did."""
    annotations: Optional[List[Annotation]] = None
    """Citations in the text (web search)."""
    audio: Optional[ChatCompletionAudio] = None
    """Audio output, when it was requested."""
    function_call: Optional[Function] = None
    """The legacy single function call (superseded by ``tool_calls``)."""
    tool_calls: Optional[List[ChatCompletionMessageToolCall]] = None
    """The tools the model calls."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (``reasoning_content`` and other provider fields)."""

    @property
    def reasoning_text(self) -> Optional[str]:
        """The reasoning text, wherever the server put it (see ``reasoning_text()``), or None.
        ``content`` is never changed."""
        return reasoning_text(self.content, extras_of(self))

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionResponseMessage:
        # Fast path: the shape OpenAI sends, {role, content, refusal, annotations} and
        # tool_calls when there are some; content and refusal strings or null, annotations
        # a list. Anything else (other keys, wrong types) is read by _read, which alone
        # reports errors and keeps unknown keys.
        if type(d) is dict and 4 <= len(d) <= 5:
            try:
                role = d["role"]
                content = d["content"]
                refusal = d["refusal"]
                annotations = d["annotations"]
                tool_calls = d["tool_calls"] if len(d) == 5 else None
            except KeyError:
                return cls._read(d, depth, None)
            if (type(role) is str and (content is None or type(content) is str)
                    and (refusal is None or type(refusal) is str) and type(annotations) is list
                    and ((tool_calls is None and len(d) == 4) or type(tool_calls) is list)):
                try:  # (an empty list costs no comprehension: most are empty)
                    calls = None if tool_calls is None else [
                        ChatCompletionMessageToolCall._parse(t, depth + 2) for t in tool_calls
                    ] if tool_calls else []
                    notes = [Annotation._parse(a, depth + 2) for a in annotations
                             ] if annotations else []
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.role = role
                obj.content = content
                obj.refusal = refusal
                obj.annotations = notes
                obj.audio = None
                obj.function_call = None
                obj.tool_calls = calls
                if refusal is None:  # the nulls, in the stored form of extra (raw_extra)
                    obj._extra = _REFUSAL if content is not None else _CONTENT_REFUSAL
                else:
                    obj._extra = None if content is not None else _CONTENT
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionResponseMessage:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.role = f.req_str("role")
        obj.content = f.opt_str("content")
        obj.refusal = f.opt_str("refusal")
        obj.annotations = f.opt_list("annotations", Annotation)
        obj.audio = f.opt_obj("audio", ChatCompletionAudio)
        obj.function_call = f.opt_obj("function_call", Function)
        obj.tool_calls = f.opt_list("tool_calls", ChatCompletionMessageToolCall)
        obj._extra = f.extra(MESSAGE_KEYS, _MESSAGE_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        v = self.role
        d: Dict[str, Any] = {"role": v if type(v) is str else plain(v)}
        if self.content is not None or "content" in n:
            d["content"] = self.content
        if self.refusal is not None or "refusal" in n:
            d["refusal"] = self.refusal
        annotations = self.annotations
        if annotations is not None:  # (most are empty: no comprehension for those)
            d["annotations"] = [a.to_dict() for a in annotations] if annotations else []
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
        return dump_extra(d, x) if x and type(x) is not tuple else d

    def to_param(self, *, keep: Iterable[str] = ()) -> Dict[str, Any]:
        """This message as an assistant message of the next Chat Completions request.

        Only the keys the request has (``role``, ``content``, ``refusal``, ``name``,
        ``audio`` as ``{"id": ...}``, ``tool_calls``, ``function_call``), never a ``null``;
        provider fields only when named in ``keep`` (``keep=["reasoning_content"]`` for
        DeepSeek's tool-call turns). A tool call without ``id`` gets one from ``call_id()``.
        """
        param: Dict[str, Any] = {"role": "assistant"}
        calls = calls_param(self.tool_calls) if self.tool_calls else []
        fn = self.function_call
        audio_id = self.audio.id if self.audio is not None else None
        if self.content is not None:
            param["content"] = self.content
        elif not calls and fn is None and audio_id is None:
            param["content"] = ""  # the request wants content unless there are calls or audio
        if self.refusal is not None:
            param["refusal"] = self.refusal
        extra = extras_of(self) or {}
        name = extra.get("name")
        if type(name) is str:
            param["name"] = name
        if audio_id is not None:
            param["audio"] = {"id": audio_id}
        if calls:
            param["tool_calls"] = calls
        if fn is not None:
            param["function_call"] = {"name": fn.name, "arguments": fn.arguments}
        for key in (keep,) if type(keep) is str else keep:
            value = extra.get(key)
            if value is not None and key not in param:
                param[key] = dump_json(value)
        return param
