"""Setting, listing and removing reminders and nudges (what the commands do)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.i18n import _, ngettext
from bot.link.people import Directory
from bot.reminders import blocks
from bot.reminders.commands import When
from bot.reminders.records import Nudge, Reminder
from bot.slack.blocks import Reply, cannot_post_yet, context, section
from bot.slack.gateway import SlackGateway
from bot.work.schedule import Schedule
from storage import SlackIdentity
from storage.schedules import ScheduleStore
from storage.unreachable import Parked, Strikes

PER_CHANNEL = 5


def _reply(text: str) -> Reply:
    return Reply(text, [section(text)])


class RemindersService:
    def __init__(self, *, reminders: ScheduleStore, nudges: ScheduleStore,
                 directory: Directory, slack: SlackGateway,
                 clock: Callable[[], float] = time.time, parked: Parked | None = None,
                 strikes: Strikes | None = None):
        self.reminders = reminders
        self._parked = parked
        self._strikes = strikes
        self.nudges = nudges
        self._directory = directory
        self._slack = slack
        self._clock = clock

    def _zone_of(self, identity: SlackIdentity) -> str:
        person = self._directory.slack_person(identity)
        return (person.tz if person and person.tz else None) or "UTC"

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    # -- channel reminders ---------------------------------------------------------

    def set_reminder(self, identity: SlackIdentity, channel_id: str, when: When) -> Reply:
        if not channel_id or channel_id.startswith("D"):
            return _reply(_("Channel reminders are for channels. For a reminder just for you, "
                          "use `/geese nudges on 09:00`."))
        prefix = Reminder.channel_prefix(identity.team_id, identity.enterprise_id, channel_id)
        schedule = Schedule(when.hour, when.minute, when.days,
                            when.tz or self._zone_of(identity))
        reminder = Reminder(identity.team_id, identity.enterprise_id, channel_id, schedule,
                            identity.user_id, self._clock())
        existing = self.reminders.ids(prefix)
        if reminder.id not in existing and len(existing) >= PER_CHANNEL:
            return _reply(_("This channel already has {PER_CHANNEL} reminders. Remove them "
                            "with `/geese remind off` first.").format(
                            PER_CHANNEL=PER_CHANNEL))
        notes = schedule.dst_notes(self._now())
        # Posting the settings in the channel proves the bot can post there.
        delivery = self._slack.post(identity, channel_id,
                                    **blocks.reminder_set(reminder, notes).as_kwargs())
        if delivery.unreachable:
            return cannot_post_yet(channel_id, _("set the reminder"))
        if not delivery:
            return _reply(_("Slack didn't let me post in this channel, so I didn't set the "
                          "reminder. Please try again in a minute."))
        self.reminders.save(reminder.id, reminder.to_dict(),
                            next_at=schedule.next_after(self._now()).timestamp())
        done = _reply(_("Done: this channel gets a reminder {describe}. `/geese reminders` "
                        "lists them.").format(
                        describe=schedule.describe()))
        if notes:
            done.blocks.append(context(" ".join(f":warning: {n}" for n in notes)))
        return done

    def resume(self, identity: SlackIdentity, reminder_id: str) -> Reply:
        """A reminder stopped because its channel was out of reach, back as it was (only
        for whoever set it)."""
        record, why = self._parked.take(
            reminder_id, allowed=lambda r: Reminder.from_dict(r).setter == identity) \
            if self._parked else (None, "gone")
        if record is None:
            return _reply(_("Only whoever set that reminder can resume it.")
                          if why == "not_allowed" else
                          _("That reminder was already resumed or removed. "
                          "`/geese remind objectives` in the channel sets one."))
        reminder = Reminder.from_dict(record)
        if self._strikes:
            self._strikes.clear(reminder.id)
        self.reminders.save(reminder.id, reminder.to_dict(),
                            next_at=reminder.schedule.next_after(self._now()).timestamp())
        return blocks.reminder_resumed(reminder)

    def channel_reminders(self, identity: SlackIdentity, channel_id: str) -> list[Reminder]:
        prefix = Reminder.channel_prefix(identity.team_id, identity.enterprise_id, channel_id)
        found = [self.reminders.get(i) for i in self.reminders.ids(prefix)]
        return [Reminder.from_dict(r) for r in found if r]

    def list_reminders(self, identity: SlackIdentity, channel_id: str) -> Reply:
        reminders = self.channel_reminders(identity, channel_id)
        now = self._now()
        return blocks.reminders_list(reminders, [r.schedule.next_after(now) for r in reminders])

    def remove_reminders(self, identity: SlackIdentity, channel_id: str) -> Reply:
        reminders = self.channel_reminders(identity, channel_id)
        for reminder in reminders:
            self.reminders.delete(reminder.id)
        if not reminders:
            return _reply(_("There are no objective reminders in this channel."))
        return _reply(ngettext("Removed {n} reminder from this channel.",
                               "Removed {n} reminders from this channel.",
                               len(reminders)).format(n=len(reminders)))

    # -- personal nudges -------------------------------------------------------------

    def set_nudge(self, identity: SlackIdentity, when: When) -> Reply:
        schedule = Schedule(when.hour, when.minute, when.days, self._zone_of(identity))
        nudge = Nudge(identity, schedule, self._clock())
        self.nudges.save(nudge.id, nudge.to_dict(),
                         next_at=schedule.next_after(self._now()).timestamp())
        return blocks.nudge_set(schedule, schedule.dst_notes(self._now()))

    def remove_nudge(self, identity: SlackIdentity) -> Reply:
        if self.nudges.delete(identity.key):
            return _reply(_("Your objectives nudge is off. `/geese nudges on` brings it back."))
        return _reply(_("Your objectives nudge was already off."))

    def nudge_of(self, identity: SlackIdentity) -> Nudge | None:
        record = self.nudges.get(identity.key)
        return Nudge.from_dict(record) if record else None
