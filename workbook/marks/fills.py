"""Fills as plain text, so a plan can carry a user's original fill and put it back exactly.

A fill is "none", six hex digits for a solid colour, or the fill's own SpreadsheetML
(`<fill><patternFill patternType="solid"><fgColor theme="4" tint="0.59…"/>…`), which covers theme,
indexed and rgb colours, tints, pattern and gradient fills exactly and still reads as words.
"""
from __future__ import annotations

import re
from copy import copy

from openpyxl.styles import PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.xml.functions import fromstring, tostring

from ..plan import NO_FILL

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def dump(fill) -> str:
    """The text of an openpyxl fill (cell.fill)."""
    fill = copy(fill)  # cell.fill is a read-only proxy
    if fill == PatternFill():
        return NO_FILL
    return tostring(fill.to_tree()).decode("utf-8")


def load(text: str):
    """The openpyxl fill a text stands for; a damaged text gives no fill (a damaged record must
    not stop the others from being restored)."""
    if not text or text == NO_FILL:
        return PatternFill()
    if _HEX.match(text):
        return PatternFill("solid", start_color=text.upper(), end_color=text.upper())
    try:
        return Fill.from_tree(fromstring(text.encode("utf-8"))) or PatternFill()
    except Exception:
        return PatternFill()


def solid_colour(text: str) -> str | None:
    """The six hex digits of a solid fill, None for any other fill.

    Compares the last six digits only: LibreOffice rewrites every fill it saves (alpha 00 -> FF)."""
    if not text or text == NO_FILL:
        return None
    if _HEX.match(text):
        return text.upper()
    fill = load(text)
    rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
    if getattr(fill, "patternType", None) == "solid" and isinstance(rgb, str):
        return rgb[-6:].upper()
    return None


def is_colour(text: str, colour: str) -> bool:
    """Whether a fill is still the solid `colour` we set (a user's recolouring wins)."""
    return solid_colour(text) == colour.upper()
