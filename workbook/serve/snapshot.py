"""A workbook as the WPS add-in sends it: values read once per sheet, looks only where asked.

The snapshot (JSON, `version` 1):

    {"version": 1,
     "book": {"name": "预算.xlsx", "path": "C:\\\\…\\\\预算.xlsx" or "", "saved": true},
     "sheets": [{"name": "表一",
                 "values": [[…], …],        every value from A1 (the used range padded to A1),
                                             null for blank; numbers, text, booleans
                 "formulas": ["D7", …],      cells holding a formula (they are never rewritten)
                 "notes": [["D9", "text", "author"], …]}],   every note of the sheet
     "looks": {"表六": {"D9": {"fill": "FFC7CE" or "none", "merge": "D9:E9" or null}}}}

Reading a cell's fill or merged area costs the add-in one call per cell, so the snapshot carries
none at first. A job runs on it; every fill or merged area the job wanted and the snapshot lacked
is collected (`needed`), and the service answers `{"need": {sheet: [cells]}}` instead of actions.
The add-in reads just those cells and sends the snapshot again with `looks`; fills and anchors
asked for and not given read as "no fill" and "not merged". Marking asks for the cells it marks,
clearing for the cells it restores: a number that follows the findings, not the rows.
"""
from __future__ import annotations

from pathlib import Path

from ..advice import WPS
from ..cells import addr as cell_addr, coordinate_to_tuple, split_range
from ..errors import BudgetbookError
from ..plan import NO_FILL, Note, Plan
from ..surfaces.actions import actions
from ..surfaces.surface import folder_of, saved_file

VERSION = 1
# What Excel's COM bridge (and WPS's, following it) gives for an error value read through Value2:
# the cell's text is what the checks understand (F.error-value), as xlwings' err_to_str gives.
_ERRORS = {-2146826288: "#NULL!", -2146826281: "#DIV/0!", -2146826273: "#VALUE!",
           -2146826265: "#REF!", -2146826259: "#NAME?", -2146826252: "#NUM!", -2146826246: "#N/A"}
_HEX = set("0123456789ABCDEF")


class BadSnapshot(BudgetbookError):
    """The request is not a workbook snapshot (a client bug or a hand-made request)."""


class Snapshot:
    """Grid (values) and Looks (fills, notes, merges) over a snapshot, remembering what it lacked;
    the Surface (workbook.surfaces.surface) whose plans become JSON actions (surfaces.actions)."""

    where = WPS  # advice names the ribbon's buttons (workbook.advice)

    def __init__(self, data):
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("sheets"), list):
            raise BadSnapshot("请求内容不是 budgetbook 的工作簿快照（版本 1）；请更新 WPS 加载项后再试。")
        book = data.get("book") if isinstance(data.get("book"), dict) else {}
        self.name = _text(book.get("name")) or "工作簿"
        self.full_path = _text(book.get("path"))
        self.saved = book.get("saved") is not False
        self.path = Path(self.name)  # what messages name: the workbook as WPS shows it
        self._rows: dict[str, list[list[object]]] = {}
        self._formulas: dict[str, set[str]] = {}
        self._notes: dict[str, dict[str, Note]] = {}
        for sheet in data["sheets"]:
            if not isinstance(sheet, dict) or not _text(sheet.get("name")):
                raise BadSnapshot("工作簿快照中有一张表没有名称。")
            name = sheet["name"]
            self._rows[name] = [[_value(v) for v in row] if isinstance(row, list) else []
                                for row in sheet.get("values") or []]
            self._formulas[name] = {_addr(a) for a in sheet.get("formulas") or [] if isinstance(a, str)}
            self._notes[name] = {_addr(n[0]): Note(_text(n[1]), _text(n[2]) if len(n) > 2 else "")
                                 for n in sheet.get("notes") or []
                                 if isinstance(n, list) and len(n) >= 2 and isinstance(n[0], str)}
        looks = data.get("looks") if isinstance(data.get("looks"), dict) else {}
        self._looks = {sheet: {_addr(a): look for a, look in cells.items() if isinstance(look, dict)}
                       for sheet, cells in looks.items() if isinstance(cells, dict)}
        self.needed: dict[str, list[str]] = {}
        self.actions: list[dict] = []
        self.opened: Path | None = None  # a workbook the add-in should open (新建模板)

    # --- Grid ---

    def sheet_names(self) -> list[str]:
        return list(self._rows)

    def rows(self, sheet: str) -> list[list[object]]:
        return self._rows[sheet]

    # --- Looks ---

    def _look(self, sheet: str, addr: str) -> dict:
        cells = self._looks.get(sheet, {})
        if addr in cells:
            return cells[addr]
        wanted = self.needed.setdefault(sheet, [])
        if addr not in wanted:
            wanted.append(addr)
        return {}

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        merge = self._look(sheet, cell_addr(row, col)).get("merge")
        if isinstance(merge, str) and merge:
            try:
                top, left, _, _ = split_range(merge.split(",")[0])
                return top, left
            except (ValueError, TypeError):
                pass
        return row, col

    def exists(self, sheet: str, addr: str) -> bool:
        return (self.value(sheet, addr) is not None or self.note(sheet, addr) is not None
                or self.fill(sheet, addr) != NO_FILL)

    def value(self, sheet: str, addr: str):
        rows = self._rows.get(sheet, [])
        r, c = coordinate_to_tuple(addr)
        return rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None

    def fill(self, sheet: str, addr: str) -> str:
        fill = self._look(sheet, addr).get("fill")
        if isinstance(fill, str) and len(fill) == 6 and set(fill.upper()) <= _HEX:
            return fill.upper()
        return NO_FILL

    def note(self, sheet: str, addr: str) -> Note | None:
        return self._notes.get(sheet, {}).get(addr)

    def notes_with(self, text: str):
        for sheet, notes in self._notes.items():
            for addr, note in notes.items():
                if note.text and text in note.text:
                    yield sheet, addr, note

    # --- for the action list ---

    def has_formula(self, sheet: str, addr: str) -> bool:
        return addr in self._formulas.get(sheet, ())

    # --- the rest of the Surface protocol: the add-in carries the actions out ---

    def apply(self, plan: Plan) -> None:
        self.actions += actions(plan, self)

    def finish(self) -> None:
        pass

    def progress(self, text: str) -> None:
        pass

    def saved_file(self) -> Path:
        path = saved_file(self.full_path, self.name, self.saved)
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise BudgetbookError(f"{path.name} 不是 .xlsx 工作簿；请在 WPS 中另存为 .xlsx（Excel 工作簿）后再试。")
        return path

    def folder(self) -> Path:
        return folder_of(self.full_path)

    def open(self, path: Path) -> None:
        self.opened = path

    def print_pdf(self, xlsx: Path, pdf: Path) -> bool:
        return False


def _addr(addr: str) -> str:
    return str(addr).replace("$", "").upper()


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _value(value):
    if value == "" or value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value in _ERRORS:
        return _ERRORS[value]
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)
