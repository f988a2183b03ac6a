"""Benchmark ``chatcompletion`` against its peers; print ratios and targets.

Run from the repository root::

    python -m tests.benchmarks.run            # full run (~2-3 minutes)
    python -m tests.benchmarks.run --quick    # smoke run (seconds)
    python -m tests.benchmarks.run --json results.json

Exit status: 0 when the report was produced (whether or not the targets hold),
1 when our own results are wrong (a round trip that does not give the input
back, a stream that assembles to the wrong response), 2 when
``chatcompletion`` cannot be imported (the peers are still reported).
See README.md beside this file for what each number means.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

if __package__:
    from . import data
    from . import ours as ours_mod
    from . import peers as peers_mod
else:  # python tests/benchmarks/run.py
    sys.path.insert(0, HERE)
    import data  # type: ignore[no-redef]
    import ours as ours_mod  # type: ignore[no-redef]
    import peers as peers_mod  # type: ignore[no-redef]

if ROOT not in sys.path:
    # `import chatcompletion` from this checkout even without `pip install -e .`.
    sys.path.insert(0, ROOT)

OPS = ("from_dict", "to_dict", "from_json", "to_json")
JSONDict = Dict[str, Any]
# (label, measured ratio or None, ">=" or "<=", goal)
Target = Tuple[str, Optional[float], str, float]


class Settings:
    """Knobs of a run; ``--quick`` is a smoke run, its numbers only indicative."""

    def __init__(self, quick: bool, repeat: Optional[int], clock: str, use_gc: bool) -> None:
        self.quick = quick
        self.clock_name = clock
        self.clock = time.perf_counter if clock == "wall" else time.process_time
        self.gc = use_gc
        # Rounds: each times every contender once (one sample).
        self.repeat = repeat or (3 if quick else 9)
        # timeit-style autorange: a sample loops until it lasts this long.
        self.min_time = 0.002 if quick else 0.04
        # A contender whose `repeat` calls would take longer than `budget`
        # seconds gets fewer rounds (at least `min_repeat`), so that
        # dataclasses-json on 1,000 logprob tokens does not dominate the run.
        self.budget = 0.3 if quick else 2.5
        self.min_repeat = 1 if quick else 3
        self.import_runs = 1 if quick else 9
        self.import_modules: Tuple[str, ...] = ("chatcompletion", "openai.types.chat")
        if not quick:
            self.import_modules += ("openai",)
        self.logprob_tokens = 100 if quick else 1000
        self.stream_chunks = 200 if quick else data.STREAM_CHUNKS
        self.batch_lines = 100 if quick else data.BATCH_LINES
        # tracemalloc makes dataclasses-json's many allocations slow (seconds):
        # the smoke run measures the memory of ours and the SDK (the target) only.
        self.memory_peers: Optional[Tuple[str, ...]] = ("openai",) if quick else None


# ----------------------------------------------------------------------------
# Timing


def _run(fn: Callable[[Any], Any], arg: Any, number: int, clock: Callable[[], float]) -> float:
    """Seconds per call over ``number`` calls."""
    loop = itertools.repeat(None, number)
    t0 = clock()
    for _ in loop:
        fn(arg)
    return (clock() - t0) / number


def _calibrate(
    fn: Callable[[Any], Any], arg: Any, min_time: float, clock: Callable[[], float]
) -> Tuple[int, float]:
    """Warm up, then find ``number`` so that ``number`` calls last ``min_time``."""
    number = 1
    per_call = _run(fn, arg, 1, clock)  # warm-up; slow contenders need nothing more
    while per_call * number < min_time:
        total = per_call * number
        if total <= 0:
            number *= 10
        else:
            number = min(number * 100, int(number * min_time / total * 1.15) + 1)
        per_call = _run(fn, arg, number, clock)
    return number, per_call


class Contender:
    def __init__(self, name: str, fn: Callable[[Any], Any], arg: Any) -> None:
        self.name = name
        self.fn = fn
        self.arg = arg
        self.number = 1
        self.repeats = 0
        self.samples: List[float] = []


class _GCState:
    """Each sample starts from the same collector state. Everything alive
    when a measurement starts (inputs, other contenders' results, imported
    modules) is collected once and frozen (``gc.freeze``), so the
    collections a contender triggers cost what its own allocations cost,
    not what the harness happens to hold; before each sample a (cheap)
    collection of the unfrozen objects resets the generation counters.
    With ``--no-gc`` the collector is off during samples, as in ``timeit``."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def start(self) -> None:
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        gc.unfreeze()

    def __enter__(self) -> None:
        gc.collect()
        if not self.enabled:
            gc.disable()

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            gc.enable()


