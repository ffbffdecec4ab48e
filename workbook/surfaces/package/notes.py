"""Notes: the sheet's comments part (text and author) and its VML drawing (the note's box).

Reading gives each note's text, author and size (the VML shape's width and height, in points).
Writing edits both parts in place: a changed note replaces its <comment> and resizes its shape,
a removed note takes both out, a new one is added to both; every other note, shape and control
in them stays as it was. When a note's new text extends its old text (marking appends our lines),
the old formatted runs are kept and a run is added; when it shortens it back (clearing), the runs
are cut at the same place, so the user's own formatting comes back.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ...cells import addr, split_ref
from ...plan import Note
from . import xml
from .sheet import SheetIndex
from .xml import Splice

VML_NS = "urn:schemas-microsoft-com:vml"
OFFICE_NS = "urn:schemas-microsoft-com:office:office"
EXCEL_NS = "urn:schemas-microsoft-com:office:excel"
DEFAULT_SIZE = (108.0, 59.25)  # Excel's default note, points
# Resizing a note box moves the corner of its anchor, which is computed here from column widths
# and may differ by a few pixels from where Excel put it; the box's original size and anchor are
# kept in an XML comment beside the anchor, so that giving the note its size back (clear) puts
# the original anchor back exactly. Excel and LibreOffice drop the comment when they save.
SAVED = "bb-anchor "

_RPR = b'<rPr><sz val="9"/><rFont val="\xe5\xae\x8b\xe4\xbd\x93"/><charset val="134"/></rPr>'  # 宋体 9


# --- the comments part ---------------------------------------------------------------------


@dataclass
class Comment:
    ref: str
    start: int
    end: int
    author_id: int
    text: str


class Comments:
    def __init__(self, data: bytes):
        self.data = data
        self.authors: list[str] = []
        self.comments: dict[str, Comment] = {}
        self.order: list[str] = []
        self.root_name = ""
        self.authors_span: tuple[int, int | None, int] | None = None  # start, close, end
        self.list_span: tuple[int, int | None, int] | None = None
        self._parse()
        self.pre = xml.prefix(self.root_name)

    def _parse(self) -> None:
        _CommentsPass(self).run()

    def author(self, comment: Comment) -> str:
        return self.authors[comment.author_id] if 0 <= comment.author_id < len(self.authors) else ""


@dataclass(slots=True)
class _Reading:
    """The <comment> being read: its cell, where it starts, its author's index."""

    ref: str
    start: int
    author: int


class _CommentsPass:
    """One expat pass over a comments part, filling a Comments: authors, and each comment's cell,
    span, author and text (rich-text runs joined, phonetic runs left out)."""

    __slots__ = ("comments", "parser", "offsets", "reading", "chunks", "in_t", "in_rph", "author")

    def __init__(self, comments: Comments):
        self.comments = comments
        self.parser = xml.parser()
        self.offsets = xml.Offsets(comments.data, self.parser)
        self.reading: _Reading | None = None
        self.chunks: list[str] = []  # the text of the comment being read
        self.in_t = self.in_rph = 0  # depth inside <t> and <rPh> elements
        self.author: list[str] | None = None  # the text of the <author> being read

    def run(self) -> None:
        p = self.parser
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = self.start, self.end, self.chars
        xml.parse(p, self.comments.data)

    def start(self, name, attrs) -> None:
        local, depth = self.offsets.opened(name)
        if depth == 0:
            self.comments.root_name = name
        elif depth == 2 and local == "comment":
            a = dict(zip(attrs[0::2], attrs[1::2]))
            try:
                author = int(a.get("authorId", "0"))
            except ValueError:
                author = 0
            self.reading = _Reading(a.get("ref", "").replace("$", "").upper(), self.parser.CurrentByteIndex, author)
            self.chunks.clear()
        elif depth == 2 and local == "author":
            self.author = []
        elif local == "rPh":
            self.in_rph += 1
        elif local == "t":
            self.in_t += 1

    def end(self, name) -> None:
        e, comments = self.offsets.closed(), self.comments
        if e.depth == 2 and e.local == "comment" and self.reading is not None:
            reading = self.reading
            if reading.ref:
                comments.comments[reading.ref] = Comment(reading.ref, reading.start, e.stop, reading.author,
                                                         "".join(self.chunks))
                comments.order.append(reading.ref)
            self.reading = None
        elif e.depth == 2 and e.local == "author":
            comments.authors.append("".join(self.author or []))
            self.author = None
        elif e.depth == 1 and e.local in ("authors", "commentList"):
            span = (e.begin, e.at if e.closing else None, e.stop)
            if e.local == "authors":
                comments.authors_span = span
            else:
                comments.list_span = span
        elif e.local == "rPh":
            self.in_rph -= 1
        elif e.local == "t":
            self.in_t -= 1

    def chars(self, text) -> None:
        if self.author is not None:
            self.author.append(text)
        elif self.in_t and not self.in_rph and self.reading is not None:
            self.chunks.append(text)


