"""Key-result values: how each measurement type reads, and what a check-in may send.

7Geese measurement types: 1 percent, 2 dollars, 3 number, 4 euros, 5 yen, 6 pounds,
7 complete/incomplete (0 or 1), 8-21 other currencies.
"""

from __future__ import annotations

import math
from decimal import Decimal

from bot.i18n import _, current, format_number, format_percent, read_number

PERCENT, NUMBER, DONE = 1, 3, 7
# symbol, and whether it goes after the number
CURRENCIES: dict[int, tuple[str, bool]] = {
    2: ("$", False), 4: ("€", False), 5: ("¥", False), 6: ("£", False),
    8: ("R$", False), 9: ("CN¥", False), 10: ("kr", True), 11: ("₹", False),
    12: ("kr", True), 13: ("₱", False), 14: ("MX$", False), 15: ("₺", False),
    16: ("R", False), 17: ("din", True), 18: ("₪", False), 19: ("Rp", False),
    20: ("COL$", False), 21: ("zł", True),
}


def number(value: float) -> str:
    """Grouped, at most two decimals, as the current language writes it."""
    return format_number(value, "#,##0.##")


def exact(value: float) -> str:
    """The value as typed into a form: every digit 7Geese has (33.333 stays 33.333, where
    `number` shows 33.33), never an exponent (Slack's number input takes plain digits)."""
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def show(measurement_type: int, value: float) -> str:
    if measurement_type == DONE:
        return _("done") if value >= 1 else _("not done")
    if measurement_type == PERCENT:
        return format_percent(round(value, 2) / 100, exact=True)
    if measurement_type in CURRENCIES:
        symbol, after = CURRENCIES[measurement_type]
        # French writes every amount with its symbol after: 10 500 $
        after = after or current() == "fr"
        return f"{number(value)} {symbol}" if after else f"{symbol}{number(value)}"
    return number(value)


def against_target(measurement_type: int, current: float, target: float) -> str:
    if measurement_type == DONE:
        return show(DONE, current)
    return f"{show(measurement_type, current)} / {show(measurement_type, target)}"


def bar(percent: float, width: int = 10) -> str:
    percent = max(0.0, min(100.0, percent))
    filled = round(percent / 100 * width)
    return "▰" * filled + "▱" * (width - filled) + " " + format_percent(round(percent) / 100)


def unit_hint(measurement_type: int) -> str:
    if measurement_type == PERCENT:
        return _("percent")
    if measurement_type in CURRENCIES:
        return CURRENCIES[measurement_type][0]
    return _("number")


def parse_value(measurement_type: int, raw: str | None) -> tuple[float | None, str | None]:
    """(value, None) or (None, what is wrong) for a value typed in the check-in form."""
    text = (raw or "").strip()
    if measurement_type == DONE:
        if text.lower() in ("1", "done", "true", _("done")):
            return 1.0, None
        if text.lower() in ("0", "not done", "false", _("not done")):
            return 0.0, None
        return None, _("Choose done or not done.")
    for sign in ("%", "$", "€", "£", "¥"):
        text = text.replace(sign, "")
    try:
        value = read_number(text)
    except ValueError:
        return None, _("Enter a number, like 42 or 12.5.")
    if not math.isfinite(value):
        return None, _("Enter a number, like 42 or 12.5.")
    if value < 0 and measurement_type != NUMBER:
        return None, _("This value can't be negative.")
    if abs(value) >= 1e15:
        return None, _("That number is too large.")
    return value, None
