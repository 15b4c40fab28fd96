"""The fan-out benchmark runs (small N): every nudge once, none lost. Its figures are
printed by `python bench/fanout.py`, never asserted here (machines are noisy)."""

from __future__ import annotations

import importlib.util

from tests.helpers import ROOT


def test_fanout_benchmark_delivers_each_once():
    spec = importlib.util.spec_from_file_location("fanout", ROOT / "bench" / "fanout.py")
    fanout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fanout)
    result = fanout.run(people=30, budget=200, rate=200, redis_url=None)
    assert result["delivered"] == 30
    assert result["duplicates"] == 0 and result["lost"] == 0
