"""Write the 12 tables from the spec: the blank template and the bundled example alike."""
from __future__ import annotations

from copy import copy
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from . import guide, spec, styles
from .content import Content, Indicator, NamedRow
from .hierarchy import leaves
from .info import COMPARE_HEADER, COMPARED, ITEMS_LABEL, SECTIONS, SHEET as INFO_SHEET, TITLE as INFO_TITLE, Field, Info, \
    item_key

FOOTER = "第 &P 页 共 &N 页"
INFO_NOTE = ("浅蓝色单元格由会计填写。budgetbook narrative 用本表和表一至表十二写出部门预算公开情况说明，"
             "留空的内容在说明中显示为【请填写：…】。给出上年的 budgetbook 工作簿（--prior）时，上年预算数取自"
             "该工作簿，本表“上年预算数”一列可不填。")
INFO_ITEM_ROWS = 15  # blank 表六 item rows for the comparison with last year
INFO_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_INFO_WIDTHS = {"A": 32, "B": 16, "C": 16, "D": 70}


def build(content: Content) -> Workbook:
    """A new workbook holding all 12 tables, print-ready, after a sheet 填表说明 on how to use it."""
    book = Workbook()
    book.remove(book.active)
    styles.register(book)
    guide.write(book.create_sheet(guide.SHEET))
    for table in spec.TABLES:
        sheet = book.create_sheet(table.sheet)
        writer = _WRITERS[type(table)]
        writer(sheet, table, content)
        protect(sheet)
    _write_info(book, content.dept, content.year, content.info)  # the 情况说明's inputs
    book.active = 1  # open on 表一; the guide is one click to the left
    book.properties.title = f"{content.dept}{content.year}年部门预算公开表"
    book.properties.subject = "部门预算公开"
    book.properties.creator = "budgetbook"
    return book


# --- common parts ----------------------------------------------------------------------------

def _put(sheet: Worksheet, row: int, col: int, value, kind: str):
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # an indicator value such as "=100%" is text, not a formula
    cell._style = copy(_style_array(sheet, kind))
    return cell


_STYLE_ARRAYS: WeakKeyDictionary = WeakKeyDictionary()


def _style_array(sheet: Worksheet, kind: str):
    """The cell format of a named style in this workbook, worked out once: openpyxl looks a named
    style up by comparing whole style objects, which was most of the time of writing a large 表十二."""
    arrays = _STYLE_ARRAYS.setdefault(sheet.parent, {})
    if kind not in arrays:
        probe = Cell(sheet)
        probe.style = styles.name(kind)
        arrays[kind] = probe._style
    return arrays[kind]


def _span(sheet: Worksheet, row: int, col: int, width: int, value, kind: str, height: int = 1):
    """A value over `width` × `height` merged cells, each of them in the style (so the merged
    area's border is drawn all round)."""
    _put(sheet, row, col, value, kind)
    if width == 1 and height == 1:
        return
    style = _style_array(sheet, kind)
    for r in range(row, row + height):
        for c in range(col, col + width):
            if (r, c) != (row, col):
                covered = MergedCell(sheet, r, c)
                covered._style = copy(style)
                sheet._cells[r, c] = covered
    # the ranges a template writes never overlap: openpyxl's own merge_cells compares each new range
    # with every earlier one (quadratic: minutes for a 表十二 of 3,000 projects)
    sheet.merged_cells.ranges.add(CellRange(min_col=col, min_row=row, max_col=col + width - 1,
                                            max_row=row + height - 1))


def _top(sheet: Worksheet, table: spec.TableSpec, content: Content) -> int:
    """Title, 表X caption and 单位 line; returns the first header row."""
    width = table.printed
    _span(sheet, 1, 1, width, table.title(content.dept, content.year), "title")
    sheet.row_dimensions[1].height = 30
    _put(sheet, 2, 1, table.sheet, "caption")
    if table.unit_line:
        _put(sheet, 2, width, spec.UNIT_LINE, "unit")
    for i, col in enumerate(table.cols, 1):
        sheet.column_dimensions[get_column_letter(i)].width = col.width
    return 3


def _header(sheet: Worksheet, table: spec.TableSpec, first: int) -> int:
    """Merged multi-row header from the column paths, then the numbering row; returns body row."""
    depth = table.depth
    cols = table.cols
    for level in range(depth):
        i = 0
        while i < len(cols):
            path = cols[i].header
            if level >= len(path):
                i += 1
                continue
            if level == len(path) - 1:  # the last part spans the remaining header rows
                _span(sheet, first + level, i + 1, 1, path[level], "header", depth - level)
                i += 1
                continue
            j = i
            while j + 1 < len(cols) and cols[j + 1].header[: level + 1] == path[: level + 1]:
                j += 1
            _span(sheet, first + level, i + 1, j - i + 1, path[level], "header")
            i = j + 1
    row = first + depth
    if table.numbered:
        number = 0
        for i, col in enumerate(cols, 1):
            if col.money:
                number += 1
            _put(sheet, row, i, number if col.money else "", "header")
        row += 1
    return row


