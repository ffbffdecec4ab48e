"""Named cell styles of the template, so users and export can restyle by name."""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

MONEY_FORMAT = "#,##0.00"
FONT = "宋体"
INPUT_FILL = "DDEBF7"  # light blue: typed by the accountant
DERIVED_FILL = "F2F2F2"  # light grey: written by fill

_thin = Side(style="thin", color="808080")
_box = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)


def _style(name, *, size=10, bold=False, fill=None, h="left", wrap=True, fmt="General",
           locked=True, border=True) -> NamedStyle:
    style = NamedStyle(name=name)
    style.font = Font(name=FONT, size=size, bold=bold)
    style.alignment = Alignment(horizontal=h, vertical="center", wrap_text=wrap)
    if fill:
        style.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if border:
        style.border = _box
    style.number_format = fmt
    style.protection = Protection(locked=locked)
    return style


STYLES = {
    "title": _style("bb-title", size=16, bold=True, h="center", border=False),
    "caption": _style("bb-caption", border=False, wrap=False),
    "unit": _style("bb-unit", h="right", border=False, wrap=False),
    "header": _style("bb-header", bold=True, h="center"),
    "label": _style("bb-label"),
    "total-label": _style("bb-total-label", bold=True),
    "text-input": _style("bb-text-input", fill=INPUT_FILL, locked=False),
    "input": _style("bb-input", h="right", fill=INPUT_FILL, fmt=MONEY_FORMAT, locked=False),
    "derived": _style("bb-derived", h="right", fill=DERIVED_FILL, fmt=MONEY_FORMAT),
    "note": _style("bb-note", border=False),
}


def register(workbook) -> None:
    """Add the named styles to a workbook (idempotent)."""
    present = set(workbook.named_styles)
    for style in STYLES.values():
        if style.name not in present:
            workbook.add_named_style(style)


def name(kind: str) -> str:
    return STYLES[kind].name
