# SPDX-License-Identifier: MIT
"""The delta of a streamed choice: what one chunk adds to the message, with its tool-call
fragments and audio; every key is optional (servers differ in which keys they repeat)."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, extras_of, plain
from ._fields import Fields
from ._json import dump_extra
from ._message import reasoning_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._base import model

_new = object.__new__
DELTA_FUNCTION_KEYS = frozenset(("name", "arguments"))
DELTA_TOOL_CALL_KEYS = frozenset(("index", "id", "type", "function"))
_DELTA_TOOL_CALL_SPEC = ("index",)
DELTA_AUDIO_KEYS = frozenset(("id", "data", "expires_at", "transcript"))
DELTA_KEYS = frozenset(("role", "content", "refusal", "function_call", "tool_calls", "audio"))


@model
class ChoiceDeltaToolCallFunction(Model):
    """A fragment of a function's name and arguments (tool call, or legacy ``function_call``)."""

    name: Optional[str] = None
    """The function's name, in the call's first fragment."""
    arguments: Optional[str] = None
    """The next piece of the arguments' JSON text."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChoiceDeltaToolCallFunction:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.name = f.opt_str("name")
        obj.arguments = f.opt_str("arguments")
        obj._extra = f.extra(DELTA_FUNCTION_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.name is not None or "name" in n:
            d["name"] = self.name
        if self.arguments is not None or "arguments" in n:
            d["arguments"] = self.arguments
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class ChatCompletionMessageToolCallChunk(Model):
    """A fragment of a tool call; fragments with the same ``index`` belong to one call.

    Every key is optional: Mistral sends whole calls without ``index`` or ``type``.
    """

    index: Optional[int] = None
    """Which call of the message this fragment continues."""
    id: Optional[str] = None
    """The call's id, in its first fragment."""
    type: Optional[str] = None
    """``"function"`` (see ToolCallType), in the call's first fragment."""
    function: Optional[ChoiceDeltaToolCallFunction] = None
    """The function's name and the next piece of its arguments."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (a custom tool call's ``custom``)."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionMessageToolCallChunk:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.index = f.opt_int("index")
        obj.id = f.opt_str("id")
        obj.type = f.opt_str("type")
        obj.function = f.opt_obj("function", ChoiceDeltaToolCallFunction)
        obj._extra = f.extra(DELTA_TOOL_CALL_KEYS, _DELTA_TOOL_CALL_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.index is not None or "index" in n:
            d["index"] = self.index
        if self.id is not None or "id" in n:
            d["id"] = self.id
        v = self.type
        if v is not None or "type" in n:
            d["type"] = v if type(v) is str else plain(v)
        if self.function is not None:
            d["function"] = self.function.to_dict()
        elif "function" in n:
            d["function"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class ChoiceDeltaAudio(Model):
    """A fragment of a message's audio: its id first, then pieces of data and transcript."""

    id: Optional[str] = None
    """The audio's id."""
    data: Optional[str] = None
    """The next piece of the base64-encoded audio."""
    expires_at: Optional[int] = None
    """Unix time after which the server no longer keeps the audio."""
    transcript: Optional[str] = None
    """The next piece of the transcript."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChoiceDeltaAudio:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.data = f.opt_str("data")
        obj.expires_at = f.opt_int("expires_at")
        obj.transcript = f.opt_str("transcript")
        obj._extra = f.extra(DELTA_AUDIO_KEYS)
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


@model
class ChatCompletionStreamResponseDelta(Model):
    """What one chunk adds to a choice's message (the SDK's ``ChoiceDelta``)."""

    role: Optional[str] = None
    """Who writes the message, in its first chunk."""
    content: Optional[str] = None
    """The next piece of the content."""
    refusal: Optional[str] = None
    """The next piece of a refusal."""
    function_call: Optional[ChoiceDeltaToolCallFunction] = None
    """The next fragment of the legacy function call."""
    tool_calls: Optional[List[ChatCompletionMessageToolCallChunk]] = None
    """Fragments of tool calls."""
    audio: Optional[ChoiceDeltaAudio] = None
    """A fragment of the audio."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (the next piece of ``reasoning_content``, ...)."""

    @property
    def reasoning_text(self) -> Optional[str]:
        """This chunk's reasoning text (``reasoning_content``, ``reasoning``, or a whole
        ``<think>`` block opening ``content``), or None."""
        return reasoning_text(self.content, extras_of(self))

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionStreamResponseDelta:
        # Fast path: what nearly every chunk of a stream carries, one piece of content (or
        # nothing, in a finish chunk); anything else is read by _read.
        if type(d) is dict:
            n = len(d)
            content = d.get("content")
            if (n == 1 and type(content) is str) or n == 0:
                obj = _new(cls)
                obj.role = None
                obj.content = content
                obj.refusal = None
                obj.function_call = None
                obj.tool_calls = None
                obj.audio = None
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionStreamResponseDelta:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.role = f.opt_str("role")
        obj.content = f.opt_str("content")
        obj.refusal = f.opt_str("refusal")
        obj.function_call = f.opt_obj("function_call", ChoiceDeltaToolCallFunction)
        obj.tool_calls = f.opt_list("tool_calls", ChatCompletionMessageToolCallChunk)
        obj.audio = f.opt_obj("audio", ChoiceDeltaAudio)
        obj._extra = f.extra(DELTA_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        v = self.role
        if v is not None or "role" in n:
            d["role"] = v if type(v) is str else plain(v)
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
        return dump_extra(d, x) if x and type(x) is not tuple else d
