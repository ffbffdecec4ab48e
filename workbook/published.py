"""The published workbook, written: the tables as the export decided them (workbook.export).

What leaves the office is rebuilt, not cleaned up: a new workbook receives the 12 tables only
(named 表一…表十二, in order) with plain values, merges, widths, heights, borders, fonts, number
formats and the print set-up. Everything else stays behind by construction: formulas, comments,
highlight fills and the 校验结果 / hidden marks sheets of workbook.marks, VBA (an .xlsm gives an
.xlsx), external links, defined names, data validations, conditional formats, hyperlinks, images.
Copying and then deleting would have to know every kind of leftover; rebuilding needs to know none.

Published look: black on white. Every fill is dropped (the mark colours FFC7CE/FFEB9C, and also
the template's input blue and derived grey, which are working aids, not part of the published
table) and every font colour is reset to automatic (black). Borders, bold, sizes and alignment stay.
The template's named styles (bb-*) are carried over without their fills, so the style names
still work when the published file is opened.

Print set-up is the template's for every sheet: A4 landscape, one page wide, centred, the sheet's
repeated title rows (as found, else the table's header rows) and the footer 第 &P 页 共 &N 页.
Margins and a print area are kept as found (without one, the print area is the table's columns
down to its last filled row). Hidden rows and columns stay hidden only when empty; a hidden row
with numbers would make the printed totals not add up.

What the published tables look like on paper is decided in workbook.export_layout, from the Book
that was read: blank or 0.00 line by line as the reference prints it, unused reserved rows left
out (the rows below move up), explicit row heights, and where the pages break (fit to one page,
or a fixed scale with manual breaks chosen by workbook.pages: no page with only totals, only the
备注 line or one widowed row; 表十二 blocks kept whole). The working workbook is not touched.
"""
from __future__ import annotations

import re
from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import NamedStyle, PatternFill
from openpyxl.worksheet.merge import MergedCellRange

from . import export_layout, spec, styles
from .cells import coordinate_to_tuple, get_column_letter
from .model import Book
from .template import FOOTER, page_setup

__all__ = ["build"]


def build(book: Book, source, values: dict[str, list[list[object]]]) -> Workbook:
    """The published workbook: the 12 tables of `book` with the look of `source` (the openpyxl
    workbook read) and `values` (by sheet as read, each cell as it is to be published)."""
    out = Workbook()
    out.remove(out.active)
    plain_styles = _plain_named_styles(out)
    sheets = []
    for table_spec in spec.TABLES:
        table = book.tables[table_spec.id]
        shown = values[table.sheet]
        dropped = set(export_layout.unused_rows(table, shown))
        rows = {r: r - sum(1 for d in dropped if d < r)
                for r in range(1, _last_row(source[table.sheet], shown) + 1) if r not in dropped}
        target = out.create_sheet(table_spec.sheet)
        _copy_sheet(source[table.sheet], shown, target, plain_styles, rows, _published_width(table))
        sheets.append((table, target, _print_setup(source[table.sheet], target, table, rows)))
    # one body size for the whole set: every table at one scale, wide ones on narrower columns
    scale = export_layout.uniform_scale({table.spec.id: pages() for table, _, pages in sheets})
    for _, target, pages in sheets:
        export_layout.apply_layout(target, pages(scale))
    out.active = 0
    props = out.properties
    props.title = f"{book.dept}{book.year}年部门预算公开表"
    props.subject = f"{book.year}年部门预算公开"
    props.creator = book.dept
    props.lastModifiedBy = "budgetbook"
    props.keywords = f"{book.dept}; {book.year}年; 部门预算公开"
    props.category = "部门预算公开"
    props.description = f"{book.dept}{book.year}年部门预算公开表（表一至表十二），由 budgetbook 导出。"
    _carry_working_columns(book, out)
    return out


def _last_row(source, shown: list[list[object]]) -> int:
    """The last row with something to publish: a value, a styled cell or a row's own height (not
    the sheet's farthest cell: a number left behind at CV200000 would make 200,000 rows)."""
    styled = (r for (r, _), cell in source._cells.items() if cell.has_style)
    return max(max(styled, default=0), max(source.row_dimensions, default=0),
               next((r for r in range(len(shown), 0, -1) if any(v is not None for v in shown[r - 1])), 0))


