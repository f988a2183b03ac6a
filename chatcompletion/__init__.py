# SPDX-License-Identifier: MIT
"""Standard-library dataclasses for OpenAI Chat Completions responses and streams.

``CreateChatCompletionResponse.from_dict(d).to_dict() == d`` for every response a server
sends, unknown keys included; anything else raises ``ValidationError`` with its JSON path.
"""
from ._accumulate import ChatCompletionAccumulator, accumulate
from ._chunk import (
    ChatCompletionMessageToolCallChunk,
    ChatCompletionStreamResponseDelta,
    ChoiceDeltaAudio,
    ChoiceDeltaToolCallFunction,
    CreateChatCompletionStreamResponse,
    CreateChatCompletionStreamResponseChoices,
)
from ._constants import (
    AnnotationType,
    ChatCompletionResponseMessageRole,
    FinishReason,
    ServiceTier,
    ToolCallType,
)
from ._errors import StreamError, ValidationError
from ._logprobs import ChatCompletionTokenLogprob, ChoiceLogprobs, TopLogprob
from ._response import (
    Annotation,
    AnnotationURLCitation,
    ChatCompletionAudio,
    ChatCompletionMessageToolCall,
    ChatCompletionResponseMessage,
    CreateChatCompletionResponse,
    CreateChatCompletionResponseChoices,
    Custom,
    Function,
)
from ._stream import aiter_chunks, iter_chunks
from ._usage import CompletionTokensDetails, CreateChatCompletionResponseUsage, PromptTokensDetails

__version__ = "0.1.0"

# The official OpenAI Python SDK's names for the same classes.
ChatCompletion = CreateChatCompletionResponse
Choice = CreateChatCompletionResponseChoices
ChatCompletionMessage = ChatCompletionResponseMessage
CompletionUsage = CreateChatCompletionResponseUsage
ChatCompletionMessageFunctionToolCall = ChatCompletionMessageToolCall
ChatCompletionMessageCustomToolCall = ChatCompletionMessageToolCall
ChatCompletionMessageToolCallUnion = ChatCompletionMessageToolCall
FunctionCall = Function
CreateChatCompletionResponseChoicesFinishReason = FinishReason  # the seed's name
ChatCompletionChunk = CreateChatCompletionStreamResponse
ChunkChoice = CreateChatCompletionStreamResponseChoices  # the SDK's chat_completion_chunk.Choice
ChoiceDelta = ChatCompletionStreamResponseDelta
ChoiceDeltaToolCall = ChatCompletionMessageToolCallChunk
ChoiceDeltaFunctionCall = ChoiceDeltaToolCallFunction

__all__ = [
    "ChatCompletionAccumulator",
    "ChatCompletionChunk",
    "ChatCompletionMessageToolCallChunk",
    "ChatCompletionStreamResponseDelta",
    "ChoiceDelta",
    "ChoiceDeltaAudio",
    "ChoiceDeltaFunctionCall",
    "ChoiceDeltaToolCall",
    "ChoiceDeltaToolCallFunction",
    "ChunkChoice",
    "CreateChatCompletionStreamResponse",
    "CreateChatCompletionStreamResponseChoices",
    "accumulate",
    "aiter_chunks",
    "iter_chunks",
    "Annotation",
    "AnnotationType",
    "AnnotationURLCitation",
    "ChatCompletion",
    "ChatCompletionAudio",
    "ChatCompletionMessage",
    "ChatCompletionMessageCustomToolCall",
    "ChatCompletionMessageFunctionToolCall",
    "ChatCompletionMessageToolCall",
    "ChatCompletionMessageToolCallUnion",
    "ChatCompletionResponseMessage",
    "ChatCompletionResponseMessageRole",
    "ChatCompletionTokenLogprob",
    "Choice",
    "ChoiceLogprobs",
    "CompletionTokensDetails",
    "CompletionUsage",
    "CreateChatCompletionResponse",
    "CreateChatCompletionResponseChoices",
    "CreateChatCompletionResponseChoicesFinishReason",
    "CreateChatCompletionResponseUsage",
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
]