def new_comments() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<comments xmlns="' + xml.MAIN.encode() + b'"><authors></authors><commentList></commentList></comments>')


# --- the VML drawing -------------------------------------------------------------------------


@dataclass
class Shape:
    start: int
    end: int
    attrs: list
    name: str
    object_type: str = ""
    row: int | None = None
    col: int | None = None
    anchor: tuple[int, int, str] | None = None  # start, end, text of <x:Anchor>
    saved: tuple[int, int, str] | None = None  # start, end, text of our <!--bb-anchor …--> note

    def style(self) -> str:
        return dict(self.attrs).get("style", "")


class Vml:
    def __init__(self, data: bytes):
        self.data = data
        self.shapes: list[Shape] = []
        self.shapetypes: dict[str, tuple[int, int]] = {}  # id -> span
        self.root_name, self.root_attrs, self.root_close = "", [], 0
        self.idmap: list[int] = []
        self.first_shape: int | None = None
        self._notes: dict | None = None
        self._parse()
        ns = xml.namespaces(self.root_attrs)
        self.prefixes = {uri: p for p, uri in ns.items() if p}

    def _parse(self) -> None:
        _VmlPass(self).run()

    def notes(self) -> dict[tuple[int, int], Shape]:
        """(row, col) 1-based -> the note's shape."""
        if self._notes is None:
            self._notes = {(s.row + 1, s.col + 1): s for s in self.shapes
                           if s.object_type == "Note" and s.row is not None and s.col is not None}
        return self._notes

    def shape_numbers(self) -> list[int]:
        out = []
        for shape in self.shapes:
            ident = dict(shape.attrs).get("id", "")
            if ident.startswith("_x0000_s") and ident[8:].isdigit():
                out.append(int(ident[8:]))
        return out


class _VmlPass:
    """One expat pass over a VML drawing, filling a Vml: its shape types, and each shape's span,
    note anchor (row, column, <x:Anchor>) and our saved size comment."""

    __slots__ = ("vml", "parser", "offsets", "shape", "shapetype", "text")

    def __init__(self, vml: Vml):
        self.vml = vml
        self.parser = xml.parser()
        self.offsets = xml.Offsets(vml.data, self.parser)
        self.shape: Shape | None = None  # the <v:shape> being read
        self.shapetype = ""  # the id of the <v:shapetype> being read
        self.text: list[str] | None = None  # the text of the <x:Row>, <x:Column> or <x:Anchor> being read

    def run(self) -> None:
        p = self.parser
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = self.start, self.end, self.chars
        p.CommentHandler = self.comment
        xml.parse(p, self.vml.data)

    def start(self, name, attrs) -> None:
        local, depth = self.offsets.opened(name)
        vml, at = self.vml, self.parser.CurrentByteIndex
        if depth == 0:
            vml.root_name, vml.root_attrs = name, xml.pairs(attrs)
        elif depth == 1 and local == "shape":
            self.shape = Shape(at, 0, xml.pairs(attrs), name)
            if vml.first_shape is None:
                vml.first_shape = at
        elif depth == 1 and local == "shapetype":
            self.shapetype = dict(zip(attrs[0::2], attrs[1::2])).get("id", "")
            if vml.first_shape is None:
                vml.first_shape = at
        elif local == "idmap":
            for part in dict(zip(attrs[0::2], attrs[1::2])).get("data", "").split(","):
                if part.strip().isdigit():
                    vml.idmap.append(int(part))
        elif self.shape is not None and local == "ClientData":
            self.shape.object_type = dict(zip(attrs[0::2], attrs[1::2])).get("ObjectType", "")
        elif self.shape is not None and local in ("Row", "Column", "Anchor"):
            self.text = []

    def end(self, name) -> None:
        e, vml, shape = self.offsets.closed(), self.vml, self.shape
        if e.depth == 1 and e.local == "shapetype":
            vml.shapetypes[self.shapetype] = (e.begin, e.stop)
            self.shapetype = ""
        elif e.depth == 1 and e.local == "shape" and shape is not None:
            shape.end = e.stop
            vml.shapes.append(shape)
            self.shape = None
        elif shape is not None and e.local in ("Row", "Column", "Anchor") and self.text is not None:
            value = "".join(self.text).strip()
            self.text = None
            if e.local == "Anchor":
                shape.anchor = (e.begin, e.stop, value)
            elif value.isdigit():
                setattr(shape, "row" if e.local == "Row" else "col", int(value))
        elif e.depth == 0:
            vml.root_close = e.at

    def chars(self, text) -> None:
        if self.text is not None:
            self.text.append(text)

    def comment(self, text) -> None:
        if self.shape is not None and text.startswith(SAVED):
            begin = self.parser.CurrentByteIndex
            self.shape.saved = (begin, self.vml.data.index(b"-->", begin) + 3, text[len(SAVED):])


