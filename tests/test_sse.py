# SPDX-License-Identifier: MIT
"""The SSE layer: WHATWG event-stream parsing of pieces split anywhere."""
from __future__ import annotations

import importlib
import pickle
import re
import tracemalloc
from pathlib import Path
from typing import AnyStr, Iterable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import DATA, cc
from .helpers import count_calls, sse_events

# The module under test through the package under test (see tests/__init__.py), so the
# suite also runs against a vendored copy.
_sse = importlib.import_module(f"{cc.__name__}._sse")
SSEDecoder, SSEEvent = _sse.SSEDecoder, _sse.SSEEvent
ValidationError = cc.ValidationError

STREAMS = DATA / "streams"  # real captured bodies, copied from shared/fixtures/streams
STREAM_FILES = sorted(STREAMS.glob("*.sse"))


def decode(pieces: Iterable[bytes | bytearray | str]) -> list[SSEEvent]:
    """Every event of the pieces: each fed to one SSEDecoder, then closed."""
    return sse_events(pieces)


def ev(data: str, number: int, event: str = "message", id: str | None = None) -> SSEEvent:
    return SSEEvent(data, event, id, number)


def reference(text: str) -> list[SSEEvent]:
    """A deliberately naive whole-text parser written straight from the spec, as an oracle."""
    text = text[1:] if text.startswith("\ufeff") else text
    lines = re.split(r"\r\n|\r|\n", text)
    if lines[-1] == "":  # the text ended with a line end (or was empty)
        lines.pop()
    lines.append("")  # our documented deviation: a pending event is dispatched at the end
    events, data, event_type, last_id = [], "", "", None
    for line in lines:
        if line == "":
            if data:
                events.append(ev(data[:-1], len(events) + 1, event_type or "message", last_id))
            data, event_type = "", ""
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            field, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            field, value = line, ""
        if field == "data":
            data += value + "\n"
        elif field == "event":
            event_type = value
        elif field == "id" and "\0" not in value:
            last_id = value
    return events


def test_reference_parser_agrees_with_a_hand_written_expectation() -> None:
    text = "data: a\r\ndata:b\r\rid: 1\nevent: e\ndata\n\n: c\n\ndata: z"
    expected = [ev("a\nb", 1), ev("", 2, "e", "1"), ev("z", 3, id="1")]
    assert reference(text) == expected
    assert decode([text]) == expected


# --- line endings -----------------------------------------------------------------------

MULTI = "data: one{nl}: comment{nl}data:  two{nl}{nl}event: error{nl}data: {{}}{nl}{nl}"


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_each_line_ending(nl: str, kind: str) -> None:
    text = MULTI.format(nl=nl)
    piece = text.encode() if kind == "bytes" else text
    assert decode([piece]) == [ev("one\n two", 1), ev("{}", 2, "error")]


def test_mixed_line_endings() -> None:
    text = "data: a\rdata: b\r\n\ndata: c\n\r\r\ndata: d\r\n\r"
    assert decode([text.encode()]) == [ev("a\nb", 1), ev("c", 2), ev("d", 3)]


def test_cr_cr_lf_is_two_line_ends() -> None:
    # "\r" then "\r\n": a blank line, so "a" is dispatched before "b" starts.
    assert decode([b"data: a\r\r\ndata: b\n\n"]) == [ev("a", 1), ev("b", 2)]
    assert decode([b"data: a\r", b"\r\n", b"data: b\n\n"]) == [ev("a", 1), ev("b", 2)]


@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_crlf_split_between_pieces_is_one_line_end(kind: str) -> None:
    texts = ["data: a\r", "\ndata: b\r", "\n\r", "\ndata: c\r", "\n", "\r\n"]
    pieces = [p.encode() for p in texts] if kind == "bytes" else texts
    decoder = SSEDecoder()
    # Counting "\r" | "\n" as two line ends would dispatch "a" at the second piece and
    # "c" at the fifth.
    fed = [decoder.feed(piece) for piece in pieces]
    assert fed == [[], [], [ev("a\nb", 1)], [], [], [ev("c", 2)]]
    assert decoder.close() == []


