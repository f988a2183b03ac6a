"""Adapters for ``chatcompletion`` itself, and two floors for ``from_dict``.

Both floors build the same object tree as ``from_dict`` does on the inputs of
``data.py`` (the same classes, every field set, no unknown key: ``floor`` stores
``None`` in each object's ``_extra`` slot, as the package's fast paths do), with
the values taken straight from the dict: no type checks, no copies, no
unknown-key or explicit-``null`` bookkeeping. They differ in how an object is
made:

* ``bare``: our own constructors called by keyword (the dataclass
  ``__init__``, which also fills the defaults of the fields not passed);
* ``floor``: ``object.__new__(cls)`` and one attribute (slot) store per
  field, every field written, nothing else: the least any ``from_dict``
  building these objects can do.

So ``from_dict / bare`` is the price of validation (and of the copies the
no-aliasing rule needs) over idiomatic construction, and ``from_dict / floor``
over the cheapest construction there is. Each handles exactly the shapes in
``data.py`` (``annotations`` is always ``[]`` there and is passed through as
is; keys those shapes never have are stored as ``None``); ``run.py`` checks
both trees against ``from_dict``'s before timing.
"""

from typing import Any, Callable, Dict, List, Optional

__all__ = ["load", "Ours", "tree_diff"]

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
        self.floor: Callable[[JSONDict], Any] = _make_floor(cc)
        # Lenient reading: the same call with a problems list (valid inputs: it stays empty).
        self.from_dict_lenient: Callable[[JSONDict], Any] = lambda d: response.from_dict(
            d, problems=[]
        )
        iter_batch_output = getattr(cc, "iter_batch_output", None)
        self.read_batch: Optional[Callable[[List[bytes]], List[Any]]] = None
        if iter_batch_output is not None:
            self.read_batch = lambda lines: list(iter_batch_output(lines))
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

    def read_lenient(self, d: JSONDict) -> Any:
        """``(from_dict(d, problems=p), p)``, for the sanity check."""
        problems: List[Any] = []
        return self.cc.CreateChatCompletionResponse.from_dict(d, problems=problems), problems

    @staticmethod
    def stream_summary(done: Any) -> Any:
        choice = done.choices[0]
        usage = done.usage.to_dict() if done.usage is not None else None
        return choice.message.content, choice.finish_reason, usage


class _Classes:
    """The classes of a response tree, by short name."""

    def __init__(self, cc: Any) -> None:
        self.Response = cc.CreateChatCompletionResponse
        self.Choice = cc.CreateChatCompletionResponseChoices
        self.Message = cc.ChatCompletionResponseMessage
        self.ToolCall = cc.ChatCompletionMessageToolCall
        self.Function = cc.Function
        self.ChoiceLogprobs = cc.ChoiceLogprobs
        self.TokenLogprob = cc.ChatCompletionTokenLogprob
        self.TopLogprob = cc.TopLogprob
        self.Usage = cc.CreateChatCompletionResponseUsage
        self.PromptDetails = cc.PromptTokensDetails
        self.CompletionDetails = cc.CompletionTokensDetails


