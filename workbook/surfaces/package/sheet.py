"""A worksheet part: one expat pass records where every row and cell is, and what the patcher
must know of them (style index, formula, value present); patching replaces only the byte ranges
of the planned cells.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


from ...cells import addr, split_range, split_ref
from . import xml
from .xml import Splice

F_FORMULA, F_OTHER = 1, 8  # a cell with a formula; with children other than f, v, is (extLst)

@dataclass
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


@dataclass
class Formula:
    kind: str  # "normal", "shared", "array", "dataTable"
    ref: str | None
    si: str | None


@dataclass
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
        self.cells: dict[tuple[int, int], list] = {}  # (r, c) -> [start, end or 0, s, t, flags]
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
        self.cell_name = (self.pre + "c").encode()
        self.ns = xml.namespaces(self.root_attrs)
        self.rel_prefix = next((p for p, uri in self.ns.items() if uri == xml.REL_NS and p), None)

    def topmost(self, local: str) -> Top | None:
        return next((t for t in self.top if t.local == local), None)

    # --- the pass ---

    def _parse(self) -> None:
        data = self.data
        p = xml.parser()
        rows, cells, formulas, top = self.rows, self.cells, self.formulas, self.top
        st = {"depth": 0, "section": "", "top": None, "kids": 0}
        letters: dict[str, int] = {}
        C = ROW = F = ""
        quiet: set[str] = set()
        sd_close = [-1]

        def general_start(name, attrs):
            nonlocal C, ROW, F
            d = st["depth"]
            st["depth"] = d + 1
            idx = p.CurrentByteIndex
            if d == 0:
                self.root_name, self.root_attrs = name, xml.pairs(attrs)
                pre = xml.prefix(name)
                C, ROW, F = pre + "c", pre + "row", pre + "f"
                quiet.update(pre + x for x in ("v", "is", "t", "r", "rPr", "rFont", "sz", "color", "b", "i",
                                               "u", "family", "charset", "scheme", "vertAlign", "strike"))
                return
            if d == 1:
                local = xml.local(name)
                st["section"] = local
                node = Top(local, idx, xml.pairs(attrs), name)
                st["top"], st["kids"] = node, 0
                top.append(node)
                if local == "sheetData":
                    te = xml.tag_end(data, idx)
                    if data[te - 2:te] != b"/>":
                        close = data.index(b"</" + name.encode() + b">", te)
                        node.close, node.end = close, close + len(name) + 3
                        sd_close[0] = close
                        p.StartElementHandler, p.EndElementHandler = data_start, None
                return
            if d == 2:
                st["kids"] += 1
                section = st["section"]
                local = xml.local(name)
                if section == "mergeCells" and local == "mergeCell":
                    ref = dict(xml.pairs(attrs)).get("ref")
                    if ref:
                        try:
                            self.merges.append(split_range(ref))
                        except (ValueError, IndexError):
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

        def general_end(name):
            st["depth"] -= 1
            d = st["depth"]
            idx = p.CurrentByteIndex
            if d == 1 and st["top"] is not None:
                node = st["top"]
                if node.end == 0:
                    if st["kids"] == 0 and data[idx - 2:idx] == b"/>" and xml.tag_end(data, node.start) == idx:
                        node.end, node.close = idx, None
                    else:
                        node.end, node.close = data.index(b">", idx) + 1, idx
                st["top"], st["section"] = None, ""
            elif d == 2 and st["section"] == "sheetViews" and self.views and self.views[-1].end == 0:
                view = self.views[-1]
                if data[idx - 2:idx] == b"/>" and xml.tag_end(data, view.start) == idx:
                    view.end, view.close = idx, None
                else:
                    view.end, view.close = data.index(b">", idx) + 1, idx
            elif d == 0:
                self.root_close = idx

        row_info: Row | None = None
        r = c = 0
        r_text = ""
        cell: list | None = None

        def data_start(name, attrs):
            nonlocal row_info, r, c, r_text, cell
            idx = p.CurrentByteIndex
            if idx > sd_close[0]:  # past </sheetData>: a sibling of it
                p.StartElementHandler, p.EndElementHandler = general_start, general_end
                st["depth"], st["top"], st["section"] = 1, None, ""
                general_start(name, attrs)
                return
            if name == C:
                n = len(attrs)
                if n == 6 and attrs[0] == "r" and attrs[2] == "s" and attrs[4] == "t":  # the usual order
                    ref, s, t = attrs[1], attrs[3], attrs[5]
                else:
                    ref = s = t = None
                    i = 0
                    while i < n:
                        k = attrs[i]
                        if k == "r":
                            ref = attrs[i + 1]
                        elif k == "s":
                            s = attrs[i + 1]
                        elif k == "t":
                            t = attrs[i + 1]
                        i += 2
                if row_info is None:
                    raise xml.XmlError("cell outside a row")
                if ref is None:
                    self.addressless = True
                    c += 1
                else:
                    col = letters.get(ref[:-len(r_text)]) if ref.endswith(r_text) else None
                    if col is None:
                        rr, col = split_ref(ref)
                        if rr != r:
                            raise xml.XmlError(f"cell {ref} outside row {r}")
                        letters[ref[:-len(r_text)]] = col
                    c = col
                try:
                    style = int(s) if s is not None else None
                except ValueError:
                    style = None
                cell = [idx, 0, style, t, 0]
                cells[(r, c)] = cell
                row_info.cols.append(c)
            elif name in quiet:  # a value, an inline string and its runs
                return
            elif name == ROW:
                ref = None
                for i in range(0, len(attrs), 2):
                    if attrs[i] == "r":
                        ref = attrs[i + 1]
                if ref is None:
                    self.addressless = True
                    r += 1
                else:
                    r = int(ref)
                row_info = Row(idx, attrs, name)
                rows[r] = row_info
                r_text, c, cell = str(r), 0, None
            elif name == F:
                if cell is None:
                    raise xml.XmlError("formula outside a cell")
                cell[4] |= F_FORMULA
                rc = (r, c)
                a = dict(zip(attrs[0::2], attrs[1::2]))
                kind = a.get("t", "normal")
                formulas[rc] = Formula(kind, a.get("ref"), a.get("si"))
                if kind in ("array", "dataTable") and a.get("ref"):
                    try:
                        self.arrays.append((split_range(a["ref"]), rc))
                    except (ValueError, IndexError):
                        pass
                elif kind == "shared" and a.get("ref") and a.get("si") is not None:
                    self.shared[a["si"]] = rc
            else:
                local = xml.local(name)
                if local in ("c", "row", "v", "f", "is"):  # prefixed otherwise than the sheet: not ours to guess
                    raise xml.XmlError(f"unexpected {name}")
                if local == "extLst" and cell is not None:
                    cell[4] |= F_OTHER

        p.StartElementHandler, p.EndElementHandler = general_start, general_end
        xml.parse(p, data)
        if xml.local(self.root_name) != "worksheet":
            raise xml.XmlError("not a worksheet")
        if not self.root_close:
            self.root_close = data.rindex(b"</")

    # --- where things end (found when needed) ---

    def cell_end(self, rc: tuple[int, int]) -> int:
        cell = self.cells[rc]
        if not cell[1]:
            data = self.data
            te = xml.tag_end(data, cell[0])
            if data[te - 2:te] == b"/>":
                cell[1] = te
            else:
                name = xml.local_name(data, cell[0])
                cell[1] = data.index(b"</" + name + b">", te) + len(name) + 3
        return cell[1]

    def cell_bytes(self, rc: tuple[int, int]) -> bytes:
        return self.data[self.cells[rc][0]:self.cell_end(rc)]

    def row_span(self, r: int) -> Row:
        row = self.rows[r]
        if not row.end:
            data = self.data
            te = xml.tag_end(data, row.start)
            if data[te - 2:te] == b"/>":
                row.end, row.close = te, None
            else:
                close = data.index(b"</" + row.name.encode() + b">", te)
                row.end, row.close = close + len(row.name) + 3, close
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
        return cell[2] or 0

    def in_array(self, row: int, col: int) -> tuple[int, int] | None:
        for (r1, c1, r2, c2), anchor in self.arrays:
            if r1 <= row <= r2 and c1 <= col <= c2:
                return anchor
        return None


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
        old_style = inherited if found is None else (found[2] or 0)
        style = old_style if edit.style is None else edit.style
        if found is not None and edit.value is KEEP and style == old_style:
            return None
        if found is None:
            name = idx.pre + "c"
            head, inner, close = xml.start_tag(name, [("r", addr(*rc))], close=True), b"", None
        else:
            piece = idx.cell_bytes(rc)
            flags = found[4]
            end = xml.tag_end(piece, 0)
            head = piece[:end]
            if end == len(piece):  # <c …/>
                name, inner, close = _name(head), b"", None
            elif flags & F_OTHER and edit.value is not KEEP:  # keep what is not the value (extLst)
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
            old_t = found[3] if found is not None else None
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
                replaced.setdefault(rc[0], []).append((found[0], idx.cell_end(rc), new))
                if not new:
                    by_row.setdefault(rc[0], [])  # may empty the row
                    gone.add(rc)
            elif new:
                by_row.setdefault(rc[0], []).append((rc[1], new))
                bounds.append(rc)
        emptied = set()
        for r in by_row:
            row = idx.row_span(r) if r in idx.rows else None
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
            row = idx.row_span(r) if r in idx.rows else None
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
