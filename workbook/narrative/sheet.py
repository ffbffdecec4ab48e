"""The 基本情况 sheet: written into the template after the 12 tables, read back by its labels.

Rows are found by the label in column A (as the table reader finds lines), so inserted rows and
reordered fields still read. Blank cells stay None; text in a money cell is an error naming the
cell, as everywhere else.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl.styles import Alignment
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet

from .. import styles
from ..catalog import normalize_code
from ..errors import BudgetbookError
from ..money import Bad, to_amount
from ..reader import cell_text
from ..template import page_setup
from .info import COMPARE_HEADER, COMPARED, FIELDS, ITEMS_LABEL, SECTIONS, SHEET, Field, Info, item_key

TITLE = "部门预算公开情况说明·基本情况"
NOTE = ("浅蓝色单元格由会计填写。budgetbook narrative 用本表和表一至表十二写出部门预算公开情况说明，"
        "留空的内容在说明中显示为【请填写：…】。给出上年的 budgetbook 工作簿（--prior）时，上年预算数取自"
        "该工作簿，本表“上年预算数”一列可不填。")
BLANK_ITEM_ROWS = 15
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_WIDTHS = {"A": 32, "B": 16, "C": 16, "D": 70}
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


# --- writing ---------------------------------------------------------------------------------

def write(book, dept: str, year: int, info: Info | None = None, blank_items: int = BLANK_ITEM_ROWS) -> Worksheet:
    """Add the sheet at the end of an openpyxl workbook (whose named styles are registered)."""
    info = info or Info()
    ws = book.create_sheet(SHEET)
    for letter, width in _WIDTHS.items():
        ws.column_dimensions[letter].width = width
    _span(ws, 1, 1, 4, f"{dept}{year}年{TITLE}", "title")
    ws.row_dimensions[1].height = 30
    _put(ws, 2, 1, SHEET, "caption")
    _put(ws, 2, 4, "单位：万元", "unit")
    _span(ws, 3, 1, 4, NOTE, "note")
    ws.row_dimensions[3].height = 45
    _put(ws, 4, 1, "项目", "header")
    _span(ws, 4, 2, 3, "内容", "header")
    row = 5
    for title, fields in SECTIONS:
        _span(ws, row, 1, 4, title, "total-label")
        row += 1
        for f in fields:
            _field(ws, row, f, info.values.get(f.key))
            row += 1
    _span(ws, row, 1, 4, f"四、与{year - 1}年预算比较（上年预算数、增减原因）", "total-label")
    row += 1
    for col, text in enumerate(COMPARE_HEADER, 1):
        _put(ws, row, col, text, "header")
    row += 1
    for c in COMPARED:
        _put(ws, row, 1, c.label, "label")
        _put(ws, row, 2, None, "label")
        _put(ws, row, 3, info.prior.get(c.key) if c.prior else None, "input" if c.prior else "derived")
        _put(ws, row, 4, info.reasons.get(c.key) if c.reason else None, "text-input" if c.reason else "label")
        row += 1
    _span(ws, row, 1, 4, f"{ITEMS_LABEL}：每行一个表六的项，填科目编码、上年预算数和增减原因", "total-label")
    row += 1
    items = info.items or [("", "")] * blank_items
    for code, name in items:
        key = item_key(code)
        _put(ws, row, 1, name or None, "text-input")
        _put(ws, row, 2, code or None, "text-input").number_format = "@"  # 2010301 stays text
        _put(ws, row, 3, info.prior.get(key), "input")
        _put(ws, row, 4, info.reasons.get(key), "text-input")
        row += 1
    ws.freeze_panes = "B5"
    page_setup(ws)
    ws.print_title_rows = "1:4"
    return ws


def _field(ws: Worksheet, row: int, f: Field, value) -> None:
    _put(ws, row, 1, f.label, "label")
    if f.kind == "text":
        _span(ws, row, 2, 3, value, "text-input")
        ws.cell(row, 2).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    else:
        cell = _put(ws, row, 2, value, "input" if f.kind != "date" else "text-input")
        if f.kind == "count":
            cell.number_format = "0"
        elif f.kind == "date":
            cell.number_format = DATE_FORMAT
        _span(ws, row, 3, 2, {"money": "万元", "count": "", "date": "如 2024年2月25日"}[f.kind], "label")
    if f.height:
        ws.row_dimensions[row].height = f.height


def _put(ws: Worksheet, row: int, col: int, value, kind: str):
    cell = ws.cell(row=row, column=col, value=value)
    cell.style = styles.name(kind)
    return cell


def _span(ws: Worksheet, row: int, col: int, width: int, value, kind: str):
    cell = _put(ws, row, col, value, kind)
    for c in range(col + 1, col + width):
        ws.cell(row=row, column=c).style = styles.name(kind)
    if width > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + width - 1)
    return cell


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
