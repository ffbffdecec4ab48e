"""Marks in the accountant's workbook: colours and notes on, and exactly off again.

The exact round trip, marking twice and the LibreOffice save run on the bundled example (with a
planted fault and the user's own fills and notes); smaller behaviours use a small workbook, since
every openpyxl load of the 12 tables costs about a second.
"""
from __future__ import annotations

import re
import shutil
from copy import copy
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Color, Font, GradientFill, PatternFill
from openpyxl.styles.cell_style import StyleArray

from workbook import checks, jobs, marks, office
from workbook.checks import Finding, Place, Report
from workbook.grid import CalamineGrid
from workbook.reader import read



def visible(text: str) -> str:
    """A note as the accountant sees it (the record's token is zero-width)."""
    return re.sub(r"[\u200b\u200c\u2060]", "", text)

def has_marks(path: Path) -> bool:
    """Whether the workbook carries budgetbook marks (its state sheet is present)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return marks.STATE_SHEET in book.sheetnames
    finally:
        book.close()

RED, YELLOW = "FFC7CE", "FFEB9C"
NO_STYLE = StyleArray()  # what openpyxl gives a cell that never had a style

# The user's own fills.
THEME_TINT = PatternFill("solid", fgColor=Color(theme=4, tint=0.5999938962981048))
PATTERN = PatternFill("darkTrellis", fgColor="FFFF0000", bgColor=Color(indexed=64))
SOLID = PatternFill("solid", start_color="FF92D050", end_color="FF92D050")
GRADIENT = GradientFill(stop=("FFFFFF00", "FF0070C0"), degree=90)


# --- helpers ------------------------------------------------------------------------------------


def snapshot(path: Path) -> tuple[dict, openpyxl.Workbook]:
    """Everything a mark could disturb, for every cell of every sheet (hidden ones included)."""
    book = openpyxl.load_workbook(path, rich_text=True)
    # The workbook's style lists, read by each cell's indices: what cell.fill etc. give, without
    # the copies (14 000 cells; this is the slow part of the file otherwise).
    fills, fonts, borders = book._fills, book._fonts, book._borders
    aligns, protections, names = book._alignments, book._protections, book._named_styles
    cells = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                st, note = c._style or NO_STYLE, c.comment
                cells[ws.title, c.coordinate] = (
                    c.value, c.number_format, fills[st.fillId], fonts[st.fontId], borders[st.borderId],
                    aligns[st.alignmentId], protections[st.protectionId],
                    names[st.xfId].name if st.xfId < len(names) else None,  # LibreOffice: see below
                    (note.text, note.author) if note else None,
                    c.hyperlink.location if getattr(c, "hyperlink", None) else None)
    snap = {"sheets": [(ws.title, ws.sheet_state) for ws in book.worksheets], "active": book.active.title,
            "cells": cells, "merged": {ws.title: sorted(map(str, ws.merged_cells.ranges)) for ws in book.worksheets}}
    return snap, book


# openpyxl maps a cell's xfId straight into its list of named styles; LibreOffice writes more
# cellStyleXfs than named styles, so after a LibreOffice save the index can run past the list.


def fill_rgb(cell) -> str | None:
    rgb = cell.fill.fgColor.rgb
    return rgb[-6:] if cell.fill.patternType == "solid" and isinstance(rgb, str) else None


def results_rows(book) -> list[tuple]:
    ws = book[marks.RESULTS_SHEET]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    return list(ws.iter_rows(min_row=header + 1))


def extra_findings() -> list[Finding]:
    """Findings the real rules do not give on the example, for the edge cases."""
    return [
        Finding("X.demo-error", "error", (Place("表六", "A10"),), "示例错误", "1.00", "2.00"),
        Finding("X.demo-warning", "warning", (Place("表六", "A10"), Place("表六", "B10")), "示例警告"),
        Finding("X.demo-info", "info", (Place("表一", "A7"),), "示例提示"),
        Finding("X.merged", "warning", (Place("表六", "C1"),), "合并单元格内的位置"),  # in A1:E1
        Finding("X.gone", "error", (Place("表十三", "A1"),), "已不存在的表"),
        Finding("X.missing-table", "error", (), "缺少表十三"),
    ]


def decorate(book) -> None:
    """The user's own fills and notes, on cells that get marked and on cells that do not."""
    t6, t1 = book["表六"], book["表一"]
    t6["C9"].fill = THEME_TINT                          # marked by the real rules (row sum)
    t6["C9"].comment = Comment("此数据来自财政局批复\n第二行", "张会计")
    t6["D8"].fill = PATTERN                             # marked by the real rules (roll-up)
    t6["A10"].fill = SOLID                              # marked: error + warning
    t6["A10"].comment = Comment("=请勿改动", "李会计")      # a note that looks like a formula
    t6["B10"].fill = GRADIENT                           # marked: warning
    t1["A6"].fill = SOLID                               # never marked
    t1["A6"].comment = Comment("未标记单元格的批注", "王会计")
    t1["H3"].fill = THEME_TINT                          # never marked
    t1["H3"] = CellRichText("备注：", TextBlock(InlineFont(b=True), "加粗部分"))  # the user's rich text


