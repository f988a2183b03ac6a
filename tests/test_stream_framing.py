# SPDX-License-Identifier: MIT
"""The chunk reader's fast framing (``data: {...}`` events read in place) gives exactly what
the SSE decoder alone gives, for every way a body can be written and split (DESIGN §5):
the same chunks, the same error at the same event, whatever the pieces."""
from __future__ import annotations

import importlib
import json
import random
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

from tests import DATA, cc

_sse = importlib.import_module(f"{cc.__name__}._sse")
STREAMS = sorted((DATA / "streams").glob("*.sse"))
Outcome = Tuple[List[Dict[str, Any]], Any]


def reference(body: bytes) -> Outcome:
    """What the SSE decoder alone makes of ``body``: the chunks, then the error (if any)."""
    chunks: List[Dict[str, Any]] = []
    decoder = _sse.SSEDecoder()
    events = []
    try:
        for i in range(0, len(body), 1000):
            events += decoder.feed(body[i:i + 1000])
        events += decoder.close()
        framing_error = None
    except cc.ValidationError as e:  # invalid UTF-8: the events before it, then the error
        framing_error = ("ValidationError", e.message[:40], e.event)
    for number, event in enumerate(events, 1):
        if event.data.strip() == "[DONE]":
            break
        if event.event == "error":
            return chunks, ("StreamError", number)
        if event.event != "message" or not event.data.strip():
            continue
        try:
            payload = json.loads(event.data)
            if type(payload) is dict and payload.get("error") is not None:
                return chunks, ("StreamError", number)
            chunks.append(cc.ChatCompletionChunk.from_dict(payload).to_dict())
        except ValueError as e:  # json's errors and ValidationError
            return chunks, ("ValidationError", str(e)[:0], number)
    return chunks, framing_error


def read(pieces: List[Any], **kw: Any) -> Outcome:
    chunks: List[Dict[str, Any]] = []
    try:
        chunks.extend(c.to_dict() for c in cc.iter_chunks(pieces, **kw))
    except cc.StreamError as e:
        return chunks, ("StreamError", e.event)
    except cc.ValidationError as e:
        if e.event is None:  # the framing itself failed (UTF-8): compare the message
            return chunks, ("ValidationError", e.message[:40], None)
        return chunks, ("ValidationError", "", e.event)
    return chunks, None


def variants(body: bytes) -> Dict[str, bytes]:
    """``body`` written the ways real servers and proxies write the same stream."""
    text = body.decode("utf-8")
    events = [e for e in text.split("\n\n") if e.strip()]
    out = {
        "as is": body,
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "bom": b"\xef\xbb\xbf" + body,
        "comments": "".join(f": ping {i}\n\n{e}\n\n" for i, e in enumerate(events)).encode(),
        "event lines": "".join(f"event: message\n{e}\n\n" for e in events).encode(),
        "no space": text.replace("data: ", "data:").encode(),
        "trailing space": text.replace("}\n\n", "} \n\n").encode(),
        "no final blank line": text.rstrip("\n").encode(),
        "three newlines": text.replace("\n\n", "\n\n\n").encode(),
        "one comment": (events[0] + "\n\n: keep-alive\n\n" + "\n\n".join(events[1:])
                        + "\n\n").encode(),
    }
    first = events[0]
    if first.startswith("data: {") and len(first) > 20:  # one event's JSON on two data lines
        out["two data lines"] = (first[:15] + "\ndata: " + first[15:] + "\n\n"
                                 + "\n\n".join(events[1:]) + "\n\n").encode()
    if first.startswith("data: {") and ',"' in first:  # a line end where JSON allows one:
        # the SSE line ends there, and the event's data is the JSON cut short
        out["line end in the json"] = (first.replace(',"', ',\n"', 1) + "\n\n"
                                       + "\n\n".join(events[1:]) + "\n\n").encode()
    if len(events) > 2:
        out["bad json"] = ("\n\n".join([events[0], "data: {not json", *events[1:]])
                           + "\n\n").encode()
        out["bad chunk"] = ("\n\n".join([events[0], 'data: {"choices": 5}', *events[1:]])
                            + "\n\n").encode()
        out["error event"] = ("\n\n".join([*events[:2], 'event: error\ndata: {"message": "x"}',
                                           *events[2:]]) + "\n\n").encode()
        out["invalid utf-8"] = ("\n\n".join(events[:2]) + "\n\n").encode() + b"data: \xff\n\n"
        out["after done"] = body + b"data: {not json}\n\n"
        out["a late bom"] = ("\n\n".join(events[:1]) + "\n\n").encode() + b"\xef\xbb\xbf" + (
            "\n\n".join(events[1:]) + "\n\n").encode()
    return out


def splits(body: bytes, rnd: random.Random) -> List[List[bytes]]:
    """The body whole, in pieces of fixed sizes, and in random pieces."""
    out = [[body]]
    out.extend([body[i:i + size] for i in range(0, len(body), size)]
               for size in (1, 2, 3, 7, 64, 100))
    for _ in range(3):
        pieces, i = [], 0
        while i < len(body):
            n = rnd.choice([1, 2, 5, 17, 100, 333, 1000])
            pieces.append(body[i:i + n])
            i += n
        out.append(pieces)
    return out


