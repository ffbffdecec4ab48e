"""Exact money in 万元: Decimal values, blank kept apart from zero."""
from __future__ import annotations

import re
from typing import NamedTuple
from decimal import Decimal, InvalidOperation

# A figure this large is no amount at all (and quantizing it to 0.01 would overflow the default
# 28-digit context at 1e26): it reads as Bad, whichever way it was typed.
_ABSURD = Decimal("1e20")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

def rounding_bound(terms: int, step: Decimal = CENT) -> Decimal:
    """How far a printed total may lie from the sum of its `terms` printed lines when every
    figure is rounded on its own to `step` (万元 to 0.01): half a step per term (60 lines: 0.30),
    and never less than one step (the 尾差 accountants know)."""
    return max(step, terms * step / 2)


# Thousands separators and a trailing unit are common in pasted figures; anything else is text.
_NUMERIC_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


class Bad(NamedTuple):
    """A cell that should hold an amount but holds text that is not a number."""

    text: str

    def __str__(self) -> str:
        return self.text


Amount = Decimal | Bad | None


def to_amount(raw: object) -> tuple[Amount, bool]:
    """Convert a raw cell value to an amount; the flag says it was a number stored as text.

    Floats go through their shortest repr so that 271.96 stays 271.96, not 271.96000000000004.
    """
    amount, as_text = _parse(raw)
    if isinstance(amount, Decimal) and not (amount.is_finite() and abs(amount) < _ABSURD):
        return Bad(str(raw)), False  # NaN, infinity, or digits pasted by mistake
    return amount, as_text


def _parse(raw: object) -> tuple[Amount, bool]:
    if raw is None or isinstance(raw, bool):
        return (None, False) if raw is None else (Bad(str(raw)), False)
    if isinstance(raw, int):
        return Decimal(raw), False
    if isinstance(raw, float):
        return Decimal(repr(raw)), False
    if isinstance(raw, Decimal):
        return raw, False
    text = str(raw).strip().replace("\u3000", "")
    if not text:
        return None, False
    if _NUMERIC_TEXT.match(text) and any(ch.isdigit() for ch in text):
        try:
            return Decimal(text.replace(",", "")), True
        except InvalidOperation:
            pass
    return Bad(text), False


def total(values) -> Decimal:
    """Sum amounts, blanks counting as nothing. Bad values must be rejected before calling."""
    result = ZERO
    for value in values:
        if isinstance(value, Decimal):
            result += value
    return result


def fmt(value: Amount) -> str:
    """Show an amount the way the published tables do (two decimals), blank as 空."""
    if value is None:
        return "空"
    if isinstance(value, Bad):
        return f"“{value.text}”"
    if value == value.quantize(CENT):
        return f"{value.quantize(CENT):,.2f}"
    return f"{value:,}"