def _carry_working_columns(book: Book, out: Workbook) -> None:
    """What the rules need and the published tables leave out (表三's 单位类型: which units 表九's
    机关运行经费 covers) goes along as a custom document property, invisible in the tables and on
    paper, so that the published workbook checks exactly as its source (grid.carried reads it)."""
    import json

    from openpyxl.packaging.custom import StringProperty

    carried = {}
    for table in book.tables.values():
        working = [c.key for c in table.spec.cols if not c.publish]
        if working and not table.unknown:
            carried[table.spec.id] = {key: {row.label: row.texts[key] for row in table.rows
                                            if row.kind == "unit" and row.label and row.texts.get(key)}
                                      for key in working}
    if carried:
        out.custom_doc_props.append(StringProperty(name=spec.CARRIED_PROPERTY,
                                                   value=json.dumps(carried, ensure_ascii=False)))


def _plain_named_styles(out: Workbook) -> set[str]:
    """The template's named styles without fills (see the module note on the published look)."""
    for style in styles.STYLES.values():
        plain = NamedStyle(name=style.name, font=copy(style.font), border=copy(style.border),
                           alignment=copy(style.alignment), number_format=style.number_format,
                           protection=copy(style.protection))
        out.add_named_style(plain)
    return {s.name for s in styles.STYLES.values()}


def _published_width(table) -> int | None:
    """Columns printed: the table's published ones (working columns such as 表三's 单位类型 are
    last and stay behind); None keeps every column (a table without working columns)."""
    return None if table.spec.printed == len(table.spec.cols) else table.spec.printed


def _copy_sheet(source, shown: list[list[object]], target, plain_styles: set[str], rows: dict[int, int],
                width: int | None = None) -> None:
    """`source` gives the look, `shown` (the values to publish, by source row) the values;
    `rows` maps each source row that is published to its row in `target` (unused rows left out);
    only the first `width` columns when given."""
    # Merge without openpyxl's merge_cells(): that re-derives edge borders cell by cell (slow),
    # and every covered cell gets its own style copied below anyway.
    for merged in source.merged_cells.ranges:
        if width is not None and merged.min_col > width:
            continue
        kept = [rows[r] for r in range(merged.min_row, merged.max_row + 1) if r in rows]
        if not kept or (len(kept) == 1 and merged.min_col == merged.max_col):
            continue
        rng = MergedCellRange(target, f"{get_column_letter(merged.min_col)}{kept[0]}:"
                                      f"{get_column_letter(merged.max_col)}{kept[-1]}")
        target.merged_cells.add(rng)
        for r, c in list(rng.cells)[1:]:
            target._cells[r, c] = MergedCell(target, r, c)
    filled_rows, filled_cols = set(), set()
    restyled: dict[tuple, object] = {}  # source style -> its published twin (most cells share a few)
    empty: list[object] = []
    # the cells the sheet holds and the values to publish, never the rectangle up to the farthest
    # cell (a styled cell at CV200000 would make 20 million)
    places = set(source._cells)
    places.update((r, c) for r, line in enumerate(shown, 1) for c, value in enumerate(line, 1) if value is not None)
    for old, column in sorted(places):
        if old not in rows or (width is not None and column > width):
            continue
        r, cell = rows[old], source._cells.get((old, column)) or source.cell(old, column)
        values = shown[old - 1] if old <= len(shown) else empty
        value = values[column - 1] if column <= len(values) else None
        if value is None and not cell.has_style:
            continue
        dest = target.cell(row=r, column=cell.column)
        if cell.has_style:
            key = (tuple(cell._style), _style_name(cell))
            if key not in restyled:
                _restyle(cell, dest, plain_styles)
                restyled[key] = copy(dest._style)
            else:
                dest._style = copy(restyled[key])
        if isinstance(cell, MergedCell) or isinstance(dest, MergedCell) or value is None:
            continue
        dest.value = value
        if isinstance(value, str) and value.startswith("="):
            dest.data_type = "s"  # a text that looks like a formula stays text
        filled_rows.add(r)
        filled_cols.add(cell.column)

    for key, dim in source.column_dimensions.items():
        if width is not None and (dim.min or 1) > width:
            continue
        new = target.column_dimensions[key]
        new.min, new.max = dim.min, dim.max
        if dim.width:
            new.width = dim.width
        span = range(dim.min or 1, (dim.max or dim.min or 1) + 1)
        new.hidden = bool(dim.hidden) and not any(c in filled_cols for c in span)
    for old, dim in source.row_dimensions.items():
        if old not in rows:
            continue
        if dim.height is not None:
            target.row_dimensions[rows[old]].height = dim.height
        if dim.hidden and rows[old] not in filled_rows:
            target.row_dimensions[rows[old]].hidden = True
    if source.freeze_panes:
        col, row = coordinate_to_tuple(source.freeze_panes)[::-1]
        target.freeze_panes = f"{get_column_letter(col)}{_moved(rows, row)}"


