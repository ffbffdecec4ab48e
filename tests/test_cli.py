"""The command line as a user meets it: exit status, one-sentence errors, nothing lost."""
from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest


def bb(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


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
