# SPDX-License-Identifier: MIT
"""Token accounting, shared by the response and the stream chunk: the counts, their
details, the counts providers put in other places, and usage that adds up."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, extras_of
from ._errors import ValidationError
from ._fields import Fields
from ._json import BIG, NEG_BIG, dump_extra, dump_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
    from typing import TypeVar

    D = TypeVar("D", "CompletionTokensDetails", "PromptTokensDetails")
else:
    from ._base import model

_new = object.__new__
_OUTPUT_DETAILS = frozenset((
    "accepted_prediction_tokens", "audio_tokens", "reasoning_tokens",
    "rejected_prediction_tokens", "text_tokens",
))
_PROMPT_DETAILS = frozenset((
    "audio_tokens", "cache_write_tokens", "cached_tokens", "image_tokens", "text_tokens",
))
_USAGE_KEYS = frozenset((
    "completion_tokens", "prompt_tokens", "total_tokens", "completion_tokens_details",
    "prompt_tokens_details",
))
# Where providers other than OpenAI put the counts the accessors read (top-level usage keys).
_CACHED_ELSEWHERE = ("prompt_cache_hit_tokens", "num_cached_tokens")  # DeepSeek, Mistral
_REASONING_ELSEWHERE = ("reasoning_tokens",)  # Azure AI Foundry


def _count(value: Any) -> Optional[int]:
    return value if type(value) is int else None


def _plus(a: Optional[int], b: Optional[int]) -> Optional[int]:
    """Add two optional counts: absent plus absent is absent, not zero."""
    if a is None:
        return b
    return a if b is None else a + b


def _add_extra(a: Optional[Dict[str, Any]], b: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Unknown keys of two usages: numbers under the same key added (OpenRouter's ``cost``),
    objects merged the same way, anything else as the left operand has it."""
    out: Dict[str, Any] = dump_json(dict(a or {}))
    for key, value in (b or {}).items():
        old = out.get(key)
        if key not in out or old is None:
            out[key] = dump_json(value)
        elif type(old) in (int, float) and type(value) in (int, float):
            out[key] = old + value
        elif type(old) is dict and type(value) is dict:
            out[key] = _add_extra(old, value)
    return out


def _add_details(a: Optional[D], b: Optional[D]) -> Optional[D]:
    """Details added field by field (``None`` when neither operand has them)."""
    if a is None and b is None:
        return None
    cls: Any = type(a if a is not None else b)
    out: Any = _new(cls)
    for name in cls.__dataclass_fields__:
        if name == "extra":
            out._extra = _add_extra(None if a is None else extras_of(a),
                                    None if b is None else extras_of(b)) or None
        else:
            setattr(out, name, _plus(getattr(a, name, None), getattr(b, name, None)))
    return out  # type: ignore[no-any-return]


