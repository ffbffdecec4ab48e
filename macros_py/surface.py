"""The workbook open in Excel, as a surface for the jobs (workbook.jobs): read and applied through
xlwings with as few calls as the work allows.

Every call into Excel costs a round trip (COM on Windows, Apple events on macOS), so each sheet is
read with one call, values are written as whole 2-D blocks (workbook.surfaces.blocks), colours as
union ranges of up to 255 characters (one call per colour per chunk), and fills and notes are read
and written only on the cells a plan marks.

Engines differ in what they can do; what one cannot, is done without, never guessed:
- desktop Excel (Windows, macOS): everything below;
- xlwings' remote engine (used in the tests, from a JSON snapshot of a workbook): no union
  addresses (it would colour only the first area), so one colour call per rectangle; no reading of
  colours, formulas, merges or note text; notes only with an Office.js client. Originals it cannot
  read are recorded as "no fill"/"no note", and cells are assumed to hold values, not formulas.
"""
from __future__ import annotations

from pathlib import Path

from workbook.plan import NO_FILL, Format, Note, Plan, SheetPlan, solid_colour
from workbook.surfaces.blocks import (Rect, cell_of, client_value, colour_groups, fillers, format_groups, rectangles,
                                      union_addresses, value_blocks)
from workbook.surfaces.surface import folder_of, saved_file

UNSUPPORTED = (NotImplementedError, AttributeError)
_VERY_HIDDEN = 2  # xlSheetVeryHidden


