"""A PDF fit to publish: pages, blank or 0.00, unused rows (issue 8, point 4).

Fast tests: workbook.pages on synthetic row heights, and the published .xlsx of two departments
(the bundled example and tests/pdf_departments.large) read back with openpyxl.
Slow tests (LibreOffice): both workbooks converted to PDF in one soffice call per module; each
page read with `pdftotext -layout -f N -l N`; the first page of every table rendered to
tests/artifacts/pdf-<department>-<table>.png.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from conftest import pdf_fonts
from pdf_departments import TALL_PROJECT, UNUSED_T6, ZERO_T6, large
from workbook import jobs, office, spec
from workbook.export import export
from workbook.export_layout import text_height
from workbook.grid import OpenpyxlGrid, save_atomic
from workbook.pages import BLANK, BODY, HEADING, NOTE, TOTAL, Line, paginate
from workbook.reader import read

ARTIFACTS = Path(__file__).parent / "artifacts"
EXAMPLE_DEPT, YEAR = "临夏市人民政府办公室", 2024
LARGE_DEPT = "某县教育局"


# --- workbook.pages on synthetic heights ----------------------------------------------------



def pages_of(lines: list[Line], breaks: list[int]) -> list[list[Line]]:
    """The lines on each page for these breaks."""
    pages, current = [], []
    cuts = set(breaks)
    for line in lines:
        current.append(line)
        if line.r in cuts:
            pages.append(current)
            current = []
    if current:
        pages.append(current)
    return pages


def table_lines(n: int, height: float = 15, totals: int = 1, heights: dict[int, float] | None = None) -> list[Line]:
    """总计 rows, n body rows, the 备注 line; rows numbered from 6 as in the template."""
    lines = [Line(6 + i, 15, TOTAL) for i in range(totals)]
    lines += [Line(6 + totals + i, (heights or {}).get(i, height)) for i in range(n)]
    return lines + [Line(6 + totals + n, 15, NOTE)]


def body_count(page: list[Line]) -> int:
    return sum(line.kind in (BODY, HEADING) for line in page)


def assert_publishable(lines: list[Line], breaks: list[int], room: float, min_rows: int = 2) -> None:
    parts = pages_of(lines, breaks)
    assert len(parts) == len(breaks) + 1
    for page in parts:
        solid = page[:]
        while solid and solid[-1].kind == BLANK:
            solid.pop()
        assert sum(line.height for line in solid) <= room
        if len(parts) > 1:
            assert body_count(page) >= min_rows, [line.r for line in page]
        assert page[0].kind != NOTE


def test_one_page_needs_no_break():
    assert paginate(table_lines(20), 22 * 15) == []
    assert paginate([], 100) == []


def test_long_table_fills_pages_and_keeps_the_note_with_two_rows():
    lines = table_lines(38)  # 40 lines of 15 pt, 20 a page
    breaks = paginate(lines, 300)
    assert_publishable(lines, breaks, 300)
    assert [len(p) for p in pages_of(lines, breaks)] == [20, 20]


def test_no_widowed_row_and_no_note_alone():
    # 21 rows + 总计 + 备注 = 23 lines, 20 a page: greedy would leave 2 rows and the note, or the
    # note alone; the last page must hold at least two body rows before the note.
    for n in range(18, 42):
        lines = table_lines(n)
        breaks = paginate(lines, 300)
        assert_publishable(lines, breaks, 300)
        last = pages_of(lines, breaks)[-1]
        assert last[-1].kind == NOTE and (len(breaks) == 0 or body_count(last) >= 2)


def test_totals_never_alone_on_the_first_page():
    # 表三: 总计 and the department row, then units; a tall first unit must not leave the totals
    lines = table_lines(5, totals=2, heights={0: 260})
    breaks = paginate(lines, 300)
    first = pages_of(lines, breaks)[0]
    assert any(line.kind == BODY for line in first)


def test_a_heading_does_not_end_a_page():
    # rows 6 (总计) … : a 类 heading falls exactly at the bottom of the first page
    lines = [Line(6, 15, TOTAL)] + [Line(7 + i, 15) for i in range(18)]
    lines += [Line(25, 15, HEADING, top=True)] + [Line(26 + i, 15) for i in range(10)] + [Line(36, 15, NOTE)]
    breaks = paginate(lines, 300)
    assert_publishable(lines, breaks, 300)
    assert breaks == [24]  # the page breaks before the heading, which starts the next page


def test_blocks_break_only_between_blocks():
    lines, r = [], 3
    for block, size in enumerate([12, 8, 9, 5, 9]):
        for k in range(size):
            lines.append(Line(r, 15, BODY, block=block, split_ok=True))
            r += 1
        lines.append(Line(r, 15, BLANK, block=block))
        r += 1
    lines.append(Line(r, 15, NOTE, block=4))
    breaks = paginate(lines, 300)
    assert_publishable(lines, breaks, 300)
    for page in pages_of(lines, breaks):
        blocks = [line.block for line in page]
        for b in set(blocks):  # every block on this page is all of the block
            assert blocks.count(b) == sum(1 for line in lines if line.block == b)


def test_a_block_taller_than_a_page_starts_a_page_and_splits_between_indicators():
    lines, r = [], 3
    for block, (head, indicators) in enumerate([(6, 4), (6, 30), (6, 3)]):
        for k in range(head):
            lines.append(Line(r, 15, BODY, block=block))
            r += 1
        for k in range(indicators):
            lines.append(Line(r, 15, BODY, block=block, split_ok=0 < k < indicators - 1))
            r += 1
        lines.append(Line(r, 15, BLANK, block=block))
        r += 1
    breaks = paginate(lines, 300)
    assert_publishable(lines, breaks, 300)
    parts = pages_of(lines, breaks)
    tall = [line for line in lines if line.block == 1]
    assert any(page[0] is tall[0] for page in parts)  # starts a page
    inside = [b for b in breaks if tall[0].r <= b < tall[-1].r]
    assert len(inside) == 1  # 37 lines of 15 pt: two pages, one split
    after = next(line for line in tall if line.r == inside[0] + 1)
    assert after.split_ok and next(line for line in tall if line.r == inside[0]).split_ok


def test_blank_lines_at_the_bottom_of_a_page_are_free():
    lines = [Line(3 + i, 15, BODY, block=0) for i in range(20)] + [Line(23, 15, BLANK, block=0)]
    lines += [Line(24 + i, 15, BODY, block=1) for i in range(5)]
    assert paginate(lines, 300) == [23]


def test_a_row_taller_than_a_page_still_gets_pages():
    lines = table_lines(6, heights={2: 500})
    breaks = paginate(lines, 300)
    assert breaks and len(pages_of(lines, breaks)) >= 2


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([15, 15, 15, 15, 28, 41]), min_size=3, max_size=120),
       st.integers(min_value=1, max_value=3), st.sampled_from([200, 300, 451]))
def test_any_table_is_cut_without_widows(heights, totals, room):
    lines = [Line(6 + i, 15, TOTAL) for i in range(totals)]
    lines += [Line(6 + totals + i, h, HEADING if i % 7 == 0 else BODY) for i, h in enumerate(heights)]
    lines.append(Line(lines[-1].r + 1, 15, NOTE))
    breaks = paginate(lines, room)
    assert breaks == sorted(set(breaks))
    if sum(h for h in heights) + 15 * (totals + 1) > room:
        assert_publishable(lines, breaks, room)
    else:
        assert breaks == []


def test_wrapped_text_gets_the_height_it_needs():
    assert text_height("行政运行", 200, 10) == 15  # one line of 10 pt: the template's row
    assert text_height("一" * 30, 200, 10) == 28  # 300 pt of text in 200: two lines
    assert text_height("ab\ncd", 200, 10) == 28  # a line break the accountant typed
    assert text_height("1" * 60, 200, 10) == 28  # Latin and digits are narrower (0.55 em)


# --- the published .xlsx ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(_example_files, tmp_path_factory) -> dict[str, Path]:
    """The example and the large department, filled and exported (xlsx only), by name."""
    folder = tmp_path_factory.mktemp("pdf-layout")
    raw = folder / "large.xlsx"
    save_atomic(jobs.new(large(LARGE_DEPT, YEAR)), raw)
    jobs.fill_file(raw, folder / "large-filled.xlsx")
    out = {}
    for name, src in (("example", _example_files[1]), ("large", folder / "large-filled.xlsx")):
        target = folder / name
        target.mkdir()
        out[name] = export(src, target, force=True).xlsx  # force: neither is free of errors
    out["large-source"] = folder / "large-filled.xlsx"
    return out


@pytest.fixture(scope="module")
def example_wb(exported):
    return openpyxl.load_workbook(exported["example"])


@pytest.fixture(scope="module")
def large_wb(exported):
    return openpyxl.load_workbook(exported["large"])


def row_of(ws, text: str, col: int = 1) -> int:
    wanted = re.sub(r"\s+", "", text)
    found = [r for r in range(1, ws.max_row + 1)
             if re.sub(r"\s+", "", str(ws.cell(r, col).value or "")) == wanted]
    assert found, f"{ws.title}: {text}"
    return found[0]


def value(ws, text: str, key: str, table: spec.TableSpec, label_col: int = 1):
    return ws[f"{table.letter(key)}{row_of(ws, text, label_col)}"].value


def test_blank_or_zero_follows_the_reference(example_wb, _example_files):
    wb, src = example_wb, openpyxl.load_workbook(_example_files[1])
    t1, t2 = wb["表一"], wb["表二"]
    # 表一/表二: an income source the department does not have is blank; the balance lines show 0.00
    assert t1[f"B{row_of(t1, '二、政府性基金预算财政拨款收入')}"].value is None
    assert src["表一"][f"B{row_of(src['表一'], '二、政府性基金预算财政拨款收入')}"].value == 0  # working copy: 0.00
    assert t1[f"B{row_of(t1, '十、上年结转')}"].value == 0
    assert t1[f"B{row_of(t1, '十一、上年结余')}"].value == 0
    assert t1[f"D{row_of(t1, '三十一、结转下年', 3)}"].value == 0
    assert t1[f"D{row_of(t1, '二、外交支出', 3)}"].value is None  # a 类 without money
    assert t1[f"D{row_of(t1, '八、社会保障和就业支出', 3)}"].value == pytest.approx(59.99)
    assert t2[f"B{row_of(t2, '五、事业收入')}"].value is None
    assert t2[f"B{row_of(t2, '十、上年结转')}"].value == 0 and t2[f"B{row_of(t2, '收入合计')}"].value == pytest.approx(899.2)
    t4 = wb["表四"]
    assert t4[f"B{row_of(t4, '（二）政府性基金预算财政拨款')}"].value is None
    assert t4[f"D{row_of(t4, '（三）国防支出', 3)}"].value is None
    # 表三: a used row shows 0.00 where a column is zero (上年结转 of the unit too)
    t3 = wb["表三"]
    assert [t3[f"E{r}"].value for r in (5, 6, 7)] == [0, 0, 0]  # 总计, department, unit
    # 表五: a fund the department does not have is blank on every row
    t5 = wb["表五"]
    for key in ("gf_total", "gf_basic", "gf_project", "sc_total", "sc_basic", "sc_project"):
        assert [t5[f"{spec.T5.letter(key)}{r}"].value for r in (6, 7, 8)] == [None] * 3, key
    assert t5[f"{spec.T5.letter('gp_total')}6"].value == pytest.approx(899.2)
    # 表六: a used line shows 0.00 where a column is zero
    t6 = wb["表六"]
    assert t6[f"D{row_of(t6, '2010399')}"].value == 0
    assert t6[f"E{row_of(t6, '208')}"].value == 0
    assert t6[f"E{row_of(t6, '2080505')}"].value == 0  # typed blank in the working copy
    assert src["表六"][f"E{row_of(src['表六'], '2080505')}"].value is None
    # 表七: the column a code's 类 does not use is blank; 总计 shows both
    t7 = wb["表七"]
    assert (t7[f"D{row_of(t7, '30201')}"].value, t7[f"E{row_of(t7, '30201')}"].value) == (None, pytest.approx(26.5))
    assert (t7[f"D{row_of(t7, '301')}"].value, t7[f"E{row_of(t7, '301')}"].value) == (pytest.approx(539.66), None)
    # 表八: a used row shows 0.00 for the 三公 items without money
    t8 = wb["表八"]
    assert t8[f"{spec.T8.letter('reception')}{row_of(t8, '总计')}"].value == 0
    # 表九: the standard items are the form: 0.00 in every column
    t9 = wb["表九"]
    assert [t9[f"{c}{row_of(t9, '[30205]水费', 2)}"].value for c in "CDE"] == [0, 0, 0]
    # 表十/表十一 empty: 总计 blank, as the reference prints it
    for sheet in ("表十", "表十一"):
        assert wb[sheet][f"C{row_of(wb[sheet], '总计', 2)}"].value is None
    # 表十二: 上年结转资金 0.00 in a block with money
    t12 = wb["表十二"]
    assert t12[f"D{row_of(t12, '上年结转资金', 2)}"].value == 0
    # zero is printed as 0.00
    assert t1[f"B{row_of(t1, '十、上年结转')}"].number_format == "#,##0.00"


def test_large_department_blank_or_zero(large_wb):
    t6, t5 = large_wb["表六"], large_wb["表五"]
    assert [t6[f"{c}{row_of(t6, UNUSED_T6)}"].value for c in "CDE"] == [None] * 3
    assert [t6[f"{c}{row_of(t6, ZERO_T6)}"].value for c in "CDE"] == [pytest.approx(12), pytest.approx(12), 0]
    units = range(8, 8 + 44)  # 总计 6, department 7, units
    assert {t5[f"{spec.T5.letter('sc_total')}{r}"].value for r in units} == {None}  # no 国有资本经营 money
    gf = [t5[f"{spec.T5.letter('gf_project')}{r}"].value for r in units]  # one unit has 政府性基金 money
    assert gf.count(0) == 43 and 3 in gf


def test_unused_reserved_rows_are_dropped_and_the_layout_kept(large_wb, exported):
    source = openpyxl.load_workbook(exported["large-source"])
    published = read(OpenpyxlGrid(exported["large"]))
    working = read(OpenpyxlGrid(exported["large-source"]))
    for tid in ("T6", "T7", "T10", "T11"):
        table, before = published.tables[tid], working.tables[tid]
        sheet = table.sheet
        # the working copy keeps its reserved rows (6 blank code rows); the export has none
        assert before.note_r - before.body_r == len(before.rows) + 6, sheet
        assert table.note_r - table.body_r == len(table.rows), sheet
        assert [r.code for r in table.rows] == [r.code for r in before.rows]
        ws = large_wb[sheet]
        note = f"A{table.note_r}:{spec.BY_ID[tid].letter(spec.BY_ID[tid].cols[-1].key)}{table.note_r}"
        assert note in {str(m) for m in ws.merged_cells.ranges}, sheet  # the 备注 merge moved up
        assert ws[f"A{table.note_r}"].value == spec.NOTE
        last = table.rows[-1].r
        assert ws[f"C{last}"].border.bottom.style == source[sheet][f"C{before.rows[-1].r}"].border.bottom.style
        assert ws.print_area == f"'{sheet}'!$A$1:${spec.BY_ID[tid].letter(spec.BY_ID[tid].cols[-1].key)}${table.note_r}"
        assert table.note_r < source[sheet].max_row
    # 表九's items stay even when 0.00; nothing is dropped from the example
    assert len(published.tables["T9"].rows) == len(working.tables["T9"].rows)


def test_print_setup_decides_the_pages(example_wb, large_wb):
    for wb in (example_wb, large_wb):
        # one scale for every table (one body size on paper), the largest at which 表一 and 表四
        # still fit on one page; wider tables get narrower columns
        assert len({ws.page_setup.scale for ws in wb.worksheets}) == 1
        assert not any(ws.sheet_properties.pageSetUpPr.fitToPage for ws in wb.worksheets)
        for sheet in ("表一", "表四"):
            assert not wb[sheet].row_breaks.brk
        assert wb["表十二"].print_title_rows.replace("$", "").endswith("1:2")
        for ws in wb.worksheets:  # every printed row has its height: the same pages in every program
            last = max(int(m) for m in re.findall(r"\$(\d+)", ws.print_area))
            assert all(ws.row_dimensions[r].height for r in range(1, last + 1)), ws.title
    for sheet in ("表六", "表七", "表十二"):
        ws = large_wb[sheet]
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 10 <= ws.page_setup.scale <= 100
        assert ws.row_breaks.brk and all(b.man for b in ws.row_breaks.brk)
    # 表十二: a page starts with a block's title, or inside the block taller than a page
    ws = large_wb["表十二"]
    for b in ws.row_breaks.brk:
        first = ws.cell(b.id + 1, 1).value or ""
        assert "绩效目标表" in first or str(ws.cell(b.id + 1, 4).value).startswith(f"P{TALL_PROJECT + 1}三级指标"), b.id


# --- the PDF --------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    office.find_soffice() is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason=f"LibreOffice 或 poppler-utils 未安装，PDF 版面测试跳过；请运行 {office.INSTALL_HINT} poppler-utils",
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Pdf:
    """One PDF, read page by page with pdftotext -layout -f N -l N."""

    def __init__(self, path: Path):
        self.path = path
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        self.count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.pages = [self._page(n) for n in range(1, self.count + 1)]

    def _page(self, n: int) -> str:
        return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(self.path), "-"],
                              capture_output=True, text=True, check=True, timeout=60).stdout

    def of(self, table: spec.TableSpec, dept: str) -> list[int]:
        """Numbers (from 1) of the pages printing `table` (its title is repeated on each)."""
        title = squash(table.title(dept, YEAR))
        return [n for n, text in enumerate(self.pages, 1) if title in squash(text)]


@pytest.fixture(scope="module")
def pdfs(exported, tmp_path_factory) -> dict[str, Pdf]:
    """Both exports printed by one LibreOffice call; the first page of each table kept as PNG."""
    if office.find_soffice() is None:
        pytest.skip("LibreOffice 未安装")
    folder = tmp_path_factory.mktemp("pdf")
    sources = {name: exported[name] for name in ("example", "large")}
    converted = office.convert(list(sources.values()), "pdf", folder)
    return {name: Pdf(path) for name, path in zip(sources, converted)}


def depts():
    return [("example", EXAMPLE_DEPT), ("large", LARGE_DEPT)]


HEADER = {"T1": "收入", "T2": "项目", "T3": "单位名称", "T4": "收入", "T5": "单位名称", "T6": "功能分类科目",
          "T7": "经济分类科目", "T8": "单位名称", "T9": "序号", "T10": "科目编码", "T11": "科目编码",
          "T12": "表十二"}
TOTAL_ROW = {"T1": "收入总计", "T2": "收入合计", "T4": "收入总计"}  # every other table: 总计


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name,dept", depts())
def test_title_header_and_total_on_one_page(pdfs, name, dept):
    pdf = pdfs[name]
    seen = set()
    for table in spec.TABLES:
        numbers = pdf.of(table, dept)
        assert numbers, table.sheet
        assert numbers == list(range(numbers[0], numbers[-1] + 1)), table.sheet  # consecutive pages
        seen.update(numbers)
        for n in numbers:  # title rows repeat: every page has the title and the header
            assert squash(HEADER[table.id]) in squash(pdf.pages[n - 1]), (table.sheet, n)
        if table.id != "T12":
            total = TOTAL_ROW.get(table.id, "总计")
            assert any(total in squash(pdf.pages[n - 1]) for n in numbers), table.sheet
            # the total row is on the table's first page for 总计-first tables, last for 表一/二/四
            where = numbers[-1] if table.id in TOTAL_ROW else numbers[0]
            assert total in squash(pdf.pages[where - 1]), table.sheet
    assert seen == set(range(1, pdf.count + 1))  # no page without a table title


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name,dept", depts())
def test_one_page_tables(pdfs, name, dept):
    pdf = pdfs[name]
    assert len(pdf.of(spec.T1, dept)) == 1 and len(pdf.of(spec.T4, dept)) == 1
    if name == "example":  # the reference department prints every table but 表十二 on one page
        for table in spec.TABLES[:-1]:
            assert len(pdf.of(table, dept)) == 1, table.sheet
    else:
        for sheet in ("T3", "T6", "T7", "T8"):
            assert len(pdf.of(spec.BY_ID[sheet], dept)) > 1, sheet  # the large one really breaks


_CODE_LINE = re.compile(r"^\s*(\d{3,7})\s")


def body_lines(table_id: str, text: str, dept: str) -> list[str]:
    """The body rows printed on a page, totals left out, as their first words."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if table_id in ("T6", "T7", "T10", "T11"):
            if _CODE_LINE.match(line):
                out.append(_CODE_LINE.match(line).group(1))
        elif table_id in ("T3", "T5", "T8"):
            if stripped.startswith(dept) and "学校" in stripped.split()[0]:
                out.append(stripped.split()[0])
        elif table_id == "T9":
            if re.match(r"^\d+\s+\[\d+\]", stripped) or re.match(r"^\[\d+\]", stripped):
                out.append(stripped)
    return out


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name,dept", depts())
def test_no_page_holds_only_totals_the_note_or_one_row(pdfs, exported, name, dept):
    pdf = pdfs[name]
    book = read(OpenpyxlGrid(exported[name]))
    for tid in ("T3", "T5", "T6", "T7", "T8", "T9", "T10", "T11"):
        table = spec.BY_ID[tid]
        numbers = pdf.of(table, dept)
        printed = [body_lines(tid, pdf.pages[n - 1], dept) for n in numbers]
        if len(numbers) > 1:
            for n, rows in zip(numbers, printed):
                assert len(rows) >= 2, (table.sheet, n, rows)
        note_pages = [n for n in numbers if squash(spec.NOTE) in squash(pdf.pages[n - 1])]
        assert note_pages == [numbers[-1]], table.sheet
        # every row of the table is printed once, in order; no reserved row in between
        rows = book.tables[tid].rows
        expected = [r.code for r in rows if r.kind == "code"] if tid in ("T6", "T7", "T10", "T11") else None
        if expected is not None:
            assert [code for page in printed for code in page] == expected, table.sheet
            last = [line for line in pdf.pages[numbers[-1] - 1].splitlines() if line.strip()]
            before_note = last[[i for i, line in enumerate(last) if squash(spec.NOTE) in squash(line)][0] - 1]
            assert not expected or before_note.strip().startswith(expected[-1]), table.sheet


