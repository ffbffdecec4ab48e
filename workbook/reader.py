"""Read a workbook that follows the template back into typed tables.

Works on any Grid (openpyxl, calamine, xlwings), so a workbook saved again by Excel, WPS or
LibreOffice reads the same. Sheets are found by name or, when renamed, by their title text.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .cells import get_column_letter

from . import spec
from .content import Indicator
from .errors import BudgetbookError
from .grid import Grid
from .hierarchy import leaves
from .model import Book, CellProblem, ProjectBlock, Row, Table, WholeBlock
from .money import to_amount

_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[）)、.．]?")
_SPACES = re.compile(r"[\s\u3000]+")
_TITLE = re.compile(r"^(?P<dept>.*?)(?P<year>\d{4})\s*年")


def norm(text: object) -> str:
    """Label text without spaces and ordinal prefix: "十、上年结转" -> "上年结转"."""
    text = _SPACES.sub("", str(text or ""))
    return _ORDINAL.sub("", text)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", str(value))


def read(grid: Grid, *, strict: bool = True) -> Book:
    """All tables of the workbook; strict: a missing table is an error, else it is listed."""
    names = grid.sheet_names()
    found: dict[str, tuple[str, list[list[object]]]] = {}
    cache: dict[str, list[list[object]]] = {}

    def rows_of(name):
        if name not in cache:
            cache[name] = grid.rows(name)
        return cache[name]

    for table in spec.TABLES:
        name = _find_sheet(table, names, rows_of, taken={s for s, _ in found.values()})
        if name:
            found[table.id] = (name, rows_of(name))
    missing = [t.id for t in spec.TABLES if t.id not in found]
    path = Path(grid.path)
    if not found:
        raise BudgetbookError(f"{path} 中没有找到部门预算公开表（表一至表十二），请使用 budgetbook new 生成的模板。")
    if strict and missing:
        labels = "、".join(f"{spec.BY_ID[t].sheet}（{spec.BY_ID[t].name}）" for t in missing)
        raise BudgetbookError(f"{path} 缺少 {labels}。")
    book = Book(path=path, dept=None, year=None, tables={}, missing=missing)
    for table_id, (sheet, values) in found.items():
        table = spec.BY_ID[table_id]
        book.tables[table_id] = _READERS[type(table)](table, sheet, values, book.problems)
    book.dept, book.year = _majority_title(book.tables.values())
    return book


def _majority_title(tables) -> tuple[str | None, int | None]:
    """Department and year as most titles give them, so one slip does not rename the rest."""
    found = [m for t in tables if (m := _TITLE.match(cell_text(t.title))) and m["dept"]]
    if not found:
        return None, None
    dept = Counter(m["dept"] for m in found).most_common(1)[0][0]
    year = Counter(int(m["year"]) for m in found).most_common(1)[0][0]
    return dept, year


def _find_sheet(table: spec.TableSpec, names, rows_of, taken) -> str | None:
    if table.sheet in names and table.sheet not in taken:
        return table.sheet
    wanted = _SPACES.sub("", table.name)
    for name in names:
        if name in taken:
            continue
        for row in rows_of(name)[:3]:
            if any(wanted in cell_text(v) for v in row if isinstance(v, str)):
                return name
    return None


# --- common parts ----------------------------------------------------------------------------

def _at(values, r: int, c: int) -> object:
    """Value at 1-based row r, column c (None outside the used area)."""
    if r - 1 < len(values) and c - 1 < len(values[r - 1]):
        return values[r - 1][c - 1]
    return None


def _title(values, table) -> str | None:
    wanted = _SPACES.sub("", table.name)
    for r in (1, 2, 3):
        for v in values[r - 1] if r - 1 < len(values) else []:
            if isinstance(v, str) and wanted in cell_text(v):
                return v.strip()
    return None


def _layout(table: spec.TableSpec, sheet: str, values) -> Table:
    """Find the header (first cell of the first column's header text) and the 备注 line."""
    first = cell_text(table.cols[0].header[0])
    header = next((r for r in range(1, min(len(values), 12) + 1) if cell_text(_at(values, r, 1)) == first), 3)
    body = header + table.header_rows
    result = Table(spec=table, sheet=sheet, title=_title(values, table), body_r=body)
    for r in range(body, len(values) + 1):
        text = cell_text(_at(values, r, 1))
        if text.startswith("备注") or text.startswith("注："):
            result.note, result.note_r = str(_at(values, r, 1)).strip(), r
            break
    for r in [*range(1, header), *range(result.note_r or len(values) + 1, len(values) + 1)]:
        _keep_text(result.margin, values, r)
    return result


def _keep_text(margin: dict[str, str], values, r: int) -> None:
    for c, value in enumerate(values[r - 1] if r - 1 < len(values) else [], 1):
        if isinstance(value, str) and value.strip():
            margin[f"{get_column_letter(c)}{r}"] = value.strip()


def _end(table: Table, values) -> int:
    return table.note_r if table.note_r else len(values) + 1


def _money_row(table: spec.TableSpec, values, r: int, problems, sheet: str, **fields) -> Row:
    row = Row(r=r, **fields)
    for i, col in enumerate(table.cols, 1):
        if not col.money:
            continue
        letter = get_column_letter(i)
        row.letters[col.key] = letter
        row.values[col.key] = _amount(values, r, i, problems, sheet, letter)
    return row


def _amount(values, r, c, problems, sheet, letter):
    raw = _at(values, r, c)
    amount, as_text = to_amount(raw)
    if as_text:
        problems.append(CellProblem(sheet, f"{letter}{r}", "text-number", str(raw)))
    elif amount is not None and not hasattr(amount, "is_finite"):
        problems.append(CellProblem(sheet, f"{letter}{r}", "not-number", str(raw)))
    return amount


def _blank_row(values, r: int, width: int) -> bool:
    return all(cell_text(_at(values, r, c)) == "" for c in range(1, width + 1))


# --- fixed lines -----------------------------------------------------------------------------

def _match_lines(lines, values, rows: range, label_col: int) -> tuple[dict[str, int], set[int]]:
    """Row of each line: by label text, else by its position when that row is not claimed."""
    labels = {r: norm(_at(values, r, label_col)) for r in rows}
    claimed: dict[str, int] = {}
    used: set[int] = set()
    for line in lines:
        want = norm(line.label)
        r = next((r for r, text in labels.items() if text == want and r not in used), None)
        if r is not None:
            claimed[line.key] = r
            used.add(r)
    return claimed, used


def _positional(lines, rows: range, claimed: dict[str, int], used: set[int], labels: dict[int, str]) -> None:
    """A line whose label was not found takes its printed position, if that row is inside the
    body and its label is blank or unknown (an outdated name, a typo), never another line's."""
    known = {norm(line.label) for line in lines if line}
    for offset, line in enumerate(lines):
        if line is None or line.key in claimed:
            continue
        r = rows.start + offset
        if r in rows and r not in used and labels.get(r, "") not in known:
            claimed[line.key] = r
            used.add(r)


def _line_rows(table, sheet, values, problems, sides) -> Table:
    """sides: (label column, amount column, lines by printed position) per side."""
    result = _layout(table, sheet, values)
    end = _end(result, values)
    for label_col, amount_col, lines in sides:
        present = [line for line in lines if line]
        body = range(result.body_r, end)
        claimed, used = _match_lines(present, values, body, label_col)
        _positional(lines, body, claimed, used, {r: norm(_at(values, r, label_col)) for r in body})
        letter = get_column_letter(amount_col)
        for line in present:
            r = claimed.get(line.key)
            if r is None:
                continue
            row = Row(key=line.key, kind="line", r=r, label=str(_at(values, r, label_col) or ""),
                      code=line.code, label_col=get_column_letter(label_col),
                      inputs=frozenset({"amount"}) if line.input else frozenset())
            row.letters["amount"] = letter
            row.values["amount"] = _amount(values, r, amount_col, problems, sheet, letter)
            result.rows.append(row)
    return result


def _read_lines(table: spec.LineTable, sheet, values, problems) -> Table:
    return _line_rows(table, sheet, values, problems, [(1, 2, list(table.lines))])


def _read_two_sided(table: spec.TwoSidedTable, sheet, values, problems) -> Table:
    left = [pair[0] for pair in table.pairs]
    right = [pair[1] for pair in table.pairs]
    return _line_rows(table, sheet, values, problems, [(1, 2, left), (3, 4, right)])


# --- variable rows ---------------------------------------------------------------------------

def _body_rows(result: Table, values, width: int) -> list[int]:
    return [r for r in range(result.body_r, _end(result, values)) if not _blank_row(values, r, width)]


def _with_total(table: spec.TableSpec, sheet, values, problems, name_col: int) -> tuple[Table, list[int]]:
    """Layout, the 总计 row (by label, else the first body row) and the other body rows."""
    result = _layout(table, sheet, values)
    rows = _body_rows(result, values, len(table.cols))
    if not rows:
        return result, []
    total = next((r for r in rows if norm(_at(values, r, name_col)) == "总计"), rows[0])
    result.rows.append(_money_row(table, values, total, problems, sheet, key="total", kind="total",
                                  label="总计"))
    return result, [r for r in rows if r != total]


def _read_units(table: spec.UnitTable, sheet, values, problems) -> Table:
    result, rest = _with_total(table, sheet, values, problems, 1)
    dept_at = _department_row(result, values, rest)
    for r in rest:
        dept = r == dept_at
        result.rows.append(_money_row(
            table, values, r, problems, sheet, key="dept" if dept else f"r{r}", kind="dept" if dept else "unit",
            label=cell_text(_at(values, r, 1)), inputs=frozenset() if dept else frozenset(table.input_cols)))
    return result


def _department_row(result: Table, values, rows: list[int]) -> int | None:
    """The department row of 表三/五/八: the row named like the department in the title.

    A department has at least one unit, so a lone row is a unit (the department row was
    deleted); a unit inserted above the department row stays a unit. Without a row of that name
    there is no department row (the first row is taken only when it has no name): treating a
    unit as the department row would let fill overwrite the unit's typed figures."""
    if len(rows) < 2:
        return None
    match = _TITLE.match(cell_text(result.title))
    named = [r for r in rows if match and cell_text(_at(values, r, 1)) == cell_text(match["dept"])]
    if named:
        return named[0]
    return rows[0] if not cell_text(_at(values, rows[0], 1)) else None


def _read_codes(table: spec.CodeTable, sheet, values, problems) -> Table:
    result, rest = _with_total(table, sheet, values, problems, 2)
    codes = [cell_text(_at(values, r, 1)) for r in rest]
    for r, code, leaf in zip(rest, codes, leaves(codes)):
        result.rows.append(_money_row(
            table, values, r, problems, sheet, key=f"r{r}", kind="code", code=code,
            label=cell_text(_at(values, r, 2)), label_col="B",
            inputs=frozenset(table.input_cols) if leaf else frozenset()))
    return result


_ITEM = re.compile(r"^[\[［【](?P<code>\d+)[\]］】](?P<name>.*)$")


def _read_items(table: spec.ItemTable, sheet, values, problems) -> Table:
    result, rest = _with_total(table, sheet, values, problems, 2)
    for r in rest:
        text = cell_text(_at(values, r, 2))
        match = _ITEM.match(text)
        result.rows.append(_money_row(
            table, values, r, problems, sheet, key=f"r{r}", kind="item",
            code=match["code"] if match else None, label=match["name"] if match else text,
            label_col="B", inputs=frozenset(table.input_cols)))
    return result


# --- 表十二 ----------------------------------------------------------------------------------

def _read_performance(table: spec.PerformanceSpec, sheet, values, problems) -> Table:
    result = Table(spec=table, sheet=sheet, title=_title(values, table), body_r=3)
    left = {norm(label): key for key, label in table.budget_left}
    right = {norm(label): key for key, label in table.budget_right}
    funds = {norm(label.replace("其中：", "")): key for key, label in table.fund_lines}
    block = None  # the block being read: WholeBlock or ProjectBlock
    in_indicators = False

    labels = {key: label for key, label in (*table.budget_left, *table.budget_right, *table.fund_lines)}

    def money(key, r, col, inputs=frozenset()):
        letter = get_column_letter(col)
        row = Row(key=key, kind="fund" if key.startswith("p") else "budget", r=r,
                  label=labels[key.split(".")[-1]].replace("其中：", ""),
                  label_col=get_column_letter(col - 1 if col == 6 else 2), inputs=inputs)
        row.letters["amount"] = letter
        row.values["amount"] = _amount(values, r, col, problems, sheet, letter)
        result.rows.append(row)
        return row

    for r in range(1, len(values) + 1):
        a = cell_text(_at(values, r, 1))
        b = cell_text(_at(values, r, 2))
        if a.startswith("备注"):
            result.note, result.note_r = str(_at(values, r, 1)).strip(), r
            for below in range(r, len(values) + 1):
                _keep_text(result.margin, values, below)
            break
        if a.startswith(table.whole_title) or a.startswith(table.project_title):
            _keep_text(result.margin, values, r)
            in_indicators = False
            continue
        if a == "部门名称":
            block = WholeBlock(r=r, dept_name=_text(values, r, 2), goal="", budget={}, indicators=[])
            result.whole, in_indicators = block, False
        elif a == "项目名称":
            block = ProjectBlock(r=r, name=_text(values, r, 2), dept_code="", unit="", goal="",
                                 funds={}, indicators=[])
            result.projects.append(block)
            in_indicators = False
        elif block is None:  # title and 表X caption above the first block
            _keep_text(result.margin, values, r)
        elif a == "主管部门及代码" and isinstance(block, ProjectBlock):
            block.dept_code, block.unit = _text(values, r, 2), _text(values, r, 5)
        elif a == "总体目标":
            block.goal = _text(values, r, 2)
        elif a == "绩效指标":
            in_indicators = True
        elif in_indicators:
            if _blank_row(values, r, 6):
                in_indicators = False
                continue
            previous = block.indicators[-1][1] if block.indicators else Indicator()
            # merged 一级/二级 cells read back blank below their first row
            level1 = _text(values, r, 2) or previous.level1
            level2 = _text(values, r, 3) or (previous.level2 if not _text(values, r, 2) else "")
            block.indicators.append((r, Indicator(level1, level2, _text(values, r, 4), _text(values, r, 5))))
        elif isinstance(block, WholeBlock):
            label = norm(_at(values, r, 3)) or b
            if norm(label) in left:
                block.budget[left[norm(label)]] = money(f"whole.{left[norm(label)]}", r, 4)
            right_label = norm(_at(values, r, 5))
            if right_label in right:
                block.budget[right[right_label]] = money(f"whole.{right[right_label]}", r, 6)
        elif isinstance(block, ProjectBlock) and norm(b.replace("其中：", "")) in funds:
            key = funds[norm(b.replace("其中：", ""))]
            number = len(result.projects)
            block.funds[key] = money(f"p{number}.{key}", r, 4,
                                     inputs=frozenset() if key == "total" else frozenset({"amount"}))
    return result


def _text(values, r, c) -> str:
    value = _at(values, r, c)
    return "" if value is None else str(value).strip()


_READERS = {
    spec.TwoSidedTable: _read_two_sided,
    spec.LineTable: _read_lines,
    spec.UnitTable: _read_units,
    spec.CodeTable: _read_codes,
    spec.ItemTable: _read_items,
    spec.PerformanceSpec: _read_performance,
}
