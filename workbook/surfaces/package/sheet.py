"""A worksheet part: one expat pass records where every row and cell is, and what the patcher
must know of them (style index, formula, value present); patching replaces only the byte ranges
of the planned cells.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils.cell import get_column_letter

from . import xml
from .xml import Splice

F_FORMULA, F_VALUE, F_INLINE, F_OTHER = 1, 2, 4, 8

_COLS: dict[str, int] = {}


def col_number(letters: str) -> int:
    n = _COLS.get(letters)
    if n is None:
        n = 0
        for ch in letters.upper():
            n = n * 26 + ord(ch) - 64
        _COLS[letters] = n
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """"AB12" -> (12, 28)."""
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    return int(ref[i:]), col_number(ref[:i])


def split_range(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.replace("$", "").partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def addr(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


@dataclass
class Row:
    start: int
    attrs: list
    name: str = "row"
    end: int = 0
    close: int | None = None  # start of </row>; None when self-closing
    cols: list = field(default_factory=list)  # columns of its cells, in document order


@dataclass
class Formula:
    kind: str  # "normal", "shared", "array", "dataTable"
    ref: str | None
    si: str | None
    start: int
    close: int | None


@dataclass
class Top:
    """A child of <worksheet>."""

    local: str
    start: int
    attrs: list
    name: str = ""
    end: int = 0
    close: int | None = None


class SheetIndex:
    def __init__(self, data: bytes):
        self.data = data
        self.rows: dict[int, Row] = {}
        self.cells: dict[tuple[int, int], list] = {}  # (r, c) -> [start, end, s, t, flags]
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
        self._parse()
        self.pre = xml.prefix(self.root_name)
        self.ns = xml.namespaces(self.root_attrs)
        self.rel_prefix = next((p for p, uri in self.ns.items() if uri == xml.REL_NS and p), None)

    def topmost(self, local: str) -> Top | None:
        return next((t for t in self.top if t.local == local), None)

    # --- the pass ---

    def _parse(self) -> None:
        data = self.data
        p = xml.parser()
        rows, cells, formulas, top = self.rows, self.cells, self.formulas, self.top
        depth = 0
        section = ""  # local name of the current child of <worksheet>
        row_info: Row | None = None
        r = 0
        c = 0
        cell = None
        cell_kids = 0
        child_start = 0
        f_info = None
        row_kids = 0
        top_node: Top | None = None
        top_kids = 0

        def loc(name):
            i = name.find(":")
            return name if i < 0 else name[i + 1:]

        def start(name, attrs):
            nonlocal depth, section, row_info, r, c, cell, cell_kids, child_start, f_info, row_kids
            nonlocal top_node, top_kids
            d = depth
            depth = d + 1
            idx = p.CurrentByteIndex
            if d == 3 and section == "sheetData":
                if row_info is None:
                    raise xml.XmlError("cell outside a row")
                row_kids += 1
                ref = s = t = None
                for i in range(0, len(attrs), 2):
                    k = attrs[i]
                    if k == "r":
                        ref = attrs[i + 1]
                    elif k == "s":
                        s = attrs[i + 1]
                    elif k == "t":
                        t = attrs[i + 1]
                if ref is None:
                    self.addressless = True
                    c += 1
                else:
                    rr, c = split_ref(ref)
                    if rr != r:
                        raise xml.XmlError(f"cell {ref} outside row {r}")
                try:
                    style = int(s) if s is not None else None
                except ValueError:
                    style = None
                cell = [idx, 0, style, t, 0]
                cells[(r, c)] = cell
                row_info.cols.append(c)
                cell_kids = 0
                return
            if d == 4 and cell is not None:
                cell_kids += 1
                local = loc(name)
                child_start = idx
                if local == "v":
                    cell[4] |= F_VALUE  # empty <v/> is taken off again at its end
                elif local == "f":
                    cell[4] |= F_FORMULA
                    a = dict(zip(attrs[0::2], attrs[1::2]))
                    kind = a.get("t", "normal")
                    f_info = Formula(kind, a.get("ref"), a.get("si"), idx, None)
                    formulas[(r, c)] = f_info
                    if kind in ("array", "dataTable") and a.get("ref"):
                        try:
                            self.arrays.append((split_range(a["ref"]), (r, c)))
                        except ValueError:
                            pass
                    elif kind == "shared" and a.get("ref") and a.get("si") is not None:
                        self.shared[a["si"]] = (r, c)
                elif local == "is":
                    cell[4] |= F_INLINE
                else:
                    cell[4] |= F_OTHER
                return
            if d == 0:
                self.root_name, self.root_attrs = name, xml.pairs(attrs)
                return
            if d == 1:
                section = loc(name)
                top_node = Top(section, idx, xml.pairs(attrs), name)
                top_kids = 0
                top.append(top_node)
                return
            if d == 2:
                top_kids += 1
                local = loc(name)
                if section == "sheetData" and local == "row":
                    ref = None
                    for i in range(0, len(attrs), 2):
                        if attrs[i] == "r":
                            ref = attrs[i + 1]
                    if ref is None:
                        self.addressless = True
                        r += 1
                    else:
                        r = int(ref)
                    c = 0
                    row_info = Row(idx, xml.pairs(attrs), name)
                    rows[r] = row_info
                    row_kids = 0
                elif section == "mergeCells" and local == "mergeCell":
                    ref = dict(zip(attrs[0::2], attrs[1::2])).get("ref")
                    if ref:
                        try:
                            self.merges.append(split_range(ref))
                        except ValueError:
                            pass
                elif section == "cols" and local == "col":
                    a = xml.pairs(attrs)
                    d_ = dict(a)
                    try:
                        self.cols.append((int(d_.get("min", 0)), int(d_.get("max", 0)), a))
                    except ValueError:
                        pass
                elif section == "sheetViews" and local == "sheetView":
                    self.views.append(Top(local, idx, xml.pairs(attrs), name))
                elif section == "tableParts" and local == "tablePart":
                    for k, v in xml.pairs(attrs):
                        if xml.local(k) == "id":
                            self.table_rids.append(v)

        def end(name):
            nonlocal depth, section, cell, f_info, row_info, top_node
            depth -= 1
            d = depth
            idx = p.CurrentByteIndex
            if d == 3 and cell is not None:
                if cell_kids == 0 and data[idx - 2:idx] == b"/>":
                    cell[1] = idx
                else:
                    cell[1] = data.index(b">", idx) + 1
                cell = None
                return
            if d == 4 and cell is not None:
                local = loc(name)
                if local == "v" and (data[idx - 1:idx] == b">" or data[idx - 2:idx] == b"/>"):
                    cell[4] &= ~F_VALUE  # <v/> or <v></v>: no saved result
                elif local == "f" and f_info is not None:
                    f_info.close = None if data[idx - 2:idx] == b"/>" and idx <= xml.tag_end(data, f_info.start) \
                        else idx
                    f_info = None
                return
            if d == 2 and section == "sheetData" and row_info is not None:
                if row_kids == 0 and data[idx - 2:idx] == b"/>":
                    row_info.end, row_info.close = idx, None
                else:
                    row_info.end, row_info.close = data.index(b">", idx) + 1, idx
                row_info = None
                return
            if d == 2 and section == "sheetViews" and self.views and self.views[-1].end == 0:
                view = self.views[-1]
                if data[idx - 2:idx] == b"/>" and xml.tag_end(data, view.start) == idx:
                    view.end, view.close = idx, None
                else:
                    view.end, view.close = data.index(b">", idx) + 1, idx
                return
            if d == 1 and top_node is not None:
                if top_kids == 0 and data[idx - 2:idx] == b"/>" and xml.tag_end(data, top_node.start) == idx:
                    top_node.end, top_node.close = idx, None
                else:
                    top_node.end, top_node.close = data.index(b">", idx) + 1, idx
                top_node = None
                section = ""
                return
            if d == 0:
                self.root_close = idx

        p.StartElementHandler = start
        p.EndElementHandler = end
        xml.parse(p, data)
        if xml.local(self.root_name) != "worksheet":
            raise xml.XmlError("not a worksheet")

    # --- reading ---

    def formula_text(self, rc: tuple[int, int]) -> str | None:
        """"=..." for a formula cell (shared formulas translated to this cell)."""
        info = self.formulas.get(rc)
        if info is None:
            return None
        if info.kind == "dataTable":
            return "=TABLE()"
        text = self._text(info)
        if info.kind == "shared" and not text and info.si in self.shared:
            anchor = self.shared[info.si]
            base = self._text(self.formulas[anchor])
            from openpyxl.formula.translate import Translator

            try:
                return Translator("=" + base, addr(*anchor)).translate_formula(addr(*rc))
            except Exception:
                return "=" + base
        return "=" + text

    def _text(self, info: Formula) -> str:
        if info.close is None:
            return ""
        return xml.tree(self.data[info.start:xml.end_of(self.data, info.close)]).text

    def inherited(self, row: int, col: int) -> int:
        """The style a new cell at (row, col) gets: its row's, else its column's, else 0."""
        info = self.rows.get(row)
        if info is not None:
            a = dict(info.attrs)
            if a.get("customFormat") in ("1", "true") and a.get("s"):
                try:
                    return int(a["s"])
                except ValueError:
                    pass
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
        return cell[2] or 0

    def in_array(self, row: int, col: int) -> tuple[int, int] | None:
        for (r1, c1, r2, c2), anchor in self.arrays:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return anchor
        return None


# --- patching -------------------------------------------------------------------------------


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
        inherited = idx.inherited(*rc)
        old_style = inherited if found is None else (found[2] or 0)
        style = old_style if edit.style is None else edit.style
        if found is not None and edit.value is KEEP and style == old_style:
            return None
        if found is None:
            name = idx.pre + "c"
            head, inner, close = xml.start_tag(name, [("r", addr(*rc))], close=True), b"", None
        else:
            piece = idx.data[found[0]:found[1]]
            node = xml.tree(piece)
            name = node.name
            head = piece[:node.tag_end(piece)]
            inner = node.inner(piece)
            close = None if node.close is None else piece[node.close:]
            if edit.value is not KEEP:
                inner = b"".join(piece[c.start:c.end] for c in node.children if c.local not in ("f", "v", "is"))
        changes = {}
        if style != old_style or found is None:
            changes["s"] = str(style) if style else None  # s="0" is the same as none
        if edit.value is not KEEP:
            t, children = value_xml(edit.value, name[:-1])
            changes.update(t=t, cm=None, vm=None)
            inner = children + inner
        head = xml.retag(head, changes)
        if edit.droppable and not inner:
            left = {n for _, n, *_ in xml._attributes(head)[0]}
            if left <= {"r", "s"} and style == inherited:
                return b"" if found is not None else None
        if close is None:
            return xml.opened(head) + inner + f"</{name}>".encode() if inner else head
        return head + inner + close

    def _render_cells(self) -> None:
        idx = self.index
        by_row: dict[int, list[tuple[int, bytes]]] = {}
        bounds = []
        gone = set()
        replaced: dict[int, list[tuple[int, int, bytes]]] = {}
        for rc in sorted(self.cells):
            new = self._cell_bytes(rc, self.cells[rc])
            if new is None:
                continue
            found = idx.cells.get(rc)
            if found is not None:
                replaced.setdefault(rc[0], []).append((found[0], found[1], new))
                if not new:
                    by_row.setdefault(rc[0], [])  # may empty the row
                    gone.add(rc)
            elif new:
                by_row.setdefault(rc[0], []).append((rc[1], new))
                bounds.append(rc)
        emptied = set()
        for r in by_row:
            row = idx.rows.get(r)
            if (row is not None and not by_row[r] and all((r, c) in gone for c in row.cols)
                    and {k for k, _ in row.attrs} <= {"r", "spans"}):
                self.splice.replace(row.start, row.end, b"")  # a row that only held our cells
                emptied.add(r)
        for r, edits in replaced.items():
            if r not in emptied:
                for start, end, new in edits:
                    self.splice.replace(start, end, new)
        if not by_row:
            return
        self._dimension(bounds, gone)
        sheet_data = idx.topmost("sheetData")
        new_rows = []
        for r, added in sorted(by_row.items()):
            row = idx.rows.get(r)
            if row is None:
                if added:
                    new_rows.append((r, xml.start_tag(idx.pre + "row", [("r", str(r))])
                                     + b"".join(b for _, b in added) + f"</{idx.pre}row>".encode()))
                continue
            if not added:
                continue
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
            row_name = row.name
            tag_end = xml.tag_end(idx.data, row.start)
            head = xml.retag(idx.data[row.start:tag_end], changes)
            if row.close is None:
                self.splice.replace(row.start, row.end, xml.opened(head)
                                    + b"".join(b for _, b in added) + f"</{row_name}>".encode())
                continue
            if changes:
                self.splice.replace(row.start, tag_end, head)
            for col, blob in added:
                after = next((c for c in row.cols if c > col), None)
                at = idx.cells[(r, after)][0] if after is not None else row.close
                self.splice.insert(at, blob)
        if new_rows:
            if idx.addressless:
                raise xml.XmlError("rows without addresses")
            existing = sorted(idx.rows)
            import bisect

            pending: dict[int, list[bytes]] = {}
            for r, blob in new_rows:
                i = bisect.bisect_right(existing, r)
                at = idx.rows[existing[i]].start if i < len(existing) else None
                pending.setdefault(at if at is not None else -1, []).append(blob)
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