@model
class CompletionTokensDetails(Model):
    """Breakdown of completion (output) tokens; every counter is optional."""

    accepted_prediction_tokens: Optional[int] = None
    """Tokens of a predicted output that appeared in the completion."""
    audio_tokens: Optional[int] = None
    """Audio tokens the model generated."""
    reasoning_tokens: Optional[int] = None
    """Tokens the model spent reasoning."""
    rejected_prediction_tokens: Optional[int] = None
    """Tokens of a predicted output that did not appear (still billed)."""
    text_tokens: Optional[int] = None
    """Text tokens the model generated."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CompletionTokensDetails:
        # Fast path: the four counts OpenAI sends, all ints; anything else is read by _read.
        if type(d) is dict and len(d) == 4:
            try:
                reasoning = d["reasoning_tokens"]
                audio = d["audio_tokens"]
                accepted = d["accepted_prediction_tokens"]
                rejected = d["rejected_prediction_tokens"]
            except KeyError:
                return cls._read(d, depth, None)
            if (type(reasoning) is int and NEG_BIG < reasoning < BIG
                    and type(audio) is int and NEG_BIG < audio < BIG
                    and type(accepted) is int and NEG_BIG < accepted < BIG
                    and type(rejected) is int and NEG_BIG < rejected < BIG):
                obj = _new(cls)
                obj.accepted_prediction_tokens = accepted
                obj.audio_tokens = audio
                obj.reasoning_tokens = reasoning
                obj.rejected_prediction_tokens = rejected
                obj.text_tokens = None
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CompletionTokensDetails:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.accepted_prediction_tokens = f.opt_int("accepted_prediction_tokens")
        obj.audio_tokens = f.opt_int("audio_tokens")
        obj.reasoning_tokens = f.opt_int("reasoning_tokens")
        obj.rejected_prediction_tokens = f.opt_int("rejected_prediction_tokens")
        obj.text_tokens = f.opt_int("text_tokens")
        obj._extra = f.extra(_OUTPUT_DETAILS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
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
        return dump_extra(d, x) if x and type(x) is not tuple else d

    def __add__(self, other: CompletionTokensDetails) -> CompletionTokensDetails:
        if type(other) is not CompletionTokensDetails:
            return NotImplemented
        return _add_details(self, other)  # type: ignore[return-value]


@model
class PromptTokensDetails(Model):
    """Breakdown of prompt (input) tokens; every counter is optional."""

    audio_tokens: Optional[int] = None
    """Audio tokens in the prompt."""
    cache_write_tokens: Optional[int] = None
    """Prompt tokens written to the cache."""
    cached_tokens: Optional[int] = None
    """Prompt tokens read from the cache."""
    image_tokens: Optional[int] = None
    """Image tokens in the prompt."""
    text_tokens: Optional[int] = None
    """Text tokens in the prompt."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> PromptTokensDetails:
        # Fast path: the two counts OpenAI sends, both ints; anything else is read by _read.
        if type(d) is dict and len(d) == 2:
            try:
                cached = d["cached_tokens"]
                audio = d["audio_tokens"]
            except KeyError:
                return cls._read(d, depth, None)
            if (type(cached) is int and NEG_BIG < cached < BIG
                    and type(audio) is int and NEG_BIG < audio < BIG):
                obj = _new(cls)
                obj.audio_tokens = audio
                obj.cache_write_tokens = None
                obj.cached_tokens = cached
                obj.image_tokens = None
                obj.text_tokens = None
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> PromptTokensDetails:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.audio_tokens = f.opt_int("audio_tokens")
        obj.cache_write_tokens = f.opt_int("cache_write_tokens")
        obj.cached_tokens = f.opt_int("cached_tokens")
        obj.image_tokens = f.opt_int("image_tokens")
        obj.text_tokens = f.opt_int("text_tokens")
        obj._extra = f.extra(_PROMPT_DETAILS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
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
        return dump_extra(d, x) if x and type(x) is not tuple else d

    def __add__(self, other: PromptTokensDetails) -> PromptTokensDetails:
        if type(other) is not PromptTokensDetails:
            return NotImplemented
        return _add_details(self, other)  # type: ignore[return-value]


@model
class CreateChatCompletionResponseUsage(Model):
    """Token accounting for the whole request (the SDK's ``CompletionUsage``).

    ``usage + usage`` and ``sum(usages)`` add it up; ``cached_prompt_tokens`` and
    ``reasoning_completion_tokens`` read those counts wherever the provider put them.
    """

    completion_tokens: int
    """Tokens in the generated completion."""
    prompt_tokens: int
    """Tokens in the prompt."""
    total_tokens: int
    """Tokens in all (providers count reasoning differently: not always the sum)."""
    completion_tokens_details: Optional[CompletionTokensDetails] = None
    """Breakdown of the completion tokens."""
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    """Breakdown of the prompt tokens."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent (OpenRouter's ``cost``, DeepSeek's cache counts, ...)."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> CreateChatCompletionResponseUsage:
        # Fast path: the three counts, ints, and both details objects (as OpenAI sends
        # them) or neither; anything else is read by _read.
        if type(d) is dict:
            n = len(d)
            try:
                completion = d["completion_tokens"]
                prompt = d["prompt_tokens"]
                total = d["total_tokens"]
                if n == 5:
                    output = d["completion_tokens_details"]
                    details = d["prompt_tokens_details"]
                elif n == 3:
                    output = details = None
                else:
                    return cls._read(d, depth, None)
            except KeyError:
                return cls._read(d, depth, None)
            if (type(completion) is int and NEG_BIG < completion < BIG
                    and type(prompt) is int and NEG_BIG < prompt < BIG
                    and type(total) is int and NEG_BIG < total < BIG
                    and (n == 3 or (type(output) is dict and type(details) is dict))):
                try:
                    if n == 5:
                        output = CompletionTokensDetails._parse(output, depth + 1)
                        details = PromptTokensDetails._parse(details, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.completion_tokens = completion
                obj.prompt_tokens = prompt
                obj.total_tokens = total
                obj.completion_tokens_details = output
                obj.prompt_tokens_details = details
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> CreateChatCompletionResponseUsage:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.completion_tokens = f.req_int("completion_tokens")
        obj.prompt_tokens = f.req_int("prompt_tokens")
        obj.total_tokens = f.req_int("total_tokens")
        obj.completion_tokens_details = f.opt_obj(
            "completion_tokens_details", CompletionTokensDetails
        )
        obj.prompt_tokens_details = f.opt_obj("prompt_tokens_details", PromptTokensDetails)
        obj._extra = f.extra(_USAGE_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {
            "completion_tokens": self.completion_tokens,
            "prompt_tokens": self.prompt_tokens,
            "total_tokens": self.total_tokens,
        }
        if self.completion_tokens_details is not None:
            d["completion_tokens_details"] = self.completion_tokens_details.to_dict()
        elif "completion_tokens_details" in n:
            d["completion_tokens_details"] = None
        if self.prompt_tokens_details is not None:
            d["prompt_tokens_details"] = self.prompt_tokens_details.to_dict()
        elif "prompt_tokens_details" in n:
            d["prompt_tokens_details"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d

    @property
    def cached_prompt_tokens(self) -> Optional[int]:
        """Prompt tokens read from the cache: ``prompt_tokens_details.cached_tokens``, else
        DeepSeek's ``prompt_cache_hit_tokens``, else Mistral's ``num_cached_tokens``; None
        when the server sent no such count."""
        details = self.prompt_tokens_details
        if details is not None and type(details.cached_tokens) is int:
            return details.cached_tokens
        return _elsewhere(extras_of(self), _CACHED_ELSEWHERE)

    @property
    def reasoning_completion_tokens(self) -> Optional[int]:
        """Completion tokens spent reasoning: ``completion_tokens_details.reasoning_tokens``,
        else a top-level ``reasoning_tokens`` (Azure AI Foundry); None when not sent."""
        details = self.completion_tokens_details
        if details is not None and type(details.reasoning_tokens) is int:
            return details.reasoning_tokens
        return _elsewhere(extras_of(self), _REASONING_ELSEWHERE)

    def __add__(self, other: CreateChatCompletionResponseUsage
                ) -> CreateChatCompletionResponseUsage:
        """A new usage: counts added, details field by field, numbers under the same unknown
        key too. The cached and reasoning counts of the sum are the sums of the operands'
        (``cached_prompt_tokens``...), written in the details, wherever each operand had them."""
        if type(other) is not CreateChatCompletionResponseUsage:
            return NotImplemented
        out = _new(CreateChatCompletionResponseUsage)
        out.completion_tokens = self.completion_tokens + other.completion_tokens
        out.prompt_tokens = self.prompt_tokens + other.prompt_tokens
        out.total_tokens = self.total_tokens + other.total_tokens
        out.completion_tokens_details = _add_details(
            self.completion_tokens_details, other.completion_tokens_details)
        out.prompt_tokens_details = _add_details(
            self.prompt_tokens_details, other.prompt_tokens_details)
        out._extra = _add_extra(extras_of(self), extras_of(other)) or None
        cached = _plus(self.cached_prompt_tokens, other.cached_prompt_tokens)
        if cached is not None:
            if out.prompt_tokens_details is None:
                out.prompt_tokens_details = PromptTokensDetails()
            out.prompt_tokens_details.cached_tokens = cached
        reasoning = _plus(self.reasoning_completion_tokens, other.reasoning_completion_tokens)
        if reasoning is not None:
            if out.completion_tokens_details is None:
                out.completion_tokens_details = CompletionTokensDetails()
            out.completion_tokens_details.reasoning_tokens = reasoning
        return out

    def __radd__(self, other: Any) -> CreateChatCompletionResponseUsage:
        if type(other) is int and other == 0:  # sum() starts from 0
            import copy

            return copy.deepcopy(self)
        return NotImplemented


def _elsewhere(extra: Optional[Dict[str, Any]], keys: Any) -> Optional[int]:
    if not extra:
        return None
    for key in keys:
        value = _count(extra.get(key))
        if value is not None:
            return value
    return None