class XlwingsSurface:
    """Grid (values), Looks (fills, notes, merges), Plan application and the host's part of the
    Surface protocol (workbook.surfaces.surface) for one xlwings Book."""

    def __init__(self, book, progress=None):
        self.book = book
        self.path = Path(book.fullname)
        self.name = book.name
        self.progress = progress or (lambda text: None)
        self.remote = book.app.engine.name not in ("excel",)  # desktop Excel's engine is "excel"
        self._rows: dict[str, list[list[object]]] = {}
        self._formulas: dict[str, list[list[object]] | None] = {}

    # --- Grid ---

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def rows(self, sheet: str) -> list[list[object]]:
        if sheet not in self._rows:
            self.progress(f"正在读取 {sheet} …")
            rng = self._used(sheet)
            # one call for the whole sheet; Excel's error values (#REF!) come as their text
            values = rng.options(ndim=2, err_to_str=True).value if rng is not None else []
            self._rows[sheet] = [[_plain(v) for v in row] for row in values]
        return self._rows[sheet]

    def _used(self, sheet: str):
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        return ws.range((1, 1), (last.row, last.column))

    def _formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether a cell holds a formula; False where the engine cannot tell (see module notes)."""
        if sheet not in self._formulas:
            try:
                self._formulas[sheet] = self._used(sheet).options(ndim=2).formula
            except UNSUPPORTED:
                self._formulas[sheet] = None
        formulas = self._formulas[sheet]
        if not formulas or row > len(formulas) or col > len(formulas[row - 1]):
            return False
        text = formulas[row - 1][col - 1]
        return isinstance(text, str) and text.startswith("=")

    # --- Looks ---

    def _raw(self, sheet: str, row: int, col: int):
        rows = self.rows(sheet)
        return rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) else None

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        try:
            area = self.book.sheets[sheet].range((row, col)).merge_area
            return area.row, area.column
        except UNSUPPORTED:
            return row, col

    def exists(self, sheet: str, addr: str) -> bool:
        r, c = cell_of(addr)
        return (self._raw(sheet, r, c) is not None or self.fill(sheet, addr) != NO_FILL
                or self.note(sheet, addr) is not None)

    def value(self, sheet: str, addr: str):
        return self._raw(sheet, *cell_of(addr))

    def fill(self, sheet: str, addr: str) -> str:
        try:
            colour = self.book.sheets[sheet].range(addr).color
        except UNSUPPORTED:
            return NO_FILL
        if colour is None:
            return NO_FILL
        if isinstance(colour, str):
            return colour.lstrip("#").upper()
        return "".join(f"{int(part):02X}" for part in colour[:3])

    def note(self, sheet: str, addr: str) -> Note | None:
        try:
            note = self.book.sheets[sheet].range(addr).note
            return None if note is None else Note(note.text, _author(note))
        except UNSUPPORTED:
            return None

    def notes_with(self, text: str):
        for ws in self.book.sheets:
            try:
                notes = list(ws.notes)
            except UNSUPPORTED:
                continue
            for note in notes:
                try:
                    body = note.text
                    where = note.location.address.replace("$", "")
                except UNSUPPORTED:
                    continue
                if body and text in body:
                    yield ws.name, where, Note(body, _author(note))

    # --- the host ---

    def finish(self) -> None:
        """Nothing: the workbook stays open as changed; the user saves it."""

    def saved_file(self) -> Path:
        try:
            saved = self.book.api.Saved
        except Exception:
            saved = True  # an engine that cannot say: the file on disk is what is read
        return saved_file(self.book.fullname, self.book.name, saved)

    def folder(self) -> Path:
        return folder_of(self.book.fullname)

    def open(self, path: Path) -> None:
        try:
            self.book.app.books.open(str(path))
        except UNSUPPORTED:
            pass

    def print_pdf(self, xlsx: Path, pdf: Path) -> bool:
        """Print the exported workbook to PDF with Excel itself (no LibreOffice on the desktop)."""
        try:
            published = self.book.app.books.open(str(xlsx))
            try:
                published.to_pdf(str(pdf))
            finally:
                published.close()
            return True
        except Exception:
            return False

    # --- applying ---

    def apply(self, plan: Plan) -> None:
        touched = {sheet for part in (plan.values, plan.fills, plan.notes, plan.styles) for sheet in part}
        protected = [name for name in touched if self._unprotect(name)]
        try:
            self._apply(plan)
        finally:
            for name in protected:
                self._protect(name)

    def _unprotect(self, sheet: str) -> bool:
        """Lift the template's sheet protection (no password) for the job's writes: Excel refuses
        a macro's write to a locked cell as it refuses the user's. True when it was protected."""
        try:
            ws = self.book.sheets[sheet].api
            if not ws.ProtectContents:
                return False
            ws.Unprotect()
            return True
        except Exception:  # remote engine: no protection to lift
            return False

    def _protect(self, sheet: str) -> None:
        """Put the template's protection back: totals locked, rows insertable, sizes adjustable."""
        try:
            self.book.sheets[sheet].api.Protect(DrawingObjects=False, Contents=True, Scenarios=False,
                                                AllowFormattingColumns=True, AllowFormattingRows=True,
                                                AllowInsertingRows=True, AllowDeletingRows=True)
        except Exception:
            pass

    def _apply(self, plan: Plan) -> None:
        for name in plan.remove_sheets:
            if name in self.sheet_names():
                self.book.sheets[name].delete()
        for sheet, values in plan.values.items():
            self.progress(f"正在写入 {sheet} …")
            ws = self.book.sheets[sheet]
            spare = fillers(plan.keep.get(sheet, ()), values, lambda addr: self.value(sheet, addr),
                            lambda addr: self._formula(sheet, *cell_of(addr)))
            for rect, block in value_blocks(values, spare):
                ws.range(rect.address).value = [[client_value(v) for v in row] for row in block]
        for sheet, changes in plan.styles.items():
            self._restyle(sheet, changes)
        for sheet, cells in plan.fills.items():
            self._colour(self.book.sheets[sheet], {addr: _colour_of(fill) for addr, fill in cells.items()})
        for sheet, notes in plan.notes.items():
            ws = self.book.sheets[sheet]
            for addr, note in notes.items():
                self._note(ws.range(addr), note)
        for sheet in plan.add_sheets:
            self._add_sheet(sheet)
        self._rows.clear()
        self._formulas.clear()

    def _colour(self, ws, colours: dict[str, str | None]) -> None:
        groups = colour_groups({addr: colour or NO_FILL for addr, colour in colours.items()})
        for colour, rects in groups.items():
            value = None if colour == NO_FILL else f"#{colour}"
            for address in self._addresses(rects):
                ws.range(address).color = value

    def _addresses(self, rects: list[Rect]) -> list[str]:
        """Union addresses where the engine takes them, else one address per rectangle."""
        return [rect.address for rect in rects] if self.remote else union_addresses(rects)

    def _restyle(self, sheet: str, changes) -> None:
        """Named styles exist only through the desktop object model; cell by cell (a fill where
        rows changed roles, rare), and only where the cell still has the old style."""
        ws = self.book.sheets[sheet]
        for addr, change in changes.items():
            try:
                cell = ws.range(addr).api
                if cell.Style.Name == change.old:
                    cell.Style = change.new
            except Exception:  # remote engine (no styles), or no such named style: keep the look
                return

    def _note(self, rng, note: Note | None) -> None:
        try:
            current = rng.note
        except UNSUPPORTED:
            current = None
        if current is not None:
            current.delete()
        if note is None:
            return
        added = rng.add_note(note.text)
        if note.width and note.height:
            try:  # desktop Excel: size the note's shape so the text can be read without resizing
                added.api.Shape.Width, added.api.Shape.Height = note.width, note.height
            except Exception:
                pass

    def _add_sheet(self, plan: SheetPlan) -> None:
        ws = self.book.sheets.add(plan.name, after=self.book.sheets[len(self.book.sheets) - 1])
        width = max((len(row) for row in plan.rows), default=0)
        if plan.rows and width:
            ws.range("A1").value = [[client_value(v) for v in row] + [None] * (width - len(row)) for row in plan.rows]
        for letter, size in plan.widths.items():
            ws.range(f"{letter}1").column_width = size
        self._formats(ws, plan.formats)
        for addr, location in plan.links.items():
            self._link(ws, addr, location)
        if plan.state != "visible":
            try:
                ws.api.Visible = _VERY_HIDDEN if plan.state == "veryHidden" else 0
            except UNSUPPORTED:
                ws.visible = False

    def _formats(self, ws, formats: dict[str, Format]) -> None:
        """One call per look and value over all its cells (fonts, fills, wrapping)."""
        for (key, value), cells in format_groups(formats).items():
            if key == "underline":
                continue  # xlwings' Font has no underline: the link's colour shows it
            for address in self._addresses(rectangles(cells)):
                rng = ws.range(address)
                try:
                    if key == "fill":
                        rng.color = f"#{value}"
                    elif key == "wrap":
                        rng.wrap_text = True
                    elif key == "color":
                        rng.font.color = f"#{value}"
                    else:
                        setattr(rng.font, key, value)
                except UNSUPPORTED:
                    pass

    def _link(self, ws, addr: str, location: str) -> None:
        rng = ws.range(addr)
        try:  # an internal link: jumps to the cell without a security prompt
            ws.api.Hyperlinks.Add(Anchor=rng.api, Address="", SubAddress=location)
        except Exception:
            rng.add_hyperlink(f"#{location}", rng.value)


def _plain(value):
    return None if value == "" else value


def _colour_of(fill: str) -> str | None:
    """A plan's fill as one Excel colour; fills Excel cannot set through xlwings (patterns,
    gradients, theme colours) come back as their solid colour where they have one."""
    return None if fill == NO_FILL else solid_colour(fill)


def _author(note) -> str:
    try:
        return note.author or ""
    except UNSUPPORTED:
        return ""