def agrees(got: Outcome, expected: Outcome) -> bool:
    """The same chunks and error; for invalid UTF-8, the same error after at least the
    chunks the reference gave (it reads bigger pieces, so it may stop earlier)."""
    if expected[1] is not None and expected[1][-1] is None:
        return got[1] == expected[1] and got[0][:len(expected[0])] == expected[0]
    return got == expected


def check(body: bytes, rnd: random.Random) -> None:
    expected = reference(body)
    for pieces in splits(body, rnd):
        assert agrees(read(pieces), expected), [len(p) for p in pieces][:10]
        assert agrees(read([bytearray(p) for p in pieces]), expected)
    text = body.decode("utf-8", "surrogateescape")
    if "\udcff" not in text and not text.startswith("\ufeff"):
        assert agrees(read([text[i:i + 13] for i in range(0, len(text), 13)]), expected)
    if b"\r" not in body:
        lines = body.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        assert agrees(read(lines, lines=True), expected)


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.name)
def test_every_stream_every_way_it_is_written_and_split(path: Path) -> None:
    rnd = random.Random(path.name)
    for name, body in variants(path.read_bytes()).items():
        try:
            check(body, rnd)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from None


def test_the_fast_path_takes_the_usual_events() -> None:
    """The usual stream is framed without the SSE decoder (else the fast path is dead)."""
    body = (DATA / "streams" / "openai_parallel_tool_calls.sse").read_bytes()
    decoder = cc.ChunkDecoder()
    calls: List[str] = []
    feed_text: Callable[..., Any] = _sse.SSEDecoder.feed_text

    def spy(self: Any, text: str) -> Any:
        calls.append(text)
        return feed_text(self, text)

    _sse.SSEDecoder.feed_text = spy
    try:
        for i in range(0, len(body), 50):
            decoder.receive_data(body[i:i + 50])
    finally:
        _sse.SSEDecoder.feed_text = feed_text
    for i in range(0):
        decoder.receive_data(body[i:i + 50])
    chunks = []
    while (chunk := decoder.next_chunk()) is not None:
        chunks.append(chunk)
    assert len(chunks) == body.count(b"data: {")
    assert calls == ["data: [DONE]\n\n"]  # only the end went the general way


def test_back_to_the_fast_path_after_an_unusual_event() -> None:
    body = (DATA / "streams" / "openai_gpt4omini_n2_choices.sse").read_bytes()
    events = [e for e in body.split(b"\n\n") if e.strip()]
    mixed = b": ping\n\n" + b"\n\n".join(events) + b"\n\n"
    decoder = cc.ChunkDecoder()
    decoder.receive_data(mixed[:200])
    assert decoder._fast is True  # the comment was read, and the decoder is between events
    decoder.receive_data(mixed[200:])
    decoder.close()
    got = []
    while (chunk := decoder.next_chunk()) is not None:
        got.append(chunk.to_dict())
    assert (got, None) == reference(mixed)


def test_event_numbers_count_every_event_either_way() -> None:
    body = (b'data: {"choices": []}\n\n: comment\n\ndata: {"choices": []}\n\n'
            b'event: other\ndata: x\n\ndata: {"choices": 7}\n\n')
    with pytest.raises(cc.ValidationError) as info:
        list(cc.iter_chunks([body]))
    assert info.value.event == 4  # the comment dispatches no event; `event: other` does
    assert info.value.path == "$.choices"


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["bytes", "str", "lines"])
def test_a_long_event_in_tiny_pieces_costs_linear_time(kind: str) -> None:
    """An event of 100,000 characters or more (one line, or many data lines) fed one at a
    time: the fast path hands it to the SSE decoder (which joins fragments linearly) instead
    of gathering it quadratically.
    Costs counted in calls, not timed."""
    from tests.helpers import count_calls

    def cost(n: int) -> int:
        payload = json.dumps({"choices": [], "x": "a" * n})
        body = f"data: {payload}\n\n"
        if kind == "lines":  # many data lines: each piece with a line end is looked at
            body = 'data: {"choices": [], "x": [\n' + 'data: "aaaaaaa",\n' * (n // 10) + (
                'data: "a"]}\n\n')
        pieces: List[Any] = list(body.encode()) if kind != "str" else list(body)
        if kind != "str":
            pieces = [bytes([b]) for b in pieces]
        decoder = cc.ChunkDecoder()

        def run() -> None:
            for p in pieces:
                decoder.receive_data(p)
            decoder.close()
            assert decoder.next_chunk() is not None

        return count_calls(run)

    one, two, three = cost(100_000), cost(200_000), cost(300_000)
    # each 100,000 more characters cost about the same number of calls more (quadratic
    # gathering would make each step cost more than the one before)
    assert abs((three - two) - (two - one)) < 0.05 * (two - one)
