"""A sheet a job adds (校验结果, the marks state): its worksheet part written from the SheetPlan.

Text goes in as inline strings (no shared-strings part to touch), links are internal (a location,
no relationship), and the sheet's print titles and filter range become defined names, which the
workbook part adds.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from ...plan import Format, SheetPlan
from . import xml
from .sheet import number_text, split_range

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{xml.MAIN}" xmlns:r="{xml.REL_NS}">')


def _cell(ref: str, value, s: int) -> str:
    style = f' s="{s}"' if s else ""
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f'<c r="{ref}"{style}><v>{number_text(value)}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{xml.xstring(text)}</t></is></c>'


def sheet_xml(plan: SheetPlan, style_of: Callable[[Format], int]) -> bytes:
    cells: dict[int, dict[int, list]] = {}
    for r, row in enumerate(plan.rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":  # openpyxl writes no cell for "" either
                cells.setdefault(r, {})[c] = [value, 0]
    styles: dict[Format, int] = {}
    for ref, look in plan.formats.items():
        r, c = coordinate_to_tuple(ref)
        if look not in styles:
            styles[look] = style_of(look)
        cells.setdefault(r, {}).setdefault(c, [None, 0])[1] = styles[look]
    max_row = max(cells, default=1)
    max_col = max((c for row in cells.values() for c in row), default=1)
    out = [HEAD]
    if plan.landscape:
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last = f"{get_column_letter(max_col)}{max_row}"
    out.append(f'<dimension ref="{"A1" if last == "A1" else "A1:" + last}"/>')
    out.append(_views(plan.freeze))
    out.append('<sheetFormatPr defaultRowHeight="15"/>')
    if plan.widths:
        cols = sorted((coordinate_to_tuple(f"{letter}1")[1], width) for letter, width in plan.widths.items())
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in cols)
                   + "</cols>")
    out.append("<sheetData>")
    letters = {}
    for r in range(1, max_row + 1):
        row = cells.get(r)
        height = plan.heights.get(r)
        if row is None and height is None:
            continue
        ht = f' ht="{height}" customHeight="1"' if height is not None else ""
        if not row:
            out.append(f'<row r="{r}"{ht}/>')
            continue
        parts = [f'<row r="{r}"{ht}>']
        for c in sorted(row):
            letter = letters.get(c) or letters.setdefault(c, get_column_letter(c))
            value, s = row[c]
            parts.append(_cell(f"{letter}{r}", value, s))
        parts.append("</row>")
        out.append("".join(parts))
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
    return "".join(out).encode("utf-8")


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
