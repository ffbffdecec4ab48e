"""The command line speaks Chinese and forgives Chinese typing (issue 8, point 5); in-process."""
from __future__ import annotations

import re
import subprocess
import sys

import openpyxl
import pytest

from workbook.cli import main, parser
from workbook.commands.parser import width


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("budgetbook ")


def test_usage_and_errors_are_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        main(["fill"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.startswith("用法：budgetbook fill") and "错误：缺少必需的参数" in err and "usage" not in err
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "显示本帮助并退出" in out and "退出状态" in out


def _actions(p):
    for action in p._actions:
        yield p, action
        if isinstance(action.choices, dict):  # the subcommands
            for sub in action.choices.values():
                yield from _actions(sub)


def test_every_argument_says_what_it_is_for():
    silent = [(p.prog, a.dest) for p, a in _actions(parser()) if not a.help and a.dest != "command"]
    assert not silent


def test_every_value_is_named_in_chinese_in_help():
    """What --help shows for a value (out, input, OUT, CATALOG …) is a Chinese word; only values
    typed as listed ({text,json}) stay as they are typed."""
    english = []
    for p, action in _actions(parser()):
        if action.nargs == 0 or action.choices is not None:
            continue
        shown = action.metavar or action.dest
        if not re.search(r"[\u4e00-\u9fff]", shown):
            english.append((p.prog, shown))
    assert english == []
    for p, _ in _actions(parser()):
        text = p.format_help()
        assert not re.search(r"^\S[^:：\n]*:$", text, re.M), f"{p.prog}: a heading ends with ':'"
        columns = {len(line) - len(line.lstrip()) + width(line.strip().split("  ")[0])
                   for line in text.splitlines() if re.match(r"^  -", line) and "  " in line.strip()}
        assert all(c <= 24 for c in columns), f"{p.prog}: help columns {columns}"


@pytest.mark.parametrize("year", ["24", "二〇二五", "20255", "1850"])
def test_year_must_be_four_digits(tmp_path, capsys, year):
    with pytest.raises(SystemExit) as done:
        main(["new", str(tmp_path / "x.xlsx"), "--dept", "某局", "--year", year])
    assert done.value.code == 2 and "年度应为四位数字" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_units_take_chinese_separators(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["new", str(out), "--dept", "某县教育局", "--year", "2025",
                 "--units", "某县教育局机关，某县第一中学、某县实验小学;某县教师培训中心"]) == 0
    names = [c.value for c in openpyxl.load_workbook(out)["表三"]["A"][6:10]]
    assert names == ["某县教育局机关", "某县第一中学", "某县实验小学", "某县教师培训中心"]


def test_a_closed_pipe_ends_quietly():
    run = subprocess.run(f"{sys.executable} -m workbook.cli rules | head -1", shell=True, capture_output=True,
                         text=True)
    assert run.stdout.count("\n") == 1 and run.stderr == ""


def test_fill_warns_about_replaced_figures_even_when_quiet(filled_xlsx, capsys):
    book = openpyxl.load_workbook(filled_xlsx)
    book["表三"]["C6"] = 600  # typed over the department row's 基本支出 (a grey cell)
    book.save(filled_xlsx)
    assert main(["fill", str(filled_xlsx), "--in-place", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "表三!C6：600.00 → 666.20" in out and "手工填写" in out


def test_findings_are_grouped_by_sheet_with_rule_titles(filled_xlsx, capsys):
    assert main(["check", str(filled_xlsx)]) == 1
    out = capsys.readouterr().out
    assert "\n表三\n  [错误] P.projects-total（各项目年度资金总额（不含上年结转资金）之和等于项目支出" in out
