"""Reading the check-in form: typed values validated by measurement type. Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.objectives import values as v
from bot.objectives.blocks import MESSAGE_BLOCK, STATUS_BLOCK


@dataclass(frozen=True)
class CheckinForm:
    objective_pk: int
    name: str
    values: dict[int, float]
    status: int | None
    message: str
    typed: dict[str, str]  # block_id -> what was entered, to put back after a refusal
    errors: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _unchanged(value: float, was: str | None) -> bool:
    """The value 7Geese had when the form opened (a form from before `was` existed sends
    every value, as it always did)."""
    if was is None:
        return False
    try:
        return float(was) == value
    except ValueError:
        return False


def read_form(view: dict[str, Any]) -> CheckinForm:
    metadata = metadata_of(view)
    # pk -> [measurement type, value as 7Geese had it] (a form from before this change:
    # pk -> measurement type, and every value is sent, as it always was)
    noted: dict[str, Any] = metadata.get("krs") or {}
    kinds = {pk: k[0] if isinstance(k, list) else k for pk, k in noted.items()}
    was = {pk: k[1] for pk, k in noted.items() if isinstance(k, list) and len(k) > 1}
    state = (view.get("state") or {}).get("values") or {}
    values: dict[int, float] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for pk, kind in kinds.items():
        block_id = f"kr-{pk}"
        answer = (state.get(block_id) or {}).get("value") or {}
        raw = answer.get("value")
        if raw is None and answer.get("selected_option"):
            raw = answer["selected_option"].get("value")
        typed[block_id] = raw or ""
        value, problem = v.parse_value(int(kind), raw)
        if problem:
            errors[block_id] = problem
        elif not _unchanged(value, was.get(str(pk))):
            values[int(pk)] = value  # only what the person changed goes to 7Geese
    picked = ((state.get(STATUS_BLOCK) or {}).get("value") or {}).get("selected_option") or {}
    status = {"1": 1, "2": 2}.get(picked.get("value") or "0")
    message = (((state.get(MESSAGE_BLOCK) or {}).get("value") or {}).get("value") or "").strip()
    return CheckinForm(int(metadata.get("objective") or 0), metadata.get("name") or "",
                       values, status, message, typed, errors, metadata)
