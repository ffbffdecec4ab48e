"""One stray value far out but inside the size limits (表十!CV200000, tests/hostile.far_stray):
every command reads and writes the cells that hold something, never the rectangle up to the
farthest one, and the stray value is still reported at its cell. (How long that takes is measured
in bench/run.py, not asserted here.)"""
from __future__ import annotations

import zipfile

import pytest

from conftest import run_cli
from hostile import FAR, far_stray
from workbook import jobs
from workbook.grid import CalamineGrid, OpenpyxlGrid, _streamed, open_calamine, sheet_values
from workbook.reader import read
from workbook.safety import inspect


@pytest.fixture
def far(filled_xlsx, tmp_path):
    return far_stray(filled_xlsx, tmp_path / "far.xlsx")


def _trimmed(rows):
    """Rows without trailing blanks, and without trailing blank rows."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] is None:
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def test_the_stray_sheet_is_read_cell_by_cell_and_the_others_as_a_grid(far):
    extents = inspect(far).extents
    assert extents["表十"].sparse and extents["表十"].rows == 200_000
    assert not any(extent.sparse for name, extent in extents.items() if name != "表十")


def test_reading_cell_by_cell_gives_what_calamine_gives(filled_xlsx):
    """The streaming reader of sparse sheets is a second reader: on every sheet of the example it
    must read exactly what calamine reads (numbers as floats, blanks as None)."""
    book = open_calamine(filled_xlsx)
    for sheet in book.sheet_names:
        dense = [[None if v == "" else v for v in row]
                 for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]
        assert _trimmed(_streamed(filled_xlsx, sheet)) == _trimmed(dense), sheet


@pytest.mark.parametrize("grid", [CalamineGrid, OpenpyxlGrid])
def test_every_reader_reports_the_stray_value_at_its_cell(far, filled_xlsx, grid):
    plain = jobs.check(read(grid(filled_xlsx)))
    report = jobs.check(read(grid(far)))
    below = [f for f in report.findings if f.rule == "F.below-note"]
    assert [(p.sheet, p.cell) for f in below for p in f.places] == [("表十", FAR)]
    assert "123.45" in below[0].message
    assert sorted(f.message for f in report.findings if f.rule != "F.below-note") == \
        sorted(f.message for f in plain.findings)


def test_values_are_the_same_cell_by_cell_as_on_a_grid(far, filled_xlsx):
    rows = sheet_values(far, open_calamine(far), "表十")
    assert len(rows) == 200_000 and rows[-1][99] == 123.45
    assert _trimmed(rows[:-1]) == _trimmed(sheet_values(filled_xlsx, open_calamine(filled_xlsx), "表十"))


def test_fill_and_mark_keep_the_stray_value_and_mark_it(far, tmp_path):
    filled = tmp_path / "far-filled.xlsx"
    assert run_cli("fill", far, "-o", filled).returncode == 0
    import openpyxl

    assert openpyxl.load_workbook(filled, read_only=True)["表十"][FAR].value == 123.45
    marked = tmp_path / "marked.xlsx"
    ran = run_cli("check", far, "--mark", marked)
    assert ran.returncode == 1 and f"表十!{FAR}" in ran.stdout
    book = openpyxl.load_workbook(marked)
    assert book["表十"][FAR].value == 123.45
    assert book["表十"][FAR].fill.fgColor.rgb.endswith("FFC7CE")  # marked as an error
    cleared = tmp_path / "cleared.xlsx"
    assert run_cli("clear", marked, "-o", cleared).returncode == 0
    assert openpyxl.load_workbook(cleared)["表十"][FAR].fill.fill_type is None


def test_export_publishes_the_tables_without_the_stray_number(far, filled_xlsx, tmp_path):
    """With --force the stray number (F.below-note) stays behind, as a figure under a merged range
    does: the published workbook is cell for cell the one exported without it."""
    import openpyxl

    assert run_cli("export", filled_xlsx, "--out", tmp_path / "plain", "--force").returncode in (0, 1)
    ran = run_cli("export", far, "--out", tmp_path / "far", "--force")
    assert ran.returncode in (0, 1) and "已导出" in ran.stdout, ran.stdout + ran.stderr
    [plain], [published] = (list((tmp_path / d).glob("*.xlsx")) for d in ("plain", "far"))
    a, b = openpyxl.load_workbook(plain), openpyxl.load_workbook(published)
    assert a.sheetnames == b.sheetnames
    for sheet in a.sheetnames:
        assert b[sheet].max_row == a[sheet].max_row and b[sheet].print_area == a[sheet].print_area
        assert [[c.value for c in row] for row in b[sheet].iter_rows()] == \
            [[c.value for c in row] for row in a[sheet].iter_rows()]


def test_export_refuses_the_stray_number_without_force(far, tmp_path):
    ran = run_cli("export", far, "--out", tmp_path / "out")
    assert ran.returncode == 1 and f"表十!{FAR}" in ran.stdout + ran.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
