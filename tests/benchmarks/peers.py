"""The libraries we compare against, each behind the same small adapter.

Every peer is imported lazily by :func:`load_peers`; one that is not
installed (or fails to import) is returned as unavailable with the reason,
and the report prints it as ``n/a``.

The mashumaro, msgspec and dataclasses-json models below describe the same
fields our package does, written the way a user of each library naturally
would: required keys without defaults, optional keys ``Optional[...] = None``,
default configuration (no omit-``None`` options: those add work on output).
Consequence: their ``to_dict`` writes ``"tool_calls": None`` where the input
had no such key; the sanity check in ``run.py`` allows exactly that.
"""

import dataclasses
import json
from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = ["Peer", "load_peers", "PEER_NAMES", "STREAM_PEER_NAMES"]

JSONDict = Dict[str, Any]


@dataclasses.dataclass
class Peer:
    """One library under comparison.

    ``from_dict``/``from_json`` parse a response (``dict`` / JSON ``bytes``);
    ``to_dict``/``to_json`` serialise what ``from_dict`` returned.
    ``prepare_stream`` turns the list of chunk dicts into whatever
    ``assemble_stream`` consumes (done once, outside the timing), and
    ``assemble_stream`` returns the final response as a ``dict``-able object.
    """

    name: str
    label: str
    version: str
    from_dict: Callable[[JSONDict], Any]
    to_dict: Callable[[Any], Any]
    from_json: Callable[[bytes], Any]
    to_json: Callable[[Any], Any]
    prepare_stream: Optional[Callable[[List[JSONDict]], Any]] = None
    assemble_stream: Optional[Callable[[Any], Any]] = None
    # Output of assemble_stream -> (content, finish_reason, usage dict), for sanity checks.
    stream_summary: Optional[Callable[[Any], Tuple[Any, Any, Any]]] = None
    # Informational: the same accumulation fed each event's JSON payload (bytes),
    # decoding and validating it first (everything but the SSE framing).
    assemble_stream_json: Optional[Callable[[List[bytes]], Any]] = None


#: Report order of the peers for the response operations.
PEER_NAMES = ("openai", "mashumaro", "msgspec", "dataclasses_json")
#: Peers that have a stream accumulator.
STREAM_PEER_NAMES = ("openai",)


def _version(dist: str) -> str:
    try:
        from importlib.metadata import version
    except ImportError:  # pragma: no cover - 3.9 has it; belt and braces
        return "?"
    try:
        return version(dist)
    except Exception:
        return "?"


# ----------------------------------------------------------------------------
# openai (pydantic v2 models)


def _load_openai() -> Peer:
    from openai.lib.streaming.chat import ChatCompletionStreamState
    from openai.types.chat import ChatCompletion, ChatCompletionChunk

    validate = ChatCompletion.model_validate
    validate_json = ChatCompletion.model_validate_json
    chunk_validate = ChatCompletionChunk.model_validate

    def prepare(chunks: List[JSONDict]) -> List[Any]:
        # The SDK is handed chunks it has already decoded and validated:
        # its SSE parsing and JSON decoding are NOT part of the timing.
        return [chunk_validate(c) for c in chunks]

    def assemble(parsed: List[Any]) -> Any:
        # What ChatCompletionStream does per chunk: handle_chunk (which also
        # builds the event list), then get_final_completion at the end. No
        # input_tools / response_format: the stream is plain text.
        state: Any = ChatCompletionStreamState()
        handle = state.handle_chunk
        for chunk in parsed:
            handle(chunk)
        return state.get_final_completion()

    chunk_validate_json = ChatCompletionChunk.model_validate_json

    def assemble_json(payloads: List[bytes]) -> Any:
        state: Any = ChatCompletionStreamState()
        handle = state.handle_chunk
        for payload in payloads:
            handle(chunk_validate_json(payload))
        return state.get_final_completion()

    def summary(done: Any) -> Tuple[Any, Any, Any]:
        choice = done.choices[0]
        usage = done.usage.model_dump(exclude_unset=True) if done.usage is not None else None
        return choice.message.content, choice.finish_reason, usage

    return Peer(
        name="openai",
        label="openai SDK (pydantic)",
        version="openai=={} pydantic=={} pydantic-core=={}".format(
            _version("openai"), _version("pydantic"), _version("pydantic-core")
        ),
        from_dict=validate,
        to_dict=lambda obj: obj.model_dump(exclude_unset=True),
        from_json=validate_json,
        to_json=lambda obj: obj.model_dump_json(exclude_unset=True),
        prepare_stream=prepare,
        assemble_stream=assemble,
        stream_summary=summary,
        assemble_stream_json=assemble_json,
    )


