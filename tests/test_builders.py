"""The builder registry (bot/builders.py) names every payload the bot can build, and each
one keeps Slack's whole contract (the sandbox's rule table) at any size of data."""

from __future__ import annotations

import ast
import pkgutil

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import bot
from bot.builders import PIECES, REGISTRY, Sample, payload
from sandbox.slack import strict
from tests.helpers import ROOT
from tests.test_payload_limits import NASTY, live, markup

BUILDS = ("Reply", "dict", "dict[str, Any]")


def public_builders() -> set[str]:
    """module.function for each public function of a `blocks` module (or of
    oneonones/items.py) that returns a payload or a part of one."""
    found = set()
    for package in pkgutil.iter_modules(bot.__path__):
        for module in ("blocks", "items"):
            path = ROOT / "bot" / package.name / f"{module}.py"
            if not path.exists() or (package.name, module) == ("slack", "items"):
                continue
            for node in ast.parse(path.read_text()).body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") \
                        and node.returns is not None and ast.unparse(node.returns) in BUILDS:
                    found.add(f"{package.name}.{module}.{node.name}")
    return found


def test_every_builder_is_in_the_registry():
    registered = {b.name for b in REGISTRY}
    # The helpers every builder uses are not payloads; item_block/button are pieces of
    # the action-item lists.
    helpers = {name for name in public_builders() if name.startswith("slack.blocks.")
               and name not in registered} | {"oneonones.items.item_block",
                                               "oneonones.items.button"}
    assert public_builders() - registered - PIECES - helpers == set()
    assert len(registered) == len(REGISTRY)


def check(builder, sample: Sample) -> None:
    made = payload(builder, sample)
    if builder.surface == "message":
        problems = strict.message_problems(made)
        assert not strict.text_too_long(made), builder.name
        assert not strict.blocks_text_too_long(made), builder.name
        texts = [made["text"], *markup(made["blocks"])]
    else:
        assert made["type"] == builder.surface, builder.name
        problems = strict.view_problems(made)
        texts = markup(made)
    assert problems == [], (builder.name, problems)
    assert live(texts) == [], builder.name


@pytest.mark.parametrize("builder", REGISTRY, ids=[b.name for b in REGISTRY])
def test_each_builder_with_large_realistic_data(builder):
    check(builder, Sample.large())
    check(builder, Sample())


@pytest.mark.parametrize("builder", REGISTRY, ids=[b.name for b in REGISTRY])
@settings(max_examples=8, deadline=None)
@given(name=st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=120)),
       text=st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=600)),
       count=st.integers(0, 120))
@example(name=NASTY[3], text=NASTY[3], count=120)
def test_each_builder_with_extreme_data(builder, name, text, count):
    check(builder, Sample(name=name, text=text, count=count))