@pytest.fixture(scope="module")
def case(_example_files, tmp_path_factory):
    """The filled example, 表六 D9 mistyped and decorated; marked once and cleared once."""
    folder = tmp_path_factory.mktemp("marks")
    src = folder / "book.xlsx"
    book = openpyxl.load_workbook(_example_files[1])
    book["表六"]["D9"] = 600  # breaks the row sum of C9 and the roll-up D8
    decorate(book)
    book.save(src)
    report = checks.run(read(CalamineGrid(src)))  # fast reader; marks only need the findings
    real = list(report.findings)
    report.findings.extend(extra_findings())
    before, _ = snapshot(src)
    marked, cleared = folder / "marked.xlsx", folder / "cleared.xlsx"
    count = jobs.mark_file(src, report, marked).marked
    during, marked_book = snapshot(marked)
    restored = jobs.clear_file(marked, cleared).cleared
    after, _ = snapshot(cleared)
    return SimpleNamespace(src=src, report=report, real=real, before=before, marked=marked, count=count,
                           during=during, book=marked_book, cleared=cleared, restored=restored, after=after)


# --- (1) marking --------------------------------------------------------------------------------


def test_mark_colours_notes_and_lists_every_finding(case):
    report, book = case.report, case.book
    assert any(f.rule == "T6.row-sum" for f in case.real), "the planted fault must give findings"
    for finding in report.findings:
        for place in finding.places:
            if place.sheet not in book.sheetnames or place.cell == "C1":
                continue  # the edge cases, below
            cell = book[place.sheet][place.cell]
            assert f"[{finding.rule}] {finding.message}" in cell.comment.text
            assert cell.comment.author == "budgetbook"
            if finding.severity == "error":
                assert fill_rgb(cell) == RED
            elif finding.severity == "warning" and all(
                    g.severity != "error" for g in report.findings if place in g.places):
                assert fill_rgb(cell) == YELLOW
    assert fill_rgb(book["表六"]["C9"]) == RED and "[T6.row-sum]" in book["表六"]["C9"].comment.text
    # Every note names its record, one per marked cell, invisibly: what shows is the rule and message.
    notes = [c.comment.text for ws in book.worksheets
             for c in ws._cells.values() if c.comment is not None and c.comment.author == "budgetbook"]
    tokens = [marks.tokens_in(text) for text in notes]
    assert all(len(t) == 1 for t in tokens) and len({t[0] for t in tokens}) == len(tokens) == case.count
    shown = [visible(text) for text in notes]
    assert all("〔budgetbook" not in text and not text.endswith("\n") for text in shown)
    assert all(marks.token_tag(t[0]) in text for t, text in zip(tokens, notes))

    # 校验结果: the last visible sheet, not active; counts on top; one linked row per finding.
    assert book.sheetnames[-2:] == [marks.RESULTS_SHEET, marks.STATE_SHEET]
    assert book[marks.STATE_SHEET].sheet_state == "veryHidden"
    assert book.active.title == "表一"
    ws = book[marks.RESULTS_SHEET]
    counts = report.counts
    assert ws["A2"].value == f"错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处"
    assert [c.value for c in ws[4]] == ["序号", "严重程度", "规则", "规则名称", "表", "单元格", "其他单元格", "说明",
                                        "应为", "实为"]
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref == f"A4:J{4 + len(report.findings)}"
    rows = results_rows(book)
    assert [r[0].value for r in rows] == list(range(1, len(report.findings) + 1))
    assert sorted((r[2].value, r[7].value) for r in rows) == sorted((f.rule, f.message) for f in report.findings)
    for row in rows:
        finding = next(f for f in report.findings if (f.rule, f.message) == (row[2].value, row[7].value))
        assert row[1].value == {"error": "错误", "warning": "警告", "info": "提示"}[finding.severity]
        assert row[1].fill.patternType == "solid"
        assert row[3].value == (finding.title or None)  # the rule's Chinese title beside its id
        assert (row[8].value, row[9].value) == (finding.expected, finding.actual)
        others = [p.cell if p.sheet == finding.sheet else str(p) for p in finding.places[1:]]
        assert row[6].value == ("、".join(others) or None)
        if finding.sheet in book.sheetnames:
            link = row[5].hyperlink
            assert link.target is None  # internal link: no external relationship
            sheet, addr = re.fullmatch(r"'(.+)'!([A-Z]+\d+)", link.location).groups()
            assert (sheet, addr) == (finding.sheet, finding.cell)
            assert (row[4].value, row[5].value) == (finding.sheet, finding.cell)
    assert has_marks(case.marked) and not has_marks(case.src)


