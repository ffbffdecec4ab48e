"""One button press in Excel: Excel kept quiet while the job runs, and put back as it was after.

Screen updating, events, automatic calculation and alerts are switched off during a job (each
write would otherwise repaint, fire the workbook's own macros and recalculate) and restored in
`finally`, whatever happens. Progress goes to the status bar; the end is one message box; the
active sheet and selection come back. Any exception becomes one Chinese sentence, never a
traceback dialog (the traceback goes to a log file for the developers).
"""
from __future__ import annotations

import logging
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path

from workbook.errors import sentence

TITLE = "预算公开助手"
LOG = Path(tempfile.gettempdir()) / "budgetbook-excel.log"
UNSUPPORTED = (NotImplementedError, AttributeError)
# What Excel is assumed to have where an engine cannot say (xlwings' remote engine cannot read
# screen updating back): a user pressing a button sees a repainting Excel.
_QUIET = (("screen_updating", False, True), ("enable_events", False, True),
          ("calculation", "manual", "automatic"), ("display_alerts", False, True))


@contextmanager
def quiet(app):
    """Excel without repainting, events, recalculation and alerts until the block ends."""
    saved = []
    for name, off, assumed in _QUIET:
        try:
            before = getattr(app, name)
        except UNSUPPORTED:
            before = assumed
        try:
            setattr(app, name, off)
        except UNSUPPORTED:
            continue  # the engine has no such setting
        saved.append((name, before))
    try:
        yield
    finally:
        for name, before in reversed(saved):
            try:
                setattr(app, name, before)
            except Exception:  # one setting that cannot be put back must not stop the others
                logging.getLogger(__name__).exception("could not restore %s", name)


def status(app, text: str | bool) -> None:
    """Show progress in Excel's status bar (False gives the bar back to Excel)."""
    try:
        app.status_bar = text
    except UNSUPPORTED:
        pass


def run(book, work, *, start: str) -> str:
    """Run `work(book, progress)` as one button press; returns (and shows) the closing message."""
    app = book.app
    place = _place(book)
    try:
        status(app, start)
        with quiet(app):
            message = work(book, lambda text: status(app, text))
    except Exception as exc:  # one sentence for the user; for a bug the traceback for the developers
        code, message = sentence(exc, _name(book))
        if code == 3:
            _log(exc)
            message += f"详细信息已记录在 {LOG}。"
    finally:
        status(app, False)
        if _still_in_front(book):  # a workbook the press opened (新建模板) stays in front
            _restore(place)
    try:
        app.alert(message, title=TITLE)
    except UNSUPPORTED:
        pass
    return message


def _name(book) -> str:
    try:
        return book.name
    except Exception:  # noqa: BLE001  (a book Excel has already closed: the sentence goes without it)
        return "工作簿"


def _place(book):
    try:
        return book.sheets.active, book.app.selection
    except UNSUPPORTED:
        return None


def _still_in_front(book) -> bool:
    try:
        return book.app.books.active.name == book.name
    except Exception:  # noqa: BLE001  (an engine that cannot say: put the user's place back)
        return True


def _restore(place) -> None:
    """The sheet and cells the user was on (adding a sheet makes it the active one in Excel)."""
    if place is None:
        return
    sheet, selection = place
    try:
        try:  # desktop Excel: the sheet only (xlwings' activate also brings Excel's window forward)
            sheet.api.Activate()
        except Exception:
            sheet.activate()
        if selection is not None:
            selection.select()
    except Exception:
        logging.getLogger(__name__).exception("could not restore the selection")


def _log(exc: Exception) -> None:
    try:
        with open(LOG, "a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(exc)) + "\n")
    except OSError:
        pass
