"""What a job writes, as plain data: a Plan, carried out afterwards by a surface.

Jobs (workbook.jobs) never write a workbook themselves. They say which cells get which value,
fill, note and named style, which sheets are added or removed and which sheet is active; a
surface then applies that to an openpyxl workbook (files), an xlwings Book (Excel) or a JSON
action list (WPS, the browser page). Everything here is plain data so that any of them can carry
it out and tests can compare plans directly.

Conventions every surface follows:
- addresses are A1 strings without "$"; sheets are names as found in the workbook;
- a value is a number (Decimal), text, or None (blank); text is always text, even when it starts
  with "=" (a plan never writes a formula);
- a fill is "none" (no fill), six hex digits "FFC7CE" (a solid colour), or the fill's own
  SpreadsheetML (`<fill>…</fill>`, to put back exactly what a user had; the codec is below:
  `dump_fill`, `load_fill`, `solid_colour`);
- a note of None removes the note.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

NO_FILL = "none"
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


# --- fills as text: a plan carries a user's original fill and puts it back exactly -----------
# Theme, indexed and rgb colours, tints, pattern and gradient fills are all kept by keeping the
# fill's own SpreadsheetML, which still reads as words. openpyxl is imported only when a fill
# object is made or read (the check command loads no openpyxl).


def dump_fill(fill) -> str:
    """The text of an openpyxl fill (cell.fill)."""
    from copy import copy

    from openpyxl.styles import PatternFill
    from openpyxl.xml.functions import tostring

    fill = copy(fill)  # cell.fill is a read-only proxy
    if fill == PatternFill():
        return NO_FILL
    return tostring(fill.to_tree()).decode("utf-8")


def load_fill(text: str):
    """The openpyxl fill a text stands for; a damaged text gives no fill (a damaged record must
    not stop the others from being restored)."""
    from openpyxl.styles import PatternFill
    from openpyxl.styles.fills import Fill
    from openpyxl.xml.functions import fromstring

    if not text or text == NO_FILL:
        return PatternFill()
    if _HEX.match(text):
        return PatternFill("solid", start_color=text.upper(), end_color=text.upper())
    try:
        return Fill.from_tree(fromstring(text.encode("utf-8"))) or PatternFill()
    except Exception:
        return PatternFill()


def solid_colour(text: str) -> str | None:
    """The six hex digits of a solid fill, None for any other fill.

    Compares the last six digits only: LibreOffice rewrites every fill it saves (alpha 00 -> FF)."""
    if not text or text == NO_FILL:
        return None
    if _HEX.match(text):
        return text.upper()
    fill = load_fill(text)
    rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
    if getattr(fill, "patternType", None) == "solid" and isinstance(rgb, str):
        return rgb[-6:].upper()
    return None


def is_colour(text: str, colour: str) -> bool:
    """Whether a fill is still the solid `colour` we set (a user's recolouring wins)."""
    return solid_colour(text) == colour.upper()


@dataclass(frozen=True)
class Note:
    text: str
    author: str = ""
    width: float | None = None  # points; None: the surface's default size
    height: float | None = None


@dataclass(frozen=True)
class Restyle:
    """Give a cell the named style `new`, but only if it has the named style `old` now (a template
    cell whose role changed; any other look the user chose is left alone)."""

    old: str
    new: str


@dataclass(frozen=True)
class Format:
    """The look of a cell of a sheet a job adds (校验结果): only what that sheet uses."""

    size: float = 10
    bold: bool = False
    colour: str | None = None  # font colour, six hex digits
    fill: str | None = None  # solid fill, six hex digits
    wrap: bool = False
    halign: str | None = None  # "center", …
    valign: str | None = None  # "top", "center"
    underline: bool = False


@dataclass
class SheetPlan:
    """A sheet a job adds (or replaces): values from A1, looks, links and print set-up."""

    name: str
    rows: list[list[object]] = field(default_factory=list)
    formats: dict[str, Format] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # cell -> location "'表六'!D9" in this workbook
    widths: dict[str, float] = field(default_factory=dict)  # column letter -> width
    heights: dict[int, float] = field(default_factory=dict)  # row number -> height
    state: str = "visible"  # or "hidden", "veryHidden"
    freeze: str | None = None  # top-left cell of the scrolling part
    autofilter: str | None = None
    print_title_rows: str | None = None  # "4:4"
    landscape: bool = False  # A4 landscape, one page wide


@dataclass
class Plan:
    values: dict[str, dict[str, object]] = field(default_factory=dict)
    fills: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, dict[str, Note | None]] = field(default_factory=dict)
    styles: dict[str, dict[str, Restyle]] = field(default_factory=dict)
    remove_sheets: list[str] = field(default_factory=list)  # removed before any sheet is added
    add_sheets: list[SheetPlan] = field(default_factory=list)  # appended after the last sheet
    # The sheet to show when done: None keeps the active one, or the first visible sheet when the
    # active one was removed.
    active: str | None = None
    # Cells a surface may rewrite with the value they hold, so that a block of writes need not stop
    # at them (money cells holding a number or nothing); the plan itself changes none of them.
    keep: dict[str, set[str]] = field(default_factory=dict)

    # --- building ---

    def set_value(self, sheet: str, addr: str, value) -> None:
        self.values.setdefault(sheet, {})[addr] = value

    def set_fill(self, sheet: str, addr: str, fill: str) -> None:
        self.fills.setdefault(sheet, {})[addr] = fill

    def set_note(self, sheet: str, addr: str, note: Note | None) -> None:
        self.notes.setdefault(sheet, {})[addr] = note

    def restyle(self, sheet: str, addr: str, old: str, new: str) -> None:
        self.styles.setdefault(sheet, {})[addr] = Restyle(old, new)

    def then(self, later: "Plan") -> "Plan":
        """One plan doing this one and then `later` (a later write to the same cell wins)."""
        out = Plan(active=later.active or self.active)
        for part in (self.keep, later.keep):
            for sheet, cells in part.items():
                out.keep.setdefault(sheet, set()).update(cells)
        for name in ("values", "fills", "notes", "styles"):
            merged: dict[str, dict] = {}
            for part in (getattr(self, name), getattr(later, name)):
                for sheet, cells in part.items():
                    merged.setdefault(sheet, {}).update(cells)
            setattr(out, name, merged)
        added_later = {s.name for s in later.add_sheets}
        out.remove_sheets = list(dict.fromkeys(
            [*self.remove_sheets, *[s for s in later.remove_sheets
                                    if s not in {a.name for a in self.add_sheets}]]))
        # a sheet added and then removed again is simply not added
        out.add_sheets = [s for s in self.add_sheets if s.name not in later.remove_sheets
                          and s.name not in added_later] + list(later.add_sheets)
        return out

    # --- reading ---

    def cells(self) -> set[tuple[str, str]]:
        """Every (sheet, cell) the plan writes a value, fill, note or style to."""
        return {(sheet, addr) for part in (self.values, self.fills, self.notes, self.styles)
                for sheet, cells in part.items() for addr in cells}

    def __bool__(self) -> bool:
        return bool(self.cells() or self.remove_sheets or self.add_sheets or self.active)

    def to_json(self) -> dict:
        """The plan as JSON-ready data (Decimal amounts as numbers with two decimals kept as text
        would lose nothing, but clients want numbers: they get floats of the exact decimal)."""
        return _jsonable(asdict(self))

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)


def _jsonable(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    return value
