"""A workbook as WPS holds it, for tests of the WPS path without WPS.

`dump(path)` writes what a workbook file holds in the form the fake WPS object model of the node
tests loads (addin/wps/test/fake_wps.js): per sheet its cells with value, formula, solid fill (WPS
reads colours, not theme or pattern fills), named style and note; merges, protection, visibility.
`Held` is the same workbook in Python: it makes the snapshot the add-in sends, answers the
service's "need" as the add-in reads it, and carries out the action list as WPS would (the replay
of tests/xlremote.py for the third surface). `press(post, key, held)` is one button press.
"""
from __future__ import annotations

from copy import deepcopy
from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from workbook.grid import load_workbook
from workbook.plan import dump_fill, solid_colour

STATES = {"visible": -1, "hidden": 0, "veryHidden": 2}


def dump(path: Path) -> dict:
    book = load_workbook(Path(path))
    results = load_workbook(Path(path), data_only=True)
    sheets = []
    for ws in book.worksheets:
        cells = []
        for (r, c), cell in sorted(ws._cells.items()):
            if isinstance(cell, MergedCell):
                continue
            value, formula = cell.value, None
            if cell.data_type == "f":
                formula, value = str(cell.value), results[ws.title].cell(r, c).value
            entry = {"r": r, "c": c, "v": _plain(value), "f": formula,
                     "fill": solid_colour(dump_fill(cell.fill)),
                     "style": cell.style if cell.style != "Normal" else None,
                     "note": cell.comment.text if cell.comment else None,
                     "author": cell.comment.author if cell.comment else ""}
            if any(entry[k] is not None for k in ("v", "f", "fill", "style", "note")):
                cells.append(entry)
        sheets.append({"name": ws.title, "visible": STATES[ws.sheet_state], "protected": bool(ws.protection.sheet),
                       "merges": [str(m) for m in ws.merged_cells.ranges], "cells": cells})
    return {"name": Path(path).name, "fullName": str(Path(path).resolve()), "saved": True,
            "active": book.worksheets.index(book.active) if book.active in book.worksheets else 0,
            "selection": "A1", "sheets": sheets}


def _plain(value):
    """A value as WPS's Value2 gives it: dates and times as serial numbers."""
    from datetime import date, datetime, time

    from openpyxl.utils.datetime import to_excel

    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, (datetime, date, time)):
        return to_excel(value)
    return str(value)


class Held:
    """A dumped workbook, read and changed as the WPS add-in reads and changes it."""

    def __init__(self, book: dict):
        self.book = deepcopy(book)
        self.sheets = {s["name"]: s for s in self.book["sheets"]}
        self.order = [s["name"] for s in self.book["sheets"]]
        self.cells = {s["name"]: {(c["r"], c["c"]): c for c in s["cells"]} for s in self.book["sheets"]}

    # --- reading, as client.js does ---

    def snapshot(self) -> dict:
        sheets = []
        for name in self.order:
            cells = self.cells[name]
            height = max((r for r, _ in cells), default=0)
            width = max((c for _, c in cells), default=0)
            values = [[None] * width for _ in range(height)]
            for (r, c), cell in cells.items():
                values[r - 1][c - 1] = cell.get("v")
            sheets.append({"name": name, "values": values,
                           "formulas": [_addr(r, c) for (r, c), cell in cells.items() if cell.get("f")],
                           "notes": [[_addr(r, c), cell["note"], cell.get("author", "")]
                                     for (r, c), cell in sorted(cells.items()) if cell.get("note") is not None]})
        return {"version": 1, "book": {"name": self.book["name"], "path": self.book["fullName"], "saved": True},
                "sheets": sheets, "looks": {}}

    def looks(self, need: dict, looks: dict) -> int:
        """Answer the service's need; the number of cells read."""
        for sheet, addrs in need.items():
            merges = [range_boundaries(m) for m in self.sheets[sheet]["merges"]]
            for addr in addrs:
                r, c = coordinate_to_tuple(addr)
                merge = next((m for m in merges if m[1] <= r <= m[3] and m[0] <= c <= m[2]), None)
                cell = self.cells[sheet].get((r, c), {})
                looks.setdefault(sheet, {})[addr] = {
                    "fill": cell.get("fill") or "none",
                    "merge": f"{get_column_letter(merge[0])}{merge[1]}:{get_column_letter(merge[2])}{merge[3]}"
                    if merge else None}
        return sum(len(a) for a in need.values())

    # --- the action list, as WPS carries it out ---

    def apply(self, actions: list[dict]) -> None:
        for action in actions:
            getattr(self, "_" + action["do"])(action)

    def _cell(self, sheet: str, r: int, c: int) -> dict:
        return self.cells[sheet].setdefault((r, c), {"r": r, "c": c, "v": None})

    def _removeSheet(self, action):
        self.order.remove(action["sheet"])

    def _setValues(self, action):
        left, top, _, _ = range_boundaries(action["range"])
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                if isinstance(value, str) and value.startswith("'"):
                    value = value[1:]
                self._cell(action["sheet"], top + i, left + j)["v"] = value

    def _restyle(self, action):
        for r, c in _cells(action["ranges"]):
            cell = self._cell(action["sheet"], r, c)
            if cell.get("style") == action["from"]:
                cell["style"] = action["to"]

    def _setFill(self, action):
        for r, c in _cells(action["ranges"]):
            self._cell(action["sheet"], r, c)["fill"] = action["color"]

    def _setNote(self, action):
        cell = self._cell(action["sheet"], *coordinate_to_tuple(action["cell"]))
        cell["note"], cell["author"] = action["text"], "WPS 用户" if action["text"] is not None else ""

    def _addSheet(self, action):
        name = action["sheet"]
        self.order.append(name)
        self.sheets[name] = {"name": name, "visible": STATES[action["state"]], "protected": False, "merges": []}
        self.cells[name] = {}
        for r, row in enumerate(action["values"], start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    self._cell(name, r, c)["v"] = value

    def _activate(self, action):
        pass

    # --- what tests compare ---

    def values(self, sheet: str) -> dict:
        return {(r, c): cell["v"] for (r, c), cell in self.cells[sheet].items() if cell.get("v") is not None}

    def coloured(self, sheets, colours=("FFC7CE", "FFEB9C")) -> set:
        return {(s, _addr(r, c)) for s in sheets for (r, c), cell in self.cells[s].items()
                if cell.get("fill") in colours}

    def noted(self, sheets) -> set:
        return {(s, _addr(r, c)) for s in sheets for (r, c), cell in self.cells[s].items()
                if cell.get("note") is not None}


def _addr(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


def _cells(ranges):
    for union in ranges:
        for area in union.split(","):
            left, top, right, bottom = range_boundaries(area)
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    yield r, c


def press(post, key: str, held: Held, rounds: int = 5) -> tuple[dict, int]:
    """One button press: the snapshot, the need rounds, the actions carried out.
    Returns the reply and the number of cells whose looks were read."""
    snapshot = held.snapshot()
    read = 0
    for _ in range(rounds):
        reply = post(f"/api/button/{key}", snapshot)
        if "need" not in reply:
            held.apply(reply.get("actions", []))
            return reply, read
        read += held.looks(reply["need"], snapshot["looks"])
    raise AssertionError("the service kept asking for looks")