def test_edge_places_merged_gone_and_none(case):
    t6, rows = case.book["表六"], {r[2].value: r for r in results_rows(case.book)}
    assert fill_rgb(t6["A1"]) == YELLOW and "[X.merged]" in t6["A1"].comment.text  # top-left of A1:E1
    assert fill_rgb(t6["A10"]) == RED  # an error and a warning on one cell: the error colour
    assert visible(t6["A10"].comment.text).splitlines()[-2:] == ["[X.demo-error] 示例错误", "[X.demo-warning] 示例警告"]
    assert t6["A10"].comment.text.startswith("=请勿改动" + marks.SEPARATOR)  # the user's note stays on top
    assert "表十三" not in case.book.sheetnames
    assert rows["X.gone"][4].value == "表十三" and rows["X.gone"][5].hyperlink is None
    assert rows["X.missing-table"][4].value == "整个工作簿" and rows["X.missing-table"][5].hyperlink is None
    assert (rows["X.demo-warning"][5].value, rows["X.demo-warning"][6].value) == ("A10", "B10")


# --- (2) the exact round trip -------------------------------------------------------------------


def test_mark_changes_only_fills_and_notes_of_marked_cells(case):
    before, during = case.before["cells"], case.during["cells"]
    touched = {key for key in before if before[key] != during[key]}
    assert touched == {(p.sheet, p.cell if p.cell != "C1" else "A1")
                       for f in case.report.findings for p in f.places if p.sheet != "表十三"}
    assert len(touched) == case.count
    for key in touched:
        old, new = before[key], during[key]
        # value, number format, font, border, alignment, protection, named style: unchanged
        assert old[:2] == new[:2] and old[3:8] == new[3:8], key
    assert during["表一", "A7"][2] == before["表一", "A7"][2]  # info only: the fill stays


def test_mark_then_clear_restores_everything(case):
    before, after = case.before, case.after
    assert case.restored == case.count and (case.restored.missing, case.restored.moved) == (0, 0)
    assert after["sheets"] == before["sheets"] and after["active"] == before["active"]
    assert after["merged"] == before["merged"]
    assert after["cells"].keys() == before["cells"].keys()  # no cell left behind
    for key, old in before["cells"].items():
        assert after["cells"][key] == old, key
    assert isinstance(after["cells"]["表一", "H3"][0], CellRichText)
    assert after["cells"]["表六", "C9"][2] == THEME_TINT and after["cells"]["表六", "D8"][2] == PATTERN
    assert after["cells"]["表六", "B10"][2] == GRADIENT
    assert after["cells"]["表六", "A10"][8] == ("=请勿改动", "李会计")
    assert not has_marks(case.cleared)


# --- (3) marking twice ----------------------------------------------------------------------------


def test_marking_twice_is_marking_once(case, tmp_path):
    twice = Path(shutil.copy(case.marked, tmp_path / "twice.xlsx"))
    assert jobs.mark_file(twice, case.report, twice).marked == case.count  # in place, over the first marks
    snap, book = snapshot(twice)
    assert snap == case.during  # the state sheet included: it still holds the true originals
    assert book["表六"]["C9"].comment.text.count("[T6.row-sum]") == 1
    # Same cells, notes, fills and state rows as after one mark, so clear gives back `before` too
    # (shown for one mark above).


