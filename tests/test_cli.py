"""The command line as a user meets it: exit status, one-sentence errors, nothing lost."""
from __future__ import annotations


import openpyxl

from conftest import run_cli
import pytest


def bb(*args):
    """The command line, run in this process (see conftest.run_cli)."""
    return run_cli(*args)


def test_example_then_fill_reports_changed_cells(tmp_path):
    assert bb("example", tmp_path / "ex.xlsx").returncode == 0
    result = bb("fill", tmp_path / "ex.xlsx", "-o", tmp_path / "filled.xlsx")
    assert result.returncode == 0, result.stderr
    assert "表九!C5: 空 → 271.96" in result.stdout
    assert "表一!B38: 空 → 899.20" in result.stdout
    again = bb("fill", tmp_path / "filled.xlsx", "--in-place")
    assert again.returncode == 0 and "未改动任何单元格" in again.stdout


@pytest.mark.parametrize("content", [b"hello", b"PK\x03\x04\x00\x00garbage"])
def test_unreadable_input_exits_2_without_traceback_or_output(tmp_path, content):
    bad = tmp_path / "部门预算.xlsx"
    bad.write_bytes(content)
    result = bb("fill", bad, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and str(bad) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.xlsx").exists() and bad.read_bytes() == content


def test_workbook_without_the_tables(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "工资表"
    book.save(path)
    result = bb("fill", path, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2 and "没有找到部门预算公开表" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_text_in_a_money_cell_names_the_cell(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    book = openpyxl.load_workbook(tmp_path / "ex.xlsx")
    book["表二"]["B5"] = "八百九十九"
    book.save(tmp_path / "ex.xlsx")
    before = (tmp_path / "ex.xlsx").read_bytes()
    result = bb("fill", tmp_path / "ex.xlsx", "--in-place")
    assert result.returncode == 2 and "表二!B5" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "ex.xlsx").read_bytes() == before


def test_output_must_not_be_the_input_or_an_existing_file(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    same = bb("fill", tmp_path / "ex.xlsx", "-o", tmp_path / "ex.xlsx")
    assert same.returncode == 2 and "--in-place" in same.stderr
    (tmp_path / "mine.xlsx").write_bytes(b"user data")
    clash = bb("fill", tmp_path / "ex.xlsx", "-o", tmp_path / "mine.xlsx")
    assert clash.returncode == 2 and (tmp_path / "mine.xlsx").read_bytes() == b"user data"


def test_output_folder_missing(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    result = bb("fill", tmp_path / "ex.xlsx", "-o", tmp_path / "nope" / "out.xlsx")
    assert result.returncode == 2 and "不存在" in result.stderr


def test_huge_amount_is_checked_not_crashed(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    bb("fill", tmp_path / "ex.xlsx", "--in-place")
    book = openpyxl.load_workbook(tmp_path / "ex.xlsx")
    book["表二"]["B5"] = 1e30
    book.save(tmp_path / "ex.xlsx")
    result = bb("check", tmp_path / "ex.xlsx")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "表二!B5" in result.stdout
    book["表二"]["B5"] = "1" + "0" * 70  # typed as text
    book.save(tmp_path / "ex.xlsx")
    result = bb("check", tmp_path / "ex.xlsx")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "表二!B5" in result.stdout


def test_macro_workbook_is_not_written_as_xlsx(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    macro = tmp_path / "宏.xlsm"
    macro.write_bytes((tmp_path / "ex.xlsx").read_bytes())
    result = bb("fill", macro, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2 and ".xlsm" in result.stderr and not (tmp_path / "out.xlsx").exists()


def test_in_place_through_a_link_keeps_the_link_and_permissions(tmp_path):
    import os

    bb("example", tmp_path / "ex.xlsx")
    os.chmod(tmp_path / "ex.xlsx", 0o640)
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "ex.xlsx")
    assert bb("fill", tmp_path / "link.xlsx", "--in-place", "-q").returncode == 0
    assert (tmp_path / "link.xlsx").is_symlink()
    assert openpyxl.load_workbook(tmp_path / "ex.xlsx")["表九"]["C5"].value == 271.96
    assert os.stat(tmp_path / "ex.xlsx").st_mode & 0o777 == 0o640


def test_read_only_workbook_is_not_replaced(tmp_path):
    import os

    bb("example", tmp_path / "ex.xlsx")
    os.chmod(tmp_path / "ex.xlsx", 0o444)
    before = (tmp_path / "ex.xlsx").read_bytes()
    result = bb("fill", tmp_path / "ex.xlsx", "--in-place")
    assert result.returncode == 2 and "只读" in result.stderr
    assert (tmp_path / "ex.xlsx").read_bytes() == before


def test_fill_says_when_table_one_lines_become_typed(tmp_path):
    bb("example", tmp_path / "ex.xlsx")
    book = openpyxl.load_workbook(tmp_path / "ex.xlsx")
    book["表二"]["B9"] = 50  # 五、事业收入
    book.save(tmp_path / "ex.xlsx")
    result = bb("fill", tmp_path / "ex.xlsx", "--in-place", "-q")
    assert result.returncode == 0 and "已改为手填" in result.stdout
    ws = openpyxl.load_workbook(tmp_path / "ex.xlsx")["表一"]
    assert ws["D5"].style == "bb-input" and not ws["D5"].protection.locked
    assert ws["D35"].style == "bb-derived"  # 本年支出合计 is still computed