def test_lone_lf_piece_after_cr_across_empty_and_partial_pieces() -> None:
    # The pending "\r" survives pieces that decode to nothing (empty, half a character).
    assert decode([b"data: a\r", b"", b"\n", b"data: b\n\n"]) == [ev("a\nb", 1)]
    assert decode([b"data: \xc3", b"\xa9\r", b"\xc3", b"\xa9\n\n"]) == [ev("\xe9", 1)]
    assert decode([b"data: a\r", b"\xc3", b"\xa9: x\n\n"]) == [ev("a", 1)]


def test_cr_then_other_character_ends_the_line() -> None:
    assert decode([b"data: a\r", b"data: b\r", b"\r"]) == [ev("a\nb", 1)]
    assert decode([b"data: a\r", b"\r", b"\r", b"data: b"]) == [ev("a", 1), ev("b", 2)]


# --- split anywhere ---------------------------------------------------------------------

SMALL = (
    "\ufeff: ping\r\ndata: h\xe9\r\n\r\nid: 7\revent: error\rdata: \U0001d11e\u4e2d\r"
    "data\r\rdata: {\"x\": \"\xfc\"}\n\nevent: x\n\ndata: last"
)
SMALL_EVENTS = [
    ev("h\xe9", 1),
    ev("\U0001d11e\u4e2d\n", 2, "error", "7"),
    ev('{"x": "\xfc"}', 3, id="7"),
    ev("last", 4, id="7"),
]


def test_small_stream_whole() -> None:
    assert decode([SMALL.encode()]) == SMALL_EVENTS
    assert decode([SMALL]) == SMALL_EVENTS
    assert reference(SMALL) == SMALL_EVENTS


@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_every_two_and_three_way_split(kind: str) -> None:
    whole = SMALL.encode() if kind == "bytes" else SMALL
    n = len(whole)
    checked = 0
    for i in range(n + 1):
        assert decode([whole[:i], whole[i:]]) == SMALL_EVENTS, i
        for j in range(i, n + 1):
            assert decode([whole[:i], whole[i:j], whole[j:]]) == SMALL_EVENTS, (i, j)
            checked += 1
    assert checked == (n + 1) * (n + 2) // 2


def test_one_byte_and_one_character_pieces() -> None:
    data = SMALL.encode()
    assert decode([data[i : i + 1] for i in range(len(data))]) == SMALL_EVENTS
    assert decode(list(SMALL)) == SMALL_EVENTS
    assert decode([bytearray(data[i : i + 3]) for i in range(0, len(data), 3)]) == SMALL_EVENTS


# --- real captured streams --------------------------------------------------------------


def test_stream_fixtures_found() -> None:
    assert len(STREAM_FILES) >= 10, STREAMS


@pytest.mark.parametrize("path", STREAM_FILES, ids=lambda p: p.stem)
def test_fixture_stream_byte_by_byte(path: Path) -> None:
    raw = path.read_bytes()
    whole = decode([raw])
    assert decode([raw[i : i + 1] for i in range(len(raw))]) == whole
    text = raw.decode("utf-8")
    assert decode(text[i : i + 7] for i in range(0, len(text), 7)) == whole

    # Independent expectation from the file itself: in these captures every event is a
    # single `data: ` line (no multi-line data), so each such line is exactly one event
    # and its payload is the rest of the line. Check that premise, then the events.
    lines = re.split(r"\r\n|\r|\n", text)
    for before, line in zip(lines, lines[1:]):
        assert not (before.startswith("data") and line.startswith("data")), path.name
    payloads = [line[len("data: ") :] for line in lines if line.startswith("data:")]
    assert all(line.startswith("data: ") for line in lines if line.startswith("data:"))
    assert [e.data for e in whole] == payloads
    assert [e.number for e in whole] == list(range(1, len(payloads) + 1))
    assert all(e.id is None for e in whole)
    errors = [e.number for e in whole if e.event == "error"]
    assert errors == ([len(whole)] if b"\nevent: error" in raw else [])
    assert all(e.event in ("message", "error") for e in whole)
    if b"data: [DONE]" in raw:
        assert whole[-1].data == "[DONE]"


def test_fixture_without_final_blank_line_still_ends_with_done() -> None:
    path = STREAMS / "anthropic_compat_tool_call_sparse_index.sse"
    raw = path.read_bytes()
    assert raw.endswith(b"data: [DONE]\n")  # premise: only close() can dispatch it
    decoder = SSEDecoder()
    fed = decoder.feed(raw)
    assert fed
    assert fed[-1].data != "[DONE]"
    assert decoder.close() == [SSEEvent("[DONE]", "message", None, len(fed) + 1)]


