# SPDX-License-Identifier: MIT
"""Tool calls of a response message: the call, its function or custom payload, and what
the next request needs from it (decoded arguments, the call as a request param, the
tool-result message)."""
from __future__ import annotations

from dataclasses import field
from typing import Any, Dict, Optional  # at run time too: get_type_hints()

from ._base import Extra, Model, plain
from ._errors import ValidationError, printable
from ._fields import Fields
from ._json import dump_extra

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as model
    from typing import List
else:
    from ._base import model

_new = object.__new__
_FUNCTION_KEYS = frozenset(("name", "arguments"))
_CUSTOM_KEYS = frozenset(("name", "input"))
_TOOL_CALL_KEYS = frozenset(("id", "type", "function", "custom"))
# What the OpenAI schema requires beyond this library (lenient reading lists it when absent).
_CUSTOM_SPEC = ("name", "input")
_FUNCTION_CALL_SPEC = ("id", "type", "function")
_CUSTOM_CALL_SPEC = ("id", "type", "custom")


@model
class Function(Model):
    """A function's name and its arguments as JSON text (tool call ``function``, legacy
    ``function_call``). The model may produce invalid JSON: see ``parse_arguments``."""

    name: str
    """The function to call."""
    arguments: str
    """The arguments as JSON text, as the model wrote them."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> Function:
        # Fast path: exactly a name and arguments, both strings; anything else is read by
        # _read, which alone reports errors and keeps unknown keys.
        if type(d) is dict and len(d) == 2:
            name = d.get("name")
            arguments = d.get("arguments")
            if type(name) is str and type(arguments) is str:
                obj = _new(cls)
                obj.name = name
                obj.arguments = arguments
                obj._extra = None
                return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> Function:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.name = f.req_str("name")
        obj.arguments = f.req_str("arguments")
        obj._extra = f.extra(_FUNCTION_KEYS)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"name": self.name, "arguments": self.arguments}
        x = self._extra  # a function has no optional key: never a tuple of nulls
        return dump_extra(d, x) if x else d

    def parse_arguments(self) -> Dict[str, Any]:
        """The arguments decoded as a JSON object; ``""`` (a call without arguments, as
        servers send it) reads as ``{}``. Anything else raises ValidationError."""
        return decode_arguments(self.arguments, f"function `{printable(self.name[:80])}`",
                                "$.arguments")


def decode_arguments(text: str, what: str, path: str) -> Dict[str, Any]:
    """``text`` decoded as one JSON object, or a ValidationError naming ``what`` and where
    the JSON breaks."""
    import json

    if not text.strip():
        return {}

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        value = json.loads(text, parse_constant=constant)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # a whole value, then more: two calls glued by a stream
            problem = (f"hold more than one JSON value (the first ends at line {e.lineno}, "
                       f"column {e.colno})")
            found = "several values"
        else:
            problem = f"are not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
            found = "invalid JSON"
        raise ValidationError(f"The arguments of {what} {problem}", path=path,
                              expected="JSON object", found=found) from None
    except (ValueError, RecursionError) as e:  # NaN, a 5,000-digit number, deep nesting
        raise ValidationError(f"The arguments of {what} are not valid JSON: {str(e)[:80]}",
                              path=path, expected="JSON object", found="invalid JSON") from None
    if type(value) is not dict:
        kind = {list: "an array", str: "a string", bool: "a boolean"}.get(type(value))
        if kind is None:
            kind = "null" if value is None else "a number"
        raise ValidationError(f"The arguments of {what} are {kind}, not a JSON object",
                              path=path, expected="JSON object", found=kind)
    return value


@model
class Custom(Model):
    """A custom tool's name and its free-form input."""

    name: Optional[str] = None
    """The custom tool to call."""
    input: Optional[str] = None
    """The input the model wrote for it, free-form text."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> Custom:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.name = f.opt_str("name")
        obj.input = f.opt_str("input")
        obj._extra = f.extra(_CUSTOM_KEYS, _CUSTOM_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.name is not None or "name" in n:
            d["name"] = self.name
        if self.input is not None or "input" in n:
            d["input"] = self.input
        return dump_extra(d, x) if x and type(x) is not tuple else d


@model
class ChatCompletionMessageToolCall(Model):
    """A tool call: ``function`` for function tools, ``custom`` for custom tools.

    One class for both kinds, since servers omit ``type`` (Mistral), ``id`` (llama.cpp,
    NVIDIA NIM, GLM, Kimi) or send both payloads; ``kind`` says which it is.
    """

    id: Optional[str] = None
    """The call's id, echoed by the tool-result message (``result_param``)."""
    type: Optional[str] = None
    """``"function"`` or ``"custom"`` (see ToolCallType); some servers omit it."""
    function: Optional[Function] = None
    """The function called, for a function tool."""
    custom: Optional[Custom] = None
    """The custom tool called, for a custom tool."""
    extra: Dict[str, Any] = field(default_factory=dict)
    """Unknown keys, exactly as sent."""

    @classmethod
    def _parse(cls, d: Any, depth: int) -> ChatCompletionMessageToolCall:
        # Fast path: the function call OpenAI sends, {id, type, function: {name, arguments}},
        # all strings; anything else (custom calls, no id, extras) is read by _read.
        if type(d) is dict and len(d) == 3:
            id_ = d.get("id")
            type_ = d.get("type")
            fn = d.get("function")
            if type(id_) is str and type(type_) is str and type(fn) is dict and len(fn) == 2:
                name = fn.get("name")
                arguments = fn.get("arguments")
                if type(name) is str and type(arguments) is str:
                    function = _new(Function)
                    function.name = name
                    function.arguments = arguments
                    function._extra = None
                    obj = _new(cls)
                    obj.id = id_
                    obj.type = type_
                    obj.function = function
                    obj.custom = None
                    obj._extra = None
                    return obj
        return cls._read(d, depth, None)

    @classmethod
    def _read(cls, d: Any, depth: int, problems: Any) -> ChatCompletionMessageToolCall:
        f = Fields(d, depth, problems)
        obj = _new(cls)
        obj.id = f.opt_str("id")
        obj.type = f.opt_str("type")
        obj.function = f.opt_obj("function", Function)
        obj.custom = f.opt_obj("custom", Custom)
        custom = obj.type == "custom" or (obj.type is None and obj.custom and not obj.function)
        obj._extra = f.extra(_TOOL_CALL_KEYS, _CUSTOM_CALL_SPEC if custom else _FUNCTION_CALL_SPEC)
        return obj

    def to_dict(self) -> Dict[str, Any]:
        x = self._extra
        n = () if x is None else x if type(x) is tuple else x.nulls if type(x) is Extra else ()
        d: Dict[str, Any] = {}
        if self.id is not None or "id" in n:
            d["id"] = self.id
        v = self.type
        if v is not None or "type" in n:
            d["type"] = v if type(v) is str else plain(v)
        if self.function is not None:
            d["function"] = self.function.to_dict()
        elif "function" in n:
            d["function"] = None
        if self.custom is not None:
            d["custom"] = self.custom.to_dict()
        elif "custom" in n:
            d["custom"] = None
        return dump_extra(d, x) if x and type(x) is not tuple else d

    @property
    def kind(self) -> Optional[str]:
        """``"function"`` or ``"custom"``: ``type`` when the server sent it, else told from the
        payload (Mistral sends no ``type``); None for a call with neither payload."""
        t = self.type
        if t is not None:
            return t if type(t) is str else plain(t)
        if self.function is not None:
            return "function"
        return "custom" if self.custom is not None else None

    def parse_arguments(self) -> Dict[str, Any]:
        """The function's arguments decoded as a JSON object (see Function.parse_arguments);
        the error names this call."""
        fn = self.function
        name = f"tool call `{printable((self.id or '(no id)')[:80])}`"
        if fn is None:
            raise ValidationError(f"The {name} has no function, so no arguments",
                                  path="$.function", expected="function", found="nothing")
        return decode_arguments(fn.arguments, f"{name} (function `{printable(fn.name[:80])}`)",
                                "$.function.arguments")

    def call_id(self) -> str:
        """The id the next request uses for this call: ``id``, or, for a server that sends
        none, ``call_`` and a digest of the call, the same in to_param and result_param."""
        if self.id:
            return self.id
        import hashlib
        import json

        fn, custom = self.function, self.custom
        what = [self.kind, fn and fn.name, fn and fn.arguments, custom and custom.name,
                custom and custom.input]
        digest = hashlib.sha256(json.dumps(what).encode("utf-8", "surrogatepass")).hexdigest()
        return "call_" + digest[:24]

    def to_param(self) -> Optional[Dict[str, Any]]:
        """This call as the next request's assistant message carries it, or None for a call
        with neither a function nor a custom payload (nothing a request can say)."""
        kind = self.kind
        fn, custom = self.function, self.custom
        if fn is not None and (kind != "custom" or custom is None):
            return {"id": self.call_id(), "type": "function",
                    "function": {"name": fn.name, "arguments": fn.arguments}}
        if custom is not None:
            return {"id": self.call_id(), "type": "custom",
                    "custom": {"name": custom.name or "", "input": custom.input or ""}}
        return None

    def result_param(self, content: Any) -> Dict[str, Any]:
        """The tool-result message for the next request:
        ``{"role": "tool", "tool_call_id": ..., "content": content}``."""
        return {"role": "tool", "tool_call_id": self.call_id(), "content": content}


