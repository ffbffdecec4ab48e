"""Highlight check findings in the accountant's own workbook, and take the highlights off exactly.

`mark` colours the cells a finding names (error light red, warning light yellow, info: note only),
adds a note "[rule] message" to each, and appends a sheet 校验结果 listing every finding with a link
to its cell. `clear` puts every marked cell back as it was and removes both added sheets.

Where the originals are kept: in the workbook itself, in a veryHidden sheet `_budgetbook_marks`
(one row per marked cell: its original fill as the fill's own XML, its original note text, author
and size). The marks must survive the user opening and saving the file in Excel or LibreOffice,
and the next `budgetbook fill` (openpyxl). A sidecar file gets separated from the workbook; a
custom XML part is dropped by openpyxl (and therefore by our own fill); a sheet is kept by all
three. Fills are stored as their XML (`<fill><patternFill patternType="solid"><fgColor theme="4"
tint="0.59…"/>…`), which covers theme/indexed/rgb colours, tints, pattern and gradient fills
exactly, and still reads as words; the plain default fill is stored as "none".

Only what is still ours is undone: a cell the user recoloured after marking keeps the user's new
colour, and text the user typed into one of our notes is kept (our lines are taken out). A cell
nobody touched is restored exactly. A workbook without marks is simply written to `out` by `clear`.

Cells are found by what they carry, not only by where they were: users insert and delete rows and
columns, sort and rename sheets between `mark` and `clear`, and the note and fill move with the
cell. Each of our notes ends with a line naming its record, "〔budgetbook 标记 3fa2c1-7〕" (a
digest of the marking, so a stale line from another marking never matches, and the record's
number), and `clear` restores wherever that line now is, in any sheet. A cell whose note the user
deleted is found only at its recorded address, and only while it still has our colour, carries no
other record's line, and is plainly the same cell (its value is unchanged, or the other marks of its
sheet all sit where they were marked). Anything else is never put on some other cell: `clear`
reports how many records it could not place.

After a LibreOffice save: the state sheet is kept but becomes "hidden" (LibreOffice has no
veryHidden), so it is found by name, not by state; every note's author is written as " ", so
authors come back from the state; LibreOffice rewrites every fill (alpha 00 -> FF, bgColor), so
"still our colour" compares the last six hex digits only. openpyxl never reads a note's size
(always 144 x 79), so the recorded width/height are openpyxl's, not what Excel showed.
"""
from __future__ import annotations

import hashlib
import json
import re
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.xml.functions import fromstring, tostring

from .checks.base import SEVERITY_LABEL, Finding
from .checks.report import Report
from .grid import load_workbook, save_atomic
from .styles import FONT

STATE_SHEET = "_budgetbook_marks"
RESULTS_SHEET = "校验结果"
AUTHOR = "budgetbook"
FORMAT = 2  # layout version of the state sheet, so a later budgetbook can still read old marks
# (1: without the last two columns, 标记编号 and 原值)

# Excel's own "Bad" / "Neutral" cell-style colours: what accountants already read as error/warning.
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
TEXT_COLOURS = {"error": "9C0006", "warning": "9C5700", "info": "1F4E78"}
LABEL_FILLS = {**FILLS, "info": "DDEBF7"}
RANK = {"error": 0, "warning": 1, "info": 2}
# Between the user's own note text and ours; its words say where the added lines came from.
SEPARATOR = "\n———— budgetbook 校验 ————\n"
NO_FILL = "none"
# The last line of each of our notes: which state record the cell belongs to.
TOKEN_LINE = "〔budgetbook 标记 {}〕"
_TOKEN = re.compile(r"〔budgetbook 标记 ([0-9a-f]{6}-[0-9]+)〕")

_STATE_HEADER = ("表", "单元格", "原填充", "有原批注", "原批注内容", "原批注作者", "原批注宽度",
                 "原批注高度", "标记填充", "标记批注", "标记编号", "原值")
_STATE_NOTE = "此表由 budgetbook 生成，记录标记前各单元格的原样，供 budgetbook clear 恢复；请勿修改或删除。"
_RESULTS_HEADER = ("序号", "严重程度", "规则", "表", "单元格", "其他单元格", "说明", "应为", "实为")
_RESULTS_WIDTHS = (6, 10, 24, 12, 10, 22, 72, 14, 14)
_HEADER_ROW = 4  # title, counts, hint, then the header


