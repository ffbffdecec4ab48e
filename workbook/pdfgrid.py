"""Our own 12-table PDF (what `budgetbook export --pdf` prints through LibreOffice) read back.

Each page prints one sheet of the published workbook: its title and the "表X 单位：万元" line above
a ruled table, the 备注 line under it, and, on the pages a long table runs on to, the same title
and header rows again (print titles). Every cell of the ruled tables is put back in the sheet's
row and column (columns by the cells' left edges, a merged cell's text in its first cell, as
Excel keeps it); the lines outside the tables by where their words start. The workbook reader
(reader.read) then reads these rows as it reads the published .xlsx, so every rule sees what it
would see in the workbook, and a finding names the page, the table, the row and the column
(`Book.words`).

Figures are read as printed (#,##0.00, blank where the workbook is blank). The working columns
the published workbook carries as a document property (表三 单位类型) travel in the PDF's
document information under the same name (the export adds it: workbook.pdfinfo).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import reader, spec
from .errors import BudgetbookError
from .model import Book, performance_words
from .reader import squeeze

_FIGURE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")  # money prints with its decimals: codes stay text
_FOOTER = re.compile(r"^第\s*\d+\s*页\s*共\s*\d+\s*页$")
_SHEETS = {t.sheet for t in spec.TABLES}


@dataclass
class _Sheet:
    """One sheet as printed over its pages: (page, top, x0 of each cell, texts) of every row."""

    name: str
    rows: list[tuple[int, list[tuple[float, str]]]] = field(default_factory=list)
    edges: set[float] = field(default_factory=set)  # left edges of the ruled cells: the columns
    header: list[tuple[str, ...]] | None = None  # the first page's table rows, to know repeats


class PdfGrid:
    """The Grid of an exported PDF: the sheets in page order, their rows as the workbook had them."""

    def __init__(self, path: Path, pages, metadata: dict | None = None):
        self.path = Path(path)
        self._metadata = metadata or {}
        self._sheets: dict[str, _Sheet] = {}
        current: _Sheet | None = None
        for number, page in enumerate(pages, 1):
            current = self._page(number, page, current)
        self._rows = {name: self._grid(sheet) for name, sheet in self._sheets.items()}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def rows(self, sheet: str) -> list[list[object]]:
        return self._rows[sheet][0]

    def merged(self, sheet: str) -> list[str]:
        return []  # a PDF hides nothing under a merged range

    def page(self, sheet: str, r: int) -> int:
        """The page grid row r (1-based) of `sheet` is printed on."""
        pages = self._rows[sheet][1]
        return pages[min(r, len(pages)) - 1] if pages else 1

    def carried(self) -> dict:
        try:
            value = json.loads(_text(self._metadata.get(spec.CARRIED_PROPERTY)))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    # --- one page -----------------------------------------------------------------------------
    def _page(self, number: int, page, current: _Sheet | None) -> _Sheet | None:
        tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
        lines = [line for line in _lines(page.extract_words(), tables) if not _FOOTER.match(_joined(line))]
        name = next((segments[0][1] for _, segments in lines if segments[0][1] in _SHEETS), None)
        first = tables[0].bbox[1] if tables else None
        if name is not None and (current is None or current.name != name):
            current = self._sheets.setdefault(name, _Sheet(name))
            above = [(top, segments) for top, segments in lines if first is None or top < first]
            current.rows += _heading(number, above)
            repeated = 0
        elif current is None:
            return None  # a page before any table of ours
        else:
            repeated = None  # the print titles again: skipped, and the header rows of the table too
        events = [(top, 0, segments) for top, segments in lines if first is None or top >= first]
        events += [(table.bbox[1], 1, table) for table in tables]
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 0:
                current.rows.append((number, item))
                continue
            rows = _table_rows(item)
            current.edges.update(x for row in rows for x, _ in row)
            if current.header is None:
                current.header = [tuple(t for _, t in row) for row in rows]
            if repeated is None:
                repeated = _repeats(current.header, rows)
                rows = rows[repeated:]
            current.rows += [(number, row) for row in rows]
        return current

    def _grid(self, sheet: _Sheet) -> tuple[list[list[object]], list[int]]:
        edges = _columns(sheet.edges)
        out, pages = [], []
        for number, cells in sheet.rows:
            row: list[object] = []
            for x, text in cells:
                c = max(bisect_right(edges, x + 0.5) - 1, 0)
                while len(row) <= c:
                    row.append(None)
                row[c] = _value(text) if row[c] is None else row[c]
            out.append(_indicators_label(row))
            pages.append(number)
        return out, pages


_PERFORMANCE = spec.BY_ID["T12"]


def _indicators_label(row: list[object]) -> list[object]:
    """表十二's 绩效指标 cell spans a project's indicator rows; where they run over a page, the
    range has no bottom edge on the first page and no cell holds its text (LibreOffice prints it
    centred on the whole range, off the page). The indicator header beside it says what it was."""
    if row[:1] == [None] and tuple(row[1:5]) == _PERFORMANCE.indicator_header:
        row[0] = _PERFORMANCE.indicators_label
    return row


def _lines(words, tables) -> list[tuple[float, list[tuple[float, str]]]]:
    """The text lines outside the ruled tables: (top, [(x0, text)]) with words closer than a
    character's width joined (a wide gap starts a new cell: "表三" … "单位：万元")."""
    inside = [t.bbox for t in tables]
    lines: list[tuple[float, list[dict]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if any(x0 - 1 <= word["x0"] <= x1 + 1 and top - 1 <= word["top"] <= bottom + 1 for x0, top, x1, bottom in inside):
            continue
        if lines and abs(lines[-1][0] - word["top"]) < 2:
            lines[-1][1].append(word)
        else:
            lines.append((word["top"], [word]))
    out = []
    for top, line in lines:
        segments: list[tuple[float, str]] = []
        end = None
        for word in line:
            if end is not None and word["x0"] - end < word["height"] * 1.5:
                segments[-1] = (segments[-1][0], segments[-1][1] + word["text"])
            else:
                segments.append((word["x0"], word["text"]))
            end = word["x1"]
        out.append((top, segments))
    return out


def _joined(line) -> str:
    return "".join(text for _, text in line[1])


def _heading(number: int, above) -> list[tuple[int, list[tuple[float, str]]]]:
    """The title (one row, however it wrapped) and the "表X 单位：万元" line of a sheet's first page."""
    title = [segments for _, segments in above if segments[0][1] not in _SHEETS]
    rest = [segments for _, segments in above if segments[0][1] in _SHEETS]
    rows = []
    if title:
        rows.append((number, [(0.0, "".join(t for segments in title for _, t in segments))]))  # in A1, as typed
    return rows + [(number, segments) for segments in rest]


def _table_rows(table) -> list[list[tuple[float, str]]]:
    """(left edge, text) of each cell of each row; a cell a merged range covers is left out."""
    texts = table.extract()
    out = []
    for row, line in zip(table.rows, texts):
        out.append([(cell[0], _unwrapped(text)) for cell, text in zip(row.cells, line) if cell is not None])
    return out


def _repeats(header: list[tuple[str, ...]], rows) -> int:
    """How many leading rows of a continued table repeat its first page's leading rows."""
    n = 0
    while n < len(rows) and n < len(header) and tuple(t for _, t in rows[n]) == header[n] and \
            not any(_FIGURE.match(t) for _, t in rows[n]):
        n += 1
    return n


def _columns(edges: set[float]) -> list[float]:
    """The distinct left edges (within half a point: one column)."""
    out: list[float] = []
    for x in sorted(edges):
        if not out or x - out[-1] > 0.5:
            out.append(x)
    return out


def _unwrapped(text: str | None) -> str:
    """A cell's text as typed: the line breaks LibreOffice wrapped it at removed."""
    if not text:
        return ""
    parts = text.split("\n")
    out = parts[0]
    for part in parts[1:]:
        joint = out[-1:].isascii() and out[-1:].isalnum() and part[:1].isascii() and part[:1].isalnum()
        out += (" " if joint else "") + part
    return out


def _value(text: str) -> object:
    if not text:
        return None
    if _FIGURE.match(text):
        return Decimal(text.replace(",", ""))
    return text


def _text(value) -> str:
    if isinstance(value, bytes):
        for codec in ("utf-16", "utf-8"):
            try:
                return value.decode(codec)
            except UnicodeDecodeError:
                continue
        return ""
    return value if isinstance(value, str) else ""


# --- the Book, with its cells in words -----------------------------------------------------------

def read_own(path: Path, pdf) -> Book:
    """The Book of a PDF that `budgetbook export --pdf` wrote (strict=False: the tables not found
    are `missing`); its cells in words (`Book.words`)."""
    grid = PdfGrid(path, pdf.pages, pdf.metadata)
    if not grid.sheet_names():
        raise BudgetbookError(f"{path} 中没有找到本工具 12 张表格式的表一至表十二（各页表名下应有“表一”……“表十二”）；"
                              "如是 9 张表格式（上海、财政部模板），请加 --profile nine-table。")
    book = reader.read(grid, strict=False)
    book.words = _words(book, grid)
    return book


def _words(book: Book, grid: PdfGrid) -> dict[tuple[str, str], str]:
    """Each cell of the tables in words: "第3页 某县第一中学·基本支出" (page, row, column); a cell
    outside the rows read by the row's first text."""
    words: dict[tuple[str, str], str] = {}
    for table in book.tables.values():
        sheet, values = table.sheet, grid.rows(table.sheet)
        width = max(max(map(len, values), default=0), table.spec.printed)
        for r, line in enumerate(values, 1):
            head = squeeze(str(next((v for v in line if v is not None), "")))[:16]
            for c in range(1, width + 1):
                words[(sheet, f"{spec.column_letter(c)}{r}")] = f"第{grid.page(sheet, r)}页“{head}”一行第{c}栏"
        words[(sheet, "A1")] = f"第{grid.page(sheet, 1)}页的表名"
        if table.note_r:
            words[(sheet, f"A{table.note_r}")] = f"第{grid.page(sheet, table.note_r)}页的表下注释"
        for row in table.rows:
            page = grid.page(sheet, row.r)
            what = _row_words(table, row)
            for c in range(1, width + 1):
                words[(sheet, f"{spec.column_letter(c)}{row.r}")] = f"第{page}页 {what}"
            for col in row.values:
                column = table.spec.col(col).header[-1] if any(c.key == col for c in table.spec.cols) else ""
                words[(sheet, row.addr(col))] = f"第{page}页 {what}{'·' + column if column else ''}"
    return words


def _row_words(table, row) -> str:
    """A row by its code and name; 表十二's by the 部门整体 预算情况 line or the project's fund line."""
    if table.spec.id != "T12":
        return " ".join(x for x in (row.code, row.label) if x) or row.key
    return performance_words(table, row)
