"""XML as bytes with positions: parse with expat (no DTD, no entities), edit by splicing.

The patcher never re-serialises a part it edits. It parses the part with expat, which reports
where each element starts, and replaces exactly the byte ranges of the elements it changes; every
other byte stays as the program that wrote the file left it. Parsing is namespace-unaware on
purpose (names are kept as written, "x:c"): a fragment can then be spliced back in with the
prefixes of its neighbours.

Untrusted input: a DOCTYPE (and so any entity declaration) is refused, as defusedxml does; an
Office part never has one.
"""
from __future__ import annotations

import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class XmlError(Exception):
    """A part that is not well-formed XML, or that declares a DTD."""


def _forbid(*_args):
    raise XmlError("DTD")


def parser():
    """An expat parser: ordered attributes, no namespace processing, no DTD."""
    p = expat.ParserCreate()
    p.ordered_attributes = True
    p.StartDoctypeDeclHandler = _forbid
    p.EntityDeclHandler = _forbid
    p.UnparsedEntityDeclHandler = _forbid
    p.ExternalEntityRefHandler = _forbid
    return p


def parse(p, data: bytes) -> None:
    try:
        p.Parse(data, True)
    except expat.ExpatError as exc:
        raise XmlError(str(exc)) from None


def local(name: str) -> str:
    return name.rpartition(":")[2]


def prefix(name: str) -> str:
    """"x:" for "x:c", "" for "c"."""
    head, colon, _ = name.rpartition(":")
    return head + colon


def namespaces(attrs) -> dict[str, str]:
    """prefix ("" for the default) -> namespace, from a start tag's attributes."""
    out = {}
    for key, value in (attrs if attrs and isinstance(attrs[0], tuple) else pairs(attrs)):
        if key == "xmlns":
            out[""] = value
        elif key.startswith("xmlns:"):
            out[key[6:]] = value
    return out


def pairs(attrs):
    """[(name, value)] from expat's flat ordered attribute list."""
    return list(zip(attrs[0::2], attrs[1::2]))


def tag_end(data: bytes, start: int) -> int:
    """The index just after the '>' ending the start tag at `start` (quotes skipped)."""
    gt = data.index(b">", start)
    if data.count(b"'", start, gt) == 0 and data.count(b'"', start, gt) % 2 == 0:
        return gt + 1  # the usual case: no '>' inside a quoted value
    i = start + 1
    while True:
        gt = data.index(b">", i)
        q1, q2 = data.find(b'"', i, gt), data.find(b"'", i, gt)
        quote = min(q for q in (q1, q2) if q >= 0) if (q1 >= 0 or q2 >= 0) else -1
        if quote < 0:
            return gt + 1
        i = data.index(data[quote:quote + 1], quote + 1) + 1


def local_name(data: bytes, start: int) -> bytes:
    """The qualified name of the element whose start tag begins at `start`."""
    i = start + 1
    while data[i] not in b" \t\r\n/>":
        i += 1
    return data[start + 1:i]


def element_end(data: bytes, start: int) -> tuple[int | None, int]:
    """(where its end tag starts, None when it is `<x/>`; the index after it) of the element whose
    start tag begins at `start`, for an element that cannot hold one of its own name (a cell, a
    row, sheetData): its end tag is the first of its name after the start tag."""
    te = tag_end(data, start)
    if data[te - 2:te] == b"/>":
        return None, te
    name = local_name(data, start)
    close = data.index(b"</" + name + b">", te)
    return close, close + len(name) + 3


def end_of(data: bytes, close: int) -> int:
    """The index just after an end tag starting at `close`."""
    return data.index(b">", close) + 1


# --- where elements start and end, for the hand-written expat parsers -----------------------


@dataclass(slots=True)
class Closed:
    """An element just closed: its local name, depth (0: the root), the offset of its start tag,
    of its end tag (`at`; for `<x/>` the offset after it) and after it (`stop`)."""

    local: str
    depth: int
    begin: int
    at: int
    stop: int
    closing: bool  # it has an end tag (not `<x/>`)


