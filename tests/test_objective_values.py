"""Key-result values: every measurement type reads right and validates. Pure."""

from __future__ import annotations

import pytest

from bot.objectives import values as v


@pytest.mark.parametrize(("kind", "value", "shown"), [
    (1, 42, "42%"), (1, 12.5, "12.5%"), (2, 10500, "$10,500"), (3, 14, "14"),
    (3, -3, "-3"), (4, 12000, "€12,000"), (5, 250000, "¥250,000"), (6, 4000.5, "£4,000.5"),
    (7, 1, "done"), (7, 0, "not done"), (8, 10, "R$10"), (10, 99, "99 kr"),
    (11, 5, "₹5"), (18, 7, "₪7"), (21, 1200, "1,200 zł"), (99, 3, "3"),
])
def test_every_measurement_type_reads_in_its_unit(kind, value, shown):
    assert v.show(kind, value) == shown


def test_against_target_and_bar():
    assert v.against_target(2, 10500, 8000) == "$10,500 / $8,000"
    assert v.against_target(7, 0, 1) == "not done"
    assert v.bar(32.5) == "▰▰▰▱▱▱▱▱▱▱ 32%"
    assert v.bar(150) == "▰▰▰▰▰▰▰▰▰▰ 100%" and v.bar(-5) == "▱▱▱▱▱▱▱▱▱▱ 0%"


@pytest.mark.parametrize(("kind", "raw", "value", "problem"), [
    (1, "42", 42.0, None), (1, "42%", 42.0, None), (2, "$1,250.50", 1250.5, None),
    (3, "-4", -4.0, None), (1, "-4", None, "can't be negative"), (2, "lots", None, "number"),
    (3, "nan", None, "number"), (3, "inf", None, "number"), (3, "1e20", None, "too large"),
    (7, "1", 1.0, None), (7, "0", 0.0, None), (7, "0.5", None, "done or not done"),
    (7, None, None, "done or not done"), (1, "", None, "number"),
])
def test_typed_values_are_validated_by_type(kind, raw, value, problem):
    parsed, says = v.parse_value(kind, raw)
    assert parsed == value
    assert (says is None) if problem is None else (problem in says)
