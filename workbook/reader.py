"""Read a workbook that follows the template back into typed tables.

Works on any Grid (openpyxl, calamine, xlwings), so a workbook saved again by Excel, WPS or
LibreOffice reads the same. Sheets are found by name or, when renamed, by their title text.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import compress
from decimal import Decimal
from pathlib import Path

from . import spec
from .cells import addr, covered
from .errors import BudgetbookError
from .grid import Grid
from .hierarchy import leaves
from .model import Book, CellProblem, Indicator, ProjectBlock, Row, Table, WholeBlock
from .money import to_amount
from .runtime import no_cycle_collection

_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[）)、.．]?")
_TITLE = re.compile(r"^(?P<dept>.*?)(?P<year>\d{4})\s*年")


def norm(text: object) -> str:
    """Label text without spaces and ordinal prefix: "十、上年结转" -> "上年结转"."""
    return _ORDINAL.sub("", squeeze(str(text or "")))


def squeeze(text: str) -> str:
    """`text` without whitespace (full-width spaces too): str.split's whitespace is the regex's
    \\s, at a third of its cost (the reader squeezes every code and name)."""
    return "".join(text.split())


def cell_text(value: object) -> str:
    if value.__class__ is str:  # the usual cell, without the checks below (squeeze inlined)
        return "".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return squeeze(str(value))


def read(grid: Grid, *, strict: bool = True) -> Book:
    """All tables of the workbook; strict: a missing table is an error, else it is listed."""
    with no_cycle_collection():
        return _read(grid, strict)


def _read(grid: Grid, strict: bool) -> Book:
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
    # department and year as most titles give them, before any table is read: the department row
    # of 表三/五/八 is found by that name even where its own table's title is wrong
    dept, year = _majority_title(_title(values, spec.BY_ID[tid]) for tid, (_, values) in found.items())
    book = Book(path=path, dept=dept, year=year, tables={}, missing=missing)
    carried = None
    for table_id, (sheet, values) in found.items():
        table = spec.BY_ID[table_id]
        result = _READERS[type(table)](table, sheet, values, book.problems, dept)
        if table.printed < len(table.cols) and not result.layout and not _has_working_columns(table, values, result):
            if carried is None:
                carried = getattr(grid, "carried", dict)()
            _carried_columns(result, carried.get(table_id) or {})
        if strict and result.layout:
            raise BudgetbookError(f"{path} 的{result.layout}")
        book.tables[table_id] = result
        book.problems += hidden_figures(sheet, values, getattr(grid, "merged", lambda _: [])(sheet))
    return book


def _has_working_columns(table: spec.TableSpec, values, result: Table) -> bool:
    """Whether the sheet has the table's working columns (表三 单位类型), which the published
    tables leave out: their header where the template puts it."""
    header = result.body_r - table.header_rows
    return all(norm(_at(values, header + len(col.header) - 1, table.column(col.key))) == norm(col.header[-1])
               for col in table.cols if not col.publish)


def _carried_columns(result: Table, carried: dict) -> None:
    """A published table's working columns from what the file carries ({column: {unit: text}});
    a column it does not carry is unknown, and the rules that need it say so."""
    for col in result.spec.cols:
        if col.publish:
            continue
        by_unit = carried.get(col.key)
        if not isinstance(by_unit, dict):
            result.unknown.add(col.key)
            continue
        for row in result.rows:
            text = cell_text(by_unit.get(row.label or ""))
            if row.kind == "unit" and text:
                row.texts[col.key] = text


def hidden_figures(sheet: str, values, ranges: list[str]) -> list[CellProblem]:
    """Figures the file holds under a merged range: Excel shows only the range's first cell, so
    the accountant cannot see them, a sum may count them and a save may drop them."""
    out, width = [], max(map(len, values), default=0) if ranges else 0
    for span in ranges:
        for r, c in covered(span, len(values), width):
            raw = _at(values, r, c)
            amount, as_text = to_amount(raw)
            if isinstance(amount, Decimal) and (not isinstance(raw, str) or as_text):
                out.append(CellProblem(sheet, f"{spec.column_letter(c)}{r}", "merged-hidden", str(raw), span))
    return out


def _majority_title(titles) -> tuple[str | None, int | None]:
    """Department and year as most titles give them, so one slip does not rename the rest."""
    found = [m for title in titles if (m := _TITLE.match(cell_text(title))) and m["dept"]]
    if not found:
        return None, None
    dept = Counter(m["dept"] for m in found).most_common(1)[0][0]
    year = Counter(int(m["year"]) for m in found).most_common(1)[0][0]
    return dept, year


def _find_sheet(table: spec.TableSpec, names, rows_of, taken) -> str | None:
    if table.sheet in names and table.sheet not in taken:
        return table.sheet
    wanted = squeeze(table.name)
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


def _column(values, rows: list[int], c: int) -> list[object]:
    """The values of column c (1-based) on the given rows (None past a row's end)."""
    return [line[c - 1] if c <= len(line) else None for line in [values[r - 1] for r in rows]]


def _title(values, table) -> str | None:
    wanted = squeeze(table.name)
    for r in (1, 2, 3):
        for v in values[r - 1] if r - 1 < len(values) else []:
            if isinstance(v, str) and wanted in cell_text(v):
                return v.strip()
    return None


def _layout(table: spec.TableSpec, sheet: str, values) -> Table:
    """Find the header (first cell of the first column's header text) and the 备注 line; check the
    columns are where the template puts them; keep the text outside the body and any number typed
    below the 备注 line."""
    first = cell_text(table.cols[0].header[0])
    header = next((r for r in range(1, min(len(values), 12) + 1) if cell_text(_at(values, r, 1)) == first), 3)
    body = header + table.header_rows
    result = Table(spec=table, sheet=sheet, title=_title(values, table), body_r=body)
    result.layout = _moved_column(table, sheet, values, header)
    for r in _filled(range(body, len(values) + 1), values):
        first = _at(values, r, 1)
        if first.__class__ is not str or ("注" not in first and "说明" not in first):
            continue  # a code, a figure, a name without 注: not the 备注 line (no squeezing each)
        if is_note(cell_text(first)):
            result.note, result.note_r = str(_at(values, r, 1)).strip(), r
            break
    below = range(result.note_r or len(values) + 1, len(values) + 1)
    for r in [*range(1, header), *_filled(below, values)]:
        _keep_text(result.margin, values, r)
    if result.note_r:
        _keep_numbers(result.below, values, result.note_r + 1)
    return result


_NOTE = re.compile(r"^(备注|(注|说明)\d?[:：])")


def is_note(text: str) -> bool:
    """Whether squeezed text opens a note under a table: 备注…, 注：/注:/注1：…, 说明：…
    (published tables write all of these; a code row never starts so)."""
    return _NOTE.match(text) is not None


def _moved_column(table: spec.TableSpec, sheet: str, values, header: int) -> str | None:
    """A column whose header is not where the template has it but somewhere else in the header
    rows: a column was inserted or deleted before it, and every figure would be misread (or a
    total written over the user's own column). One sentence naming the sheet and the column."""
    rows = range(header, header + table.depth)
    for i, col in enumerate(table.cols, 1):
        want = norm(col.header[-1])
        if not want:
            continue
        level = header + len(col.header) - 1
        if norm(_at(values, level, i)) == want:
            continue
        elsewhere = [c for c in range(1, len(values[level - 1]) + 1 if level - 1 < len(values) else 1)
                     if c != i and norm(_at(values, level, c)) == want and
                     not any(norm(other.header[-1]) == want and table.column(other.key) == c for other in table.cols)]
        if elsewhere:
            return (f"{sheet}的列与模板不一致：“{col.header[-1]}”应在 {spec.column_letter(i)} 列，现在在 "
                    f"{spec.column_letter(elsewhere[0])} 列（可能插入或删除了列）；为免读错金额或把合计写进您自己的列，"
                    f"请恢复列的位置（新增的说明列请放在表格最右侧）后再试。")
        if col.optional or any(norm(_at(values, r, i)) for r in rows):
            continue  # an optional column not added yet, or a header reworded: read by position
    return None


def _filled(rows: range, values) -> list[int]:
    """The rows among `rows` that hold something, skipped over in C: one stray cell at CV200000
    leaves 200,000 blank rows below a table, and they must cost nothing."""
    return list(compress(rows, values[rows.start - 1:rows.stop - 1]))


def _keep_numbers(below: dict[str, object], values, start: int) -> None:
    for r in _filled(range(start, len(values) + 1), values):
        for c, value in enumerate(values[r - 1], 1):
            amount, as_text = to_amount(value)
            if isinstance(amount, Decimal) and (not isinstance(value, str) or as_text):
                below[f"{spec.column_letter(c)}{r}"] = value


def _keep_text(margin: dict[str, str], values, r: int) -> None:
    for c, value in enumerate(values[r - 1] if r - 1 < len(values) else [], 1):
        if isinstance(value, str) and value.strip():
            margin[f"{spec.column_letter(c)}{r}"] = value.strip()


def _end(table: Table, values) -> int:
    return table.note_r if table.note_r else len(values) + 1


def _money_row(table: spec.TableSpec, values, r: int, problems, sheet: str, key: str, kind: str,
               label: str | None = None, code: str | None = None, label_col: str = "A",
               inputs: frozenset[str] = frozenset()) -> Row:
    return _money_rows(table, values, [(key, kind, r, label, code, inputs, label_col)], problems, sheet)[0]


def _money_rows(table: spec.TableSpec, values, rows, problems, sheet: str) -> list[Row]:
    """A Row for each (key, kind, r, label, code, inputs, label_col), with its money read: a large
    table has 20,000 rows, so this is one loop with the common cells converted inline."""
    columns, letters = _money_columns(table)
    out = []
    for key, kind, r, label, code, inputs, label_col in rows:
        # every row of a table has its money in the same columns: one letters map shared by all.
        # Row's fields in their order (model.Row): positional arguments cost half of keywords
        row = Row(key, kind, r, label, code, {}, letters, inputs, label_col)
        line = values[r - 1] if r - 1 < len(values) else ()
        width, amounts = len(line), row.values
        for i, col, letter in columns:
            raw = line[i - 1] if i <= width else None
            # the common cells (a blank, an ordinary number) without the general conversion
            if raw is None:
                amounts[col] = None
            elif type(raw) is float and -_SANE < raw < _SANE:
                amounts[col] = Decimal(repr(raw))
            else:
                amounts[col] = _amount(values, r, i, problems, sheet, letter)
        out.append(row)
    return out


_SANE = 1e15  # well inside money.to_amount's limit: larger figures take its checks


_COLUMNS: dict[int, tuple] = {}


def _money_columns(table: spec.TableSpec) -> tuple[tuple[tuple[int, str, str], ...], dict[str, str]]:
    """(column number, key, letter) of the table's money columns, and their letters by key (made
    once per spec; the spec is kept with them, so its id is never reused while cached)."""
    cached = _COLUMNS.get(id(table))
    if cached is None:
        columns = tuple((i, col.key, spec.column_letter(i)) for i, col in enumerate(table.cols, 1) if col.money)
        letters = {key: letter for _, key, letter in columns}  # shared by the rows: never written to
        cached = _COLUMNS[id(table)] = (table, columns, letters)
    return cached[1], cached[2]


def _amount(values, r, c, problems, sheet, letter):
    raw = _at(values, r, c)
    amount, as_text = to_amount(raw)
    if as_text:
        problems.append(CellProblem(sheet, f"{letter}{r}", "text-number", str(raw)))
    elif amount is not None and not hasattr(amount, "is_finite"):
        problems.append(CellProblem(sheet, f"{letter}{r}", "not-number", str(raw)))
    return amount


def _blank_row(values, r: int, width: int) -> bool:
    """No figure and no text but whitespace in the first `width` cells of row r. A figure or a
    code in the first cells ends the look at once (the usual, non-blank row)."""
    line = values[r - 1] if r - 1 < len(values) else ()
    return all(v is None or (isinstance(v, str) and (v == "" or v.isspace())) for v in line[:width])


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


def _read_lines(table: spec.LineTable | spec.TwoSidedTable, sheet, values, problems, dept=None) -> Table:
    """表一/表二/表四: each side's lines by label, else by printed position."""
    result = _layout(table, sheet, values)
    if result.layout:
        return result
    end = _end(result, values)
    for (label_key, amount_key), lines in zip(table.sides, table.side_lines()):
        label_col, amount_col = table.column(label_key), table.column(amount_key)
        present = [line for line in lines if line]
        body = range(result.body_r, end)
        claimed, used = _match_lines(present, values, body, label_col)
        _positional(lines, body, claimed, used, {r: norm(_at(values, r, label_col)) for r in body})
        letter = spec.column_letter(amount_col)
        for line in present:
            r = claimed.get(line.key)
            if r is None:
                continue
            row = Row(key=line.key, kind="line", r=r, label=str(_at(values, r, label_col) or ""),
                      code=line.code, label_col=spec.column_letter(label_col),
                      inputs=frozenset({"amount"}) if line.input else frozenset())
            row.letters["amount"] = letter
            row.values["amount"] = _amount(values, r, amount_col, problems, sheet, letter)
            result.rows.append(row)
    return result


# --- variable rows ---------------------------------------------------------------------------

def _body_rows(result: Table, values, width: int) -> list[int]:
    return [r for r in range(result.body_r, _end(result, values)) if not _blank_row(values, r, width)]


def _with_total(table: spec.TableSpec, sheet, values, problems, name_col: int) -> tuple[Table, list[int]]:
    """Layout, the 总计 row (by label, else the first body row) and the other body rows."""
    result = _layout(table, sheet, values)
    rows = [] if result.layout else _body_rows(result, values, len(table.cols))
    if not rows:
        return result, []
    total = next((r for r in rows if norm(_at(values, r, name_col)) == "总计"), rows[0])
    result.rows.append(_money_row(table, values, total, problems, sheet, key="total", kind="total",
                                  label="总计"))
    return result, [r for r in rows if r != total]


def _read_units(table: spec.UnitTable, sheet, values, problems, dept=None) -> Table:
    name_col = table.column(table.name_col)
    result, rest = _with_total(table, sheet, values, problems, name_col)
    dept_at = _department_row(values, rest, name_col, dept)
    texts = [(c.key, table.column(c.key)) for c in table.cols if not c.money and c.key != table.name_col]
    label_col, typed, none = spec.column_letter(name_col), frozenset(table.input_cols), frozenset()
    names = [cell_text(v) for v in _column(values, rest, name_col)]
    rows = _money_rows(table, values, [("dept", "dept", r, name, None, none, label_col) if r == dept_at else
                                       (f"r{r}", "unit", r, name, None, typed, label_col)
                                       for r, name in zip(rest, names)], problems, sheet)
    for r, row in zip(rest, rows):
        row.texts = {key: cell_text(_at(values, r, c)) for key, c in texts if cell_text(_at(values, r, c))}
    result.rows += rows
    return result


# How departments label the row that adds up their units, besides the department's own name.
_DEPT_ROW = re.compile(r"^(部门|单位)?(合计|汇总|小计)$")
_SUMMARY = re.compile(r"^(?P<name>.+?)[（(]?(汇总|合计)[）)]?$")


def department_label(label: object, dept: str | None) -> bool:
    """Whether a row's name labels the department row: the department's name, "某局（汇总）",
    "部门合计", "合计" (not "某局本级": that is a unit, the bureau's own office)."""
    name = cell_text(label)
    summary = _SUMMARY.match(name)
    want = cell_text(dept) if dept else None
    return bool(_DEPT_ROW.match(name)) or (want is not None and (name == want or (summary and summary["name"] == want)))


def _department_row(values, rows: list[int], name_col: int, dept: str | None) -> int | None:
    """The department row of 表三/五/八: the first row whose name is a department_label (the
    department's name as most titles give it, or a sum's label).

    A department has at least one unit, so a lone row is a unit (the department row was
    deleted); a unit inserted above the department row stays a unit. Without such a row there is
    no department row (the first row is taken only when it has no name): treating a unit as the
    department row would let fill overwrite the unit's typed figures."""
    if len(rows) < 2:
        return None
    for r in rows:
        if department_label(_at(values, r, name_col), dept):
            return r
    return rows[0] if not cell_text(_at(values, rows[0], name_col)) else None


def _read_codes(table: spec.CodeTable, sheet, values, problems, dept=None) -> Table:
    code_col, name_col = table.column(table.code_col), table.column(table.name_col)
    result, rest = _with_total(table, sheet, values, problems, name_col)
    codes = [cell_text(v) for v in _column(values, rest, code_col)]
    labels = [cell_text(v) for v in _column(values, rest, name_col)]
    label_col, typed, derived = spec.column_letter(name_col), frozenset(table.input_cols), frozenset()
    result.rows += _money_rows(table, values, [(f"r{r}", "code", r, label, code, typed if leaf else derived, label_col)
                                               for r, code, label, leaf in zip(rest, codes, labels, leaves(codes))],
                               problems, sheet)
    return result


_ITEM = re.compile(r"^[\[［【](?P<code>\d+)[\]］】](?P<name>.*)$")


def _read_items(table: spec.ItemTable, sheet, values, problems, dept=None) -> Table:
    """表九: items by their code "[30201]办公费", wherever the accountant put them."""
    name_col = table.column(table.name_col)
    result, rest = _with_total(table, sheet, values, problems, name_col)
    for r in rest:
        text = cell_text(_at(values, r, name_col))
        match = _ITEM.match(text)
        result.rows.append(_money_row(
            table, values, r, problems, sheet, key=f"r{r}", kind="item",
            code=match["code"] if match else None, label=match["name"] if match else text,
            label_col=spec.column_letter(name_col), inputs=frozenset(table.input_cols)))
    return result


# --- 表十二 ----------------------------------------------------------------------------------

def _read_performance(table: spec.PerformanceSpec, sheet, values, problems, dept=None) -> Table:
    """表十二: blocks found by their labels in column A (spec.PerformanceSpec), so rows and blocks
    the accountant inserts or copies read like the template's own."""
    result = Table(spec=table, sheet=sheet, title=_title(values, table), body_r=3)
    left = {norm(label): key for key, label in table.budget_left}
    right = {norm(label): key for key, label in table.budget_right}
    funds = {norm(label.replace("其中：", "")): key for key, label in table.fund_lines}
    text_col, unit_col = table.column(table.text_col), table.column(table.unit_col)
    amount_col, right_col = table.column(table.amount_col), table.column(table.right_amount_col)
    indicator_cols = [table.column(k) for k in table.indicator_cols]
    label_at = {k: norm(v) for k, v in (("dept", table.dept_label), ("name", table.name_label),
                                         ("dept_code", table.dept_code_label), ("goal", table.goal_label),
                                         ("indicators", table.indicators_label))}
    block = None  # the block being read: WholeBlock or ProjectBlock
    in_indicators = False

    def money(key, r, col, inputs=frozenset()):
        letter = spec.column_letter(col)
        row = Row(key=key, kind="fund" if key.startswith("p") else "budget", r=r,
                  label=table.label_of(key.split(".")[-1]),
                  label_col=spec.column_letter(col - 1 if col == right_col else text_col), inputs=inputs)
        row.letters["amount"] = letter
        row.values["amount"] = _amount(values, r, col, problems, sheet, letter)
        result.rows.append(row)
        return row

    previous = 0
    for r in _filled(range(1, len(values) + 1), values):  # (a blank row does nothing but end the
        in_indicators = in_indicators and r == previous + 1  # indicators: skipped in C, see _filled)
        previous = r
        a = norm(_at(values, r, 1))
        b = cell_text(_at(values, r, text_col))
        if a.startswith("备注"):
            result.note, result.note_r = str(_at(values, r, 1)).strip(), r
            for below in _filled(range(r, len(values) + 1), values):
                _keep_text(result.margin, values, below)
            _keep_numbers(result.below, values, r + 1)
            break
        if a.startswith(table.whole_title) or a.startswith(table.project_title):
            _keep_text(result.margin, values, r)
            in_indicators = False
            continue
        if a == label_at["dept"]:
            block = WholeBlock(r=r, dept_name=_text(values, r, text_col), goal="", budget={}, indicators=[],
                               cells={"dept_name": addr(r, text_col)})
            result.whole, in_indicators = block, False
        elif a == label_at["name"]:
            block = ProjectBlock(r=r, name=_text(values, r, text_col), dept_code="", unit="", goal="",
                                 funds={}, indicators=[], cells={"name": addr(r, text_col)})
            result.projects.append(block)
            in_indicators = False
        elif block is None:  # title and 表X caption above the first block
            _keep_text(result.margin, values, r)
        elif a == label_at["dept_code"] and isinstance(block, ProjectBlock):
            block.dept_code, block.unit = _text(values, r, text_col), _text(values, r, unit_col)
            block.cells.update(dept_code=addr(r, text_col), unit=addr(r, unit_col))
        elif a == label_at["goal"]:
            block.goal = _text(values, r, text_col)
            block.cells["goal"] = addr(r, text_col)
        elif a == label_at["indicators"]:
            in_indicators = True
        elif in_indicators:
            if _blank_row(values, r, len(table.cols)):
                in_indicators = False
                continue
            block.indicators.append((r, _indicator(values, r, indicator_cols, block.indicators)))
        elif isinstance(block, WholeBlock):
            label = norm(_at(values, r, text_col + 1)) or norm(b)
            if label in left:
                block.budget[left[label]] = money(f"whole.{left[label]}", r, amount_col)
            right_label = norm(_at(values, r, right_col - 1))
            if right_label in right:
                block.budget[right[right_label]] = money(f"whole.{right[right_label]}", r, right_col)
        elif isinstance(block, ProjectBlock) and norm(b.replace("其中：", "")) in funds:
            key = funds[norm(b.replace("其中：", ""))]
            number = len(result.projects)
            block.funds[key] = money(f"p{number}.{key}", r, amount_col,
                                     inputs=frozenset() if key == "total" else frozenset({"amount"}))
    return result


def _indicator(values, r: int, cols: list[int], before: list) -> Indicator:
    """An indicator row of 表十二; its 一级/二级 cells, merged over the rows below their first,
    read back blank there and are taken from the row above."""
    previous = before[-1][1] if before else Indicator()
    l1, l2, l3, value = (_text(values, r, c) for c in cols)
    return Indicator(l1 or previous.level1, l2 or (previous.level2 if not l1 else ""), l3, value)


def _text(values, r, c) -> str:
    value = _at(values, r, c)
    return "" if value is None else str(value).strip()


_READERS = {
    spec.TwoSidedTable: _read_lines,
    spec.LineTable: _read_lines,
    spec.UnitTable: _read_units,
    spec.CodeTable: _read_codes,
    spec.ItemTable: _read_items,
    spec.PerformanceSpec: _read_performance,
}
