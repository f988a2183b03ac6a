# SPDX-License-Identifier: MIT
"""The streaming tree: ``chat.completion.chunk``, one object per server-sent event.

Every key below the chunk is optional: a chunk carries fragments, and servers differ in
which keys they repeat.
"""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, plain
from ._delta import (  # the others too: pickles of 0.1 name them in this module
    ChatCompletionMessageToolCallChunk,  # noqa: F401
    ChatCompletionStreamResponseDelta,
    ChoiceDeltaAudio,  # noqa: F401
    ChoiceDeltaToolCallFunction,  # noqa: F401
)
from ._errors import ValidationError
from ._fields import Fields
from ._json import BIG, NEG_BIG, dump_extra, dump_json
from ._logprobs import ChoiceLogprobs
from ._usage import CreateChatCompletionResponseUsage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._base import model

_new = object.__new__
CHUNK_CHOICE_KEYS = frozenset(("index", "delta", "finish_reason", "logprobs"))
_CHUNK_CHOICE_SPEC = ("index", "delta", "finish_reason")
CHUNK_KEYS = frozenset((
    "id", "choices", "created", "model", "object", "moderation", "obfuscation",
    "service_tier", "system_fingerprint", "usage",
))
_CHUNK_SPEC = ("id", "created", "model", "object")
_NO: Any = object()  # a key the fast path did not find
_FINISH_LOGPROBS, _FINISH, _LOGPROBS = ("finish_reason", "logprobs"), ("finish_reason",), (
    "logprobs",)
_NULL_CHUNK = {
    (tier, fingerprint, usage): tuple(key for key, null in (
        ("service_tier", tier), ("system_fingerprint", fingerprint), ("usage", usage)) if null)
    for tier in (False, True) for fingerprint in (False, True) for usage in (False, True)
}


