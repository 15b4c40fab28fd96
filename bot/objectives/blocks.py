"""What objectives look like in Slack: the list, and the check-in modal's views."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.geese.models import Objective
from bot.i18n import N_, _, format_percent, ngettext
from bot.objectives import values as v
from bot.slack import limits as limit
from bot.slack.blocks import (
    Reply,
    button,
    clip,
    context,
    date,
    fit_lines,
    plain,
    section,
    shown,
    text_size,
)

CHECKIN_BUTTON = "objective_checkin"
# On the `/geese objectives` list alone: checking in refreshes that list in place (its
# response_url). From anywhere else (a nudge, a notification, Home) the message stays.
CHECKIN_FROM_LIST = "objective_checkin_list"
PICK = "checkin_pick"
MODAL_ID = "checkin_modal"
STATUS_BLOCK = "status"
MESSAGE_BLOCK = "message"
NAME = 200  # an objective's name, as shown
KR_NAME = 150  # a key result's name, as shown in a list
STATUS = {1: N_(":large_green_circle: On track"), 2: N_(":red_circle: Off track"),
          None: N_(":white_circle: No status")}


def _date(moment) -> str:
    return date(int(moment.timestamp()))


def summary(objective: Objective) -> str:
    due = _("Due {day}").format(day=_date(objective.due)) if objective.due else \
        _("No due date")
    last = (_("last check-in {day}").format(day=_date(objective.last_checkin))
            if objective.last_checkin else _("no check-in yet"))
    return f"{v.bar(objective.progress)}   {_(STATUS.get(objective.status, STATUS[None]))}\n" \
           f"{due} · {last}"


def key_result_lines(objective: Objective) -> str:
    """Every key result against its target, within one text object; past that, a count."""
    lines = [f"• {shown(kr.name, KR_NAME)}: "
             f"{v.against_target(kr.measurement_type, kr.current, kr.target)}"
             for kr in objective.key_results]
    if not lines:
        return _("_No key results_")
    text, _count = fit_lines(lines, more=lambda n: ngettext(
        "_and {n} more key result in 7Geese_", "_and {n} more key results in 7Geese_", n)
        .format(n=n))
    return text


def title(objective: Objective) -> str:
    """The objective's name, linked to it in 7Geese when 7Geese gave its page."""
    name = shown(objective.name, NAME) or "(untitled)"
    return f"<{objective.web_url}|{name}>" if objective.web_url else name


def objective_blocks(objectives: Sequence[Objective], total: int, *, budget: int,
                     web_url: str | None, checkin: str = CHECKIN_BUTTON) -> list[dict[str, Any]]:
    """Two blocks per objective (its summary with *Check in*, its key results) within
    `budget` blocks and the text a message may hold (the caller's own lines aside); the
    rest are counted, with a link to 7Geese."""
    blocks: list[dict[str, Any]] = []
    shown_count = used = 0
    for objective in objectives:
        pair = [{**section(f"*{title(objective)}*\n{summary(objective)}"),
                 "accessory": button(_("Check in"), checkin, str(objective.pk))},
                context(key_result_lines(objective))]
        size = text_size(pair)
        # Two for it, one for "and N more"; 1,000 characters left for the caller's lines.
        if len(blocks) + 3 > budget or used + size > limit.MESSAGE_BLOCKS_TEXT - 1000:
            break
        blocks += pair
        used += size
        shown_count += 1
    if total > shown_count:
        more = _("and {n} more in 7Geese").format(n=total - shown_count)
        blocks.append(context(f"<{web_url}|{more}>" if web_url else more))
    return blocks


def objective_list(objectives: Sequence[Objective], total: int, *,
                   web_url: str | None = None) -> Reply:
    if not objectives:
        return Reply(_("You have no open objectives in 7Geese."), [
            section(_("You have no open objectives in 7Geese. When you add one there, it "
                    "shows up here with a *Check in* button."))])
    return Reply(_("Your open objectives ({total})").format(total=total), [
        section(_("*Your open objectives ({total})*").format(total=total)),
        *objective_blocks(objectives, total, budget=limit.MESSAGE_BLOCKS - 1,
                          web_url=web_url, checkin=CHECKIN_FROM_LIST)])


