"""The layers in .importlinter name every part of the app, so nothing new escapes them.

`lint-imports` (run by `make test`) checks the imports between the parts it names; a
module or package added under bot/ without a place in the layers would go unchecked.
"""

from __future__ import annotations

import configparser
import pkgutil
import re

import bot
from tests.helpers import ROOT


def layered() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"]
    return {name for name in re.split(r"[\s|:]+", layers) if name}


def test_every_part_of_bot_has_a_layer():
    parts = {f"bot.{info.name}" for info in pkgutil.iter_modules(bot.__path__)}
    assert parts - layered() == set(), "add it to the layers in .importlinter"


def test_the_layers_name_only_what_exists():
    parts = {f"bot.{info.name}" for info in pkgutil.iter_modules(bot.__path__)}
    assert {name for name in layered() if name.startswith("bot.")} - parts == set()
