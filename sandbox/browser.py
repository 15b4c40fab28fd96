"""A person's browser, reduced to what linking needs: cookies, redirects, the bot's
"is this you?" page, and the sandbox 7Geese consent form. (tests/test_browser.py drives
the same flow in a real headless Chromium.)"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urljoin, urlsplit

import httpx2

OPTION = re.compile(r'<option value="(\d+)">([^<(]*)\(([^)]+)\)</option>')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
PARAGRAPH = re.compile(r"<(?:p|div)[^>]*>(.*?)</(?:p|div)>", re.S)


@dataclass
class Page:
    url: str
    status: int
    text: str

    @property
    def title(self) -> str:
        found = TITLE.search(self.text)
        return html.unescape(found.group(1).strip()) if found else ""

    @property
    def paragraphs(self) -> list[str]:
        return [html.unescape(re.sub(r"<[^>]+>", " ", p)).strip()
                for p in PARAGRAPH.findall(self.text)]

    @property
    def is_consent(self) -> bool:
        return 'name="decision"' in self.text

    @property
    def is_confirmation(self) -> bool:
        return 'id="continue"' in self.text


class LocalhostIsSecure(DefaultCookiePolicy):
    """Browsers treat http://localhost as a secure context and keep `Secure` cookies
    for it (Slack's install state cookie is one); so does this browser."""

    def return_ok_secure(self, cookie, request):
        host = urlsplit(request.get_full_url()).hostname
        return host in ("127.0.0.1", "localhost") or super().return_ok_secure(cookie, request)

    def set_ok(self, cookie, request):
        return super().set_ok(cookie, request)


class Browser:
    def __init__(self) -> None:
        self.http = httpx2.Client(follow_redirects=True, timeout=30)
        self.http.cookies.jar.set_policy(LocalhostIsSecure())

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self, url: str) -> Page:
        resp = self.http.get(url)
        return Page(str(resp.url), resp.status_code, resp.text)

    def confirm(self, page: Page) -> Page:
        """Press "Continue to 7Geese" on the bot's confirmation page."""
        action = html.unescape(FORM_ACTION.search(page.text).group(1))
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(page.text)}
        resp = self.http.post(urljoin(page.url, action), data=fields)
        return Page(str(resp.url), resp.status_code, resp.text)

    def install(self, page: Page, *, team_id: str, allow: bool = True) -> Page:
        """Answer the sandbox Slack's install page for workspace `team_id`."""
        action = html.unescape(FORM_ACTION.search(page.text).group(1))
        resp = self.http.post(urljoin(page.url, action), data={
            "team": team_id, "decision": "allow" if allow else "cancel"})
        return Page(str(resp.url), resp.status_code, resp.text)

    def consent(self, page: Page, *, email: str, authorize: bool = True) -> Page:
        """Pick the seeded person with `email` on the consent page and answer."""
        people = {mail.strip(): pk for pk, _name, mail in OPTION.findall(page.text)}
        if email not in people:
            raise LookupError(f"{email} is not a person in the sandbox 7Geese")
        action = html.unescape(FORM_ACTION.search(page.text).group(1))
        resp = self.http.post(
            urljoin(page.url, action),
            data={"user": people[email], "decision": "authorize" if authorize else "deny"},
        )
        return Page(str(resp.url), resp.status_code, resp.text)
