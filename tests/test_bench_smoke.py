"""The fan-out and soak benchmarks run (small N): every nudge once, none lost. Their
figures are printed by the scripts, never asserted here (machines are noisy)."""

from __future__ import annotations

import importlib.util
import sys

from tests.helpers import ROOT


def test_fanout_benchmark_delivers_each_once():
    result = load("fanout").run(people=30, budget=200, rate=200, redis_url=None)
    assert result["delivered"] == 30
    assert result["duplicates"] == 0 and result["lost"] == 0


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_mixed_fanout_across_workspaces_delivers_each_once():
    result = load("fanout").run_mixed(people=10, channels=3, budget=200, rate=200,
                                      redis_url=None)
    assert result["delivered_by_workspace"] == {"T0GANDER": 13, "T0HONK": 13}
    assert result["duplicates"] == 0 and result["lost"] == 0


def test_soak_sends_each_due_nudge_once():
    result = load("soak").run(minutes=0, people_count=6, redis_url=None)
    assert result["nudges_due"] > 0
    assert result["nudges_sent"] == result["nudges_due"]
    assert result["sent_twice"] == result["missed"] == result["sent_but_not_due"] == 0
