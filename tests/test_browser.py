"""The link flow in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`, which .ci/run installs) driven by Selenium. Cookie rules (SameSite,
Path, Secure on http://127.0.0.1) are where a hand-made test browser and a real one
part ways, so the pages are tested here as well as over HTTP."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from sandbox.servers import serve_in_thread

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="headless Chromium is not installed here (apt-get install chromium "
           "chromium-driver; .ci/run does)")


def new_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="geese-bot-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # Without libfaketime (make test-dates preloads it): Chromium needs no fake date.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, env=env))
    driver.set_page_load_timeout(30)
    driver.profile_dir = profile
    return driver


def close(driver) -> None:
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


@pytest.fixture
def chrome():
    driver = new_browser()
    yield driver
    close(driver)


def link_button(stack, user="U0DANA") -> str:
    since = stack.slack.posted[-1].seq if stack.slack.posted else 0
    stack.driver.command(user, "link")
    return stack.link_button_url(user, since)


def click(driver, css: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, css).click()


def arrive(driver, title: str) -> None:
    """Wait for the page a click leads to (Selenium's click does not wait for it)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: d.title.startswith(title))


def consent(driver, email: str, decision: str = "authorize") -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    menu = Select(driver.find_element(By.ID, "user"))
    menu.select_by_visible_text(next(o.text for o in menu.options if f"({email})" in o.text))
    click(driver, f'button[value="{decision}"]')


def test_linking_in_chromium_from_the_button_to_the_success_page(stack, chrome):
    url = link_button(stack)
    chrome.get(url)
    assert chrome.title.startswith("Link your 7Geese account")
    assert "Dana Ito" in chrome.page_source and "Gander Labs" in chrome.page_source
    confirm = chrome.get_cookie("geese_link_confirm")
    assert confirm["httpOnly"] and confirm["sameSite"] == "Strict"
    assert confirm["path"] == "/link/7geese/"
    click(chrome, "#continue")
    arrive(chrome, "Authorize geese-bot")  # the sandbox 7Geese asks
    consent(chrome, "dana@ganderlabs.example")
    arrive(chrome, "Your accounts are linked")
    assert stack.services.links.find(_dana()).email == "dana@ganderlabs.example"
    # The button again: spent, and it says how to get a new one.
    chrome.get(url)
    assert chrome.title.startswith("This link has expired")


def test_saying_no_at_7geese_links_nothing(stack, chrome):
    chrome.get(link_button(stack))
    click(chrome, "#continue")
    arrive(chrome, "Authorize geese-bot")
    consent(chrome, "dana@ganderlabs.example", decision="deny")
    arrive(chrome, "Nothing was linked")
    assert stack.services.links.find(_dana()) is None


def test_finishing_in_another_browser_is_refused(stack, chrome):
    chrome.get(link_button(stack))
    click(chrome, "#continue")
    arrive(chrome, "Authorize geese-bot")
    at_7geese = chrome.current_url  # the consent page, as if sent to someone else
    other = new_browser()
    try:
        other.get(at_7geese)
        consent(other, "fox@ganderlabs.example")
        arrive(other, "Please finish in the same browser")
    finally:
        close(other)
    assert stack.services.links.find(_dana()) is None


def test_a_page_on_another_site_cannot_press_continue(stack, chrome):
    """An attacker's page (another site: localhost, not 127.0.0.1) posts a victim's
    browser to the start route with the attacker's ticket: refused, no 7Geese visit."""
    url = link_button(stack, user="U0FOX")
    ticket = url.split("ticket=")[1]
    chrome.get(url)  # even after a look at the real page (its cookie is SameSite=Strict)
    from flask import Flask

    attacker = Flask("attacker")
    start = stack.app_url + "/link/7geese/start"

    @attacker.get("/")
    def page():
        return (f'<form id="f" method="post" action="{start}">'
                f'<input name="ticket" value="{ticket}"><input name="confirm" value="x">'
                '</form><script>document.getElementById("f").submit()</script>')

    server = serve_in_thread(attacker, name="attacker")
    try:
        chrome.get(server.url.replace("127.0.0.1", "localhost") + "/")
        arrive(chrome, "Please use the button on the page")
    finally:
        server.stop()
    assert not any("/o/authorize/" in p for _, p, _ in stack.geese.requests)


def _dana():
    from storage import SlackIdentity

    return SlackIdentity("T0GANDER", "U0DANA")
