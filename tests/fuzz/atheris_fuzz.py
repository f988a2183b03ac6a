# SPDX-License-Identifier: MIT
"""Coverage-guided fuzzing with atheris (libFuzzer), next to the structure-aware fuzz.py.

    pip install atheris        # Linux x86_64, CPython 3.8-3.12
    python tests/fuzz/atheris_fuzz.py -max_total_time=600

The first byte picks the target (a response's JSON text, a chunk's JSON text, an SSE body,
a batch file); the rest is the input. Seeds are the real fixtures in tests/data. A crash is
anything but ValidationError/StreamError or an exact round trip; libFuzzer saves it as
crash-*, which this script replays when given as its only argument.
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["chatcompletion"]):
    import chatcompletion as cc
    from chatcompletion import _accumulate, _chunk, _delta, _merge, _sse, _stream  # noqa: F401
    from chatcompletion._batch import iter_batch_output

from tests.fuzz.fuzz import same  # noqa: E402 - after the instrumented imports

DATA = ROOT / "tests" / "data"
TARGETS = "rcsb"  # response, chunk, stream, batch


def check_json(cls, data):
    try:
        obj = cls.from_json(data)
    except cc.ValidationError:
        return
    expected = json.loads(data.decode("utf-8"))
    if not same(obj.to_dict(), expected):
        raise AssertionError("accepted, but to_dict() != the JSON text")
    if not same(cls.from_json(obj.to_json()).to_dict(), expected):
        raise AssertionError("to_json/from_json round trip differs")


def check_stream(data):
    acc = cc.ChatCompletionAccumulator()
    pieces = [data[i:i + 7] for i in range(0, len(data), 7)]
    try:
        for chunk in cc.iter_chunks(pieces):
            d = chunk.to_dict()
            if not same(cc.ChatCompletionChunk.from_dict(d).to_dict(), d):
                raise AssertionError("chunk round trip differs")
            acc.add(chunk)
    except (cc.ValidationError, cc.StreamError):
        pass
    d = acc.result().to_dict()
    if not same(cc.ChatCompletion.from_dict(d).to_dict(), d):
        raise AssertionError("assembled response does not round-trip")


def check_batch(data):
    try:
        for line in iter_batch_output(data.splitlines(keepends=True)):
            d = line.to_dict()
            if not same(type(line).from_dict(d).to_dict(), d):
                raise AssertionError("batch line round trip differs")
    except cc.ValidationError:
        pass


def one_input(data: bytes) -> None:
    if not data:
        return
    target = chr(data[0])
    if target not in TARGETS:
        target = TARGETS[data[0] % len(TARGETS)]
    body = data[1:]
    if target == "r":
        check_json(cc.ChatCompletion, body)
    elif target == "c":
        check_json(cc.ChatCompletionChunk, body)
    elif target == "s":
        check_stream(body)
    else:
        check_batch(body)


def seeds(folder: Path) -> None:
    for p in sorted((DATA / "responses").glob("*.json")):
        text = json.dumps(json.loads(p.read_bytes())).encode()
        (folder / f"r-{p.stem}").write_bytes(b"r" + text)
        line = {"id": "b", "custom_id": p.stem, "error": None,
                "response": {"status_code": 200, "request_id": "q", "body": json.loads(text)}}
        (folder / f"b-{p.stem}").write_bytes(b"b" + json.dumps(line).encode() + b"\n")
    for p in sorted((DATA / "streams").glob("*.sse")):
        (folder / f"s-{p.stem}").write_bytes(b"s" + p.read_bytes())
        for i, line in enumerate(p.read_bytes().splitlines()):
            if line.startswith(b"data: {") and i < 6:
                (folder / f"c-{p.stem}-{i}").write_bytes(b"c" + line[6:])


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 1 and Path(args[0]).is_file():  # replay one input
        one_input(Path(args[0]).read_bytes())
        print("no failure")
        return
    corpus = Path(tempfile.mkdtemp(prefix="cc-atheris-"))
    try:
        seeds(corpus)
        atheris.Setup([sys.argv[0], *args, str(corpus)], one_input)
        atheris.Fuzz()
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
