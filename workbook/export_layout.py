"""What the published tables look like on paper: blank or 0.00, which rows print, where pages break.

Three decisions of the export (workbook.export), each a function of the Book that was read, so
that the working workbook is never touched: there fill keeps 0.00 in every derived cell and the
reserved rows stay for the accountant.

Blank or 0.00 (`published_money`): as the reference disclosure prints its tables, by the one
convention of spec.ZERO_RULES, decided cell by cell in workbook.zeros (F.blank-zero reads the same).

Rows that print nothing (`unused_rows`): inside the body of 表一–表十一, a row with no code, no
name and no figure once blank-or-0.00 is applied (the template's reserved code rows that the
accountant left empty) is not published; the rows below move up with their merges and heights.
表十二 keeps its blank rows: they separate the blocks.

Pages (`lay_out`): see workbook.pages for the rules. Every printed row gets an explicit height
(what the text needs when wrapped, estimated from the font size and the column width, never less
than the row had), so that LibreOffice, Excel and WPS count the same rows per page. The set is
printed like one publication: every table at one fixed scale (`uniform_scale`: the largest at
which 表一 and 表四 fit on one page each, which they always do, not below MIN_SCALE), so body
text is one size on every page; a table wider than the page at that scale gets proportionally
narrower columns (`fit_width`) rather than a smaller scale of its own. Longer tables get manual
page breaks, which every spreadsheet program honours at a fixed scale. (`lay_out` without a
scale still finds a table's own best fit; the export uses it only to find the one-page scale.)
Cells inside the rules get one indent level of padding (workbook.published).

Page geometry was measured on LibreOffice 7.4 (the PDF's printer): a column of width w is 7w
points wide; the footer band of an imported .xlsx shrinks with the print scale (about
(bottom margin − footer margin + 6 pt) × scale). Excel's columns are narrower (about 5.25w + 3.75
points) and its footer band is fixed; the room per page is the smaller of the two, less 2 %.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.worksheet.pagebreak import Break, RowBreak

from . import pages, zeros
from .cells import column_index, coordinate_to_tuple, get_column_letter
from .grid import put
from .model import Book, Table

__all__ = ["published_money", "unused_rows", "fit_heights", "text_height", "row_lines", "lay_out", "apply_layout",
           "Layout", "ONE_PAGE", "SHRINK", "SHRINK_PAGES", "MIN_SCALE"]

ONE_PAGE = ("T1", "T4")  # always fit to one page
SHRINK = 0.8  # a table may print down to this fraction of its width-fitting scale to fit one page
SHRINK_PAGES = 0.9  # … and down to this one to need fewer pages (text below 9 pt reads badly)
MIN_SCALE = 0.5  # never shrunk below this to save pages (a wide table may need less just to fit)

# A4 landscape, points
PAGE_W, PAGE_H = 841.89, 595.28
LO_POINTS_PER_WIDTH = 7.0
LO_FOOTER_GAP = 6.0
SAFETY = 0.98
DEFAULT_WIDTH = 8.43  # Excel's default column width (characters)
DEFAULT_HEIGHT = 15.0
PADDING = 10.0  # points one indent level takes from a cell's width (padding beside the rules)

_TOTAL_LINES = {"in.subtotal", "in.total", "exp.subtotal", "exp.total"}


# --- blank or 0.00 -------------------------------------------------------------------------------


def published_money(book: Book) -> dict[str, dict[tuple[int, int], float | None]]:
    """Per sheet, the value each money cell is published with: None (blank) or a number, by the
    convention of spec.ZERO_RULES (workbook.zeros, which F.blank-zero reads too).

    Keys are (row, column) of the workbook as read. Cells holding text that is not a number
    are left out (published as found), and so are the amounts of an all-zero 表十二 block.
    """
    out: dict[str, dict[tuple[int, int], float | None]] = {}
    for table in book.tables.values():
        cells: dict[tuple[int, int], float | None] = {}
        for row, col, show in zeros.shown(table):
            value = row.values.get(col)
            if value is not None and not isinstance(value, Decimal):
                continue  # text in a money cell: as found
            if not show and table.spec.zeros == "block":
                continue
            if value is None and col not in row.inputs:
                show = False  # a total fill has not written: 0.00 would state a figure nobody computed
            where = (row.r, column_index(row.letters[col]))
            cells[where] = (float(value) if value is not None else 0.0) if show else None
        out[table.sheet] = cells
    return out


# --- rows that print nothing ----------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unused_rows(table: Table, values: list[list[object]]) -> list[int]:
    """Rows of the body of 表一–表十一 with nothing to print in any column (`values` as published)."""
    if table.spec.id == "T12" or not table.body_r:
        return []
    end = table.note_r or len(values) + 1
    return [r for r in range(table.body_r, end)
            if r - 1 >= len(values) or all(_blank(v) for v in values[r - 1])]


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Layout:
    """What lay_out decided for one sheet."""

    one_page: bool
    scale: int | None  # fixed scale in percent (None: fit to one page)
    breaks: list[int]  # rows after which a page break goes
    lines: list[pages.Line]
    room: float  # height for body lines per page, points at scale 1
    page_scale: int = 100  # the largest scale (percent) at which the table fits on one page


def row_lines(table: Table, rows: dict[int, int], first: int, last: int, texts: dict[int, str],
              heights: dict[int, float]) -> list[pages.Line]:
    """The printed rows first..last (new numbering) as the paginator sees them.

    `rows` maps the row numbers of the workbook as read to the published ones (dropped rows are
    absent); `texts` gives each published row's first text, `heights` each row's height.
    """
    kinds: dict[int, str] = {}
    top: set[int] = set()
    block_of: dict[int, int] = {}
    split_ok: set[int] = set()
    note = rows.get(table.note_r) if table.note_r else None
    if table.spec.id == "T12":
        _blocks(table, rows, first, last, texts, kinds, block_of, split_ok)
    else:
        codes = [(rows[row.r], row) for row in table.rows if row.r in rows]
        codes.sort(key=lambda pair: pair[0])
        for i, (r, row) in enumerate(codes):
            if row.kind in ("total", "dept") or row.key in _TOTAL_LINES:
                kinds[r] = pages.TOTAL
            elif kinds.get(r) != pages.TOTAL:
                kinds[r] = pages.BODY
            if row.kind == "code" and row.code:
                following = codes[i + 1][1].code if i + 1 < len(codes) else None
                if following and following != row.code and following.startswith(row.code):
                    kinds[r] = pages.HEADING
                if len(row.code) == 3:
                    top.add(r)
    lines = []
    for r in range(first, last + 1):
        kind = kinds.get(r, pages.BODY)
        if note is not None and r >= note:
            kind = pages.NOTE
        elif table.spec.id == "T12" and r not in kinds and not texts.get(r):
            kind = pages.BLANK
        lines.append(pages.Line(r, heights.get(r, DEFAULT_HEIGHT), kind, block_of.get(r), r in split_ok, r in top))
    return lines


_BLOCK_TITLE = re.compile(r"绩效目标表|^[（(]\d{4}\s*年度[）)]$")


def _blocks(table: Table, rows, first, last, texts, kinds, block_of, split_ok) -> None:
    """表十二: every row from a block's title down to the next block's title is that block's."""
    heads = []
    for block in [table.whole, *table.projects]:
        if block is None or block.r not in rows:
            continue
        start = rows[block.r]
        while start - 1 >= first and _BLOCK_TITLE.search(texts.get(start - 1, "")):
            start -= 1
        indicators = [rows[r] for r, _ in block.indicators if r in rows]
        heads.append((start, indicators))
    heads.sort()
    if not heads:
        return
    heads[0] = (first, heads[0][1])  # anything above the first block goes with it
    for i, (start, indicators) in enumerate(heads):
        end = heads[i + 1][0] - 1 if i + 1 < len(heads) else last
        for r in range(start, end + 1):
            block_of[r] = i
        # a block taller than a page may break between indicator rows, keeping two on each side
        split_ok.update(indicators[1:-1])
        for r in range(start, end + 1):
            if texts.get(r) or r in indicators:
                kinds[r] = pages.BODY


