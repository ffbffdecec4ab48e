"""Plan the marks: colour each cell a finding names, note why, list the findings, keep originals.

Error cells get a light red fill, warnings light yellow, infos a note only. Earlier budgetbook
marks are taken off first (restore.plan_clear), so marking again never stacks notes and the
originals stay restorable: the cells are read as they will be after that clear (looks.Planned).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field


from ..advice import WORKBOOK
from ..cells import coordinate_to_tuple, get_column_letter
from ..checks.base import Finding
from ..checks.report import Report
from ..plan import Note, Plan
from ..surfaces.looks import Looks, Planned, prefetch
from .restore import Cleared, plan_clear
from .results import FILLS, results_sheet, unique_title
from .state import AUTHOR, SEPARATOR, STATE_SHEET, Record, fingerprint, state_sheet, token_tag

RANK = {"error": 0, "warning": 1, "info": 2}
# At most this many cells are marked per rule (findings past it are still listed in 校验结果): a
# workbook with tens of thousands of findings of one rule stays quick to mark and to open.
MARK_LIMIT = 500


@dataclass
class MarkPlan:
    plan: Plan
    marked: int  # cells marked
    cleared: Cleared  # earlier marks taken off first
    capped: dict[str, int] = field(default_factory=dict)  # rule -> cells it names, where over the limit
    limit: int = MARK_LIMIT


def plan_mark(looks: Looks, report: Report, limit: int | None = MARK_LIMIT, where: str = WORKBOOK) -> MarkPlan:
    """The plan marking `report`'s findings, over any earlier marks; at most `limit` cells per rule
    (None or 0: no limit). Notes and the 校验结果 sheet advise as read `where` (workbook.advice)."""
    clear_plan, cleared = plan_clear(looks)
    after = Planned(looks, clear_plan)
    plan = Plan()
    capped: dict[str, int] = {}
    records = _mark_cells(after, report.findings, plan, limit or None, capped, where)
    names = after.sheet_names()
    results = unique_title(names)
    plan.add_sheets = [results_sheet(results, report, set(names), capped=capped, limit=limit, where=where),
                       state_sheet(records, results)]
    return MarkPlan(clear_plan.then(plan), len(records), cleared, capped, limit or 0)


def capped_lines(capped: dict[str, int], limit: int) -> list[str]:
    """One sentence per rule whose cells were not all marked."""
    return [f"规则 {rule} 涉及 {cells} 个单元格，只标出了前 {limit} 个（全部问题见“校验结果”表）。"
            for rule, cells in capped.items()]


def _mark_cells(looks: Looks, findings: list[Finding], plan: Plan, limit: int | None = None,
                capped: dict[str, int] | None = None, where: str = WORKBOOK) -> list[Record]:
    per_cell: dict[tuple[str, str], list[Finding]] = {}
    sheets = set(looks.sheet_names())
    per_rule: dict[str, set[tuple[str, str]]] = {}
    over: dict[str, set[tuple[str, str]]] = {}  # cells of a rule past the limit
    places = {(place.sheet, place.cell): _place(sheets, place.sheet, place.cell)
              for finding in findings for place in finding.places}
    prefetch(looks, ((sheet, f"{get_column_letter(col)}{row}") for sheet, row, col in filter(None, places.values())))
    for finding in findings:
        cells = per_rule.setdefault(finding.rule, set())
        for place in finding.places:
            target = _target(looks, places[place.sheet, place.cell])
            if target:
                if limit and target not in cells and len(cells) >= limit:
                    over.setdefault(finding.rule, set()).add(target)
                    continue
                cells.add(target)
                group = per_cell.setdefault(target, [])
                if finding not in group:
                    group.append(finding)
    if capped is not None:
        capped.update({rule: len(per_rule[rule]) + len(cells) for rule, cells in over.items()})
    prefetch(looks, per_cell)  # the anchors of merged ranges, where they differ from the places
    records = []
    for (sheet, addr), group in per_cell.items():
        group = sorted(group, key=lambda f: RANK[f.severity])
        note = looks.note(sheet, addr)
        record = Record(sheet, addr, looks.fill(sheet, addr), note is not None,
                        (note.text or "") if note else "", (note.author or "") if note else "",
                        note.width if note else None, note.height if note else None, "", "",
                        value=fingerprint(looks.value(sheet, addr)))
        worst = group[0].severity
        if worst in FILLS:
            # Only the fill changes: value, number format, font, border, alignment, protection and
            # the named style stay on the cell.
            record.mark_fill = FILLS[worst]
            plan.set_fill(sheet, addr, FILLS[worst])
        record.mark_text = "\n".join(dict.fromkeys(f"[{f.rule}] {f.said(where)}" for f in group))
        records.append(record)
    # The same marking gives the same tokens (marking twice is marking once); another gives others.
    digest = hashlib.sha1(json.dumps([r.row() for r in records], ensure_ascii=False).encode()).hexdigest()
    for number, record in enumerate(records, start=1):
        record.token = f"{digest[:6]}-{number}"
        ours = record.mark_text + token_tag(record.token)  # invisible, at the end of the last line
        record.mark_text = record.text + SEPARATOR + ours if record.had_comment else ours
        plan.set_note(record.sheet, record.addr, Note(record.mark_text, AUTHOR, *note_size(record.mark_text)))
    return records


def _place(sheets: set[str], sheet: str, addr: str) -> tuple[str, int, int] | None:
    """The cell a finding's place names (the first of a range); None if it is gone."""
    if sheet not in sheets or sheet == STATE_SHEET or not addr:
        return None
    addr = addr.split(":")[0].replace("$", "").upper()
    try:
        row, col = coordinate_to_tuple(addr)
    except (ValueError, TypeError):
        return None
    return sheet, row, col


def _target(looks: Looks, place: tuple[str, int, int] | None) -> tuple[str, str] | None:
    """The cell to mark for a place: the top-left cell of a merged range."""
    if place is None:
        return None
    sheet, row, col = place
    row, col = looks.anchor(sheet, row, col)
    return sheet, f"{get_column_letter(col)}{row}"


def note_size(text: str) -> tuple[float, float]:
    """A note large enough to read without resizing (a default note shows about 3 lines), in
    points: 240 wide, 13.5 a line."""
    width = 240
    per_line = 22  # Chinese characters per line at this width
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    lines = -(-lines // 4) * 4  # in steps of four lines: few sizes, so Excel sizes notes in few calls
    return width, min(300, max(60, 13.5 * lines + 7.5))
