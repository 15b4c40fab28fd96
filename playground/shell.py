"""`geese-bot shell`: type `/geese ...` as a Slack user and see what the bot does.

Every command goes to the bot as a real signed HTTP request; what the bot posts
to the sandbox Slack (ephemeral, DM, channel, modal, Home) is printed as text.
"""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.work.schedule import parse_time
from playground.stack import Stack, start_stack
from sandbox.slack.render import Button, escape_like_slack, render

INTRO = """\
geese-bot playground: a sandbox Slack workspace (Gander Labs) and a sandbox 7Geese,
both running on this machine. No accounts needed. Type `help` for what to try.
"""

HELP = """\
You are a Slack user in #general. Try:
  /geese link        link your 7Geese account (then `click 1` to open the button)
  /geese status      which 7Geese account is linked
  /geese unlink      remove the link
  /geese help        the bot's own help
  /geese recognize @fox thanks for the review #teamwork
                     recognize someone (--private: no channel card)
  /geese recognize   the same, with a form: the playground asks for each field
  /geese objectives  your objectives, each with a Check in button (`click 1`)
  /geese checkin     the check-in form
  /geese remind objectives 09:30 weekdays   a reminder in this channel (try `in eng`)
  /geese nudges on 08:30                    a daily DM with your objectives
  /geese 1on1        your upcoming 1-on-1s; `/geese 1on1 @fox`; `/geese 1on1 add @fox topic`
  /geese todo        your open action items (`click 1` marks one done)
  /geese todo add @fox Send the rota due friday
                     an action item on your next 1-on-1 with Fox (`for @fox`: Fox's)
  /geese feedback @fox Review: the demo was clear
                     private feedback in 7Geese (Fox is told only that it arrived)
  /geese language fr the bot in French for you (`/geese langue auto` follows your Slack;
                     then try `/geese aide`, `/geese objectifs`, `home`)
Playground commands:
  as <name>          be someone else (ada, dana, fox, bea, ivan, chen, eli, gus, hana, kofi, jo)
  in <channel>       post from another channel (general, eng, random)
  click <n> [deny]   press button n; a link button opens the sandbox 7Geese consent
                     page and answers it as you (`deny` says no)
  say <text>         post a message as yourself (for the shortcuts below)
  shortcut recognize|1on1
                     run "Recognize in 7Geese" or "Add to my next 1-on-1" on the
                     newest message someone wrote in this channel
  react :emoji:      react to the newest message someone else wrote here (the
                     workspace's chosen emoji offers you a recognition)
  home               open the bot's Home tab
  clock 09:30 [mon]  move time to the next 09:30 (Monday) in your timezone and run
                     the clock: due reminders, nudges (and the one two hours before
                     each 1-on-1, the follow-up after it) and queued writes go out
  people             who is who, and who is linked
  7geese revoke|expire|down|slow|up
                     make the sandbox 7Geese misbehave for you (revoke your tokens,
                     expire them, answer 503, answer slowly), or behave again
  7geese recognize fox Great demo
                     recognize someone in 7Geese's web app (for the recognition feed)
  7geese notify recognition|feedback|checkin|1on1
                     7Geese tells you something; the next `clock` brings it to Slack
  quit
"""