@pytest.mark.slow
@needs_soffice
def test_blocks_of_table_12_are_never_split(pdfs, exported):
    """Each block's first row (部门名称/项目名称 and its name) and its last indicator row are on one
    page; only the block taller than a page splits, once, starting a page."""
    for name, dept in depts():
        pdf = pdfs[name]
        t12 = read(OpenpyxlGrid(exported[name])).tables["T12"]
        numbers = pdf.of(spec.T12, dept)
        blocks = [("部门名称", t12.whole.dept_name, t12.whole.indicators)]
        blocks += [("项目名称", p.name, p.indicators) for p in t12.projects]
        for i, (label, title, indicators) in enumerate(blocks):
            head = re.compile(label + r"\s+" + re.escape(title) + r"\s*$", re.M)
            found = [n for n in numbers if head.search(pdf.pages[n - 1])]
            assert len(found) == 1, (name, title, found)
            text = pdf.pages[found[0] - 1]
            start = head.search(text).start()
            after = re.search(r"项目支出绩效目标表|" + re.escape(spec.NOTE), text[start:])
            block = text[start: start + after.start()] if after else text[start:]
            last = indicators[-1][1].level3
            if name == "large" and i == TALL_PROJECT + 1:  # taller than a page: starts a page, splits once
                assert "项目名称" not in text[: start] and last not in block
                rest = pdf.pages[found[0]]
                split = [ind.level3 for _, ind in indicators if re.search(re.escape(ind.level3) + r"\s", rest)]
                assert 2 <= len(split) <= len(indicators) - 2 and split[-1] == last, split
            else:
                assert last in block, (name, title, found)