def test_openrouter_processing_comments_are_skipped() -> None:
    raw = (STREAMS / "openrouter_web_search_annotations.sse").read_bytes()
    assert raw.count(b": OPENROUTER PROCESSING") > 10
    events = decode([raw])
    assert events
    assert not any("OPENROUTER" in e.data for e in events)
    assert events[0].data.startswith('{"id":"gen-')


# --- fields -----------------------------------------------------------------------------


def test_comments_and_keep_alives() -> None:
    assert decode([b": ping\n\n:\n\n: OPENROUTER PROCESSING\n\n"]) == []
    assert decode([b"data: a\n: comment between\ndata: b\n\n"]) == [ev("a\nb", 1)]
    assert decode([b":data: no\n\ndata: yes\n\n"]) == [ev("yes", 1)]


def test_data_values() -> None:
    stream = (
        b"data: a\n\n"  # one space removed
        b"data:b\n\n"  # no space
        b"data:  c \n\n"  # only one space removed, trailing kept
        b"data\n\n"  # no colon: empty value, still an event
        b"data:\n\n"
        b"data:\ndata:\n\n"  # two empty lines: "\n"
        b"data: x: y\n\n"  # later colons belong to the value
        b"data: a\ndata: \ndata: b\n\n"
    )
    assert [e.data for e in decode([stream])] == [
        "a", "b", " c ", "", "", "\n", "x: y", "a\n\nb",
    ]


def test_multi_line_data_strips_only_one_trailing_newline() -> None:
    assert decode([b"data: {\ndata: \"k\": 1\ndata: }\n\n"]) == [ev('{\n"k": 1\n}', 1)]
    assert decode([b"data: a\ndata:\ndata:\n\n"]) == [ev("a\n\n", 1)]


def test_event_type() -> None:
    stream = (
        b"event: error\ndata: {\"error\": {}}\n\n"
        b"data: plain\n\n"  # the type does not carry over
        b"event:\ndata: empty type\n\n"
        b"event: lost\n\n"  # no data: nothing dispatched, the type is reset anyway
        b"data: after\n\n"
        b"event: a\nevent: b\ndata: x\n\n"
        b"event:error\ndata: y\n\n"
    )
    assert decode([stream]) == [
        ev('{"error": {}}', 1, "error"),
        ev("plain", 2),
        ev("empty type", 3),
        ev("after", 4),
        ev("x", 5, "b"),
        ev("y", 6, "error"),
    ]


def test_id_persists_and_nul_is_ignored() -> None:
    stream = (
        b"data: a\n\n"
        b"id: 1\ndata: b\n\n"
        b"data: c\n\n"  # the last event ID persists
        b"id: 2\x00x\ndata: d\n\n"  # contains NUL: ignored
        b"id\ndata: e\n\n"  # empty: sets ""
        b"id: 3\n\n"  # set without an event; still remembered
        b"data: f\n\n"
    )
    assert decode([stream]) == [
        ev("a", 1),
        ev("b", 2, id="1"),
        ev("c", 3, id="1"),
        ev("d", 4, id="1"),
        ev("e", 5, id=""),
        ev("f", 6, id="3"),
    ]


def test_retry_and_unknown_fields_are_ignored() -> None:
    stream = b"retry: 1000\nfoo: bar\nData: no\ndata : no\nDATA\ndata: yes\nretry\n\n"
    assert decode([stream]) == [ev("yes", 1)]


def test_blank_lines_without_data_dispatch_nothing() -> None:
    assert decode([b"\n\n\r\n\r\r\n"]) == []
    assert decode([b"\n\ndata: a\n\n\n\n\ndata: b\n\n"]) == [ev("a", 1), ev("b", 2)]


def test_done_is_not_special_here() -> None:
    events = decode([b"data: [DONE]\n\ndata: more\n\n"])
    assert events == [ev("[DONE]", 1), ev("more", 2)]


# --- BOM --------------------------------------------------------------------------------


def test_bom_at_start_is_skipped() -> None:
    assert decode([b"\xef\xbb\xbfdata: a\n\n"]) == [ev("a", 1)]
    assert decode([b"\xef", b"\xbb", b"\xbfdata: a\n\n"]) == [ev("a", 1)]
    assert decode([b"\xef\xbb\xbf", b"data: a\n\n"]) == [ev("a", 1)]
    assert decode(["\ufeffdata: a\n\n"]) == [ev("a", 1)]
    assert decode(["\ufeff", "data: a\n\n"]) == [ev("a", 1)]
    assert decode([b"", "\ufeffdata: a\n\n"]) == [ev("a", 1)]  # an empty piece is not a start


