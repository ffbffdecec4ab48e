"""Fill, mark and clear patch the package: nothing of the accountant's workbook is lost.

Each source workbook (the template as budgetbook writes it, the example re-created with xlsxwriter
with a logo, chart, text box, notes, formulas …, the same as .xlsm with macros, and the same saved
by LibreOffice) goes raw → fill → mark → clear through the patching surface. For every step:
members the plan does not touch are the very bytes stored before; in the worksheets it touches,
only the planned cells differ; the result opens in openpyxl. Mark → clear gives back the filled
workbook. The same plans applied by OpenpyxlSurface give the same values, fills, notes and sheets.
"""
from __future__ import annotations

import shutil
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from workbook.marks.state import fingerprint
from defusedxml import ElementTree

import package_fixtures as fx
from workbook import jobs, marks, office
from workbook.checks import Finding, Place
from workbook.plan import dump_fill, solid_colour
from workbook.reader import read
from workbook.surfaces.openpyxl_book import OpenpyxlSurface
from workbook.surfaces.package import PackageSurface

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NO_OFFICE = office.find_soffice() is None

# Findings the real rules do not give, so that marks land on a formula, an empty place, a merged
# range and a cell with the user's note.
EXTRA = [
    Finding("X.formula", "error", (Place("表二", "B5"),), "公式单元格"),
    Finding("X.empty", "warning", (Place("表一", "H40"),), "空白处"),
    Finding("X.merged", "warning", (Place("表六", "C1"),), "合并单元格内"),
    Finding("X.noted", "info", (Place("表一", "A5"),), "有批注的单元格"),
]


@dataclass
class Step:
    src: Path
    out: Path
    plan: object
    touched: set


def run(job: str, src: Path, out: Path) -> Step:
    surface = PackageSurface(src)
    if job == "fill":
        plan = jobs.fill(read(surface)).plan
    elif job == "mark":
        report = jobs.check(read(surface, strict=False))
        report.findings.extend(EXTRA)
        plan = jobs.mark(surface, report).plan
    else:
        plan = jobs.clear(surface).plan
    surface.apply(plan)
    touched = surface.touched()
    surface.save(out)
    return Step(src, out, plan, touched)


def pipeline(raw: Path, folder: Path) -> dict[str, Step]:
    steps = {"fill": run("fill", raw, folder / f"filled{raw.suffix}")}
    steps["mark"] = run("mark", steps["fill"].out, folder / f"marked{raw.suffix}")
    steps["clear"] = run("clear", steps["mark"].out, folder / f"cleared{raw.suffix}")
    return steps


