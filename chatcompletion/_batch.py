# SPDX-License-Identifier: MIT
"""Batch API output files: JSON lines, read lazily, one result per line.

Each line of an output (or error) file of the OpenAI Batch API is
``{"id", "custom_id", "response": {"status_code", "request_id", "body"} | null,
"error": {"code", "message"} | null}``; Azure OpenAI and vLLM's ``run_batch`` write the
same shape. The ``body`` of a successful chat completion request is parsed into a
``CreateChatCompletionResponse`` (once: it is the body, not a copy of it); any other body
(an embedding, the ``{"error": ...}`` body of a 4xx) is kept as plain JSON.
"""
from __future__ import annotations

import os
from dataclasses import field
from typing import Any, Dict, Optional, Union  # at run time too: get_type_hints()

from ._base import Extra, Model
from ._errors import ValidationError
from ._fields import Fields
from ._json import dump_extra, dump_json, loads
from ._response import CreateChatCompletionResponse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
    from typing import Iterable, Iterator, List, Tuple

    Source = Union[str, "os.PathLike[str]", Iterable[str], Iterable[bytes]]
else:
    from ._base import model

_new = object.__new__
_CHAT = "chat.completion"
_RESPONSE_KEYS = frozenset(("status_code", "request_id", "body"))
_LINE_KEYS = frozenset(("id", "custom_id", "response", "error"))
_NULL_ERROR = ("error",)
_NO: Any = object()  # no document yet


def _is_chat(status_code: Optional[int], body: Any) -> bool:
    """A 2xx body that is a chat completion: ``object`` "chat.completion", or ``choices``
    without a string ``object`` (so a missing or mistyped ``object`` is reported, while a
    ``text_completion`` or an embeddings ``list`` is not mistaken for one)."""
    if status_code is None or not 200 <= status_code < 300 or type(body) is not dict:
        return False
    kind = body.get("object")
    return kind == _CHAT or ("choices" in body and type(kind) is not str)


