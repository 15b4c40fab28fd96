"""Publishing a person's Home tab, now or in the background after a change."""

from __future__ import annotations

import logging

from bot.home.blocks import home_view
from bot.home.data import HomeData, HomeGatherer
from bot.i18n import Speak, _, unchanged
from bot.link.service import LinkingService
from bot.slack.gateway import SlackGateway
from storage import STORAGE_ERRORS, SlackIdentity

log = logging.getLogger(__name__)


class HomeService:
    def __init__(self, *, gatherer: HomeGatherer, linking: LinkingService,
                 slack: SlackGateway, web_url: str, background, speak: Speak = unchanged):
        self._speak = speak
        self.gatherer = gatherer
        self._linking = linking
        self._slack = slack
        self._web_url = web_url
        self._background = background

    def view(self, data: HomeData) -> dict:
        link_url = self._linking.ticket_url(data.identity)
        return home_view(data, link_url=link_url, web_url=self._web_url)

    def publish(self, identity: SlackIdentity) -> bool:
        with self._speak(identity):
            return self._slack.publish_home(identity, self._view_of(identity))

    def _view_of(self, identity: SlackIdentity) -> dict:
        try:
            data = self.gatherer.gather(identity)
            view = self.view(data)
        except STORAGE_ERRORS:
            view = {"type": "home", "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": _("7Geese in Slack")}},
                {"type": "section", "text": {"type": "mrkdwn", "text":
                    _(":warning: I can't load your 7Geese details right now. Open this tab "
                    "again in a minute.")}}]}
        return view

    def refresh_later(self, identity: SlackIdentity) -> None:
        """After a change the Home shows: publish again without holding anyone up."""
        self._background.submit(self._refresh_quietly, identity)

    def _refresh_quietly(self, identity: SlackIdentity) -> None:
        try:
            self.publish(identity)
        except Exception:  # a stale Home is better than a failed command
            log.warning("Home refresh failed for %s", identity.key, exc_info=True)