def measure(contenders: Sequence[Contender], st: Settings) -> None:
    """Fill each contender's ``samples``: ``st.repeat`` rounds, each timing
    every contender once, in an order rotated every round, so slow drifts of
    the machine hit everybody alike and ratios can be taken round by round."""
    gcs = _GCState(st.gc)
    gcs.start()
    try:
        for c in contenders:
            with gcs:
                c.number, per_call = _calibrate(c.fn, c.arg, st.min_time, st.clock)
            c.repeats = st.repeat
            if per_call * st.repeat > st.budget:
                c.repeats = max(st.min_repeat, min(st.repeat, int(st.budget / per_call)))
        n = len(contenders)
        for r in range(st.repeat):
            for i in range(n):
                c = contenders[(i + r) % n]
                if r < c.repeats:
                    with gcs:
                        c.samples.append(_run(c.fn, c.arg, c.number, st.clock))
    finally:
        gcs.stop()


def median_ratio(num: List[float], den: List[float]) -> Optional[float]:
    """Median over rounds of ``num[r] / den[r]`` (rounds both took part in)."""
    pairs = [a / b for a, b in zip(num, den) if b > 0]
    return statistics.median(pairs) if pairs else None


# ----------------------------------------------------------------------------
# Memory and import time


def retained_bytes(fn: Callable[[Any], Any], arg: Any) -> int:
    """Bytes still allocated (tracemalloc) after ``fn(arg)``, while its
    result is alive: the memory the parsed response costs."""
    fn(arg)  # warm up: first-call caches are not the response's memory
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        obj = fn(arg)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del obj
    return after - before


_IMPORT_CODE = (
    "import sys, time; sys.path.insert(0, {root!r}); "
    "t = time.{clock}(); import {mod}; print(time.{clock}() - t)"
)


def import_times(modules: Sequence[str], runs: int, clock: str) -> Dict[str, List[float]]:
    """Seconds to import each module in a fresh ``python -I`` process (the
    clock starts inside the process, after interpreter start-up), ``runs``
    times each, interleaved, after one discarded warm-up run (which also
    writes the .pyc files). A module that fails to import gets no samples."""
    func = "perf_counter" if clock == "wall" else "process_time"
    out: Dict[str, List[float]] = {m: [] for m in modules}
    failed = set()
    for i in range(runs + 1):
        for mod in modules:
            if mod in failed:
                continue
            code = _IMPORT_CODE.format(root=ROOT, mod=mod, clock=func)
            proc = subprocess.run(
                [sys.executable, "-I", "-c", code],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            if proc.returncode != 0:
                failed.add(mod)
                out[mod] = []
            elif i:
                out[mod].append(float(proc.stdout.split()[-1]))
    return out


# ----------------------------------------------------------------------------
# Formatting


def fmt_time(t: Optional[float]) -> str:
    if t is None:
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def fmt_ratio(r: Optional[float]) -> str:
    return "n/a" if r is None else f"{r:.2f}x"


def fmt_bytes(n: Optional[int]) -> str:
    if n is None:
        return "n/a"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.2f} MiB"
    return f"{n / 1024:.1f} KiB"


def _loadavg() -> str:
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except (AttributeError, OSError):
        return ""


def out(line: str = "") -> None:
    print(line, flush=True)


# ----------------------------------------------------------------------------
# The run