class SimulatedClock:
    """Real time, plus however far `clock` has moved it forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


HOME_UPDATED = "(Home tab updated: `home` shows it)"


class Playground:
    def __init__(self, stack: Stack, out: TextIO = sys.stdout):
        self.stack = stack
        self.out = out
        self.user = "U0DANA"
        self.channel = "C0GENERAL"
        self.seen = 0
        self.buttons: list[Button] = []
        self.script: Iterator[str] | None = None  # lines still to read, in --script mode

    @classmethod
    @contextmanager
    def start(cls, out: TextIO = sys.stdout):
        stack = start_stack(clock=SimulatedClock())
        try:
            yield cls(stack, out)
        finally:
            stack.stop()

    # -- the loop ----------------------------------------------------------------

    def loop(self) -> None:
        self.say(INTRO)
        while True:
            try:
                line = input(f"{self.name}> ")
            except EOFError:
                self.say("")
                return
            if not self.run_line(line):
                return

    def run_lines(self, lines: list[str]) -> None:
        self.say(INTRO)
        self.script = iter(lines)
        for line in self.script:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            self.say(f"{self.name}> {line}")
            if not self.run_line(line):
                return

    def ask(self, prompt: str) -> str:
        """One answer for a modal's field: the next script line, or what is typed.
        At the end of a script the answer is `cancel`: the modal closes."""
        if self.script is not None:
            answer = next(self.script, None)
            if answer is None:
                return "cancel"
            self.say(f"{prompt}{answer}")
            return answer.strip()
        try:
            return input(prompt).strip()
        except EOFError:
            return ""

    def run_line(self, line: str) -> bool:
        line = line.strip()
        if not line:
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word in ("quit", "exit"):
            return False
        handler = {
            "help": self.do_help, "as": self.do_as, "in": self.do_in, "click": self.do_click,
            "home": self.do_home, "people": self.do_people, "7geese": self.do_geese,
            "clock": self.do_clock, "say": self.do_say, "shortcut": self.do_shortcut,
            "react": self.do_react,
        }.get(word)
        if word.startswith("/"):
            self.do_slash(word, rest)
        elif handler:
            handler(rest.strip())
        else:
            self.say(f"Not a playground command: {word}. Type `help`.")
        return True

    # -- commands ----------------------------------------------------------------

    def do_help(self, _rest: str) -> None:
        self.say(HELP)

    def do_as(self, rest: str) -> None:
        user = self.stack.slack.user_by_name(rest)
        if user is None or user.is_bot:
            self.say(f"No person called {rest!r}. Try: {self.names()}.")
            return
        self.user = user.id
        self.seen = self.stack.slack.posted[-1].seq if self.stack.slack.posted else 0
        self.say(f"You are now {user.real_name} (@{user.name}).")

    def do_in(self, rest: str) -> None:
        name = rest.lstrip("#")
        channel = next((c for c in self.stack.slack.channels.values()
                        if c.name == name and not c.is_im), None)
        if channel is None:
            self.say("Channels: general, eng, random.")
            return
        self.channel = channel.id
        self.say(f"You are now in #{name}.")

    def do_slash(self, command: str, text: str) -> None:
        if command != "/geese":
            self.say("Only /geese is installed in this workspace.")
            return
        text = escape_like_slack(text, self.stack.slack)
        delivery = self.stack.driver.command(self.user, text, channel=self.channel)
        if delivery.status != 200:
            self.say(f"(Slack would show an error: HTTP {delivery.status})")
        self.show_new()

    def do_click(self, rest: str) -> None:
        parts = shlex.split(rest)
        if not parts or not parts[0].isdigit() or not 0 < int(parts[0]) <= len(self.buttons):
            self.say("Which button? Type `click` and a number shown in [brackets].")
            return
        button = self.buttons[int(parts[0]) - 1]
        authorize = "deny" not in parts[1:]
        if button.action_id:
            action = {"action_id": button.action_id, "block_id": button.block_id,
                      "value": button.value}
            if button.source.kind in ("home", "view"):
                self.stack.driver.block_action(self.user, action, view=button.source.view)
            else:
                self.stack.driver.block_action(self.user, action, channel=button.source.channel,
                                               message={"ts": button.source.ts})
        if button.url:
            self.open_url(button.url, authorize=authorize)
        self.show_new()

    def open_url(self, url: str, *, authorize: bool) -> None:
        me = self.stack.slack.users[self.user]
        if not url.startswith(self.stack.app_url):
            self.say(f"(your browser opens {url})")
            return
        person = self.stack.geese.person_by_email(me.email or "")
        if person is None:
            self.say(f"(browser) The sandbox 7Geese has no account for {me.email}, so there "
                     "is nobody to sign in as. (At work, you'd ask your 7Geese admin.)")
            return
        answer = "Authorize" if authorize else "Deny"
        self.say(f"(browser) geese-bot shows whose Slack account this link is for "
                 f"({me.real_name}, {self.stack.slack.TEAM_NAME}); you click Continue to "
                 "7Geese.")
        self.say(f"(browser) 7Geese asks whether geese-bot may act as you. Signed in as "
                 f"{person.full_name}, you click {answer}.")
        page = self.stack.follow_link(url, email=person.email, authorize=authorize)
        self.say(f"(browser) {page.title}")
        for paragraph in page.paragraphs:
            self.say(f"          {paragraph}")

    def do_home(self, _rest: str) -> None:
        self.stack.driver.event({"type": "app_home_opened", "user": self.user,
                                 "channel": "D0" + self.user.removeprefix("U0"), "tab": "home"})
        self.show_new(wait_for=lambda items: any(i.kind == "home" for i in items), home=True)

    def do_clock(self, rest: str) -> None:
        """Move time forward to a moment in your timezone and run the clock's due work."""
        parts = rest.split()
        parsed = parse_time(parts[0]) if parts else None
        if parsed is None:
            self.say("Try `clock 09:30` (the next 09:30 in your timezone) or `clock 09:30 mon`.")
            return
        zone = ZoneInfo(self.stack.slack.users[self.user].tz)
        now = datetime.fromtimestamp(self.stack.services.clock(), zone)
        target = now.replace(hour=parsed[0], minute=parsed[1], second=5, microsecond=0)
        day = parts[1].lower()[:3] if len(parts) > 1 else None
        if day in WEEKDAYS:
            target += timedelta(days=(WEEKDAYS.index(day) - target.weekday()) % 7)
        while target <= now:
            target += timedelta(days=7 if day in WEEKDAYS else 1)
        self.stack.services.clock.offset += target.timestamp() - now.timestamp()
        self.say(f"(clock) It is now {target:%a %b %d, %H:%M} ({zone.key}). Running the clock.")
        services = self.stack.services
        outcomes = services.dispatcher.run_due()
        services.recognition.process_due()
        services.oneonone_nudges.poll()  # the playground polls everyone at once
        for outcome, count in services.oneonone_nudges.send_due().items():
            key = f"1-on-1 nudges {outcome}"
            outcomes[key] = outcomes.get(key, 0) + count
        for identity in list(services.links.identities()):
            key = f"notifications {services.notifications.poll_one(identity)}"
            outcomes[key] = outcomes.get(key, 0) + 1
        for feed_id in services.feeds.ids():
            key = f"recognition feeds {services.feeds.poll(feed_id)}"
            outcomes[key] = outcomes.get(key, 0) + 1
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in outcomes.items())
        self.say(f"(clock) reminders and nudges due: {summary or 'none'}")
        self.show_new()

    def do_say(self, rest: str) -> None:
        """Post a plain message as yourself, for the message shortcuts to act on."""
        if not rest:
            self.say("Try `say The deploy is green again`.")
            return
        posted = self.stack.slack.post(kind="message", channel=self.channel, user=None,
                                       text=rest, blocks=None, author=self.user)
        self.seen = posted.seq
        self.say(f"── you, in #{self.stack.slack.channels[self.channel].name} ──\n{rest}")

    def do_shortcut(self, rest: str) -> None:
        """Run a message shortcut on the newest message someone wrote in this channel."""
        callback = {"recognize": "recognize_message", "1on1": "oneonone_add_message"}.get(
            rest.strip().lower())
        target = next((p for p in reversed(self.stack.slack.posted)
                       if p.channel == self.channel and p.author), None)
        if callback is None or target is None:
            self.say("Try `say something` (or `as fox` then `say ...`), then "
                     "`shortcut recognize` or `shortcut 1on1`.")
            return
        message = {"type": "message", "user": target.author, "ts": target.ts,
                   "text": target.text}
        self.stack.driver.message_shortcut(self.user, callback, message, channel=self.channel)
        self.show_new(wait_for=lambda items: any(i.kind == "view" for i in items))

    def do_react(self, rest: str) -> None:
        """React to the newest message someone else wrote in this channel, as Slack sends
        it (`reaction_added`)."""
        emoji = rest.strip().strip(":")
        target = next((p for p in reversed(self.stack.slack.posted)
                       if p.channel == self.channel and p.author and p.author != self.user),
                      None)
        if not emoji or target is None:
            self.say("Try `as fox`, `say Shipped it`, `as dana`, then `react :raised_hands:` "
                     "(an admin picks the emoji: `as ada`, `/geese admin reaction "
                     ":raised_hands:`).")
            return
        self.stack.driver.event({"type": "reaction_added", "user": self.user,
                                 "reaction": emoji, "item_user": target.author,
                                 "event_ts": f"{self.stack.services.clock():.6f}",
                                 "item": {"type": "message", "channel": self.channel,
                                          "ts": target.ts}})
        self.show_new()

    def do_people(self, _rest: str) -> None:
        for user in self.stack.slack.users.values():
            if user.is_bot:
                continue
            from storage.records import SlackIdentity

            link = self.stack.services.links.find(
                SlackIdentity(team_id=self.stack.slack.TEAM_ID, user_id=user.id))
            state = ("linked to " + link.email if link and not link.broken
                     else "link broken" if link else "not linked")
            marker = "*" if user.id == self.user else " "
            self.say(f" {marker} @{user.name:<5} {user.real_name:<16} {user.email:<28} {state}")

    def do_geese(self, rest: str) -> None:
        world = self.stack.geese
        me = world.person_by_email(self.stack.slack.users[self.user].email or "")
        action = rest.split()[0] if rest else ""
        if action == "revoke" and me:
            world.revoke_user_tokens(me.pk)
            self.say("7Geese revoked every token it gave geese-bot for you.")
        elif action == "expire" and me:
            world.expire_access_tokens(me.pk)
            self.say("Your 7Geese access tokens expired (geese-bot should refresh them).")
        elif action == "down":
            world.set_faults(status=503)
            self.say("7Geese now answers 503 to everything.")
        elif action == "slow":
            world.set_faults(latency=2.0)
            self.say("7Geese now takes 2 seconds to answer.")
        elif action == "up":
            world.clear_faults()
            self.say("7Geese is healthy again.")
        elif action == "recognize":
            self.recognize_on_the_web(rest.split(maxsplit=2)[1:])
        elif action == "notify" and me:
            self.notify(me, rest.split()[1] if len(rest.split()) > 1 else "")
        else:
            self.say("7geese revoke | expire | down | slow | up | recognize <who> <message> | "
                     "notify recognition|feedback|checkin|1on1")

    def notify(self, me, kind: str) -> None:
        """7Geese tells you something, as its web app would (the next `clock` brings it)."""
        world = self.stack.geese
        other = next(p for p in world.people.values()
                     if p.pk != me.pk and p.network == me.network)
        if kind == "recognition":
            world.recognize_with_notice(other.pk, me.pk, None, "Thanks for the clear handover")
        elif kind == "feedback":
            due = datetime.fromtimestamp(self.stack.services.clock(), UTC) + timedelta(days=7)
            world.ask_feedback(other.pk, me.pk, other.pk, "Working with me this quarter", due)
        elif kind == "checkin":
            mine = [o for o in world.objectives.values() if o.owner_pk == me.pk and not o.closed]
            if not mine:
                self.say("You have no open objective in 7Geese to be reminded of.")
                return
            world.notify(me.pk, "CheckinReminderNotificationNode", mine[0].pk)
        elif kind == "1on1":
            meetings = [m for m in world.oneonones.values()
                        if me.pk in (m.facilitator_pk, m.participant_pk)]
            world.notify(me.pk, "UnscheduledOneOnOneNotificationNode", meetings[0].pk)
        else:
            self.say("7geese notify recognition | feedback | checkin | 1on1")
            return
        self.say(f"7Geese has a new {kind} notification for you; `clock` brings it to Slack "
                 "(between 08:00 and 19:00 your time).")

    def recognize_on_the_web(self, words: list[str]) -> None:
        """Someone recognizes a colleague in 7Geese's web app, where the feed finds it."""
        world, slack = self.stack.geese, self.stack.slack
        handle = words[0].lstrip("@").lower() if words else ""
        user = next((u for u in slack.users.values() if u.name == handle), None)
        sender = world.person_by_email(slack.users[self.user].email or "")
        recipient = world.person_by_email(user.email or "") if user else None
        if len(words) < 2 or sender is None or recipient is None:
            self.say("7geese recognize <someone in 7Geese, e.g. fox> <message>")
            return
        world.add_recognition(sender.pk, recipient.pk, None, words[1])
        self.say(f"You recognized {recipient.first_name} {recipient.last_name} in 7Geese's "
                 "web app. A channel with `/geese feed recognition` shows it at the next "
                 "`clock`.")

    # -- output ------------------------------------------------------------------

    def show_new(self, wait_for=None, *, home: bool = False) -> None:
        """Print what the current user can now see, waiting briefly for late replies.
        A Home tab published meanwhile is named in one line (it is long, and buries the
        answer); `home` asks for it whole, and only its latest version is shown."""
        slack = self.stack.slack
        with suppress(TimeoutError):
            slack.wait_for(lambda: (wait_for or bool)(slack.visible_to(self.user, self.seen)),
                           timeout=3.0)
        self.settle()
        items = slack.visible_to(self.user, self.seen)
        tz = slack.users[self.user].tz
        self.buttons = []
        homes = [i for i in items if i.kind == "home"]
        for item in items:
            if item.kind == "home" and item is not homes[-1]:
                continue  # superseded by a later publish
            if item.kind == "home" and not home:
                self.say(HOME_UPDATED)
                continue
            lines, buttons = render(item, slack, tz, first_button=len(self.buttons) + 1)
            self.buttons.extend(buttons)
            self.say("\n".join(lines))
        if items:
            self.seen = max(i.seq for i in items)
        modal = next((i.view for i in reversed(items) if i.kind == "view"), None)
        if modal and modal.get("submit"):
            self.fill(modal)
        elif modal and self.pick(modal):
            self.show_new()

    def pick(self, view: dict) -> bool:
        """A modal that asks for a choice from a menu (no submit button)."""
        for block in view.get("blocks", []):
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                if element.get("type") != "static_select":
                    continue
                options = element["options"]
                listing = ", ".join(f"{i} {o['text']['text']}" for i, o in enumerate(options, 1))
                answer = self.ask(f"  {listing} (number) > ")
                picked = int(answer) if answer.isdigit() else 0
                if not 0 < picked <= len(options):
                    self.say("(modal closed)")
                    return False
                action = {"action_id": element["action_id"], "block_id": block.get("block_id"),
                          "type": "static_select", "selected_option": options[picked - 1]}
                self.stack.driver.block_action(self.user, action, view=view)
                return True
        return False

    # -- modals ------------------------------------------------------------------

    def fill(self, view: dict, tries: int = 3) -> None:
        """Ask for each field of a modal, then submit it as Slack would."""
        self.say("(The modal asks; press Enter to keep what is shown, `cancel` to close it.)")
        values: dict[str, dict] = {}
        for block in view.get("blocks", []):
            if block.get("type") != "input":
                continue
            answer = self.field(block)
            if answer is None:
                self.say("(modal closed)")
                return
            values[block["block_id"]] = {block["element"]["action_id"]: answer}
        delivery = self.stack.driver.view_submission(self.user, view, values)
        body = delivery.body if isinstance(delivery.body, dict) else {}
        if body.get("response_action") == "errors":
            for block_id, error in body["errors"].items():
                self.say(f"  ! {block_id}: {error}")
            if tries <= 1:
                self.say("(modal closed)")
                return
            self.say("(The modal is still open; fill it in again.)")
            self.fill(view, tries - 1)
            return
        self.show_new()

    def field(self, block: dict) -> dict | None:
        element = block["element"]
        label = block["label"]["text"]
        kind = element["type"]
        if kind == "users_select":
            initial = element.get("initial_user")
            shown = f" [{self.stack.slack.users[initial].name}]" if initial else ""
            answer = self.ask(f"  {label} (a name, like: fox){shown} > ")
            if answer == "cancel":
                return None
            found = self.stack.slack.user_by_name(answer) if answer else None
            return {"type": kind, "selected_user": found.id if found else initial}
        if kind == "multi_users_select":
            initial = [self.stack.slack.users[u].name for u in element.get("initial_users", [])]
            shown = f" [{' '.join(initial)}]" if initial else ""
            answer = self.ask(f"  {label} (names, like: dana fox){shown} > ")
            if answer == "cancel":
                return None
            names = answer.replace(",", " ").split() if answer else initial
            ids = [u.id for n in names if (u := self.stack.slack.user_by_name(n))]
            return {"type": kind, "selected_users": ids}
        if kind == "static_select":
            options = element["options"]
            listing = ", ".join(f"{i} {o['text']['text']}" for i, o in enumerate(options, 1))
            keep = "Enter keeps it" if element.get("initial_option") else "Enter for none"
            answer = self.ask(f"  {label}: {listing} (number; {keep}) > ")
            if answer == "cancel":
                return None
            picked = int(answer) if answer.isdigit() else 0
            chosen = options[picked - 1] if 0 < picked <= len(options) \
                else element.get("initial_option")
            return {"type": kind, "selected_option": chosen}
        if kind == "plain_text_input":
            initial = element.get("initial_value", "")
            if initial:
                self.say("    " + initial.replace("\n", "\n    "))
            answer = self.ask(f"  {label} (\\n for a new line) > ")
            if answer == "cancel":
                return None
            text = answer.replace("\\n", "\n") if answer else initial
            return {"type": kind, "value": text}
        if kind == "conversations_select":
            current = self.stack.slack.channels.get(element.get("initial_conversation")
                                                    or self.channel)
            default = current.name if current and not current.is_im else "general"
            answer = self.ask(f"  {label} (general, eng, random) [{default}] > ").lstrip("#")
            if answer == "cancel":
                return None
            name = answer or default
            channel = next((c.id for c in self.stack.slack.channels.values()
                            if c.name == name and not c.is_im), None)
            return {"type": kind, "selected_conversation": channel}
        if kind == "number_input":
            initial = element.get("initial_value", "")
            hint = (block.get("hint") or {}).get("text", "")
            answer = self.ask(f"  {label} ({hint}) [{initial}] > ")
            if answer == "cancel":
                return None
            return {"type": kind, "value": answer or initial}
        if kind == "radio_buttons":
            options = element["options"]
            listing = ", ".join(f"{i} {o['text']['text'].split(' ', 1)[-1]}"
                                for i, o in enumerate(options, 1))
            initial = element.get("initial_option")
            current = options.index(initial) + 1 if initial in options else 1
            answer = self.ask(f"  {label}: {listing} [{current}] > ")
            if answer == "cancel":
                return None
            picked = int(answer) if answer.isdigit() and 0 < int(answer) <= len(options) \
                else current
            return {"type": kind, "selected_option": options[picked - 1]}
        if kind == "checkboxes":
            answer = self.ask(f"  {element['options'][0]['text']['text']}? (y/N) > ")
            if answer == "cancel":
                return None
            chosen = element["options"][:1] if answer.lower().startswith("y") else []
            return {"type": kind, "selected_options": chosen}
        return {"type": kind}

    def settle(self, quiet: float = 0.3) -> None:
        """Wait until nothing new has been posted for `quiet` seconds (lazy replies)."""
        slack = self.stack.slack
        while True:
            count = len(slack.posted)
            try:
                slack.wait_for(lambda seen=count: len(slack.posted) != seen, timeout=quiet)
            except TimeoutError:
                return

    @property
    def name(self) -> str:
        return self.stack.slack.users[self.user].name

    def names(self) -> str:
        return ", ".join(u.name for u in self.stack.slack.users.values() if not u.is_bot)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)
