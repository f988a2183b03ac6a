# SPDX-License-Identifier: MIT
"""Batch API output files: JSON lines, read lazily, one result per line.

Each line of an output (or error) file of the OpenAI Batch API is
``{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null,
"error": {"code", "message"} | null}``; Azure OpenAI and vLLM's ``run_batch`` write the
same shape. A chat completion body is parsed into ``CreateChatCompletionResponse``; any
other body (an embedding, a ``{"error": ...}`` body of a 4xx) is kept as plain JSON.
"""
from __future__ import annotations

import os
from dataclasses import field
from typing import (  # at run time too: get_type_hints()
    Any,
    Dict,
    Iterable,
    Iterator,
    Optional,
    Tuple,
    Union,
)

from ._base import Model, loads
from ._errors import ValidationError
from ._fields import (
    dump_extra,
    dump_json,
    extra,
    json_copy,
    not_object,
    nulls,
    opt_json_object,
    opt_str,
    req_int,
    req_str,
)
from ._response import CreateChatCompletionResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model

    Source = Union[str, "os.PathLike[str]", Iterable[str], Iterable[bytes]]
else:
    from ._fields import model

_CHAT = "chat.completion"
_new = object.__new__


def _looks_like_chat(body: Any) -> bool:
    """A chat completion body: ``object`` "chat.completion", or ``choices`` without a string
    ``object`` (so a missing or mistyped ``object`` is reported, while a ``text_completion``
    or an embeddings ``list`` is not mistaken for one)."""
    if type(body) is not dict:
        return False
    kind = body.get("object")
    return kind == _CHAT or ("choices" in body and type(kind) is not str)


def _parse_completion(
    status_code: int, body: Any, depth: int
) -> Optional[CreateChatCompletionResponse]:
    """The chat completion in a 2xx body at level ``depth``, else None; path relative to it."""
    if 200 <= status_code < 300 and _looks_like_chat(body):
        return CreateChatCompletionResponse._parse(body, depth)
    return None


@model
class BatchResponse(Model):
    """The HTTP response of one batch request; ``body`` is kept as plain JSON."""

    status_code: int
    request_id: Optional[str] = None
    body: Any = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)
    # The parsed chat completion, computed from `body` by from_dict (so that a bad body is
    # reported at its line) or on first use for an object built in code; not part of the
    # JSON, hence left out of init, repr and equality. `_parsed_from` is the (status_code,
    # body) it was parsed from: assigning either field parses again on next use.
    _completion: Optional[CreateChatCompletionResponse] = field(
        default=None, init=False, repr=False
    )
    _parsed_from: Optional[Tuple[int, Any]] = field(default=None, init=False, repr=False)

    @property
    def completion(self) -> Optional[CreateChatCompletionResponse]:
        """The parsed body when it is a chat completion and the status is 2xx, else None."""
        source = self._parsed_from
        if source is None or source[0] != self.status_code or source[1] is not self.body:
            self._completion = _parse_completion(self.status_code, self.body, 2)
            self._parsed_from = (self.status_code, self.body)
        return self._completion

    @classmethod
    def _parse(cls, d: Any, depth: int, owned: bool = False) -> BatchResponse:
        # `owned`: `d` was just decoded from JSON text and nothing else holds it.
        if type(d) is not dict:
            raise not_object(d)
        status_code = req_int(d, "status_code")
        body = d.get("body")
        try:
            completion = _parse_completion(status_code, body, depth + 1)
            if completion is None:
                body = json_copy(body, depth + 1)
            elif not owned:
                # The parse checked every value and to_dict is lossless: a copy as unshared
                # as json_copy's, and cheaper. An owned body needs none (a quarter of the
                # time of reading a batch file went into that copy).
                body = completion.to_dict()
        except ValidationError as e:
            raise e._within(".body") from None
        obj = _new(cls)
        obj.status_code = status_code
        obj.request_id = opt_str(d, "request_id")
        obj.body = body
        obj.extra = {} if _RESPONSE_KEYS.issuperset(d) else extra(d, _RESPONSE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _RESPONSE_OPTIONAL)
        obj._completion = completion
        obj._parsed_from = (status_code, body)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {"status_code": self.status_code}
        if self.request_id is not None or "request_id" in n:
            d["request_id"] = self.request_id
        if self.body is not None or "body" in n:
            d["body"] = dump_json(self.body)
        return dump_extra(d, self.extra) if self.extra else d


_RESPONSE_OPTIONAL = ("request_id", "body")
_RESPONSE_KEYS = frozenset(("status_code", *_RESPONSE_OPTIONAL))


