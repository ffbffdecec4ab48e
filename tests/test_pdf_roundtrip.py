"""Our own PDFs read back (workbook.pdfgrid): every department shape, exported with `--pdf`
through LibreOffice, checks from its PDF exactly as its source workbook does, each finding at the
same table, row and column; a fault planted in the source is found at the same place in the PDF.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from shapes import SHAPES, build
from workbook import checks, example, export, jobs, office
from workbook.grid import fast_grid, save_atomic
from workbook.model import Book
from workbook.pdfread import read_pdf
from workbook.reader import read

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(office.find_soffice() is None, reason=f"LibreOffice 未安装：{office.INSTALL_HINT}")]

DEPARTMENTS = ["example", *SHAPES]
# (department, sheet, row found by its code or label, column key, new value): one typed figure each
PLANTED = [
    ("institutions", "表三", "某县第一中学", "basic", 1001),  # a unit's 基本支出 1.00 too high
    ("funds", "表六", "2210201", "basic", 0),  # a 表六 leaf emptied under its 款
    ("civil", "表八", "total", "reception", 99),  # the 三公 total above its units
]


def _content(name: str):
    return example.reference() if name == "example" else build(name)


def _filled(name: str, folder: Path) -> Path:
    raw, filled = folder / f"{name}.xlsx", folder / f"{name}-filled.xlsx"
    save_atomic(jobs.new(_content(name)), raw)
    jobs.fill_file(raw, filled)
    return filled


def _exported(source: Path, folder: Path) -> Path:
    folder.mkdir()
    result = export.export(source, folder, force=True, pdf=True)
    assert result.pdf is not None
    return result.pdf


@pytest.fixture(scope="module")
def departments(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("roundtrip")
    out = {}
    for name in DEPARTMENTS:
        source = _filled(name, folder)
        out[name] = source, _exported(source, folder / name)
    return out


def _row_of(book: Book, sheet: str, cell: str):
    """(table id, the row as a reader knows it, column key) of a place; the cell's table and what
    is written there for a place outside the rows (a title, a note, a text of 表十二)."""
    table = next((t for t in book.tables.values() if t.sheet == sheet), None)
    if table is None:
        return sheet, cell
    for row in table.rows:
        for col in row.values:
            if row.addr(col) == cell:
                return table.spec.id, _identity(row), col
        if cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row.r):
            return table.spec.id, _identity(row), "row"
    letters = cell.rstrip("0123456789")
    r = int(cell[len(letters):])
    values = _grid_rows(book, sheet)
    line = values[r - 1] if r - 1 < len(values) else []
    return table.spec.id, tuple(str(v) for v in line if v is not None)


def _identity(row) -> str:
    return (row.code or row.label or row.key) if row.kind in ("unit", "code", "item") else row.key


_GRIDS: dict[tuple[Path, str], list] = {}


def _grid_rows(book: Book, sheet: str) -> list:
    key = (book.path, sheet)
    if key not in _GRIDS:
        if book.path.suffix == ".pdf":
            import pdfplumber

            from workbook.pdfgrid import PdfGrid

            with pdfplumber.open(book.path) as pdf:
                grid = PdfGrid(book.path, pdf.pages, pdf.metadata)
                for name in grid.sheet_names():
                    _GRIDS[(book.path, name)] = grid.rows(name)
        else:
            grid = fast_grid(book.path)
            for name in grid.sheet_names():
                _GRIDS[(book.path, name)] = grid.rows(name)
    return _GRIDS.get(key, [])


def _located(book: Book) -> Counter:
    """Each finding as rule, severity and its places by table, row and column (not by address:
    the published tables leave unused rows out, so addresses move)."""
    words, book.words = book.words, {}
    try:
        report = checks.run(book)
    finally:
        book.words = words
    return Counter((f.rule, f.severity, tuple(_row_of(book, p.sheet, p.cell) for p in f.places)) for f in report.findings)


def _both(source: Path, pdf: Path) -> tuple[Counter, Counter]:
    return _located(read(fast_grid(source), strict=False)), _located(read_pdf(pdf))


@pytest.mark.parametrize("name", DEPARTMENTS)
def test_an_exported_pdf_checks_exactly_as_its_source(departments, name):
    source, pdf = departments[name]
    book = read_pdf(pdf)
    assert book.profile == "gansu-12" and book.missing == [] and set(book.tables) == {f"T{i}" for i in range(1, 13)}
    workbook, printed = _both(source, pdf)
    assert printed == workbook
    if name != "example":  # the example's one error is the ninth project's missing table
        assert not [key for key in printed if key[1] == "error"]


@pytest.mark.parametrize("name", ["institutions", "funds"])
def test_every_figure_of_the_pdf_is_the_published_workbooks(departments, name):
    _, pdf = departments[name]  # the published .xlsx beside it: blank where a line is unused
    workbook, printed = read(fast_grid(pdf.with_suffix(".xlsx")), strict=False), read_pdf(pdf)
    for tid, table in workbook.tables.items():
        theirs = {(_identity(r), col): v for r in printed.tables[tid].rows for col, v in r.values.items()}
        ours = {(_identity(r), col): v for r in table.rows for col, v in r.values.items()}
        assert theirs == ours, tid
    assert [p.name for p in printed.tables["T12"].projects] == [p.name for p in workbook.tables["T12"].projects]


def test_unit_types_travel_in_the_pdfs_document_information(departments):
    import pdfplumber

    _, pdf = departments["institutions"]
    with pdfplumber.open(pdf) as document:
        carried = json.loads(document.metadata["budgetbook-working-columns"])
    assert carried["T3"]["unit_type"]["某县第一中学"] == "事业"
    types = {r.label: r.texts.get("unit_type") for r in read_pdf(pdf).tables["T3"].rows if r.kind == "unit"}
    assert types["某县教育局机关"] == "行政" and types["某县实验小学"] == "事业"


@pytest.mark.parametrize("name,sheet,row,col,value", PLANTED)
def test_a_fault_planted_in_the_source_is_found_at_the_same_place_in_the_pdf(departments, tmp_path, name, sheet,
                                                                              row, col, value):
    source, _ = departments[name]
    planted = tmp_path / f"{name}-planted.xlsx"
    book = read(fast_grid(source), strict=False)
    table = next(t for t in book.tables.values() if t.sheet == sheet)
    target = next(r for r in table.rows if row in (r.code, r.label, r.key))
    workbook = openpyxl.load_workbook(source)
    workbook[sheet][target.addr(col)] = value
    workbook.save(planted)
    pdf = _exported(planted, tmp_path / "out")
    workbook_found, printed = _both(planted, pdf)
    assert printed == workbook_found
    before, _ = _both(source, departments[name][1])
    new = printed - before
    assert new and any(place[:2] == (table.spec.id, _identity(target)) for _, _, places in new for place in places), new


def test_check_command_names_page_table_row_and_column(departments, tmp_path):
    _, pdf = departments["admin"]
    ran = run_cli("check", str(pdf))
    assert ran.returncode == 0, ran.stderr
    assert "表六 第6页 2010301 行政运行·项目支出" in ran.stdout
    assert "!" not in ran.stdout.split("\n", 1)[1]  # no workbook address: words on every place
    _, clean = departments["institutions"]
    ran = run_cli("check", str(clean))
    assert ran.returncode == 0 and "未发现问题" in ran.stdout