# --- (4) surviving a save by LibreOffice ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice (soffice) 未安装，跳过另存测试")
def test_marks_survive_a_libreoffice_save(case, tmp_path):
    resaved = office.recalculate(case.marked, tmp_path / "resaved.xlsx")
    # LibreOffice keeps the state sheet but writes veryHidden as hidden, and writes every note's
    # author as " ": the sheet is found by name, and the authors come back from the state.
    assert has_marks(resaved)
    cleared = tmp_path / "cleared.xlsx"
    assert jobs.clear_file(resaved, cleared).cleared == case.count
    after, _ = snapshot(cleared)
    resaved_snap, resaved_book = snapshot(resaved)
    assert resaved_book[marks.STATE_SHEET].sheet_state in ("hidden", "veryHidden")
    assert [s for s, _ in after["sheets"]] == [s for s, _ in case.before["sheets"]]
    before, during, resaved_cells = case.before["cells"], case.during["cells"], resaved_snap["cells"]
    for key, old in before.items():
        new, was = after["cells"][key], resaved_cells[key]
        # Where we coloured, the original fill comes back exactly; every other fill is as LibreOffice
        # wrote it (it rewrites all fills: alpha 00 -> FF, bgColor), i.e. clear did not touch it.
        assert new[2] == (old[2] if during[key][2] != old[2] else was[2]), key
        # Where we noted, the original note comes back (with its author); elsewhere as saved.
        assert new[8] == (old[8] if during[key][8] != old[8] else was[8]), key


# --- (5) and the rest, on a small workbook --------------------------------------------------------


@pytest.fixture
def small(tmp_path) -> Path:
    book = openpyxl.Workbook()
    t1 = book.active
    t1.title = "表一"
    t6 = book.create_sheet("表六")
    for ws in (t1, t6):
        ws.merge_cells("A1:E1")
        ws["A1"] = f"{ws.title}标题"
        for r in range(5, 12):
            ws[f"A{r}"] = f"项目{r}"
            for col in "BCD":
                ws[f"{col}{r}"] = r * 10.5
                ws[f"{col}{r}"].number_format = "#,##0.00"
                ws[f"{col}{r}"].font = Font(name="宋体", bold=col == "B")
    decorate(book)
    book["表六"]["C9"].comment = Comment("此数据来自财政局批复\n第二行", "张会计")
    path = tmp_path / "small.xlsx"
    book.save(path)
    return path


def test_info_gets_a_note_but_no_fill(small, tmp_path):
    report = Report(small, [Finding("X.demo-info", "info", (Place("表一", "A7"), Place("表一", "A6")), "示例提示")])
    out = tmp_path / "marked.xlsx"
    assert jobs.mark_file(small, report, out).marked == 2
    before, book = openpyxl.load_workbook(small), openpyxl.load_workbook(out)
    for addr in ("A7", "A6"):
        assert copy(book["表一"][addr].fill) == copy(before["表一"][addr].fill)
        assert "[X.demo-info] 示例提示" in book["表一"][addr].comment.text
    assert book["表一"]["A6"].comment.text.startswith("未标记单元格的批注" + marks.SEPARATOR)
    assert book[marks.RESULTS_SHEET]["A2"].value == "错误 0 处，警告 0 处，提示 1 处"
    assert results_rows(book)[0][1].value == "提示"
    jobs.clear_file(out, out).cleared
    assert snapshot(out)[0] == snapshot(small)[0]


def test_no_findings_and_no_marks(small, tmp_path):
    out = tmp_path / "marked.xlsx"
    assert jobs.mark_file(small, Report(small, []), out).marked == 0
    assert openpyxl.load_workbook(out)[marks.RESULTS_SHEET]["A2"].value == "错误 0 处，警告 0 处，提示 0 处；未发现问题"
    copy_ = tmp_path / "copy.xlsx"
    assert jobs.clear_file(small, copy_).cleared == 0  # nothing to clear: still written, unchanged
    assert snapshot(copy_)[0] == snapshot(small)[0]


def test_marks_follow_a_new_report(small, tmp_path):
    """After the user fixes a fault, marking again takes the old mark off that cell."""
    first = Report(small, [Finding("T6.row-sum", "error", (Place("表六", "C9"),), "行合计不等")])
    second = Report(small, [Finding("T6.rollup", "error", (Place("表六", "D8"),), "下级之和不等")])
    jobs.mark_file(small, first, small).marked
    jobs.mark_file(small, second, small).marked
    book = openpyxl.load_workbook(small)
    c9, d8 = book["表六"]["C9"], book["表六"]["D8"]
    assert copy(c9.fill) == THEME_TINT and (c9.comment.text, c9.comment.author) == ("此数据来自财政局批复\n第二行", "张会计")
    assert fill_rgb(d8) == RED and visible(d8.comment.text).splitlines()[0] == "[T6.rollup] 下级之和不等"
    assert len(d8.comment.text.splitlines()) == 1 and len(marks.tokens_in(d8.comment.text)) == 1  # named, invisibly


