"""The marks state: one record per marked cell, kept in the workbook in a veryHidden sheet.

Where the originals are kept, and why there: in a sheet `_budgetbook_marks` (one row per marked
cell: its original fill as text, its original note text, author and size). The marks must survive
the user opening and saving the file in Excel or LibreOffice, and the next `budgetbook fill`. A
sidecar file gets separated from the workbook; a custom XML part is dropped by openpyxl; a sheet
is kept by all three. After a LibreOffice save the sheet is "hidden" (LibreOffice has no
veryHidden), so it is found by name, not by state.

A user (or another program) may have edited this sheet: every row is read on its own, and a row
that makes no sense is skipped and counted, never a crash.
"""
from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass

from ..plan import NO_FILL, SheetPlan

STATE_SHEET = "_budgetbook_marks"
FORMAT = 2  # layout version of the state sheet, so a later budgetbook can still read old marks
# (1: without the last two columns, 标记编号 and 原值)
SEPARATOR = "\n———— budgetbook 校验 ————\n"  # between the user's own note text and ours
AUTHOR = "budgetbook"
# Each of our notes names the state record of its cell with a token: a digest of the marking (so
# a stale token from another marking never matches) and the record's number. The accountant reads
# the note, not the token: it is written in zero-width characters at the end of the note's last
# line (a framed bit string), which Excel, WPS and LibreOffice keep with the text, through copy
# and paste too, and show as nothing. Notes of earlier versions carry it as a visible last line.
_FRAME, _BITS = "\u2060", "\u200b\u200c"  # word joiner around zero-width space (0) / non-joiner (1)
MARKER = _FRAME  # in every note of ours that carries a token
OLD_TOKEN_LINE = "〔budgetbook 标记 {}〕"
TOKEN = re.compile(rf"{_FRAME}([{_BITS}]+){_FRAME}|〔budgetbook 标记 ([0-9a-f]{{6}}-[0-9]+)〕")


def token_tag(token: str) -> str:
    """The token as the note carries it: invisible."""
    bits = "".join(f"{byte:08b}" for byte in token.encode("ascii"))
    return _FRAME + "".join(_BITS[int(b)] for b in bits) + _FRAME


def tokens_in(text: str) -> list[str]:
    """The tokens a note carries, in order, each once (invisible ones and visible old lines)."""
    found = []
    for hidden, visible in TOKEN.findall(text):
        if visible:
            found.append(visible)
            continue
        bits = "".join(str(_BITS.index(ch)) for ch in hidden)
        if len(bits) % 8 == 0:
            found.append(bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)).decode("ascii", "replace"))
    return list(dict.fromkeys(found))


def without_token(text: str, token: str) -> str | None:
    """`text` with the token taken out (its old visible line too); None when it does not carry it."""
    tag = token_tag(token)
    if tag in text:
        return text.replace(tag, "")
    line = OLD_TOKEN_LINE.format(token)
    if line in text:
        return "\n".join(x for x in text.split("\n") if x.strip() != line)
    return None

HEADER = ("表", "单元格", "原填充", "有原批注", "原批注内容", "原批注作者", "原批注宽度",
          "原批注高度", "标记填充", "标记批注", "标记编号", "原值")
_NOTE = "此表由 budgetbook 生成，记录标记前各单元格的原样，供“清除标记”（budgetbook clear）恢复；请勿修改或删除。"
_ADDR = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")


@dataclass
class Record:
    """One marked cell: what it looked like before, and what we put on it."""

    sheet: str
    addr: str
    fill: str  # original fill, as text (plan.dump_fill)
    had_comment: bool
    text: str
    author: str
    width: float | None
    height: float | None
    mark_fill: str  # the severity colour we set, "" when the fill was left alone (info only)
    mark_text: str  # the whole note text we wrote
    token: str = ""  # names this record in the note's last line; "" in state of format 1
    value: str | None = None  # the cell's value when marked, as text; None: not recorded (format 1)

    def row(self) -> list:
        return [self.sheet, self.addr, self.fill, "是" if self.had_comment else "否", _store(self.text),
                _store(self.author), self.width, self.height, self.mark_fill, _store(self.mark_text),
                self.token, None if self.value is None else _store(self.value)]

    @classmethod
    def from_row(cls, values, form: int = FORMAT) -> "Record | None":
        """A record from a state row; None when the row cannot be one (edited by hand)."""
        values = list(values) + [None] * (len(HEADER) - len(values))
        sheet, addr, fill, had, text, author, width, height, mark_fill, mark_text, token, value = values[:12]
        addr = text_of(addr).replace("$", "").upper()
        if not text_of(sheet) or not _ADDR.match(addr):
            return None
        return cls(text_of(sheet), addr, text_of(fill) or NO_FILL, text_of(had) == "是", _loaded(text),
                   _loaded(author), number(width), number(height), text_of(mark_fill),
                   _loaded(mark_text), text_of(token), _loaded(value) if form >= 2 else None)

    @property
    def ours(self) -> str:
        """The lines we added to the note (after the user's own text and the separator)."""
        return self.mark_text[len(self.text + SEPARATOR):] if self.had_comment else self.mark_text


def state_sheet(records: list[Record], results: str) -> SheetPlan:
    rows: list[list] = [["budgetbook-marks", FORMAT, results, _NOTE], list(HEADER)]
    rows += [record.row() for record in records]
    return SheetPlan(STATE_SHEET, rows, state="veryHidden")  # not under Excel's Unhide…


def read_state(rows: list[list]) -> tuple[str | None, list[Record], int]:
    """(results sheet name, records, rows skipped as nonsense)."""
    head = list(rows[0]) if rows else []
    results = text_of(head[2]) if len(head) > 2 else None
    form = int(number(head[1]) or 1) if len(head) > 1 and isinstance(number(head[1]), int) else 1
    records, skipped = [], 0
    for row in rows[2:]:
        if not row or all(v in (None, "") for v in row):
            continue
        try:
            record = Record.from_row(row, form)
        except (TypeError, ValueError):
            record = None
        if record is None:
            skipped += 1
        else:
            records.append(record)
    return results or None, records, skipped


# A cell cannot hold the control characters XML 1.0 forbids, though a note's text may have come
# with one; such a text (and one that looks like our encoding) is kept as JSON behind a prefix.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_JSON = "json:"


def _store(text: str) -> str:
    return _JSON + json.dumps(text) if _UNSAFE.search(text) or text.startswith(_JSON) else text


def _loaded(value) -> str:
    text = text_of(value)
    if text.startswith(_JSON):
        try:
            decoded = json.loads(text[len(_JSON):])
            return decoded if isinstance(decoded, str) else text
        except ValueError:
            return text
    return text


def text_of(value) -> str:
    return "" if value is None else str(value)


def fingerprint(value) -> str:
    """A cell's value as text, to tell whether a cell is still the one that was marked."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a save by LibreOffice may write 63 for 63.0
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()  # readers differ: a date cell reads as a date or a midnight datetime
    return str(value)


def number(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    if result != result or result in (float("inf"), float("-inf")):
        return None
    return int(result) if result.is_integer() else result