SOURCES = ["openpyxl", "xlsxwriter", "xlsm", pytest.param("libreoffice", marks=pytest.mark.slow)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    cache = {}

    def get(kind: str) -> dict[str, Step]:
        if kind not in cache:
            folder = tmp_path_factory.mktemp(kind)
            if kind == "openpyxl":
                raw = fx.example_file(folder / "raw.xlsx")
            elif kind == "xlsxwriter":
                raw = fx.rich(folder / "raw.xlsx")
            elif kind == "xlsm":
                vba = fx.vba_project()
                if vba is None:
                    pytest.skip("xlwings 未安装：没有可用的 vbaProject.bin")
                raw = fx.rich(folder / "raw.xlsm", vba=vba)
            else:
                if NO_OFFICE:
                    pytest.skip("LibreOffice (soffice) 未安装")
                (folder / "lo").mkdir()
                raw = office.recalculate(fx.rich(folder / "rich.xlsx"), folder / "lo" / "raw.xlsx")
            cache[kind] = pipeline(raw, folder)
        return cache[kind]

    return get


# --- helpers ---------------------------------------------------------------------------------


def stored(path: Path) -> dict[str, tuple]:
    """member -> (compression, CRC, stored bytes)."""
    out = {}
    with zipfile.ZipFile(path) as archive, open(path, "rb") as fh:
        for info in archive.infolist():
            fh.seek(info.header_offset)
            header = fh.read(30)
            name_len, extra_len = struct.unpack("<HH", header[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            out[info.filename] = (info.compress_type, info.CRC, fh.read(info.compress_size))
    return out


def _canon(el):
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(), tuple(_canon(c) for c in el))


def cells(data: bytes) -> dict[str, tuple]:
    root = ElementTree.fromstring(data)
    return {c.get("r"): _canon(c) for c in root.iter(f"{MAIN}c")}


def rest(data: bytes) -> list:
    """The worksheet without its cells, dimension and legacy drawing (what notes may add)."""
    root = ElementTree.fromstring(data)
    return [_canon(child) for child in root
            if child.tag not in (f"{MAIN}sheetData", f"{MAIN}dimension", f"{MAIN}legacyDrawing")]


def sheet_parts(path: Path) -> dict[str, str]:
    """sheet name -> worksheet part."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        rid = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
        target = targets[rid]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


# --- (1) untouched members are the very bytes stored before ------------------------------------


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("job", ["fill", "mark", "clear"])
def test_untouched_members_are_copied_byte_for_byte(built, kind, job):
    step = built(kind)[job]
    before, after = stored(step.src), stored(step.out)
    for name, raw in before.items():
        if name not in step.touched:
            assert after.get(name) == raw, name
    changed = {n for n in before if after.get(n) != before[n]} | (after.keys() - before.keys())
    assert changed <= step.touched
    # what a plan may touch: worksheets, notes, styles, the workbook and its lists of parts
    allowed = ("xl/worksheets/", "xl/comments", "xl/drawings/vmlDrawing", "xl/styles.xml", "xl/workbook.xml",
               "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
    assert all(name.startswith(allowed) for name in step.touched), step.touched
    keep = [n for n in before if n.startswith(("xl/media/", "xl/charts/", "xl/theme/", "docProps/"))
            or n.endswith(("vbaProject.bin", "drawing1.xml", "drawing1.xml.rels", "sharedStrings.xml"))]
    assert all(after[n] == before[n] for n in keep)


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("job", ["fill", "mark", "clear"])
def test_only_planned_cells_differ(built, kind, job):
    step = built(kind)[job]
    old_parts, new_parts = sheet_parts(step.src), sheet_parts(step.out)
    planned = step.plan.cells()
    with zipfile.ZipFile(step.src) as a, zipfile.ZipFile(step.out) as b:
        for sheet, part in old_parts.items():
            if sheet not in new_parts:
                assert sheet in step.plan.remove_sheets
                continue
            old, new = a.read(part), b.read(new_parts[sheet])
            if old == new:
                continue
            assert rest(old) == rest(new), sheet
            before, after = cells(old), cells(new)
            differ = {ref for ref in before.keys() | after.keys() if before.get(ref) != after.get(ref)}
            assert differ and {(sheet, ref) for ref in differ} <= planned, (sheet, differ - {a for _, a in planned})


@pytest.mark.parametrize("kind", SOURCES)
def test_results_open_in_openpyxl_with_what_was_planned(built, kind):
    steps = built(kind)
    filled = openpyxl.load_workbook(steps["fill"].out, data_only=True)
    for sheet, values in steps["fill"].plan.values.items():
        for ref, value in values.items():
            assert filled[sheet][ref].value == pytest.approx(float(value)), (sheet, ref)
    marked = openpyxl.load_workbook(steps["mark"].out)
    assert marked.sheetnames[-2:] == ["校验结果", "_budgetbook_marks"]
    assert marked["_budgetbook_marks"].sheet_state == "veryHidden"
    assert marked["表二"]["B5"].comment.text.startswith("[X.formula] 公式单元格")
    assert solid_colour(dump_fill(marked["表一"]["H40"].fill)) == "FFEB9C"
    assert marked["表六"]["A1"].comment is not None  # the merged range's top-left cell
    cleared = openpyxl.load_workbook(steps["clear"].out)
    assert cleared.sheetnames == filled.sheetnames


# --- (2) what the user made is still there -----------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsxwriter", "xlsm", pytest.param("libreoffice", marks=pytest.mark.slow)])
def test_images_charts_shapes_and_macros_stay(built, kind):
    steps = built(kind)
    with zipfile.ZipFile(steps["fill"].src) as raw:
        names = set(raw.namelist())
    for step in steps.values():
        with zipfile.ZipFile(step.out) as out:
            kept = set(out.namelist())
            assert any(n.startswith("xl/media/") for n in kept) and any(n.startswith("xl/charts/") for n in kept)
            drawings = [n for n in kept if n.startswith("xl/drawings/drawing")]
            assert any(b"txBody" in out.read(n) for n in drawings)  # the text box
            assert {n for n in names if n.startswith(("xl/media/", "xl/charts/", "xl/drawings/drawing"))} <= kept
            if kind == "xlsm":
                assert "xl/vbaProject.bin" in kept
                assert b"macroEnabled" in out.read("[Content_Types].xml")
    raw, book = openpyxl.load_workbook(steps["fill"].src), openpyxl.load_workbook(steps["mark"].out)
    assert "部门名称" in book.defined_names
    assert book["表一"]["F3"].hyperlink is not None and book["表一"]["F3"].hyperlink.target.startswith("https://")
    assert book["表二"].data_validations.dataValidation and book["表六"].conditional_formatting
    for name in raw.sheetnames:  # as the source had them (LibreOffice writes some of its own way)
        assert book[name].freeze_panes == raw[name].freeze_panes
        assert book[name].page_setup.orientation == raw[name].page_setup.orientation
        assert book[name].print_title_rows == raw[name].print_title_rows


@pytest.mark.parametrize("kind", ["xlsxwriter", "xlsm", pytest.param("libreoffice", marks=pytest.mark.slow)])
def test_the_users_formulas_keep_their_saved_results(built, kind):
    steps = built(kind)
    filled = steps["fill"].out
    formulas = openpyxl.load_workbook(filled)
    saved = openpyxl.load_workbook(filled, data_only=True)
    for sheet, ref, formula, value in fx.FORMULAS:
        assert formulas[sheet][ref].value.replace(" ", "") == formula.replace(" ", "")
        if kind != "libreoffice":  # LibreOffice saved its own results (recalculated)
            assert saved[sheet][ref].value == pytest.approx(value)
    report = jobs.check(read(PackageSurface(filled)))
    formula_cells = {(s, r) for s, r, _, _ in fx.FORMULAS}
    for finding in report.findings:
        assert not {(p.sheet, p.cell) for p in finding.places} & formula_cells, finding
    assert not [f for f in report.findings if f.rule in ("F.not-number", "F.blank-zero")]


@pytest.mark.parametrize("kind", ["xlsxwriter", pytest.param("libreoffice", marks=pytest.mark.slow)])
def test_user_notes_keep_their_text_and_size(built, kind):
    steps = built(kind)
    raw = PackageSurface(steps["fill"].src)
    for step in steps.values():
        out = PackageSurface(step.out)
        for sheet, ref, text, author, _, _ in fx.NOTES:
            before, after = raw.note(sheet, ref), out.note(sheet, ref)
            if step is steps["mark"]:  # both are marked (D5 by P.projects-total, A5 by X.noted)
                assert after.text.startswith(before.text) and after.author == "budgetbook"
            else:
                assert after == before and before.width and before.height
    assert raw.note("表三", "D5").width > 200  # the note's own size (x_scale 2.5), not a default


# --- (3) mark → clear gives the workbook back ------------------------------------------------


@pytest.mark.parametrize("kind", SOURCES)
def test_mark_then_clear_restores_the_filled_workbook(built, kind):
    steps = built(kind)
    filled, cleared = stored(steps["fill"].out), stored(steps["clear"].out)
    assert filled.keys() == cleared.keys()
    for name in filled:
        if name != "xl/styles.xml":  # keeps the formats marking added (no index changes)
            assert cleared[name] == filled[name], name
    with zipfile.ZipFile(steps["fill"].out) as a, zipfile.ZipFile(steps["clear"].out) as b:
        old, new = ElementTree.fromstring(a.read("xl/styles.xml")), ElementTree.fromstring(b.read("xl/styles.xml"))
    for kind_ in ("fills", "fonts", "cellXfs", "cellStyleXfs", "borders"):
        before, after = list(old.find(f"{MAIN}{kind_}")), list(new.find(f"{MAIN}{kind_}"))
        assert [_canon(x) for x in after[:len(before)]] == [_canon(x) for x in before], kind_


def test_clearing_a_file_without_marks_changes_nothing(built, tmp_path):
    filled = built("xlsxwriter")["fill"].out
    out = jobs.clear_file(filled, tmp_path / "same.xlsx")
    assert stored(tmp_path / "same.xlsx") == stored(filled) and not out.cleared


def test_marking_twice_is_marking_once(built, tmp_path):
    marked = built("xlsxwriter")["mark"]
    again = run("mark", marked.out, tmp_path / "again.xlsx")
    first, second = stored(marked.out), stored(again.out)
    assert first.keys() == second.keys()
    for name in first:
        if name != "xl/styles.xml":
            assert first[name] == second[name], name


# --- (4) the reference: the same plans through openpyxl -----------------------------------------


def looks(path: Path) -> dict:
    book = openpyxl.load_workbook(path, rich_text=True)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in book.worksheets], "cells": {}}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                value = c.value
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                note = (c.comment.text, c.comment.author) if c.comment else None
                look = (str(value) if value is not None else None, dump_fill(c.fill), note)
                if look != (None, "none", None):
                    out["cells"][ws.title, c.coordinate] = look
    return out


@pytest.mark.parametrize("kind", ["openpyxl", "xlsxwriter"])
def test_openpyxl_surface_gives_the_same_result(built, kind, tmp_path):
    for job, step in built(kind).items():
        reference = OpenpyxlSurface(step.src)
        reference.apply(step.plan)
        reference.save(tmp_path / f"{job}.xlsx")
        expected, got = looks(tmp_path / f"{job}.xlsx"), looks(step.out)
        assert got["sheets"] == expected["sheets"], job
        assert got["cells"] == expected["cells"], job


def test_restyle_gives_the_named_style_as_openpyxl_does(tmp_path):
    raw = fx.example_file(tmp_path / "raw.xlsx")
    book = openpyxl.load_workbook(raw)
    book["表一"]["B38"].style = "bb-input"  # a total the accountant once typed
    book["表三"]["C7"].style = "bb-derived"  # a unit's figure shown as computed
    book.save(raw)
    for surface_type, out in ((PackageSurface, tmp_path / "p.xlsx"), (OpenpyxlSurface, tmp_path / "o.xlsx")):
        surface = surface_type(raw)
        plan = jobs.fill(read(surface)).plan
        plan.restyle("表三", "C7", "bb-derived", "bb-input")
        surface.apply(plan)
        surface.save(out)
    p, o = openpyxl.load_workbook(tmp_path / "p.xlsx"), openpyxl.load_workbook(tmp_path / "o.xlsx")
    for sheet, ref in (("表一", "B38"), ("表三", "C7"), ("表一", "B35")):
        assert p[sheet][ref].style == o[sheet][ref].style
        assert dump_fill(p[sheet][ref].fill) == dump_fill(o[sheet][ref].fill)
    assert p["表一"]["B38"].style == "bb-derived" and p["表三"]["C7"].style == "bb-input"


# --- (5) in LibreOffice ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(NO_OFFICE, reason="LibreOffice (soffice) 未安装")
@pytest.mark.parametrize("kind", ["xlsxwriter", "xlsm"])
def test_libreoffice_opens_and_recalculates_the_results(built, kind, tmp_path):
    steps = built(kind)
    for job, step in steps.items():
        (tmp_path / job).mkdir()
        again = office.recalculate(step.out, tmp_path / job / f"again{step.out.suffix}")
        book = openpyxl.load_workbook(again, data_only=True)
        for sheet, values in steps["fill"].plan.values.items():
            for ref, value in values.items():
                assert book[sheet][ref].value == pytest.approx(float(value)), (job, sheet, ref)
        assert book["表一"]["F2"].value == pytest.approx(899.2)  # =B38, recalculated
        assert book["表六"]["H9"].value == pytest.approx(float(book["表六"]["C9"].value or 0)
                                                          + float(book["表六"]["D9"].value or 0))
        if job == "mark":
            assert "校验结果" in book.sheetnames


def test_in_place_fill_through_the_command_line(built, tmp_path):
    from test_cli import bb

    path = Path(shutil.copy(built("xlsxwriter")["fill"].src, tmp_path / "部门.xlsx"))
    before = stored(path)
    result = bb("fill", path, "--in-place", "--quiet")
    assert result.returncode == 0, result.stderr
    after = stored(path)
    assert after["xl/media/image1.png"] == before["xl/media/image1.png"]
    assert "open and save" not in result.stdout and "保存一次" not in result.stdout


# --- (6) reading: the same looks as the openpyxl surface ---------------------------------------


@pytest.mark.parametrize("kind", ["openpyxl", "xlsxwriter"])
def test_looks_read_as_the_openpyxl_surface_reads_them(built, kind):
    marked = built(kind)["mark"].out
    ours, reference = PackageSurface(marked), OpenpyxlSurface(marked)
    assert ours.sheet_names() == reference.sheet_names()
    for ws in reference.book.worksheets:
        sheet = ws.title
        for (row, col), cell in list(ws._cells.items()):
            ref = cell.coordinate
            assert ours.exists(sheet, ref) == reference.exists(sheet, ref), (sheet, ref)
            assert ours.anchor(sheet, row, col) == reference.anchor(sheet, row, col)
            if not reference.exists(sheet, ref):
                continue  # inside a merged range: openpyxl keeps no look there
            assert ours.fill(sheet, ref) == reference.fill(sheet, ref), (sheet, ref)
            mine, theirs = ours.note(sheet, ref), reference.note(sheet, ref)
            assert (mine and (mine.text, mine.author)) == (theirs and (theirs.text, theirs.author)), (sheet, ref)
            value, expected = ours.value(sheet, ref), reference.value(sheet, ref)
            if isinstance(expected, (int, float)) and not isinstance(expected, bool):
                assert value == pytest.approx(expected), (sheet, ref)
            elif expected is not None:
                assert fingerprint(value) == fingerprint(expected), (sheet, ref)  # as the marks compare them
    found = {(s, a, n.text) for s, a, n in ours.notes_with(marks.MARKER)}  # every note of ours
    assert found == {(s, a, n.text) for s, a, n in reference.notes_with(marks.MARKER)} and found


def test_a_formula_without_a_saved_result_reads_as_its_text(tmp_path):
    raw = fx.example_file(tmp_path / "raw.xlsx")
    book = openpyxl.load_workbook(raw)
    book["表二"]["B5"] = "=800+99.2"  # written by a program: no result saved with it
    book["表六"]["H8"] = "=SUM(C8:D8)"
    book.save(raw)
    part = fx.sheet_part(raw, "表六")
    shared = fx.edit_part(raw, tmp_path / "shared.xlsx", part, lambda x: x.replace(
        b"<f>SUM(C8:D8)</f>", b'<f t="shared" ref="H8:H9" si="0">SUM(C8:D8)</f>').replace(
        b'<c r="H8"', b'<c r="H9"><f t="shared" si="0"/></c><c r="H8"', 0))
    surface = PackageSurface(raw)
    assert surface.rows("表二")[4][1] == "=800+99.2" == OpenpyxlSurface(raw).rows("表二")[4][1]
    assert surface.value("表二", "B5") == "=800+99.2"
    with pytest.raises(Exception, match="表二!B5 是公式“=800\\+99.2”，但工作簿中没有保存它的计算结果"):
        jobs.fill_file(raw, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
    assert PackageSurface(shared).value("表六", "H8") == "=SUM(C8:D8)"


def test_notes_join_a_drawing_that_holds_a_form_control(tmp_path):
    """A sheet whose VML drawing holds a button but no notes: marking adds the comments part and its
    note shapes to that same drawing (one legacy drawing per sheet), clearing takes them out."""
    import xlsxwriter

    path = tmp_path / "button.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("表一")
    ws.write("A1", "标题")
    ws.write_number("B3", 12.5)
    ws.insert_button("D2", {"caption": "运行", "macro": "run"})
    book.close()
    from workbook.plan import Note, Plan

    plan = Plan()
    plan.set_fill("表一", "B3", "FFC7CE")
    plan.set_note("表一", "B3", Note("[X] 示例\n〔budgetbook 标记 abcdef-1〕", "budgetbook", 200, 60))
    surface = PackageSurface(path)
    surface.apply(plan)
    surface.save(tmp_path / "marked.xlsx")
    with zipfile.ZipFile(tmp_path / "marked.xlsx") as archive:
        names = archive.namelist()
        vml = archive.read(next(n for n in names if n.endswith(".vml")))
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert sum(n.endswith(".vml") for n in names) == 1 and any(n.startswith("xl/comments") for n in names)
    assert b'ObjectType="Button"' in vml and b'ObjectType="Note"' in vml
    assert sheet.count(b"legacyDrawing") == 1
    assert openpyxl.load_workbook(tmp_path / "marked.xlsx")["表一"]["B3"].comment.text.startswith("[X] 示例")
    undo = Plan()
    undo.set_fill("表一", "B3", "none")
    undo.set_note("表一", "B3", None)
    surface = PackageSurface(tmp_path / "marked.xlsx")
    surface.apply(undo)
    surface.save(tmp_path / "cleared.xlsx")
    assert stored(tmp_path / "cleared.xlsx").keys() == stored(path).keys()
    for name, raw in stored(path).items():
        if name != "xl/styles.xml":
            assert stored(tmp_path / "cleared.xlsx")[name] == raw, name