def test_clear_keeps_what_the_user_changed_after_marking(small, tmp_path):
    report = Report(small, [Finding("X.a", "error", (Place("表六", "D8"), Place("表六", "B10"), Place("表六", "C9")), "示例")])
    jobs.mark_file(small, report, small).marked
    book = openpyxl.load_workbook(small)
    t6 = book["表六"]
    t6["D8"].fill = SOLID  # the user recoloured a marked cell: their colour wins
    t6["B10"].comment = Comment(t6["B10"].comment.text + "\n已核对", "budgetbook")  # typed into our note
    book.save(small)
    assert jobs.clear_file(small, small).cleared == 3
    t6 = openpyxl.load_workbook(small)["表六"]
    assert copy(t6["D8"].fill) == SOLID
    assert t6["B10"].comment.text == "已核对" and copy(t6["B10"].fill) == GRADIENT
    assert copy(t6["C9"].fill) == THEME_TINT and t6["C9"].comment.author == "张会计"


def test_a_user_sheet_named_like_ours_is_left_alone(small):
    book = openpyxl.load_workbook(small)
    book.create_sheet(marks.RESULTS_SHEET)["A1"] = "我自己的校验记录"
    book.save(small)
    jobs.mark_file(small, Report(small, []), small)
    names = openpyxl.load_workbook(small).sheetnames
    assert names[-3:] == [marks.RESULTS_SHEET, marks.RESULTS_SHEET + "2", marks.STATE_SHEET]
    jobs.clear_file(small, small).cleared
    book = openpyxl.load_workbook(small)
    assert book.sheetnames[-1] == marks.RESULTS_SHEET and book[marks.RESULTS_SHEET]["A1"].value == "我自己的校验记录"


def test_clear_when_the_user_saved_on_our_sheet(small):
    jobs.mark_file(small, Report(small, []), small)
    book = openpyxl.load_workbook(small)
    book.active = book[marks.RESULTS_SHEET]
    book.save(small)
    jobs.clear_file(small, small).cleared
    book = openpyxl.load_workbook(small)
    assert book.active.title == "表一" and book.active.sheet_view.tabSelected


# --- (6) what users do between mark and clear: insert and delete rows, rename, delete our notes ---


def insert_row(ws, at: int) -> None:
    """Insert a row as Excel does: the cells below and the merged ranges below move down."""
    merged = list(ws.merged_cells.ranges)
    for m in merged:
        ws.unmerge_cells(str(m))
    ws.insert_rows(at)
    for m in merged:
        if m.min_row >= at:
            m.shift(0, 1)
        ws.merge_cells(str(m))


def delete_row(ws, at: int) -> None:
    merged = list(ws.merged_cells.ranges)
    for m in merged:
        ws.unmerge_cells(str(m))
    ws.delete_rows(at)
    for m in merged:
        if m.min_row > at:
            m.shift(0, -1)
        ws.merge_cells(str(m))


def edited(path: Path, out: Path, change) -> Path:
    book = openpyxl.load_workbook(path, rich_text=True)
    change(book)
    book.save(out)
    return out


def marked_then(small: Path, tmp_path: Path, places, change, before=None, same=None):
    """Mark `places` on `small`, let the user `change` the marked file, clear; the cleared
    snapshot, the clear result, and the snapshot of the unmarked file changed the same way
    (by `same`, when `change` only makes sense on the marked file)."""
    if before:
        edited(small, small, before)
    report = Report(small, [Finding("X.a", "error", tuple(Place(*p) for p in places if p[1] != "A7"), "示例"),
                            Finding("X.i", "info", tuple(Place(*p) for p in places if p[1] == "A7"), "提示")])
    marked = tmp_path / "marked.xlsx"
    assert jobs.mark_file(small, report, marked).marked == len(places)
    edited(marked, marked, change)
    result = jobs.clear_file(marked, tmp_path / "cleared.xlsx").cleared
    expected = snapshot(edited(small, tmp_path / "expected.xlsx", same or change))[0]
    return snapshot(tmp_path / "cleared.xlsx")[0], result, expected


