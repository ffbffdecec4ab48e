"""The bundled example's 基本情况 (workbook/data/reference_2024_info.txt), as an Info."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

from ..info import FIELDS, Info, item_key
from .sheet import _DATE


def parse(text: str) -> Info:
    info = Info()
    section, last = "", None
    for raw in text.splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        if raw.startswith("  ") and last:  # a further paragraph of the text above
            info.values[last] += "\n" + raw.strip()
            continue
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[]")
            continue
        head, _, rest = (part.strip() for part in line.partition("="))
        if section == "fields":
            info.values[head], last = _field(head, rest), head
        else:
            key = head
            if section == "items":
                code, _, name = head.partition(" ")
                info.items.append((code, name.strip()))
                key = item_key(code)
            prior, _, reason = (part.strip() for part in rest.partition("|"))
            if prior:
                info.prior[key] = Decimal(prior)
            if reason:
                info.reasons[key] = reason
    return info


def _field(key: str, text: str):
    kind = FIELDS[key].kind
    if kind == "money":
        return Decimal(text)
    if kind == "count":
        return int(text)
    if kind == "date":
        return date(*map(int, _DATE.match(text).groups()))
    return text or None  # a field the reference leaves blank (dept_code)


def reference() -> Info:
    text = resources.files("workbook.data").joinpath("reference_2024_info.txt").read_text("utf-8")
    return parse(text)
