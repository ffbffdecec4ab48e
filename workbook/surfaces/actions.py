"""The third surface: a plan as a JSON action list, carried out by a client (the WPS add-in).

Like macros_py.surface.XlwingsSurface for Excel, it writes values as whole 2-D blocks (passing over
kept cells that hold a number or nothing, never over a formula), colours by union ranges of up to
255 characters (one call per colour and chunk), and touches notes only on the cells the plan
names; the difference is that the calls are written down as data instead of made. Each action is
one object with `do`:

    removeSheet {sheet}
    setValues   {sheet, range: "D5:F40", values: 2-D}   numbers, text, null; text that starts with
                                                         "=" comes with a leading "'" (never a formula)
    restyle     {sheet, ranges: [union…], from, to}      the named style `to` where a cell has `from`
    setFill     {sheet, ranges: [union…], color: "FFC7CE" or null (no fill)}
    setNote     {sheet, cell, text or null (remove), author, width, height}
    addSheet    {sheet, values: 2-D from A1, widths: {"A": 6}, heights: {"5": 30},
                 formats: [{ranges, bold | size | color | fill | wrap | underline}],
                 links: [{cell, to: "'表六'!D9"}], state: visible | hidden | veryHidden, autofilter}
    activate    {sheet}

Colours are RRGGBB: the client converts them to whatever its host wants (WPS: BGR integers).
"""
from __future__ import annotations

from typing import Protocol

from ..plan import NO_FILL, Format, Plan, SheetPlan, solid_colour
from .blocks import (client_value, colour_groups, fillers, format_groups, rectangles, union_addresses,
                     value_blocks)


class Read(Protocol):
    """What the surface needs of the workbook as read (serve.snapshot.Snapshot)."""

    def sheet_names(self) -> list[str]: ...

    def value(self, sheet: str, addr: str) -> object: ...

    def has_formula(self, sheet: str, addr: str) -> bool: ...


def actions(plan: Plan, book: Read) -> list[dict]:
    out: list[dict] = []
    names = book.sheet_names()
    out += [{"do": "removeSheet", "sheet": name} for name in plan.remove_sheets if name in names]
    for sheet, values in plan.values.items():
        spare = fillers(plan.keep.get(sheet, ()), values, lambda addr: book.value(sheet, addr),
                        lambda addr: book.has_formula(sheet, addr))
        for rect, block in value_blocks(values, spare):
            out.append({"do": "setValues", "sheet": sheet, "range": rect.address,
                        "values": [[client_value(v) for v in row] for row in block]})
    for sheet, changes in plan.styles.items():
        by_change: dict[tuple[str, str], list[str]] = {}
        for addr, change in changes.items():
            by_change.setdefault((change.old, change.new), []).append(addr)
        for (old, new), addrs in by_change.items():
            out.append({"do": "restyle", "sheet": sheet, "ranges": union_addresses(rectangles(addrs)),
                        "from": old, "to": new})
    for sheet, cells in plan.fills.items():
        groups = colour_groups({addr: solid_colour(fill) or NO_FILL for addr, fill in cells.items()})
        for colour, rects in groups.items():
            out.append({"do": "setFill", "sheet": sheet, "ranges": union_addresses(rects),
                        "color": None if colour == NO_FILL else colour})
    for sheet, notes in plan.notes.items():
        for addr, note in notes.items():
            out.append({"do": "setNote", "sheet": sheet, "cell": addr,
                        "text": None if note is None else note.text,
                        "author": None if note is None else note.author,
                        "width": None if note is None else note.width,
                        "height": None if note is None else note.height})
    out += [_add_sheet(sheet) for sheet in plan.add_sheets]
    if plan.active:
        out.append({"do": "activate", "sheet": plan.active})
    return out


def _add_sheet(plan: SheetPlan) -> dict:
    width = max((len(row) for row in plan.rows), default=0)
    return {"do": "addSheet", "sheet": plan.name,
            "values": [[client_value(v) for v in row] + [None] * (width - len(row)) for row in plan.rows],
            "widths": dict(plan.widths), "heights": {str(r): h for r, h in plan.heights.items()},
            "formats": _formats(plan.formats),
            "links": [{"cell": addr, "to": to} for addr, to in plan.links.items()],
            "state": plan.state, "autofilter": plan.autofilter}


def _formats(formats: dict[str, Format]) -> list[dict]:
    return [{"ranges": union_addresses(rectangles(cells)), key: value}
            for (key, value), cells in format_groups(formats).items()]
