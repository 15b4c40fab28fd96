"""The App Home tab and its buttons; every change publishes the tab again."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from slack_bolt import App

from bot.home import blocks
from bot.oneonones.nudges import PREFERENCE as ONEONONE_NUDGES
from bot.pausing import pause
from bot.reminders.commands import When
from bot.services import Services
from handlers.payloads import identity_of
from handlers.recognition import open_modal
from storage import SlackIdentity

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    home = services.home

    @app.event("app_home_opened")
    def publish_home(body, event):
        if event.get("tab") != "home":
            return
        home.publish(identity_of(body))
        event_id = body.get("event_id")
        if event_id:
            services.events.done(event_id)

    @app.action(blocks.UNLINK)
    def unlink(ack, body):
        ack()
        identity = identity_of(body)
        removed = services.linking.unlink(identity)
        home.publish(identity)
        if removed is not None:
            services.linking.revoke(removed)

    @app.action(blocks.RECOGNIZE)
    def recognize(ack, body):
        ack()
        open_modal(services, identity_of(body), body["trigger_id"], metadata={"source": "home"})

    @app.action(blocks.NUDGE_SETTINGS)
    def nudge_settings(ack, body, client):
        ack()
        data = home.gatherer.gather(identity_of(body))
        client.views_open(trigger_id=body["trigger_id"], view=blocks.nudge_modal(data))

    @app.view(blocks.NUDGE_MODAL)
    def save_nudge(ack, body, view):
        values = view["state"]["values"]
        picked_time = values["time"]["time"].get("selected_time") or "09:00"
        days = (values["days"]["days"].get("selected_option") or {}).get("value") or "weekdays"
        ack()
        identity = identity_of(body)
        if days == "off":
            services.reminders.remove_nudge(identity)
        else:
            hour, minute = (int(part) for part in picked_time.split(":"))
            services.reminders.set_nudge(identity, When(hour, minute, days, None))
        home.publish(identity)

    @app.action(blocks.ONEONONE_TOGGLE)
    def toggle_oneonone_nudges(ack, body, action):
        ack()
        identity = identity_of(body)
        services.prefs.set_off(ONEONONE_NUDGES, identity, action.get("value") == "off")
        home.publish(identity)

    @app.action(blocks.PAUSE)
    def pause_until(ack, body, action):
        ack()
        identity = identity_of(body)
        chosen = date.fromisoformat(action["selected_date"])
        if chosen > today_for(services, identity):
            pause(services.prefs, identity, chosen)
        else:
            pause(services.prefs, identity, None)  # a day in the past ends the pause
        home.publish(identity)

    @app.action(blocks.RESUME)
    def resume(ack, body):
        ack()
        identity = identity_of(body)
        pause(services.prefs, identity, None)
        home.publish(identity)


def today_for(services: Services, identity: SlackIdentity) -> date:
    person = services.directory.slack_person(identity)
    zone = ZoneInfo(person.tz) if person and person.tz else UTC
    return datetime.fromtimestamp(services.clock(), zone).date()