def test_bom_only_at_start() -> None:
    # A second BOM, or one later on, is content: "\ufeffdata" is an unknown field name.
    assert decode([b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n"]) == []
    assert decode([b"data: a\n\n\xef\xbb\xbfdata: b\n\n"]) == [ev("a", 1)]
    assert decode([b"data: \xef\xbb\xbf\n\n"]) == [ev("\ufeff", 1)]


@pytest.mark.parametrize("kind", ["str", "bytes"])
def test_a_bom_at_the_start_of_a_later_piece_is_content(kind: str) -> None:
    """Only the stream's first character may be a BOM to drop, not each piece's."""
    pieces = ["data: a", "\ufeffb\n\n"]
    assert decode([p.encode() if kind == "bytes" else p for p in pieces]) == [ev("a\ufeffb", 1)]
    pieces = ["\ufeffdata: a", "\ufeffb\n", "\ufeff", "c\n\n"]  # the stream's own BOM goes
    assert decode([p.encode() if kind == "bytes" else p for p in pieces]) == [ev("a\ufeffb", 1)]


# --- end of input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "at_close"),
    [
        (b"data: a", [ev("a", 1)]),  # neither line end nor blank line
        (b"data: a\n", [ev("a", 1)]),  # no blank line
        (b"data: a\r", [ev("a", 1)]),
        (b"data: a\r\n", [ev("a", 1)]),
        (b"data: a\n\ndata: b", [ev("b", 2)]),
        (b"event: error\ndata: e", [ev("e", 1, "error")]),
        (b"data: a\nevent: x", [ev("a", 1, "x")]),
        (b"id: 5\ndata: a\nid: 6", [ev("a", 1, id="6")]),
        (b"event: x", []),  # no data: nothing to dispatch
        (b": comment", []),
        (b"", []),
    ],
)
def test_close_flushes(stream: bytes, at_close: list[SSEEvent]) -> None:
    decoder = SSEDecoder()
    fed = decoder.feed(stream)
    assert fed == ([ev("a", 1)] if stream.startswith(b"data: a\n\n") else [])
    assert decoder.close() == at_close
    assert decoder.close() == []  # idempotent
    with pytest.raises(RuntimeError, match="after close"):
        decoder.feed(b"data: x\n\n")


def test_close_after_blank_line_has_nothing_to_flush() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\n") == [ev("a", 1)]
    assert decoder.close() == []


def test_close_flushes_a_long_pending_line() -> None:
    decoder = SSEDecoder()
    for _ in range(1000):  # enough one-byte pieces to be joined in groups internally
        decoder.feed(b"x")
    assert decoder.feed(b"") == []
    events = decoder.close()
    assert events == []  # "xxx..." is an unknown field
    decoder = SSEDecoder()
    decoder.feed(b"data: ")
    for _ in range(512):  # exactly a multiple of the group size
        decoder.feed(b"y")
    assert decoder.close() == [ev("y" * 512, 1)]


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "offset", "raised_at"),
    [
        ([b"data: \xff\n\n"], 6, "feed"),
        ([b"data: ok\n\n", b"data: \xc3(\n\n"], 16, "feed"),
        ([b"data: \xe2\x82", b"(\n\n"], 6, "feed"),  # bad continuation in the next piece
        ([b"data: \xe2", b"\x82", b"(\n\n"], 6, "feed"),
        ([b"data: \xed\xa0\x80\n\n"], 6, "feed"),  # an encoded surrogate
        ([b"data: \xc0\xaf\n\n"], 6, "feed"),  # overlong
        ([b"data: ok\n\ndata: \xe2\x82"], 16, "close"),  # cut off by the end of input
        ([b"data: ok\n\ndata: \xe2", b"\x82"], 16, "close"),
        ([b"\xef\xbb"], 0, "close"),  # half a BOM
    ],
)
def test_invalid_utf8(pieces: list[bytes], offset: int, raised_at: str) -> None:
    decoder = SSEDecoder()
    *before, last = pieces
    for piece in before:
        decoder.feed(piece)  # must not raise: the error is not visible yet
    if raised_at == "feed":
        with pytest.raises(ValidationError) as info:
            decoder.feed(last)
    else:
        decoder.feed(last)
        with pytest.raises(ValidationError) as info:
            decoder.close()
    error = info.value
    assert error.path == "$"
    assert error.message.startswith("Stream is not valid UTF-8")
    assert f"byte offset {offset})" in error.message
    assert error.expected == "UTF-8"
    assert str(error).endswith("- at `$`")


