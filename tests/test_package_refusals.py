"""What the patcher cannot change safely it refuses: one Chinese sentence naming the file, the sheet
and the cell, exit status 2, and nothing written (no output, the input byte for byte as it was).
Never a fallback to a lossy save."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

import package_fixtures as fx
from test_cli import bb
from workbook import jobs
from workbook.errors import BudgetbookError


@pytest.fixture(scope="module")
def rich_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("refusals")
    raw = fx.rich(folder / "raw.xlsx")
    filled = folder / "filled.xlsx"
    jobs.fill_file(raw, filled)
    return raw, filled


def refused(job: str, src: Path, *match: str) -> str:
    """Run `job` through the command line; assert the refusal and that nothing was written."""
    before = src.read_bytes()
    out = src.with_name("out" + src.suffix)
    args = {"fill": ["fill", src, "-o", out], "mark": ["check", src, "--mark", out],
            "clear": ["clear", src, "-o", out]}[job]
    result = bb(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert str(src) in message, message
    for piece in match:
        assert piece in message, message
    assert not out.exists() and src.read_bytes() == before
    assert not [p for p in src.parent.iterdir() if p.name.startswith(".~")]  # no temporary file left
    return message


def xlsxwriter_example(path: Path, change) -> Path:
    """The example re-created with xlsxwriter, `change(workbook, sheets)` applied before closing."""
    import xlsxwriter

    source = fx.example_file(path.with_name("_source.xlsx"))
    model = openpyxl.load_workbook(source)
    book = xlsxwriter.Workbook(str(path))
    sheets = {}
    for ws in model.worksheets:
        out = sheets[ws.title] = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    out.write_string(cell.row - 1, cell.column - 1, cell.value)
                elif hasattr(cell.value, "year"):  # 基本情况's 落款日期
                    out.write_datetime(cell.row - 1, cell.column - 1, cell.value)
                elif cell.value is not None:
                    out.write_number(cell.row - 1, cell.column - 1, float(cell.value))
    change(book, sheets)
    book.close()
    return path


def test_a_formula_where_fill_writes_a_total(tmp_path):
    # 表一 B38 收入总计 typed as a formula whose saved result is stale: fill would overwrite it
    src = xlsxwriter_example(tmp_path / "formula.xlsx",
                             lambda book, s: s["表一"].write_formula("B38", "=B35+B36+B37", None, 0))
    refused("fill", src, "表一!B38", "公式")


def test_a_shared_formula_where_fill_writes_a_total(tmp_path):
    def change(book, s):
        s["表三"].write_formula("B6", "=C6+D6+E6", None, 899.2)
        s["表三"].write_formula("B7", "=C7+D7+E7", None, 0)

    src = xlsxwriter_example(tmp_path / "shared.xlsx", change)
    part = fx.sheet_part(src, "表三")

    def share(xml: bytes) -> bytes:  # as Excel writes a formula filled down
        return (xml.replace(b"<f>C6+D6+E6</f>", b'<f t="shared" ref="B6:B7" si="0">C6+D6+E6</f>')
                .replace(b"<f>C7+D7+E7</f>", b'<f t="shared" si="0"/>'))

    shared = fx.edit_part(src, tmp_path / "shared2.xlsx", part, share)
    assert b'si="0"/>' in zipfile.ZipFile(shared).read(part)
    refused("fill", shared, "表三!B7", "公式")


def test_a_total_inside_an_array_formula(tmp_path):
    # {=…} over 表一 D12:D14: D12's result is right, D14 (31.83) is not, and is no formula of its own
    src = xlsxwriter_example(tmp_path / "array.xlsx", lambda book, s: s["表一"].write_array_formula(
        "D12:D14", "{=表六!C8:C10*0+59.99}", None, 59.99))
    refused("fill", src, "表一!D14", "数组公式", "D12")


def test_a_total_inside_a_table(tmp_path):
    src = xlsxwriter_example(tmp_path / "table.xlsx", lambda book, s: s["表九"].add_table(
        "C6:D7", {"header_row": False, "autofilter": False, "name": "运行经费"}))
    refused("fill", src, "表九!C6", "表格", "运行经费")


def test_a_sheet_that_declares_entities(rich_files, tmp_path):
    raw, _ = rich_files
    part = fx.sheet_part(raw, "表一")

    def doctype(xml: bytes) -> bytes:
        head, sep, body = xml.partition(b"?>")
        return head + sep + b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body

    src = fx.edit_part(raw, tmp_path / "entities.xlsx", part, doctype)
    refused("fill", src, "表一")


def test_a_note_box_drawing_that_is_not_xml(rich_files, tmp_path):
    _, filled = rich_files
    with zipfile.ZipFile(filled) as archive:
        vml = next(n for n in archive.namelist() if n.endswith(".vml") and b"<x:Row>4</x:Row><x:Column>3</x:Column>" in archive.read(n))

    def html(data: bytes) -> bytes:  # Excel writes form-control captions with <br> in VML
        return data.replace(b'<div style="text-align:left"></div>', '<div style="text-align:left">说明<br></div>'.encode(), 1)

    src = fx.edit_part(filled, tmp_path / "vml.xlsx", vml, html)
    refused("mark", src, "表三!D5", "批注")


def test_a_threaded_comment_on_a_marked_cell(rich_files, tmp_path):
    _, filled = rich_files
    part = fx.sheet_part(filled, "表三")
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    thread = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments '
              b'xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
              b'<threadedComment ref="D5" dT="2024-03-01T08:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" '
              b'id="{00000000-0000-0000-0000-000000000002}"><text>please check</text></threadedComment></ThreadedComments>')
    with zipfile.ZipFile(filled) as archive:
        old = archive.read(rels)
    new_rels = old.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/'
                           b'office/2017/10/relationships/threadedComment" Target="../threadedComments/'
                           b'threadedComment1.xml"/></Relationships>')
    src = fx.add_part(filled, tmp_path / "threaded.xlsx",
                      {rels: new_rels, "xl/threadedComments/threadedComment1.xml": thread})
    refused("mark", src, "表三!D5", "对话")


def test_a_binary_workbook(tmp_path):
    src = tmp_path / "部门.xlsb"
    with zipfile.ZipFile(src, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
                         'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>')
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    before = src.read_bytes()
    with pytest.raises(BudgetbookError, match=r"只读写 \.xlsx 和 \.xlsm 工作簿"):
        jobs.fill_file(src, src)
    assert src.read_bytes() == before


def test_merged_total_keeps_its_sentence(tmp_path):
    src = xlsxwriter_example(tmp_path / "merged.xlsx", lambda book, s: s["表三"].merge_range("B6:C6", 899.2))
    refused("fill", src, "表三!C6 是合计单元格，但被合并在 B6:C6 中")
