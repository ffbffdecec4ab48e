"""Spacing of Chinese sentences assembled from parts.

A message is a template with figures and cell descriptions put in ("{cell} 为 {actual}"). The
space that sets a figure off (为 1.00) is wrong when what is put in is a word or ends with
full-width punctuation: "为 空", "（总计·项目支出） 为". Chinese text has no space between two
characters, nor beside full-width punctuation (it carries its own); a space stays between a
character and a figure or a Latin word, and after a table's name ("表二 上年结转"), where it
separates the table from the line named in it.
"""
from __future__ import annotations

import re
import string

__all__ = ["STRAY", "tidy", "compose"]

_HAN = "\u4e00-\u9fff"
_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\uff5e\u201c\u201d\u2018\u2019\u2026"
_TABLE = "(?<!表[一二三四五六七八九十])(?<!表十[一二])"  # "表二 上年结转" keeps its space

STRAY = re.compile(
    rf"{_TABLE}(?<=[{_HAN}{_PUNCT}]) +(?=[{_HAN}{_PUNCT}])"  # between two characters or punctuation
    rf"|(?<=[{_PUNCT}]) +(?=\S)"  # after full-width punctuation
    rf"|{_TABLE}(?<=\S) +(?=[{_PUNCT}])"  # before it
)


def tidy(text: str) -> str:
    """`text` without the spaces Chinese typesetting does not have (see the module note)."""
    return STRAY.sub("", text)


_FORMATTER = string.Formatter()


def compose(template: str, **fields) -> str:
    """`template.format(**fields)` without stray spaces where a field meets the template's words.

    Only the joins are tidied: what a field holds (a quoted sentence of the user's) stays as it is.
    """
    out = ""
    for literal, name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            out = _join(out, literal) if out else literal
        if name is None:
            continue
        value = _FORMATTER.convert_field(_FORMATTER.get_field(name, (), fields)[0], conversion)
        value = _FORMATTER.format_field(value, spec or "")
        out = _join(out, value) if value else out
    return out


def _join(left: str, right: str) -> str:
    """left + right, the spaces at the join dropped when they would be stray."""
    stripped, lead = left.rstrip(" "), right.lstrip(" ")
    gap = left[len(stripped):] + right[: len(right) - len(lead)]
    window = f"{stripped[-3:]}{gap}{lead[:1]}"
    return stripped + (gap if tidy(window) == window else "") + lead
