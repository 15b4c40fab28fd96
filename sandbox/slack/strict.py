"""What real Slack refuses: every message and view the sandbox receives is checked here.

slack_sdk's Block Kit models (`Block.parse(...).to_dict()`, `View(...).to_dict()`)
check most of Slack's limits; a walk over the JSON adds what they miss (the length of
every text object, context elements, message text). The limits and their sources are
in bot/slack/limits.py. Each problem reads like Slack's own: a reason and a JSON
pointer.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack import limits as limit

TEXT_TYPES = ("plain_text", "mrkdwn")

# slack_sdk warns about each unknown attribute; the sandbox reports problems itself.
logging.getLogger("slack_sdk.models").setLevel(logging.ERROR)


def message_problems(args: dict[str, Any]) -> list[str]:
    """Problems with a chat.* or response_url payload's blocks (empty when Slack takes it)."""
    blocks = args.get("blocks")
    if blocks is None:
        return []
    problems = blocks_problems(blocks, "/blocks", limit.MESSAGE_BLOCKS)
    return problems


def text_too_long(args: dict[str, Any]) -> bool:
    return len(args.get("text") or "") > limit.MESSAGE_TEXT


def view_problems(view: dict[str, Any]) -> list[str]:
    problems = []
    kind = view.get("type")
    if kind not in ("modal", "home"):
        problems.append("must be one of modal, home [json-pointer:/view/type]")
    if kind == "modal":
        if not (view.get("title") or {}).get("text"):
            problems.append("missing required field: title [json-pointer:/view/title]")
        for part in ("title", "submit", "close"):
            text = (view.get(part) or {}).get("text") or ""
            if len(text) > limit.VIEW_TITLE:
                problems.append(f"must be less than {limit.VIEW_TITLE + 1} characters "
                                f"[json-pointer:/view/{part}/text]")
    if len(view.get("private_metadata") or "") > limit.PRIVATE_METADATA:
        problems.append(f"must be less than {limit.PRIVATE_METADATA + 1} characters "
                        "[json-pointer:/view/private_metadata]")
    if len(view.get("callback_id") or "") > limit.CALLBACK_ID:
        problems.append(f"must be less than {limit.CALLBACK_ID + 1} characters "
                        "[json-pointer:/view/callback_id]")
    problems += blocks_problems(view.get("blocks") or [], "/view/blocks", limit.VIEW_BLOCKS)
    if not problems:
        try:
            View(**{k: v for k, v in view.items() if k != "blocks"},
                 blocks=view.get("blocks") or []).to_dict()
        except (SlackObjectFormationError, TypeError, ValueError) as exc:
            problems.append(f"{exc} [json-pointer:/view]")
    return problems


def blocks_problems(blocks: Any, pointer: str, most: int) -> list[str]:
    if not isinstance(blocks, list) or any(not isinstance(b, dict) for b in blocks):
        return [f"must be an array of blocks [json-pointer:{pointer}]"]
    problems = []
    if len(blocks) > most:
        problems.append(f"no more than {most} items allowed [json-pointer:{pointer}]")
    for index, block in enumerate(blocks):
        here = f"{pointer}/{index}"
        found = _walk(block, here)
        if not found:
            found = _model_problems(block, here)
        problems += found
    return problems


def _model_problems(block: dict[str, Any], pointer: str) -> list[str]:
    try:
        parsed = Block.parse(block)
        if parsed is None:
            return [f"unsupported type: {block.get('type')!r} [json-pointer:{pointer}/type]"]
        parsed.to_dict()  # validates the block and everything inside it
    except (SlackObjectFormationError, TypeError, ValueError, KeyError) as exc:
        return [f"{exc} [json-pointer:{pointer}]"]
    return []


def _walk(node: Any, pointer: str) -> list[str]:
    """Length checks slack_sdk does not make (every text object, context elements)."""
    problems: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += _walk(item, f"{pointer}/{index}")
        return problems
    if not isinstance(node, dict):
        return problems
    kind = node.get("type")
    if kind in TEXT_TYPES and "text" in node:
        text = node.get("text")
        if not isinstance(text, str) or not text:
            problems.append(f"must be more than 0 characters [json-pointer:{pointer}/text]")
        elif len(text) > limit.TEXT:
            problems.append(f"must be less than {limit.TEXT + 1} characters "
                            f"[json-pointer:{pointer}/text]")
    if kind == "context" and len(node.get("elements") or []) > limit.CONTEXT_ELEMENTS:
        problems.append(f"no more than {limit.CONTEXT_ELEMENTS} items allowed "
                        f"[json-pointer:{pointer}/elements]")
    for key, value in node.items():
        if isinstance(value, dict | list):
            problems += _walk(value, f"{pointer}/{key}")
    return problems
