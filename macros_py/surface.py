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

from workbook.advice import EXCEL
from workbook.cells import get_column_letter
from workbook.errors import BudgetbookError
from workbook.plan import NO_FILL, Format, Note, Plan, SheetPlan, solid_colour
from workbook.surfaces.blocks import (Rect, cell_of, client_value, colour_groups, fillers, format_groups, rectangles,
                                      union_addresses, value_blocks)
from workbook.surfaces.surface import folder_of, saved_file

from .ranges import MIXED, address, chunks, uniform

UNSUPPORTED = (NotImplementedError, AttributeError)
_VERY_HIDDEN = 2  # xlSheetVeryHidden
_NO_COLOUR = -4142  # xlColorIndexNone


# Worksheet.Protection's options, in the order of Worksheet.Protect's parameters
PROTECTION_OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                      "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                      "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                      "AllowUsingPivotTables")


class XlwingsSurface:
    """Grid (values), Looks (fills, notes, merges), Plan application and the host's part of the
    Surface protocol (workbook.surfaces.surface) for one xlwings Book."""

    where = EXCEL  # advice names the ribbon's buttons (workbook.advice)

    def __init__(self, book, progress=None):
        self.book = book
        self.path = Path(book.fullname)
        self.name = book.name
        self.progress = progress or (lambda text: None)
        self.remote = book.app.engine.name not in ("excel",)  # desktop Excel's engine is "excel"
        self._rows: dict[str, list[list[object]]] = {}
        self._formulas: dict[str, list[list[object]] | None] = {}
        self._sheets: dict[str, object] | None = None  # name -> xlwings Sheet, in workbook order
        # desktop Excel: looks read ahead together (prefetch): (sheet, row, col) -> anchor, fill
        self._anchors: dict[tuple[str, int, int], tuple[int, int]] = {}
        self._fills: dict[tuple[str, int, int], str] = {}
        self._comments: dict[str, dict[str, object]] = {}  # sheet -> cell -> Excel's Comment
        self._note_text: dict[tuple[str, str], Note] = {}

    # --- Grid ---

    def sheet_names(self) -> list[str]:
        return list(self._sheet_objects())

    def _sheet_objects(self) -> dict[str, object]:
        """The sheets, enumerated once: looking a sheet up by name again would cost two calls."""
        if self._sheets is None:
            self._sheets = {sheet.name: sheet for sheet in self.book.sheets}
        return self._sheets

    def _ws(self, sheet: str):
        return self._sheet_objects()[sheet]

    def rows(self, sheet: str) -> list[list[object]]:
        if sheet not in self._rows:
            self.progress(f"正在读取 {sheet} …")
            rng = self._used(sheet)
            # one call for the whole sheet; Excel's error values (#REF!) come as their text
            values = rng.options(ndim=2, err_to_str=True).value if rng is not None else []
            self._rows[sheet] = [[_plain(v) for v in row] for row in values]
        return self._rows[sheet]

    def _used(self, sheet: str):
        """From A1 to the used range's last cell."""
        ws = self._ws(sheet)
        if not self.remote:  # two calls; xlwings' last_cell costs nine
            last = ws.api.UsedRange.Address.split(":")[-1].replace("$", "")
            return ws.range(f"A1:{last}")
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

    def prefetch(self, sheet: str, addrs: list[str]) -> None:
        """Desktop Excel: the merges, fills and notes of these cells read together (macros_py.ranges),
        a few calls per sheet instead of about twenty per cell."""
        if self.remote:
            return
        ws = self._ws(sheet).api
        cells = [cell_of(a) for a in dict.fromkeys(addrs)]
        todo = [a for a, (r, c) in zip(dict.fromkeys(addrs), cells) if (sheet, r, c) not in self._fills]
        if not todo:
            return
        rects = rectangles(todo)
        merged = uniform(ws.Range, rects, _unmerged, lambda r, c: _merge_anchor(ws, r, c))
        for (r, c), anchor in merged.items():
            self._anchors[sheet, r, c] = (r, c) if anchor is None else anchor
        for (r, c), fill in uniform(ws.Range, rects, _solid_fill, lambda r, c: NO_FILL).items():
            self._fills[sheet, r, c] = fill
        self._sheet_comments(sheet)

    def _sheet_comments(self, sheet: str) -> dict[str, object]:
        """Every note of a sheet, enumerated once (three calls a note)."""
        if sheet not in self._comments:
            found = {}
            for comment in self._ws(sheet).api.Comments:
                found[comment.Parent.Address.replace("$", "")] = comment
            self._comments[sheet] = found
        return self._comments[sheet]

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        if (sheet, row, col) in self._anchors:
            return self._anchors[sheet, row, col]
        try:
            area = self._ws(sheet).range((row, col)).merge_area
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
        if (sheet, *cell_of(addr)) in self._fills:
            return self._fills[(sheet, *cell_of(addr))]
        try:
            colour = self._ws(sheet).range(addr).color
        except UNSUPPORTED:
            return NO_FILL
        if colour is None:
            return NO_FILL
        if isinstance(colour, str):
            return colour.lstrip("#").upper()
        return "".join(f"{int(part):02X}" for part in colour[:3])

    def note(self, sheet: str, addr: str) -> Note | None:
        if sheet in self._comments:
            comment = self._comments[sheet].get(addr)
            if comment is None:
                return None
            if (sheet, addr) not in self._note_text:
                self._note_text[sheet, addr] = Note(comment.Text(), comment.Author or "")
            return self._note_text[sheet, addr]
        try:
            note = self._ws(sheet).range(addr).note
            return None if note is None else Note(note.text, _author(note))
        except UNSUPPORTED:
            return None

    def notes_with(self, text: str):
        if not self.remote:
            for sheet in self.sheet_names():
                for where, comment in self._sheet_comments(sheet).items():
                    body = comment.Text()
                    if body and text in body:
                        yield sheet, where, self.note(sheet, where)
            return
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
        """Beside the workbook; one never saved has no folder yet (its new file would land in the
        home folder, where nobody looks for it)."""
        if not Path(self.book.fullname).is_absolute():
            raise BudgetbookError(f"工作簿“{self.book.name}”还没有保存到磁盘，新文件要放在它所在的文件夹：请先保存（Ctrl+S），"
                                  f"再按此按钮。")
        return folder_of(self.book.fullname)

    def open(self, path: Path) -> None:
        """Excel makes the workbook it opens the active one: it comes to the front (and the press
        leaves it there, see session.run)."""
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
        protected: dict[str, dict] = {}
        try:
            # in workbook order, before any write: a sheet that cannot be unprotected stops the job
            # with nothing written
            for name in [n for n in self.sheet_names() if n in touched]:
                options = self._unprotect(name)
                if options is not None:
                    protected[name] = options
            self._apply(plan)
        finally:
            for name, options in protected.items():
                self._protect(name, options)

    def _unprotect(self, sheet: str) -> dict | None:
        """Lift the sheet's protection (no password) for the job's writes: Excel refuses a macro's
        write to a locked cell as it refuses the user's. Returns the protection's options as the
        user (or the template) set them, to be put back exactly; None when it was not protected."""
        try:
            ws = self._ws(sheet).api
            if not ws.ProtectContents:
                return None
            options = {"DrawingObjects": ws.ProtectDrawingObjects, "Contents": True,
                       "Scenarios": ws.ProtectScenarios, "UserInterfaceOnly": ws.ProtectionMode}
            allowed = ws.Protection
            options.update({name: getattr(allowed, name) for name in PROTECTION_OPTIONS})
        except Exception:  # remote engine: no protection to lift
            return None
        try:
            ws.Unprotect()
        except Exception:  # Excel asks for the password the user set; a macro cannot answer
            raise BudgetbookError(f"工作表“{sheet}”设有密码保护，预算公开助手无法写入，本次未作任何改动；请在"
                                  f"「审阅」选项卡中点「撤销工作表保护」并输入密码，再按此按钮。") from None
        return options

    def _protect(self, sheet: str, options: dict) -> None:
        """Put the sheet's protection back with the options it had."""
        try:
            self._ws(sheet).api.Protect(**options)
        except Exception:
            pass

    def _apply(self, plan: Plan) -> None:
        for name in plan.remove_sheets:
            if name in self.sheet_names():
                self._ws(name).delete()
        self._sheets = None
        for sheet, values in plan.values.items():
            self.progress(f"正在写入 {sheet} …")
            ws = self._ws(sheet)
            spare = fillers(plan.keep.get(sheet, ()), values, lambda addr: self.value(sheet, addr),
                            lambda addr: self._formula(sheet, *cell_of(addr)))
            for rect, block in value_blocks(values, spare):
                rows = [[client_value(v) for v in row] for row in block]
                if self.remote:
                    ws.range(rect.address).value = rows
                else:  # two calls; xlwings' own conversion on the way costs about twenty-five more
                    ws.api.Range(rect.address).Value = [["" if v is None else v for v in row] for row in rows]
        for sheet, changes in plan.styles.items():
            self._restyle(sheet, changes)
        for sheet, cells in plan.fills.items():
            self._colour(self._ws(sheet), {addr: _colour_of(fill) for addr, fill in cells.items()})
        for sheet, notes in plan.notes.items():
            if self.remote:
                ws = self._ws(sheet)
                for addr, note in notes.items():
                    self._note(ws.range(addr), note)
            else:
                self._notes(sheet, notes)
        for sheet in plan.add_sheets:
            self._add_sheet(sheet)
        self._sheets = None
        for cache in (self._rows, self._formulas, self._anchors, self._fills, self._comments, self._note_text):
            cache.clear()

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
        """Named styles exist only through the desktop object model. Only cells that still have
        the old style change: read over union ranges (macros_py.ranges), so cells that already have
        the new one, the usual case, cost one read per address, and set over union ranges."""
        if self.remote:
            return
        ws = self._ws(sheet).api
        by_change: dict[tuple[str, str], list[str]] = {}
        for addr, change in changes.items():
            by_change.setdefault((change.old, change.new), []).append(addr)
        for (old, new), addrs in by_change.items():
            styles = uniform(ws.Range, rectangles(addrs), _style_name)
            stale = [f"{get_column_letter(c)}{r}" for (r, c), name in styles.items() if name == old]
            for group in chunks(rectangles(stale)):
                try:
                    ws.Range(address(group)).Style = new
                except Exception:  # no such named style in this workbook: keep the look
                    return

    def _notes(self, sheet: str, notes: dict[str, Note | None]) -> None:
        """Desktop Excel: notes deleted and added in one pass (two calls a note), then sized
        together: Excel keeps each note's box among the sheet's shapes in the order added, so the
        new boxes are the last ones and one call sizes all boxes of one size."""
        ws = self._ws(sheet).api
        existing = self._sheet_comments(sheet)
        for addr in notes:
            if addr in existing:
                existing.pop(addr).Delete()
        added = [(addr, note) for addr, note in notes.items() if note is not None]
        if not added:
            return
        shapes = ws.Shapes
        before = shapes.Count
        for addr, note in added:
            ws.Range(addr).AddComment(note.text)
        if shapes.Count != before + len(added):
            return  # not the boxes expected: leave Excel's default size rather than resize another shape
        for part in (0, 1):  # widths, then heights: each value one call over every box that has it
            sizes: dict[float, list[int]] = {}
            for index, (_, note) in enumerate(added, start=before + 1):
                if note.width and note.height:
                    sizes.setdefault((note.width, note.height)[part], []).append(index)
            for size, indexes in sizes.items():
                setattr(shapes.Range(indexes), ("Width", "Height")[part], size)

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
            rows = [[client_value(v) for v in row] + [None] * (width - len(row)) for row in plan.rows]
            if self.remote:
                ws.range("A1").value = rows
            else:
                ws.api.Range(Rect(1, 1, len(rows), width).address).Value = [["" if v is None else v for v in row]
                                                                           for row in rows]
        for letter, size in plan.widths.items():
            ws.range(f"{letter}1").column_width = size
        self._formats(ws, plan.formats)
        if self.remote:
            for addr, location in plan.links.items():
                self._link(ws, addr, location)
        else:
            self._hyperlink_formulas(ws, plan)
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

    def _hyperlink_formulas(self, ws, plan: SheetPlan) -> None:
        """Desktop Excel: the links of an added sheet as HYPERLINK formulas written in blocks (two
        calls a column of links, where Hyperlinks.Add costs three a link); an internal link jumps
        without a security prompt either way. A text too long for a formula gets a Hyperlinks.Add."""
        def text(r: int, c: int):
            row = plan.rows[r - 1] if r <= len(plan.rows) else []
            value = row[c - 1] if c <= len(row) else None
            return "" if value is None else str(value)

        def formula(r: int, c: int) -> str | None:
            location, shown = plan.links[f"{get_column_letter(c)}{r}"], text(r, c)
            if max(len(location) + 1, len(shown)) > 250:  # a formula's text constant holds 255
                return None
            return '=HYPERLINK("#{}","{}")'.format(location.replace('"', '""'), shown.replace('"', '""'))

        long = []
        for rect in rectangles(plan.links):
            grid = [[formula(r, c) for c in range(rect.left, rect.right + 1)] for r in range(rect.top, rect.bottom + 1)]
            long += [(r, c) for r in range(rect.top, rect.bottom + 1) for c in range(rect.left, rect.right + 1)
                     if grid[r - rect.top][c - rect.left] is None]
            ws.api.Range(rect.address).Formula = [[f if f is not None else text(r, c)
                                                   for c, f in enumerate(row, start=rect.left)]
                                                  for r, row in enumerate(grid, start=rect.top)]
        for r, c in long:
            addr = f"{get_column_letter(c)}{r}"
            self._link(ws, addr, plan.links[addr])

    def _link(self, ws, addr: str, location: str) -> None:
        rng = ws.range(addr)
        try:  # an internal link: jumps to the cell without a security prompt
            ws.api.Hyperlinks.Add(Anchor=rng.api, Address="", SubAddress=location)
        except Exception:
            rng.add_hyperlink(f"#{location}", rng.value)


def _unmerged(rng):
    """None where no cell of the range is merged (each its own anchor); MIXED otherwise."""
    return None if rng.MergeCells is False else MIXED


def _merge_anchor(ws, row: int, col: int) -> tuple[int, int]:
    area = ws.Cells(row, col).MergeArea
    return area.Row, area.Column


def _solid_fill(rng):
    """The fill the range's cells share, as six hex digits or "none"; MIXED where they differ."""
    interior = rng.Interior
    index = interior.ColorIndex
    if index == _NO_COLOUR:
        return NO_FILL
    colour = None if index is None else interior.Color
    if colour is None:
        return MIXED
    colour = int(colour)  # Excel's colours are BGR
    return f"{colour & 0xFF:02X}{(colour >> 8) & 0xFF:02X}{(colour >> 16) & 0xFF:02X}"


def _style_name(rng):
    style = rng.Style
    return MIXED if style is None else style.Name


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