def calls_param(calls: List[ChatCompletionMessageToolCall]) -> List[Dict[str, Any]]:
    """The tool calls of a message as the request wants them (calls it cannot express left
    out)."""
    out = []
    for call in calls:
        param = call.to_param()
        if param is not None:
            out.append(param)
    return out


class _CallKind(type):
    """The SDK has a class per kind of tool call, this library one class for both: its
    names for the two kinds test the kind, so ``isinstance`` never lies about a call."""

    _kind: str

    def __instancecheck__(cls, obj: Any) -> bool:
        return type(obj) is ChatCompletionMessageToolCall and obj.kind == cls._kind

    def __call__(cls, **fields: Any) -> ChatCompletionMessageToolCall:
        fields.setdefault("type", cls._kind)
        return ChatCompletionMessageToolCall(**fields)


class ChatCompletionMessageFunctionToolCall(metaclass=_CallKind):
    """The SDK's name for a function tool call: ``isinstance(call, it)`` is true for a
    ``ChatCompletionMessageToolCall`` whose ``kind`` is ``"function"``, and calling it builds
    one (``type`` "function" unless given)."""

    _kind = "function"


class ChatCompletionMessageCustomToolCall(metaclass=_CallKind):
    """The SDK's name for a custom tool call: ``isinstance(call, it)`` is true for a
    ``ChatCompletionMessageToolCall`` whose ``kind`` is ``"custom"``, and calling it builds
    one (``type`` "custom" unless given)."""

    _kind = "custom"