def _finish(sheet: Worksheet, table: spec.TableSpec, body: int, next_row: int, note: str) -> None:
    _span(sheet, next_row, 1, table.printed, note, "note")
    sheet.freeze_panes = sheet.cell(row=body, column=1)
    sheet.print_title_rows = f"1:{body - 1}"
    page_setup(sheet)


def page_setup(sheet: Worksheet) -> None:
    """A4 landscape, one page wide, centred, page numbers in the footer: as published."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = FOOTER


def _money(sheet: Worksheet, row: int, col: int, value, derived: bool):
    return _put(sheet, row, col, None if derived else value, "derived" if derived else "input")


def protect(sheet: Worksheet) -> None:
    """Sheet protection without a password: Excel itself refuses a figure typed over a grey total
    (only the light-blue cells are unlocked), while rows can still be inserted and deleted and
    columns and rows resized. fill and the marks write through it (they do not go through Excel's
    user interface); anyone may lift it under 审阅 → 撤消工作表保护."""
    sheet.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False,
                                       insertRows=False, deleteRows=False)


# --- one writer per kind of table ------------------------------------------------------------

def _write_two_sided(sheet: Worksheet, table: spec.TwoSidedTable, content: Content) -> None:
    body = _header(sheet, table, _top(sheet, table, content))
    sides = [(table.column(label), table.column(amount)) for label, amount in table.sides]
    row = body
    for pair in table.pairs:
        for line, (label_col, amount_col) in zip(pair, sides):
            if line is None:
                _put(sheet, row, label_col, None, "label")
                _put(sheet, row, amount_col, None, "label")
                continue
            total = not line.label[0] in "一二三四五六七八九十（"
            _put(sheet, row, label_col, line.label, "total-label" if total else "label")
            # a derived line the department types (表一's 类 lines with non-fiscal money) comes typed
            typed = line.input or (table.id, line.key) in content.lines
            _money(sheet, row, amount_col, content.lines.get((table.id, line.key)), not typed)
        row += 1
    _finish(sheet, table, body, row, content.notes.get(table.id, spec.NOTE))


def _write_lines(sheet: Worksheet, table: spec.LineTable, content: Content) -> None:
    body = _header(sheet, table, _top(sheet, table, content))
    [(label, amount)] = table.sides
    row = body
    for line in table.lines:
        _put(sheet, row, table.column(label), line.label, "label" if line.input else "total-label")
        _money(sheet, row, table.column(amount), content.lines.get((table.id, line.key)), not line.input)
        row += 1
    _finish(sheet, table, body, row, content.notes.get(table.id, spec.NOTE))


def _write_units(sheet: Worksheet, table: spec.UnitTable, content: Content) -> None:
    body = _header(sheet, table, _top(sheet, table, content))
    _named_row(sheet, table, body, "总计", {}, derived_all=True, label_kind="total-label")
    _named_row(sheet, table, body + 1, content.dept, {}, derived_all=True, label_kind="total-label")
    row = body + 2
    for unit in content.rows.get(table.id, []):
        _named_row(sheet, table, row, unit.name, unit.values, derived_all=False)
        for col in table.cols:
            if col.choices:  # a working text column typed from a list (单位类型)
                _put(sheet, row, table.column(col.key), unit.texts.get(col.key), "text-input")
        row += 1
    for col in table.cols:
        if col.choices:
            letter = table.letter(col.key)
            rule = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                  promptTitle=col.header[-1], prompt="请选择：" + "、".join(col.choices),
                                  showInputMessage=True)
            rule.add(f"{letter}{body + 2}:{letter}{max(row - 1, body + 2) + 200}")
            sheet.add_data_validation(rule)
    _finish(sheet, table, body, row, content.notes.get(table.id, spec.NOTE))


def _named_row(sheet, table, row, name, values, *, derived_all, label_kind="text-input"):
    """Label in the name column, money cells input or derived by the table's input columns."""
    for i, col in enumerate(table.cols, 1):
        if not col.money:
            continue
        derived = derived_all or col.key not in table.input_cols
        _money(sheet, row, i, values.get(col.key), derived)
    _put(sheet, row, table.column(table.name_col), name, label_kind)