@pytest.mark.slow
@needs_soffice
def test_blank_or_zero_in_the_pdf(pdfs):
    def line(pdf, dept, table, start):
        for n in pdf.of(table, dept):
            for text in pdf.pages[n - 1].splitlines():
                if squash(text).startswith(squash(start)) or re.match(r"\s*" + re.escape(start) + r"\s", text):
                    return text
        raise AssertionError(f"{table.sheet}: {start}")

    numbers = lambda text: re.findall(r"\d[\d,]*\.\d\d", text)  # noqa: E731
    ex = pdfs["example"]
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T2, "二、政府性基金预算财政拨款收入")) == []
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T2, "十、上年结转")) == ["0.00"]
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T6, "2010399")) == ["64.00", "0.00", "64.00"]
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T7, "30201")) == ["26.50", "26.50"]
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T9, "3 [30205]水费")) == ["0.00"] * 3
    assert numbers(line(ex, EXAMPLE_DEPT, spec.T10, "总计")) == []
    big = pdfs["large"]
    assert numbers(line(big, LARGE_DEPT, spec.T6, UNUSED_T6)) == []
    assert numbers(line(big, LARGE_DEPT, spec.T6, ZERO_T6)) == ["12.00", "12.00", "0.00"]


@pytest.mark.slow
@needs_soffice
def test_first_page_of_every_table_rendered(pdfs):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, dept in depts():
        pdf = pdfs[name]
        for table in spec.TABLES:
            first = pdf.of(table, dept)[0]
            prefix = ARTIFACTS / f"pdf-{name}-{table.id}"
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(first), "-l", str(first),
                            str(pdf.path), str(prefix)], check=True, timeout=60)
            png = prefix.with_suffix(".png")
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000, png