# ----------------------------------------------------------------------------
# mashumaro


def _load_mashumaro() -> Peer:
    from dataclasses import dataclass

    from mashumaro.mixins.json import DataClassJSONMixin

    # DataClassJSONMixin is DataClassDictMixin plus to_json/from_json built on
    # the standard json module (json.dumps(self.to_dict())) - same as ours.

    @dataclass
    class MTopLogprob(DataClassJSONMixin):
        token: str
        logprob: float
        bytes: Optional[List[int]] = None

    @dataclass
    class MTokenLogprob(DataClassJSONMixin):
        token: str
        logprob: float
        bytes: Optional[List[int]] = None
        top_logprobs: Optional[List[MTopLogprob]] = None

    @dataclass
    class MChoiceLogprobs(DataClassJSONMixin):
        content: Optional[List[MTokenLogprob]] = None
        refusal: Optional[List[MTokenLogprob]] = None

    @dataclass
    class MURLCitation(DataClassJSONMixin):
        start_index: int
        end_index: int
        url: str
        title: str

    @dataclass
    class MAnnotation(DataClassJSONMixin):
        type: str
        url_citation: Optional[MURLCitation] = None

    @dataclass
    class MFunction(DataClassJSONMixin):
        name: str
        arguments: str

    @dataclass
    class MToolCall(DataClassJSONMixin):
        id: str
        type: Optional[str] = None
        function: Optional[MFunction] = None

    @dataclass
    class MMessage(DataClassJSONMixin):
        role: str
        content: Optional[str] = None
        refusal: Optional[str] = None
        annotations: Optional[List[MAnnotation]] = None
        tool_calls: Optional[List[MToolCall]] = None

    @dataclass
    class MChoice(DataClassJSONMixin):
        index: Optional[int] = None
        message: Optional[MMessage] = None
        logprobs: Optional[MChoiceLogprobs] = None
        finish_reason: Optional[str] = None

    @dataclass
    class MPromptTokensDetails(DataClassJSONMixin):
        cached_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None

    @dataclass
    class MCompletionTokensDetails(DataClassJSONMixin):
        reasoning_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None
        accepted_prediction_tokens: Optional[int] = None
        rejected_prediction_tokens: Optional[int] = None

    @dataclass
    class MUsage(DataClassJSONMixin):
        prompt_tokens: int
        completion_tokens: int
        total_tokens: int
        prompt_tokens_details: Optional[MPromptTokensDetails] = None
        completion_tokens_details: Optional[MCompletionTokensDetails] = None

    @dataclass
    class MResponse(DataClassJSONMixin):
        id: str
        choices: List[MChoice]
        created: int
        model: str
        object: str
        system_fingerprint: Optional[str] = None
        service_tier: Optional[str] = None
        usage: Optional[MUsage] = None

    return Peer(
        name="mashumaro",
        label="mashumaro",
        version="mashumaro==" + _version("mashumaro"),
        from_dict=MResponse.from_dict,
        to_dict=lambda obj: obj.to_dict(),
        from_json=MResponse.from_json,
        to_json=lambda obj: obj.to_json(),
    )


