# SPDX-License-Identifier: MIT
"""Token log-probabilities, shared by the response and the stream chunk."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, lazy_extra, null_extra
from ._errors import ValidationError
from ._fields import Fields
from ._json import INF, NEG_INF, dump_extra

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
else:
    from ._base import model

_new = object.__new__
_TOP_KEYS = frozenset(("token", "logprob", "bytes"))
_TOP_SPEC = ("token", "logprob", "bytes")
_TOKEN_KEYS = frozenset(("token", "logprob", "bytes", "top_logprobs"))
_TOKEN_SPEC = ("bytes", "top_logprobs")
_CHOICE_LOGPROBS_KEYS = frozenset(("content", "refusal"))
_CHOICE_LOGPROBS_SPEC = ("content", "refusal")
_NULL_LOGPROBS = {(True, False): ("content",), (False, True): ("refusal",),
                  (True, True): ("content", "refusal")}
_NO: Any = object()  # a key the fast path did not find


@model
class TopLogprob(Model):
    """An alternative token at the same position."""

    token: Optional[str] = None
    """The alternative token."""
    logprob: Optional[float] = None
    """Its log-probability."""
    bytes: Optional[List[int]] = None
    """Its UTF-8 bytes (a token may hold part of a character)."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

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
                and NEG_INF < logprob < INF
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
                    return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> TopLogprob:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.token = f.opt_str("token")
        obj.logprob = f.opt_number("logprob")
        obj.bytes = f.opt_ints("bytes")
        obj.extra = f.extra(_TOP_KEYS, _TOP_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        token, logprob, bytes_ = self.token, self.logprob, self.bytes
        extra = _top_extra(self)
        if token is not None and logprob is not None and bytes_ is not None and not extra:
            return {"token": token, "logprob": logprob, "bytes": bytes_.copy()}  # usual shape
        n = extra.nulls if type(extra) is Extra else ()
        d: Dict[str, Any] = {}
        if token is not None or "token" in n:
            d["token"] = token
        if logprob is not None or "logprob" in n:
            d["logprob"] = logprob
        if bytes_ is not None:
            d["bytes"] = bytes_.copy()
        elif "bytes" in n:
            d["bytes"] = None
        return dump_extra(d, extra) if extra else d


_top_extra = lazy_extra(TopLogprob)


@model
class ChatCompletionTokenLogprob(Model):
    """One output token with its log-probability and the most likely alternatives."""

    token: str
    """The token."""
    logprob: float
    """Its log-probability."""
    bytes: Optional[List[int]] = None
    """Its UTF-8 bytes (a token may hold part of a character)."""
    top_logprobs: Optional[List[TopLogprob]] = None
    """The most likely tokens at this position."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

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
                and NEG_INF < logprob < INF
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
                        pass  # the general parser names the place
                    else:
                        obj = _new(cls)  # no empty extra dict: see lazy_extra
                        obj.token = token
                        obj.logprob = logprob
                        obj.bytes = bytes_.copy()
                        obj.top_logprobs = tops
                        obj.extra = None  # type: ignore[assignment]  # created when read
                        return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionTokenLogprob:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.token = f.req_str("token")
        obj.logprob = f.req_number("logprob")
        obj.bytes = f.opt_ints("bytes")
        obj.top_logprobs = f.opt_list("top_logprobs", TopLogprob)
        obj.extra = f.extra(_TOKEN_KEYS, _TOKEN_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        bytes_, top = self.bytes, self.top_logprobs
        extra = _token_extra(self)
        if bytes_ is not None and top is not None and not extra:  # the usual shape
            return {
                "token": self.token,
                "logprob": self.logprob,
                "bytes": bytes_.copy(),
                "top_logprobs": [t.to_dict() for t in top],
            }
        n = extra.nulls if type(extra) is Extra else ()
        d: Dict[str, Any] = {"token": self.token, "logprob": self.logprob}
        if bytes_ is not None:
            d["bytes"] = bytes_.copy()
        elif "bytes" in n:
            d["bytes"] = None
        if top is not None:
            d["top_logprobs"] = [t.to_dict() for t in top]
        elif "top_logprobs" in n:
            d["top_logprobs"] = None
        return dump_extra(d, extra) if extra else d


_token_extra = lazy_extra(ChatCompletionTokenLogprob)


@model
class ChoiceLogprobs(Model):
    """Log-probabilities of a choice's content and refusal tokens (response and chunk alike)."""

    content: Optional[List[ChatCompletionTokenLogprob]] = None
    """One entry per token of the content."""
    refusal: Optional[List[ChatCompletionTokenLogprob]] = None
    """One entry per token of the refusal."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChoiceLogprobs:
        # Fast path: {content, refusal}, each a list or null; anything else is read by _read.
        if type(d) is dict and len(d) == 2:
            content = d.get("content", _NO)
            refusal = d.get("refusal", _NO)
            if (content is None or type(content) is list) and (
                    refusal is None or type(refusal) is list):
                parse = ChatCompletionTokenLogprob._parse
                try:
                    tokens = None if content is None else [parse(t, depth + 2) for t in content]
                    refused = None if refusal is None else [parse(t, depth + 2) for t in refusal]
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.content = tokens
                obj.refusal = refused
                if content is None or refusal is None:
                    obj.extra = null_extra(_NULL_LOGPROBS[content is None, refusal is None])
                else:
                    obj.extra = {}
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChoiceLogprobs:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.content = f.opt_list("content", ChatCompletionTokenLogprob)
        obj.refusal = f.opt_list("refusal", ChatCompletionTokenLogprob)
        obj.extra = f.extra(_CHOICE_LOGPROBS_KEYS, _CHOICE_LOGPROBS_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        extra = self.extra
        n = extra.nulls if type(extra) is Extra else ()
        d: Dict[str, Any] = {}
        if self.content is not None:
            d["content"] = [t.to_dict() for t in self.content]
        elif "content" in n:
            d["content"] = None
        if self.refusal is not None:
            d["refusal"] = [t.to_dict() for t in self.refusal]
        elif "refusal" in n:
            d["refusal"] = None
        return dump_extra(d, extra) if extra else d
