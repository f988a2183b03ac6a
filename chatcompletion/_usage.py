# SPDX-License-Identifier: MIT
"""Token accounting, shared by the response and the stream chunk."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, Optional, Tuple  # at run time too: get_type_hints()

from ._base import Model
from ._fields import dump_extra, extra, not_object, nulls, opt_int, opt_obj, req_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._fields import model


_new = object.__new__


@model
class CompletionTokensDetails(Model):
    """Breakdown of completion (output) tokens; every counter is optional."""

    accepted_prediction_tokens: Optional[int] = None
    audio_tokens: Optional[int] = None
    reasoning_tokens: Optional[int] = None
    rejected_prediction_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CompletionTokensDetails:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.accepted_prediction_tokens = opt_int(d, "accepted_prediction_tokens")
        obj.audio_tokens = opt_int(d, "audio_tokens")
        obj.reasoning_tokens = opt_int(d, "reasoning_tokens")
        obj.rejected_prediction_tokens = opt_int(d, "rejected_prediction_tokens")
        obj.text_tokens = opt_int(d, "text_tokens")
        obj.extra = {} if _OUTPUT_DETAILS.issuperset(d) else extra(d, _OUTPUT_DETAILS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _OUTPUT_DETAILS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.accepted_prediction_tokens is not None or "accepted_prediction_tokens" in n:
            d["accepted_prediction_tokens"] = self.accepted_prediction_tokens
        if self.audio_tokens is not None or "audio_tokens" in n:
            d["audio_tokens"] = self.audio_tokens
        if self.reasoning_tokens is not None or "reasoning_tokens" in n:
            d["reasoning_tokens"] = self.reasoning_tokens
        if self.rejected_prediction_tokens is not None or "rejected_prediction_tokens" in n:
            d["rejected_prediction_tokens"] = self.rejected_prediction_tokens
        if self.text_tokens is not None or "text_tokens" in n:
            d["text_tokens"] = self.text_tokens
        return dump_extra(d, self.extra) if self.extra else d


_OUTPUT_DETAILS_ORDERED = (
    "accepted_prediction_tokens", "audio_tokens", "reasoning_tokens",
    "rejected_prediction_tokens", "text_tokens",
)
_OUTPUT_DETAILS = frozenset(_OUTPUT_DETAILS_ORDERED)


@model
class PromptTokensDetails(Model):
    """Breakdown of prompt (input) tokens; every counter is optional."""

    audio_tokens: Optional[int] = None
    cache_write_tokens: Optional[int] = None
    cached_tokens: Optional[int] = None
    image_tokens: Optional[int] = None
    text_tokens: Optional[int] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> PromptTokensDetails:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.audio_tokens = opt_int(d, "audio_tokens")
        obj.cache_write_tokens = opt_int(d, "cache_write_tokens")
        obj.cached_tokens = opt_int(d, "cached_tokens")
        obj.image_tokens = opt_int(d, "image_tokens")
        obj.text_tokens = opt_int(d, "text_tokens")
        obj.extra = (
            {} if _PROMPT_DETAILS_KEYS.issuperset(d) else extra(d, _PROMPT_DETAILS_KEYS, depth)
        )
        obj._nulls = () if None not in d.values() else nulls(d, _PROMPT_DETAILS_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.audio_tokens is not None or "audio_tokens" in n:
            d["audio_tokens"] = self.audio_tokens
        if self.cache_write_tokens is not None or "cache_write_tokens" in n:
            d["cache_write_tokens"] = self.cache_write_tokens
        if self.cached_tokens is not None or "cached_tokens" in n:
            d["cached_tokens"] = self.cached_tokens
        if self.image_tokens is not None or "image_tokens" in n:
            d["image_tokens"] = self.image_tokens
        if self.text_tokens is not None or "text_tokens" in n:
            d["text_tokens"] = self.text_tokens
        return dump_extra(d, self.extra) if self.extra else d


_PROMPT_DETAILS_KEYS_ORDERED = (
    "audio_tokens", "cache_write_tokens", "cached_tokens", "image_tokens", "text_tokens",
)
_PROMPT_DETAILS_KEYS = frozenset(_PROMPT_DETAILS_KEYS_ORDERED)


@model
class CreateChatCompletionResponseUsage(Model):
    """Token accounting for the whole request (the SDK's ``CompletionUsage``)."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int
    completion_tokens_details: Optional[CompletionTokensDetails] = None
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponseUsage:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.completion_tokens = req_int(d, "completion_tokens")
        obj.prompt_tokens = req_int(d, "prompt_tokens")
        obj.total_tokens = req_int(d, "total_tokens")
        obj.completion_tokens_details = opt_obj(
            d, "completion_tokens_details", CompletionTokensDetails._parse, depth
        )
        obj.prompt_tokens_details = opt_obj(
            d, "prompt_tokens_details", PromptTokensDetails._parse, depth
        )
        obj.extra = {} if _USAGE_KEYS.issuperset(d) else extra(d, _USAGE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _USAGE_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {
            "completion_tokens": self.completion_tokens,
            "prompt_tokens": self.prompt_tokens,
            "total_tokens": self.total_tokens,
        }
        v = self.completion_tokens_details
        if v is not None:
            d["completion_tokens_details"] = v.to_dict()
        elif "completion_tokens_details" in n:
            d["completion_tokens_details"] = None
        v2 = self.prompt_tokens_details
        if v2 is not None:
            d["prompt_tokens_details"] = v2.to_dict()
        elif "prompt_tokens_details" in n:
            d["prompt_tokens_details"] = None
        return dump_extra(d, self.extra) if self.extra else d


_USAGE_OPTIONAL = ("completion_tokens_details", "prompt_tokens_details")
_USAGE_KEYS = frozenset(("completion_tokens", "prompt_tokens", "total_tokens", *_USAGE_OPTIONAL))
