"""A worksheet part: one expat pass records where every row and cell is, and what the patcher
must know of them (style index, formula, value present); patching replaces only the byte ranges
of the planned cells.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal

from ...cells import addr, split_range, split_ref
from . import xml
from .xml import Splice

F_FORMULA, F_OTHER = 1, 8  # a cell with a formula; with children other than f, v, is (extLst)


@dataclass(slots=True)
class Cell:
    """A <c> element: where it starts (where it ends is found when needed) and what the patcher
    must know of it."""

    start: int
    style: int | None  # the s attribute; None when absent or not a number
    type: str | None  # the t attribute
    flags: int = 0  # F_FORMULA, F_OTHER
    end: int = 0  # 0 until cell_end finds it


@dataclass(slots=True)
class Row:
    start: int
    flat: list  # expat's attribute list: name, value, name, value …
    name: str = "row"
    cols: list = field(default_factory=list)  # columns of its cells, in document order
    end: int = 0  # found when needed (SheetIndex.row_span)
    close: int | None = None  # start of </row>; None when self-closing

    @property
    def attrs(self) -> list:
        return xml.pairs(self.flat)


@dataclass(slots=True)
class Formula:
    kind: str  # "normal", "shared", "array", "dataTable"
    ref: str | None
    si: str | None


@dataclass(slots=True)
class Top:
    """A child of <worksheet> (or a sheet view)."""

    local: str
    start: int
    attrs: list
    name: str = ""
    end: int = 0
    close: int | None = None


class SheetIndex:
    """Where every row and cell of a worksheet part is.

    Speed matters here (every sheet a plan touches is read once): inside <sheetData> only start
    tags are reported (rows and cells cannot nest, so where one ends is found when it is needed),
    and a cell's children only set flags; everything else of the sheet is read in full."""

    def __init__(self, data: bytes):
        self.data = data
        self.rows: dict[int, Row] = {}
        self.cells: dict[tuple[int, int], Cell] = {}
        self.formulas: dict[tuple[int, int], Formula] = {}
        self.arrays: list[tuple[tuple[int, int, int, int], tuple[int, int]]] = []
        self.shared: dict[str, tuple[int, int]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.cols: list[tuple[int, int, list]] = []  # (min, max, attrs)
        self.views: list[Top] = []
        self.top: list[Top] = []
        self.table_rids: list[str] = []
        self.addressless = False
        self.root_name = ""
        self.root_attrs: list = []
        self.root_close = 0
        _Pass(self).run()
        self.pre = xml.prefix(self.root_name)
        self.cell_name = (self.pre + "c").encode()
        self.ns = xml.namespaces(self.root_attrs)
        self.rel_prefix = next((p for p, uri in self.ns.items() if uri == xml.REL_NS and p), None)

    def topmost(self, local: str) -> Top | None:
        return next((t for t in self.top if t.local == local), None)

    # --- where things end (found when needed) ---

    def cell_end(self, rc: tuple[int, int]) -> int:
        cell = self.cells[rc]
        if not cell.end:
            cell.end = xml.element_end(self.data, cell.start)[1]
        return cell.end

    def cell_bytes(self, rc: tuple[int, int]) -> bytes:
        return self.data[self.cells[rc].start:self.cell_end(rc)]

    def row_span(self, r: int) -> Row:
        row = self.rows[r]
        if not row.end:
            row.close, row.end = xml.element_end(self.data, row.start)
        return row

    # --- reading ---

    def has_result(self, rc: tuple[int, int]) -> bool:
        """Whether a cell holds a saved value (a <v> with text)."""
        cell = self.cells.get(rc)
        if cell is None:
            return False
        node = xml.tree(self.cell_bytes(rc))
        v = node.find("v")
        return v is not None and v.text != ""

    def formula_text(self, rc: tuple[int, int]) -> str | None:
        """"=..." for a formula cell (shared formulas translated to this cell)."""
        info = self.formulas.get(rc)
        if info is None:
            return None
        if info.kind == "dataTable":
            return "=TABLE()"
        text = self._text(rc)
        if info.kind == "shared" and not text and info.si in self.shared:
            anchor = self.shared[info.si]
            base = self._text(anchor)
            from openpyxl.formula.translate import Translator

            try:
                return Translator("=" + base, addr(*anchor)).translate_formula(addr(*rc))
            except Exception:
                return "=" + base
        return "=" + text

    def _text(self, rc: tuple[int, int]) -> str:
        f = xml.tree(self.cell_bytes(rc)).find("f")
        return f.all_text() if f is not None else ""

    def inherited(self, row: int, col: int) -> int:
        """The style a new cell at (row, col) gets: its row's, else its column's, else 0."""
        info = self.rows.get(row)
        if info is not None and len(info.flat) > 2:
            a = dict(info.attrs)
            if a.get("customFormat") in ("1", "true") and a.get("s"):
                try:
                    return int(a["s"])
                except ValueError:
                    pass
        if not self.cols:
            return 0
        for lo, hi, attrs in self.cols:
            if lo <= col <= hi:
                try:
                    return int(dict(attrs).get("style", 0))
                except ValueError:
                    return 0
        return 0

    def style(self, row: int, col: int) -> int:
        cell = self.cells.get((row, col))
        if cell is None:
            return self.inherited(row, col)
        return cell.style or 0

    def in_array(self, row: int, col: int) -> tuple[int, int] | None:
        for (r1, c1, r2, c2), anchor in self.arrays:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return anchor
        return None


# --- the pass ---------------------------------------------------------------------------------

# Inside a cell, the elements that only carry its value (an inline string and its runs).
_QUIET = ("v", "is", "t", "r", "rPr", "rFont", "sz", "color", "b", "i", "u", "family", "charset", "scheme",
          "vertAlign", "strike")


class _Pass:
    """One expat pass filling a SheetIndex. Outside <sheetData> every element is reported and
    `xml.Offsets` says where it starts and ends; inside, only start tags are (`in_data`), and the
    row and cell being read are the state."""

    __slots__ = ("index", "data", "parser", "offsets", "section", "top", "data_close", "c_name", "row_name",
                 "f_name", "quiet", "letters", "row", "r", "c", "r_text", "cell")

    def __init__(self, index: SheetIndex):
        self.index, self.data = index, index.data
        self.parser = xml.parser()
        self.offsets = xml.Offsets(self.data, self.parser)
        self.section = ""  # local name of the child of <worksheet> being read
        self.top: Top | None = None
        self.data_close = -1  # start of </sheetData>
        self.c_name = self.row_name = self.f_name = ""  # qualified as the root is
        self.quiet: set[str] = set()
        self.letters: dict[str, int] = {}  # a cell reference without its row number -> column
        self.row: Row | None = None
        self.r = self.c = 0
        self.r_text = ""
        self.cell: Cell | None = None

    def run(self) -> None:
        index, data, p = self.index, self.data, self.parser
        p.StartElementHandler, p.EndElementHandler = self.start, self.end
        xml.parse(p, data)
        if xml.local(index.root_name) != "worksheet":
            raise xml.XmlError("not a worksheet")
        if not index.root_close:
            index.root_close = data.rindex(b"</")

    # outside <sheetData>

    def start(self, name, attrs) -> None:
        local, depth = self.offsets.opened(name)
        if depth == 0:
            self.index.root_name, self.index.root_attrs = name, xml.pairs(attrs)
            pre = xml.prefix(name)
            self.c_name, self.row_name, self.f_name = pre + "c", pre + "row", pre + "f"
            self.quiet = {pre + x for x in _QUIET}
        elif depth == 1:
            self._top(local, name, attrs)
        elif depth == 2:
            self._section_child(local, name, attrs)

    def _top(self, local: str, name: str, attrs) -> None:
        at = self.parser.CurrentByteIndex
        self.section = local
        self.top = node = Top(local, at, xml.pairs(attrs), name)
        self.index.top.append(node)
        if local == "sheetData":
            close, end = xml.element_end(self.data, at)
            if close is not None:  # its end is known now: the cells inside are read by start tags only
                node.close, node.end = close, end
                self.data_close = close
                self.offsets.forget()
                self.parser.StartElementHandler, self.parser.EndElementHandler = self.in_data, None

    def _section_child(self, local: str, name: str, attrs) -> None:
        index, section = self.index, self.section
        if section == "mergeCells" and local == "mergeCell":
            ref = dict(xml.pairs(attrs)).get("ref")
            if ref:
                try:
                    index.merges.append(split_range(ref))
                except (ValueError, IndexError):
                    pass
        elif section == "cols" and local == "col":
            pairs = xml.pairs(attrs)
            found = dict(pairs)
            try:
                index.cols.append((int(found.get("min", 0)), int(found.get("max", 0)), pairs))
            except ValueError:
                pass
        elif section == "sheetViews" and local == "sheetView":
            index.views.append(Top(local, self.parser.CurrentByteIndex, xml.pairs(attrs), name))
        elif section == "tableParts" and local == "tablePart":
            index.table_rids += [v for k, v in xml.pairs(attrs) if xml.local(k) == "id"]

    def end(self, name) -> None:
        e = self.offsets.closed()
        if e.depth == 1 and self.top is not None:
            _ends(self.top, e)
            self.top, self.section = None, ""
        elif e.depth == 2 and self.section == "sheetViews" and self.index.views:
            _ends(self.index.views[-1], e)
        elif e.depth == 0:
            self.index.root_close = e.at

    # inside <sheetData>: start tags only

    def in_data(self, name, attrs) -> None:
        at = self.parser.CurrentByteIndex
        if at > self.data_close:  # past </sheetData>: a sibling of it
            self.parser.StartElementHandler, self.parser.EndElementHandler = self.start, self.end
            self.top, self.section = None, ""
            self.start(name, attrs)
        elif name == self.c_name:
            self._cell(at, attrs)
        elif name in self.quiet:
            return
        elif name == self.row_name:
            self._row(at, name, attrs)
        elif name == self.f_name:
            self._formula(attrs)
        else:
            local = xml.local(name)
            if local in ("c", "row", "v", "f", "is"):  # prefixed otherwise than the sheet: not ours to guess
                raise xml.XmlError(f"unexpected {name}")
            if local == "extLst" and self.cell is not None:
                self.cell.flags |= F_OTHER

    def _row(self, at: int, name: str, attrs) -> None:
        ref = None
        for i in range(0, len(attrs), 2):
            if attrs[i] == "r":
                ref = attrs[i + 1]
        if ref is None:
            self.index.addressless = True
            self.r += 1
        else:
            self.r = int(ref)
        self.row = Row(at, attrs, name)
        self.index.rows[self.r] = self.row
        self.r_text, self.c, self.cell = str(self.r), 0, None

    def _cell(self, at: int, attrs) -> None:
        if len(attrs) == 6 and attrs[0] == "r" and attrs[2] == "s" and attrs[4] == "t":  # the usual order
            ref, s, t = attrs[1], attrs[3], attrs[5]
        else:
            found = dict(zip(attrs[0::2], attrs[1::2]))
            ref, s, t = found.get("r"), found.get("s"), found.get("t")
        if self.row is None:
            raise xml.XmlError("cell outside a row")
        if ref is None:
            self.index.addressless = True
            self.c += 1
        else:
            self.c = self._column(ref)
        try:
            style = int(s) if s is not None else None
        except ValueError:
            style = None
        self.cell = Cell(at, style, t)
        self.index.cells[(self.r, self.c)] = self.cell
        self.row.cols.append(self.c)

    def _column(self, ref: str) -> int:
        """The column of a cell reference in the current row (its letters looked up once)."""
        letters = ref[:-len(self.r_text)]
        col = self.letters.get(letters) if ref.endswith(self.r_text) else None
        if col is None:
            r, col = split_ref(ref)
            if r != self.r:
                raise xml.XmlError(f"cell {ref} outside row {self.r}")
            self.letters[letters] = col
        return col

    def _formula(self, attrs) -> None:
        if self.cell is None:
            raise xml.XmlError("formula outside a cell")
        self.cell.flags |= F_FORMULA
        rc = (self.r, self.c)
        found = dict(zip(attrs[0::2], attrs[1::2]))
        kind, ref, si = found.get("t", "normal"), found.get("ref"), found.get("si")
        self.index.formulas[rc] = Formula(kind, ref, si)
        if kind in ("array", "dataTable") and ref:
            try:
                self.index.arrays.append((split_range(ref), rc))
            except (ValueError, IndexError):
                pass
        elif kind == "shared" and ref and si is not None:
            self.index.shared[si] = rc


def _ends(node: Top, e: xml.Closed) -> None:
    """Where a top element (or a sheet view) ends, once it has closed."""
    if node.end == 0:
        node.end, node.close = e.stop, (e.at if e.closing else None)


# --- patching -------------------------------------------------------------------------------


def _name(head: bytes) -> str:
    """The element name of a start tag."""
    i = 1
    while i < len(head) and head[i:i + 1] not in b" \t\r\n/>":
        i += 1
    return head[1:i].decode("utf-8")


def _box(cells) -> tuple[int, int, int, int]:
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    return min(rows), min(cols), max(rows), max(cols)

KEEP = object()  # a planned cell whose value is not planned


@dataclass
class CellEdit:
    value: object = KEEP
    style: int | None = None  # new style index; None: unchanged
    droppable: bool = False  # looks only: a cell left with nothing may go


def number_text(value) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(value)
        if value == 0:
            return "0"
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def value_xml(value, pre: str) -> tuple[str | None, bytes]:
    """(t attribute, children) for a planned value."""
    if value is None:
        return None, b""
    if isinstance(value, bool):
        return "b", f"<{pre}v>{int(value)}</{pre}v>".encode()
    if isinstance(value, (int, float, Decimal)):
        return None, f"<{pre}v>{number_text(value)}</{pre}v>".encode()
    return "inlineStr", f'<{pre}is><{pre}t xml:space="preserve">{xml.xstring(str(value))}</{pre}t></{pre}is>'.encode()


@dataclass(slots=True)
class _Rendered:
    """The planned cells as bytes, by row."""

    added: dict[int, list[tuple[int, bytes]]]  # row -> (column, <c>) of new cells; [] when it only loses cells
    replaced: dict[int, list[tuple[int, int, bytes]]]  # row -> (start, end, new bytes) of cells of the part
    new: list[tuple[int, int]]  # the cells added
    gone: set[tuple[int, int]]  # the cells removed


class SheetPatch:
    """Edits on one worksheet part, built on its index."""

    def __init__(self, index: SheetIndex):
        self.index = index
        self.splice = Splice(index.data)
        self.cells: dict[tuple[int, int], CellEdit] = {}

    def cell(self, row: int, col: int) -> CellEdit:
        return self.cells.setdefault((row, col), CellEdit())

    # --- cells ---

    def _cell_bytes(self, rc, edit: CellEdit) -> bytes | None:
        """The new <c> element; b"" to remove it; None to leave it as it is. An existing cell keeps
        its own bytes but for what changes (the s attribute; the value and its t)."""
        idx = self.index
        found = idx.cells.get(rc)
        inherited = idx.inherited(*rc) if found is None or edit.droppable else None
        old_style = inherited if found is None else (found.style or 0)
        style = old_style if edit.style is None else edit.style
        if found is not None and edit.value is KEEP and style == old_style:
            return None
        if found is None:
            name = idx.pre + "c"
            head, inner, close = xml.start_tag(name, [("r", addr(*rc))], close=True), b"", None
        else:
            piece = idx.cell_bytes(rc)
            end = xml.tag_end(piece, 0)
            head = piece[:end]
            if end == len(piece):  # <c …/>
                name, inner, close = _name(head), b"", None
            elif found.flags & F_OTHER and edit.value is not KEEP:  # keep what is not the value (extLst)
                node = xml.tree(piece)
                name = node.name
                inner = b"".join(piece[c.start:c.end] for c in node.children if c.local not in ("f", "v", "is"))
                close = piece[node.close:]
            else:
                close_at = piece.rindex(b"</")
                name, close = _name(head), piece[close_at:]
                inner = b"" if edit.value is not KEEP else piece[end:close_at]
        changes = {}
        if style != old_style or found is None:
            changes["s"] = str(style) if style else None  # s="0" is the same as none
        if edit.value is not KEEP:
            t, children = value_xml(edit.value, name[:-1])
            old_t = found.type if found is not None else None
            if t != old_t and not (t is None and old_t == "n"):
                changes["t"] = t
            if found is not None and b"m=" in head:  # cell metadata (cm, vm) of the old value
                changes.update(cm=None, vm=None)
            inner = children + inner
        if changes:
            head = xml.retag(head, changes)
        if edit.droppable and not inner:
            left = {n for _, n, *_ in xml._attributes(head)[0]}
            if left <= {"r", "s"} and style == inherited:
                return b"" if found is not None else None
        if close is None:
            return xml.opened(head) + inner + f"</{name}>".encode() if inner else head
        return head + inner + close

    def _render_cells(self) -> None:
        """The planned cells as splices: cells of the part replaced where they stand (a row left
        with only cells that go goes with them), new cells inserted into their row in column
        order, new rows into <sheetData> in row order."""
        planned = self._planned()
        emptied = self._drop_emptied_rows(planned)
        for r, edits in planned.replaced.items():
            if r not in emptied:
                for start, end, new in edits:
                    self.splice.replace(start, end, new)
        if not planned.added:
            return
        self._dimension(planned.new, planned.gone)
        new_rows = []
        for r, added in sorted(planned.added.items()):
            if r not in self.index.rows:
                if added:
                    new_rows.append(self._new_row(r, added))
            elif added:
                self._into_row(r, added)
        if new_rows:
            self._insert_rows(new_rows)

    def _planned(self) -> _Rendered:
        idx = self.index
        out = _Rendered({}, {}, [], set())
        for rc in sorted(self.cells):
            new = self._cell_bytes(rc, self.cells[rc])
            if new is None:
                continue
            found = idx.cells.get(rc)
            if found is not None:
                out.replaced.setdefault(rc[0], []).append((found.start, idx.cell_end(rc), new))
                if not new:
                    out.added.setdefault(rc[0], [])  # may empty the row
                    out.gone.add(rc)
            elif new:
                out.added.setdefault(rc[0], []).append((rc[1], new))
                out.new.append(rc)
        return out

    def _drop_emptied_rows(self, planned: _Rendered) -> set[int]:
        """Rows that only held cells that go (and say nothing else of themselves) go too."""
        idx, emptied = self.index, set()
        for r, added in planned.added.items():
            row = idx.row_span(r) if r in idx.rows else None
            if (row is not None and not added and all((r, c) in planned.gone for c in row.cols)
                    and {k for k, _ in row.attrs} <= {"r", "spans"}):
                self.splice.replace(row.start, row.end, b"")
                emptied.add(r)
        return emptied

    def _new_row(self, r: int, added: list[tuple[int, bytes]]) -> tuple[int, bytes]:
        pre = self.index.pre
        return r, (xml.start_tag(pre + "row", [("r", str(r))]) + b"".join(b for _, b in added)
                   + f"</{pre}row>".encode())

    def _into_row(self, r: int, added: list[tuple[int, bytes]]) -> None:
        """New cells into a row of the part, each before the first cell right of it; its spans
        widened to them."""
        idx = self.index
        row = idx.row_span(r)
        if idx.addressless:
            raise xml.XmlError("cells without addresses")
        changes = {}
        spans = dict(row.attrs).get("spans")
        if spans and ":" in spans:
            try:
                lo, hi = (int(x) for x in spans.split(":"))
                cols = [c for c, _ in added]
                if min(cols) < lo or max(cols) > hi:
                    changes["spans"] = f"{min(lo, *cols)}:{max(hi, *cols)}"
            except ValueError:
                pass
        tag_end = xml.tag_end(idx.data, row.start)
        head = xml.retag(idx.data[row.start:tag_end], changes)
        if row.close is None:
            self.splice.replace(row.start, row.end, xml.opened(head)
                                + b"".join(b for _, b in added) + f"</{row.name}>".encode())
            return
        if changes:
            self.splice.replace(row.start, tag_end, head)
        for col, blob in added:
            after = next((c for c in row.cols if c > col), None)
            at = idx.cells[(r, after)].start if after is not None else row.close
            self.splice.insert(at, blob)

    def _insert_rows(self, new_rows: list[tuple[int, bytes]]) -> None:
        """New rows, each before the first row of the part below it, else at the end of
        <sheetData>."""
        idx = self.index
        if idx.addressless:
            raise xml.XmlError("rows without addresses")
        existing = sorted(idx.rows)
        pending: dict[int, list[bytes]] = {}
        for r, blob in new_rows:
            i = bisect.bisect_right(existing, r)
            at = idx.rows[existing[i]].start if i < len(existing) else None
            pending.setdefault(at if at is not None else -1, []).append(blob)
        sheet_data = idx.topmost("sheetData")
        for at, blobs in pending.items():
            if at != -1:
                self.splice.insert(at, b"".join(blobs))
            elif sheet_data.close is None:
                self.splice.replace(sheet_data.start, sheet_data.end,
                                    xml.opened(idx.data[sheet_data.start:sheet_data.end])
                                    + b"".join(blobs) + f"</{sheet_data.name}>".encode())
            else:
                self.splice.insert(sheet_data.close, b"".join(blobs))

    def _dimension(self, added, gone) -> None:
        """The used range: grown to cells added; when it was exactly the cells' range, it stays
        exactly that (a cell added and taken off again gives the range back)."""
        dim = self.index.topmost("dimension")
        if dim is None or not (added or gone):
            return
        ref = dict(dim.attrs).get("ref")
        try:
            r1, c1, r2, c2 = split_range(ref)
        except (ValueError, TypeError, AttributeError, IndexError):
            return
        keys = self.index.cells.keys()
        exact = bool(keys) and (r1, c1, r2, c2) == _box(keys)
        if exact:
            left = [rc for rc in keys if rc not in gone] + list(added)
            if not left:
                return
            box = _box(left)
        else:
            if not added:
                return
            rows, cols = [r for r, _ in added], [c for _, c in added]
            box = (min(r1, *rows), min(c1, *cols), max(r2, *rows), max(c2, *cols))
        if box == (r1, c1, r2, c2):
            return
        new_ref = addr(box[0], box[1]) + ("" if box[:2] == box[2:] else ":" + addr(box[2], box[3]))
        tag_end = xml.tag_end(self.index.data, dim.start)
        self.splice.replace(dim.start, tag_end, xml.retag(self.index.data[dim.start:tag_end], {"ref": new_ref}))

    # --- the rest of the sheet ---

    def select_tab(self, selected: bool) -> None:
        """Set tabSelected on the sheet's first view."""
        if not self.index.views:
            return
        view = self.index.views[0]
        now = dict(view.attrs).get("tabSelected") in ("1", "true")
        if now == selected:
            return
        tag_end = xml.tag_end(self.index.data, view.start)
        self.splice.replace(view.start, tag_end, xml.retag(self.index.data[view.start:tag_end],
                                                           {"tabSelected": "1" if selected else None}))

    _AFTER_LEGACY = {"legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                     "tableParts", "extLst", "AlternateContent"}

    def add_legacy_drawing(self, rid: str) -> None:
        idx = self.index
        seen_data = False
        at = idx.root_close
        for top in idx.top:
            if top.local == "sheetData":
                seen_data = True
            elif seen_data and top.local in self._AFTER_LEGACY:
                at = top.start
                break
        if idx.rel_prefix:
            tag = f'<{idx.pre}legacyDrawing {idx.rel_prefix}:id="{xml.attr(rid)}"/>'
        else:
            tag = f'<{idx.pre}legacyDrawing xmlns:r="{xml.REL_NS}" r:id="{xml.attr(rid)}"/>'
        self.splice.insert(at, tag.encode())

    def remove_top(self, local: str) -> None:
        top = self.index.topmost(local)
        if top is not None:
            self.splice.replace(top.start, top.end, b"")

    def result(self) -> bytes | None:
        """The new part, None when nothing changed."""
        self._render_cells()
        return self.splice.result() if self.splice else None