# -- the check-in modal ------------------------------------------------------------

def _modal(title: str, blocks: list[dict[str, Any]], *, submit: str | None = None,
           metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": MODAL_ID,
        "title": plain(title, limit.VIEW_TITLE),
        "close": plain(_("Close") if submit is None else _("Cancel"), limit.VIEW_TITLE),
        "blocks": blocks,
        "private_metadata": json.dumps(dict(metadata or {}), separators=(",", ":"),
                                       ensure_ascii=False),
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    return view


def loading(text: str | None = None) -> dict[str, Any]:
    text = text or _("Loading your objectives from 7Geese...")
    return _modal(_("Check in"), [section(f":hourglass_flowing_sand: {text}")])


def message_view(text: str) -> dict[str, Any]:
    return _modal(_("Check in"), [section(text)])


def picker(objectives: Sequence[Objective], metadata: Mapping[str, Any]) -> dict[str, Any]:
    options = [{"text": plain(o.name or "(untitled)", limit.OPTION_TEXT), "value": str(o.pk)}
               for o in objectives[:limit.OPTIONS]]
    return _modal(_("Check in"), [
        section(_("Which objective would you like to check in on?")),
        {"type": "actions", "block_id": "pick", "elements": [
            {"type": "static_select", "action_id": PICK, "options": options,
             "placeholder": plain(_("Pick an objective"), limit.PLACEHOLDER)}]},
    ], metadata=metadata)


def form(objective: Objective, metadata: Mapping[str, Any], *,
         typed: Mapping[str, str] | None = None, status: int | None = -1,
         message: str = "", problem: str | None = None) -> dict[str, Any]:
    """The check-in form; `typed` re-fills what the person entered (after a refusal)."""
    typed = typed or {}
    meta = {**metadata, "objective": objective.pk, "name": clip(objective.name, NAME)}
    krs = _form_key_results(objective, meta)
    blocks: list[dict[str, Any]] = []
    if problem:
        blocks.append({**section(f":warning: {problem}"), "block_id": "problem"})
    blocks.append(section(f"*{shown(objective.name, NAME)}*\n{v.bar(objective.progress)}"))
    for kr in krs:
        block_id = f"kr-{kr.pk}"
        label = plain(kr.name or _("Key result"), limit.INPUT_LABEL)
        if kr.measurement_type == v.DONE:
            done = typed.get(block_id, "1" if kr.current >= 1 else "0")
            options = [{"text": plain(_("Done"), limit.OPTION_TEXT), "value": "1"},
                       {"text": plain(_("Not done"), limit.OPTION_TEXT), "value": "0"}]
            element = {"type": "static_select", "action_id": "value", "options": options,
                       "initial_option": options[0] if done == "1" else options[1]}
        else:
            element = {"type": "number_input", "action_id": "value",
                       "is_decimal_allowed": True,
                       "initial_value": typed.get(block_id, v.exact(kr.current))}
        blocks.append({"type": "input", "block_id": block_id, "label": label,
                       "element": element,
                       "hint": {"type": "plain_text", "text":
                                _("Target {target} ({unit})").format(
                                    target=v.show(kr.measurement_type, kr.target),
                                    unit=v.unit_hint(kr.measurement_type))}})
    chosen = objective.status if status == -1 else status
    options = [{"text": {"type": "mrkdwn", "text": _(STATUS[key])}, "value": str(key or 0)}
               for key in (1, 2, None)]
    initial = next(o for o in options if o["value"] == str(chosen or 0))
    blocks.append({"type": "input", "block_id": STATUS_BLOCK,
                   "label": {"type": "plain_text", "text": _("How is it going?")},
                   "element": {"type": "radio_buttons", "action_id": "value",
                               "options": options, "initial_option": initial}})
    text_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "value",
                                  "multiline": True, "max_length": 3000}
    if message:
        text_input["initial_value"] = message
    blocks.append({"type": "input", "block_id": MESSAGE_BLOCK, "optional": True,
                   "label": {"type": "plain_text", "text": _("Anything to add?")},
                   "element": text_input})
    if len(objective.key_results) > len(krs):
        blocks.append(context(_("This form has the first {krs} key results; check in on the "
                                "rest in 7Geese.").format(
                                krs=len(krs))))
    return _modal(_("Check in"), blocks, submit=_("Check in"), metadata=meta)