class Offsets:
    """The open elements of an expat parse with their byte offsets: call `opened(name)` in the
    start handler and `closed()` in the end handler."""

    __slots__ = ("data", "parser", "locals", "starts")

    def __init__(self, data: bytes, parser):
        self.data, self.parser = data, parser
        self.locals: list[str] = []
        self.starts: list[int] = []

    def opened(self, name: str) -> tuple[str, int]:
        """(local name, depth) of the element whose start tag is being read."""
        name = local(name)
        self.locals.append(name)
        self.starts.append(self.parser.CurrentByteIndex)
        return name, len(self.locals) - 1

    def forget(self) -> None:
        """Stop following the element just opened: its inside is read some other way (its end is
        then never reported)."""
        self.locals.pop()
        self.starts.pop()

    def closed(self) -> Closed:
        name, begin = self.locals.pop(), self.starts.pop()
        at, data = self.parser.CurrentByteIndex, self.data
        closing = not (data[at - 2:at] == b"/>" and tag_end(data, begin) == at)
        return Closed(name, len(self.locals), begin, at, end_of(data, at) if closing else at, closing)


# --- a small tree with positions, for the small parts (workbook, rels, styles, comments …) ---


@dataclass(eq=False)
class Node:
    name: str
    attrs: list  # [(name, value)]
    start: int
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    text: str = ""  # all character data directly inside, joined
    close: int | None = None  # start of the end tag; None when self-closing
    end: int = 0

    @property
    def local(self) -> str:
        return local(self.name)

    def get(self, key: str, default=None):
        for k, v in self.attrs:
            if k == key:
                return v
        return default

    def find(self, name: str) -> "Node | None":
        return next((c for c in self.children if c.local == name), None)

    def findall(self, name: str) -> list["Node"]:
        return [c for c in self.children if c.local == name]

    def tag_end(self, data: bytes) -> int:
        return self.end if self.close is None else tag_end(data, self.start)

    def inner(self, data: bytes) -> bytes:
        return b"" if self.close is None else data[self.tag_end(data):self.close]

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


def tree(data: bytes) -> Node:
    """The whole part as Nodes (fine for parts of a few MB)."""
    return _TreePass(data).run()


class _TreePass:
    """One expat pass building the Nodes of a part; `Offsets` says where each ends."""

    __slots__ = ("data", "parser", "offsets", "stack", "root", "texts")

    def __init__(self, data: bytes):
        self.data = data
        self.parser = parser()
        self.offsets = Offsets(data, self.parser)
        self.stack: list[Node] = []  # the open elements
        self.root: Node | None = None
        self.texts: dict[int, list[str]] = {}  # id(node) -> its character data, for nodes that have some

    def run(self) -> Node:
        p = self.parser
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = self.start, self.end, self.chars
        parse(p, self.data)
        if self.root is None:
            raise XmlError("empty")
        return self.root

    def start(self, name, attrs) -> None:
        self.offsets.opened(name)
        stack = self.stack
        node = Node(name, pairs(attrs), self.parser.CurrentByteIndex, stack[-1] if stack else None)
        if stack:
            stack[-1].children.append(node)
        elif self.root is None:
            self.root = node
        stack.append(node)

    def end(self, name) -> None:
        node, e = self.stack.pop(), self.offsets.closed()
        node.close, node.end = (e.at if e.closing else None), e.stop
        chunks = self.texts.pop(id(node), None)
        if chunks is not None:
            node.text = "".join(chunks)

    def chars(self, text) -> None:
        if self.stack:
            self.texts.setdefault(id(self.stack[-1]), []).append(text)


# --- writing ---------------------------------------------------------------------------------

_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                       "\r": "&#13;"})
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def attr(value) -> str:
    return str(value).translate(_ATTR)


def text(value) -> str:
    return str(value).translate(_TEXT)


# Characters XML 1.0 cannot carry, and the "_xHHHH_" escape SpreadsheetML uses for them (found
# with a regular expression over the text; nothing of the XML itself is edited that way).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def xstring(value: str) -> str:
    """Text for a cell or note (ST_Xstring): control characters as _xHHHH_, a literal "_xHHHH_"
    escaped so that it reads back as written; then XML-escaped."""
    if "_x" in value:
        value = _ESCAPE_LIKE.sub("_x005F_", value)
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value.translate(_TEXT)


def start_tag(name: str, attrs, close: bool = False) -> bytes:
    body = "".join(f' {k}="{attr(v)}"' for k, v in attrs if v is not None)
    return f"<{name}{body}{'/' if close else ''}>".encode("utf-8")


