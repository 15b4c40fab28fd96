"""7Geese's web pages, the only place the bot builds one.

A link 7Geese returns (`recognitionWebViewUrl`, `objectiveUrl`, `profileUrl`, a
notification's page) is always preferred; these are for what it does not return. Each
path is inferred, with its evidence beside it, so a real tenant's answer is a one-line
fix. tests/test_web_links.py fails when another module formats a 7Geese web address.
"""

from __future__ import annotations


def _base(web_url: str) -> str:
    return web_url.rstrip("/")


def oneonone(web_url: str, pk: int) -> str:
    # Public clients of 7Geese's web app open a 1-on-1 at /oneonone/<pk> (issue 22's
    # review); the bot had two other guesses, /one-on-ones/ and /oneonones/.
    return f"{_base(web_url)}/oneonone/{pk}"


def objective(web_url: str, pk: int) -> str:
    # The same clients open an objective at /objective/<pk>; `objectiveUrl` comes first.
    return f"{_base(web_url)}/objective/{pk}"


def feedback_request(web_url: str, pk: int | None) -> str:
    # Inferred (no public example): the web app's feedback area, by request.
    return f"{_base(web_url)}/feedback/requests/{pk}/" if pk else _base(web_url)


def feedback_received(web_url: str) -> str:
    # Inferred (no public example): where a person reads feedback they received.
    return f"{_base(web_url)}/feedback/received/"


def recognitions(web_url: str) -> str:
    # Inferred: the recognition wall; a recognition's own `recognitionWebViewUrl` first.
    return f"{_base(web_url)}/recognition/"
