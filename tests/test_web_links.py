"""7Geese's web pages are built in one module (bot/geese/web.py): two guesses for one
page disagreed (/one-on-ones/ and /oneonones/). A page path anywhere else fails here."""

from __future__ import annotations

import re

from bot.geese import web
from tests.helpers import ROOT

PAGES = re.compile(r"/(oneonones?|one-on-ones|objectives?|feedback|recognitions?)/")


def test_no_other_module_builds_a_7geese_web_address():
    found = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]:
        if path == ROOT / "bot" / "geese" / "web.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if PAGES.search(code) and '"' in code and "/api/" not in code:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_pages():
    base = "https://app.7geese.com/"
    assert web.oneonone(base, 12) == "https://app.7geese.com/oneonone/12"
    assert web.objective(base, 3) == "https://app.7geese.com/objective/3"
    assert web.feedback_request(base, None) == "https://app.7geese.com"
