"""The ribbon on desktop Excel without Excel: xlwings' own Windows code over a counting stand-in
of Excel's COM objects (tests/xldesktop.py). Each path the handlers take is checked against the
xlwings code that issues it (the COM members it names), and the handlers' results against the
command line's on files; the counts must not grow with the rows of a department."""
from __future__ import annotations

import inspect

import openpyxl
import pytest

from departments import scaled
from macros_py import handlers
from workbook import jobs, spec
from workbook.grid import save_atomic
from xldesktop import calls_of, desktop_book, sheet_of, xlwindows

TABLES = tuple(t.sheet for t in spec.TABLES)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desktop")
    out = {}
    for n in (1, 10):
        raw, filled = folder / f"dept{n}.xlsx", folder / f"filled{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), raw)
        jobs.fill_file(raw, filled)
        out[n] = raw, filled
    return out


def _source(cls: str, member: str) -> str:
    owner = getattr(xlwindows(), cls)
    attr = inspect.getattr_static(owner, member)
    return inspect.getsource(attr.fset if isinstance(attr, property) and attr.fset else
                             attr.fget if isinstance(attr, property) else attr)


def _calls(book, kind=None):
    return [f"{owner}.{member}" for k, owner, member in calls_of(book) if kind in (None, k)]


def test_the_stand_in_mirrors_the_xlwings_paths_it_counts():
    # value write, colour, note, merge area and sheet reads as xlwings' Windows code issues them
    assert "self.xl.Value = data" in _source("Range", "raw_value")
    assert "self.xl.Interior.Color = " in _source("Range", "color")
    assert "self.xl.AddComment(text)" in _source("Range", "add_note")
    assert "self.xl.MergeArea" in _source("Range", "merge_area")
    assert "self.xl.Text()" in inspect.getsource(xlwindows().Note.text.fget)
    assert "self.xl(name_or_index)" in _source("Sheets", "__call__")


def test_value_write_is_one_range_and_one_value(files):
    book = desktop_book(files[1][0])
    ws = book.sheets["表一"]
    with pytest.raises(Exception, match="受保护"):  # the template's protection refuses a write to totals
        ws.range("B6:C7").value = [[1, 2], [3, 4]]
    ws.api.Unprotect()
    calls_of(book).clear()
    ws.api.Range("B6:C7").Value = [[1, 2], [3, 4]]  # as the surface writes a block
    assert _calls(book) == ["Worksheet.Range", "Range.Value"]
    assert sheet_of(book, "表一").values[7, 3] == 4.0


def test_colour_is_range_interior_color(files):
    book = desktop_book(files[1][0])
    ws = book.sheets["表一"]
    ws.api.Unprotect()
    calls_of(book).clear()
    ws.range("B6,D8").color = "#FFC7CE"
    assert _calls(book) == ["Worksheet.Range", "Range.Interior", "Interior.Color"]
    assert sheet_of(book, "表一").fills[8, 4] == "FFC7CE"


def test_fill_through_desktop_excel_writes_what_fill_writes_to_the_file(files, tmp_path):
    raw, _ = files[1]
    book = desktop_book(raw)
    message = handlers.press("fill", book)
    expected = jobs.fill_file(raw, tmp_path / "filled.xlsx")
    assert message == expected.summary()
    filled = openpyxl.load_workbook(tmp_path / "filled.xlsx")
    for name in TABLES:
        sheet = sheet_of(book, name)
        want = {(c.row, c.column): c.value for row in filled[name].iter_rows() for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}
        got = {at: v for at, v in sheet.values.items() if isinstance(v, float)}
        assert {at: round(float(v), 2) for at, v in want.items()} == {at: round(v, 2) for at, v in got.items()}, name
        assert sheet.protection is not None  # the template's protection put back


def test_style_changes_only_where_the_old_style_is_and_is_read_by_ranges(files):
    raw, _ = files[1]
    book = desktop_book(raw)
    table = sheet_of(book, "表六")
    derived = [at for at, style in table.styles.items() if style == "bb-derived"]
    table.styles[derived[0]] = "bb-input"  # a typed row that became a roll-up
    handlers.press("fill", book)
    assert table.styles[derived[0]] == "bb-derived"
    restyled = sum(1 for name in TABLES for style in sheet_of(book, name).styles.values() if style == "bb-derived")
    reads = _calls(book, "get").count("Range.Style")
    assert reads < restyled / 8, (reads, restyled)  # by union ranges, not cell by cell


