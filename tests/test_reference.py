"""The vendored reference files match ../shared when it is present."""

from __future__ import annotations

import filecmp

import pytest

from tests.helpers import REFERENCE, ROOT

SHARED = ROOT.parent / "shared"
PAIRS = [
    ("manifest.schema.1.0.0.json", SHARED / "slack" / "manifest.schema.1.0.0.json"),
    ("schema.graphql", SHARED / "7geese" / "schema.graphql"),
]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=[p[0] for p in PAIRS])
def test_vendored_copy_matches_shared(ours, theirs):
    if not theirs.exists():
        pytest.skip(f"{theirs} is not on this machine")
    assert filecmp.cmp(REFERENCE / ours, theirs, shallow=False)


def test_vendored_slack_methods_match_shared():
    shared = SHARED / "slack" / "web-api-methods"
    if not shared.exists():
        pytest.skip(f"{shared} is not on this machine")
    ours = ROOT / "sandbox" / "slack" / "methods"
    for theirs in shared.glob("*.json"):
        assert filecmp.cmp(ours / theirs.name, theirs, shallow=False), theirs.name
