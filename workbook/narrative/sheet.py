"""The 基本情况 sheet read back by its labels (the template writes it: workbook.template).

Rows are found by the label in column A (as the table reader finds lines), so inserted rows and
reordered fields still read. Blank cells stay None; text in a money cell is an error naming the
cell, as everywhere else.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl.utils.datetime import from_excel

from ..catalog import normalize_code
from ..errors import BudgetbookError
from ..money import Bad, to_amount
from ..reader import cell_text
from ..info import COMPARE_HEADER, COMPARED, FIELDS, ITEMS_LABEL, SHEET, TITLE, Field, Info, item_key

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


# --- reading ---------------------------------------------------------------------------------

def find(grid) -> str | None:
    """The sheet's name: 基本情况, or a renamed sheet whose title says 基本情况."""
    names = grid.sheet_names()
    if SHEET in names:
        return SHEET
    for name in names:
        rows = grid.rows(name)[:2]
        if any(isinstance(v, str) and TITLE in cell_text(v) for row in rows for v in row):
            return name
    return None


def _key(text) -> str:
    """A label as compared: no spaces, no bracketed remarks, no ordinal."""
    return _BRACKETS.sub("", cell_text(text)).lstrip("一二三四五六七八九十、")


_FIELD_KEYS = {_key(f.label): f for f in FIELDS.values()}
_COMPARED_KEYS = {_key(c.label): c for c in COMPARED}


def read(grid) -> Info:
    """The inputs from a workbook's 基本情况 sheet; Info(found=False) when it has none."""
    name = find(grid)
    if name is None:
        return Info(found=False)
    rows = grid.rows(name)
    info = Info()
    mode = "fields"
    for r, row in enumerate(rows, 1):
        cells = (list(row) + [None] * 4)[:4]
        label = _key(cells[0])
        if label == _key(COMPARE_HEADER[0]):
            mode = "compare"
        elif label.startswith(_key(ITEMS_LABEL)):
            mode = "items"
        elif mode == "fields" and label in _FIELD_KEYS:
            f = _FIELD_KEYS[label]
            info.where[f.key] = f"{name}!B{r}"
            info.values[f.key] = _value(grid, name, f"B{r}", f, cells[1])
        elif mode == "compare" and label in _COMPARED_KEYS:
            _compared(grid, name, r, cells, _COMPARED_KEYS[label].key, info)
        elif mode == "items":
            code = normalize_code(cells[1])
            if code:
                info.items.append((code, cell_text(cells[0])))
                _compared(grid, name, r, cells, item_key(code), info)
    return info


def _compared(grid, name: str, r: int, cells, key: str, info: Info) -> None:
    info.where[f"prior:{key}"], info.where[f"reason:{key}"] = f"{name}!C{r}", f"{name}!D{r}"
    prior = _money(grid, name, f"C{r}", "上年预算数", cells[2])
    if prior is not None:
        info.prior[key] = prior
    if isinstance(cells[3], str) and cells[3].strip():
        info.reasons[key] = cells[3].strip()


def _value(grid, name: str, addr: str, f: Field, raw):
    if f.kind == "text":
        text = "" if raw is None else str(raw).strip()
        return text or None
    if f.kind == "money":
        return _money(grid, name, addr, f.label, raw)
    if f.kind == "count":
        amount = _money(grid, name, addr, f.label, raw)
        if amount is not None and (amount != amount.to_integral_value() or amount < 0):
            raise BudgetbookError(f"{grid.path} 的 {name}!{addr}（{f.label}）应为整数，却是 {amount}。")
        return None if amount is None else int(amount)
    return _date(grid, name, addr, raw)


def _money(grid, name: str, addr: str, label: str, raw) -> Decimal | None:
    amount, _ = to_amount(raw)
    if isinstance(amount, Bad):
        raise BudgetbookError(f"{grid.path} 的 {name}!{addr}（{label}）应为金额（万元），却是文字“{amount.text}”。")
    return amount


_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


def _date(grid, name: str, addr: str, raw) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 20000 < raw < 80000:
        return from_excel(raw).date()  # a date typed into a cell without a date format
    match = _DATE.match(cell_text(raw))
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:  # 2月30日
            pass
    raise BudgetbookError(f"{grid.path} 的 {name}!{addr}（落款日期）应为日期，如 2024年2月25日，却是“{raw}”。")
