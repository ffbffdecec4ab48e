"""workbook.office against the real LibreOffice and poppler (each soffice call costs about 2 s)."""

import random
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook import office
from workbook.errors import BudgetbookError
from conftest import pdf_fonts
from workbook.office import convert, find_soffice, pdf_text, recalculate, to_pdf

pytestmark = pytest.mark.slow  # LibreOffice: seconds per call

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason=f"LibreOffice (soffice) 未安装，请运行 {office.INSTALL_HINT} poppler-utils",
)

TITLE = "收入支出决算总表"


def make_book(path: Path, stale_value: int | None = None) -> Path:
    """表一 holds numbers, 表二!A1 sums them. stale_value plants a wrong cached result, as a
    workbook saved by Excel before an edit would carry."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表一"
    ws["A1"] = TITLE
    ws["B2"], ws["B3"] = 1200.5, 300
    wb.create_sheet("表二")["A1"] = "=表一!B2+表一!B3"
    wb.save(path)
    if stale_value is not None:  # openpyxl cannot write cached values: patch the XML
        with zipfile.ZipFile(path) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(
            b"<v />", f"<v>{stale_value}</v>".encode()
        )
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def make_corrupt(path: Path) -> Path:
    path.write_bytes(random.Random(0).randbytes(4000))
    return path


def assert_one_sentence(exc: pytest.ExceptionInfo, *parts: str) -> None:
    msg = str(exc.value)
    assert "\n" not in msg and msg.endswith("。"), msg
    for part in parts:
        assert part in msg, msg


@needs_soffice
def test_recalculate_replaces_stale_cached_value(tmp_path):
    src = make_book(tmp_path / "预算.xlsx", stale_value=999)
    out = recalculate(src, tmp_path / "算好.xlsx")
    assert out == tmp_path / "算好.xlsx"
    assert openpyxl.load_workbook(out, data_only=True)["表二"]["A1"].value == 1500.5


@needs_soffice
def test_to_pdf_embeds_cjk_font_and_keeps_chinese_text(tmp_path):
    pdf = to_pdf(make_book(tmp_path / "预算.xlsx"), tmp_path / "公开.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if re.search(r"wenquanyi|wqy|cjk|sourcehan", f["name"], re.I)]
    assert cjk and all(f["emb"] for f in cjk), fonts
    assert TITLE in pdf_text(pdf)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".xlsx"] == ["公开.pdf"]


@needs_soffice
def test_convert_several_files_in_one_call(tmp_path):
    books = [make_book(tmp_path / f"{name}.xlsx") for name in ("甲", "乙", "丙")]
    (tmp_path / "pdf").mkdir()
    outs = convert(books, "pdf", tmp_path / "pdf")
    assert outs == [tmp_path / "pdf" / f"{name}.pdf" for name in ("甲", "乙", "丙")]
    assert all(p.stat().st_size > 0 for p in outs)


@needs_soffice
def test_corrupt_input_names_the_file_and_leaves_no_output(tmp_path):
    good = make_book(tmp_path / "好.xlsx")
    bad = make_corrupt(tmp_path / "坏.xlsx")
    (tmp_path / "out").mkdir()
    with pytest.raises(BudgetbookError) as exc:
        convert([good, bad], "pdf", tmp_path / "out")
    assert_one_sentence(exc, str(bad), "PDF")
    assert str(good) not in str(exc.value)
    assert list((tmp_path / "out").iterdir()) == []


@needs_soffice
def test_unusable_output_location(tmp_path):
    book = make_book(tmp_path / "预算.xlsx")
    # Caught before soffice runs.
    with pytest.raises(BudgetbookError) as exc:
        convert([book], "pdf", tmp_path / "没有这个文件夹")
    assert_one_sentence(exc, str(book), "没有这个文件夹")
    with pytest.raises(BudgetbookError) as exc:
        to_pdf(book, tmp_path / "预算.xlsx" / "x.pdf")  # parent is a file
    assert_one_sentence(exc, str(book))
    # Caught only when the result is put in place: the target is a folder.
    (tmp_path / "占用.pdf").mkdir()
    with pytest.raises(BudgetbookError) as exc:
        to_pdf(book, tmp_path / "占用.pdf")
    assert_one_sentence(exc, str(book), "占用.pdf")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@needs_soffice
def test_timeout_kills_soffice(tmp_path):
    started = time.monotonic()
    with pytest.raises(BudgetbookError) as exc:
        convert([make_book(tmp_path / "预算.xlsx")], "pdf", tmp_path, timeout=0.3)
    assert_one_sentence(exc, "预算.xlsx", "0.3")
    assert time.monotonic() - started < 10  # would hang if soffice.bin outlived the wrapper
    assert not list(tmp_path.glob("*.pdf"))


def test_missing_tools_say_how_to_install(tmp_path, monkeypatch):
    book = make_book(tmp_path / "预算.xlsx")
    monkeypatch.setenv("BUDGETBOOK_SOFFICE", str(tmp_path / "no" / "soffice"))
    assert find_soffice() is None
    with pytest.raises(BudgetbookError) as exc:
        to_pdf(book, tmp_path / "a.pdf")
    assert_one_sentence(exc, str(book), "apt-get install", "BUDGETBOOK_SOFFICE")

    monkeypatch.delenv("BUDGETBOOK_SOFFICE")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_soffice() is None
    with pytest.raises(BudgetbookError) as exc:
        recalculate(book, tmp_path / "b.xlsx")
    assert_one_sentence(exc, str(book), "apt-get install -y --no-install-recommends libreoffice-calc")
    with pytest.raises(BudgetbookError) as exc:
        pdf_text(tmp_path / "a.pdf")
    assert_one_sentence(exc, "poppler-utils")
    assert not list(tmp_path.glob("[ab].*"))
