"""The small grid interface the core talks to, with openpyxl and python-calamine behind it.

The xlwings implementation of the same interface lives in macros_py (no xlwings in the core).
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Protocol

from .atomic import write_atomic
from .errors import BudgetbookError, damaged, detail, shown


class Grid(Protocol):
    path: Path

    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str) -> list[list[object]]:
        """All values of a sheet from A1, blank cells as None; a value the file holds under a
        merged range (Excel shows only the range's first cell) included."""

    def merged(self, sheet: str) -> list[str]:
        """The sheet's merged ranges ("B8:D8")."""

    # optional: carried() -> the working columns a published file carries (grid.carried)


def _unreadable(path: Path, why: str, exc: BaseException | None = None) -> BudgetbookError:
    return BudgetbookError(f"无法读取 {shown(path)}：{why}。", detail(exc) if exc else None)


def open_calamine(path: Path):
    """python-calamine's workbook; a file name that is not UTF-8 (calamine takes text paths only)
    is read through a file object."""
    from python_calamine import CalamineWorkbook

    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    return CalamineWorkbook.from_path(text)


def check_xlsx(path: Path):
    """Refuse early, in one sentence, what is not an .xlsx workbook, or is hostile (a FIFO, a zip
    bomb, a sheet reaching XFD1048576 …: see workbook.safety). Returns the inspection."""
    from .safety import inspect

    return inspect(Path(path))


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def load_workbook(path: Path, **options):
    """openpyxl.load_workbook, with damaged files refused in one sentence and the named styles of
    a workbook saved by LibreOffice linked back to their cells."""
    import openpyxl

    path = Path(path)
    inspection = check_xlsx(path)
    for sheet, extent in inspection.extents.items():  # openpyxl cannot load these: name the cell
        for ref, value in extent.odd:
            if not value.startswith("#"):
                raise _unreadable(path, f"工作表“{sheet}”的 {ref} 单元格的值是 {value}，不是数字；"
                                        f"请在 Excel 或 WPS 中改为正确的金额后再试")
    try:
        book = openpyxl.load_workbook(path, **options)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise damaged(path, exc=exc) from None
    if not options.get("read_only"):
        _relink_named_styles(book, path)
    return book


def _relink_named_styles(book, path: Path) -> None:
    """LibreOffice writes more cell-style records than named styles; openpyxl then reads each
    cell's style link as a position in its shorter list, so `cell.style` fails and a later save
    writes links Excel repairs. Re-point every cell at its named style by name."""
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return
    names = [style.name for style in book._named_styles]
    remap = {int(node.get("xfId", 0)): names.index(node.get("name")) if node.get("name") in names else 0
             for node in root.iter(f"{_MAIN}cellStyle")}
    if all(xf == index for xf, index in remap.items()) and len(remap) == len(names):
        return
    for sheet in book.worksheets:
        for cell in sheet._cells.values():
            if cell.has_style:
                cell._style.xfId = remap.get(cell._style.xfId, 0)


class OpenpyxlGrid:
    """Read with openpyxl, keeping styles, notes, rich text and VBA of .xlsm files for a later save
    (surfaces.openpyxl_book.OpenpyxlSurface applies plans to it).

    Reads see what Excel shows: a formula cell reads as the result Excel saved with it (only a
    formula with no saved result reads as its text, which the checks then report)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.book = load_workbook(self.path, keep_vba=self.path.suffix.lower() == ".xlsm", rich_text=True)
        self._results = None  # the saved formula results, loaded only if a sheet has formulas

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def rows(self, sheet: str) -> list[list[object]]:
        ws = self.book[sheet]
        # only the cells the sheet holds (openpyxl keeps them in a dict): a styled empty cell or
        # one stray value far out (CV200000) must not make a walk over millions of blank cells
        rows: list[list[object]] = []
        for (r, c), cell in sorted(ws._cells.items()):
            value = _plain(cell.value)
            if value is None:
                continue
            formula = formula_text(value)
            if formula is not None and cell.data_type == "f":
                result = self._result(sheet, r, c)
                value = formula if result is None else result
            put(rows, r, c, value)
        return _with_hidden(rows, sheet, self)

    def merged(self, sheet: str) -> list[str]:
        return merged_ranges(self.path, sheet)

    def carried(self) -> dict:
        return carried(self.path)

    def _raw(self, sheet: str) -> list[list[object]]:
        """The sheet as calamine reads it: openpyxl drops what lies under a merged range."""
        return sheet_values(self.path, open_calamine(self.path), sheet)

    def _result(self, sheet: str, r: int, c: int):
        if self._results is None:
            self._results = load_workbook(self.path, data_only=True)
        return self._results[sheet].cell(r, c).value


def carried(path: Path) -> dict:
    """The working columns a published workbook carries for the checker (spec.CARRIED_PROPERTY, a
    custom document property written by the export): {} when the file has none or it is unreadable
    (the checker then says what it could not know)."""
    import json

    from defusedxml import ElementTree

    from .spec import CARRIED_PROPERTY

    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/custom.xml" not in archive.namelist():
                return {}
            root = ElementTree.fromstring(archive.read("docProps/custom.xml"))
        for prop in root:
            if prop.get("name") == CARRIED_PROPERTY:
                value = json.loads("".join(prop.itertext()))
                return value if isinstance(value, dict) else {}
    except (OSError, zipfile.BadZipFile, ValueError, ElementTree.ParseError):
        return {}
    return {}


def merged_ranges(path: Path, sheet: str) -> list[str]:
    """A sheet's merged ranges, as the inspection of the file found them (no second read)."""
    extent = check_xlsx(path).extents.get(sheet)
    return list(extent.merged) if extent else []


def _with_hidden(rows: list[list[object]], sheet: str, grid: "OpenpyxlGrid") -> list[list[object]]:
    """`rows` with the values the file holds under merged ranges put back (openpyxl drops them on
    load; calamine keeps them), so that every reader sees the same cells."""
    from .cells import covered

    extent = check_xlsx(grid.path).extents.get(sheet)
    if not extent or not extent.merged:
        return rows
    hidden = [cell for span in extent.merged for cell in covered(span, extent.rows, extent.cols)]
    source = None
    for r, c in hidden:
        if r <= len(rows) and c <= len(rows[r - 1]) and rows[r - 1][c - 1] is not None:
            continue
        source = grid._raw(sheet) if source is None else source
        value = source[r - 1][c - 1] if r <= len(source) and c <= len(source[r - 1]) else ""
        if value in ("", None):
            continue
        put(rows, r, c, value)
    return rows


def with_odd_values(rows: list[list[object]], path: Path, sheet: str) -> list[list[object]]:
    """`rows` with each error value (#REF!, #N/A …, which calamine reads as blank) and NaN/INF put
    back at its cell as text, so that the checks name it there instead of reading a blank."""
    from .cells import coordinate_to_tuple

    extent = check_xlsx(path).extents.get(sheet)
    for ref, value in extent.odd if extent else ():
        try:
            r, c = coordinate_to_tuple(ref)
        except ValueError:
            continue
        if r > len(rows) or c > len(rows[r - 1]) or rows[r - 1][c - 1] in (None, ""):
            put(rows, r, c, value)
    return rows


BLANK_ROW = ()  # every blank row of a sheet read cell by cell: one object, however far the last cell


def put(rows: list[list[object]], r: int, c: int, value: object) -> None:
    """Set the value at 1-based row r, column c of ragged `rows`, growing them as needed."""
    if len(rows) < r:
        rows.extend([BLANK_ROW] * (r - len(rows)))
    row = rows[r - 1]
    if row.__class__ is not list:  # BLANK_ROW, shared by the blank rows of a sparse sheet
        row = rows[r - 1] = list(row)
    if len(row) < c:
        row.extend([None] * (c - len(row)))
    row[c - 1] = value


def sheet_values(path: Path, calamine, sheet: str) -> list[list[object]]:
    """A sheet's values as python-calamine reads them (`calamine`: the open workbook), blank as
    None, error values and NaN/INF put back (with_odd_values); rows may differ in length.

    calamine holds a sheet's whole used area in memory: one stray value at CV200000 behind a table
    of 40 cells makes 20 million. Such a sheet (safety.Extent.sparse) is read cell by cell with
    openpyxl's streaming reader instead, so time and memory follow the cells that hold values."""
    extent = check_xlsx(path).extents.get(sheet)
    if extent is not None and extent.sparse and all(v.startswith("#") for _, v in extent.odd):
        rows = _streamed(path, sheet)  # (openpyxl's reader cannot take NaN/INF: those stay with calamine)
    else:
        data = calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        rows = [[None if v == "" else v for v in row] for row in data]
    return with_odd_values(rows, path, sheet)


def _streamed(path: Path, sheet: str) -> list[list[object]]:
    """The cells of one sheet through openpyxl's read-only reader, as calamine gives them (numbers
    as floats, an empty text as blank, formulas as their saved results); blank rows stay empty."""
    import openpyxl

    from openpyxl.worksheet._reader import WorkSheetParser

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows: list[list[object]] = []
    try:
        ws = book[sheet]
        # the parser read-only sheets iterate with (ReadOnlyWorksheet._cells_by_row), without the
        # blank rows that iteration makes up: only the rows and cells the file holds
        with ws._get_source() as source:
            parser = WorkSheetParser(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                                     date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for r, cells in parser.parse():
                for cell in cells:
                    value = _as_calamine(cell["value"])
                    if value is not None:
                        put(rows, r, cell["column"], value)
    finally:
        book.close()
    return rows


def _as_calamine(value):
    """openpyxl's reading of a value as calamine's: whole numbers as floats, a date at midnight as
    a date, an empty text as blank."""
    import datetime

    if value.__class__ is int:
        return float(value)
    if value.__class__ is datetime.datetime and value.time() == datetime.time():
        return value.date()
    return None if value == "" else value


def formula_text(value) -> str | None:
    """"=A1+1" for a formula cell's value (array formulas from LibreOffice or Excel 365 included)."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, DataTableFormula):
        return "=TABLE()"
    return value if isinstance(value, str) and value.startswith("=") else None


def _plain(value):
    """Rich text reads as its plain text; its formatting stays in the workbook."""
    from openpyxl.cell.rich_text import CellRichText

    return str(value) if isinstance(value, CellRichText) else value


def has_formulas(path: Path) -> bool:
    """Whether any sheet holds a formula (seen while the package was inspected, no workbook load)."""
    return check_xlsx(Path(path)).formulas


def fast_grid(path: Path) -> "Grid":
    """The quickest reader that sees what Excel shows: calamine, unless formulas need openpyxl
    to tell a saved result from a formula that has none (calamine reads both as blank)."""
    return OpenpyxlGrid(path) if has_formulas(path) else CalamineGrid(path)


class CalamineGrid:
    """Fast read-only access through python-calamine (for checking many workbooks)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        check_xlsx(self.path)
        try:
            self.book = open_calamine(self.path)
        except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException (a BaseException)
            raise _parser_failed(self.path, exc) from None

    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def rows(self, sheet: str) -> list[list[object]]:
        try:
            return sheet_values(self.path, self.book, sheet)
        except BudgetbookError:
            raise
        except BaseException as exc:
            raise _parser_failed(self.path, exc, sheet) from None

    def merged(self, sheet: str) -> list[str]:
        return merged_ranges(self.path, sheet)

    def carried(self) -> dict:
        return carried(self.path)


def _parser_failed(path: Path, exc: BaseException, sheet: str | None = None) -> BaseException:
    """A damaged file, in one sentence; an interrupt or lack of memory stays what it is."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
        return exc
    return damaged(path, sheet, exc)


def save_atomic(book, out: Path) -> Path:
    """Save an openpyxl workbook atomically (see workbook.atomic)."""
    return write_atomic(Path(out), book.save)
