"""A ribbon button pressed in WPS: the button run on the snapshot the add-in sent.

The Excel ribbon reads the open workbook through xlwings (macros_py.handlers); here the add-in
has already read it (serve.snapshot.Snapshot, the surface) and gets the plan back as actions
(surfaces.actions). Both run workbook.buttons.press, so the one button table drives both ribbons.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import buttons
from .snapshot import Snapshot

KEYS = tuple(b.key for b in buttons.BUTTONS)


@dataclass
class Reply:
    """What the add-in gets: an exit-equivalent status (0 done, 1 error findings remain or export
    refused, 2 bad input), one closing sentence, and the actions, or the cells to look at first."""

    status: int = 0
    message: str = ""
    actions: list[dict] = field(default_factory=list)
    need: dict[str, list[str]] | None = None
    findings: list[dict] | None = None
    open: str | None = None  # a workbook the add-in should open (新建模板)

    def to_json(self) -> dict:
        out = {"status": self.status, "message": self.message, "actions": self.actions}
        for key in ("need", "findings", "open"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def press(key: str, data) -> Reply:
    """The button `key` on the request's JSON snapshot; BudgetbookError for a bad snapshot."""
    book = Snapshot(data)
    done = buttons.press(key, book)
    if book.needed:
        return Reply(message="需要读取部分单元格的底色和合并区域。", need=book.needed)
    return Reply(status=done.status, message=done.message, actions=book.actions,
                 findings=None if done.report is None else [f.to_dict(book.where) for f in done.report.findings],
                 open=None if book.opened is None else str(book.opened))