def test_check_and_mark_colours_notes_and_links_as_the_file_gets(files, tmp_path):
    _, filled = files[1]
    marked = jobs.check_and_mark_file(filled, tmp_path / "marked.xlsx")
    book = desktop_book(filled)
    assert handlers.press("check", book) == marked.summary()
    file = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    for name in TABLES:
        want_notes = {(c.row, c.column): _visible(c.comment.text) for row in file[name].iter_rows() for c in row
                      if c.comment}
        sheet = sheet_of(book, name)
        # the invisible token differs: it digests the originals, which a file records as fill XML
        assert {at: _visible(note.text) for at, note in sheet.comments.items()} == want_notes, name
        assert all(note.size[1] for note in sheet.comments.values())  # every note sized
        want_fills = {(c.row, c.column) for row in file[name].iter_rows() for c in row
                      if c.fill.patternType == "solid" and c.fill.fgColor.rgb[-6:] in ("FFC7CE", "FFEB9C")}
        assert {at for at, f in sheet.fills.items() if f in ("FFC7CE", "FFEB9C")} == want_fills, name
    results = sheet_of(book, "校验结果")
    assert results.links and all(where.startswith("'") or "!" in where for where in results.links.values())
    # clearing through desktop Excel takes every mark off again
    handlers.press("clear", book)
    assert not any(sheet_of(book, n).comments for n in TABLES)


def _visible(text: str) -> str:
    return text.translate({0x200B: None, 0x200C: None, 0x2060: None})


def test_merge_area_is_read_only_where_a_marked_cell_is_merged(files):
    from macros_py.surface import XlwingsSurface

    book = desktop_book(files[1][1])
    sheet = sheet_of(book, "表一")
    left, top, right, bottom = next((m for m in sheet.merges if m[3] > m[1] or m[2] > m[0]))
    surface = XlwingsSurface(book)
    inside = f"{chr(64 + right)}{bottom}"
    surface.prefetch("表一", [inside, "B8", "C9"])
    assert surface.anchor("表一", bottom, right) == (top, left)
    assert surface.anchor("表一", 8, 2) == (8, 2)
    assert _calls(book).count("Range.MergeArea") == 1


def test_desktop_calls_do_not_grow_with_rows(files):
    counts = {}
    for n, (raw, filled) in files.items():
        fill, mark = desktop_book(raw), desktop_book(filled)
        handlers.press("fill", fill)
        handlers.press("check", mark)
        counts[n] = len(calls_of(fill)), len(calls_of(mark))
    assert counts[1] == counts[10], counts


def test_a_sheet_protected_with_a_password_is_named_and_nothing_is_written(files, tmp_path):
    raw, _ = files[1]
    book = openpyxl.load_workbook(raw)
    book["表六"].protection.password = "口令"
    locked = tmp_path / "口令.xlsx"
    book.save(locked)
    excel = desktop_book(locked)
    message = handlers.press("fill", excel)
    assert "工作表“表六”设有密码保护" in message and "内部出错" not in message
    written = [call for call in calls_of(excel) if call[0] == "set" and call[2] in ("Value", "Style", "Color")]
    assert not written
    # the sheets unprotected before 表六 was met have their protection back
    assert all(sheet_of(excel, name).protection is not None for name in TABLES)


def test_the_users_own_protection_options_come_back_exactly(files, tmp_path):
    raw, _ = files[1]
    book = openpyxl.load_workbook(raw)
    guard = book["表三"].protection  # the user's choices, not the template's
    guard.sort, guard.autoFilter, guard.formatCells, guard.insertRows, guard.deleteRows = False, False, False, True, True
    mine = tmp_path / "自己的保护.xlsx"
    book.save(mine)
    excel = desktop_book(mine)
    before = {name: dict(sheet_of(excel, name).protection) for name in TABLES}
    assert before["表三"]["AllowSorting"] and not before["表三"]["AllowInsertingRows"]
    assert "已填写" in handlers.press("fill", excel)
    assert {name: sheet_of(excel, name).protection for name in TABLES} == before
    # the options were read through Worksheet.Protection (xlwings has no API for them)
    assert ("get", "Protection", "AllowSorting") in calls_of(excel)


def test_a_new_template_opens_in_front_of_the_workbook(files, tmp_path):
    _, filled = files[1]
    here = tmp_path / "本年.xlsx"
    here.write_bytes(filled.read_bytes())
    excel = desktop_book(here)
    message = handlers.press("new", excel)
    app = excel.impl.xl._inner._excel.application
    [opened] = app.opened
    assert opened in message and __import__("pathlib").Path(opened).parent == tmp_path
    assert app.ActiveWorkbook.FullName == opened  # in front, not behind the workbook pressed in


def test_a_workbook_never_saved_gets_no_template_in_the_home_folder(files, tmp_path, monkeypatch):
    _, filled = files[1]
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    excel = desktop_book(filled)
    excel.impl.xl._inner.meta.update({"FullName": "工作簿1", "Name": "工作簿1"})  # as Excel names a new one
    message = handlers.press("new", excel)
    assert message == "工作簿“工作簿1”还没有保存到磁盘，新文件要放在它所在的文件夹：请先保存（Ctrl+S），再按此按钮。"
    assert not any((tmp_path / "home").iterdir()) and not excel.impl.xl._inner._excel.application.opened
