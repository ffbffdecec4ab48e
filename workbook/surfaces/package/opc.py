"""The package around the parts: which part is which ([Content_Types].xml), how parts point at
each other (the .rels parts), and the set of parts as changed so far.

Edits to these small parts are splices too: a relationship or an override added is inserted
before the closing tag, one removed is cut out, so that adding and then removing the same thing
gives the original bytes back.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from . import xml
from .xml import Node, Splice
from .zipio import Archive, Deflated, Member, now

_KEEP_OPEN = 1 << 18  # parts larger than this are kept compressed once written

CT_PATH = "[Content_Types].xml"

RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_WORKSHEET = RT + "worksheet"
RT_COMMENTS = RT + "comments"
RT_VML = RT + "vmlDrawing"
RT_STYLES = RT + "styles"
RT_TABLE = RT + "table"
RT_CALC_CHAIN = RT + "calcChain"
RT_OFFICE_DOCUMENT = RT + "officeDocument"
RT_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """The part a relationship of `source` points at (no leading "/")."""
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


@dataclass
class Rel:
    id: str
    type: str
    target: str
    external: bool
    node: Node | None = None  # None: added in this session


class Rels:
    """The relationships of one part."""

    def __init__(self, package: "Package", source: str):
        self.package, self.source, self.path = package, source, rels_path(source)
        data = package.read(self.path)
        self.data = data
        self.rels: list[Rel] = []
        self.added: list[Rel] = []
        self.removed: set[str] = set()
        self.root = None
        if data is not None:
            self.root = xml.tree(data)
            for node in self.root.findall("Relationship"):
                self.rels.append(Rel(node.get("Id", ""), node.get("Type", ""), node.get("Target", ""),
                                     node.get("TargetMode") == "External", node))

    def live(self) -> list[Rel]:
        return [r for r in self.rels if r.id not in self.removed] + self.added

    def of_type(self, rtype: str) -> list[Rel]:
        return [r for r in self.live() if r.type == rtype]

    def get(self, rid: str) -> Rel | None:
        return next((r for r in self.live() if r.id == rid), None)

    def part(self, rel: Rel) -> str | None:
        return None if rel.external else resolve(self.source, rel.target)

    def add(self, rtype: str, part: str) -> str:
        taken = {r.id for r in self.live()}  # an id given up in this edit may be given again
        n = len(taken) + 1
        while f"rId{n}" in taken:
            n += 1
        rel = Rel(f"rId{n}", rtype, relative(self.source, part), False)
        self.added.append(rel)
        self.package.dirty_rels.add(self.source)
        return rel.id

    def remove(self, rid: str) -> None:
        if any(r.id == rid for r in self.added):
            self.added = [r for r in self.added if r.id != rid]
        else:
            self.removed.add(rid)
        self.package.dirty_rels.add(self.source)

    def render(self) -> bytes | None:
        """The part's new bytes; None when it has no relationships left (the part goes)."""
        if not self.live():
            return None
        new = "".join(f'<Relationship Id="{xml.attr(r.id)}" Type="{xml.attr(r.type)}" '
                      f'Target="{xml.attr(r.target)}"/>' for r in self.added).encode("utf-8")
        if self.root is None:
            return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    b'<Relationships xmlns="' + xml.PKG_REL_NS.encode() + b'">' + new + b"</Relationships>")
        edit = Splice(self.data)
        for rel in self.rels:
            if rel.id in self.removed:
                edit.replace(rel.node.start, rel.node.end, b"")
        _append(edit, self.data, self.root, new)
        return edit.result()


def _append(edit: Splice, data: bytes, parent: Node, new: bytes) -> None:
    """Insert `new` as the last children of `parent` (opening a self-closing element)."""
    if not new:
        return
    if parent.close is None:
        edit.replace(parent.start, parent.end, xml.opened(data[parent.start:parent.end]) + new
                     + f"</{parent.name}>".encode())
    else:
        edit.insert(parent.close, new)


class ContentTypes:
    def __init__(self, package: "Package"):
        self.data = package.read(CT_PATH)
        if self.data is None:
            raise xml.XmlError("no [Content_Types].xml")
        self.root = xml.tree(self.data)
        self.defaults = {n.get("Extension", "").lower(): n.get("ContentType", "")
                         for n in self.root.findall("Default")}
        self.overrides: dict[str, Node] = {n.get("PartName", "").lstrip("/").lower(): n
                                           for n in self.root.findall("Override")}
        self.added: dict[str, str] = {}
        self.added_defaults: dict[str, str] = {}
        self.removed: set[str] = set()

    def of(self, part: str) -> str | None:
        key = part.lower()
        if key in self.added:
            return self.added[key]
        if key in self.overrides and key not in self.removed:
            return self.overrides[key].get("ContentType")
        ext = posixpath.splitext(key)[1].lstrip(".")
        return self.added_defaults.get(ext) or self.defaults.get(ext)

    def override(self, part: str, ctype: str) -> None:
        key = part.lower()
        self.removed.discard(key)
        if key in self.overrides and self.overrides[key].get("ContentType") == ctype:
            return
        if key in self.overrides:
            self.removed.add(key)
        self.added[key] = ctype
        self._names = getattr(self, "_names", {})
        self._names[key] = part

    def default(self, ext: str, ctype: str) -> None:
        if ext.lower() not in self.defaults:
            self.added_defaults[ext.lower()] = ctype

    def forget(self, part: str) -> None:
        key = part.lower()
        self.added.pop(key, None)
        if key in self.overrides:
            self.removed.add(key)

    def changed(self) -> bool:
        return bool(self.added or self.added_defaults or self.removed)

    def render(self) -> bytes:
        edit = Splice(self.data)
        for key in self.removed:
            node = self.overrides[key]
            edit.replace(node.start, node.end, b"")
        names = getattr(self, "_names", {})
        new = "".join(f'<Default Extension="{xml.attr(e)}" ContentType="{xml.attr(t)}"/>'
                      for e, t in self.added_defaults.items())
        new += "".join(f'<Override PartName="/{xml.attr(names.get(k, k))}" ContentType="{xml.attr(t)}"/>'
                       for k, t in self.added.items())
        _append(edit, self.data, self.root, new.encode("utf-8"))
        return edit.result()