def _write_codes(sheet: Worksheet, table: spec.CodeTable, content: Content) -> None:
    body = _header(sheet, table, _top(sheet, table, content))
    _named_row(sheet, table, body, "总计", {}, derived_all=True, label_kind="total-label")
    _put(sheet, body, table.column(table.code_col), None, "label")
    rows: list[NamedRow] = content.rows.get(table.id, [])
    is_leaf = leaves([r.code for r in rows])
    row = body + 1
    for named, leaf in zip(rows, is_leaf):
        _named_row(sheet, table, row, named.name, named.values, derived_all=not leaf,
                   label_kind="text-input")
        code = _put(sheet, row, table.column(table.code_col), named.code, "text-input")
        code.number_format = "@"  # codes are text: 2010301 must not become a number
        row += 1
    for _ in range(content.blank_rows):
        _named_row(sheet, table, row, None, {}, derived_all=False)
        _put(sheet, row, table.column(table.code_col), None, "text-input").number_format = "@"
        row += 1
    _finish(sheet, table, body, row, content.notes.get(table.id, spec.NOTE))


def _write_items(sheet: Worksheet, table: spec.ItemTable, content: Content) -> None:
    body = _header(sheet, table, _top(sheet, table, content))
    _named_row(sheet, table, body, "总计", {}, derived_all=True, label_kind="total-label")
    _put(sheet, body, table.column(table.seq_col), None, "label")
    row = body + 1
    for number, item in enumerate(content.rows.get(table.id, []), 1):
        _named_row(sheet, table, row, f"[{item.code}]{item.name}", item.values, derived_all=False)
        seq = _put(sheet, row, table.column(table.seq_col), number, "label")
        seq.alignment = styles.STYLES["header"].alignment
        row += 1
    _finish(sheet, table, body, row, content.notes.get(table.id, spec.NOTE))


# --- 表十二 ----------------------------------------------------------------------------------

def _write_performance(sheet: Worksheet, table: spec.PerformanceSpec, content: Content) -> None:
    width = len(table.cols)
    _top(sheet, table, content)
    row = 3
    row = _whole_block(sheet, table, content, row)
    for project in content.projects:
        row = _project_block(sheet, table, content, project, row + 1)
    _span(sheet, row, 1, width, content.notes.get(table.id, spec.NOTE), "note")
    sheet.print_title_rows = "1:2"
    page_setup(sheet)


def _block_title(sheet, table, row, title, year) -> int:
    _span(sheet, row, 1, len(table.cols), f"{title}（{year}年度）", "header")
    sheet.row_dimensions[row].height = 24
    return row + 1


def _text_span(table: spec.PerformanceSpec) -> tuple[int, int]:
    """First column and width of a block's text cells (B … F)."""
    first = table.column(table.text_col)
    return first, len(table.cols) - first + 1


def _whole_block(sheet, table: spec.PerformanceSpec, content: Content, row: int) -> int:
    whole = content.whole
    text, span = _text_span(table)
    left, right = table.column(table.amount_col), table.column(table.right_amount_col)
    row = _block_title(sheet, table, row, table.whole_title, content.year)
    _put(sheet, row, 1, table.dept_label, "header")
    _span(sheet, row, text, span, whole.dept_name, "text-input")
    row += 1
    _put(sheet, row, 1, table.goal_label, "header")
    _span(sheet, row, text, span, whole.goal, "text-input")
    sheet.row_dimensions[row].height = 48
    row += 1
    _span(sheet, row, 1, 1, table.budget_label, "header", height=len(table.budget_left) + 1)
    _span(sheet, row, text, left - text, "按支出类型分", "header")
    _put(sheet, row, left, "预算金额", "header")
    _put(sheet, row, right - 1, "按来源类型分", "header")
    _put(sheet, row, right, "预算金额", "header")
    first = row + 1
    parts = dict(table.budget_sums)["basic"]  # 人员经费, 公用经费 and their 合计 under 基本支出
    _span(sheet, first, text, 1, "基本支出", "label", height=len(parts) + 1)
    for i, (key, label) in enumerate(table.budget_left):
        r = first + i
        if i <= len(parts):
            _put(sheet, r, text + 1, label, "label")
        else:
            _span(sheet, r, text, left - text, label, "label")
        _money(sheet, r, left, content.whole_budget.get(key), key not in content.whole_budget)
    for i, (key, label) in enumerate(table.budget_right):
        _put(sheet, first + i, right - 1, label, "label")
        _money(sheet, first + i, right, None, True)
    for r in range(first + len(table.budget_right), first + len(table.budget_left)):
        _put(sheet, r, right - 1, None, "label")
        _put(sheet, r, right, None, "label")
    row = first + len(table.budget_left)
    return _indicators(sheet, table, row, whole.indicators)