def _moved(rows: dict[int, int], r: int) -> int:
    """Where source row r lands; a dropped row's place is taken by the next published row."""
    if r in rows:
        return rows[r]
    later = [new for old, new in rows.items() if old > r]
    return min(later) if later else max(rows.values(), default=1) + 1


def _style_name(cell) -> str | None:
    try:
        return cell.style
    except IndexError:  # openpyxl cannot map some files' style ids (LibreOffice writes extra ones)
        return None


def _restyle(cell, dest, plain_styles: set[str]) -> None:
    """The published twin of a cell's style: same font, borders, alignment, format; no colour."""
    if _style_name(cell) in plain_styles:
        dest.style = _style_name(cell)
    font = copy(cell.font)
    font.color = None  # black on white, whatever a mark or a user coloured
    dest.font = font
    dest.border = copy(cell.border)
    alignment = copy(cell.alignment)
    if alignment.horizontal in ("left", "right") and cell.border.left is not None and cell.border.left.style:
        alignment.indent = max(alignment.indent or 0, 1)  # padding: text clear of the rules
    dest.alignment = alignment
    dest.number_format = cell.number_format
    dest.protection = copy(cell.protection)
    dest.fill = PatternFill(fill_type=None)


def _print_setup(source, target, table, rows: dict[int, int]):
    """The template's print set-up; returns `pages(scale=None)`, which lays the sheet's pages out
    (at that print scale in percent, else as the table alone would fit best): see
    workbook.export_layout."""
    page_setup(target)
    target.page_margins = copy(source.page_margins)
    first, last = _title_rows(source, table)
    target.print_title_rows = f"{_moved(rows, first)}:{_moved(rows, last)}"
    used = [(r, c) for (r, c), cell in target._cells.items() if cell.value is not None]
    last_row = max((r for r, _ in used), default=1)
    last_col = max([len(table.spec.cols), *(c for _, c in used)])
    if source.print_area:
        # Stored as "'表X'!$A$1:$F$40"; the sheet name may have changed, so keep the ranges only.
        areas = source.print_area if isinstance(source.print_area, list) else str(source.print_area).split(",")
        target.print_area = [_moved_range(a.rsplit("!", 1)[-1], rows) for a in areas]
    else:
        target.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    for footer in (target.oddFooter, target.evenFooter, target.firstFooter):
        footer.center.text = FOOTER
        footer.center.font = f"{styles.FONT},Regular"  # the page numbers in the tables' face
    texts: dict[int, str] = {}  # each row's first text, by column
    for (r, c), cell in sorted(target._cells.items()):
        if r not in texts and cell.value is not None and str(cell.value).strip():
            texts[r] = str(cell.value).strip()
    title_end = _moved(rows, last)

    def pages(scale: int | None = None):
        if scale is not None:
            export_layout.fit_width(target, last_col, scale)
        heights = export_layout.fit_heights(target, last_row, last_col)
        lines = export_layout.row_lines(table, rows, title_end + 1, last_row, texts, heights)
        return export_layout.lay_out(target, table, lines, (_moved(rows, first), title_end), last_col, scale)

    return pages


def _moved_range(area: str, rows: dict[int, int]) -> str:
    """A print range of the source in the published sheet's rows."""
    return re.sub(r"\$?([A-Z]+)\$?(\d+)", lambda m: f"{m.group(1)}{_moved(rows, int(m.group(2)))}", area)


def _title_rows(source, table) -> tuple[int, int]:
    rows = source.print_title_rows
    if rows:
        first, _, last = rows.replace("$", "").partition(":")
        if first.isdigit() and last.isdigit():
            return int(first), int(last)
    if table.spec.id == "T12":  # 表十二 is blocks, not a header: repeat the title lines
        return 1, 2
    return 1, max(table.body_r - 1, 1)
