"""What a planner may read of a workbook besides its values: fills, notes, merged cells.

Marking must record a cell's fill and note before it changes them, and clearing must find its
notes again; both read through this small interface, which every surface implements, so the
planners never see openpyxl, xlwings or JSON.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from ..plan import NO_FILL, Note, Plan


class Looks(Protocol):
    def sheet_names(self) -> list[str]:
        """Every sheet, hidden ones included, in workbook order."""

    def rows(self, sheet: str) -> list[list[object]]:
        """All values of a sheet from A1 (the Grid interface)."""

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, col); the cell itself otherwise."""

    def exists(self, sheet: str, addr: str) -> bool:
        """Whether the cell exists (has a value, style or note) and is not hidden by a merge."""

    def value(self, sheet: str, addr: str) -> object:
        """The cell's value as stored (rich text as its plain text is fine)."""

    def fill(self, sheet: str, addr: str) -> str:
        """The cell's fill as text (see workbook.plan): "none", hex, or `<fill>` XML."""

    def note(self, sheet: str, addr: str) -> Note | None:
        """The cell's note, None without one."""

    def notes_with(self, text: str) -> Iterable[tuple[str, str, Note]]:
        """(sheet, cell, note) for every note containing `text`, in sheet order."""


def prefetch(looks: Looks, cells: Iterable[tuple[str, str]]) -> None:
    """Tell a surface that pays per call (desktop Excel) which cells' anchors, fills and notes are
    about to be asked for, so that it reads them together; a surface without `prefetch` reads
    each when asked."""
    ahead = getattr(looks, "prefetch", None)
    if ahead is None:
        return
    by_sheet: dict[str, list[str]] = {}
    for sheet, addr in cells:
        by_sheet.setdefault(sheet, []).append(addr)
    for sheet, addrs in by_sheet.items():
        ahead(sheet, addrs)


class Planned:
    """Looks as they will be once `plan` is carried out (planning in steps: clear, then mark)."""

    def __init__(self, base: Looks, plan: Plan):
        self.base, self.plan = base, plan

    def prefetch(self, sheet: str, addrs: list[str]) -> None:
        prefetch(self.base, ((sheet, addr) for addr in addrs))

    def sheet_names(self) -> list[str]:
        names = [n for n in self.base.sheet_names() if n not in self.plan.remove_sheets]
        return names + [s.name for s in self.plan.add_sheets if s.name not in names]

    def rows(self, sheet: str) -> list[list[object]]:
        return self.base.rows(sheet)

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        return self.base.anchor(sheet, row, col)

    def exists(self, sheet: str, addr: str) -> bool:
        return self.base.exists(sheet, addr)

    def value(self, sheet: str, addr: str) -> object:
        cells = self.plan.values.get(sheet, {})
        return cells[addr] if addr in cells else self.base.value(sheet, addr)

    def fill(self, sheet: str, addr: str) -> str:
        cells = self.plan.fills.get(sheet, {})
        return cells[addr] if addr in cells else self.base.fill(sheet, addr)

    def note(self, sheet: str, addr: str) -> Note | None:
        cells = self.plan.notes.get(sheet, {})
        return cells[addr] if addr in cells else self.base.note(sheet, addr)

    def notes_with(self, text: str):
        for sheet, addr, note in self.base.notes_with(text):
            planned = self.plan.notes.get(sheet, {})
            if addr in planned:
                note = planned[addr]
                if note is None or text not in note.text:
                    continue
            yield sheet, addr, note


__all__ = ["Looks", "Planned", "NO_FILL", "prefetch"]