@dataclass
class _Record:
    """One marked cell: what it looked like before, and what we put on it."""

    sheet: str
    addr: str
    fill: str  # original fill, serialised
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
        return [self.sheet, self.addr, self.fill, "是" if self.had_comment else "否", self.text,
                self.author, self.width, self.height, self.mark_fill, self.mark_text, self.token,
                self.value]

    @classmethod
    def from_row(cls, values, form: int = FORMAT) -> "_Record":
        values = list(values) + [None] * (len(_STATE_HEADER) - len(values))
        sheet, addr, fill, had, text, author, width, height, mark_fill, mark_text, token, value = values[:12]
        return cls(str(sheet), str(addr), _text(fill) or NO_FILL, _text(had) == "是", _text(text),
                   _text(author), _number(width), _number(height), _text(mark_fill), _text(mark_text),
                   _text(token), _text(value) if form >= 2 else None)

    @property
    def ours(self) -> str:
        """The lines we added to the note (after the user's own text and the separator)."""
        return self.mark_text[len(self.text + SEPARATOR):] if self.had_comment else self.mark_text


class Cleared(int):
    """What `clear` did. It is the number of marked cells put back (an int, as `clear` returned
    before), with `restored` (the same number), `missing` (records whose cell could not be found:
    deleted with its row, column or sheet, or our note taken off by hand; nothing was done for them)
    and `moved` (restored cells found somewhere other than where they were marked)."""

    missing: int
    moved: int

    def __new__(cls, restored: int = 0, missing: int = 0, moved: int = 0) -> "Cleared":
        self = super().__new__(cls, restored)
        self.missing, self.moved = missing, moved
        return self

    @property
    def restored(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"Cleared(restored={int(self)}, missing={self.missing}, moved={self.moved})"

    __str__ = int.__repr__  # f"已清除 {count} 个" stays a number


# --- public API ---------------------------------------------------------------------------------


def mark(src: Path, report: Report, out: Path) -> int:
    """Mark the findings of `report` in a copy of `src` saved to `out` (may be `src` itself).

    Earlier budgetbook marks are taken off first, so marking again never stacks notes and the
    originals stay restorable. Returns the number of cells marked.
    """
    book = _load(Path(src))
    _clear(book)
    active = book.active
    records = _mark_cells(book, report.findings)
    results = _unique_title(book, RESULTS_SHEET)
    _write_results(book.create_sheet(results), report)
    _write_state(book, records, results)
    book.active = active  # the added sheets must not become the sheet Excel opens on
    save_atomic(book, Path(out))
    return len(records)


def clear(src: Path, out: Path) -> Cleared:
    """Take every budgetbook mark off `src`, saving to `out`.

    Returns a `Cleared`: an int, the number of cells restored, with `.missing` (marks that could not
    be found and were left alone) and `.moved`. A workbook without marks is saved to `out` unchanged
    (as openpyxl writes it) and `Cleared(0)` is returned.
    """
    book = _load(Path(src))
    restored = _clear(book)
    save_atomic(book, Path(out))
    return restored


def has_marks(path: Path) -> bool:
    """Whether the workbook carries budgetbook marks (its state sheet is present)."""
    book = load_workbook(Path(path), read_only=True)
    try:
        return STATE_SHEET in book.sheetnames
    finally:
        book.close()


# --- marking ------------------------------------------------------------------------------------


def _load(path: Path):
    # rich_text: a partly bold cell the user wrote must come back partly bold, not flattened.
    return load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)


def _mark_cells(book, findings: list[Finding]) -> list[_Record]:
    """Colour and annotate every cell named by a finding; the originals, one record per cell."""
    per_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        for place in finding.places:
            target = _target(book, place.sheet, place.cell)
            if target:
                group = per_cell.setdefault(target, [])
                if finding not in group:
                    group.append(finding)
    records, cells = [], []
    for (sheet, addr), group in per_cell.items():
        cell = book[sheet][addr]
        group = sorted(group, key=lambda f: RANK[f.severity])
        note = cell.comment
        record = _Record(sheet, addr, _dump_fill(cell.fill), note is not None,
                         (note.text or "") if note else "", (note.author or "") if note else "",
                         note.width if note else None, note.height if note else None, "", "",
                         value=_fingerprint(cell.value))
        worst = group[0].severity
        if worst in FILLS:
            record.mark_fill = FILLS[worst]
            # Only the fill changes: value, number format, font, border, alignment, protection and
            # the named style stay on the cell.
            cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        record.mark_text = "\n".join(dict.fromkeys(f"[{f.rule}] {f.message}" for f in group))
        records.append(record)
        cells.append(cell)
    # The same marking gives the same tokens (marking twice is marking once); another gives others.
    digest = hashlib.sha1(json.dumps([r.row() for r in records], ensure_ascii=False).encode()).hexdigest()
    for number, (record, cell) in enumerate(zip(records, cells), start=1):
        record.token = f"{digest[:6]}-{number}"
        ours = record.mark_text + "\n" + TOKEN_LINE.format(record.token)
        record.mark_text = record.text + SEPARATOR + ours if record.had_comment else ours
        note = Comment(record.mark_text, AUTHOR)
        note.width, note.height = _note_size(record.mark_text)
        cell.comment = note
    return records