def new_vml(idmap: int) -> bytes:
    return (f'<xml xmlns:v="{VML_NS}" xmlns:o="{OFFICE_NS}" xmlns:x="{EXCEL_NS}">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
            + SHAPETYPE.format(v="v:", o="o:") + "</xml>").encode("utf-8")


SHAPETYPE = ('<{v}shapetype id="_x0000_t202" coordsize="21600,21600" {o}spt="202" path="m,l,21600r21600,l21600,xe">'
             '<{v}stroke joinstyle="miter"/><{v}path gradientshapeok="t" {o}connecttype="rect"/></{v}shapetype>')


# --- sizes: style, points, and the anchor in cells --------------------------------------------

_UNITS = {"pt": 1.0, "px": 0.75, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0}


def style_items(style: str) -> list[tuple[str, str]]:
    out = []
    for part in style.split(";"):
        key, colon, value = part.partition(":")
        if colon:
            out.append((key.strip(), value.strip()))
    return out


def points(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    unit = value[-2:]
    try:
        if unit in _UNITS:
            result = round(float(value[:-2]) * _UNITS[unit], 4)
        else:
            result = round(float(value) * 0.75, 4)  # VML lengths without a unit are pixels
    except ValueError:
        return None
    # as the marks state reads it back (state.number): 108, not 108.0
    return int(result) if result.is_integer() else result


def fmt(number: float) -> str:
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class Metrics:
    """Column widths and row heights of a sheet in pixels (as Excel draws at 96 dpi with
    Calibri 11), for placing a note's box."""

    def __init__(self, index: SheetIndex):
        fmt_ = index.topmost("sheetFormatPr")
        attrs = dict(fmt_.attrs) if fmt_ is not None else {}
        self.default_col = self._col_px(attrs.get("defaultColWidth")) or 64
        try:
            self.default_row = int(float(attrs.get("defaultRowHeight", 15)) * 4 / 3 + 0.5)
        except ValueError:
            self.default_row = 20
        self.col_widths: dict[int, int] = {}
        for lo, hi, a in index.cols:
            a = dict(a)
            px = 0 if a.get("hidden") in ("1", "true") else (self._col_px(a.get("width")) or self.default_col)
            for col in range(lo, min(hi, 16384) + 1):
                self.col_widths[col] = px
        self.row_heights: dict[int, int] = {}
        for r, row in index.rows.items():
            a = dict(row.attrs)
            if a.get("hidden") in ("1", "true"):
                self.row_heights[r] = 0
            elif a.get("ht"):
                try:
                    self.row_heights[r] = int(float(a["ht"]) * 4 / 3 + 0.5)
                except ValueError:
                    pass
        self._row_offsets: list[int] = [0]

    @staticmethod
    def _col_px(width) -> int | None:
        try:
            return int(float(width) * 7 + 0.5) if width is not None else None
        except ValueError:
            return None

    def col(self, c: int) -> int:
        return self.col_widths.get(c, self.default_col)

    def row(self, r: int) -> int:
        return self.row_heights.get(r, self.default_row)

    def row_top(self, r: int) -> int:
        offsets = self._row_offsets
        while len(offsets) < r:
            offsets.append(offsets[-1] + self.row(len(offsets)))
        return offsets[r - 1]

    def col_left(self, c: int) -> int:
        return sum(self.col(k) for k in range(1, c))

    def anchor(self, row: int, col: int, width: float, height: float, start=None) -> tuple[list[int], float, float]:
        """The <x:Anchor> numbers (0-based cells, pixel offsets) of a box `width` × `height` points
        next to the 1-based cell (row, col), and its left/top in points."""
        if start is None:
            start_col, x1 = col + 1, 15
            start_row, y1 = (row - 1, 10) if row > 1 else (row, 2)
        else:
            start_col, x1, start_row, y1 = start[0] + 1, start[1], start[2] + 1, start[3]
        w, h = int(width * 4 / 3 + 0.5), int(height * 4 / 3 + 0.5)
        c, x = start_col, x1 + w
        while c < 16384:
            size = self.col(c)
            if size and x < size:
                break
            x -= size
            c += 1
        r, y = start_row, y1 + h
        while r < 1048576:
            size = self.row(r)
            if size and y < size:
                break
            y -= size
            r += 1
        numbers = [start_col - 1, x1, start_row - 1, y1, c - 1, x, r - 1, y]
        left = (self.col_left(start_col) + x1) * 0.75
        top = (self.row_top(start_row) + y1) * 0.75
        return numbers, left, top


# --- editing one sheet's notes ---------------------------------------------------------------


@dataclass
class NotesResult:
    comments: object  # the new part as chunks of bytes; None: the part goes
    vml: object  # likewise; None when it did not change or goes
    vml_gone: bool = False  # no shape left: the drawing goes


@dataclass(slots=True)
class _Run:
    """What one NotesEdit.run gathers: the edits of both parts, the authors, the new comments and
    boxes."""

    comments: Comments
    vml: Vml
    csplice: Splice
    vsplice: Splice
    authors: list[str]
    final: dict[str, int]  # ref -> author of each note there will be
    next_number: int  # of the next new shape
    vp: dict  # the drawing's prefixes of the VML, Office and Excel namespaces
    new_comments: list[tuple[tuple[int, int], bytes]] = field(default_factory=list)
    new_shapes: list[bytes] = field(default_factory=list)
    dropped: int = 0  # shapes taken out

    def remove(self, ref: str, shape: Shape | None) -> None:
        old = self.comments.comments.get(ref)
        if old is not None:
            self.csplice.replace(old.start, old.end, b"")
            self.final.pop(ref, None)
        if shape is not None:
            self.vsplice.replace(shape.start, shape.end, b"")
            self.dropped += 1

    def place_new_comments(self) -> None:
        """New comments go where they belong in row-major order."""
        comments = self.comments
        existing = sorted(((split_ref(r), c) for r, c in comments.comments.items()), key=lambda x: x[0])
        keys = [k for k, _ in existing]
        at_end = []
        for rc, blob in self.new_comments:
            i = bisect.bisect_right(keys, rc)
            if i < len(existing):
                self.csplice.insert(existing[i][1].start, blob)
            else:
                at_end.append(blob)
        if at_end:
            _insert_last(self.csplice, comments.data, comments.list_span, comments.pre + "commentList", at_end)


@dataclass
class NotesEdit:
    index: SheetIndex
    comments: Comments | None
    vml: Vml | None
    notes: dict[str, Note | None]
    new_vml_idmap: int = 1
    _splice_c: Splice | None = field(default=None, init=False)

    def run(self) -> NotesResult:
        comments = self.comments or Comments(new_comments())
        vml = self.vml or Vml(new_vml(self.new_vml_idmap))
        numbers = vml.shape_numbers()
        work = _Run(comments, vml, Splice(comments.data), Splice(vml.data), list(comments.authors),
                    {ref: c.author_id for ref, c in comments.comments.items()},
                    max(numbers) + 1 if numbers else (vml.idmap[0] if vml.idmap else self.new_vml_idmap) * 1024 + 1,
                    {k: vml.prefixes.get(ns) for k, ns in (("v", VML_NS), ("o", OFFICE_NS), ("x", EXCEL_NS))})
        shapes = vml.notes()
        metrics = Metrics(self.index)
        for ref, note in sorted(self.notes.items(), key=lambda kv: split_ref(kv[0])):
            rc = split_ref(ref)
            if note is None:
                work.remove(ref, shapes.get(rc))
            else:
                self._put(work, ref, rc, note, shapes.get(rc), metrics)
        work.place_new_comments()
        # authors: the new ones appended; trailing authors nobody uses any more taken off
        used = set(work.final.values())
        keep = len(work.authors)
        while keep and keep - 1 not in used:
            keep -= 1
        self._authors(work.csplice, comments.data, comments, work.authors[:max(keep, 0)], comments.pre)
        comments_out = None if not work.final else work.csplice.chunks()
        remaining = len(vml.shapes) - work.dropped + len(work.new_shapes)
        vml_out = self._vml_out(work)
        return NotesResult(comments_out, vml_out if remaining > 0 else None, remaining <= 0)

    def _put(self, work: _Run, ref: str, rc: tuple[int, int], note: Note, shape: Shape | None,
             metrics: Metrics) -> None:
        """A note written: its comment replaced or added, its box resized or added."""
        comments, pre = work.comments, work.comments.pre
        if note.author in work.authors:
            author = work.authors.index(note.author)
        else:
            work.authors.append(note.author)
            author = len(work.authors) - 1
        work.final[ref] = author
        old = comments.comments.get(ref)
        if old is not None:
            work.csplice.replace(old.start, old.end, self._comment(comments.data, old, note.text, author, pre))
        else:
            work.new_comments.append((rc, _comment_xml(ref, author, note.text, pre)))
        if shape is not None:
            if note.width is not None and note.height is not None:
                self._resize(work.vml.data, work.vsplice, shape, note, metrics, rc)
        else:
            width, height = (note.width, note.height) if note.width and note.height else DEFAULT_SIZE
            work.new_shapes.append(_shape_xml(work.next_number, rc, width, height, metrics, work.vp))
            work.next_number += 1

    def _vml_out(self, work: _Run):
        """The drawing's new bytes (None: unchanged): new boxes appended, with the note box type
        when the drawing has none; that type goes with the last note box when nothing else uses
        it (a drawing that held only a button gets back exactly what it had)."""
        vml, vsplice, vp = work.vml, work.vsplice, work.vp
        if work.new_shapes:
            if "_x0000_t202" not in vml.shapetypes:
                work.new_shapes.insert(0, SHAPETYPE.format(v=_p(vp["v"], VML_NS), o=_p(vp["o"], OFFICE_NS)).encode())
            vsplice.insert(vml.root_close, work.new_shapes)
        vml_out = vsplice.chunks() if vsplice or self.vml is None else None
        kept = [x for x in vml.shapes if not any(e[0] == x.start and e[1] == x.end and not e[3]
                                                 for e in vsplice.edits)]
        if (work.dropped and not work.new_shapes and "_x0000_t202" in vml.shapetypes
                and not any(dict(x.attrs).get("type") == "#_x0000_t202" for x in kept)):
            start, end = vml.shapetypes["_x0000_t202"]
            vsplice.replace(start, end, b"")
        return vml_out

    @staticmethod
    def _authors(splice: Splice, data: bytes, comments: Comments, authors: list[str], pre: str) -> None:
        if authors == comments.authors:
            return
        common = 0
        while common < min(len(authors), len(comments.authors)) and authors[common] == comments.authors[common]:
            common += 1
        span = comments.authors_span
        if span is None:
            raise xml.XmlError("comments without authors")
        if common == len(comments.authors):  # only appended
            blob = "".join(f"<{pre}author>{xml.xstring(a)}</{pre}author>" for a in authors[common:]).encode()
            _insert_last(splice, data, span, pre + "authors", blob)
            return
        # some taken off the end: rewrite the list (names only)
        blob = "".join(f"<{pre}author>{xml.xstring(a)}</{pre}author>" for a in authors).encode()
        if span[1] is None:
            splice.replace(span[0], span[2], f"<{pre}authors>".encode() + blob + f"</{pre}authors>".encode())
        else:
            splice.replace(xml.tag_end(data, span[0]), span[1], blob)

    @staticmethod
    def _comment(data: bytes, old: Comment, text: str, author: int, pre: str) -> bytes:
        piece = data[old.start:old.end]
        node = xml.tree(piece)
        head = xml.retag(piece[:node.tag_end(piece)], {"authorId": str(author)})
        body = node.find("text")
        inner = b""
        if body is not None:
            inner = _text_runs(piece, body, text, pre)
        else:
            inner = _plain_text(text, pre)
        rest = b"".join(piece[c.start:c.end] for c in node.children if c.local != "text")
        if body is not None and node.close is not None:  # the rest of the comment as it was
            return head + piece[node.tag_end(piece):body.start] + xml.opened(piece[body.start:body.tag_end(piece)]) \
                + inner + f"</{body.name}>".encode() + piece[body.end:]
        return (xml.opened(head) + f"<{pre}text>".encode() + inner + f"</{pre}text>".encode()
                + rest + f"</{node.name}>".encode())

    @staticmethod
    def _resize(data: bytes, splice: Splice, shape: Shape, note: Note, metrics: Metrics, rc) -> None:
        items = style_items(shape.style())
        values = dict(items)
        if (points(values.get("width")), points(values.get("height"))) == (note.width, note.height) \
                and shape.saved is None:
            return  # the size it has
        if "width" not in values:
            items.append(("width", ""))
        if "height" not in values:
            items.append(("height", ""))
        items = [(k, f"{fmt(note.width)}pt" if k == "width" else f"{fmt(note.height)}pt" if k == "height" else v)
                 for k, v in items]
        tag_end = xml.tag_end(data, shape.start)
        splice.replace(shape.start, tag_end, xml.retag(data[shape.start:tag_end],
                                                       {"style": ";".join(f"{k}:{v}" for k, v in items)}))
        if shape.anchor is None:
            return
        node_start, node_end, current = shape.anchor
        name = data[node_start + 1:node_end].split(b">", 1)[0].split()[0].decode()
        size = f"{fmt(note.width)} {fmt(note.height)}"
        if shape.saved is not None:
            was, _, anchor = shape.saved[2].partition("|")
            if was.strip() == size:  # the box's own size again: its own anchor again
                splice.replace(node_start, node_end, f"<{name}>{anchor.strip()}</{name}>".encode())
                splice.replace(shape.saved[0], shape.saved[1], b"")
                return
        try:
            start = [int(x) for x in current.split(",")][:4]
        except ValueError:
            return
        if len(start) != 4:
            return
        numbers, _, _ = metrics.anchor(rc[0], rc[1], note.width, note.height, start)
        saved = b""
        if shape.saved is None and "width" in values and "height" in values:
            old = f"{fmt(points(values['width']) or 0)} {fmt(points(values['height']) or 0)}"
            saved = f"<!--{SAVED}{old} | {current}-->".encode()
        splice.replace(node_start, node_end, f"<{name}>{', '.join(map(str, numbers))}</{name}>".encode() + saved)


def _p(prefix: str | None, ns: str) -> str:
    return f"{prefix}:" if prefix else ""


def _insert_last(splice: Splice, data: bytes, span, name: str, blob) -> None:
    if span is None:
        raise xml.XmlError(f"no {name}")
    start, close, end = span
    if close is None:
        blob = b"".join(blob) if isinstance(blob, list) else blob
        splice.replace(start, end, f"<{name}>".encode() + blob + f"</{name}>".encode())
    else:
        splice.insert(close, blob)


def _plain_text(text: str, pre: str) -> bytes:
    return f'<{pre}r>'.encode() + _RPR.replace(b"<", f"<{pre}".encode()).replace(f"<{pre}/".encode(), f"</{pre}".encode()) \
        + f'<{pre}t xml:space="preserve">{xml.xstring(text)}</{pre}t></{pre}r>'.encode()


def _comment_xml(ref: str, author: int, text: str, pre: str) -> bytes:
    return (f'<{pre}comment ref="{ref}" authorId="{author}"><{pre}text>'.encode() + _plain_text(text, pre)
            + f"</{pre}text></{pre}comment>".encode())


def _text_runs(piece: bytes, body, text: str, pre: str) -> bytes:
    """The new content of <text>: the old runs kept where the new text extends or shortens the old."""
    runs = []  # (raw bytes, plain text, node)
    for child in body.children:
        if child.local == "t":
            runs.append((piece[child.start:child.end], child.all_text(), child))
        elif child.local == "r":
            t = child.find("t")
            runs.append((piece[child.start:child.end], t.all_text() if t is not None else "", child))
    old = "".join(r[1] for r in runs)
    if text == old:
        return body.inner(piece)
    if runs and text.startswith(old):
        last = runs[-1][2]
        rpr = last.find("rPr") if last.local == "r" else None
        rpr_bytes = piece[rpr.start:rpr.end] if rpr is not None else b""
        kept = b"".join(r[0] for r in runs)
        if runs[0][2].local == "t" and len(runs) == 1:  # one unformatted text: stays one
            return f'<{pre}t xml:space="preserve">{xml.xstring(text)}</{pre}t>'.encode()
        return kept + f"<{pre}r>".encode() + rpr_bytes + \
            f'<{pre}t xml:space="preserve">{xml.xstring(text[len(old):])}</{pre}t></{pre}r>'.encode()
    if runs and old.startswith(text) and text:
        out, used = [], 0
        for raw, plain, node in runs:
            if used + len(plain) <= len(text):
                out.append(raw)
                used += len(plain)
                if used == len(text):
                    break
                continue
            rest = text[used:]
            if node.local == "t":
                out.append(f'<{pre}t xml:space="preserve">{xml.xstring(rest)}</{pre}t>'.encode())
            else:
                rpr = node.find("rPr")
                rpr_bytes = piece[rpr.start:rpr.end] if rpr is not None else b""
                out.append(f"<{pre}r>".encode() + rpr_bytes
                           + f'<{pre}t xml:space="preserve">{xml.xstring(rest)}</{pre}t></{pre}r>'.encode())
            break
        return b"".join(out)
    return _plain_text(text, pre)


def _shape_xml(number: int, rc, width: float, height: float, metrics: Metrics, vp: dict) -> bytes:
    v, o, x = _p(vp["v"], VML_NS), _p(vp["o"], OFFICE_NS), _p(vp["x"], EXCEL_NS)
    declare = ""
    if not vp["v"]:
        v, declare = "v:", declare + f' xmlns:v="{VML_NS}"'
    if not vp["o"]:
        o, declare = "o:", declare + f' xmlns:o="{OFFICE_NS}"'
    if not vp["x"]:
        x, declare = "x:", declare + f' xmlns:x="{EXCEL_NS}"'
    numbers, left, top = metrics.anchor(rc[0], rc[1], width, height)
    style = (f"position:absolute;margin-left:{fmt(left)}pt;margin-top:{fmt(top)}pt;width:{fmt(width)}pt;"
             f"height:{fmt(height)}pt;z-index:{number % 1024 or 1};visibility:hidden")
    return (f'<{v}shape{declare} id="_x0000_s{number}" type="#_x0000_t202" style="{style}" fillcolor="#ffffe1" '
            f'{o}insetmode="auto"><{v}fill color2="#ffffe1"/><{v}shadow on="t" color="black" obscured="t"/>'
            f'<{v}path {o}connecttype="none"/><{v}textbox style="mso-direction-alt:auto">'
            f'<div style="text-align:left"></div></{v}textbox><{x}ClientData ObjectType="Note">'
            f'<{x}MoveWithCells/><{x}SizeWithCells/><{x}Anchor>{", ".join(map(str, numbers))}</{x}Anchor>'
            f'<{x}AutoFill>False</{x}AutoFill><{x}Row>{rc[0] - 1}</{x}Row><{x}Column>{rc[1] - 1}</{x}Column>'
            f"</{x}ClientData></{v}shape>").encode("utf-8")


def read_note(comments: Comments, vml: Vml | None, ref: str) -> Note | None:
    comment = comments.comments.get(ref)
    if comment is None:
        return None
    width = height = None
    if vml is not None:
        shape = vml.notes().get(split_ref(ref))
        if shape is not None:
            style = dict(style_items(shape.style()))
            width, height = points(style.get("width")), points(style.get("height"))
    return Note(comment.text, comments.author(comment), width, height)


__all__ = ["Comments", "Vml", "NotesEdit", "read_note", "addr"]