def test_clear_follows_cells_moved_by_an_inserted_row(small, tmp_path):
    """The reviewer's case: C10 now holds C9's mark; the user's note must not land on C9."""
    def merge(book):
        book["表六"].merge_cells("A12:B12")

    def change(book):
        t6 = book["表六"]
        t6["B10"].comment = None  # the user took our note off one cell before inserting the row
        insert_row(t6, 9)
        t6["A9"] = "新增一行"

    places = [("表六", "D8"), ("表六", "C9"), ("表六", "C10"), ("表六", "B10"), ("表六", "A12")]
    after, result, expected = marked_then(small, tmp_path, places, change, before=merge)
    assert (result, result.missing, result.moved) == (4, 1, 3)
    assert after["sheets"] == expected["sheets"] and after["merged"] == expected["merged"]
    assert after["merged"]["表六"] == ["A13:B13", "A1:E1"]
    assert after["cells"].keys() == expected["cells"].keys()
    assert after["cells"]["表六", "C9"][8] is None  # the inserted row: nothing copied onto it
    assert after["cells"]["表六", "C10"][8] == ("此数据来自财政局批复\n第二行", "张会计")
    assert after["cells"]["表六", "C10"][2] == THEME_TINT and after["cells"]["表六", "D8"][2] == PATTERN
    # B10 lost its note, then moved to B11: it stays red (counted missing); B10 (was B9) untouched.
    assert fill_rgb(openpyxl.load_workbook(tmp_path / "cleared.xlsx")["表六"]["B11"]) == RED
    for key, old in expected["cells"].items():
        if key != ("表六", "B11"):
            assert after["cells"][key] == old, key


def test_clear_when_a_row_with_a_marked_cell_was_deleted(small, tmp_path):
    places = [("表六", "D8"), ("表六", "C9"), ("表六", "C10"), ("表六", "D10")]
    after, result, expected = marked_then(small, tmp_path, places, lambda book: delete_row(book["表六"], 9))
    assert (result, result.missing, result.moved) == (3, 1, 2)  # C9 went with its row
    assert after["cells"]["表六", "C9"][8] is None  # was C10: the deleted cell's note is not put here
    assert after == expected


def test_clear_finds_a_renamed_sheet(small, tmp_path):
    def change(book):
        book["表六"].title = "表6"
        book["表6"]["D8"].comment = None  # and our note taken off one cell: still our colour there

    places = [("表六", "D8"), ("表六", "C9"), ("表六", "B10"), ("表一", "A7")]
    after, result, expected = marked_then(small, tmp_path, places, change)
    assert (result, result.missing, result.moved) == (4, 0, 3)
    assert [name for name, _ in after["sheets"]] == ["表一", "表6"]
    assert after == expected


def test_clear_when_the_user_deleted_our_notes(small, tmp_path):
    def change(book):
        t6, t1 = book["表六"], book["表一"]
        t6["D8"].comment = None            # note gone, still our colour: the fill comes back
        t6["C9"].comment = None            # and the value fixed: its sheet has not moved (C10)
        t6["C9"] = 99
        t6["B10"].comment = None           # note gone and recoloured: nothing of ours left
        t6["B10"].fill = SOLID
        # the user rewrote the note; the record's invisible token, at its end, stayed
        t6["C10"].comment = Comment("已改正" + marks.token_tag(marks.tokens_in(t6["C10"].comment.text)[0]), "王会计")
        t1["A7"].comment = None            # an info note (no colour): nothing to find

    def same(book):  # what is left of the user's changes once our marks are off
        t6 = book["表六"]
        t6["C9"] = 99
        t6["B10"].fill = SOLID
        # C10: the user rewrote our lines, so the note is theirs; only the line naming the record goes.
        t6["C10"].comment = Comment("已改正", "王会计")

    places = [("表六", "D8"), ("表六", "C9"), ("表六", "B10"), ("表六", "C10"), ("表一", "A7")]
    after, result, expected = marked_then(small, tmp_path, places, change, same=same)
    assert (result, result.missing, result.moved) == (3, 2, 0)
    assert after["cells"]["表六", "D8"][2] == PATTERN and after["cells"]["表六", "B10"][2] == SOLID
    assert after["cells"]["表六", "C9"][8] == ("此数据来自财政局批复\n第二行", "张会计")
    assert after == expected
