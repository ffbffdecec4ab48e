"""`budgetbook check` and `budgetbook rules` as a user and a finance bureau run them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import openpyxl

from conftest import run_cli

SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "findings.schema.json").read_text("utf-8"))


def bb(*args):
    """The command line, run in this process (see conftest.run_cli)."""
    return run_cli(*args)


def _spoil(path: Path) -> Path:
    book = openpyxl.load_workbook(path)
    book["表六"]["D9"] = 600  # 2010301 基本支出: 表六 no longer adds up, nor agrees with 表七
    book.save(path)
    return path


def test_json_output_validates_and_exit_status_is_1_on_errors(filled_xlsx):
    result = bb("check", _spoil(filled_xlsx), "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    jsonschema.validate(findings, SCHEMA)
    assert any(f["rule"] == "T6.rollup" and f["sheet"] == "表六" and f["cell"] == "D8" for f in findings)


def test_text_output_groups_by_table(filled_xlsx):
    result = bb("check", _spoil(filled_xlsx))
    lines = result.stdout.splitlines()
    assert "表六" in lines and any("T6.rollup" in line and "表六!D8" in line for line in lines)
    assert "错误" in lines[0]


def test_exit_status_0_without_errors(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表十二"]["D32"] = 45  # the first project's 当年财政拨款: the projects now add up to 233.00
    book.save(filled_xlsx)
    assert bb("fill", filled_xlsx, "--in-place").returncode == 0
    result = bb("check", filled_xlsx, "--format", "json")
    assert all(f["severity"] != "error" for f in json.loads(result.stdout))
    assert result.returncode == 0


def test_blank_template_is_not_a_clean_disclosure(tmp_path):
    path = tmp_path / "t.xlsx"
    assert bb("new", path, "--dept", "临夏市财政局", "--year", "2025").returncode == 0
    assert bb("fill", path, "--in-place").returncode == 0
    result = bb("check", path, "--format", "json")
    findings = json.loads(result.stdout)
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["F.no-data"]
    assert not [f for f in findings if f["rule"] == "F.empty-note"]  # one finding, not one per table
    assert result.returncode == 1


def test_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not excel")
    result = bb("check", bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr and str(bad) in result.stderr


def test_folder_of_workbooks_is_checked_at_once(filled_xlsx, tmp_path):
    folder = tmp_path / "各部门"
    folder.mkdir()
    shutil.copy(filled_xlsx, folder / "甲.xlsx")
    _spoil(Path(shutil.copy(filled_xlsx, folder / "乙.xlsx")))
    (folder / "丙.xlsx").write_text("broken")
    result = bb("check", folder, "--format", "json")
    assert result.returncode == 2  # one workbook could not be read
    files = {Path(f["file"]).name for f in json.loads(result.stdout) if f["rule"] == "T6.rollup"}
    assert files == {"乙.xlsx"} and "丙.xlsx" in result.stderr


def test_rules_catalogue_one_rule_a_line():
    lines = bb("rules").stdout.splitlines()
    assert len(lines) >= 45
    ids = [line.split()[0] for line in lines]
    assert len(set(ids)) == len(ids)
    assert all(line.split()[1] in ("error", "warning", "info") for line in lines)


def test_docs_rules_md_lists_the_current_catalogue():
    doc = (Path(__file__).parent.parent / "docs" / "rules.md").read_text("utf-8")
    assert doc.strip() == bb("rules", "--markdown").stdout.strip(), "regenerate: budgetbook rules --markdown"


def test_command_line_reader_finds_what_the_openpyxl_reader_finds(filled_xlsx, baseline):
    # the command line reads with python-calamine; the library default is openpyxl
    result = bb("check", filled_xlsx, "--format", "json")
    assert sorted((f["rule"], f["sheet"], f["cell"]) for f in json.loads(result.stdout)) == \
        sorted((f.rule, f.sheet, f.cell) for f in baseline.findings)


def test_formula_without_a_saved_result_is_not_read_as_blank(filled_xlsx):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"]["B5"] = "=800+99.2"  # written by a program: no result saved with it
    book.save(filled_xlsx)
    findings = json.loads(bb("check", filled_xlsx, "--format", "json").stdout)
    assert any(f["rule"] == "F.not-number" and f["sheet"] == "表二" and f["cell"] == "B5" for f in findings)
