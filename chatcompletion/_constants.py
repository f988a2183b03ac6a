# SPDX-License-Identifier: MIT
"""Known values of the enum-like string fields.

The fields themselves stay typed ``str`` so that values a server adds later still fit;
members of these ``str`` enums compare equal to the JSON strings.
"""
from __future__ import annotations

from enum import Enum


class ChatCompletionResponseMessageRole(str, Enum):
    """Author roles (the response message is always ``assistant``)."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    DEVELOPER = "developer"
    TOOL = "tool"
    FUNCTION = "function"

    def __str__(self) -> str:
        return self.value


class FinishReason(str, Enum):
    """Why a choice stopped. Servers add their own (``eos``, ``""``): compare, don't assume."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_CALLS = "tool_calls"
    CONTENT_FILTER = "content_filter"
    FUNCTION_CALL = "function_call"

    def __str__(self) -> str:
        return self.value


class ServiceTier(str, Enum):
    """The tier that served the request."""

    AUTO = "auto"
    DEFAULT = "default"
    FLEX = "flex"
    SCALE = "scale"
    PRIORITY = "priority"
    FAST = "fast"

    def __str__(self) -> str:
        return self.value


class ToolCallType(str, Enum):
    """Kinds of tool call."""

    FUNCTION = "function"
    CUSTOM = "custom"

    def __str__(self) -> str:
        return self.value


class AnnotationType(str, Enum):
    """Kinds of message annotation."""

    URL_CITATION = "url_citation"

    def __str__(self) -> str:
        return self.value