def _form_key_results(objective: Objective, meta: dict[str, Any]) -> list[Any]:
    """The key results the form shows, each noted in `meta["krs"]` as [its measurement
    type, its value as 7Geese has it] (a check-in sends only what the person changed),
    as many as the blocks and the 3,000 characters of private_metadata hold."""
    meta["krs"] = {}
    shown_krs = []
    for kr in objective.key_results[:FORM_KEY_RESULTS]:
        entry = [kr.measurement_type, v.exact(kr.current)]
        meta["krs"][str(kr.pk)] = entry
        if len(json.dumps(meta, separators=(",", ":"), ensure_ascii=False)) \
                > limit.PRIVATE_METADATA:
            del meta["krs"][str(kr.pk)]
            break
        shown_krs.append(kr)
    return shown_krs


# A modal holds 100 blocks: the heading, the status, the note, a problem and a footnote
# leave room for this many key results, one input each.
FORM_KEY_RESULTS = 90


def refilled(view: dict[str, Any], typed: Mapping[str, str], status: int | None,
             message: str, problem: str) -> dict[str, Any]:
    """The submitted form again, as the person filled it, with why it was not saved.
    Built from the view itself, so it works while 7Geese cannot be reached."""
    blocks = [b for b in view.get("blocks", []) if b.get("block_id") != "problem"]
    out: list[dict[str, Any]] = [{**section(f":warning: {problem}"), "block_id": "problem"}]
    for block in blocks:
        block = json.loads(json.dumps(block))  # a copy
        element = block.get("element") or {}
        block_id = block.get("block_id", "")
        if block_id in typed and element.get("type") == "number_input":
            element["initial_value"] = typed[block_id]
        elif block_id in typed and element.get("type") == "static_select":
            chosen = [o for o in element.get("options", []) if o["value"] == typed[block_id]]
            if chosen:
                element["initial_option"] = chosen[0]
        elif block_id == STATUS_BLOCK:
            chosen = [o for o in element.get("options", []) if o["value"] == str(status or 0)]
            if chosen:
                element["initial_option"] = chosen[0]
        elif block_id == MESSAGE_BLOCK:
            if message:
                element["initial_value"] = message
            else:
                element.pop("initial_value", None)
        out.append(block)
    keep = ("type", "callback_id", "title", "submit", "close", "private_metadata")
    return {**{k: view[k] for k in keep if k in view}, "blocks": out}


def saving(objective_name: str) -> dict[str, Any]:
    return _modal(_("Check in"), [section(_(":hourglass_flowing_sand: Checking in on "
                                         "*{objective_name}*...").format(
                                         objective_name=shown(objective_name, NAME)))])


def checked_in_reply(before: Objective, after: Objective) -> Reply:
    lines = [_(":white_check_mark: Checked in on *{after}*.").format(after=title(after)),
             _("Progress {before} → {after}").format(
                 before=format_percent(round(before.progress) / 100),
                 after=format_percent(round(after.progress) / 100))
             + "   " + _(STATUS.get(after.status, STATUS[None]))]
    return Reply(_("Checked in on {name}").format(name=shown(after.name, NAME)),
                 [section("\n".join(lines)), context(key_result_lines(after))])


def checked_in(before: Objective, after: Objective) -> dict[str, Any]:
    return _modal(_("Check in"), checked_in_reply(before, after).blocks)
