"""The styles part: read a cell format's fill and named style; add only the fills, fonts and cell
formats a plan needs, after the existing ones (every existing index keeps its meaning).

A cell format (`<xf>` in cellXfs) is looked for before one is added: giving a cell a fill and
later its original fill back finds the cell's original format again, so mark → clear leaves the
cell's `s` as it was.
"""
from __future__ import annotations

from defusedxml import ElementTree
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.xml.functions import tostring

from ...plan import NO_FILL, Format, dump_fill, load_fill
from ...styles import FONT
from . import xml
from .xml import Node, Splice

_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")
_IDS = ("numFmtId", "fontId", "fillId", "borderId", "xfId")

MINIMAL = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{xml.MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode("utf-8")


def _bool(value: str) -> str:
    return {"true": "1", "false": "0"}.get(value, value)


def _canon(node: Node):
    attrs = tuple(sorted((xml.local(k), _bool(v)) for k, v in node.attrs if not k.startswith("xmlns")))
    return node.local, attrs, tuple(_canon(c) for c in node.children), node.text.strip()


def fill_key(fill) -> str:
    """A fill as text, every kind of "no fill" as "none"."""
    if isinstance(fill, PatternFill) and fill.patternType in (None, "none"):
        return NO_FILL
    return dump_fill(fill)


class Styles:
    def __init__(self, data: bytes):
        self.data = data
        self.root = xml.tree(data)
        self.pre = xml.prefix(self.root.name)
        self.ns = {k: v for k, v in self.root.attrs if k == "xmlns" or k.startswith("xmlns:")}
        self.nodes = {name: self.root.find(name) for name in _ORDER}
        self.xfs: list[Node] = self._list("cellXfs", "xf")
        self.style_xfs: list[Node] = self._list("cellStyleXfs", "xf")
        self._fills: list[Node] = self._list("fills", "fill")
        self._fonts: list[Node] = self._list("fonts", "font")
        names = self.nodes["cellStyles"].findall("cellStyle") if self.nodes["cellStyles"] is not None else []
        self.by_name: dict[str, int] = {}
        self.name_of: dict[int, str] = {}
        for node in names:
            try:
                index = int(node.get("xfId", "0"))
            except ValueError:
                continue
            self.by_name.setdefault(node.get("name", ""), index)
            self.name_of.setdefault(index, node.get("name", ""))
        self.new: dict[str, list[bytes]] = {"fills": [], "fonts": [], "cellXfs": []}
        self._fill_keys: list[str] | None = None
        self._font_keys: list[str] | None = None
        self._xf_keys: list | None = None
        self._fill_of: dict[int, str] = {}

    def _list(self, parent: str, child: str) -> list[Node]:
        node = self.nodes[parent]
        return node.findall(child) if node is not None else []

    def _element(self, node: Node):
        """A node as an ElementTree element (namespaces declared as on the root)."""
        decl = "".join(f' {k}="{xml.attr(v)}"' for k, v in self.ns.items()).encode()
        wrapped = b"<w" + decl + b">" + self.data[node.start:node.end] + b"</w>"
        return ElementTree.fromstring(wrapped)[0]

    # --- reading ---

    def xf_attr(self, index: int, key: str, default: str = "0") -> str:
        node = self.xfs[index] if 0 <= index < len(self.xfs) else None
        return default if node is None else node.get(key, default)

    def fill(self, index: int) -> str:
        """The fill of cell format `index` as text (plan.dump_fill)."""
        try:
            fid = int(self.xf_attr(index, "fillId"))
        except ValueError:
            fid = 0
        if fid not in self._fill_of:
            self._fill_of[fid] = self._fill_dump(fid)
        return self._fill_of[fid]

    def _fill_dump(self, fid: int) -> str:
        if not 0 <= fid < len(self._fills):
            return NO_FILL
        try:
            fill = Fill.from_tree(self._element(self._fills[fid]))
        except Exception:
            return NO_FILL
        return NO_FILL if fill is None else dump_fill(fill)

    def style_name(self, index: int) -> str | None:
        memo = self.__dict__.setdefault("_style_names", {})
        if index not in memo:
            try:
                memo[index] = self.name_of.get(int(self.xf_attr(index, "xfId")))
            except ValueError:
                memo[index] = None
        return memo[index]

    # --- adding ---

    def _keys(self, kind: str) -> list:
        if kind == "fills":
            if self._fill_keys is None:
                self._fill_keys = []
                for node in self._fills:
                    try:
                        fill = Fill.from_tree(self._element(node))
                        self._fill_keys.append(NO_FILL if fill is None else fill_key(fill))
                    except Exception:
                        self._fill_keys.append(None)
            return self._fill_keys
        if self._font_keys is None:
            self._font_keys = []
            for node in self._fonts:
                try:
                    self._font_keys.append(tostring(Font.from_tree(self._element(node)).to_tree()))
                except Exception:
                    self._font_keys.append(None)
        return self._font_keys

    def fill_id(self, text: str) -> int:
        fill = load_fill(text)
        key = fill_key(fill)
        keys = self._keys("fills")
        if key in keys:
            return keys.index(key)
        if key == NO_FILL:
            fill = PatternFill(patternType="none")
        self.new["fills"].append(xml.element(fill.to_tree(), self.pre).encode("utf-8"))
        keys.append(key)
        return len(keys) - 1

    def font_id(self, font: Font) -> int:
        key = tostring(font.to_tree())
        keys = self._keys("fonts")
        if key in keys:
            return keys.index(key)
        self.new["fonts"].append(xml.element(font.to_tree(), self.pre).encode("utf-8"))
        keys.append(key)
        return len(keys) - 1

    @staticmethod
    def _xf_key(attrs, inner: bytes):
        values = dict((xml.local(k), _bool(v)) for k, v in attrs if not k.startswith("xmlns"))
        ids = tuple(values.pop(k, "0") for k in _IDS)
        rest = tuple(sorted((k, v) for k, v in values.items() if not k.startswith("apply")))
        children = _canon(xml.tree(b"<w>" + inner + b"</w>"))[2] if inner.strip() else ()
        return ids, rest, children

    def _all_xf_keys(self) -> list:
        if self._xf_keys is None:
            self._xf_keys = [self._xf_key(n.attrs, n.inner(self.data)) for n in self.xfs]
        return self._xf_keys

    def _xf(self, attrs, inner: bytes) -> int:
        """The first cell format equal to (attrs, inner) in all but its apply* flags; added if none."""
        key = self._xf_key(attrs, inner)
        keys = self._all_xf_keys()
        if key in keys:
            return keys.index(key)
        name = self.pre + "xf"
        if inner:
            element = xml.start_tag(name, attrs) + inner + f"</{name}>".encode()
        else:
            element = xml.start_tag(name, attrs, close=True)
        self.new["cellXfs"].append(element)
        keys.append(key)
        return len(keys) - 1

    def _base(self, index: int) -> tuple[list, bytes]:
        if 0 <= index < len(self.xfs):
            node = self.xfs[index]
            return list(node.attrs), node.inner(self.data)
        if index >= len(self.xfs):
            attrs, inner = self._added_xf(index - len(self.xfs))
            return attrs, inner
        return [("numFmtId", "0"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0"), ("xfId", "0")], b""

    def _added_xf(self, n: int) -> tuple[list, bytes]:
        element = self.new["cellXfs"][n]
        node = xml.tree(element)
        return list(node.attrs), node.inner(element)

    def with_fill(self, index: int, text: str) -> int:
        """Cell format `index` with the fill `text` instead of its own."""
        memo = self.__dict__.setdefault("_with_fill", {})
        if (index, text) not in memo:
            attrs, inner = self._base(index)
            fid = self.fill_id(text)
            memo[index, text] = self._xf(xml.set_attrs(attrs, fillId=fid, applyFill="1" if fid else None), inner)
        return memo[index, text]

    def restyled(self, name: str) -> int | None:
        """A cell format that is exactly the named style `name`; None: no such style here."""
        k = self.by_name.get(name)
        if k is None or not 0 <= k < len(self.style_xfs):
            return None
        node = self.style_xfs[k]
        inner = node.inner(self.data)
        attrs = [(a, v) for a, v in node.attrs if not a.startswith("apply") and a != "xfId"]
        attrs.append(("xfId", str(k)))
        attrs += [("applyNumberFormat", "1"), ("applyFont", "1"), ("applyFill", "1"), ("applyBorder", "1")]
        if b"alignment" in inner:
            attrs.append(("applyAlignment", "1"))
        if b"protection" in inner:
            attrs.append(("applyProtection", "1"))
        return self._xf(attrs, inner)

    def formatted(self, look: Format) -> int:
        """A cell format for a cell of a sheet a job adds."""
        font = self.font_id(Font(name=FONT, size=look.size, bold=True if look.bold else None,
                                 color=look.colour, underline="single" if look.underline else None))
        fid = self.fill_id(look.fill) if look.fill else 0
        attrs = [("numFmtId", "0"), ("fontId", str(font)), ("fillId", str(fid)), ("borderId", "0"),
                 ("xfId", "0"), ("applyFont", "1")]
        if fid:
            attrs.append(("applyFill", "1"))
        inner = b""
        if look.halign or look.valign or look.wrap:
            attrs.append(("applyAlignment", "1"))
            align = Alignment(horizontal=look.halign, vertical=look.valign, wrap_text=True if look.wrap else None)
            inner = xml.element(align.to_tree(), self.pre).encode("utf-8")
        return self._xf(attrs, inner)

    # --- writing ---

    def changed(self) -> bool:
        return any(self.new.values())

    def render(self) -> bytes:
        edit = Splice(self.data)
        for kind, items in self.new.items():
            if not items:
                continue
            node = self.nodes[kind]
            existing = {"fills": self._fills, "fonts": self._fonts, "cellXfs": self.xfs}[kind]
            count = len(existing) + len(items)
            blob = b"".join(items)
            if node is None:
                name = self.pre + kind
                at = next((self.nodes[n].start for n in _ORDER[_ORDER.index(kind) + 1:]
                           if self.nodes[n] is not None), self.root.close)
                edit.insert(at, xml.start_tag(name, [("count", count)]) + blob + f"</{name}>".encode())
                continue
            end = node.tag_end(self.data)
            head = xml.retag(self.data[node.start:end], {"count": str(count)} if node.get("count") else {})
            if node.close is None:
                edit.replace(node.start, node.end, xml.opened(head) + blob + f"</{node.name}>".encode())
            else:
                edit.replace(node.start, end, head)
                edit.insert(node.close, blob)
        return edit.result()