@model
class BatchResponse(Model):
    """The HTTP response of one batch request."""

    status_code: int
    """The HTTP status of the request."""
    request_id: Optional[str] = None
    """The server's id of the request."""
    body: Union[CreateChatCompletionResponse, Any] = None
    """A ``CreateChatCompletionResponse`` for a successful chat completion, else plain JSON."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @property
    def completion(self) -> Optional[CreateChatCompletionResponse]:
        """The body when it is a chat completion (and the status is 2xx), else None."""
        body = self.body
        if type(body) is CreateChatCompletionResponse and 200 <= self.status_code < 300:
            return body
        return None

    @classmethod
    def _parse(cls, d: Any, depth: int) -> BatchResponse:
        # Fast path: {status_code, request_id, body} with a 2xx chat completion body (parsed
        # by its own fast path); anything else is read by _read.
        if type(d) is dict and len(d) == 3:
            status_code = d.get("status_code")
            request_id = d.get("request_id")
            body = d.get("body")
            if (type(status_code) is int and 200 <= status_code < 300 and type(request_id) is str
                    and type(body) is dict and body.get("object") == _CHAT):
                try:
                    completion = CreateChatCompletionResponse._parse(body, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.status_code = status_code
                obj.request_id = request_id
                obj.body = completion
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> BatchResponse:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.status_code = f.req_int("status_code")
        obj.request_id = f.opt_str("request_id")
        if _is_chat(obj.status_code, d.get("body")):
            obj.body = f.opt_obj("body", CreateChatCompletionResponse)
        else:
            obj.body = f.opt_json("body")
        obj._extra = f.extra(_RESPONSE_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {"status_code": self.status_code}
        if self.request_id is not None or "request_id" in n:
            d["request_id"] = self.request_id
        body = self.body
        if isinstance(body, Model):
            d["body"] = body.to_dict()
        elif body is not None or "body" in n:
            d["body"] = dump_json(body)
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class BatchOutputLine(Model):
    """One line of a Batch API output file: a request's response, or why it failed.

    ``error`` is the line's own ``error`` (a request that never got an HTTP response);
    ``failure`` is that, or else the ``error`` object in the body of a non-2xx response.
    """

    custom_id: str
    """The id the batch's input line gave the request."""
    id: Optional[str] = None
    """The batch request's id."""
    response: Optional[BatchResponse] = None
    """The HTTP response, or None for a request that got none."""
    error: Optional[Dict[str, Any]] = None
    """Why a request got no response (``code``, ``message``), kept as plain JSON."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @property
    def status_code(self) -> Optional[int]:
        """The HTTP status of the request, or None when it got no response."""
        response = self.response
        return None if response is None else response.status_code

    @property
    def completion(self) -> Optional[CreateChatCompletionResponse]:
        """The chat completion of a successful request (``response.body``), else None."""
        response = self.response
        return None if response is None else response.completion

    @property
    def failure(self) -> Optional[Dict[str, Any]]:
        """The line's ``error``, else the ``error`` object of a non-2xx body, else None."""
        if self.error is not None:
            return self.error
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
    def _parse(cls, d: Any, depth: int) -> BatchOutputLine:
        # Fast path: {id, custom_id, response, error} with string ids, a response object and
        # a null error, as OpenAI writes a successful line; anything else is read by _read.
        if type(d) is dict and len(d) == 4:
            id_ = d.get("id")
            custom_id = d.get("custom_id")
            response = d.get("response")
            if (type(id_) is str and type(custom_id) is str and type(response) is dict
                    and d.get("error", 0) is None):
                try:
                    answer = BatchResponse._parse(response, depth + 1)
                except ValidationError:
                    return cls._read(d, depth, None)  # which names the place
                obj = _new(cls)
                obj.custom_id = custom_id
                obj.id = id_
                obj.response = answer
                obj.error = None
                obj._extra = _NULL_ERROR
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> BatchOutputLine:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.custom_id = f.req_str("custom_id")
        obj.response = f.opt_obj("response", BatchResponse)
        obj.error = f.opt_json_object("error")
        obj._extra = f.extra(_LINE_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        d["custom_id"] = self.custom_id
        if self.response is not None:
            d["response"] = self.response.to_dict()
        elif "response" in n:
            d["response"] = None
        if self.error is not None or "error" in n:
            d["error"] = dump_json(self.error)
        return dump_extra(d, x) if x and type(x) is not tuple else d


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


def parse_lines(
    lines: Iterable[Any], problems: Optional[List[ValidationError]] = None,
) -> Iterator[Tuple[int, Any]]:
    """``(number, BatchOutputLine or ValidationError)`` for each line, numbered from 1.

    Keeps going after a bad line, so a validator can report them all (each error has its
    ``line``). Blank lines may end the input; a blank line followed by more content is an
    error at the blank line. With ``problems``, lines are read leniently.
    """
    import json

    scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
    blank = 0  # the number of the first blank line of a run, until a non-blank one
    for number, line in enumerate(lines, 1):
        document: Any = _NO
        if type(line) is bytes and line[:1] == b"{" and not blank:
            # Fast path: a line of UTF-8 JSON, scanned in place (no BOM: it starts with
            # "{"); anything else, and any doubt, is read by loads(), which says what.
            try:
                text = line.decode("utf-8")
                document, end = scan(text, 0)
                if end != len(text) and not text[end:].isspace():
                    document = _NO
            except (UnicodeDecodeError, StopIteration, ValueError, RecursionError):
                document = _NO
        elif (type(line) is bytes or type(line) is str) and (not line or line.isspace()):
            if not blank:
                blank = number
            continue
        if blank:
            error = _blank_line()
            error.line = blank
            yield blank, error
            blank = 0
        start = 0 if problems is None else len(problems)
        try:
            if document is _NO:
                document = loads(line)
            item: Any = BatchOutputLine.from_dict(document, problems=problems)
        except ValidationError as e:
            item = e
        if problems is not None:
            for p in problems[start:]:
                p.line = number
        if type(item) is ValidationError:
            item.line = number
        yield number, item


def _blank_line() -> ValidationError:
    return ValidationError(
        "Blank line before the end of the input", expected="JSON object", found="blank line"
    )


def iter_batch_output(
    source: Source, *, problems: Optional[List[ValidationError]] = None,
) -> Iterator[BatchOutputLine]:
    """Each line of a Batch API output file, parsed; lazily, in constant memory.

    ``source`` is a path (``str`` or ``os.PathLike``: read as binary, lines decoded as
    strict UTF-8), a binary or text file object, or any iterable of lines (``str`` or
    ``bytes``, each item one line, with or without its line end). A bad line raises
    ``ValidationError`` with its 1-based ``line``; a line that is valid JSON but not an
    object is bad too. Blank lines may end the input. With ``problems`` (a list), lines are
    read leniently (see ``from_dict``) and a line that cannot be read at all is listed
    there and skipped.
    """
    for _number, item in parse_lines(_lines(source), problems):
        if type(item) is ValidationError:
            if problems is None:
                raise item
            problems.append(item)
            continue
        yield item