def test_invalid_utf8_message_names_the_reason_the_offset_and_the_bytes() -> None:
    with pytest.raises(ValidationError) as info:
        decode([b"dat", b"a\xff: x\n\n"])  # the offset counts the earlier pieces
    e = info.value
    assert e.message == "Stream is not valid UTF-8 (invalid start byte at byte offset 4)"
    assert (e.path, e.expected, e.found) == ("$", "UTF-8", repr(b"\xff"))
    assert str(e) == "Stream is not valid UTF-8 (invalid start byte at byte offset 4) - at `$`"
    with pytest.raises(ValidationError) as info:
        decode([b"data: ok\n\ndata: \xe2\x82"])
    e = info.value
    assert e.message == "Stream is not valid UTF-8 (unexpected end of data at byte offset 16)"
    assert e.found == repr(b"\xe2\x82")


@pytest.mark.parametrize("bad", [1, None, 1.5, memoryview(b"x"), ["data"], True])
def test_wrong_piece_type(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        SSEDecoder().feed(bad)  # type: ignore[arg-type]
    name = type(bad).__name__
    assert info.value.message == f"Expected `bytes` or `str` pieces, got `{name}`"
    assert info.value.found == name
    with pytest.raises(ValidationError, match="got `int`"):
        decode([b"data: a\n\n", 5])  # type: ignore[list-item]


def test_mixed_bytes_and_str_are_rejected() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a")
    with pytest.raises(ValidationError) as info:
        decoder.feed("\n\n")
    e = info.value
    assert e.message == ("Expected `bytes` pieces like the earlier ones, got `str`"
                         " (a stream is all `bytes` or all `str`)")
    assert (e.path, e.expected, e.found) == ("$", "bytes", "str")
    decoder = SSEDecoder()
    decoder.feed("data: a")
    with pytest.raises(ValidationError) as info:
        decoder.feed(bytearray(b"\n\n"))
    e = info.value
    assert e.message == ("Expected `str` pieces like the earlier ones, got `bytes`"
                         " (a stream is all `bytes` or all `str`)")
    assert (e.expected, e.found) == ("str", "bytes")
    # Empty pieces of either kind are no-ops and do not fix the kind.
    assert decode(["", b"", bytearray(), "data: a\n\n", b""]) == [ev("a", 1)]
    assert decode([b"", "", b"data: a\n\n", ""]) == [ev("a", 1)]


# --- the push API ------------------------------------------------------------------------


def test_feed_returns_each_event_as_soon_as_it_is_complete() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\n") == [ev("a", 1)]
    assert decoder.feed(b"data: b\n") == []  # not dispatched before its blank line
    assert decoder.feed(b"\n") == [ev("b", 2)]
    assert decoder.feed(b"data: c") == []
    assert decoder.close() == [ev("c", 3)]


# --- SSEEvent ---------------------------------------------------------------------------


def test_event_value_semantics() -> None:
    event = SSEEvent("d", "error", "7", 3)
    assert (event.data, event.event, event.id, event.number) == ("d", "error", "7", 3)
    assert repr(event) == "SSEEvent(data='d', event='error', id='7', number=3)"
    assert event == SSEEvent(data="d", event="error", id="7", number=3)
    assert event != SSEEvent("d", "error", "7", 4)
    assert event != SSEEvent("d", "message", "7", 3)
    assert event != SSEEvent("d", "error", None, 3)
    assert event != SSEEvent("e", "error", "7", 3)
    assert event != ("d", "error", "7", 3)
    assert SSEEvent("x") == SSEEvent("x", "message", None, 0)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(event, protocol)) == event
    with pytest.raises(AttributeError):
        event.other = 1  # type: ignore[attr-defined]


# --- cost -------------------------------------------------------------------------------


