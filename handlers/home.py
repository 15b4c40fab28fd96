"""The App Home tab and its buttons; every change publishes the tab again."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from slack_bolt import App

from bot.home import blocks
from bot.i18n import _
from bot.oneonones.nudges import PREFERENCE as ONEONONE_NUDGES
from bot.reminders.commands import When
from bot.services import Services
from bot.slack.gateway import open_view
from bot.work.pausing import pause
from bot.work.schedule import DAYS, WEEKDAYS, parse_time
from handlers.linking import after_unlink
from handlers.payloads import identity_of, view_input
from handlers.recognition import open_modal
from storage import SlackIdentity

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    home = services.home

    def publish_home(body, event):
        if event.get("tab") != "home":
            return
        home.publish(identity_of(body))

    # Events are acknowledged at once; the slow part (7Geese) runs as a lazy listener.
    app.event("app_home_opened")(ack=lambda ack: ack(), lazy=[publish_home])

    @app.action(blocks.UNLINK)
    def unlink(ack, body):
        ack()
        identity = identity_of(body)
        after_unlink(services, identity, services.linking.unlink(identity))

    @app.action(blocks.RECOGNIZE)
    def recognize(ack, body, client):
        ack()
        open_modal(services, client, identity_of(body), body["trigger_id"],
                   metadata={"source": "home"})

    @app.action(blocks.NUDGE_SETTINGS)
    def nudge_settings(ack, body, client):
        ack()
        # Settings live in Redis: the modal opens without waiting for 7Geese.
        data = home.gatherer.local(identity_of(body))
        open_view(client, body["trigger_id"], blocks.nudge_modal(data))

    @app.view(blocks.NUDGE_MODAL)
    def save_nudge(ack, body, view):
        picked = parse_time(view_input(view, "time", "time").get("selected_time") or "09:00")
        days = (view_input(view, "days", "days").get("selected_option") or {}).get("value")
        if picked is None:
            ack(response_action="errors", errors={"time": _("Pick a time like 09:00.")})
            return
        ack()
        identity = identity_of(body)
        if days == "off":
            services.reminders.remove_nudge(identity)
        else:
            hour, minute = picked
            days = days if days in DAYS else WEEKDAYS
            services.reminders.set_nudge(identity, When(hour, minute, days, None))
        home.refresh_later(identity)

    @app.action(blocks.ONEONONE_TOGGLE)
    def toggle_oneonone_nudges(ack, body, action):
        ack()
        identity = identity_of(body)
        services.prefs.set_off(ONEONONE_NUDGES, identity, action.get("value") == "off")
        home.refresh_later(identity)

    @app.action(blocks.REACTION_TOGGLE)
    def toggle_reaction_offers(ack, body, action):
        ack()
        identity = identity_of(body)
        services.offers.set_wanted(identity, action.get("value") == "on")
        home.refresh_later(identity)

    def ack_team_digest(ack):
        ack()

    def toggle_team_digest(body, action):
        identity = identity_of(body)
        if action.get("value") == "on":
            services.team_digests.turn_on(identity)
        else:
            services.team_digests.turn_off(identity)
        home.refresh_later(identity)

    app.action(blocks.TEAM_DIGEST_TOGGLE)(ack=ack_team_digest, lazy=[toggle_team_digest])

    @app.action(blocks.PAUSE)
    def pause_until(ack, body, action):
        ack()
        identity = identity_of(body)
        try:
            chosen = date.fromisoformat(action.get("selected_date") or "")
        except ValueError:
            return  # Slack's date picker only sends ISO dates; anything else is noise
        if chosen > today_for(services, identity):
            pause(services.prefs, identity, chosen)
        else:
            pause(services.prefs, identity, None)  # a day in the past ends the pause
        home.refresh_later(identity)

    @app.action(blocks.RESUME)
    def resume(ack, body):
        ack()
        identity = identity_of(body)
        pause(services.prefs, identity, None)
        home.refresh_later(identity)


def today_for(services: Services, identity: SlackIdentity) -> date:
    person = services.directory.slack_person(identity)
    zone = ZoneInfo(person.tz) if person and person.tz else UTC
    return datetime.fromtimestamp(services.clock(), zone).date()