@model
class CreateChatCompletionStreamResponseChoices(Model):
    """One choice's fragment in a chunk. Every key is optional: Azure's content-filter
    chunks carry no ``delta``, and the last chunk of some servers no ``finish_reason``."""

    index: Optional[int] = None
    """Which choice this fragment belongs to."""
    delta: Optional[ChatCompletionStreamResponseDelta] = None
    """What this chunk adds to the choice's message."""
    finish_reason: Optional[str] = None
    """Why generation stopped, in the choice's last chunk (see FinishReason)."""
    logprobs: Optional[ChoiceLogprobs] = None
    """Log-probabilities of this chunk's tokens."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionStreamResponseChoices:
        # Fast path: {index, delta, logprobs, finish_reason} as OpenAI sends it (logprobs may
        # be left out), an int index, a finish reason string or null, logprobs null or an
        # object; anything else is read by _read.
        n = len(d) if type(d) is dict else 0
        if n == 4 or n == 3:
            try:
                index = d["index"]
                delta = d["delta"]
                finish_reason = d["finish_reason"]
                logprobs = d["logprobs"] if n == 4 else _NO
            except KeyError:
                return cls._read(d, depth, None)
            if (type(index) is int and NEG_BIG < index < BIG and type(delta) is dict
                    and (finish_reason is None or type(finish_reason) is str)
                    and (logprobs is None or logprobs is _NO or type(logprobs) is dict)):
                try:
                    fragment = ChatCompletionStreamResponseDelta._parse(delta, depth + 1)
                    lp = None if logprobs is None or logprobs is _NO else ChoiceLogprobs._parse(
                        logprobs, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.index = index
                obj.delta = fragment
                obj.finish_reason = finish_reason
                obj.logprobs = lp
                if finish_reason is None:  # the nulls, in the stored form of extra
                    obj._extra = _FINISH_LOGPROBS if logprobs is None else _FINISH
                else:
                    obj._extra = _LOGPROBS if logprobs is None else None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CreateChatCompletionStreamResponseChoices:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.index = f.opt_int("index")
        obj.delta = f.opt_obj("delta", ChatCompletionStreamResponseDelta)
        obj.finish_reason = f.opt_str("finish_reason")
        obj.logprobs = f.opt_obj("logprobs", ChoiceLogprobs)
        obj._extra = f.extra(CHUNK_CHOICE_KEYS, _CHUNK_CHOICE_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.index is not None or "index" in n:
            d["index"] = self.index
        if self.delta is not None:
            d["delta"] = self.delta.to_dict()
        elif "delta" in n:
            d["delta"] = None
        v = self.finish_reason
        if v is not None or "finish_reason" in n:
            d["finish_reason"] = v if type(v) is str else plain(v)
        if self.logprobs is not None:
            d["logprobs"] = self.logprobs.to_dict()
        elif "logprobs" in n:
            d["logprobs"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class CreateChatCompletionStreamResponse(Model):
    """One streamed chunk, ``object`` "chat.completion.chunk" (the SDK's ``ChatCompletionChunk``).

    Azure's first chunk has an empty ``id``, ``model`` and ``object``, ``created`` 0 and no
    choices; the last chunk of a stream with ``include_usage`` has ``usage`` and no choices
    (TGI sends ``choices: null`` there: it reads as ``[]`` and is written back as ``null``).
    """

    id: Optional[str] = None
    """The completion's id, the same in every chunk (Gemini sends none)."""
    choices: List[CreateChatCompletionStreamResponseChoices] = field(default_factory=list)
    """Fragments of the choices."""
    created: Optional[int] = None
    """Unix time of creation, in seconds."""
    model: Optional[str] = None
    """The model that produces the completion."""
    object: Optional[str] = None
    """``"chat.completion.chunk"``."""
    moderation: Optional[Dict[str, Any]] = None
    """Moderation results, kept as plain JSON."""
    obfuscation: Optional[str] = None
    """Random padding some servers add against length side channels."""
    service_tier: Optional[str] = None
    """The tier that serves the request (see ServiceTier)."""
    system_fingerprint: Optional[str] = None
    """The backend configuration that serves the request."""
    usage: Optional[CreateChatCompletionResponseUsage] = None
    """Token counts, in the last chunk when the request asked for them."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionStreamResponse:
        # Fast path: the chunk OpenAI sends, {id, object, created, model, choices} and any of
        # service_tier, system_fingerprint (strings or null), usage (null or an object) and
        # obfuscation; anything else is read by _read.
        n = len(d) if type(d) is dict else 0
        if 5 <= n <= 9:
            try:
                id_ = d["id"]
                kind = d["object"]
                created = d["created"]
                model = d["model"]
                choices = d["choices"]
                if n == 9:  # all of them, as OpenAI sends them with include_usage
                    tier = d["service_tier"]
                    fingerprint = d["system_fingerprint"]
                    usage = d["usage"]
                    obfuscation = d["obfuscation"]
                else:
                    get = d.get
                    tier = get("service_tier", _NO)
                    fingerprint = get("system_fingerprint", _NO)
                    usage = get("usage", _NO)
                    obfuscation = get("obfuscation", _NO)
            except KeyError:
                return cls._read(d, depth, None)
            if (type(id_) is str and type(kind) is str and type(created) is int
                    and NEG_BIG < created < BIG and type(model) is str and type(choices) is list
                    and (tier is None or tier is _NO or type(tier) is str)
                    and (fingerprint is None or fingerprint is _NO or type(fingerprint) is str)
                    and (usage is None or usage is _NO or type(usage) is dict)
                    and (obfuscation is _NO or type(obfuscation) is str)
                    and n == 5 + (tier is not _NO) + (fingerprint is not _NO)
                    + (usage is not _NO) + (obfuscation is not _NO)):
                parse = CreateChatCompletionStreamResponseChoices._parse
                try:  # (one choice: no comprehension)
                    parsed = [parse(choices[0], depth + 2)] if len(choices) == 1 else [
                        parse(c, depth + 2) for c in choices]
                    counts = None if usage is None or usage is _NO else (
                        CreateChatCompletionResponseUsage._parse(usage, depth + 1))
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.id = id_
                obj.choices = parsed
                obj.created = created
                obj.model = model
                obj.object = kind
                obj.moderation = None
                obj.obfuscation = None if obfuscation is _NO else obfuscation
                obj.service_tier = None if tier is _NO else tier
                obj.system_fingerprint = None if fingerprint is _NO else fingerprint
                obj.usage = counts
                if tier is None or fingerprint is None or usage is None:
                    obj._extra = _NULL_CHUNK[tier is None, fingerprint is None, usage is None]
                else:
                    obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CreateChatCompletionStreamResponse:
        f = Fields(d, depth, problems)
        f.not_error_body()
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.choices = f.req_list("choices", CreateChatCompletionStreamResponseChoices, null=True)
        obj.created = f.opt_int("created")
        obj.model = f.opt_str("model")
        obj.object = f.opt_str("object")
        obj.moderation = f.opt_json_object("moderation")
        obj.obfuscation = f.opt_str("obfuscation")
        obj.service_tier = f.opt_str("service_tier")
        obj.system_fingerprint = f.opt_str("system_fingerprint")
        obj.usage = f.opt_obj("usage", CreateChatCompletionResponseUsage)
        obj._extra = f.extra(CHUNK_KEYS, _CHUNK_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        choices = self.choices
        if choices or not ("choices" in n or (type(x) is Extra and "choices" in x.absent)):
            d["choices"] = [choices[0].to_dict()] if len(choices) == 1 else [
                c.to_dict() for c in choices]
        elif "choices" in n:  # TGI's usage chunk
            d["choices"] = None
        if self.created is not None or "created" in n:
            d["created"] = self.created
        if self.model is not None or "model" in n:
            d["model"] = self.model
        if self.object is not None or "object" in n:
            d["object"] = self.object
        if self.moderation is not None or "moderation" in n:
            d["moderation"] = dump_json(self.moderation)
        if self.obfuscation is not None or "obfuscation" in n:
            d["obfuscation"] = self.obfuscation
        v = self.service_tier
        if v is not None or "service_tier" in n:
            d["service_tier"] = v if type(v) is str else plain(v)
        if self.system_fingerprint is not None or "system_fingerprint" in n:
            d["system_fingerprint"] = self.system_fingerprint
        if self.usage is not None:
            d["usage"] = self.usage.to_dict()
        elif "usage" in n:
            d["usage"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d
