"""budgetbook build: ledgers of every shape and spelling become 12 tables that check and fill clean;
bad ledgers get one finding each, naming file, row and column, and nothing is written."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests import ledgers
from workbook import catalog, jobs, spec
from workbook.cli import main
from workbook.grid import OpenpyxlGrid
from workbook.ledger import figures
from workbook.ledger.tail import SHEET as TAIL
from workbook.office import find_soffice, pdf_text, to_pdf
from workbook.reader import read

ASKED = "F.placeholder"  # 表十二's goals and indicators, left 【请填写】 for the accountant


def build(tmp_path: Path, lines, name="明细.xlsx", **options) -> tuple[Path, jobs.BuildResult]:
    src = ledgers.write(lines, tmp_path / name, **{k: v for k, v in options.items() if k in ("spelling", "encoding", "extra_rows", "title")})
    out = tmp_path / "公开表.xlsx"
    result = jobs.build_file([src], out, dept="某局", year=2025)
    return out, result


def problems(out: Path) -> list:
    """Every error and every arithmetic or cross-table finding of the built workbook, except the
    【请填写】 it leaves on purpose."""
    report = jobs.check(read(OpenpyxlGrid(out)))
    return [f for f in report.findings if f.rule != ASKED and
            (f.severity == "error" or f.rule.startswith(("T", "X")))]


@pytest.mark.parametrize("shape", ledgers.SHAPES)
def test_every_shape_builds_checks_and_fills_clean(tmp_path, shape):
    out, result = build(tmp_path, ledgers.department(shape, units=ledgers.units_of(shape, count=4), projects=5, seed=7))
    assert result.written == out and not result.errors
    assert problems(out) == []
    assert jobs.fill_file(out, tmp_path / "again.xlsx").changes == []


@pytest.mark.parametrize("spelling", tuple(ledgers.SPELLINGS))
@pytest.mark.parametrize("suffix,encoding", [(".xlsx", None), (".csv", "gbk"), (".csv", "utf-8-sig")])
def test_formats_and_column_spellings_give_the_same_tables(tmp_path, spelling, suffix, encoding):
    lines = ledgers.department("institutions", projects=3, seed=2)
    for folder in ("ref", "x"):
        (tmp_path / folder).mkdir()
    reference, _ = build(tmp_path / "ref", lines)
    options = {"spelling": spelling} | ({"encoding": encoding} if encoding else {})
    out, result = build(tmp_path / "x", lines, name=f"明细{suffix}", **options)
    assert not result.errors
    assert _tables(out) == _tables(reference)


def _tables(path: Path) -> dict:
    book = read(OpenpyxlGrid(path))
    return {(tid, row.key): dict(row.values) for tid, t in book.tables.items() for row in t.rows}


def test_the_tables_hold_the_ledger_figures(tmp_path):
    lines = [
        _line("甲局机关", "行政", "2010301", "30101", "一般公共预算", "人员经费", "", "1234567.89"),
        _line("甲局机关", "行政", "2080505", "30108", "一般公共预算", "人员经费", "", "100000.00"),
        _line("甲局机关", "行政", "2010301", "30215", "一般公共预算", "公用经费", "", "30000.00"),
        _line("甲局机关", "行政", "2010302", "30215", "一般公共预算", "项目支出", "会议保障", "20000.00"),
        _line("甲局中心", "事业", "2010350", "30201", "事业收入", "公用经费", "", "55500.00"),
        _line("甲局中心", "事业", "2010350", "30201", "一般公共预算", "公用经费", "", "10000.00"),
    ]
    out, result = build(tmp_path, lines)
    book = read(OpenpyxlGrid(out))
    t2, t3, t8 = book.tables["T2"], book.tables["T3"], book.tables["T8"]
    assert t2.row("in.general").values["amount"] == Decimal("139.46")  # 1,394,567.89 元
    assert t2.row("in.business").values["amount"] == Decimal("5.55")
    centre = next(r for r in t3.rows if r.label == "甲局中心")
    assert centre.values["basic"] == Decimal("6.55") and centre.texts["unit_type"] == "事业"
    assert t8.row("total").values["meeting"] == Decimal("5.00")  # 会议费 30215, 基本 and 项目
    t9 = book.tables["T9"]
    meeting = next(r for r in t9.rows if r.code == "30215")
    assert meeting.values["basic"] == Decimal("3.00")  # the 行政 unit's 基本支出 only
    office = next(r for r in t9.rows if r.code == "30201")
    assert office.values["basic"] == Decimal("0.00")  # the 事业 unit's 办公费 is not 机关运行经费
    assert [p.name for p in book.tables["T12"].projects] == ["会议保障"]
    assert problems(out) == []


def _line(unit, kind, func, econ, source, spend, project, yuan) -> dict[str, str]:
    return {"unit": unit, "unit_type": kind, "func_code": func, "func_name": catalog.functional(2025).name(func),
            "econ_code": econ, "econ_name": catalog.economic().name(econ), "source": source, "kind": spend,
            "project": project, "yuan": yuan}


# --- bad ledgers: one finding each, at its place ----------------------------------------------

GOOD = _line("甲局", "行政", "2010301", "30101", "一般公共预算", "人员经费", "", "10000.00")


def _bad(**change) -> dict[str, str]:
    return GOOD | change


BAD = {
    "negative": (_bad(yuan="-5.00"), "金额（元）", "金额为负数"),
    "blank unit": (_bad(unit=""), "单位名称", "单位名称为空"),
    "blank code": (_bad(econ_code=""), "部门经济分类科目编码", "科目编码为空"),
    "unknown code": (_bad(econ_code="30298"), "部门经济分类科目编码", "部门经济分类科目 30298 不在2024年目录中"),
    "short code": (_bad(func_code="20103"), "功能分类科目编码", "不是 7 位编码"),
    "two names": (_bad(func_name="行政运转"), "功能分类科目名称", "科目 2010301 的名称“行政运转”与其他行的“行政运行”不同"),
    "no project name": (_bad(kind="项目支出", func_code="2010302", func_name="一般行政管理事务"), "项目名称",
                        "项目支出没有项目名称"),
    "unknown source": (_bad(source="自筹"), "资金性质", "资金性质“自筹”无法识别"),
    "unknown kind": (_bad(kind="其他"), "支出类型", "支出类型“其他”无法识别"),
    "not a number": (_bad(yuan="一万"), "金额（元）", "金额“一万”不是数字"),
}


@pytest.mark.parametrize("case", tuple(BAD))
def test_a_bad_line_is_one_finding_naming_file_row_and_column(tmp_path, case, capsys):
    line, column, words = BAD[case]
    src = ledgers.write([GOOD, GOOD | {"yuan": "20000.00"}, line], tmp_path / "明细.xlsx")
    out = tmp_path / "公开表.xlsx"
    assert main(["build", str(src), "-o", str(out), "--year", "2025"]) == 1
    assert not out.exists()
    errors = [f for f in jobs.build_file([src], out, year=2025).findings if f.severity == "error"]
    assert len(errors) == 1, errors
    [error] = errors
    assert (error.file, error.row, error.column) == ("明细.xlsx", 5, column)  # title, header, two good lines
    assert words in error.message
    assert f"明细.xlsx 第 5 行“{column}”列" in capsys.readouterr().out


def test_yuan_and_wan_columns_that_disagree(tmp_path):
    src = tmp_path / "明细.csv"
    src.write_text("单位名称,功能分类科目编码,功能分类科目名称,部门经济分类科目编码,部门经济分类科目名称,资金性质,支出类型,金额（元）,金额（万元）\n"
                   "甲局,2010301,行政运行,30101,基本工资,一般公共预算,人员经费,10000.00,1.00\n"
                   "甲局,2010301,行政运行,30101,基本工资,一般公共预算,人员经费,20000.00,1.00\n", encoding="gbk")
    [error] = [f for f in jobs.build_file([src], tmp_path / "o.xlsx", year=2025).findings if f.severity == "error"]
    assert (error.row, error.column) == (3, "金额（万元）") and "不一致" in error.message


def test_title_repeated_header_and_subtotal_rows_are_dropped_and_said(tmp_path):
    header, _ = ledgers.rows([GOOD])
    subtotal = ["合计"] + [""] * (len(header) - 2) + ["30000.00"]
    out, result = build(tmp_path, [GOOD, GOOD | {"yuan": "20000.00"}], extra_rows=[(1, header), (2, subtotal)])
    said = {(f.row, f.message.split("，")[0]) for f in result.findings}
    assert (1, "表头之前的标题行“某局2025年部门预算明细”") in said
    assert (4, "重复的表头行（与第 2 行相同") in said
    assert (6, "“合计”是合计/小计行") in said  # title, header, a line, the header again, a line
    assert not result.errors
    assert read(OpenpyxlGrid(out)).tables["T2"].row("in.general").values["amount"] == Decimal("3.00")


def test_force_builds_from_the_usable_lines(tmp_path):
    src = ledgers.write([GOOD, _bad(unit="")], tmp_path / "明细.xlsx")
    out = tmp_path / "公开表.xlsx"
    assert main(["build", str(src), "-o", str(out), "--year", "2025", "--force"]) == 0
    assert read(OpenpyxlGrid(out)).tables["T2"].row("in.general").values["amount"] == Decimal("1.00")


def test_json_lists_every_finding(tmp_path, capsys):
    src = ledgers.write([GOOD, _bad(yuan="-1.00")], tmp_path / "明细.xlsx")
    assert main(["build", str(src), "-o", str(tmp_path / "o.xlsx"), "--year", "2025", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["written"] is None
    assert {"file": "明细.xlsx", "row": 4, "column": "金额（元）", "severity": "error"}.items() <= data["findings"][-1].items()


def test_no_header_is_one_sentence_exit_2(tmp_path, capsys):
    src = tmp_path / "x.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["build", str(src), "-o", str(tmp_path / "o.xlsx"), "--year", "2025"]) == 2
    assert "找不到明细表的表头" in capsys.readouterr().err


# --- the 尾差说明 sheet and export -----------------------------------------------------------------

def test_nudged_figures_are_listed_and_not_exported(tmp_path):
    out, result = build(tmp_path, ledgers.department("institutions", projects=6, seed=11))
    assert result.nudges, "a department of this size has some 尾差"
    rows = list(OpenpyxlGrid(out).rows(TAIL))
    listed = {(r[0], r[1]) for r in rows[4:]}
    for n in result.nudges:
        assert abs(n.printed - n.own) == Decimal("0.01")
    assert len(listed) >= 1 and all(cell for _, cell in listed)
    (tmp_path / "pub").mkdir()
    exported = jobs.export(out, tmp_path / "pub", force=True)
    from openpyxl import load_workbook

    sheets = load_workbook(exported.written[0]).sheetnames
    assert TAIL not in sheets and "表一" in sheets
    built = load_workbook(out)
    assert built[TAIL].sheet_state == "hidden", "a hidden sheet is not printed, even with 打印整个工作簿"
    assert all(built[t.sheet].sheet_state == "visible" for t in spec.TABLES)
    assert "隐藏的「尾差说明」表" in result.summary()


@pytest.mark.slow  # LibreOffice prints the workbook
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装：打印整个工作簿的结果要由它排版")
def test_nudges_sheet_is_not_printed(tmp_path):
    out, result = build(tmp_path, ledgers.department("institutions", projects=6, seed=11))
    assert result.nudges
    printed = pdf_text(to_pdf(out, tmp_path / "printed.pdf"))
    assert "表六" in printed and "表十二" in printed  # the tables are printed …
    assert "尾差" not in printed and "四舍五入" not in printed  # … the 尾差说明 sheet is not


def test_prior_ledger_fills_last_years_figures(tmp_path):
    last = ledgers.write(ledgers.department("admin", projects=2, seed=5), tmp_path / "2024明细.csv")
    src = ledgers.write(ledgers.department("admin", projects=2, seed=6), tmp_path / "2025明细.xlsx")
    out = tmp_path / "公开表.xlsx"
    jobs.build_file([src], out, dept="某局", year=2025, prior=last)
    previous = jobs.build_file([last], tmp_path / "上年.xlsx", dept="某局", year=2024)
    from workbook.narrative import sheet

    info = sheet.read(OpenpyxlGrid(out))
    t3 = read(OpenpyxlGrid(previous.written)).tables["T3"].row("total").values
    assert info.prior["basic"] == t3["basic"] and info.prior["total"] == t3["total"]


# --- the economic codes of 表八 and 表九 --------------------------------------------------------

@pytest.mark.parametrize("year", catalog.EDITIONS)
def test_table_eight_codes_are_the_catalogues(year):
    names = {"30212": "因公出国（境）费用", "30217": "公务接待费", "30231": "公务用车运行维护费",
             "31013": "公务用车购置", "30215": "会议费", "30216": "培训费"}
    assert set(figures.T8_CODES) == set(names)
    for code, name in names.items():
        assert catalog.economic(year).name(code) == name


@pytest.mark.slow
def test_an_xls_ledger_reads_as_its_xlsx(tmp_path):
    """.xls (the old format some systems still export): made by LibreOffice, no writer here."""
    from workbook import office

    soffice = office.find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: no .xls writer")
    import subprocess

    lines = ledgers.department("funds", projects=3, seed=4)
    xlsx = ledgers.write(lines, tmp_path / "明细.xlsx")
    subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from_xls = jobs.build_file([tmp_path / "xls" / "明细.xls"], tmp_path / "a" / "o.xlsx", dept="某局", year=2025)
    from_xlsx = jobs.build_file([xlsx], tmp_path / "b" / "o.xlsx", dept="某局", year=2025)
    assert not from_xls.errors
    assert _tables(from_xls.written) == _tables(from_xlsx.written)


# --- the button 从明细生成 (Excel through xlwings' remote engine, WPS through the JSON surface) -------

def test_the_button_builds_from_the_ledgers_beside_the_workbook_in_excel(example_xlsx, tmp_path, monkeypatch):
    from macros_py import handlers
    from macros_py.surface import XlwingsSurface
    from xlremote import book_from

    shown = []
    monkeypatch.setattr(XlwingsSurface, "open", lambda self, path: shown.append(path))  # no Excel to show it
    book = book_from(example_xlsx)
    assert "请先保存" in handlers.press("build", book)  # never saved: no folder to look in yet
    monkeypatch.setattr(XlwingsSurface, "folder", lambda self: tmp_path)  # as if saved in tmp_path
    assert "明细" in handlers.press("build", book)  # no ledger yet: where to put it
    (tmp_path / "明细").mkdir()
    ledgers.write(ledgers.department("admin", projects=2, seed=3), tmp_path / "明细" / "2024明细.xlsx")
    message = handlers.press("build", book)
    [made] = tmp_path.glob("*从明细生成*.xlsx")
    assert made.name in message and made.name.startswith("临夏市人民政府办公室2024年") and shown == [made]
    assert problems(made) == []


def test_the_button_over_the_json_surface(example_xlsx):
    from starlette.testclient import TestClient
    from wpsbook import Held, dump

    from workbook.serve import app as service
    from workbook.serve.files import Store

    port, token = 8765, "t" * 32
    folder = example_xlsx.parent
    (folder / "明细").mkdir()
    ledgers.write(ledgers.department("civil", projects=2, seed=8), folder / "明细" / "明细.csv")
    app = service.create_app(port=port, token=token, store=Store(folder / "store", workers=1))
    origin = f"http://127.0.0.1:{port}"
    with TestClient(app, base_url=origin, headers={"X-Budgetbook-Token": token, "Origin": origin}) as client:
        reply = client.post("/api/button/build", json=Held(dump(example_xlsx)).snapshot()).json()
    [made] = folder.glob("*从明细生成*.xlsx")
    assert reply["status"] == 0 and made.name in reply["message"]
    assert problems(made) == []
