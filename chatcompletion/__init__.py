# SPDX-License-Identifier: MIT
"""Standard-library dataclasses for OpenAI Chat Completions responses and streams.

``CreateChatCompletionResponse.from_dict(d).to_dict() == d`` for every response a server
sends, unknown keys included; anything else raises ``ValidationError`` with its JSON path.
"""
from ._constants import (
    AnnotationType,
    ChatCompletionResponseMessageRole,
    FinishReason,
    ServiceTier,
    ToolCallType,
)
from ._errors import StreamError, ValidationError
from ._logprobs import ChatCompletionTokenLogprob, ChoiceLogprobs, TopLogprob
from ._message import (
    Annotation,
    AnnotationURLCitation,
    ChatCompletionAudio,
    ChatCompletionResponseMessage,
)
from ._response import CreateChatCompletionResponse, CreateChatCompletionResponseChoices
from ._tools import ChatCompletionMessageToolCall, Custom, Function
from ._usage import CompletionTokensDetails, CreateChatCompletionResponseUsage, PromptTokensDetails

__version__ = "0.2.0"

# The official OpenAI Python SDK's names for the same classes.
ChatCompletion = CreateChatCompletionResponse
Choice = CreateChatCompletionResponseChoices
ChatCompletionMessage = ChatCompletionResponseMessage
CompletionUsage = CreateChatCompletionResponseUsage
ChatCompletionMessageToolCallUnion = ChatCompletionMessageToolCall  # either kind of call
FunctionCall = Function
CreateChatCompletionResponseChoicesFinishReason = FinishReason  # the seed's name

TYPE_CHECKING = False
if TYPE_CHECKING:
    # For a type checker, the SDK's names for the two kinds of tool call are the one class;
    # at run time they test the kind (isinstance never lies: see _tools._CallKind).
    ChatCompletionMessageFunctionToolCall = ChatCompletionMessageToolCall
    ChatCompletionMessageCustomToolCall = ChatCompletionMessageToolCall

    # The stream, batch and serving sides are imported on first use (PEP 562), so that
    # `import chatcompletion` costs only what reading one response needs.
    from ._accumulate import ChatCompletionAccumulator, accumulate
    from ._batch import BatchOutputLine, BatchResponse, iter_batch_output
    from ._build import build_chunk, build_response, tool_call
    from ._chunk import (
        CreateChatCompletionStreamResponse,
        CreateChatCompletionStreamResponseChoices,
    )
    from ._delta import (
        ChatCompletionMessageToolCallChunk,
        ChatCompletionStreamResponseDelta,
        ChoiceDeltaAudio,
        ChoiceDeltaToolCallFunction,
    )
    from ._serve import make_server
    from ._stream import ChunkDecoder, aiter_chunks, encode_sse, encode_sse_error, iter_chunks

    ChatCompletionChunk = CreateChatCompletionStreamResponse
    ChunkChoice = CreateChatCompletionStreamResponseChoices  # SDK: chat_completion_chunk.Choice
    ChoiceDelta = ChatCompletionStreamResponseDelta
    ChoiceDeltaToolCall = ChatCompletionMessageToolCallChunk
    ChoiceDeltaFunctionCall = ChoiceDeltaToolCallFunction
else:
    from ._tools import ChatCompletionMessageCustomToolCall, ChatCompletionMessageFunctionToolCall

_LAZY = {
    # name: (module, name in that module)
    "ChatCompletionAccumulator": ("_accumulate", "ChatCompletionAccumulator"),
    "accumulate": ("_accumulate", "accumulate"),
    "BatchOutputLine": ("_batch", "BatchOutputLine"),
    "BatchResponse": ("_batch", "BatchResponse"),
    "iter_batch_output": ("_batch", "iter_batch_output"),
    "build_chunk": ("_build", "build_chunk"),
    "build_response": ("_build", "build_response"),
    "tool_call": ("_build", "tool_call"),
    "ChatCompletionMessageToolCallChunk": ("_delta", "ChatCompletionMessageToolCallChunk"),
    "ChatCompletionStreamResponseDelta": ("_delta", "ChatCompletionStreamResponseDelta"),
    "ChoiceDeltaAudio": ("_delta", "ChoiceDeltaAudio"),
    "ChoiceDeltaToolCallFunction": ("_delta", "ChoiceDeltaToolCallFunction"),
    "CreateChatCompletionStreamResponse": ("_chunk", "CreateChatCompletionStreamResponse"),
    "CreateChatCompletionStreamResponseChoices": (
        "_chunk", "CreateChatCompletionStreamResponseChoices",
    ),
    "ChatCompletionChunk": ("_chunk", "CreateChatCompletionStreamResponse"),
    "ChunkChoice": ("_chunk", "CreateChatCompletionStreamResponseChoices"),
    "ChoiceDelta": ("_delta", "ChatCompletionStreamResponseDelta"),
    "ChoiceDeltaToolCall": ("_delta", "ChatCompletionMessageToolCallChunk"),
    "ChoiceDeltaFunctionCall": ("_delta", "ChoiceDeltaToolCallFunction"),
    "make_server": ("_serve", "make_server"),
    "ChunkDecoder": ("_stream", "ChunkDecoder"),
    "aiter_chunks": ("_stream", "aiter_chunks"),
    "encode_sse": ("_stream", "encode_sse"),
    "encode_sse_error": ("_stream", "encode_sse_error"),
    "iter_chunks": ("_stream", "iter_chunks"),
}


def __getattr__(name: str) -> object:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value  # later lookups find it directly, as after a plain import
    return value


def __dir__() -> list:  # type: ignore[type-arg]
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Annotation",
    "AnnotationType",
    "AnnotationURLCitation",
    "BatchOutputLine",
    "BatchResponse",
    "ChatCompletion",
    "ChatCompletionAccumulator",
    "ChatCompletionAudio",
    "ChatCompletionChunk",
    "ChatCompletionMessage",
    "ChatCompletionMessageCustomToolCall",
    "ChatCompletionMessageFunctionToolCall",
    "ChatCompletionMessageToolCall",
    "ChatCompletionMessageToolCallChunk",
    "ChatCompletionMessageToolCallUnion",
    "ChatCompletionResponseMessage",
    "ChatCompletionResponseMessageRole",
    "ChatCompletionStreamResponseDelta",
    "ChatCompletionTokenLogprob",
    "Choice",
    "ChoiceDelta",
    "ChoiceDeltaAudio",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "ChoiceLogprobs",
    "ChunkChoice",
    "ChunkDecoder",
    "CompletionTokensDetails",
    "CompletionUsage",
    "CreateChatCompletionResponse",
    "CreateChatCompletionResponseChoices",
    "CreateChatCompletionResponseChoicesFinishReason",
    "CreateChatCompletionResponseUsage",
    "CreateChatCompletionStreamResponse",
    "CreateChatCompletionStreamResponseChoices",
    "Custom",
    "FinishReason",
    "Function",
    "FunctionCall",
    "PromptTokensDetails",
    "ServiceTier",
    "StreamError",
    "ToolCallType",
    "TopLogprob",
    "ValidationError",
    "accumulate",
    "aiter_chunks",
    "build_chunk",
    "build_response",
    "encode_sse",
    "encode_sse_error",
    "iter_batch_output",
    "iter_chunks",
    "make_server",
    "tool_call",
]
