"""`budgetbook check` and `budgetbook rules` as a user and a finance bureau run them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import openpyxl
import pytest

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
    *lines, note = bb("rules").stdout.splitlines()
    assert len(lines) >= 45 and "尾差" in note
    ids = [line.split()[0] for line in lines]
    assert len(set(ids)) == len(ids)
    assert all(line.split()[1][:2] in ("错误", "警告", "提示") for line in lines)


def test_rules_lists_the_severities_findings_carry():
    """One source: the listing says what a rule's findings are (P.cost-cap's loose cap is 提示,
    N.direction's 持平 written as 增加 0 is 警告), and a finding of another severity cannot be made."""
    listed = {line.split()[0]: line.split()[1] for line in bb("rules").stdout.splitlines()[:-1]}
    assert listed["P.cost-cap"] == "警告（上限超过年度资金总额两倍时为提示）"
    assert listed["N.direction"] == "错误（与上年相同却写“增加0万元”时为警告）"
    assert listed["T3.units"] == "错误"
    from workbook.checks.base import Place, Rule

    class Loose(Rule):
        id, title, severity, tables, template = "X.loose", "x", "warning", (), "{actual}"

    with pytest.raises(ValueError):
        Loose().finding([Place("表一", "A1")], severity="info", actual="1")
    assert Loose().finding([], severity="warning", actual="1").severity == "warning"


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