def lay_out(ws, table: Table, lines: list[pages.Line], title_rows: tuple[int, int] | None,
            last_col: int, scale: int | None = None) -> Layout:
    """Scale, fit and manual page breaks of a published sheet (heights already set).

    With `scale` (percent), the sheet prints at that scale with manual breaks: the set's one size
    (see `uniform_scale`); the columns must already fit the page's width at it (`fit_width`)."""
    widths = [_width(ws, c) for c in range(1, last_col + 1)]
    margins = ws.page_margins
    usable_w = PAGE_W - 72 * ((margins.left or 0) + (margins.right or 0))
    lo_width = sum(widths) * LO_POINTS_PER_WIDTH
    fit = min(1.0, usable_w / lo_width) if lo_width else 1.0
    titles = sum(_height(ws, r) for r in range(title_rows[0], title_rows[1] + 1)) if title_rows else 0.0
    total = sum(line.height for line in lines)

    def room(scale: float) -> float:
        return _usable_height(margins, scale) / scale * SAFETY - titles

    def floor(shrink: float) -> float:
        return max(fit * shrink, min(fit, MIN_SCALE))

    if scale is not None:
        return Layout(False, scale, pages.paginate(lines, room(scale / 100)), lines, room(scale / 100), scale)
    page_scale = next((p for p in range(math.floor(fit * 100), 9, -1) if total <= room(p / 100)), 10)
    if table.spec.id in ONE_PAGE or total <= room(floor(SHRINK)):
        return Layout(True, None, [], lines, room(fit), page_scale)
    best: tuple[int, int, list[int]] | None = None
    top = max(10, math.floor(fit * 100 * SAFETY))
    for percent in range(top, max(10, min(top, math.ceil(floor(SHRINK_PAGES) * 100))) - 1, -1):
        breaks = pages.paginate(lines, room(percent / 100))
        count = len(breaks) + 1
        if best is None or count < best[0]:
            best = (count, percent, breaks)
    count, percent, breaks = best
    return Layout(False, percent, breaks, lines, room(percent / 100), page_scale)