class Package:
    """The parts of the input, as changed by the patcher so far."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.changed: dict[str, bytes] = {}  # part -> new bytes (new parts included)
        self.deleted: set[str] = set()
        self.order: list[str] = []  # new parts, in the order they were made
        self._rels: dict[str, Rels] = {}
        self.dirty_rels: set[str] = set()
        self._types: ContentTypes | None = None

    # --- parts ---

    def stored(self, part: str) -> str | None:
        return self.archive.name(part)

    def exists(self, part: str) -> bool:
        key = part.lower()
        if key in (p.lower() for p in self.deleted):
            return False
        return part in self.changed or self.stored(part) is not None

    def read(self, part: str) -> bytes | None:
        if part in self.changed:
            data = self.changed[part]
            return data.data() if isinstance(data, Deflated) else data
        if part in self.deleted:
            return None
        name = self.stored(part)
        return None if name is None else self.archive.read(name)

    def write(self, part: str, data) -> None:
        """New content of a part: bytes, or an iterable of byte chunks (compressed as it comes)."""
        if not isinstance(data, (bytes, bytearray)):
            data = Deflated.of(data)
        elif len(data) > _KEEP_OPEN:
            data = Deflated.of([data])
        name = self.stored(part) or part
        if name not in self.changed and self.stored(part) is None and name not in self.order:
            self.order.append(name)
        self.deleted.discard(name)
        self.changed[name] = data

    def delete(self, part: str) -> None:
        name = self.stored(part) or part
        self.changed.pop(name, None)
        if name in self.order:
            self.order.remove(name)
        if self.stored(part) is not None:
            self.deleted.add(name)
        self.types.forget(part)
        self._rels.pop(part, None)

    def free_name(self, pattern: str) -> str:
        """pattern with {} -> the first number not taken ("xl/worksheets/sheet{}.xml")."""
        n = 1
        while self.exists(pattern.format(n)) or pattern.format(n) in self.changed:
            n += 1
        return pattern.format(n)

    @property
    def types(self) -> ContentTypes:
        if self._types is None:
            self._types = ContentTypes(self)
        return self._types

    def rels(self, source: str) -> Rels:
        if source not in self._rels:
            self._rels[source] = Rels(self, source)
        return self._rels[source]

    # --- reachability: parts nothing points at any more go ---

    def reachable(self) -> set[str]:
        seen: set[str] = set()
        todo = [""]
        while todo:
            source = todo.pop()
            rels = self.rels(source) if source else self.rels("")
            for rel in rels.live():
                part = rels.part(rel)
                if part is None:
                    continue
                key = part.lower()
                if key not in seen and self.exists(part):
                    seen.add(key)
                    todo.append(self.stored(part) or part)
        return seen

    def sweep(self, before: set[str]) -> list[str]:
        """Delete the parts that were reachable before and are not now; returns them."""
        after = self.reachable()
        gone = []
        for info in self.archive.infos:
            key = info.filename.lower()
            if key in before and key not in after and info.filename not in self.deleted:
                gone.append(info.filename)
        for part in list(self.order):
            if part.lower() not in after:
                gone.append(part)
        for part in gone:
            self.delete(part)
            if self.exists(rels_path(part)):
                self.delete(rels_path(part))
        return gone

    # --- writing ---

    def members(self) -> list[Member]:
        """Everything to write: untouched members as raw copies, in the input's order."""
        for source in sorted(self.dirty_rels):
            rels = self._rels.get(source)
            if rels is None:
                continue
            data = rels.render()
            if data is None:
                if self.exists(rels.path):
                    self.delete(rels.path)
            else:
                self.write(rels.path, data)
        if self._types is not None and self._types.changed():
            self.write(CT_PATH, self._types.render())
        out = []
        for info in self.archive.infos:
            name = info.filename
            if name in self.deleted:
                continue
            if name in self.changed:
                out.append(Member(name, data=self.changed[name], date_time=info.date_time))
            else:
                out.append(Member(name, info=info))
        stamp = now()
        out += [Member(name, data=self.changed[name], date_time=stamp) for name in self.order]
        return out

    def touched(self) -> set[str]:
        """Parts changed, added or removed so far (for tests and reports)."""
        out = set(self.changed) | set(self.deleted) | {rels_path(s) for s in self.dirty_rels}
        if self._types is not None and self._types.changed():
            out.add(CT_PATH)
        return out