def _one_byte_feed_calls(data: bytes) -> int:
    """The function calls that feeding ``data`` one byte at a time, then closing, makes."""
    decoder = SSEDecoder()
    pieces = [data[i : i + 1] for i in range(len(data))]
    events: list[SSEEvent] = []

    def run() -> None:
        for piece in pieces:
            events.extend(decoder.feed(piece))
        events.extend(decoder.close())

    calls = count_calls(run)
    assert events
    return calls


def _cost_stream(size: int) -> bytes:
    # Half one long line (where a re-scanned or re-concatenated buffer goes quadratic),
    # half ordinary small events.
    long_event = b"data: " + b"x" * (size // 2) + b"\n\n"
    small = b'data: {"choices": [{"delta": {"content": "hi"}}]}\r\n\r\n'
    return long_event + small * (size // 2 // len(small))


def test_linear_cost_for_one_byte_pieces() -> None:
    """Counted in function calls, not seconds: a decoder that re-reads what it holds on
    each piece (re-splitting the pending text, re-dispatching lines) makes more calls per
    byte as the stream grows; a linear one makes the same few."""
    small, big = _cost_stream(20_000), _cost_stream(40_000)
    calls_small, calls_big = _one_byte_feed_calls(small), _one_byte_feed_calls(big)
    assert calls_big < 2.2 * calls_small, (calls_small, calls_big)  # quadratic: about 4x
    assert calls_big < 16 * len(big), calls_big / len(big)  # a few calls per byte


@pytest.mark.slow
def test_memory_keeps_only_the_tail() -> None:
    events_stream = b'data: {"choices": [{"delta": {"content": "hello"}}]}\n\n' * 40_000
    pieces = [events_stream[i : i + 1000] for i in range(0, len(events_stream), 1000)]
    line = b"x" * 200_000  # one long incomplete line in one-byte pieces
    tracemalloc.start()
    try:
        decoder = SSEDecoder()
        for piece in pieces:  # 2 MB of events, dropped as they come
            decoder.feed(piece)
        _, peak_events = tracemalloc.get_traced_memory()
        decoder = SSEDecoder()
        decoder.feed(b"data: ")
        for i in range(len(line)):
            decoder.feed(line[i : i + 1])
        current_line, _ = tracemalloc.get_traced_memory()
        assert decoder.close()[0].data == line.decode()
    finally:
        tracemalloc.stop()
    assert peak_events < 200_000, peak_events
    # The pending line is stored compactly, not as a list slot and object per byte.
    assert current_line < 3 * len(line), current_line


# --- properties -------------------------------------------------------------------------

_values = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\r\n"), max_size=12
)
_line = st.one_of(
    st.builds(lambda v: "data:" + v, _values),
    st.builds(lambda v: "data: " + v, _values),
    st.just("data"),
    st.builds(lambda v: "event: " + v, st.sampled_from(["", "error", "message", "x"])),
    st.builds(lambda v: "id: " + v, _values),
    st.builds(lambda v: ":" + v, _values),
    st.builds(lambda v: "retry: " + v, _values),
    st.just(""),
    st.just(""),
)
_valid_sse = st.lists(
    st.tuples(_line, st.sampled_from(["\n", "\r\n", "\r"])), max_size=25
).map(lambda lines: "".join(line + end for line, end in lines))
_any_text = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),
        st.sampled_from(["\r", "\n", "\r\n", "data", ":", " ", "event", "id", "\0", "\ufeff"]),
    ),
    max_size=40,
).map("".join)


def _split(data: AnyStr, cuts: list[int]) -> list[AnyStr]:
    points: list[int] = sorted({min(c, len(data)) for c in cuts})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:])]


_cuts = st.lists(st.integers(min_value=0, max_value=400), max_size=12)
_fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@_fast
@given(_valid_sse, _cuts, st.booleans())
def test_random_splits_of_valid_sse(text: str, cuts: list[int], bom: bool) -> None:
    text = "\ufeff" + text if bom else text
    expected = reference(text)
    data = text.encode()
    assert decode([data]) == expected
    assert decode(_split(data, cuts)) == expected
    assert decode(_split(text, cuts)) == expected


@pytest.mark.slow
@_fast
@given(_any_text, _cuts)
def test_random_splits_of_any_text(text: str, cuts: list[int]) -> None:
    expected = reference(text)
    assert decode(_split(text.encode(), cuts)) == expected
    assert decode(_split(text, cuts)) == expected
