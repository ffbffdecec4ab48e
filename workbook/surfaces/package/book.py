"""The workbook part: its sheets, defined names, the sheet shown on opening, calculation settings.

Sheets removed are cut out together with the names local to them (the other local names are
renumbered), sheets added are appended with their names, and the active tab follows its sheet.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import xml
from .xml import Node, Splice

_AFTER_NAMES = {"calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst", "AlternateContent"}
_AFTER_CALC = _AFTER_NAMES - {"calcPr"}


@dataclass
class Sheet:
    name: str
    sheet_id: int
    state: str
    rid: str
    node: Node | None = None


@dataclass
class NewName:
    name: str
    sheet: str  # local to this sheet
    formula: str
    hidden: bool = False


class Book:
    def __init__(self, data: bytes):
        self.data = data
        self.root = xml.tree(data)
        self.pre = xml.prefix(self.root.name)
        ns = xml.namespaces(self.root.attrs)
        if ns.get(self.pre[:-1] if self.pre else "") == xml.STRICT_MAIN:
            raise StrictError()
        self.rel_prefix = next((p for p, uri in ns.items() if uri == xml.REL_NS and p), None)
        self.sheets: list[Sheet] = []
        node = self.root.find("sheets")
        self.sheets_node = node
        for child in node.findall("sheet") if node is not None else []:
            rid = next((v for k, v in child.attrs if xml.local(k) == "id" and ":" in k), "")
            try:
                sheet_id = int(child.get("sheetId", "0"))
            except ValueError:
                sheet_id = 0
            self.sheets.append(Sheet(child.get("name", ""), sheet_id, child.get("state", "visible"), rid, child))
        views = self.root.find("bookViews")
        self.view = views.find("workbookView") if views is not None else None
        self.names = self.root.find("definedNames")
        self.calc = self.root.find("calcPr")

    @property
    def active(self) -> int:
        try:
            return int(self.view.get("activeTab", "0")) if self.view is not None else 0
        except ValueError:
            return 0

    def render(self, removed: set[str], added: list[Sheet], names: list[NewName], active: str | None,
               full_calc: bool) -> tuple[bytes | None, str | None]:
        """The new part (None: unchanged) and the sheet that becomes active when it changed."""
        edit = Splice(self.data)
        old = self.sheets
        final = [s for s in old if s.name not in removed] + added
        new_index = {i: final.index(s) for i, s in enumerate(old) if s.name not in removed}
        self._sheets(edit, removed, added)
        self._local_names(edit, {i for i, s in enumerate(old) if s.name in removed}, new_index)
        if names:
            self._new_names(edit, names, {s.name: final.index(s) for s in added})
        switched = self._active(edit, final, new_index, active)
        if full_calc:
            self._full_calc(edit)
        return (edit.result() if edit else None), switched

    def _sheets(self, edit: Splice, removed: set[str], added: list[Sheet]) -> None:
        for sheet in self.sheets:
            if sheet.name in removed:
                edit.replace(sheet.node.start, sheet.node.end, b"")
        if added:
            rp = f"{self.rel_prefix}:" if self.rel_prefix else "r:"
            declare = "" if self.rel_prefix else f' xmlns:r="{xml.REL_NS}"'
            _append(edit, self.data, self.sheets_node, "".join(
                f'<{self.pre}sheet{declare} name="{xml.attr(s.name)}" sheetId="{s.sheet_id}"'
                + (f' state="{s.state}"' if s.state != "visible" else "") + f' {rp}id="{xml.attr(s.rid)}"/>'
                for s in added).encode("utf-8"))

    def _local_names(self, edit: Splice, removed_index: set[int], new_index: dict[int, int]) -> None:
        """Names local to a removed sheet go; the others follow their sheet's new position."""
        if self.names is None:
            return
        data = self.data
        for dn in self.names.findall("definedName"):
            local = dn.get("localSheetId")
            if local is None:
                continue
            try:
                i = int(local)
            except ValueError:
                continue
            if i in removed_index:
                edit.replace(dn.start, dn.end, b"")
            elif i in new_index and new_index[i] != i:
                end = dn.tag_end(data)
                edit.replace(dn.start, end, xml.retag(data[dn.start:end], {"localSheetId": str(new_index[i])}))

    def _new_names(self, edit: Splice, names: list[NewName], position: dict[str, int]) -> None:
        blob = "".join(
            f'<{self.pre}definedName name="{xml.attr(n.name)}" localSheetId="{position[n.sheet]}"'
            + (' hidden="1"' if n.hidden else "") + f">{xml.text(n.formula)}</{self.pre}definedName>"
            for n in names).encode("utf-8")
        if self.names is None:
            at = self._after("sheets", _AFTER_NAMES)
            edit.insert(at, f"<{self.pre}definedNames>".encode() + blob + f"</{self.pre}definedNames>".encode())
        else:
            _append(edit, self.data, self.names, blob)

    def _active(self, edit: Splice, final: list[Sheet], new_index: dict[int, int], active: str | None) -> str | None:
        """The tab shown on opening: `active`, else the one shown before, else the first visible;
        the first tab of the bar follows its sheet. Returns the new active sheet when it changed."""
        old, data = self.sheets, self.data
        was = old[self.active].name if 0 <= self.active < len(old) else None
        names_final = [s.name for s in final]
        if active in names_final:
            now = active
        elif was in names_final:
            now = was
        else:
            now = next((s.name for s in final if s.state == "visible"), names_final[0] if names_final else None)
        if self.view is not None and now is not None:
            changes = {}
            if names_final.index(now) != self.active:
                changes["activeTab"] = names_final.index(now)
            first = self.view.get("firstSheet")
            if first is not None:
                try:
                    f = int(first)
                except ValueError:
                    f = 0
                later = [new_index[i] for i in range(f, len(old)) if i in new_index]
                want = later[0] if later else max(len(final) - 1, 0)
                if want != f:
                    changes["firstSheet"] = want
            if changes:
                view = self.view
                end = view.tag_end(data)
                edit.replace(view.start, end, xml.retag(data[view.start:end], {k: str(v) for k, v in changes.items()}))
        return now if now != was else None

    def _full_calc(self, edit: Splice) -> None:
        calc = self.calc
        if calc is None:
            at = self._after("definedNames" if self.names is not None else "sheets", _AFTER_CALC)
            edit.insert(at, f'<{self.pre}calcPr fullCalcOnLoad="1"/>'.encode())
        elif calc.get("fullCalcOnLoad") not in ("1", "true"):
            end = calc.tag_end(self.data)
            edit.replace(calc.start, end, xml.retag(self.data[calc.start:end], {"fullCalcOnLoad": "1"}))

    def _after(self, anchor: str, later: set[str]) -> int:
        """Where an element goes that follows `anchor` and precedes the `later` elements."""
        seen = False
        for child in self.root.children:
            if child.local == anchor:
                seen = True
            elif seen and child.local in later:
                return child.start
        return self.root.close


def _append(edit: Splice, data: bytes, node: Node, blob: bytes) -> None:
    """Children added at the end of an element (opened first when it was self-closing)."""
    if node.close is None:
        edit.replace(node.start, node.end, xml.opened(data[node.start:node.end]) + blob + f"</{node.name}>".encode())
    else:
        edit.insert(node.close, blob)


class StrictError(Exception):
    pass
