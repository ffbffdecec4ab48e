"""A ribbon button pressed in Excel: the workbook read and changed through XlwingsSurface, the
button run as every front door runs it (workbook.buttons.press), Excel kept quiet and told the
result by session.run. What to do is the button table's; nothing else is decided here.
"""
from __future__ import annotations

from workbook import buttons

from . import session
from .surface import XlwingsSurface


def press(key: str, book=None) -> str:
    """Run the button `key` on `book` (default: the workbook whose button was pressed,
    `xw.Book.caller()`); returns the message Excel showed."""
    button = buttons.button(key)
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()

    def work(book, progress) -> str:
        return buttons.press(key, XlwingsSurface(book, progress)).message

    return session.run(book, work, start=button.start)
