# SPDX-License-Identifier: MIT
"""Fuzz the parsers for a given time; not part of the unit suite.

    python -m tests.fuzz.fuzz --seconds 600 [--seed N] [--target all|response|chunk|json|sse|batch]

Structure-aware mutation of real responses and chunks (wrong types at random places, deleted
and added keys, non-JSON values, huge and deep values, bool for int, NaN, lone surrogates,
non-str keys) and byte-level corruption of JSON text and SSE streams. The only acceptable
outcomes: ValidationError (StreamError for streams) with the input left unchanged, or an object
whose to_dict() equals the input exactly. Anything else is a finding, saved under
tests/fuzz/findings/ as a pickle that `--replay FILE` runs again.
"""
from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import json
import math
import pickle
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import chatcompletion as cc  # noqa: E402

DATA = ROOT / "tests" / "data"
FINDINGS = Path(__file__).resolve().parent / "findings"


def same(a, b, _depth=0):
    """Exact equality: True vs 1 vs 1.0 differ, dict subclasses differ, NaN equals itself."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def snapshot(value):
    """A deep copy that survives what from_dict may be fed (sets, objects, deep nests)."""
    try:
        return copy.deepcopy(value)
    except RecursionError:
        return None


def load_corpus():
    responses = [json.loads(p.read_bytes()) for p in sorted((DATA / "responses").glob("*.json"))]
    streams = [p.read_bytes() for p in sorted((DATA / "streams").glob("*.sse"))]
    chunks = []
    for body in streams:
        for line in body.decode("utf-8").splitlines():
            if line.startswith("data:") and "{" in line:
                try:
                    d = json.loads(line[5:])
                except ValueError:
                    continue
                if isinstance(d, dict) and "choices" in d:
                    chunks.append(d)
    return responses, chunks, streams


class Obj:
    """An arbitrary non-JSON object (equal to its copies, so snapshots compare)."""

    def __eq__(self, other):
        return isinstance(other, Obj)

    __hash__ = object.__hash__


def deep(levels, leaf=1, kind=dict):
    node = leaf
    for _ in range(levels):
        node = {"n": node} if kind is dict else [node]
    return node


def weird_values(rng):
    return [
        None, True, False, 0, 1, -1, 2**63, 10**4300 - 1, 10**4300, -(10**5000), 1.5, 2.0, -0.0,
        float("nan"), float("inf"), float("-inf"), "", "x", "\ud800", "\x00", "é" * 3,
        "x" * rng.choice([10, 1000, 100_000]), [], {}, [1, "a", None], {"k": "v"},
        (1, 2), {1, 2}, frozenset(), b"bytes", bytearray(b"x"), datetime.datetime(2024, 1, 1),
        Obj(), 1j, deep(rng.randint(150, 260)), deep(rng.randint(150, 260), kind=list),
        {1: 2}, {None: 1}, {("t",): 1}, list(range(rng.randint(0, 50))),
    ]


def paths(node, prefix=()):
    """Every (container, key) location in a JSON tree."""
    out = []
    stack = [(node, prefix)]
    while stack:
        cur, p = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                out.append((cur, k))
                if len(p) < 12:
                    stack.append((v, (*p, k)))
        elif isinstance(cur, list):
            for i, v in enumerate(cur):
                out.append((cur, i))
                if len(p) < 12:
                    stack.append((v, (*p, i)))
    return out


def mutate(doc, rng):
    """Apply 1-3 random structural mutations in place; return the document."""
    for _ in range(rng.randint(1, 3)):
        locs = paths(doc)
        if not locs:
            return doc
        container, key = rng.choice(locs)
        op = rng.random()
        if op < 0.45:
            container[key] = rng.choice(weird_values(rng))
        elif op < 0.6:
            del container[key]
        elif op < 0.72 and isinstance(container, dict):
            newkey = rng.choice(["x_new", "extra", "_nulls", "index", "content", "role", 1, None,
                                 "tool_calls", "delta", "error", "usage", "\ud800"])
            container[newkey] = rng.choice(weird_values(rng))
        elif op < 0.8:
            container[key] = [container[key]] if rng.random() < 0.5 else {"v": container[key]}
        elif op < 0.9:
            other_container, other_key = rng.choice(locs)
            container[key] = copy.deepcopy(other_container[other_key])
        else:
            v = container[key]
            if isinstance(v, bool):
                container[key] = int(v)
            elif isinstance(v, int):
                container[key] = rng.choice([bool(v % 2), float(v) if abs(v) < 2**1000 else 1e308,
                                             str(v) if abs(v) < 10**1000 else "big"])
            elif isinstance(v, float):
                container[key] = rng.choice([int(v) if math.isfinite(v) else 0, str(v), True])
            elif isinstance(v, str):
                container[key] = rng.choice([v.encode("utf-8", "surrogatepass"), len(v), None, [v]])
    return doc


class Finding(Exception):
    pass


def check_dict(cls, doc):
    before = snapshot(doc)
    try:
        obj = cls.from_dict(doc)
    except cc.ValidationError as e:
        if not isinstance(e.path, str) or not e.path.startswith("$") or len(str(e)) > 2000:
            raise Finding(f"bad error: path={e.path!r} len={len(str(e))}") from None
        if before is not None and not same(doc, before):
            raise Finding("failed from_dict changed its input") from None
        return "rejected"
    if not same(obj.to_dict(), doc):
        raise Finding("accepted but to_dict() != input")
    text = obj.to_json()
    if not same(cls.from_json(text).to_dict(), doc):
        raise Finding("to_json/from_json round trip differs")
    if obj != cls.from_dict(doc):
        raise Finding("two parses of one input compare unequal")
    pickle.loads(pickle.dumps(obj))
    copy.deepcopy(obj)
    repr(obj)
    return "accepted"


def check_json(cls, text):
    try:
        obj = cls.from_json(text)
    except cc.ValidationError:
        return "rejected"
    try:
        expected = json.loads(text)
    except ValueError:
        raise Finding("from_json accepted text json.loads rejects") from None
    if not same(obj.to_dict(), expected):
        raise Finding("from_json accepted but to_dict() != json.loads(text)")
    return "accepted"


def corrupt(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        pos = rng.randrange(len(data) + 1)
        if op < 0.3 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif op < 0.5:
            data[pos:pos] = rng.choice([b"\xef\xbb\xbf", b"NaN", b"Infinity", b"\xff", b"\xc3",
                                        b"\r", b"\n", b"\r\n", b"\n\n", b"data: ", b"[DONE]",
                                        b"event: error\n", b": ping\n", b'{"error":{}}', b"\\ud800",
                                        b"9" * 5000, b"[" * 300])
        elif op < 0.7 and data:
            del data[pos:pos + rng.randint(1, 20)]
        elif op < 0.8:
            data = data[:pos]
        else:
            j = rng.randrange(len(data) + 1)
            data[pos:pos] = data[j:j + rng.randint(1, 40)]
    return bytes(data)


def check_sse(body, rng):
    pieces = []
    i = 0
    as_str = rng.random() < 0.3
    while i < len(body):
        n = rng.choice([1, 2, 3, 7, 64, 1000, len(body)])
        pieces.append(body[i:i + n])
        i += n
    if as_str:
        with contextlib.suppress(UnicodeDecodeError):
            pieces = [body.decode("utf-8")]
    acc = cc.ChatCompletionAccumulator()
    try:
        for chunk in cc.iter_chunks(pieces):
            d = chunk.to_dict()
            if not same(cc.ChatCompletionChunk.from_dict(d).to_dict(), d):
                raise Finding("chunk round trip differs")
            acc.add(chunk)
        outcome = "accepted"
    except (cc.ValidationError, cc.StreamError):
        outcome = "rejected"
    result = acc.result()  # a partial result must always be available
    if not same(cc.ChatCompletion.from_dict(result.to_dict()).to_dict(), result.to_dict()):
        raise Finding("assembled response does not round-trip")
    return outcome


def check_batch(lines):
    batch = getattr(cc, "iter_batch_output", None)
    if batch is None:
        from chatcompletion._batch import iter_batch_output as batch
    try:
        for item in batch(lines):
            item.to_dict()
    except cc.ValidationError:
        return "rejected"
    return "accepted"


def one(target, rng, corpus):
    responses, chunks, streams = corpus
    if target == "response":
        doc = mutate(copy.deepcopy(rng.choice(responses)), rng)
        return (target, doc), lambda: check_dict(cc.ChatCompletion, doc)
    if target == "chunk":
        doc = mutate(copy.deepcopy(rng.choice(chunks)), rng)
        return (target, doc), lambda: check_dict(cc.ChatCompletionChunk, doc)
    if target == "json":
        cls = rng.choice([cc.ChatCompletion, cc.ChatCompletionChunk])
        src = rng.choice(responses if cls is cc.ChatCompletion else chunks)
        text = corrupt(json.dumps(src, ensure_ascii=rng.random() < 0.5).encode(), rng)
        if rng.random() < 0.5:
            text = text.decode("utf-8", "surrogateescape")
        return (target, (cls.__name__, text)), lambda: check_json(cls, text)
    if target == "sse":
        body = corrupt(rng.choice(streams), rng)
        return (target, body), lambda: check_sse(body, rng)
    if target == "batch":
        src = copy.deepcopy(rng.choice(responses))
        line = {"id": "batch_req_1", "custom_id": "r1",
                "response": {"status_code": 200, "request_id": "req", "body": src}, "error": None}
        line = mutate(line, rng) if rng.random() < 0.5 else line
        try:
            text = json.dumps(line)
        except (TypeError, ValueError):
            return (target, line), lambda: "skipped"
        lines = [corrupt(text.encode(), rng) if rng.random() < 0.5 else text.encode(), b"\n"]
        return (target, lines), lambda: check_batch(lines)
    raise ValueError(target)


def save(payload, seed, n):
    FINDINGS.mkdir(exist_ok=True)
    name = FINDINGS / f"{payload[0]}-{seed}-{n}.pickle"
    try:
        name.write_bytes(pickle.dumps(payload))
        print(f"  saved {name}; replay: python -m tests.fuzz.fuzz --replay {name}")
    except Exception as e:
        print(f"  (input not saved: {e})")


def replay(path):
    target, payload = pickle.loads(Path(path).read_bytes())
    print(f"replaying a {target} finding")
    if target == "response":
        print(check_dict(cc.ChatCompletion, payload))
    elif target == "chunk":
        print(check_dict(cc.ChatCompletionChunk, payload))
    elif target == "json":
        name, text = payload
        print(check_json(getattr(cc, name), text))
    elif target == "sse":
        print(check_sse(payload, random.Random(0)))
    elif target == "batch":
        print(check_batch(payload))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--target", default="all",
                    choices=["all", "response", "chunk", "json", "sse", "batch"])
    ap.add_argument("--replay", default=None)
    args = ap.parse_args(argv)
    if args.replay:
        replay(args.replay)
        return 0
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    corpus = load_corpus()
    everything = ["response", "chunk", "json", "sse", "batch"]
    targets = everything if args.target == "all" else [args.target]
    counts = {}
    findings = 0
    deadline = time.monotonic() + args.seconds
    sys.setrecursionlimit(1000)  # the default: deep input must not need more
    while time.monotonic() < deadline:
        target = rng.choice(targets)
        payload, run = one(target, rng, corpus)
        try:
            outcome = run()
        except Finding as e:
            outcome = "FINDING"
            findings += 1
            print(f"FINDING ({target}): {e}")
            save(payload, seed, sum(counts.values()))
        except Exception as e:
            outcome = "FINDING"
            findings += 1
            print(f"FINDING ({target}): {type(e).__name__}: {str(e)[:200]}")
            traceback.print_exc(limit=3)
            save(payload, seed, sum(counts.values()))
        counts[(target, outcome)] = counts.get((target, outcome), 0) + 1
    total = sum(counts.values())
    print(f"seed {seed}: {total} inputs in {args.seconds:.0f} s, {findings} findings")
    for (target, outcome), n in sorted(counts.items()):
        print(f"  {target:9} {outcome:9} {n}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
