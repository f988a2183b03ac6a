# SPDX-License-Identifier: MIT
"""The non-streaming response: ``chat.completion`` and its choices."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, plain
from ._errors import ValidationError
from ._fields import Fields
from ._json import BIG, NEG_BIG, dump_extra, dump_json
from ._logprobs import ChoiceLogprobs
from ._message import ChatCompletionResponseMessage
from ._usage import CreateChatCompletionResponseUsage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model

    from ._chunk import CreateChatCompletionStreamResponse
else:
    from ._base import model

_new = object.__new__
CHOICE_KEYS = frozenset(("finish_reason", "index", "logprobs", "message"))
_CHOICE_SPEC = ("finish_reason", "index", "logprobs", "message")
_LOGPROBS, _FINISH, _FINISH_LOGPROBS = ("logprobs",), ("finish_reason",), (
    "finish_reason", "logprobs")
RESPONSE_KEYS = frozenset((
    "id", "choices", "created", "model", "object", "metadata", "moderation", "service_tier",
    "system_fingerprint", "usage",
))
_RESPONSE_SPEC = ("id", "created", "model", "object")
_NULL_TIERS = {(True, False): ("service_tier",), (False, True): ("system_fingerprint",),
               (True, True): ("service_tier", "system_fingerprint")}
_NO: Any = object()  # a key the fast path did not find
CHUNK_OBJECT = "chat.completion.chunk"


@model
class CreateChatCompletionResponseChoices(Model):
    """One generated alternative. Every key is optional: a content-filtered Azure choice
    has no ``message``, and older servers omit ``index`` or ``finish_reason``."""

    finish_reason: Optional[str] = None
    """Why generation stopped (see FinishReason; servers add their own values)."""
    index: Optional[int] = None
    """Position among the choices (the request's ``n``)."""
    logprobs: Optional[ChoiceLogprobs] = None
    """Token log-probabilities, when they were requested."""
    message: Optional[ChatCompletionResponseMessage] = None
    """The generated message."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (Azure's ``content_filter_results``, vLLM's
    ``stop_reason``)."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponseChoices:
        # Fast path: the shape OpenAI sends, {index, message, logprobs, finish_reason}, with
        # an int index, a finish reason string or null, logprobs null or an object; anything
        # else is read by _read, which alone reports errors and keeps unknown keys.
        if type(d) is dict and len(d) == 4:
            try:
                index = d["index"]
                message = d["message"]
                logprobs = d["logprobs"]
                finish_reason = d["finish_reason"]
            except KeyError:
                return cls._read(d, depth, None)
            if (type(index) is int and NEG_BIG < index < BIG and type(message) is dict
                    and (finish_reason is None or type(finish_reason) is str)):
                try:
                    msg = ChatCompletionResponseMessage._parse(message, depth + 1)
                    lp = None if logprobs is None else ChoiceLogprobs._parse(logprobs, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.finish_reason = finish_reason
                obj.index = index
                obj.logprobs = lp
                obj.message = msg
                if logprobs is None:  # the nulls, in the stored form of extra (raw_extra)
                    obj._extra = _LOGPROBS if finish_reason is not None else _FINISH_LOGPROBS
                else:
                    obj._extra = None if finish_reason is not None else _FINISH
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CreateChatCompletionResponseChoices:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.finish_reason = f.opt_str("finish_reason")
        obj.index = f.opt_int("index")
        obj.logprobs = f.opt_obj("logprobs", ChoiceLogprobs)
        obj.message = f.opt_obj("message", ChatCompletionResponseMessage)
        obj._extra = f.extra(CHOICE_KEYS, _CHOICE_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        v = self.finish_reason
        if v is not None or "finish_reason" in n:
            d["finish_reason"] = v if type(v) is str else plain(v)
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
        return dump_extra(d, x) if x and type(x) is not tuple else d


def chunk_as_response() -> ValidationError:
    return ValidationError(
        "Expected a response, got a stream chunk (`object` is 'chat.completion.chunk'): "
        "parse it with CreateChatCompletionStreamResponse",
        expected="chat.completion", found=CHUNK_OBJECT,
    )


@model
class CreateChatCompletionResponse(Model):
    """A chat completion response, ``object`` "chat.completion" (the SDK's ``ChatCompletion``).

    ``id``, ``created``, ``model`` and ``object`` are optional: real servers omit each of them
    (Gemini, GLM behind the Hugging Face router, OpenRouter, Azure On Your Data).
    """

    id: Optional[str] = None
    """The completion's id."""
    choices: List[CreateChatCompletionResponseChoices] = field(default_factory=list)
    """One entry per generated alternative."""
    created: Optional[int] = None
    """Unix time of creation, in seconds."""
    model: Optional[str] = None
    """The model that produced the completion."""
    object: Optional[str] = None
    """``"chat.completion"``."""
    metadata: Optional[Dict[str, str]] = None
    """The request's metadata, string to string."""
    moderation: Optional[Dict[str, Any]] = None
    """Moderation results, kept as plain JSON."""
    service_tier: Optional[str] = None
    """The tier that served the request (see ServiceTier)."""
    system_fingerprint: Optional[str] = None
    """The backend configuration that served the request."""
    usage: Optional[CreateChatCompletionResponseUsage] = None
    """Token counts."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (Groq's ``x_groq``, Perplexity's ``citations``, ...)."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponse:
        # Fast path: the shape OpenAI sends, {id, object, created, model, choices, usage}
        # and service_tier, system_fingerprint (strings or null) when there; an int created.
        # Anything else is read by _read, which alone reports errors and keeps unknown keys.
        n = len(d) if type(d) is dict else 0
        if 6 <= n <= 8:
            try:
                id_ = d["id"]
                kind = d["object"]
                created = d["created"]
                model = d["model"]
                choices = d["choices"]
                usage = d["usage"]
                if n == 8:  # both, as OpenAI sends them today
                    tier = d["service_tier"]
                    fingerprint = d["system_fingerprint"]
                elif n == 7:
                    tier = d.get("service_tier", _NO)
                    fingerprint = d.get("system_fingerprint", _NO)
                else:
                    tier = fingerprint = _NO
            except KeyError:
                return cls._read(d, depth, None)
            if (type(id_) is str and type(kind) is str and kind != CHUNK_OBJECT
                    and type(created) is int and NEG_BIG < created < BIG and type(model) is str
                    and type(choices) is list and type(usage) is dict
                    and (tier is None or tier is _NO or type(tier) is str)
                    and (fingerprint is None or fingerprint is _NO or type(fingerprint) is str)
                    and n == 6 + (tier is not _NO) + (fingerprint is not _NO)):
                parse = CreateChatCompletionResponseChoices._parse
                try:
                    parsed = [parse(choices[0], depth + 2)] if len(choices) == 1 else [
                        parse(c, depth + 2) for c in choices]
                    counts = CreateChatCompletionResponseUsage._parse(usage, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.id = id_
                obj.choices = parsed
                obj.created = created
                obj.model = model
                obj.object = kind
                obj.metadata = None
                obj.moderation = None
                obj.service_tier = None if tier is _NO else tier
                obj.system_fingerprint = None if fingerprint is _NO else fingerprint
                obj.usage = counts
                if tier is None or fingerprint is None:
                    obj._extra = _NULL_TIERS[tier is None, fingerprint is None]
                else:
                    obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CreateChatCompletionResponse:
        f = Fields(d, depth, problems)
        f.not_error_body()
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.choices = f.req_list("choices", CreateChatCompletionResponseChoices)
        obj.created = f.opt_int("created")
        obj.model = f.opt_str("model")
        obj.object = f.opt_str("object")
        if obj.object == CHUNK_OBJECT:
            f.misfit("object", chunk_as_response())
            obj.object = None
        obj.metadata = f.opt_str_map("metadata")
        obj.moderation = f.opt_json_object("moderation")
        obj.service_tier = f.opt_str("service_tier")
        obj.system_fingerprint = f.opt_str("system_fingerprint")
        obj.usage = f.opt_obj("usage", CreateChatCompletionResponseUsage)
        obj._extra = f.extra(RESPONSE_KEYS, _RESPONSE_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        choices = self.choices
        if choices or type(x) is not Extra or "choices" not in x.absent:  # (lenient reading)
            d["choices"] = [choices[0].to_dict()] if len(choices) == 1 else [
                c.to_dict() for c in choices]
        if self.created is not None or "created" in n:
            d["created"] = self.created
        if self.model is not None or "model" in n:
            d["model"] = self.model
        if self.object is not None or "object" in n:
            d["object"] = self.object
        if self.metadata is not None or "metadata" in n:
            d["metadata"] = None if self.metadata is None else self.metadata.copy()
        if self.moderation is not None or "moderation" in n:
            d["moderation"] = dump_json(self.moderation)
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

    def to_chunks(self, *, piece: int = 16) -> List[CreateChatCompletionStreamResponse]:
        """The chunks a stream of this response would carry; ``accumulate`` gives it back.

        A role chunk per choice, then its reasoning, content and refusal in pieces of about
        ``piece`` characters (with their logprobs), tool calls by index, a finish chunk per
        choice, and the usage on a last chunk without choices.
        """
        from ._split import to_chunks

        return to_chunks(self, piece)