def _make_bare(cc: Any) -> Callable[[JSONDict], Any]:
    """Keyword construction: ``Cls(field=d["key"], ...)``."""
    k = _Classes(cc)
    Response, Choice, Message, ToolCall, Function = (
        k.Response,
        k.Choice,
        k.Message,
        k.ToolCall,
        k.Function,
    )
    ChoiceLogprobs, TokenLogprob, TopLogprob = k.ChoiceLogprobs, k.TokenLogprob, k.TopLogprob
    Usage, PromptDetails, CompletionDetails = k.Usage, k.PromptDetails, k.CompletionDetails

    def tool_call(t: JSONDict) -> Any:
        f = t["function"]
        return ToolCall(
            id=t["id"], type=t["type"], function=Function(name=f["name"], arguments=f["arguments"])
        )

    def token(t: JSONDict) -> Any:
        # extra=None: what the package's fast path stores for token logprobs.
        return TokenLogprob(
            token=t["token"],
            logprob=t["logprob"],
            bytes=t["bytes"],
            top_logprobs=[
                TopLogprob(token=x["token"], logprob=x["logprob"], bytes=x["bytes"], extra=None)
                for x in t["top_logprobs"]
            ],
            extra=None,
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


def _make_floor(cc: Any) -> Callable[[JSONDict], Any]:
    """``object.__new__(cls)`` and a store for every field of each class (the
    fields as the package declares them, in its order; ``extra`` as the package
    stores an empty one, ``None`` in its slot, without the explicit nulls)."""
    k = _Classes(cc)
    new = object.__new__
    Response, Choice, Message, ToolCall, Function = (
        k.Response,
        k.Choice,
        k.Message,
        k.ToolCall,
        k.Function,
    )
    ChoiceLogprobs, TokenLogprob, TopLogprob = k.ChoiceLogprobs, k.TokenLogprob, k.TopLogprob
    Usage, PromptDetails, CompletionDetails = k.Usage, k.PromptDetails, k.CompletionDetails

    def top(x: JSONDict) -> Any:
        o = new(TopLogprob)
        o.token = x["token"]
        o.logprob = x["logprob"]
        o.bytes = x["bytes"]
        o._extra = None  # as the package's fast path
        return o

    def token(t: JSONDict) -> Any:
        o = new(TokenLogprob)
        o.token = t["token"]
        o.logprob = t["logprob"]
        o.bytes = t["bytes"]
        o.top_logprobs = [top(x) for x in t["top_logprobs"]]
        o._extra = None  # as the package's fast path
        return o

    def tool_call(t: JSONDict) -> Any:
        f = t["function"]
        fn = new(Function)
        fn.name = f["name"]
        fn.arguments = f["arguments"]
        fn._extra = None
        o = new(ToolCall)
        o.id = t["id"]
        o.type = t["type"]
        o.function = fn
        o.custom = None
        o._extra = None
        return o

    def message(m: JSONDict) -> Any:
        o = new(Message)
        o.role = m["role"]
        o.content = m["content"]
        o.refusal = m["refusal"]
        o.annotations = m["annotations"]
        o.audio = None
        o.function_call = None
        calls = m.get("tool_calls")
        o.tool_calls = None if calls is None else [tool_call(t) for t in calls]
        o._extra = None
        return o

    def choice(c: JSONDict) -> Any:
        o = new(Choice)
        o.finish_reason = c["finish_reason"]
        o.index = c["index"]
        lp = c["logprobs"]
        if lp is not None:
            lpo = new(ChoiceLogprobs)
            lpo.content = [token(t) for t in lp["content"]]
            lpo.refusal = lp["refusal"]
            lpo._extra = None
            lp = lpo
        o.logprobs = lp
        o.message = message(c["message"])
        o._extra = None
        return o

    def usage(u: JSONDict) -> Any:
        c = u["completion_tokens_details"]
        cd = new(CompletionDetails)
        cd.accepted_prediction_tokens = c["accepted_prediction_tokens"]
        cd.audio_tokens = c["audio_tokens"]
        cd.reasoning_tokens = c["reasoning_tokens"]
        cd.rejected_prediction_tokens = c["rejected_prediction_tokens"]
        cd.text_tokens = None
        cd._extra = None
        p = u["prompt_tokens_details"]
        pd = new(PromptDetails)
        pd.audio_tokens = p["audio_tokens"]
        pd.cache_write_tokens = None
        pd.cached_tokens = p["cached_tokens"]
        pd.image_tokens = None
        pd.text_tokens = None
        pd._extra = None
        o = new(Usage)
        o.completion_tokens = u["completion_tokens"]
        o.prompt_tokens = u["prompt_tokens"]
        o.total_tokens = u["total_tokens"]
        o.completion_tokens_details = cd
        o.prompt_tokens_details = pd
        o._extra = None
        return o

    def floor(d: JSONDict) -> Any:
        o = new(Response)
        o.id = d["id"]
        o.choices = [choice(c) for c in d["choices"]]
        o.created = d["created"]
        o.model = d["model"]
        o.object = d["object"]
        o.metadata = None
        o.moderation = None
        o.service_tier = d["service_tier"]
        o.system_fingerprint = d["system_fingerprint"]
        o.usage = usage(d["usage"])
        o._extra = None
        return o

    return floor


def tree_diff(a: Any, b: Any, path: str = "$") -> Optional[str]:
    """Where two object trees differ (``None`` if they do not), comparing the
    class of every object and every field as stored, ``extra`` included (read
    raw, through the package's ``_values``: ``None`` or a tuple of the explicit
    nulls where no dict was allocated); ``extra`` is compared by its unknown
    keys only, so the nulls bookkeeping the floors skip does not count."""
    values = getattr(a, "_values", None)
    if values is not None:
        if type(a) is not type(b):
            return f"{path}: {type(a).__name__} vs {type(b).__name__}"
        names = list(type(a).__dataclass_fields__)
        for name, x, y in zip(names, a._values(), b._values()):
            if name == "extra":  # stored as None, a tuple of nulls or a dict: the keys count
                x = {} if x is None or type(x) is tuple else dict(x)
                y = {} if y is None or type(y) is tuple else dict(y)
                if x != y:
                    return f"{path}.extra: {x!r} vs {y!r}"
                continue
            found = tree_diff(x, y, f"{path}.{name}")
            if found is not None:
                return found
        return None
    if type(a) is list and type(b) is list:
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = tree_diff(x, y, f"{path}[{i}]")
            if found is not None:
                return found
        return None
    if type(a) is not type(b) or a != b:
        return f"{path}: {a!r:.60} vs {b!r:.60}"
    return None


def load() -> Ours:
    """Import ``chatcompletion``; raises ``ImportError``/``AttributeError`` if
    it is missing or lacks the response API."""
    import chatcompletion

    return Ours(chatcompletion)
