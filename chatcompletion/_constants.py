# SPDX-License-Identifier: MIT
"""Known values of the enum-like string fields.

The fields themselves stay typed ``str`` so that values a server adds later still fit;
members of these ``str`` enums compare equal to the JSON strings.
"""
from __future__ import annotations

from enum import Enum


class _Constant(str, Enum):
    """A known value of a string field: equal to it, and printed as it."""

    def __str__(self) -> str:
        return self.value  # type: ignore[no-any-return]


class ChatCompletionResponseMessageRole(_Constant):
    """Author roles (the response message is always ``assistant``)."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    DEVELOPER = "developer"
    TOOL = "tool"
    FUNCTION = "function"


class FinishReason(_Constant):
    """Why a choice stopped. Servers add their own (``eos``, ``""``): compare, don't assume."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    FUNCTION_CALL = "function_call"


class ServiceTier(_Constant):
    """The tier that served the request."""

    AUTO = "auto"
    DEFAULT = "default"
    FLEX = "flex"
    SCALE = "scale"
    PRIORITY = "priority"
    FAST = "fast"


class ToolCallType(_Constant):
    """Kinds of tool call."""

    FUNCTION = "function"
    CUSTOM = "custom"


class AnnotationType(_Constant):
    """Kinds of message annotation."""

    URL_CITATION = "url_citation"