def set_attrs(attrs, **changes) -> list:
    """attrs with some values changed (None removes), new ones appended; order kept."""
    out, seen = [], set()
    for k, v in attrs:
        key = k.replace(":", "__")
        if key in changes:
            seen.add(key)
            if changes[key] is not None:
                out.append((k, str(changes[key])))
        else:
            out.append((k, v))
    for key, v in changes.items():
        if key not in seen and v is not None:
            out.append((key.replace("__", ":"), str(v)))
    return out


def element(el, pre: str = "") -> str:
    """An xml.etree element built without namespaces (openpyxl's to_tree()) as text, its tags
    given the prefix `pre` ("" or "x:") of the part it goes into."""
    attrs = "".join(f' {k}="{attr(v)}"' for k, v in el.attrib.items())
    tag = pre + el.tag.rpartition("}")[2]
    inner = (text(el.text) if el.text else "") + "".join(element(c, pre) for c in el)
    if not inner:
        return f"<{tag}{attrs}/>"
    return f"<{tag}{attrs}>{inner}</{tag}>"


class Splice:
    """Byte edits on one part: replace [start, end) with new bytes (insertions: start == end).
    Edits must not overlap; insertions at one place keep the order they were added in."""

    def __init__(self, data: bytes):
        self.data = data
        self.edits: list[tuple[int, int, int, bytes]] = []

    def replace(self, start: int, end: int, new: bytes) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert(self, at: int, new: bytes) -> None:
        self.replace(at, at, new)

    def __bool__(self) -> bool:
        return bool(self.edits)

    def result(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self):
        """The edited part as pieces (a new piece may be a list of byte strings), never joined:
        a part with tens of thousands of new notes is compressed as it is made."""
        edits = sorted(self.edits, key=lambda e: (e[0], e[1] != e[0], e[2]))
        pos = 0
        for start, end, _, new in edits:
            if start < pos:
                raise ValueError("overlapping edits")
        for start, end, _, new in edits:
            yield self.data[pos:start]
            if isinstance(new, list):
                yield from new
            else:
                yield new
            pos = end
        yield self.data[pos:]


# --- changing a start tag where it stands ------------------------------------------------------

_WS = b" \t\r\n"


def _attributes(raw: bytes):
    """(whitespace start, name, value start, value end, end) of each attribute of a start tag, and
    where the tag's end ("/>" or ">", with the spaces before it) begins. The tag was checked by
    expat; this only finds where its parts are."""
    out = []
    n = len(raw)
    i = 1
    while raw[i] not in _WS and raw[i] not in b"/>":
        i += 1
    while True:
        ws = i
        while raw[i] in _WS:
            i += 1
        if raw[i] in b"/>":
            return out, ws
        eq = raw.index(b"=", i)
        name = raw[i:eq].rstrip().decode("utf-8")
        q = eq + 1
        while raw[q] in _WS:
            q += 1
        end = raw.index(raw[q:q + 1], q + 1)
        out.append((ws, name, q + 1, end, end + 1))
        i = end + 1
        if i >= n:
            return out, n


def retag(raw: bytes, changes: dict) -> bytes:
    """A start tag (its raw bytes) with attribute values changed, removed (None) or added, the
    rest of it byte for byte as it was."""
    attrs, tail = _attributes(raw)
    out, pos, seen = [], 0, set()
    for ws, name, vstart, vend, end in attrs:
        if name not in changes:
            continue
        seen.add(name)
        value = changes[name]
        if value is None:
            out.append(raw[pos:ws])
        else:
            text = attr(value)
            if raw[vstart - 1:vstart] == b"'":
                text = text.replace("'", "&apos;")
            out.append(raw[pos:vstart] + text.encode("utf-8"))
            out.append(raw[vend:end])
        pos = end
    out.append(raw[pos:tail])
    out.append("".join(f' {k}="{attr(v)}"' for k, v in changes.items() if k not in seen and v is not None)
               .encode("utf-8"))
    out.append(raw[tail:])
    return b"".join(out)


def opened(raw: bytes) -> bytes:
    """A self-closing start tag as an opening tag ("<a x='1'/>" -> "<a x='1'>")."""
    body = raw[:-2] if raw.endswith(b"/>") else raw[:-1]
    return body.rstrip(b" \t\r\n") + b">"
