"""What real Slack refuses: every message and view the sandbox receives is checked here.

The rules are data in bot/slack/rules.py (every block, element and composition object
with its fields, types, limits and places, and the rules that span a surface, each with
its source); this module walks a payload against them. Each problem reads like Slack's
own (`invalid additional property: emoji [json-pointer:/blocks/0/text]`) and names the
rule it broke (`Problem.rule`), so a test can say which rule refused it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.slack import limits as limit
from bot.slack import rules
from bot.slack.blocks import slack_len, text_size
from bot.slack.rules import HOME, MESSAGE, MODAL, SCHEMAS, Field

TEXT_TYPES = ("plain_text", "mrkdwn")
RICH_ELEMENTS = ("rich_text_section", "rich_text_list", "rich_text_preformatted",
                 "rich_text_quote")
PARENTS = {"accessory": rules.ACCESSORY, "elements:actions": rules.IN_ACTIONS,
           "element": rules.IN_INPUT, "elements:context": rules.IN_CONTEXT}


class Problem(str):
    """One refusal, as Slack words it; `rule` is the key of the rule in bot/slack/rules.py."""

    rule: str
    pointer: str
    message: str

    def __new__(cls, rule: str, message: str, pointer: str) -> Problem:
        made = super().__new__(cls, f"{message} [json-pointer:{pointer}]")
        made.rule, made.pointer, made.message = rule, pointer, message
        return made

    def as_error(self) -> dict[str, Any]:
        """The shape of one entry of blocks.validate's `errors`."""
        return {"code": "failed_constraint", "message": self.message, "pointer": self.pointer,
                "rule": self.rule}


# -- the entry points ------------------------------------------------------------------------

def message_problems(args: dict[str, Any]) -> list[Problem]:
    """Problems with a chat.* or response_url payload's blocks (empty when Slack takes it)."""
    blocks = args.get("blocks")
    if blocks is None:
        return []
    walk = Walk(MESSAGE)
    walk.blocks(blocks, "/blocks", limit.MESSAGE_BLOCKS, least=0)
    return walk.problems


def text_too_long(args: dict[str, Any], most: int = limit.MESSAGE_TEXT) -> bool:
    return slack_len(args.get("text") or "") > most


def blocks_text_too_long(args: dict[str, Any]) -> bool:
    """msg_blocks_too_long: too much text summed over a message's blocks (chat.* only)."""
    # Counted as the builders count it (bot/slack/blocks.py text_size): every text object.
    return text_size(args.get("blocks") or []) > rules.MESSAGE_BLOCKS_TEXT


def view_problems(view: Any) -> list[Problem]:
    if not isinstance(view, dict):
        return [Problem("json-type", "must be an object", "/view")]
    kind = view.get("type")
    if kind not in (MODAL, HOME):
        return [Problem("type", "must be one of modal, home", "/view/type")]
    walk = Walk(kind)
    walk.object(view, kind, "/view")
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    if kind == MODAL and "submit" not in view and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks):
        index = next(i for i, b in enumerate(blocks)
                     if isinstance(b, dict) and b.get("type") == "input")
        walk.add("submit-with-input", "must define submit to use input block",
                 f"/view/blocks/{index}")
    if walk.focused > 1:
        walk.add("one-focus", "only one element may set focus_on_load", "/view")
    if len(json.dumps(view).encode()) > rules.VIEW_BYTES:
        walk.add("view-size", "view_too_large", "/view")
    return walk.problems


# -- the walk --------------------------------------------------------------------------------

