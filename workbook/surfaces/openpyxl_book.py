"""A workbook loaded with openpyxl, its looks read and plans applied to it.

The reference the other surfaces are compared with in tests (and in bench/package.py). Files are
written through surfaces.package, which patches only what a plan touches.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.hyperlink import Hyperlink

from ..errors import BudgetbookError
from ..grid import OpenpyxlGrid, save_atomic
from ..plan import NO_FILL, Format, Note, Plan, SheetPlan, dump_fill, load_fill
from ..styles import FONT


class OpenpyxlSurface(OpenpyxlGrid):
    """Read values (the Grid interface) and looks (surfaces.looks.Looks); apply plans; save."""

    def __init__(self, path: Path):
        super().__init__(path)
        self._anchors: dict[str, dict[tuple[int, int], tuple[int, int]]] = {}

    # --- looks ---

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        if sheet not in self._anchors:
            covered = {}
            for merged in self.book[sheet].merged_cells.ranges:
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        covered[r, c] = (merged.min_row, merged.min_col)
            self._anchors[sheet] = covered
        return self._anchors[sheet].get((row, col), (row, col))

    def _cell(self, sheet: str, addr: str):
        """The cell if it exists (without creating it)."""
        try:
            return self.book[sheet]._cells.get(coordinate_to_tuple(addr))
        except (ValueError, TypeError, KeyError):
            return None

    def exists(self, sheet: str, addr: str) -> bool:
        cell = self._cell(sheet, addr)
        return cell is not None and not isinstance(cell, MergedCell)

    def value(self, sheet: str, addr: str):
        cell = self._cell(sheet, addr)
        return None if cell is None else cell.value

    def fill(self, sheet: str, addr: str) -> str:
        cell = self._cell(sheet, addr)
        return NO_FILL if cell is None else dump_fill(cell.fill)

    def note(self, sheet: str, addr: str) -> Note | None:
        cell = self._cell(sheet, addr)
        comment = None if cell is None else cell.comment
        if comment is None:
            return None
        return Note(comment.text or "", comment.author or "", *_points(comment))

    def notes_with(self, text: str):
        for ws in self.book.worksheets:
            for cell in ws._cells.values():
                comment = cell.comment
                if comment is not None and comment.text and text in comment.text:
                    yield ws.title, cell.coordinate, Note(comment.text, comment.author or "", *_points(comment))

    # --- applying ---

    def apply(self, plan: Plan) -> None:
        book = self.book
        active = book.active
        for name in plan.remove_sheets:
            if name in book.sheetnames:
                book.remove(book[name])
        for sheet, values in plan.values.items():
            self._set_values(sheet, values)
        for sheet, changes in plan.styles.items():
            self._restyle(sheet, changes)
        touched = set()
        for sheet, cells in plan.fills.items():
            for addr, fill in cells.items():
                book[sheet][addr].fill = load_fill(fill)
                touched.add((sheet, addr))
        for sheet, cells in plan.notes.items():
            for addr, note in cells.items():
                book[sheet][addr].comment = _comment(note)
                touched.add((sheet, addr))
        for sheet, addr in touched:
            cell = book[sheet][addr]
            if cell.value is None and not cell.has_style and cell.comment is None and cell.hyperlink is None:
                # a cell that exists only because a mark was put on it leaves no trace
                del cell.parent._cells[(cell.row, cell.column)]
        for sheet in plan.add_sheets:
            _write_sheet(book.create_sheet(sheet.name), sheet)
        self._anchors.clear()
        _activate(book, plan.active or active)

    def _set_values(self, sheet: str, values: dict[str, object]) -> None:
        ws = self.book[sheet]
        for addr, value in values.items():
            cell = ws[addr]
            if isinstance(cell, MergedCell):
                where = next((str(m) for m in ws.merged_cells.ranges if addr in m), addr)
                raise BudgetbookError(f"{self.path} 的 {sheet}!{addr} 是合计单元格，但被合并在 {where} 中，"
                                      f"无法写入；请取消合并后再试。")
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # plans never write formulas

    def _restyle(self, sheet: str, changes) -> None:
        ws = self.book[sheet]
        names = self.book.named_styles
        for addr, change in changes.items():
            # not a budgetbook template (no such named style): leave its look alone
            if change.new in names and ws[addr].style == change.old:
                ws[addr].style = change.new

    def save(self, out: Path) -> Path:
        return save_atomic(self.book, Path(out))


# Plans size notes in points (as Excel's note drawing does); openpyxl sizes them in pixels.
_PX = 0.75  # points per pixel at 96 dpi


def _points(comment) -> tuple[float | None, float | None]:
    return (None if comment.width is None else comment.width * _PX,
            None if comment.height is None else comment.height * _PX)


def _comment(note: Note | None):
    if note is None:
        return None
    comment = Comment(note.text, note.author)
    if note.width is not None:
        comment.width = round(note.width / _PX, 4)
    if note.height is not None:
        comment.height = round(note.height / _PX, 4)
    return comment


def _activate(book, active) -> None:
    """Keep the sheet Excel opens on; if it was removed, open on the first visible sheet."""
    if isinstance(active, str):
        active = book[active] if active in book.sheetnames else None
    if active is not None and active in book.worksheets + book.chartsheets:
        book.active = active
        return
    visible = [ws for ws in book._sheets if ws.sheet_state == "visible"]
    if visible:
        book.active = visible[0]
        for ws in book.worksheets:
            ws.sheet_view.tabSelected = ws is visible[0]


def _write_sheet(ws, sheet: SheetPlan) -> None:
    ws.sheet_state = sheet.state
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a note beginning with "=" is text, not a formula
    for addr, look in sheet.formats.items():
        _format(ws[addr], look)
    for addr, location in sheet.links.items():
        ws[addr].hyperlink = Hyperlink(ref=addr, location=location)
    for letter, width in sheet.widths.items():
        ws.column_dimensions[letter].width = width
    for row, height in sheet.heights.items():
        ws.row_dimensions[row].height = height
    if sheet.freeze:
        ws.freeze_panes = sheet.freeze
    if sheet.autofilter:
        ws.auto_filter.ref = sheet.autofilter
    if sheet.landscape:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.print_title_rows:
        ws.print_title_rows = sheet.print_title_rows


def _format(cell, look: Format) -> None:
    cell.font = Font(name=FONT, size=look.size, bold=True if look.bold else None, color=look.colour,
                     underline="single" if look.underline else None)
    if look.fill:
        cell.fill = PatternFill("solid", start_color=look.fill, end_color=look.fill)
    if look.halign or look.valign or look.wrap:
        cell.alignment = Alignment(horizontal=look.halign, vertical=look.valign,
                                   wrap_text=True if look.wrap else None)