@model
class BatchOutputLine(Model):
    """One line of a Batch API output file: a request's response, or why it failed.

    ``line_error`` is the line's own ``error`` key (a request that never got an HTTP
    response); the ``error`` property also finds the error object inside a non-2xx body.
    """

    custom_id: str
    id: Optional[str] = None
    response: Optional[BatchResponse] = None
    line_error: Optional[Dict[str, Any]] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    _nulls: Tuple[str, ...] = field(default=(), repr=False)

    @property
    def status_code(self) -> Optional[int]:
        """The HTTP status of the request, or None when it got no response."""
        response = self.response
        return None if response is None else response.status_code

    @property
    def completion(self) -> Optional[CreateChatCompletionResponse]:
        """The chat completion of a successful request, else None."""
        response = self.response
        return None if response is None else response.completion

    @property
    def error(self) -> Optional[Dict[str, Any]]:
        """The line's ``error`` object, else the ``error`` object of a non-2xx body, else None."""
        if self.line_error is not None:
            return self.line_error
        response = self.response
        if response is None or 200 <= response.status_code < 300:
            return None
        body = response.body
        if type(body) is dict:
            error = body.get("error")
            if type(error) is dict:
                return error
        return None

    @classmethod
    def _parse(cls, d: Any, depth: int, owned: bool = False) -> BatchOutputLine:
        if type(d) is not dict:
            raise not_object(d)
        custom_id = req_str(d, "custom_id")
        response = d.get("response")
        if response is not None:
            try:
                response = BatchResponse._parse(response, depth + 1, owned)
            except ValidationError as e:
                raise e._within(".response") from None
        obj = _new(cls)
        obj.custom_id = custom_id
        obj.id = opt_str(d, "id")
        obj.response = response
        obj.line_error = opt_json_object(d, "error", depth)
        obj.extra = {} if _LINE_KEYS.issuperset(d) else extra(d, _LINE_KEYS, depth)
        obj._nulls = () if None not in d.values() else nulls(d, _LINE_OPTIONAL)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        n = self._nulls
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        d["custom_id"] = self.custom_id
        if self.response is not None:
            d["response"] = self.response.to_dict()
        elif "response" in n:
            d["response"] = None
        if self.line_error is not None:
            d["error"] = dump_json(self.line_error)
        elif "error" in n:
            d["error"] = None
        return dump_extra(d, self.extra) if self.extra else d


_LINE_OPTIONAL = ("id", "response", "error")
_LINE_KEYS = frozenset(("custom_id", *_LINE_OPTIONAL))


# -- reading a file --


def _lines(source: Source) -> Iterator[Any]:
    """The lines of ``source``: a path's binary lines, or the items of a file or iterable."""
    if isinstance(source, (bytes, bytearray)):
        raise TypeError(
            "iter_batch_output() takes a path, a file object or an iterable of lines, "
            "not bytes (for content already in memory, pass content.splitlines())"
        )
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            yield from f
    else:
        yield from source


def parse_lines(lines: Iterable[Any]) -> Iterator[Tuple[int, Any]]:
    """``(number, BatchOutputLine or ValidationError)`` for each line, numbered from 1.

    Keeps going after a bad line, so a validator can report them all. Blank lines may end
    the input; a blank line followed by more content is an error (at the blank line).
    """
    blank = 0  # the number of the first blank line of a run, until a non-blank one
    for number, line in enumerate(lines, 1):
        t = type(line)
        if (t is bytes or t is str) and (not line or line.isspace()):
            if not blank:
                blank = number
            continue
        if blank:
            yield blank, _blank_line()
            blank = 0
        try:
            item: Any = BatchOutputLine._parse(loads(line), 1, True)
        except ValidationError as e:
            item = e
        yield number, item


def _blank_line() -> ValidationError:
    return ValidationError(
        "Blank line before the end of the input", expected="JSON object", found="blank line"
    )


def _at_line(number: int, e: ValidationError) -> ValidationError:
    """The error of line ``number``: path ``12:$.response...``, message naming the line."""
    return ValidationError(
        f"In line {number}: {e.message}",
        path=f"{number}:{e.path}",
        expected=e.expected,
        found=e.found,
    )


def iter_batch_output(source: Source) -> Iterator[BatchOutputLine]:
    """Each line of a Batch API output file, parsed; lazily, in constant memory.

    ``source`` is a path (``str`` or ``os.PathLike``: read as binary, lines decoded as
    strict UTF-8), a binary or text file object, or any iterable of lines (``str`` or
    ``bytes``, each item one line, with or without its line end). A bad line raises
    ``ValidationError`` whose path starts with its 1-based number (``12:$.response.body``);
    a line that is valid JSON but not an object is bad too. Blank lines may end the input.
    """
    for number, item in parse_lines(_lines(source)):
        if isinstance(item, ValidationError):
            raise _at_line(number, item)
        yield item

