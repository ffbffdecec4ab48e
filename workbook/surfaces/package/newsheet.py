"""A sheet a job adds (校验结果, the marks state): its worksheet part written from the SheetPlan.

Text goes in as inline strings (no shared-strings part to touch), links are internal (a location,
no relationship), and the sheet's print titles and filter range become defined names, which the
workbook part adds.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable


from ...cells import coordinate_to_tuple, get_column_letter, split_range
from ...plan import Format, SheetPlan
from . import xml
from .sheet import number_text

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{xml.MAIN}" xmlns:r="{xml.REL_NS}">')


def _cell(ref: str, value, s: int) -> str:
    style = f' s="{s}"' if s else ""
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() or "\n" in value else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{xml.xstring(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{style}><v>{number_text(value)}</v></c>'
    return _cell(ref, str(value), s)


def sheet_xml(plan: SheetPlan, style_of: Callable[[Format], int]):
    """The worksheet part, as chunks of bytes (a sheet of 60,000 findings is never whole in memory)."""
    extent = _Extent(plan)
    style = _StyleIndex(style_of)
    out = Chunks()
    _head(out, plan, extent)
    for r in range(1, extent.rows + 1):
        row = _row(plan, extent, r, style)
        if row is not None:
            out.append(row)
            if out.full():
                yield from out.flush()
    _tail(out, plan)
    yield from out.flush(final=True)


class _StyleIndex:
    """The style index of each look, asked of the stylesheet once per distinct look."""

    __slots__ = ("style_of", "by_look", "by_id")

    def __init__(self, style_of: Callable[[Format], int]):
        self.style_of = style_of
        self.by_look: dict[Format, int] = {}
        self.by_id: dict[int, int] = {}

    def __call__(self, look: Format) -> int:
        s = self.by_id.get(id(look))
        if s is None:
            s = self.by_look.get(look)
            if s is None:
                s = self.by_look[look] = self.style_of(look)
            self.by_id[id(look)] = s
        return s


class _Extent:
    """How many rows and columns the sheet has: its values', grown to looks outside them."""

    __slots__ = ("rows", "cols", "letters", "outside")

    def __init__(self, plan: SheetPlan):
        formats = plan.formats
        self.rows = max(len(plan.rows), 1)
        self.cols = max([len(row) for row in plan.rows] + [1])
        self.letters = [get_column_letter(c) for c in range(1, self.cols + 1)]
        # looks outside the rows' values (rare): found only when some look was not met in the grid
        self.outside: dict[int, dict[int, Format]] = {}
        met = sum(1 for r, row in enumerate(plan.rows, start=1) for c in range(1, self.cols + 1)
                  if f"{self.letters[c - 1]}{r}" in formats) if formats else 0
        if met < len(formats):
            for ref, look in formats.items():
                r, c = coordinate_to_tuple(ref)
                if r > len(plan.rows) or c > self.cols:
                    self.outside.setdefault(r, {})[c] = look
            self.rows = max([self.rows] + list(self.outside))
            self.cols = max([self.cols] + [c for row in self.outside.values() for c in row])
            self.letters = [get_column_letter(c) for c in range(1, self.cols + 1)]


def _head(out: "Chunks", plan: SheetPlan, extent: _Extent) -> None:
    out.append(HEAD)
    if plan.landscape:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last = f"{extent.letters[-1]}{extent.rows}"
    out.append(f'<dimension ref="{"A1" if last == "A1" else "A1:" + last}"/>')
    out.append(_views(plan.freeze))
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if plan.widths:
        cols = sorted((coordinate_to_tuple(f"{letter}1")[1], width) for letter, width in plan.widths.items())
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in cols)
                   + "</cols>")
    out.append("<sheetData>")


def _row(plan: SheetPlan, extent: _Extent, r: int, style: _StyleIndex) -> str | None:
    """Row r's element; None when it has no cell and no height."""
    values = plan.rows[r - 1] if r <= len(plan.rows) else ()
    extra = extent.outside.get(r)
    width = len(values)
    cells = []
    text = str(r)
    for c in range(1, extent.cols + 1):
        value = values[c - 1] if c <= width else None
        ref = extent.letters[c - 1] + text
        look = plan.formats.get(ref)
        if look is None and extra:
            look = extra.get(c)
        if value == "":
            value = None  # openpyxl writes no value for "" either
        if value is not None or look is not None:
            cells.append(_cell(ref, value, style(look) if look is not None else 0))
    height = plan.heights.get(r)
    if not cells and height is None:
        return None
    ht = f' ht="{height}" customHeight="1"' if height is not None else ""
    return f'<row r="{r}"{ht}>' + "".join(cells) + "</row>" if cells else f'<row r="{r}"{ht}/>'


def _tail(out: "Chunks", plan: SheetPlan) -> None:
    out.append("</sheetData>")
    if plan.autofilter:
        out.append(f'<autoFilter ref="{xml.attr(plan.autofilter)}"/>')
    if plan.links:
        out.append("<hyperlinks>" + "".join(
            f'<hyperlink ref="{ref}" location="{xml.attr(loc)}" display="{xml.attr(_display(loc))}"/>'
            for ref, loc in plan.links.items()) + "</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if plan.landscape:
        out.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    out.append("</worksheet>")


class Chunks(list):
    """Text gathered into chunks of about a megabyte, handed on as UTF-8."""

    def full(self) -> bool:
        return len(self) >= 2000

    def flush(self, final: bool = False):
        if self:
            yield "".join(self).encode("utf-8")
            self.clear()


def _display(location: str) -> str:
    return location.rpartition("!")[2]


def _views(freeze: str | None) -> str:
    if not freeze or freeze == "A1":
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    row, col = coordinate_to_tuple(freeze)
    split = ""
    if col > 1:
        split += f' xSplit="{col - 1}"'
    if row > 1:
        split += f' ySplit="{row - 1}"'
    pane = "bottomRight" if col > 1 and row > 1 else ("bottomLeft" if row > 1 else "topRight")
    return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" activePane="{pane}" '
            f'state="frozen"/><selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/></sheetView>'
            "</sheetViews>")


def quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def defined_names(plan: SheetPlan) -> list[tuple[str, str, bool]]:
    """(name, formula, hidden) local to the sheet."""
    out = []
    if plan.autofilter:
        r1, c1, r2, c2 = split_range(plan.autofilter)
        out.append(("_xlnm._FilterDatabase",
                    f"{quoted(plan.name)}!${get_column_letter(c1)}${r1}:${get_column_letter(c2)}${r2}", True))
    if plan.print_title_rows:
        first, _, last = plan.print_title_rows.partition(":")
        out.append(("_xlnm.Print_Titles", f"{quoted(plan.name)}!${first}:${last or first}", False))
    return out
