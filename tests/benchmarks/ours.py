"""Adapters for ``chatcompletion`` itself, and "bare construction".

Bare construction builds the same object tree as ``from_dict`` by calling our
own constructors by keyword with values taken straight from the dict: no type
checks, no copies, no unknown-key handling. It is the floor for any
``from_dict`` written on top of these classes, so ``from_dict / bare`` is the
price of validation (and of the copies the no-aliasing rule needs).
"""

from typing import Any, Callable, Dict, List, Optional

__all__ = ["load", "Ours"]

JSONDict = Dict[str, Any]


class Ours:
    """``chatcompletion`` behind the same shape as :class:`peers.Peer`."""

    name = "ours"
    label = "chatcompletion"

    def __init__(self, cc: Any) -> None:
        self.cc = cc
        response = cc.CreateChatCompletionResponse
        self.version = "chatcompletion " + str(getattr(cc, "__version__", "?"))
        self.from_dict: Callable[[JSONDict], Any] = response.from_dict
        self.from_json: Callable[[bytes], Any] = response.from_json
        self.to_dict: Callable[[Any], Any] = lambda obj: obj.to_dict()
        self.to_json: Callable[[Any], Any] = lambda obj: obj.to_json()
        self.bare: Callable[[JSONDict], Any] = _make_bare(cc)
        iter_chunks = getattr(cc, "iter_chunks", None)
        accumulate = getattr(cc, "accumulate", None)
        self.stream_missing: Optional[str] = None
        if iter_chunks is None or accumulate is None:
            self.stream_missing = "chatcompletion has no iter_chunks/accumulate yet"
            self.assemble_stream: Optional[Callable[[List[bytes]], Any]] = None
        else:

            def assemble(pieces: List[bytes]) -> Any:
                # SSE reading + JSON decoding + validation + accumulation.
                return accumulate(iter_chunks(pieces))

            self.assemble_stream = assemble
        # Informational: accumulate over chunk objects parsed beforehand (the
        # input the SDK's stream state gets in the comparison).
        chunk_cls = getattr(cc, "CreateChatCompletionStreamResponse", None)
        self.parse_chunks: Optional[Callable[[List[JSONDict]], List[Any]]] = None
        self.accumulate_parsed: Optional[Callable[[List[Any]], Any]] = None
        if chunk_cls is not None and accumulate is not None:
            self.parse_chunks = lambda chunks: [chunk_cls.from_dict(c) for c in chunks]
            self.accumulate_parsed = accumulate

    @staticmethod
    def stream_summary(done: Any) -> Any:
        choice = done.choices[0]
        usage = done.usage.to_dict() if done.usage is not None else None
        return choice.message.content, choice.finish_reason, usage


def _make_bare(cc: Any) -> Callable[[JSONDict], Any]:
    Response = cc.CreateChatCompletionResponse
    Choice = cc.CreateChatCompletionResponseChoices
    Message = cc.ChatCompletionResponseMessage
    ToolCall = cc.ChatCompletionMessageToolCall
    Function = cc.Function
    ChoiceLogprobs = cc.ChoiceLogprobs
    TokenLogprob = cc.ChatCompletionTokenLogprob
    TopLogprob = cc.TopLogprob
    Usage = cc.CreateChatCompletionResponseUsage
    PromptDetails = cc.PromptTokensDetails
    CompletionDetails = cc.CompletionTokensDetails

    # Handles exactly the shapes in data.py (the annotations list is always
    # empty there, so it is passed through as is).

    def tool_call(t: JSONDict) -> Any:
        f = t["function"]
        return ToolCall(
            id=t["id"], type=t["type"], function=Function(name=f["name"], arguments=f["arguments"])
        )

    def token(t: JSONDict) -> Any:
        return TokenLogprob(
            token=t["token"],
            logprob=t["logprob"],
            bytes=t["bytes"],
            top_logprobs=[
                TopLogprob(token=x["token"], logprob=x["logprob"], bytes=x["bytes"])
                for x in t["top_logprobs"]
            ],
        )

    def message(m: JSONDict) -> Any:
        if "tool_calls" in m:
            return Message(
                role=m["role"],
                content=m["content"],
                refusal=m["refusal"],
                annotations=m["annotations"],
                tool_calls=[tool_call(t) for t in m["tool_calls"]],
            )
        return Message(
            role=m["role"], content=m["content"], refusal=m["refusal"], annotations=m["annotations"]
        )

    def choice(c: JSONDict) -> Any:
        lp = c["logprobs"]
        if lp is not None:
            lp = ChoiceLogprobs(content=[token(t) for t in lp["content"]], refusal=lp["refusal"])
        return Choice(
            index=c["index"],
            message=message(c["message"]),
            logprobs=lp,
            finish_reason=c["finish_reason"],
        )

    def usage(u: JSONDict) -> Any:
        p = u["prompt_tokens_details"]
        c = u["completion_tokens_details"]
        return Usage(
            prompt_tokens=u["prompt_tokens"],
            completion_tokens=u["completion_tokens"],
            total_tokens=u["total_tokens"],
            prompt_tokens_details=PromptDetails(
                cached_tokens=p["cached_tokens"], audio_tokens=p["audio_tokens"]
            ),
            completion_tokens_details=CompletionDetails(
                reasoning_tokens=c["reasoning_tokens"],
                audio_tokens=c["audio_tokens"],
                accepted_prediction_tokens=c["accepted_prediction_tokens"],
                rejected_prediction_tokens=c["rejected_prediction_tokens"],
            ),
        )

    def bare(d: JSONDict) -> Any:
        return Response(
            id=d["id"],
            choices=[choice(c) for c in d["choices"]],
            created=d["created"],
            model=d["model"],
            object=d["object"],
            system_fingerprint=d["system_fingerprint"],
            service_tier=d["service_tier"],
            usage=usage(d["usage"]),
        )

    return bare


def load() -> Ours:
    """Import ``chatcompletion``; raises ``ImportError``/``AttributeError`` if
    it is missing or lacks the response API."""
    import chatcompletion

    return Ours(chatcompletion)
