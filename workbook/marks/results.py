"""The 校验结果 sheet: every finding on one line, with a link to its cell."""
from __future__ import annotations


from ..advice import WORKBOOK, say
from ..cells import get_column_letter
from ..checks.base import SEVERITY_LABEL, Finding
from ..checks.report import Report
from ..plan import Format, SheetPlan

RESULTS_SHEET = "校验结果"

# Excel's own "Bad" / "Neutral" cell-style colours: what accountants already read as error/warning.
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
TEXT_COLOURS = {"error": "9C0006", "warning": "9C5700", "info": "1F4E78"}
LABEL_FILLS = {**FILLS, "info": "DDEBF7"}

HEADER = ("序号", "严重程度", "规则", "规则名称", "表", "单元格", "其他单元格", "说明", "应为", "实为")
WIDTHS = (6, 10, 20, 28, 10, 10, 22, 72, 14, 14)
HEADER_ROW = 4  # title, counts, hint, then the header
LINK_COL = HEADER.index("单元格") + 1
_WRAPPED = {HEADER.index(h) + 1 for h in ("规则名称", "其他单元格", "说明", "应为", "实为")}

_PLAIN, _BOLD = Format(), Format(bold=True)
_LINK = Format(colour="0563C1", underline=True)


def results_sheet(name: str, report: Report, sheets: set[str], *, capped: dict[str, int] | None = None,
                  limit: int | None = None, where: str = WORKBOOK) -> SheetPlan:
    """The sheet listing `report`, grouped by the sheet of the cell to fix, each finding with its
    rule's id and Chinese title; `sheets`: the workbook's sheets (a link only goes to one of them);
    `capped`: rule -> cells it names, for the rules whose marks stopped at `limit` cells."""
    counts = report.counts
    sheet = SheetPlan(name, freeze=f"A{HEADER_ROW + 1}", print_title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
                      landscape=True)
    sheet.rows = [
        ["预算公开表校验结果"],
        [f"错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处"
         + ("" if report.findings else "；未发现问题")],
        [(_capped_line(capped, limit) if capped else "")
         + f"点击“单元格”可跳到该处；标记（底色和批注）{say('clear', where)}，原有底色和批注会恢复。"],
        list(HEADER),
    ]
    sheet.formats = {"A1": Format(size=14, bold=True), "A2": _BOLD, "A3": _PLAIN}
    for col, width in enumerate(WIDTHS, start=1):
        letter = get_column_letter(col)
        sheet.widths[letter] = width
        sheet.formats[f"{letter}{HEADER_ROW}"] = Format(bold=True, fill="D9D9D9", halign="center",
                                                       valign="center")
    row = HEADER_ROW
    findings = [f for _, group in report.by_sheet() for f in group]
    for number, finding in enumerate(findings, start=1):
        row += 1
        first = finding.places[0] if finding.places else None
        values = [number, SEVERITY_LABEL[finding.severity], finding.rule, finding.title or None,
                  first.sheet if first else "整个工作簿", first.cell if first else "—",
                  _other_places(finding), finding.said(where), finding.expected, finding.actual]
        sheet.rows.append(values)
        for col in range(1, len(values) + 1):
            sheet.formats[f"{get_column_letter(col)}{row}"] = Format(valign="top", wrap=col in _WRAPPED)
        # Neither Excel nor LibreOffice grows a row to its wrapped text on opening, so wrapped text
        # would overlap the next row: size each row from its longest cell.
        lines = max(_lines_needed(values[col - 1], WIDTHS[col - 1]) for col in _WRAPPED)
        sheet.heights[row] = 14 * lines + 2
        sheet.formats[f"B{row}"] = Format(bold=True, colour=TEXT_COLOURS[finding.severity],
                                          fill=LABEL_FILLS[finding.severity], valign="top")
        if first and first.sheet in sheets and first.sheet != name:
            # An internal link (location, no relationship): Excel and LibreOffice jump to the cell
            # without the "external target" security prompt a "#Sheet!A1" target can trigger.
            link = f"{get_column_letter(LINK_COL)}{row}"
            sheet.links[link] = reference(first.sheet, first.cell)
            sheet.formats[link] = Format(colour=_LINK.colour, underline=True, valign="top")
    sheet.autofilter = f"A{HEADER_ROW}:{get_column_letter(len(HEADER))}{max(row, HEADER_ROW + 1)}"
    return sheet


def _capped_line(capped: dict[str, int], limit: int | None) -> str:
    """"每条规则最多标出 500 个单元格：T6.rollup 共 1200 个、… 只标出了前 500 个，其余见下表。" """
    named = "、".join(f"{rule} 共 {cells} 个" for rule, cells in capped.items())
    return f"每条规则最多标出 {limit} 个单元格：{named}，只标出了前 {limit} 个，其余见下表。"


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


def reference(sheet: str, addr: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + addr.split(":")[0]


def unique_title(names: list[str], title: str = RESULTS_SHEET) -> str:
    """校验结果, or 校验结果2 … when the user has a sheet of that name that is not ours."""
    name, n = title, 1
    while name in names:
        n += 1
        name = f"{title}{n}"
    return name