def _project_block(sheet, table: spec.PerformanceSpec, content: Content, project, row: int) -> int:
    text, span = _text_span(table)
    amount, unit = table.column(table.amount_col), table.column(table.unit_col)
    row = _block_title(sheet, table, row, table.project_title, content.year)
    _put(sheet, row, 1, table.name_label, "header")
    _span(sheet, row, text, span, project.name, "text-input")
    row += 1
    _put(sheet, row, 1, table.dept_code_label, "header")
    _span(sheet, row, text, unit - 1 - text, project.dept_code, "text-input")
    _put(sheet, row, unit - 1, table.unit_label, "header")
    _span(sheet, row, unit, len(table.cols) - unit + 1, project.unit, "text-input")
    row += 1
    _span(sheet, row, 1, 1, table.funds_label, "header", height=len(table.fund_lines))
    derived = {target for target, _ in table.fund_sums}
    for key, label in table.fund_lines:
        _span(sheet, row, text, amount - text, label, "label")
        _money(sheet, row, amount, project.funds.get(key), key in derived)
        _span(sheet, row, amount + 1, len(table.cols) - amount, None, "label")
        row += 1
    _put(sheet, row, 1, table.goal_label, "header")
    _span(sheet, row, text, span, project.goal, "text-input")
    sheet.row_dimensions[row].height = 48
    return _indicators(sheet, table, row + 1, project.indicators)


def _indicators(sheet, table: spec.PerformanceSpec, row: int, indicators: list[Indicator]) -> int:
    """绩效指标 header and one row per indicator; returns the row after the block."""
    count = max(len(indicators), 1)
    cols = [table.column(k) for k in table.indicator_cols]
    last = len(table.cols) - cols[-1] + 1  # 指标值 spans to the last column
    _span(sheet, row, 1, 1, table.indicators_label, "header", height=count + 1)
    for col, text in zip(cols[:-1], table.indicator_header[:-1]):
        _put(sheet, row, col, text, "header")
    _span(sheet, row, cols[-1], last, table.indicator_header[-1], "header")
    for i, ind in enumerate(indicators or [Indicator()], 1):
        r = row + i
        for col, text in zip(cols[:-1], (ind.level1, ind.level2, ind.level3)):
            _put(sheet, r, col, text, "text-input")
        _span(sheet, r, cols[-1], last, ind.value, "text-input")
    return row + count + 1


_WRITERS = {
    spec.TwoSidedTable: _write_two_sided,
    spec.LineTable: _write_lines,
    spec.UnitTable: _write_units,
    spec.CodeTable: _write_codes,
    spec.ItemTable: _write_items,
    spec.PerformanceSpec: _write_performance,
}


# --- the 基本情况 sheet ------------------------------------------------------------------------

def _write_info(book, dept: str, year: int, info: Info | None = None, blank_items: int = INFO_ITEM_ROWS) -> Worksheet:
    """The 基本情况 sheet (workbook.info), the 情况说明's inputs no table has, at the end of the
    workbook; workbook.narrative.sheet reads it back by its labels."""
    info = info or Info()
    ws = book.create_sheet(INFO_SHEET)
    for letter, width in _INFO_WIDTHS.items():
        ws.column_dimensions[letter].width = width
    _span(ws, 1, 1, 4, f"{dept}{year}年{INFO_TITLE}", "title")
    ws.row_dimensions[1].height = 30
    _put(ws, 2, 1, INFO_SHEET, "caption")
    _put(ws, 2, 4, "单位：万元", "unit")
    _span(ws, 3, 1, 4, INFO_NOTE, "note")
    ws.row_dimensions[3].height = 45
    _put(ws, 4, 1, "项目", "header")
    _span(ws, 4, 2, 3, "内容", "header")
    row = 5
    for title, fields in SECTIONS:
        _span(ws, row, 1, 4, title, "total-label")
        row += 1
        for f in fields:
            _info_field(ws, row, f, info.values.get(f.key))
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


def _info_field(ws: Worksheet, row: int, f: Field, value) -> None:
    _put(ws, row, 1, f.label, "label")
    if f.kind == "text":
        _span(ws, row, 2, 3, value, "text-input")
        ws.cell(row, 2).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    else:
        cell = _put(ws, row, 2, value, "input" if f.kind != "date" else "text-input")
        if f.kind == "count":
            cell.number_format = "0"
        elif f.kind == "date":
            cell.number_format = INFO_DATE_FORMAT
        _span(ws, row, 3, 2, {"money": "万元", "count": "", "date": "如 2024年2月25日"}[f.kind], "label")
    if f.height:
        ws.row_dimensions[row].height = f.height