class Run:
    def __init__(self, st: Settings, peer_names: List[str]) -> None:
        self.st = st
        self.names = peer_names
        try:
            self.ours: Any = ours_mod.load()
            self.ours_error: Optional[str] = None
        except Exception as exc:  # report why, and carry on with the peers
            self.ours = None
            self.ours_error = f"{type(exc).__name__}: {exc}"
        self.peers, self.missing = peers_mod.load_peers(peer_names)
        self.cases = {name: data.make_case(name, st.logprob_tokens) for name in data.CASES}
        self.js = {name: json.dumps(d).encode() for name, d in self.cases.items()}
        self.chunks = data.stream_chunks(st.stream_chunks)
        self.body = data.stream_sse(self.chunks)
        self.pieces = data.split_pieces(self.body, 100)
        self.batch = data.batch_lines(st.batch_lines)
        self.sdk_stream_input: Any = None
        self.sdk_stream_payloads: Optional[List[bytes]] = None
        self.failures: List[str] = []
        self.warnings: List[str] = []
        # Where ours is wrong, not timed: a case, "lenient <case>", "stream", "batch".
        self.bad: set[str] = set()
        # Contenders of ours whose tree differs from from_dict's: timed, but flagged.
        self.suspect: set[str] = set()
        self.results: Dict[str, Any] = {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "quick": st.quick,
            "rounds": st.repeat,
            "clock": st.clock_name,
            "gc": st.gc,
            "load_average_start": _loadavg(),
            "ours": self.ours.version if self.ours is not None else None,
            "ours_error": self.ours_error,
            "peers": {n: (self.peers[n].version if n in self.peers else None) for n in peer_names},
            "inputs": {n: len(b) for n, b in self.js.items()},
            "stream_input": {"chunks": len(self.chunks), "bytes": len(self.body)},
            "batch_input": {"lines": len(self.batch), "bytes": sum(map(len, self.batch))},
            "times": {},
            "ratios": {},
            "memory": {},
            "import_time": {},
        }

    # -- header and sanity ----------------------------------------------------

    def header(self) -> None:
        st = self.st
        out("chatcompletion benchmarks" + (" (--quick)" if st.quick else ""))
        out(
            f"python {platform.python_version()} ({platform.python_implementation()}) "
            f"on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
        )
        if self.ours is not None:
            out("ours: " + self.ours.version)
        else:
            out(f"ours: NOT IMPORTABLE - {self.ours_error}")
        for name in self.names:
            if name in self.peers:
                out(f"peer {name}: {self.peers[name].version}")
            else:
                out(f"peer {name}: n/a ({self.missing.get(name, 'unknown peer')})")
        out(
            f"settings: {st.repeat} rounds, samples >= {st.min_time * 1e3:g} ms, "
            f"{st.clock_name} clock, gc {'on' if st.gc else 'off'}; "
            "medians; ratios are medians of per-round ratios"
        )
        load = _loadavg()
        if load:
            out(f"load average at start: {load} (other work on the machine adds noise)")
        if st.quick:
            out(
                f"--quick: logprobs case {st.logprob_tokens} tokens, stream {st.stream_chunks} "
                f"chunks, batch {st.batch_lines} lines, memory of ours and openai only: "
                "a smoke run, numbers only indicative"
            )
        sizes = ", ".join(f"{name} {len(self.js[name])} B" for name in data.CASES)
        out(
            f"inputs: {sizes}, stream {len(self.chunks)} chunks / {len(self.body)} B "
            f"/ {len(self.pieces)} pieces, batch {len(self.batch)} lines / "
            f"{sum(map(len, self.batch))} B"
        )

    def _expected_stream(self) -> Tuple[str, str, JSONDict]:
        return data.stream_content(self.chunks), "stop", self.chunks[-1]["usage"]

    def _check_ours(self) -> None:
        o = self.ours
        for name, d in self.cases.items():
            try:
                obj = o.from_dict(d)
                if o.to_dict(obj) != d:
                    self.failures.append(f"{name}: to_dict(from_dict(d)) != d")
                if o.to_dict(o.from_json(self.js[name])) != d:
                    self.failures.append(f"{name}: from_json(json).to_dict() != d")
                if json.loads(o.to_json(obj)) != d:
                    self.failures.append(f"{name}: json.loads(to_json()) != d")
            except Exception as exc:  # any exception here is a wrong result
                self.failures.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            try:
                lenient, problems = o.read_lenient(d)
                if problems:
                    self.failures.append(
                        f"lenient {name}: from_dict(d, problems=p) listed {len(problems)} "
                        f"problem(s) for a valid response, the first: {problems[0]}"
                    )
                elif o.to_dict(lenient) != d:
                    self.failures.append(f"lenient {name}: to_dict(from_dict(d, problems=[])) != d")
            except Exception as exc:  # any exception here is a wrong result
                self.failures.append(f"lenient {name}: {type(exc).__name__}: {exc}")
            # The floors must build the tree from_dict builds (same classes, every
            # field, extra as stored; explicit nulls aside, which they do not record).
            for floor in ("bare", "floor"):
                try:
                    diff = ours_mod.tree_diff(obj, getattr(o, floor)(d))
                except Exception as exc:  # a broken floor is reported, not fatal
                    diff = f"{type(exc).__name__}: {exc}"
                if diff is not None:
                    self.suspect.add(f"{name}.{floor}")
                    self.warnings.append(
                        f"{name}: {floor} construction builds another tree than from_dict "
                        f"({diff}); its ratio is suspect"
                    )
        self._check_batch()
        if o.assemble_stream is None:
            self.warnings.append(f"stream: {o.stream_missing}")
            return
        try:
            got = o.stream_summary(o.assemble_stream(self.pieces))
            if tuple(got) != self._expected_stream():
                self.failures.append(
                    "stream: assembled content/finish_reason/usage differ from the chunks"
                )
        except Exception as exc:  # any exception here is a wrong result
            self.failures.append(f"stream: {type(exc).__name__}: {exc}")

    def _check_batch(self) -> None:
        o = self.ours
        if o.read_batch is None:
            self.warnings.append("batch: chatcompletion has no iter_batch_output")
            return
        try:
            got = o.read_batch(self.batch)
            if len(got) != len(self.batch):
                self.failures.append(
                    f"batch: iter_batch_output gave {len(got)} lines of {len(self.batch)}"
                )
                return
            for number, (line, raw) in enumerate(zip(got, self.batch), 1):
                expected = json.loads(raw)
                if line.to_dict() != expected:
                    self.failures.append(f"batch: line {number}: to_dict() != json.loads(line)")
                    return
                body = line.response.body if line.response is not None else None
                if type(body) is not o.cc.CreateChatCompletionResponse:
                    self.failures.append(
                        f"batch: line {number}: body is a {type(body).__name__}, "
                        "not a CreateChatCompletionResponse"
                    )
                    return
        except Exception as exc:  # any exception here is a wrong result
            self.failures.append(f"batch: {type(exc).__name__}: {exc}")

    def _check_peers(self) -> None:
        for name, p in list(self.peers.items()):
            for case, d in self.cases.items():
                try:
                    if not peers_mod.peer_roundtrip_ok(p, d):
                        self.warnings.append(
                            f"peer {name} does not round-trip {case} (timed anyway)"
                        )
                except Exception as exc:  # a broken peer is dropped, not fatal
                    self.warnings.append(
                        f"peer {name} failed on {case}: {type(exc).__name__}: {exc}; dropped"
                    )
                    del self.peers[name]
                    self.missing[name] = "failed the sanity check"
                    break
        sdk = self.peers.get("openai")
        if sdk is None or sdk.prepare_stream is None or sdk.assemble_stream is None:
            return
        try:
            self.sdk_stream_input = sdk.prepare_stream(self.chunks)
            assert sdk.stream_summary is not None
            got = sdk.stream_summary(sdk.assemble_stream(self.sdk_stream_input))
            if tuple(got) != self._expected_stream():
                self.warnings.append("peer openai: the stream state assembles something else")
        except Exception as exc:  # report, and leave the SDK stream out
            self.warnings.append(f"peer openai stream failed: {type(exc).__name__}: {exc}")
            self.sdk_stream_input = None
            return
        self.sdk_stream_payloads = None
        if sdk.assemble_stream_json is None:
            return
        # Each event's payload exactly as the SSE body carries it (data.stream_sse).
        payloads = [json.dumps(c, separators=(",", ":")).encode() for c in self.chunks]
        try:
            got = sdk.stream_summary(sdk.assemble_stream_json(payloads))
            if tuple(got) != self._expected_stream():
                self.warnings.append(
                    "peer openai: model_validate_json + stream state assembles something else"
                )
            self.sdk_stream_payloads = payloads
        except Exception as exc:  # an information row: note it and leave it out
            self.warnings.append(
                f"peer openai model_validate_json stream failed: {type(exc).__name__}: {exc}"
            )

    def sanity(self) -> None:
        if self.ours is not None:
            self._check_ours()
        self._check_peers()
        self.bad = {f.split(":", 1)[0] for f in self.failures}
        out()
        if self.ours is None:
            out("sanity: skipped for ours (chatcompletion not importable)")
        elif self.failures:
            out("OUR RESULTS ARE WRONG:")
            for f in self.failures:
                out("  - " + f)
        else:
            line = "sanity: ours round-trips every case (strict and lenient)"
            if self.ours.assemble_stream:
                line += ", assembles the stream"
            if self.ours.read_batch:
                line += ", reads the batch file"
            if not self.suspect:
                line += "; bare and floor build from_dict's trees"
            out(line)
        for w in self.warnings:
            out("  note: " + w)

    # -- timing ---------------------------------------------------------------

    def _contenders(self, case: str, op: str, parsed: Dict[str, Any]) -> List[Contender]:
        """Who takes part in (case, op), with their input. ``parsed`` caches
        each contender's ``from_dict`` result, the input of to_dict/to_json."""
        d = self.cases[case]
        everyone: List[Tuple[str, Any]] = []
        if self.ours is not None and case not in self.bad:
            everyone.append(("ours", self.ours))
        everyone.extend(self.peers.items())
        result = []
        for name, lib in everyone:
            if op == "from_dict":
                arg: Any = d
            elif op == "from_json":
                arg = self.js[case]
            else:
                if name not in parsed:
                    parsed[name] = lib.from_dict(d)
                arg = parsed[name]
            result.append(Contender(name, getattr(lib, op), arg))
            if name == "ours" and op == "from_dict":
                result.append(Contender("bare", lib.bare, d))
                result.append(Contender("floor", lib.floor, d))
                if f"lenient {case}" not in self.bad:
                    result.append(Contender("lenient", lib.from_dict_lenient, d))
        return result

    def time_responses(self) -> None:
        out()
        out("TIMES (median per call) and RATIOS (peer / ours: >1 means ours is faster)")
        cols = self.names
        out(f"{'case':<10} {'op':<10} {'ours':>10}" + "".join(f"  {n[:19]:>19}" for n in cols))
        ours_rows: List[str] = []
        for case in data.CASES:
            parsed: Dict[str, Any] = {}  # dropped after the case: no weight on later ones
            for op in OPS:
                contenders = self._contenders(case, op, parsed)
                measure(contenders, self.st)
                by_name = {c.name: c for c in contenders}
                times = {c.name: statistics.median(c.samples) for c in contenders}
                ratios: Dict[str, Optional[float]] = {}
                ours = by_name.get("ours")
                if ours is not None:
                    for c in contenders:
                        if c.name in ("bare", "floor"):  # how much over constructing
                            ratios[c.name] = median_ratio(ours.samples, c.samples)
                        elif c.name != "ours":  # peers, and lenient: them / ours
                            ratios[c.name] = median_ratio(c.samples, ours.samples)
                self.results["times"][f"{case}.{op}"] = times
                self.results["ratios"][f"{case}.{op}"] = ratios
                row = f"{case:<10} {op:<10} {fmt_time(times.get('ours')):>10}"
                for n in cols:
                    if n in times:
                        cell = f"{fmt_time(times[n])} {fmt_ratio(ratios.get(n)):>6}"
                    else:
                        cell = "n/a"
                    row += f"  {cell:>19}"
                out(row)
                if op == "from_dict" and ours is not None:
                    row = f"{case:<10} {fmt_time(times['ours']):>10}"
                    for n in ("bare", "floor", "lenient"):
                        if n in times:
                            flag = "?" if f"{case}.{n}" in self.suspect else " "
                            cell = f"{fmt_time(times[n])} {fmt_ratio(ratios.get(n)):>6}{flag}"
                        else:
                            cell = "n/a"
                        row += f"  {cell:>20}"
                    ours_rows.append(row)
        if ours_rows:
            out()
            out("FROM_DICT next to constructing the same objects, and lenient reading (same")
            out("rounds). bare, floor: ours / bare construction (keyword __init__) or / floor")
            out("(__new__ and slot stores), the cost over merely constructing; lenient:")
            out("from_dict(d, problems=[]) / from_dict(d), the cost of reading leniently")
            out("(? = that tree differs from from_dict's: ratio suspect)")
            out(
                f"{'case':<10} {'from_dict':>10}"
                + "".join(f"  {n:>20}" for n in ("bare (keyword)", "floor (__new__)", "lenient"))
            )
            for row in ours_rows:
                out(row)

    def time_batch(self) -> None:
        out()
        n = len(self.batch)
        out(f"BATCH: a Batch API output file of {n} lines (typical and tool-call bodies in turn),")
        out("the lines a list of bytes; speed of ours / speed of json.loads (>1: ours is faster)")
        o = self.ours
        if o is None or o.read_batch is None or "batch" in self.bad:
            out("  n/a")
            return
        loads = json.loads

        def json_loads(lines: List[bytes]) -> List[Any]:
            return [loads(line) for line in lines]

        contenders = [
            Contender("ours", o.read_batch, self.batch),
            Contender("json_loads", json_loads, self.batch),
        ]
        measure(contenders, self.st)
        ours, js = contenders
        times = {c.name: statistics.median(c.samples) for c in contenders}
        ratio = median_ratio(js.samples, ours.samples)
        self.results["times"]["batch"] = times
        self.results["ratios"]["batch"] = {"json_loads": ratio}
        out(
            f"  {'ours: list(iter_batch_output(lines))':<50} {fmt_time(times['ours']):>10}"
            f"   {fmt_time(times['ours'] / n):>10} per line"
        )
        t = times["json_loads"]
        out(
            f"  {'json.loads alone: [json.loads(l) for l in lines]':<50} "
            f"{fmt_time(t):>10}   {fmt_time(t / n):>10} per line"
        )
        out(f"  ratio, json.loads time / ours: {fmt_ratio(ratio)}")

    def _stream_contenders(self) -> List[Tuple[Contender, str]]:
        o = self.ours
        sdk = self.peers.get("openai")
        found: List[Tuple[Contender, str]] = []
        if o is not None and o.assemble_stream is not None and "stream" not in self.bad:
            found.append(
                (
                    Contender("ours", o.assemble_stream, self.pieces),
                    "ours: accumulate(iter_chunks(SSE bytes in 100-byte pieces))",
                )
            )
        if sdk is not None and self.sdk_stream_input is not None:
            found.append(
                (
                    Contender("openai", sdk.assemble_stream, self.sdk_stream_input),
                    "openai: ChatCompletionStreamState over chunks validated beforehand",
                )
            )
        # Like-for-like variants (information, no target).
        if o is not None and o.parse_chunks is not None and "stream" not in self.bad:
            try:
                parsed = o.parse_chunks(self.chunks)
                done = o.accumulate_parsed(parsed)
                if tuple(o.stream_summary(done)) == self._expected_stream():
                    found.append(
                        (
                            Contender("ours_parsed", o.accumulate_parsed, parsed),
                            "ours: accumulate over chunk objects parsed beforehand",
                        )
                    )
            except Exception as exc:  # informational row: note it and leave it out
                self.warnings.append(f"stream: ours over parsed chunks failed: {exc!r}")
        if sdk is not None and sdk.assemble_stream_json is not None and self.sdk_stream_payloads:
            found.append(
                (
                    Contender("openai_json", sdk.assemble_stream_json, self.sdk_stream_payloads),
                    "openai: model_validate_json of each event's payload + the stream state",
                )
            )
        return found

    def time_stream(self) -> None:
        out()
        out(f"STREAM: {len(self.chunks)} chunks assembled into the final response")
        found = self._stream_contenders()
        if not found:
            out("  n/a")
            return
        contenders = [c for c, _ in found]
        measure(contenders, self.st)
        by_name = {c.name: c for c in contenders}
        times = {c.name: statistics.median(c.samples) for c in contenders}

        def ratio(num: str, den: str) -> Optional[float]:
            if num in by_name and den in by_name:
                return median_ratio(by_name[num].samples, by_name[den].samples)
            return None

        ratios = {
            "openai": ratio("openai", "ours"),
            "openai_vs_ours_parsed": ratio("openai", "ours_parsed"),
            "openai_json_vs_ours": ratio("openai_json", "ours"),
        }
        self.results["times"]["stream"] = times
        self.results["ratios"]["stream"] = ratios
        for c, label in found:
            out(f"  {label:<76} {fmt_time(times[c.name]):>10}")
        out(
            f"  target ratio, openai (pre-validated) / ours (from SSE bytes): "
            f"{fmt_ratio(ratios['openai'])}"
        )
        out(
            "  like for like (information): both from parsed chunks "
            f"{fmt_ratio(ratios['openai_vs_ours_parsed'])}; "
            f"both decoding JSON {fmt_ratio(ratios['openai_json_vs_ours'])}"
        )

    # -- memory and imports -----------------------------------------------------

    def memory(self) -> None:
        out()
        out("MEMORY of one parsed logprobs-heavy response (tracemalloc: bytes still allocated")
        out("while the result is alive). from_dict: on top of the input dict (strings and numbers")
        out("may be shared with it); from_json: the whole response, nothing shared. ours/peer:")
        lp, lp_json = self.cases["logprobs"], self.js["logprobs"]
        libs: List[Tuple[str, Any]] = []
        if self.ours is not None and "logprobs" not in self.bad:
            libs.append(("ours", self.ours))
        libs.extend(
            (name, lib)
            for name, lib in self.peers.items()
            if self.st.memory_peers is None or name in self.st.memory_peers
        )
        mem: Dict[str, Dict[str, Optional[int]]] = {}
        for name, lib in libs:
            mem[name] = {
                "from_dict": retained_bytes(lib.from_dict, lp),
                "from_json": retained_bytes(lib.from_json, lp_json),
            }
        mem["input dict"] = {"from_dict": None, "from_json": retained_bytes(json.loads, lp_json)}
        self.results["memory"] = mem
        ours = mem.get("ours")
        for name, m in mem.items():
            line = (
                f"  {name:<18} from_dict {fmt_bytes(m['from_dict']):>10}"
                f"   from_json {fmt_bytes(m['from_json']):>10}"
            )
            if ours is not None and name != "ours" and m["from_dict"]:
                line += "   ours/{}: {} / {}".format(
                    name,
                    fmt_ratio(self.mem_ratio(name, "from_dict")),
                    fmt_ratio(self.mem_ratio(name, "from_json")),
                )
            out(line)

    def mem_ratio(self, peer: str, kind: str) -> Optional[float]:
        mem = self.results["memory"]
        if "ours" not in mem or peer not in mem:
            return None
        num, den = mem["ours"][kind], mem[peer][kind]
        return None if num is None or not den else num / den

    def imports(self) -> None:
        st = self.st
        out()
        out(f"IMPORT TIME (fresh `python -I` process, {st.clock_name} clock inside it around the")
        out(f"import statement; median of {st.import_runs} runs after a warm-up run)")
        raw = import_times(st.import_modules, st.import_runs, st.clock_name)
        for mod in st.import_modules:
            t = statistics.median(raw[mod]) if raw[mod] else None
            self.results["import_time"][mod] = t
            out(f"  import {mod:<20} {fmt_time(t):>10}")

    # -- targets ----------------------------------------------------------------

    def ratio(self, key: str, peer: str) -> Optional[float]:
        value = self.results["ratios"].get(key, {}).get(peer)
        return None if value is None else float(value)

    def targets(self) -> List[Target]:
        """The targets of the performance issue (#13), in its order: vs the SDK and
        mashumaro on every case, vs keyword bare construction and the SDK's ``to_dict`` on
        typical and logprobs (as the issue states them; the other cases are information)."""
        r = self.ratio
        every = list(data.CASES)
        stated = ["typical", "logprobs"]

        def per_case(
            label: str, key: str, peer: str, cmp: str, goal: float, lp_goal: float,
            cases: List[str],
        ) -> List[Target]:
            return [
                (
                    f"{label}, {case}",
                    r(f"{case}.{key}", peer),
                    cmp,
                    lp_goal if case == "logprobs" else goal,
                )
                for case in cases
            ]

        targets: List[Target] = []
        targets += per_case(
            "from_dict vs openai model_validate", "from_dict", "openai", ">=", 1.8, 1.7, every
        )
        targets += per_case(
            "from_dict vs mashumaro from_dict", "from_dict", "mashumaro", ">=", 1.5, 1.4, every
        )
        targets += per_case(
            "from_dict / bare construction (keyword __init__)", "from_dict", "bare", "<=", 1.0,
            1.2, stated,
        )
        targets += per_case(
            "to_dict vs openai model_dump(exclude_unset=True)", "to_dict", "openai", ">=", 2.5,
            1.5, stated,
        )
        targets += [
            (
                "stream: SDK StreamState (parsed chunks) / ours from SSE bytes",
                r("stream", "openai"),
                ">=",
                12.0,
            ),
            (
                "batch: iter_batch_output speed / json.loads speed",
                r("batch", "json_loads"),
                ">=",
                0.7,
            ),
            ("import openai.types.chat / import chatcompletion", self.import_ratio(), ">=", 15.0),
            (
                "memory ours / openai, logprobs (from_dict)",
                self.mem_ratio("openai", "from_dict"),
                "<=",
                0.35,
            ),
        ]
        return targets

    def import_ratio(self) -> Optional[float]:
        imp = self.results["import_time"]
        if imp.get("chatcompletion") and imp.get("openai.types.chat"):
            return float(imp["openai.types.chat"] / imp["chatcompletion"])
        return None

    def information(self) -> List[Tuple[str, Optional[float], str]]:
        """Rows without a target: (label, value, "ratio" or "seconds")."""
        r = self.ratio
        rows: List[Tuple[str, Optional[float], str]] = [
            (f"from_dict / bare construction (keyword __init__), {case}",
             r(f"{case}.from_dict", "bare"), "ratio")
            for case in ("tool_call", "n8")
        ]
        rows += [
            (f"to_dict vs openai model_dump(exclude_unset=True), {case}",
             r(f"{case}.to_dict", "openai"), "ratio")
            for case in ("tool_call", "n8")
        ]
        rows += [
            (
                f"from_dict / floor (__new__ + slot stores), {case}",
                r(f"{case}.from_dict", "floor"),
                "ratio",
            )
            for case in data.CASES
        ]
        rows += [
            (
                f"lenient from_dict(d, problems=[]) / strict from_dict, {case}",
                r(f"{case}.from_dict", "lenient"),
                "ratio",
            )
            for case in data.CASES
        ]
        rows += [
            (
                "stream, both from parsed chunks: SDK StreamState / ours accumulate",
                r("stream", "openai_vs_ours_parsed"),
                "ratio",
            ),
            (
                "stream, both decoding JSON: SDK model_validate_json+StreamState / ours",
                r("stream", "openai_json_vs_ours"),
                "ratio",
            ),
            (
                "memory ours / openai, logprobs (from_json)",
                self.mem_ratio("openai", "from_json"),
                "ratio",
            ),
        ]
        for mod, t in self.results["import_time"].items():
            rows.append((f"import {mod}, absolute", t, "seconds"))
        return rows

    def print_targets(self) -> None:
        out()
        out(f"TARGETS (the reference is CPython 3.11; this run: {platform.python_version()})")
        out(f"  {'target':<66} {'measured':>9} {'target':>8}  verdict")
        held = 0
        rows = []
        for label, value, cmp, goal in self.targets():
            if value is None:
                verdict = "n/a"
            elif (value >= goal) if cmp == ">=" else (value <= goal):
                verdict = "HOLDS"
                held += 1
            else:
                verdict = "MISSES"
            goal_s = f"{goal:g}"
            goal_s = f"{cmp} {goal_s if '.' in goal_s else goal_s + '.0'}x"
            out(f"  {label:<66} {fmt_ratio(value):>9} {goal_s:>8}  {verdict}")
            rows.append(
                {
                    "target": label,
                    "measured": value,
                    "comparison": cmp,
                    "goal": goal,
                    "verdict": verdict,
                }
            )
        out(f"  {held} of {len(rows)} targets hold")
        self.results["targets"] = rows
        out()
        out("INFORMATION (no target)")
        info = self.information()
        for label, value, unit in info:
            shown = fmt_ratio(value) if unit == "ratio" else fmt_time(value)
            out(f"  {label:<72} {shown:>10}")
        self.results["information"] = [
            {"row": label, "value": value, "unit": unit} for label, value, unit in info
        ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.run", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer, shorter samples")
    parser.add_argument("--json", metavar="FILE", help="also write all results to FILE as JSON")
    parser.add_argument("--repeat", type=int, help="rounds of samples (default 9; 3 with --quick)")
    parser.add_argument(
        "--peers", help=f"comma-separated subset of {','.join(peers_mod.PEER_NAMES)}"
    )
    parser.add_argument("--no-import", action="store_true", help="skip the import-time runs")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter (default); cpu: time.process_time, steadier when busy",
    )
    parser.add_argument(
        "--no-gc", action="store_true", help="garbage collector off while timing (as timeit does)"
    )
    args = parser.parse_args(argv)
    st = Settings(args.quick, args.repeat, args.clock, not args.no_gc)
    started = time.perf_counter()

    names = args.peers.split(",") if args.peers else list(peers_mod.PEER_NAMES)
    unknown = [n for n in names if n not in peers_mod.PEER_NAMES]
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(unknown)}")
    run = Run(st, names)
    run.header()
    run.sanity()
    run.time_responses()
    run.time_stream()
    run.time_batch()
    run.memory()
    if args.no_import:
        out()
        out("IMPORT TIME: skipped (--no-import)")
    else:
        run.imports()
    run.print_targets()

    elapsed = time.perf_counter() - started
    load_end = _loadavg()
    out()
    out(f"done in {elapsed:.0f} s; load average at end: {load_end or 'n/a'}")
    results = run.results
    results.update(
        failures=run.failures,
        warnings=run.warnings,
        elapsed=elapsed,
        load_average_end=load_end,
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, sort_keys=True)
            fh.write("\n")
    if run.failures:
        return 1
    if run.ours is None:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
