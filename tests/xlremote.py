"""Real xlwings Books without Excel: the remote engine, built from a workbook file's values.

`book_from(path)` gives an `xw.Book` whose sheets hold what the file holds (as an Excel client
would send it); `replay(book)` carries the actions xlwings recorded for Excel (`book.json()`) out
on plain data, so a test can see the values, colours, notes and sheets Excel would end with.
The remote engine needs XLWINGS_LICENSE_KEY=noncommercial (PolyForm Noncommercial, this
noncommercial project); tests/conftest.py sets it before xlwings is first imported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

import xlwings as xw


def book_from(path: Path, *, client: str = "Office.js") -> xw.Book:
    """An xlwings Book (remote engine) holding the values of every sheet of `path`; with the
    Office.js client so that notes can be added."""
    data = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in data.sheet_names:
        rows = data.get_sheet_by_name(name).to_python(skip_empty_area=False)
        values = [[None if v == "" else v for v in row] for row in rows]
        sheets.append({"name": name, "values": values, "pictures": [], "tables": [], "notes": []})
    return xw.Book(json={"client": client, "version": xw.__version__,
                         "book": {"name": Path(path).name, "active_sheet_index": 0, "selection": "A1"},
                         "names": [], "sheets": sheets})


@dataclass
class Excel:
    """What Excel would hold after the recorded actions."""

    sheets: list[str]
    values: dict[str, dict[tuple[int, int], object]]
    colours: dict[str, dict[tuple[int, int], str | None]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    def coloured(self) -> set[tuple[str, str]]:
        from openpyxl.utils.cell import get_column_letter

        return {(sheet, f"{get_column_letter(c)}{r}") for sheet, cells in self.colours.items()
                for (r, c), colour in cells.items() if colour}


def replay(book: xw.Book) -> Excel:
    """The recorded actions applied to the book's values (as Excel would apply them)."""
    api = book.api
    sheets = [s["name"] for s in api["sheets"]]
    values = {s["name"]: {(r + 1, c + 1): v for r, row in enumerate(s["values"]) for c, v in enumerate(row)
                          if v is not None} for s in api["sheets"]}
    excel = Excel(list(sheets), values)
    # the remote engine records positions of sheets as they were when each action was made
    for action in book.json()["actions"]:
        func, args = action["func"], action["args"]
        name = excel.sheets[action["sheet_position"]] if action.get("sheet_position") is not None else None
        cells = _cells(action)
        if func == "setValues":
            for (r, c), (i, j) in cells:
                value = action["values"][i][j]
                excel.values.setdefault(name, {})[(r, c)] = None if value == "" else value
        elif func == "setRangeColor":
            for (r, c), _ in cells:
                excel.colours.setdefault(name, {})[(r, c)] = args[0]
        elif func == "addNote":
            excel.notes.setdefault(name, {})[args[0].replace("$", "")] = args[1]
        elif func == "addSheet":
            excel.sheets.insert(args[0], args[1])
            excel.values[args[1]] = {}
        elif func == "sheetDelete":
            excel.sheets.remove(name)
        elif func == "setSheetVisibility":
            excel.hidden.add(name)
    return excel


def _cells(action):
    if action.get("start_row") is None:
        return []
    top, left = action["start_row"] + 1, action["start_column"] + 1
    return [((top + i, left + j), (i, j)) for i in range(action["row_count"]) for j in range(action["column_count"])]
