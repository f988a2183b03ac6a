# SPDX-License-Identifier: MIT
"""Token log-probabilities, shared by the response and the stream chunk."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional, Tuple  # at run time too: get_type_hints()

from ._base import Model
from ._errors import ValidationError
from ._fields import (
    dump_extra,
    extra,
    lazy_extra,
    not_object,
    nulls,
    opt_ints,
    opt_list,
    opt_number,
    opt_str,
    req_number,
    req_str,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._fields import model


@model
class TopLogprob(Model):
    """An alternative token at the same position."""

    token: Optional[str] = None
    logprob: Optional[float] = None
    bytes: Optional[List[int]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> TopLogprob:
        # Fast path for the usual shape: thousands of these in a logprobs response.
        if type(d) is dict and len(d) == 3 and "bytes" in d:
            token = d.get("token")
            logprob = d.get("logprob")
            bytes_ = d["bytes"]
            if (
                type(token) is str
                and type(logprob) is float
                and _NEG_INF < logprob < _INF
                and type(bytes_) is list
            ):
                for x in bytes_:
                    if type(x) is not int or not 0 <= x <= 255:
                        break
                else:
                    obj = _new(cls)  # no empty extra dict: see lazy_extra
                    obj.token = token
                    obj.logprob = logprob
                    obj.bytes = bytes_.copy()
                    obj.extra = None  # type: ignore[assignment]  # created when read
                    obj._nulls = ()
                    return obj
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.token = opt_str(d, "token")
        obj.logprob = opt_number(d, "logprob")
        obj.bytes = opt_ints(d, "bytes")
        obj.extra = {} if _TOP_KEYS.issuperset(d) else extra(d, _TOP_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _TOP_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        token, logprob, bytes_ = self.token, self.logprob, self.bytes
        if token is not None and logprob is not None and bytes_ is not None and not _top_extra(
            self
        ):
            return {"token": token, "logprob": logprob, "bytes": bytes_.copy()}  # usual shape
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.token is not None or "token" in n:
            d["token"] = self.token
        if self.logprob is not None or "logprob" in n:
            d["logprob"] = self.logprob
        if self.bytes is not None:
            d["bytes"] = self.bytes.copy()
        elif "bytes" in n:
            d["bytes"] = None
        return dump_extra(d, self.extra) if self.extra else d


_INF = float("inf")
_NEG_INF = -_INF
_new = object.__new__


_top_extra = lazy_extra(TopLogprob)
_TOP_KEYS_ORDERED = ("token", "logprob", "bytes")
_TOP_KEYS = frozenset(_TOP_KEYS_ORDERED)


@model
class ChatCompletionTokenLogprob(Model):
    """One output token with its log-probability and the most likely alternatives."""

    token: str
    logprob: float
    bytes: Optional[List[int]] = None
    top_logprobs: Optional[List[TopLogprob]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionTokenLogprob:
        # Fast path for the usual shape, as in TopLogprob.
        if type(d) is dict and len(d) == 4:
            token = d.get("token")
            logprob = d.get("logprob")
            bytes_ = d.get("bytes")
            top = d.get("top_logprobs")
            if (
                type(token) is str
                and type(logprob) is float
                and _NEG_INF < logprob < _INF
                and type(bytes_) is list
                and type(top) is list
            ):
                for x in bytes_:
                    if type(x) is not int or not 0 <= x <= 255:
                        break
                else:
                    parse = TopLogprob._parse
                    try:
                        tops = [parse(t, depth + 2) for t in top]
                    except ValidationError:
                        pass  # the general path below names the place
                    else:
                        obj = _new(cls)  # no empty extra dict: see lazy_extra
                        obj.token = token
                        obj.logprob = logprob
                        obj.bytes = bytes_.copy()
                        obj.top_logprobs = tops
                        obj.extra = None  # type: ignore[assignment]  # created when read
                        obj._nulls = ()
                        return obj
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.token = req_str(d, "token")
        obj.logprob = req_number(d, "logprob")
        obj.bytes = opt_ints(d, "bytes")
        obj.top_logprobs = opt_list(d, "top_logprobs", TopLogprob._parse, depth)
        obj.extra = {} if _TOKEN_KEYS.issuperset(d) else extra(d, _TOKEN_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _TOKEN_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        bytes_, top = self.bytes, self.top_logprobs
        if bytes_ is not None and top is not None and not _token_extra(self):  # the usual shape
            return {
                "token": self.token,
                "logprob": self.logprob,
                "bytes": bytes_.copy(),
                "top_logprobs": [t.to_dict() for t in top],
            }
        n = self._nulls
        d: Dict[str, Any] = {"token": self.token, "logprob": self.logprob}
        if self.bytes is not None:
            d["bytes"] = self.bytes.copy()
        elif "bytes" in n:
            d["bytes"] = None
        if self.top_logprobs is not None:
            d["top_logprobs"] = [t.to_dict() for t in self.top_logprobs]
        elif "top_logprobs" in n:
            d["top_logprobs"] = None
        return dump_extra(d, self.extra) if self.extra else d


_token_extra = lazy_extra(ChatCompletionTokenLogprob)
_TOKEN_OPTIONAL = ("bytes", "top_logprobs")
_TOKEN_KEYS = frozenset(("token", "logprob", *_TOKEN_OPTIONAL))


@model
class ChoiceLogprobs(Model):
    """Log-probabilities of a choice's content and refusal tokens (response and chunk alike)."""

    content: Optional[List[ChatCompletionTokenLogprob]] = None
    refusal: Optional[List[ChatCompletionTokenLogprob]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChoiceLogprobs:
        if type(d) is not dict:
            raise not_object(d)
        obj = _new(cls)
        obj.content = opt_list(d, "content", ChatCompletionTokenLogprob._parse, depth)
        obj.refusal = opt_list(d, "refusal", ChatCompletionTokenLogprob._parse, depth)
        obj.extra = (
            {} if _CHOICE_LOGPROBS_KEYS.issuperset(d) else extra(d, _CHOICE_LOGPROBS_KEYS, depth)
        )
        obj._nulls = () if None not in d.values() else nulls(d, _CHOICE_LOGPROBS_KEYS_ORDERED)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.content is not None:
            d["content"] = [t.to_dict() for t in self.content]
        elif "content" in n:
            d["content"] = None
        if self.refusal is not None:
            d["refusal"] = [t.to_dict() for t in self.refusal]
        elif "refusal" in n:
            d["refusal"] = None
        return dump_extra(d, self.extra) if self.extra else d


_CHOICE_LOGPROBS_KEYS_ORDERED = ("content", "refusal")
_CHOICE_LOGPROBS_KEYS = frozenset(_CHOICE_LOGPROBS_KEYS_ORDERED)