class Walk:
    def __init__(self, surface: str):
        self.surface = surface
        self.problems: list[Problem] = []
        self.block_ids: set[str] = set()
        self.focused = 0
        self.markdown = 0

    def add(self, rule: str, message: str, pointer: str) -> None:
        self.problems.append(Problem(rule, message, pointer))

    def blocks(self, blocks: Any, pointer: str, most: int, *, least: int = 1) -> None:
        if not isinstance(blocks, list):
            self.add("json-type", "must be an array", pointer)
            return
        if len(blocks) > most:
            self.add("block-count", f"no more than {most} items allowed", pointer)
        if len(blocks) < least:
            self.add("block-count", f"must provide at least {least} item", pointer)
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")
        if self.markdown > 12_000:
            self.add("markdown-total", "markdown blocks exceed 12000 characters in total",
                     pointer)

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.add("json-type", "must be an object", pointer)
            return
        kind = block.get("type")
        if kind not in rules.BLOCK_SURFACES:
            self.add("type" if kind != "file" else "surface",
                     f"unsupported type: {kind}", f"{pointer}/type")
            return
        if self.surface not in rules.BLOCK_SURFACES[kind]:
            self.add("surface", f"{kind} blocks are not allowed in a {self.surface}",
                     f"{pointer}/type")
        self.object(block, "image_block" if kind == "image" else kind, pointer)
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in self.block_ids:
                self.add("block-id-unique", "Block ID needs to be unique",
                         f"{pointer}/block_id")
            self.block_ids.add(block_id)
        if kind == "section" and "text" not in block and "fields" not in block:
            self.add("section-content", "must provide text or fields", pointer)
        if kind == "actions" and isinstance(block.get("elements"), list):
            seen: set[str] = set()
            for index, element in enumerate(block["elements"]):
                action_id = element.get("action_id") if isinstance(element, dict) else None
                if isinstance(action_id, str):
                    if action_id in seen:
                        self.add("action-id-unique",
                                 f"action_id {action_id!r} is already used in this block",
                                 f"{pointer}/elements/{index}/action_id")
                    seen.add(action_id)
        if kind == "markdown" and isinstance(block.get("text"), str):
            self.markdown += slack_len(block["text"])
        if kind == "input" and block.get("dispatch_action") is True and isinstance(
                block.get("element"), dict) and block["element"].get("type") == "file_input":
            self.add("no-dispatch-file", "unsupported type: file_input with dispatch_action",
                     f"{pointer}/element")
        if kind == "image":
            self.one_source(block, pointer)

    def object(self, node: Any, schema: str, pointer: str) -> None:
        """A closed object: only its fields, each of the right shape and size."""
        if not isinstance(node, dict):
            self.add("json-type", "must be an object", pointer)
            return
        fields = SCHEMAS[schema]
        typed = schema not in rules.UNTYPED
        for name in node:
            if name not in fields and not (typed and name == "type"):
                self.add("closed", f"invalid additional property: {name}", pointer)
        for name, field in fields.items():
            if name in node:
                self.value(node[name], field, f"{pointer}/{name}", name)
            elif field.required:
                self.add("required", f"missing required field: {name}", pointer)

    def value(self, value: Any, field: Field, pointer: str, name: str) -> None:
        kind = field.kind
        if kind in ("str", "enum", "date", "time", "number"):
            if not isinstance(value, str):
                self.add("json-type", "must be a string", pointer)
            elif kind == "enum" and value not in field.values:
                self.add("enum", f"must be a valid enum value {list(field.values)}", pointer)
            elif kind == "date" and not _is_date(value):
                self.add("format", "must be a date in YYYY-MM-DD format", pointer)
            elif kind == "time" and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
                self.add("format", "must be a time in HH:mm format", pointer)
            elif kind == "number" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
                self.add("format", "must be a number", pointer)
            else:
                self.bounds(slack_len(value), field, pointer, "characters")
        elif kind == "bool":
            if not isinstance(value, bool):
                self.add("json-type", "must be a boolean", pointer)
            elif name == "focus_on_load" and value:
                self.focused += 1
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                self.add("json-type", "must be an integer", pointer)
            else:
                self.bounds(value, field, pointer, "")
        elif kind in ("text", "plain"):
            self.text(value, pointer, field.most, plain=kind == "plain")
        elif kind == "texts":
            if self.array(value, field, pointer):
                for index, item in enumerate(value):
                    self.text(item, f"{pointer}/{index}", limit.SECTION_FIELD)
        elif kind == "element":
            self.element(value, pointer, field.values)
        elif kind == "elements":
            if self.array(value, field, pointer):
                for index, item in enumerate(value):
                    here = f"{pointer}/{index}"
                    if isinstance(item, dict) and item.get("type") in TEXT_TYPES \
                            and item["type"] in field.values:
                        self.text(item, here, limit.TEXT)
                    else:
                        self.element(item, here, field.values)
        elif kind in ("options", "choices", "overflow_options", "option_groups", "strs"):
            if self.array(value, field, pointer):
                item_schema = {"options": "option", "choices": "choice",
                               "overflow_options": "overflow_option",
                               "option_groups": "option_group"}.get(kind)
                for index, item in enumerate(value):
                    here = f"{pointer}/{index}"
                    if item_schema:
                        self.object(item, item_schema, here)
                    elif not isinstance(item, str) or not item:
                        self.add("json-type", "must be a non-empty string", here)
                    elif field.values and item not in field.values:
                        self.add("enum", f"must be a valid enum value {list(field.values)}",
                                 here)
        elif kind in ("option", "choice", "confirm", "filter", "dispatch", "slack_file"):
            self.object(value, kind, pointer)
            if kind == "slack_file" and isinstance(value, dict) and \
                    ("url" in value) == ("id" in value):
                self.add("one-image-source", "provide exactly one of url and id", pointer)
            if kind == "filter" and isinstance(value, dict) and not value:
                self.add("required", "must provide at least one field", pointer)
        elif kind == "rich_text":
            if not isinstance(value, dict) or value.get("type") != "rich_text":
                self.add("json-type", "must be a rich_text block", pointer)
            else:
                self.object(value, "rich_text", pointer)
        elif kind == "rich_elements":
            if self.array(value, field, pointer):
                for index, item in enumerate(value):
                    if not isinstance(item, dict) or item.get("type") not in RICH_ELEMENTS:
                        self.add("type", "unsupported type", f"{pointer}/{index}/type")
        elif kind == "blocks":
            self.blocks(value, pointer, field.most or limit.VIEW_BLOCKS, least=field.least or 0)
        else:  # pragma: no cover - a kind the table names and the walk does not know
            raise AssertionError(f"unknown field kind {kind}")

    def array(self, value: Any, field: Field, pointer: str) -> bool:
        if not isinstance(value, list):
            self.add("json-type", "must be an array", pointer)
            return False
        self.bounds(len(value), field, pointer, "items")
        return True

    def bounds(self, size: int, field: Field, pointer: str, unit: str) -> None:
        """`unit`: characters (a string), items (an array) or "" (an integer)."""
        if field.most is not None and size > field.most:
            self.add("length", {"characters": f"must be less than {field.most + 1} characters",
                                "items": f"no more than {field.most} items allowed"}.get(
                unit, f"must be at most {field.most}"), pointer)
        if field.least is not None and size < field.least:
            self.add("length", {"characters": f"must be more than {field.least - 1} characters",
                                "items": f"must provide at least {field.least} items"}.get(
                unit, f"must be at least {field.least}"), pointer)

    def text(self, node: Any, pointer: str, most: int | None, *, plain: bool = False) -> None:
        if not isinstance(node, dict):
            self.add("json-type", "must be a text object", pointer)
            return
        kind = node.get("type")
        if kind not in TEXT_TYPES or (plain and kind != "plain_text"):
            self.add("type", "must be a plain_text object" if plain else
                     "must be one of plain_text, mrkdwn", f"{pointer}/type")
            return
        self.object(node, kind, pointer)
        text = node.get("text")
        if isinstance(text, str) and most is not None and slack_len(text) > most:
            self.add("length", f"must be less than {most + 1} characters", f"{pointer}/text")

    def element(self, node: Any, pointer: str, allowed: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            self.add("json-type", "must be an object", pointer)
            return
        kind = node.get("type")
        if kind not in rules.ELEMENT_SURFACES:
            self.add("type", f"unsupported type: {kind}", f"{pointer}/type")
            return
        if kind not in allowed:
            self.add("placement", f"{kind} is not allowed here", f"{pointer}/type")
            return
        if self.surface not in rules.ELEMENT_SURFACES[kind]:
            self.add("surface", f"{kind} is not allowed in a {self.surface}", f"{pointer}/type")
        if kind not in SCHEMAS:
            return  # workflow_button: known, allowed only where the bot never sends it
        self.object(node, kind, pointer)
        self.element_rules(node, kind, pointer)

    def element_rules(self, node: dict[str, Any], kind: str, pointer: str) -> None:
        if kind in ("static_select", "multi_static_select") and \
                ("options" in node) == ("option_groups" in node):
            self.add("options-xor-groups", "provide exactly one of options and option_groups",
                     pointer)
        choices = node.get("options")
        if isinstance(node.get("option_groups"), list):
            choices = [o for g in node["option_groups"] if isinstance(g, dict)
                       for o in (g.get("options") or [])]
        for name in ("initial_option", "initial_options"):
            if name not in node or kind.endswith("external_select"):
                continue
            picked = node[name] if name == "initial_options" else [node[name]]
            if not isinstance(picked, list):
                continue
            if not picked or (isinstance(choices, list) and any(p not in choices
                                                                for p in picked)):
                self.add("initial-among-options", "must be one of the provided options",
                         f"{pointer}/{name}")
        bounds = _numbers(node, "min_value", "max_value") if kind == "number_input" else None
        if bounds and bounds[0] > bounds[1]:
            self.add("min-max", "min_value cannot be greater than max_value", pointer)
        if kind == "plain_text_input" and all(
                isinstance(node.get(k), int) for k in ("min_length", "max_length")) and \
                node["min_length"] > node["max_length"]:
            self.add("min-max", "min_length cannot be greater than max_length", pointer)
        if kind == "image":
            self.one_source(node, pointer)

    def one_source(self, node: dict[str, Any], pointer: str) -> None:
        if ("image_url" in node) == ("slack_file" in node):
            self.add("one-image-source", "provide exactly one of image_url and slack_file",
                     pointer)


def _is_date(text: str) -> bool:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    return bool(match) and 1 <= int(match[2]) <= 12 and 1 <= int(match[3]) <= 31


def _numbers(node: dict[str, Any], *names: str) -> tuple[float, ...] | None:
    try:
        return tuple(float(node[name]) for name in names)
    except (KeyError, TypeError, ValueError):
        return None
