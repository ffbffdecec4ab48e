"""The publication contract (workbook.publication): a correct department of every shape, exported,
checks exactly as its source, less the rules about working-only cells; what the export would
publish differently is refused before the command reports success."""
from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from shapes import SHAPES, build
from workbook import checks, example, export, jobs, office, publication
from workbook.errors import BudgetbookError
from workbook.grid import CalamineGrid, OpenpyxlGrid, save_atomic
from workbook.reader import read


def _counted(report) -> Counter:
    return Counter((f.rule, f.severity) for f in report.findings if f.rule not in publication.WORKING_ONLY)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("publication")
    out = {}
    for name, content in [("example", example.reference()), *((s, build(s)) for s in SHAPES)]:
        raw, filled = folder / f"{name}.xlsx", folder / f"{name}-filled.xlsx"
        save_atomic(jobs.new(content), raw)
        jobs.fill_file(raw, filled)
        (folder / name).mkdir()
        out[name] = filled, export.export(filled, folder / name, force=True).xlsx
    return out


@pytest.mark.parametrize("name", ["example", *SHAPES])
@pytest.mark.parametrize("grid", [CalamineGrid, OpenpyxlGrid])
def test_an_exported_department_checks_exactly_as_its_source(exported, name, grid):
    source, published = exported[name]
    before, after = checks.run(read(grid(source), strict=False)), checks.run(read(grid(published), strict=False))
    assert _counted(after) == _counted(before)
    if name != "example":  # the example's one error is the ninth project's missing table
        assert not after.errors


def test_unit_types_travel_with_the_published_file_not_in_its_tables(exported):
    _, published = exported["institutions"]
    book = read(CalamineGrid(published))
    assert book.tables["T3"].spec.printed == max(len(r) for r in CalamineGrid(published).rows("表三")[3:])
    types = {r.label: r.texts.get("unit_type") for r in book.tables["T3"].rows if r.kind == "unit"}
    assert types == {"某县教育局机关": "行政", "某县第一中学": "事业", "某县实验小学": "事业", "某县教师培训中心": "事业"}


def test_without_the_carried_unit_types_the_weaker_relation_is_checked_and_said_once(exported, tmp_path):
    # a published 表三 from elsewhere: no 单位类型 column and no property carrying it
    _, published = exported["institutions"]
    bare = tmp_path / "bare.xlsx"
    with zipfile.ZipFile(published) as src, zipfile.ZipFile(bare, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/custom.xml":
                data = data.replace(b"budgetbook-working-columns", b"something-else")
            dst.writestr(item, data)
    report = checks.run(read(CalamineGrid(bare)))
    assert not report.errors
    assert [f.severity for f in report.findings if f.rule == "X.T3.unit-type"] == ["info"]


def test_a_publication_that_would_not_check_as_its_source_is_not_published(exported, tmp_path, monkeypatch):
    source, _ = exported["civil"]
    real = checks.run

    def planted(book, **options):  # the published file, as a broken export would have it
        report = real(book, **options)
        if book.path.parent == tmp_path:
            report.findings.append(checks.Finding("X.T7-T9.items", "error", (), "表九 D6 与表七 C16 不等"))
        return report

    monkeypatch.setattr(checks, "run", planted)
    with pytest.raises(BudgetbookError) as refused:
        export.export(source, tmp_path)
    assert refused.value.exit_code == 3 and "X.T7-T9.items" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_an_unfinished_narrative_is_not_exported_unless_forced(exported, tmp_path):
    from workbook.export import ExportRefused

    source, _ = exported["institutions"]  # its 基本情况 sheet is empty: the text asks for input
    with pytest.raises(ExportRefused) as refused:
        export.export(source, tmp_path / "out", narrative=True)
    assert refused.value.exit_code == 1 and "【请填写" in refused.value.text() and "情况说明尚未完成" in str(refused.value)
    assert not (tmp_path / "out").exists()
    result = export.export(source, tmp_path / "out", narrative=True, force=True)
    assert [p.suffix for p in result.written] == [".xlsx", ".docx"]
    assert any("【请填写】" in line and "--force" in line for line in result.lines())


@pytest.mark.parametrize("shape", SHAPES)
def test_the_narrative_of_every_shape_checks_clean_as_written(shape, tmp_path):
    from shapes import narrated
    from workbook.narrative import extract, job, sheet

    path = tmp_path / f"{shape}.xlsx"
    save_atomic(jobs.new(narrated(shape)), path)
    grid = OpenpyxlGrid(path)
    book, info = read(grid), sheet.read(grid)
    result = job.narrative(book, info=info)
    assert result.placeholders == [] and result.report.findings == []
    docx = tmp_path / "说明.docx"
    docx.write_bytes(result.docx_bytes())
    assert job.check(extract.paragraphs(docx), book, info=info).findings == []


def test_contradictory_options_end_with_one_sentence_and_exit_2(exported, tmp_path):
    import subprocess
    import sys

    source, _ = exported["civil"]

    def bb(*args):
        return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)], capture_output=True, text=True)

    for args in (("fill", source, "-o", tmp_path / "a.xlsx", "--in-place"),
                 ("check", source, "--mark", tmp_path / "b.xlsx", "--mark-in-place")):
        result = bb(*args)
        assert result.returncode == 2 and "互相矛盾" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not list(tmp_path.iterdir())


def test_prior_of_another_department_is_refused(exported, tmp_path):
    from workbook.narrative import job

    book = read(OpenpyxlGrid(exported["civil"][0]))
    other = read(OpenpyxlGrid(exported["institutions"][0]))
    other.year = book.year - 1
    with pytest.raises(BudgetbookError) as refused:
        job.narrative(book, other)
    assert "不是“" in str(refused.value) and other.dept in str(refused.value)



_OFFICE = pytest.mark.skipif(office.find_soffice() is None, reason=f"LibreOffice 未安装：{office.INSTALL_HINT}")


@pytest.mark.slow
@_OFFICE
@pytest.mark.parametrize("name", ["example", "institutions"])
def test_the_exported_pdf_is_read_back_and_checks_as_the_workbook(exported, name, tmp_path):
    source, _ = exported[name]
    result = export.export(source, tmp_path / "out", force=True, pdf=True)  # write() read the PDF back
    published = checks.run(read(CalamineGrid(result.xlsx), strict=False))
    assert result.pdf.is_file() and publication.recheck_pdf(result.pdf, published) == []


@pytest.mark.slow
@_OFFICE
def test_a_pdf_that_does_not_check_as_the_workbook_is_not_published(exported, tmp_path, monkeypatch):
    """Without the 单位类型 the workbook carries, the PDF of a department with 事业单位 checks
    otherwise (the type unknown): the read-back finds it, and neither file is left."""
    source, _ = exported["institutions"]
    monkeypatch.setattr(export, "_carry_to_pdf", lambda xlsx, pdf: None)
    with pytest.raises(publication.PublicationDiffers) as refused:
        export.export(source, tmp_path / "out", force=True, pdf=True)
    assert refused.value.exit_code == 3 and "同时导出的" in str(refused.value) and "导出文件" in str(refused.value)
    assert list((tmp_path / "out").iterdir()) == []