def _target(book, sheet: str, addr: str) -> tuple[str, str] | None:
    """The cell to mark for a place: the top-left cell of a merged range; None if it is gone."""
    if sheet not in book.sheetnames or sheet == STATE_SHEET or not addr:
        return None
    ws = book[sheet]
    addr = addr.split(":")[0].replace("$", "").upper()
    try:
        row, col = coordinate_to_tuple(addr)
    except (ValueError, TypeError):
        return None
    for merged in ws.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return sheet, merged.start_cell.coordinate
    return sheet, f"{get_column_letter(col)}{row}"


def _note_size(text: str) -> tuple[int, int]:
    """A note large enough to read without resizing (openpyxl's default shows about 3 lines)."""
    width = 320
    per_line = 22  # Chinese characters per line at this width
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    return width, min(400, max(80, 18 * lines + 10))


# --- the 校验结果 sheet ---------------------------------------------------------------------------


def _write_results(ws, report: Report) -> None:
    counts = report.counts
    plain = Font(name=FONT, size=10)
    bold = Font(name=FONT, size=10, bold=True)
    ws["A1"] = "预算公开表校验结果"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = (f"错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处"
                + ("" if report.findings else "；未发现问题"))
    ws["A2"].font = bold
    ws["A3"] = "点击“单元格”可跳到该处；标记（底色和批注）可用 budgetbook clear 一次去除，原有底色和批注会恢复。"
    ws["A3"].font = plain
    for col, (title, width) in enumerate(zip(_RESULTS_HEADER, _RESULTS_WIDTHS), start=1):
        cell = ws.cell(_HEADER_ROW, col, title)
        cell.font = bold
        cell.fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    row = _HEADER_ROW
    findings = [f for _, group in report.by_sheet() for f in group]
    for number, finding in enumerate(findings, start=1):
        row += 1
        first = finding.places[0] if finding.places else None
        values = [number, SEVERITY_LABEL[finding.severity], finding.rule,
                  first.sheet if first else "整个工作簿", first.cell if first else "—",
                  _other_places(finding), finding.message, finding.expected, finding.actual]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            _set_text(cell, value)
            cell.font = plain
            cell.alignment = wrap if col >= 6 else top
        # openpyxl stores no row height and neither Excel nor LibreOffice grows a row on opening,
        # so wrapped text would overlap the next row: size each row from its longest cell.
        lines = max(_lines_needed(ws.cell(row, col).value, _RESULTS_WIDTHS[col - 1]) for col in (6, 7, 8, 9))
        ws.row_dimensions[row].height = 14 * lines + 2
        severity = ws.cell(row, 2)
        colour = LABEL_FILLS[finding.severity]
        severity.fill = PatternFill("solid", start_color=colour, end_color=colour)
        severity.font = Font(name=FONT, size=10, bold=True, color=TEXT_COLOURS[finding.severity])
        if first and first.sheet in ws.parent.sheetnames and first.sheet != ws.title:
            link = ws.cell(row, 5)
            # An internal link (location, no relationship): Excel and LibreOffice jump to the cell
            # without the "external target" security prompt a "#Sheet!A1" target can trigger.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=_reference(first.sheet, first.cell))
            link.font = Font(name=FONT, size=10, color="0563C1", underline="single")
    ws.freeze_panes = ws.cell(_HEADER_ROW + 1, 1)
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(_RESULTS_HEADER))}{max(row, _HEADER_ROW + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"


def _lines_needed(value, width: float) -> int:
    """Lines a text takes in a column `width` characters wide (a Chinese character counts 2)."""
    text = "" if value is None else str(value)
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-wide // max(1, int(width) - 2)))


def _other_places(finding: Finding) -> str | None:
    """The cells after the first (the link target), as text: "E8、表一!E7".

    A column of their own: LibreOffice draws a hyperlink cell as one unwrapped line, so a long
    list in the link cell would run over its neighbours.
    """
    if len(finding.places) < 2:
        return None
    first = finding.places[0]
    return "、".join(p.cell if p.sheet == first.sheet else str(p) for p in finding.places[1:])


def _reference(sheet: str, addr: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + addr.split(":")[0]


def _unique_title(book, title: str) -> str:
    """校验结果, or 校验结果2 … when the user has a sheet of that name that is not ours."""
    name, n = title, 1
    while name in book.sheetnames:
        n += 1
        name = f"{title}{n}"
    return name


# --- the state sheet ----------------------------------------------------------------------------


def _write_state(book, records: list[_Record], results: str) -> None:
    ws = book.create_sheet(STATE_SHEET)
    ws.sheet_state = "veryHidden"  # not listed under Excel's Unhide…, so nobody edits it by accident
    for col, value in enumerate(("budgetbook-marks", FORMAT, results, _STATE_NOTE), start=1):
        _set_text(ws.cell(1, col), value)
    for col, value in enumerate(_STATE_HEADER, start=1):
        ws.cell(2, col, value)
    for r, record in enumerate(records, start=3):
        for col, value in enumerate(record.row(), start=1):
            _set_text(ws.cell(r, col), value)


def _read_state(ws) -> tuple[str | None, list[_Record]]:
    rows = list(ws.iter_rows(values_only=True))
    results = _text(rows[0][2]) if rows and len(rows[0]) > 2 else None
    form = int(_number(rows[0][1]) or 1) if rows and len(rows[0]) > 1 else 1
    records = [_Record.from_row(row, form) for row in rows[2:]
               if row and row[0] is not None and row[1] is not None]
    return results or None, records


def _set_text(cell, value) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a note beginning with "=" is text, not a formula


def _text(value) -> str:
    return "" if value is None else str(value)


def _fingerprint(value) -> str:
    """A cell's value as text, to tell whether a cell is still the one that was marked."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a save by LibreOffice may write 63 for 63.0
    return str(value)


def _number(value) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


# --- clearing -----------------------------------------------------------------------------------


def _clear(book) -> Cleared:
    """Undo the marks in an open workbook."""
    if STATE_SHEET not in book.sheetnames:
        return Cleared(0)
    results, records = _read_state(book[STATE_SHEET])
    active = book.active
    places = _locate(book, records, {STATE_SHEET, results})
    restored = missing = moved = 0
    for record in records:  # every cell located first: restoring deletes cells marking created
        cells = places.get(id(record), [])
        for cell in cells:
            _restore(cell, record)
        restored += bool(cells)
        missing += not cells
        moved += bool(cells) and all(not _at(cell, record.sheet, record.addr) for cell in cells)
    for name in (results, STATE_SHEET):
        if name and name in book.sheetnames:
            book.remove(book[name])
    _keep_active(book, active)
    return Cleared(restored, missing, moved)


def _locate(book, records: list[_Record], ours: set) -> dict[int, list]:
    """Where each record's cell is now (by id of the record): the cells whose note carries its token
    (a copy pasted elsewhere is ours too), wherever rows, columns, sorts and renames took them.
    A record whose token is nowhere (our note deleted, or state written before tokens) is looked
    for at its recorded address, under the conditions of `_still_there`; else it gets no cell."""
    sheets = [ws for ws in book.worksheets if ws.title not in ours]
    by_token = {record.token: record for record in records if record.token}
    carriers: dict[str, list] = {}
    for ws in sheets:
        for cell in ws._cells.values():
            note = cell.comment
            if note is not None and note.text and "budgetbook" in note.text:
                for token in dict.fromkeys(_TOKEN.findall(note.text)):
                    if token in by_token:
                        carriers.setdefault(token, []).append(cell)
    names = {ws.title for ws in sheets}
    # A recorded sheet name that is gone, and whose tokens all turned up in one sheet: renamed.
    seen: dict[str, set] = {}
    for token, cells in carriers.items():
        record = by_token[token]
        if record.sheet not in names:
            seen.setdefault(record.sheet, set()).update(cell.parent.title for cell in cells)
    renamed = {old: new.pop() for old, new in seen.items() if len(new) == 1}
    # Sheets where every found mark sits at its recorded address: their addresses still hold.
    found, shifted = set(), set()
    for token, cells in carriers.items():
        record = by_token[token]
        sheet = renamed.get(record.sheet, record.sheet)
        found.update(cell.parent.title for cell in cells)
        if not any(_at(cell, sheet, record.addr) for cell in cells):
            shifted.update({sheet} | {cell.parent.title for cell in cells})
    steady = found - shifted
    taken = {id(cell) for cells in carriers.values() for cell in cells}
    places = {}
    for record in records:
        if record.token in carriers:
            places[id(record)] = carriers[record.token]
            continue
        sheet = renamed.get(record.sheet, record.sheet)
        cell = _cell_at(book[sheet], record.addr) if sheet in names else None
        if cell is not None and id(cell) not in taken and _still_there(cell, record, sheet in steady):
            places[id(record)] = [cell]
            taken.add(id(cell))
    return places


def _still_there(cell, record: _Record, steady: bool) -> bool:
    """Whether the cell at a record's address, whose note no longer names the record, is still the
    cell that was marked: it carries our note (state of format 1, which has no tokens) or our colour,
    and, for the colour alone, its value is the one it had or its sheet's marks have not moved."""
    note = cell.comment
    if not record.token and note is not None and _lines(record.ours).strip() in _lines(note.text):
        return True
    if not (record.mark_fill and _is_mark_fill(cell.fill, record.mark_fill)):
        return False  # an info note (no colour) or a recoloured cell: nothing says it is ours
    return record.value is None or steady or _fingerprint(cell.value) == record.value


def _cell_at(ws, addr: str):
    """The cell at `addr` if it exists and is not inside a merged range (without creating it)."""
    try:
        row, col = coordinate_to_tuple(addr)
    except (ValueError, TypeError):
        return None
    cell = ws._cells.get((row, col))
    return None if cell is None or isinstance(cell, MergedCell) else cell


def _at(cell, sheet: str, addr: str) -> bool:
    return cell.parent.title == sheet and cell.coordinate == addr


def _restore(cell, record: _Record) -> None:
    if record.mark_fill and _is_mark_fill(cell.fill, record.mark_fill):
        cell.fill = _load_fill(record.fill)
    _restore_comment(cell, record)
    if cell.value is None and not cell.has_style and cell.comment is None and cell.hyperlink is None:
        # Marking created this cell (a finding about a blank, unstyled cell): leave no trace of it.
        del cell.parent._cells[(cell.row, cell.column)]


def _restore_comment(cell, record: _Record) -> None:
    original = _original_comment(record)
    current = cell.comment
    if current is None or _same(current.text, record.mark_text):
        cell.comment = original  # untouched (or the whole note deleted): exactly as it was
        return
    text = _lines(current.text)
    for block in (_lines(SEPARATOR + record.ours), _lines(record.ours)):
        if block in text:
            # The user wrote into the note after marking: keep their words, take out our lines.
            rest = text.replace(block, "", 1).strip("\n")
            break
    else:
        # The user rewrote our lines: the note is now theirs; only the line naming the record
        # comes out, so no later clear mistakes the cell for one of its own.
        line = TOKEN_LINE.format(record.token)
        if not record.token or line not in text:
            return
        rest = "\n".join(x for x in text.split("\n") if x.strip() != line).strip("\n")
    if original is not None and _same(rest, record.text):
        cell.comment = original
    elif rest:
        note = Comment(rest, record.author if record.had_comment else current.author)
        if original is not None:
            note.width, note.height = original.width, original.height
        cell.comment = note
    else:
        cell.comment = original


def _original_comment(record: _Record) -> Comment | None:
    if not record.had_comment:
        return None
    note = Comment(record.text, record.author)
    if record.width is not None:
        note.width = record.width
    if record.height is not None:
        note.height = record.height
    return note


def _lines(text: str | None) -> str:
    # Excel and LibreOffice may save line breaks as \r\n.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _same(a: str | None, b: str | None) -> bool:
    return _lines(a).strip() == _lines(b).strip()


def _is_mark_fill(fill, colour: str) -> bool:
    """Still our colour? If the user recoloured the cell after marking, their colour wins."""
    fg = getattr(fill, "fgColor", None)
    rgb = getattr(fg, "rgb", None)
    return (getattr(fill, "patternType", None) == "solid" and isinstance(rgb, str)
            and rgb.upper().endswith(colour.upper()))


def _keep_active(book, active) -> None:
    """Keep the sheet Excel opens on; if it was one we removed, open on the first visible sheet."""
    if active is not None and active in book.worksheets + book.chartsheets:
        book.active = active
        return
    visible = [ws for ws in book._sheets if ws.sheet_state == "visible"]
    if visible:
        book.active = visible[0]
        for ws in book.worksheets:
            ws.sheet_view.tabSelected = ws is visible[0]


# --- fills --------------------------------------------------------------------------------------


def _dump_fill(fill) -> str:
    fill = copy(fill)  # cell.fill is a read-only proxy
    if fill == PatternFill():
        return NO_FILL
    return tostring(fill.to_tree()).decode("utf-8")


def _load_fill(text: str):
    if not text or text == NO_FILL:
        return PatternFill()
    try:
        return Fill.from_tree(fromstring(text.encode("utf-8"))) or PatternFill()
    except Exception:  # a damaged record must not stop the others from being restored
        return PatternFill()
