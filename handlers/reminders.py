"""`/geese remind ...`, `/geese reminders`, `/geese nudges ...`."""

from __future__ import annotations

from slack_bolt import App

from bot.i18n import _, format_date
from bot.oneonones.nudges import PREFERENCE as ONEONONE_NUDGES
from bot.reminders import blocks as reminder_blocks
from bot.reminders.commands import (
    Off,
    OneOnOneNudges,
    Problem,
    parse_nudges,
    parse_pause,
    parse_remind,
)
from bot.services import Services
from bot.slack.blocks import Reply, section
from bot.work.pausing import pause, paused_until
from handlers.errors import reporting
from handlers.home import today_for
from handlers.payloads import COMMAND, after_subcommand, identity_of, subcommand, working

REMIND = ("remind", "reminder")
LIST = ("reminders",)
NUDGES = ("nudges", "nudge")
PAUSE = ("pause",)
RESUME = ("resume", "unpause")
SUBCOMMANDS = REMIND + LIST + NUDGES + PAUSE + RESUME



def _answer(ack, reply: Reply) -> None:
    ack(**reply.as_kwargs(), response_type="ephemeral")


def _problem(text: str) -> Reply:
    return Reply(text, [section(f":warning: {text}")])


def register(app: App, services: Services) -> None:
    reminders = services.reminders

    def ack_remind(ack, body):
        parsed = parse_remind(after_subcommand(body))
        if isinstance(parsed, Problem):
            _answer(ack, _problem(parsed.text))
        elif isinstance(parsed, Off):
            _answer(ack, reminders.remove_reminders(identity_of(body), body.get("channel_id")))
        else:
            ack(**working(_("Setting up the reminder")))

    def set_remind(body, respond):
        parsed = parse_remind(after_subcommand(body))
        if isinstance(parsed, Problem | Off):
            return
        with reporting(services, body, respond):
            reply = reminders.set_reminder(identity_of(body), body.get("channel_id"), parsed)
            respond(**reply.as_kwargs(), replace_original=True, response_type="ephemeral")

    app.command(COMMAND, matchers=[subcommand(*REMIND)])(ack=ack_remind, lazy=[set_remind])

    @app.action(reminder_blocks.RESUME)
    def resume_reminder(ack, body, action, respond):
        ack()
        reply = reminders.resume(identity_of(body), action.get("value") or "")
        respond(**reply.as_kwargs(), replace_original=True)

    @app.command(COMMAND, matchers=[subcommand(*LIST)])
    def list_reminders(ack, body):
        _answer(ack, reminders.list_reminders(identity_of(body), body.get("channel_id")))

    @app.command(COMMAND, matchers=[subcommand(*NUDGES)])
    def nudges(ack, body):
        parsed = parse_nudges(after_subcommand(body))
        identity = identity_of(body)
        if isinstance(parsed, Problem):
            _answer(ack, _problem(parsed.text))
        elif isinstance(parsed, OneOnOneNudges):
            services.prefs.set_off(ONEONONE_NUDGES, identity, not parsed.on)
            text = (_("I'll remind you two hours before each 1-on-1, with its agenda.")
                    if parsed.on else _("No more reminders before your 1-on-1s. "
                    "`/geese nudges 1on1 on` brings them back."))
            _answer(ack, Reply(text, [section(text)]))
        elif isinstance(parsed, Off):
            _answer(ack, reminders.remove_nudge(identity))
        else:
            _answer(ack, reminders.set_nudge(identity, parsed))
        services.home.refresh_later(identity)

    @app.command(COMMAND, matchers=[subcommand(*PAUSE)])
    def pause_nudges(ack, body):
        identity = identity_of(body)
        parsed = parse_pause(after_subcommand(body), today_for(services, identity))
        if isinstance(parsed, Problem):
            _answer(ack, _problem(parsed.text))
            return
        pause(services.prefs, identity, parsed)
        text = (_("Nudges paused: no daily nudge and no reminder before 1-on-1s until "
                  "{day}, when they come back. `/geese resume` ends the pause sooner.").format(
                  day=format_date(parsed, "day")))
        _answer(ack, Reply(text, [section(text)]))
        services.home.refresh_later(identity)

    @app.command(COMMAND, matchers=[subcommand(*RESUME)])
    def resume_nudges(ack, body):
        identity = identity_of(body)
        was = paused_until(services.prefs, identity)
        pause(services.prefs, identity, None)
        text = _("Nudges are back on.") if was else _("Your nudges weren't paused.")
        _answer(ack, Reply(text, [section(text)]))
        services.home.refresh_later(identity)
