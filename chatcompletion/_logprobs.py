# SPDX-License-Identifier: MIT
"""Token log-probabilities, shared by the response and the stream chunk."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, List, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model
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
        # Fast path for the usual shape, {token, logprob, bytes} with a finite float and
        # bytes 0-255 (ChatCompletionTokenLogprob._parse repeats it inline for its
        # alternatives: thousands of these in a logprobs response, and a call each would
        # cost a sixth of the time); anything else is read by _read.
        if type(d) is dict and len(d) == 3:
            token = d.get("token")
            logprob = d.get("logprob")
            bytes_ = d.get("bytes")
            if (type(token) is str and type(logprob) is float and NEG_INF < logprob < INF
                    and type(bytes_) is list):
                for x in bytes_:
                    if type(x) is not int or x >> 8:  # (0 for exactly 0-255)
                        break
                else:
                    obj = _new(cls)
                    obj.token = token
                    obj.logprob = logprob
                    obj.bytes = bytes_.copy()
                    obj._extra = None
                    return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> TopLogprob:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.token = f.opt_str("token")
        obj.logprob = f.opt_number("logprob")
        obj.bytes = f.opt_ints("bytes")
        obj._extra = f.extra(_TOP_KEYS, _TOP_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        token, logprob, bytes_, x = self.token, self.logprob, self.bytes, self._extra
        if x is None and token is not None and logprob is not None and bytes_ is not None:
            return {"token": token, "logprob": logprob, "bytes": bytes_.copy()}  # usual shape
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if token is not None or "token" in n:
            d["token"] = token
        if logprob is not None or "logprob" in n:
            d["logprob"] = logprob
        if bytes_ is not None:
            d["bytes"] = bytes_.copy()
        elif "bytes" in n:
            d["bytes"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d


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
        # Fast path for the usual shape, {token, logprob, bytes, top_logprobs}, the
        # alternatives checked and built inline as TopLogprob._parse's fast path does;
        # anything else (one unusual alternative included) is read by _read.
        if type(d) is dict and len(d) == 4:
            try:
                token = d["token"]
                logprob = d["logprob"]
                bytes_ = d["bytes"]
                top = d["top_logprobs"]
            except KeyError:
                return cls._read(d, depth, None)
            if not (type(token) is str and type(logprob) is float and NEG_INF < logprob < INF
                    and type(bytes_) is list and type(top) is list):
                return cls._read(d, depth, None)
            for x in bytes_:
                if type(x) is not int or x >> 8:  # (0 for exactly 0-255)
                    return cls._read(d, depth, None)
            tops: List[TopLogprob] = []
            add = tops.append
            for t in top:
                if type(t) is not dict or len(t) != 3:
                    return cls._read(d, depth, None)
                try:
                    t_token = t["token"]
                    t_logprob = t["logprob"]
                    t_bytes = t["bytes"]
                except KeyError:
                    return cls._read(d, depth, None)
                if not (type(t_token) is str and type(t_logprob) is float
                        and NEG_INF < t_logprob < INF and type(t_bytes) is list):
                    return cls._read(d, depth, None)
                for x in t_bytes:
                    if type(x) is not int or x >> 8:  # (0 for exactly 0-255)
                        return cls._read(d, depth, None)
                alternative = _new(TopLogprob)
                alternative.token = t_token
                alternative.logprob = t_logprob
                alternative.bytes = t_bytes.copy()
                alternative._extra = None
                add(alternative)
            obj = _new(cls)
            obj.token = token
            obj.logprob = logprob
            obj.bytes = bytes_.copy()
            obj.top_logprobs = tops
            obj._extra = None
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
        obj._extra = f.extra(_TOKEN_KEYS, _TOKEN_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        bytes_, top, x = self.bytes, self.top_logprobs, self._extra
        if x is None and bytes_ is not None and top is not None:  # the usual shape, and its
            tops = []  # alternatives written inline as TopLogprob.to_dict writes the usual one
            for t in top:
                if (t._extra is None and t.token is not None and t.logprob is not None
                        and t.bytes is not None):
                    tops.append({"token": t.token, "logprob": t.logprob, "bytes": t.bytes.copy()})
                else:
                    tops.append(t.to_dict())
            return {"token": self.token, "logprob": self.logprob, "bytes": bytes_.copy(),
                    "top_logprobs": tops}
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {"token": self.token, "logprob": self.logprob}
        if bytes_ is not None:
            d["bytes"] = bytes_.copy()
        elif "bytes" in n:
            d["bytes"] = None
        if top is not None:
            d["top_logprobs"] = [t.to_dict() for t in top]
        elif "top_logprobs" in n:
            d["top_logprobs"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d


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
                    obj._extra = _NULL_LOGPROBS[content is None, refusal is None]
                else:
                    obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChoiceLogprobs:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.content = f.opt_list("content", ChatCompletionTokenLogprob)
        obj.refusal = f.opt_list("refusal", ChatCompletionTokenLogprob)
        obj._extra = f.extra(_CHOICE_LOGPROBS_KEYS, _CHOICE_LOGPROBS_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.content is not None:
            d["content"] = [t.to_dict() for t in self.content]
        elif "content" in n:
            d["content"] = None
        if self.refusal is not None:
            d["refusal"] = [t.to_dict() for t in self.refusal]
        elif "refusal" in n:
            d["refusal"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d