# ----------------------------------------------------------------------------
# msgspec


def _load_msgspec() -> Peer:
    import msgspec

    class STopLogprob(msgspec.Struct, kw_only=True):
        token: str
        logprob: float
        bytes: Optional[List[int]] = None

    class STokenLogprob(msgspec.Struct, kw_only=True):
        token: str
        logprob: float
        bytes: Optional[List[int]] = None
        top_logprobs: Optional[List[STopLogprob]] = None

    class SChoiceLogprobs(msgspec.Struct, kw_only=True):
        content: Optional[List[STokenLogprob]] = None
        refusal: Optional[List[STokenLogprob]] = None

    class SURLCitation(msgspec.Struct, kw_only=True):
        start_index: int
        end_index: int
        url: str
        title: str

    class SAnnotation(msgspec.Struct, kw_only=True):
        type: str
        url_citation: Optional[SURLCitation] = None

    class SFunction(msgspec.Struct, kw_only=True):
        name: str
        arguments: str

    class SToolCall(msgspec.Struct, kw_only=True):
        id: str
        type: Optional[str] = None
        function: Optional[SFunction] = None

    class SMessage(msgspec.Struct, kw_only=True):
        role: str
        content: Optional[str] = None
        refusal: Optional[str] = None
        annotations: Optional[List[SAnnotation]] = None
        tool_calls: Optional[List[SToolCall]] = None

    class SChoice(msgspec.Struct, kw_only=True):
        index: Optional[int] = None
        message: Optional[SMessage] = None
        logprobs: Optional[SChoiceLogprobs] = None
        finish_reason: Optional[str] = None

    class SPromptTokensDetails(msgspec.Struct, kw_only=True):
        cached_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None

    class SCompletionTokensDetails(msgspec.Struct, kw_only=True):
        reasoning_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None
        accepted_prediction_tokens: Optional[int] = None
        rejected_prediction_tokens: Optional[int] = None

    class SUsage(msgspec.Struct, kw_only=True):
        prompt_tokens: int
        completion_tokens: int
        total_tokens: int
        prompt_tokens_details: Optional[SPromptTokensDetails] = None
        completion_tokens_details: Optional[SCompletionTokensDetails] = None

    class SResponse(msgspec.Struct, kw_only=True):
        id: str
        choices: List[SChoice]
        created: int
        model: str
        object: str
        system_fingerprint: Optional[str] = None
        service_tier: Optional[str] = None
        usage: Optional[SUsage] = None

    convert = msgspec.convert
    to_builtins = msgspec.to_builtins
    # Reused Decoder/Encoder instances: msgspec's documented fast path.
    decoder = msgspec.json.Decoder(SResponse)
    encoder = msgspec.json.Encoder()

    return Peer(
        name="msgspec",
        label="msgspec (C extension)",
        version="msgspec==" + _version("msgspec"),
        from_dict=lambda d: convert(d, type=SResponse),
        to_dict=to_builtins,
        from_json=decoder.decode,
        to_json=encoder.encode,
    )


# ----------------------------------------------------------------------------
# dataclasses-json (what the seed SDK used)