def _word_heights(pdf: Path, n: int) -> list[float]:
    """Heights of the words on page n, as pdftotext -bbox places them (proportional to the size)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    return [round(float(b) - float(a), 1) for a, b in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', html)]


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("name,dept", depts())
def test_one_body_text_size_on_every_page(pdfs, name, dept):
    """Body text is one size across all tables (the most common word height of each page), and
    titles one larger size: the set reads like one publication, not pages scaled each its own way."""
    pdf = pdfs[name]
    body = {n: Counter(_word_heights(pdf.path, n)).most_common(1)[0][0] for n in range(1, pdf.count + 1)}
    assert max(body.values()) - min(body.values()) <= 0.2, body
    titles = {max(_word_heights(pdf.path, n)) for n in range(1, pdf.count + 1)}
    assert max(titles) - min(titles) <= 0.3, titles
    assert "###" not in "".join(pdf.pages)  # no number too wide for its narrowed column


@pytest.mark.slow
@needs_soffice
def test_tables_print_in_a_serif_face_where_one_is_installed(pdfs):
    """宋体 is asked for; without it, a 宋体-like serif (office.SERIF) prints the tables."""
    fonts = {f["name"].split("+")[-1] for f in pdf_fonts(pdfs["example"].path)}
    serif = office.substitutes().get("宋体")
    if serif and serif != "WenQuanYi Micro Hei":
        assert fonts and all(serif.replace(" ", "").split("CJK")[0] in name for name in fonts), fonts