def uniform_scale(layouts: dict[str, Layout]) -> int:
    """One print scale for the whole set, so that body text is one size on every page: the
    largest at which 表一 and 表四 still fit on one page each, at most 100 %, at least MIN_SCALE.
    Tables wider than the page at it get narrower columns (`fit_width`), not a smaller scale."""
    fits = [layout.page_scale for tid, layout in layouts.items() if tid in ONE_PAGE]
    return max(math.ceil(MIN_SCALE * 100), min([100, *fits]))


def fit_width(ws, last_col: int, scale: int) -> None:
    """Narrow the columns (in proportion) so that the table is one page wide at `scale` percent."""
    margins = ws.page_margins
    usable_w = (PAGE_W - 72 * ((margins.left or 0) + (margins.right or 0))) * SAFETY
    widths = {c: _width(ws, c) for c in range(1, last_col + 1)}
    printed = sum(widths.values()) * LO_POINTS_PER_WIDTH * scale / 100
    if printed <= usable_w:
        return
    factor = usable_w / printed
    for c, w in widths.items():
        if w:
            dim = ws.column_dimensions[get_column_letter(c)]
            dim.min = dim.max = c  # one dimension per column (a range would be narrowed once per column)
            dim.width = round(w * factor, 2)


def apply_layout(ws, layout: Layout) -> None:
    """Write the decision into the sheet's print set-up."""
    setup = ws.page_setup
    if layout.one_page:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 1
        setup.scale = None
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        setup.fitToWidth, setup.fitToHeight = 1, 0
        setup.scale = layout.scale
    ws.row_breaks = RowBreak()
    for r in layout.breaks:
        ws.row_breaks.append(Break(id=r))


def _usable_height(margins, scale: float) -> float:
    """Printed height for rows on one page: the smaller of LibreOffice's and Excel's."""
    top, bottom = 72 * (margins.top or 0), 72 * (margins.bottom or 0)
    footer = 72 * (margins.footer or 0)
    band = max(bottom - footer, 0) + LO_FOOTER_GAP
    libreoffice = PAGE_H - top - min(footer, bottom) - band * scale
    excel = PAGE_H - top - bottom
    return min(libreoffice, excel)