def _load_dataclasses_json() -> Peer:
    from dataclasses import dataclass

    from dataclasses_json import dataclass_json

    @dataclass_json
    @dataclass
    class DTopLogprob:
        token: str
        logprob: float
        bytes: Optional[List[int]] = None

    @dataclass_json
    @dataclass
    class DTokenLogprob:
        token: str
        logprob: float
        bytes: Optional[List[int]] = None
        top_logprobs: Optional[List[DTopLogprob]] = None

    @dataclass_json
    @dataclass
    class DChoiceLogprobs:
        content: Optional[List[DTokenLogprob]] = None
        refusal: Optional[List[DTokenLogprob]] = None

    @dataclass_json
    @dataclass
    class DURLCitation:
        start_index: int
        end_index: int
        url: str
        title: str

    @dataclass_json
    @dataclass
    class DAnnotation:
        type: str
        url_citation: Optional[DURLCitation] = None

    @dataclass_json
    @dataclass
    class DFunction:
        name: str
        arguments: str

    @dataclass_json
    @dataclass
    class DToolCall:
        id: str
        type: Optional[str] = None
        function: Optional[DFunction] = None

    @dataclass_json
    @dataclass
    class DMessage:
        role: str
        content: Optional[str] = None
        refusal: Optional[str] = None
        annotations: Optional[List[DAnnotation]] = None
        tool_calls: Optional[List[DToolCall]] = None

    @dataclass_json
    @dataclass
    class DChoice:
        index: Optional[int] = None
        message: Optional[DMessage] = None
        logprobs: Optional[DChoiceLogprobs] = None
        finish_reason: Optional[str] = None

    @dataclass_json
    @dataclass
    class DPromptTokensDetails:
        cached_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None

    @dataclass_json
    @dataclass
    class DCompletionTokensDetails:
        reasoning_tokens: Optional[int] = None
        audio_tokens: Optional[int] = None
        accepted_prediction_tokens: Optional[int] = None
        rejected_prediction_tokens: Optional[int] = None

    @dataclass_json
    @dataclass
    class DUsage:
        prompt_tokens: int
        completion_tokens: int
        total_tokens: int
        prompt_tokens_details: Optional[DPromptTokensDetails] = None
        completion_tokens_details: Optional[DCompletionTokensDetails] = None

    @dataclass_json
    @dataclass
    class DResponse:
        id: str
        choices: List[DChoice]
        created: int
        model: str
        object: str
        system_fingerprint: Optional[str] = None
        service_tier: Optional[str] = None
        usage: Optional[DUsage] = None

    resp: Any = DResponse  # the decorator adds the methods at run time
    return Peer(
        name="dataclasses_json",
        label="dataclasses-json",
        version="dataclasses-json=={} marshmallow=={}".format(
            _version("dataclasses-json"), _version("marshmallow")
        ),
        from_dict=resp.from_dict,
        to_dict=lambda obj: obj.to_dict(),
        from_json=resp.from_json,
        to_json=lambda obj: obj.to_json(),
    )


_LOADERS: Dict[str, Callable[[], Peer]] = {
    "openai": _load_openai,
    "mashumaro": _load_mashumaro,
    "msgspec": _load_msgspec,
    "dataclasses_json": _load_dataclasses_json,
}


def load_peers(names: Optional[List[str]] = None) -> Tuple[Dict[str, Peer], Dict[str, str]]:
    """Import the peers; return ``(available, unavailable)`` where
    ``unavailable`` maps a name to why it could not be loaded."""
    ok: Dict[str, Peer] = {}
    missing: Dict[str, str] = {}
    for name in names if names is not None else PEER_NAMES:
        try:
            ok[name] = _LOADERS[name]()
        except ImportError as exc:
            missing[name] = f"not installed ({exc})"
        except Exception as exc:
            missing[name] = f"failed to load: {type(exc).__name__}: {exc}"
    return ok, missing


def without_nones(value: Any) -> Any:
    """``value`` with every ``None``-valued object key dropped, recursively
    (peers write ``None`` for absent optional keys; the inputs never hold
    ``None`` where it matters to the comparison)."""
    if isinstance(value, dict):
        return {k: without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nones(v) for v in value]
    return value


def peer_roundtrip_ok(peer: Peer, d: JSONDict) -> bool:
    """Whether the peer parsed every field: ``to_dict(from_dict(d))`` equals
    ``d`` up to ``None``-valued keys."""
    out = peer.to_dict(peer.from_dict(d))
    return bool(without_nones(out) == without_nones(d)) and bool(
        without_nones(json.loads(peer.to_json(peer.from_json(json.dumps(d).encode()))))
        == without_nones(d)
    )
