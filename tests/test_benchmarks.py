# SPDX-License-Identifier: MIT
"""The benchmark compares like with like: before anything is timed, its sanity pass checks that
ours round-trips every case (strict and lenient), assembles the stream and reads the batch file,
and that each installed peer reads the same data. This runs that pass (no timing)."""
from __future__ import annotations

import pytest

from tests.benchmarks import peers, run


def test_the_benchmark_sanity_pass_finds_nothing_wrong(capsys: pytest.CaptureFixture[str]) -> None:
    bench = run.Run(run.Settings(quick=True, repeat=1, clock="cpu", use_gc=True),
                    list(peers.PEER_NAMES))
    bench.sanity()
    printed = capsys.readouterr().out
    assert bench.ours is not None, bench.ours_error
    assert bench.failures == [], printed
    assert not bench.suspect, printed
    assert "sanity: ours round-trips every case" in printed


def test_the_sanity_pass_can_fail(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    bench = run.Run(run.Settings(quick=True, repeat=1, clock="cpu", use_gc=True), [])
    real = bench.ours.to_dict

    def lossy(obj: object) -> object:
        d = dict(real(obj))
        d.pop("id", None)
        return d

    monkeypatch.setattr(bench.ours, "to_dict", lossy)
    bench.sanity()
    capsys.readouterr()
    assert bench.failures