def _width(ws, c: int) -> float:
    """Width of column c in characters (0 when hidden), also when a dimension covers a range."""
    letter = get_column_letter(c)
    dims = [ws.column_dimensions[letter]] if letter in ws.column_dimensions else []
    dims += [d for d in ws.column_dimensions.values() if d.min and d.max and d.min <= c <= d.max]
    for dim in dims:
        if dim.hidden:
            return 0.0
        if dim.width:
            return float(dim.width)
    return DEFAULT_WIDTH


def _height(ws, r: int) -> float:
    dim = ws.row_dimensions.get(r)
    if dim is not None and dim.hidden:
        return 0.0
    if dim is not None and dim.height is not None:
        return float(dim.height)
    return float(ws.sheet_format.defaultRowHeight or DEFAULT_HEIGHT)


# --- row heights -----------------------------------------------------------------------------


def fit_heights(ws, last_row: int, last_col: int) -> dict[int, float]:
    """Give every row 1..last_row an explicit height that shows its wrapped text; return them.

    The width a text wraps in is the narrower of LibreOffice's and Excel's reading of the column
    widths; a CJK character is one em wide, other characters 0.55 em.
    """
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left -> (columns, rows)
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.max_col - merged.min_col + 1,
                                                    merged.max_row - merged.min_row + 1)
    widths = {c: _width(ws, c) for c in range(1, last_col + 1)}
    texts: dict[int, list] = {}  # each row's text cells: the sheet's cells, not its rectangle
    for (r, c), cell in sorted(ws._cells.items()):
        if r <= last_row and c <= last_col and isinstance(cell.value, str) and cell.value.strip():
            texts.setdefault(r, []).append((c, cell))
    out = {}
    for r in range(1, last_row + 1):
        current = _height(ws, r)
        if current == 0.0:
            out[r] = 0.0
            continue
        need = current
        for c, cell in texts.get(r, ()):
            cols, height = spans.get((r, c), (1, 1))
            if height > 1 or not (cell.alignment and cell.alignment.wrap_text):
                continue
            points = min(LO_POINTS_PER_WIDTH * w, 5.25 * w + 3.75) if (w := sum(
                widths.get(c + k, DEFAULT_WIDTH) for k in range(cols))) else 0
            size = float(cell.font.sz or 11) if cell.font else 11.0
            padding = 4 + PADDING * (cell.alignment.indent or 0)
            need = max(need, text_height(cell.value, points - padding, size))
        out[r] = round(need * 4) / 4  # quarter points, as spreadsheet programs store them
        ws.row_dimensions[r].height = out[r]
    return out


def text_height(text: str, width: float, size: float) -> float:
    """Points a wrapped text needs in a cell `width` points wide at font size `size`."""
    lines = 0
    for part in text.split("\n"):
        ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in part)  # CJK and full-width: 1 em
        lines += max(1, math.ceil(ems * size / max(width, size)))
    return lines * size * 1.3 + 2


# --- 主管部门及代码 --------------------------------------------------------------------------


def typed_dept_code(grid) -> str | None:
    """The department's code as typed once on the 基本情况 sheet (None when it is not)."""
    from .narrative import sheet

    return sheet.read(grid).text("dept_code")


def fill_dept_codes(book: Book, values: dict[str, list[list[object]]], code: str | None) -> None:
    """表十二: each project's blank 主管部门及代码 published as "[code]部门" (as 表九 writes its
    items), from the one code typed on 基本情况 or given to export (--dept-code)."""
    table = book.tables.get("T12")
    code = (code or "").strip()
    if table is None or not code or not book.dept:
        return
    rows = values[table.sheet]
    for project in table.projects:
        addr = project.cells.get("dept_code")
        if project.dept_code or not addr:
            continue
        r, c = coordinate_to_tuple(addr)
        put(rows, r, c, f"[{code}]{book.dept}")
