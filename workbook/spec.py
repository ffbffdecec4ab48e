"""The 12 部门预算公开表, declared once.

Template, reader, fill, checks, marks and export all read these declarations; nothing else knows
where a table keeps its lines, which cells the accountant types, which cells add up which, which
figures one table carries from another, or what a table is for (codes, units, items). Adding a
line, a column or an item is a change here, not an edit across modules.
Layouts follow the Gansu reference disclosure (shared/seeds, 临夏市人民政府办公室 2024).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .cells import get_column_letter as column_letter

from .numerals import chinese_number

NOTE = "备注：无内容应公开空表并说明情况。"
UNIT_LINE = "单位：万元"

Sum = tuple[str, tuple[str, ...]]  # (target key, the keys it adds up)


class Col(NamedTuple):
    """One printed column; `header` is its path through the merged header rows."""

    key: str
    header: tuple[str, ...]
    width: float = 14
    money: bool = True
    # A working column the published table does not have (export leaves it out); `optional`: a
    # workbook made before the column existed reads without it.
    publish: bool = True
    optional: bool = False
    choices: tuple[str, ...] = ()  # a text column typed from a list (data validation)


class Line(NamedTuple):
    """A fixed printed line: `input` lines are typed by the accountant, the rest are derived."""

    key: str
    label: str
    input: bool = False
    code: str | None = None  # functional 类 of an expenditure line


# Blank or 0.00: one convention, as the reference disclosure prints its tables, for the template
# (derived cells blank until fill), fill (0.00 in every derived cell of the working workbook, where
# a zero is never wrong), the export and its PDF (workbook.zeros decides each cell) and F.blank-zero
# (a blank only where the publication prints 0.00). By `TableSpec.zeros`:
ZERO_RULES = {
    "line": "a fixed line prints 0.00 where it is zero only when it is a balance line (BALANCE_LINES) "
            "or has a figure that is not zero; an unused income source or 类 line is blank",
    "row": "a row (总计, the department, a unit, a code) with any figure that is not zero prints 0.00 "
           "in its zero columns, a row with none is blank; 表五 leaves a fund the department does not "
           "have blank in all its columns; 表七 leaves blank the split column a code's 类 does not use",
    "always": "every item prints, 0.00 where zero (表九: 机关运行经费 is published item by item)",
    "block": "a block (部门整体, a project) whose amounts are not all zero prints 0.00 in its zero amounts",
}
# lines of 表一/表二/表四 printed even when zero: the balance of every department
BALANCE_LINES = frozenset({"in.subtotal", "in.total", "exp.subtotal", "exp.total", "in.carry", "in.surplus",
                           "exp.carry_next"})


# eq=False: each table is declared once and compared by identity; the generated __eq__/__hash__
# would only cost start-up (every command imports the spec)
@dataclass(frozen=True, eq=False)
class TableSpec:
    id: str  # T1 … T12, used in rule ids and references
    sheet: str  # 表一 …
    name: str  # printed name without department and year
    cols: tuple[Col, ...]
    numbered: bool = True  # a row "1, 2, 3 …" under the header numbers the money columns
    unit_line: bool = True  # prints "单位：万元" (表十二 labels its blocks "（万元）" instead)
    zeros: str = "row"  # which zero cells print 0.00 rather than blank: see ZERO_RULES

    def title(self, dept: str, year: int | str) -> str:
        return f"{dept}{year}年{self.name}"

    @property
    def depth(self) -> int:
        return max(len(c.header) for c in self.cols)

    @property
    def header_rows(self) -> int:
        return self.depth + (1 if self.numbered else 0)

    def col(self, key: str) -> Col:
        for c in self.cols:
            if c.key == key:
                return c
        raise KeyError(f"{self.sheet} 没有列 {key}")

    def column(self, key: str) -> int:
        """1-based position of a column."""
        return self.cols.index(self.col(key)) + 1

    def letter(self, key: str) -> str:
        return column_letter(self.column(key))

    @property
    def printed(self) -> int:
        """How many columns are published: working columns (表三's 单位类型) come after them."""
        return sum(1 for c in self.cols if c.publish)

    @property
    def money_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cols if c.money)

    @property
    def col_keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.cols)

    @property
    def input_cols(self) -> tuple[str, ...]:
        return ()

    @property
    def row_sums(self) -> dict[str, tuple[str, ...]]:
        return {}


@dataclass(frozen=True, eq=False)
class LineTable(TableSpec):
    """表二: one label column, one amount column, fixed lines; `sums` add lines up."""

    lines: tuple[Line, ...] = ()
    sums: tuple[Sum, ...] = ()
    sides: tuple[tuple[str, str], ...] = (("label", "amount"),)
    zeros: str = "line"  # (label col, amount col)

    def side_lines(self) -> list[list[Line | None]]:
        return [list(self.lines)]


@dataclass(frozen=True, eq=False)
class TwoSidedTable(TableSpec):
    """表一, 表四: income lines on the left, expenditure lines on the right, row by row."""

    pairs: tuple[tuple[Line | None, Line | None], ...] = ()
    sums: tuple[Sum, ...] = ()
    sides: tuple[tuple[str, str], ...] = (("in_label", "in_amount"), ("exp_label", "exp_amount"))
    zeros: str = "line"

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for pair in self.pairs for line in pair if line)

    def side_lines(self) -> list[list[Line | None]]:
        return [[pair[0] for pair in self.pairs], [pair[1] for pair in self.pairs]]


LINE_KINDS = (LineTable, TwoSidedTable)  # tables of fixed lines, one amount column per side


@dataclass(frozen=True, eq=False)
class RowTable(TableSpec):
    """A table of rows that are not fixed lines: `inputs` are the columns typed on a row that adds
    up nothing, `sums` the columns derived on every row from others of the same row."""

    inputs: tuple[str, ...] = ()
    sums: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def input_cols(self) -> tuple[str, ...]:
        return self.inputs

    @property
    def row_sums(self) -> dict[str, tuple[str, ...]]:
        return self.sums


@dataclass(frozen=True, eq=False)
class UnitTable(RowTable):
    """表三, 表五, 表八: 总计, then the department row, then one row per 单位.

    The department row adds up the units and 总计 repeats the department row (without a
    department row, 总计 adds up the units itself)."""

    name_col: str = "name"


@dataclass(frozen=True, eq=False)
class CodeTable(RowTable):
    """表六, 表七, 表十, 表十一: 总计, then 类/款/项 rows by classification code.

    Leaf rows (no child code present) are typed in; parent rows and 总计 add up their children."""

    catalog: str = "functional"  # or "economic"
    lengths: tuple[int, ...] = (3, 5, 7)  # code lengths allowed: 类, 款, 项
    # 表七: the 合计 of an economic 款 goes to 人员经费 or 公用经费 by its 类
    split: dict[str, tuple[str, ...]] = field(default_factory=dict)
    split_from: str = ""
    code_col: str = "code"
    name_col: str = "name"


@dataclass(frozen=True, eq=False)
class ItemTable(RowTable):
    """表九: numbered items "[30201]办公费" with 合计 = 基本支出 + 项目支出, and 总计.

    `items` are the standard items of the blank template; a department adds any other economic
    款 it uses as a row (the reader finds items by their code)."""

    items: tuple[tuple[str, str], ...] = ()
    item_classes: tuple[str, ...] = ()  # the economic 类 an item may belong to
    seq_col: str = "seq"
    name_col: str = "item"
    zeros: str = "always"


@dataclass(frozen=True, eq=False)
class PerformanceSpec(TableSpec):
    """表十二: one 部门整体支出绩效目标表 and one 项目支出绩效目标表 per project.

    Blocks are found by the labels in column A; each label's text sits in `text_col`."""

    whole_title: str = "部门整体支出绩效目标表"
    project_title: str = "项目支出绩效目标表"
    # labels in column A
    dept_label: str = "部门名称"
    name_label: str = "项目名称"
    dept_code_label: str = "主管部门及代码"
    unit_label: str = "实施单位"  # in column D of the 主管部门 row; its text in `unit_col`
    budget_label: str = "预算情况（万元）"
    funds_label: str = "项目资金（万元）"
    goal_label: str = "总体目标"
    indicators_label: str = "绩效指标"
    indicator_header: tuple[str, ...] = ("一级指标", "二级指标", "三级指标", "指标值")
    # columns
    text_col: str = "b"
    unit_col: str = "e"
    amount_col: str = "d"  # 预算情况 left side, project funds
    right_amount_col: str = "f"  # 预算情况 right side
    indicator_cols: tuple[str, ...] = ("b", "c", "d", "e")
    # (key, label) of the 预算情况 block, left then right side, and of a project's fund lines
    budget_left: tuple[tuple[str, str], ...] = ()
    budget_right: tuple[tuple[str, str], ...] = ()
    fund_lines: tuple[tuple[str, str], ...] = ()
    budget_sums: tuple[Sum, ...] = ()
    fund_sums: tuple[Sum, ...] = ()
    levels: tuple[str, ...] = ("成本指标", "产出指标", "效益指标", "满意度指标")
    zeros: str = "block"

    def label_of(self, key: str) -> str:
        labels = dict(self.budget_left + self.budget_right + self.fund_lines)
        return labels[key].replace("其中：", "")


# --- the lines -------------------------------------------------------------------------------

INCOME = (
    ("general", "一般公共预算财政拨款收入"),
    ("gov_fund", "政府性基金预算财政拨款收入"),
    ("state_capital", "国有资本经营预算收入"),
    ("edu_account", "教育专户核算"),
    ("business", "事业收入"),
    ("superior", "上级补助收入"),
    ("subsidiary", "附属单位上缴收入"),
    ("operating", "经营收入"),
    ("other", "其他收入"),
)


class Fund(NamedTuple):
    """One of the three kinds of 财政拨款: its 表二/表四 line, its 表五 columns and the table that
    details its spending by functional code."""

    key: str  # line key in.<key> of 表二/表四
    short: str  # 表五 column prefix
    label: str  # 一般公共预算 …
    table: str  # 表六/表十/表十一
    col: str  # the column of that table holding a row's amount


FUNDS = (
    Fund("general", "gp", "一般公共预算", "T6", "total"),
    Fund("gov_fund", "gf", "政府性基金预算", "T10", "amount"),
    Fund("state_capital", "sc", "国有资本经营预算", "T11", "amount"),
)
FUND_KEYS = tuple(f"in.{f.key}" for f in FUNDS)
# 表二 lines of money that is not this year's 财政拨款: no table breaks it down by functional 类
NON_FISCAL_KEYS = tuple(f"in.{k}" for k, _ in INCOME if f"in.{k}" not in FUND_KEYS)
CARRY_KEYS = ("in.carry", "in.surplus")  # 上年结转, 上年结余

# The functional 类 printed in 表一 and 表四, in the reference document's order.
FUNCTIONAL_CLASSES = (
    ("201", "一般公共服务支出"),
    ("202", "外交支出"),
    ("203", "国防支出"),
    ("204", "公共安全支出"),
    ("205", "教育支出"),
    ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"),
    ("208", "社会保障和就业支出"),
    ("209", "社会保险基金支出"),
    ("210", "卫生健康支出"),
    ("211", "节能环保支出"),
    ("212", "城乡社区支出"),
    ("213", "农林水支出"),
    ("214", "交通运输支出"),
    ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"),
    ("217", "金融支出"),
    ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"),
    ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"),
    ("227", "预备费"),
    ("229", "其他支出"),
    ("230", "转移性支出"),
    ("231", "债务还本支出"),
    ("232", "债务付息支出"),
    ("233", "债务发行费用支出"),
    ("234", "抗疫特别国债还本支出"),
)
# functional 类 names no longer in use, and the class they became (a text still using them is stale)
OUTDATED_CLASS_NAMES = {"医疗卫生与计划生育支出": ("210", "卫生健康支出"),
                        "医疗卫生支出": ("210", "卫生健康支出"),
                        "文化体育与传媒支出": ("207", "文化旅游体育与传媒支出")}
CLASS_KEYS = tuple(f"exp.{code}" for code, _ in FUNCTIONAL_CLASSES)

# 表九's standard items (机关运行经费), as in the reference document.
RUNNING_COST_ITEMS = (
    ("30201", "办公费"),
    ("30202", "印刷费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30207", "邮电费"),
    ("30208", "取暖费"),
    ("30209", "物业管理费"),
    ("30211", "差旅费"),
    ("30213", "维修（护）费"),
    ("30215", "会议费"),
    ("30218", "专用材料费"),
    ("30229", "福利费"),
    ("30231", "公务用车运行维护费"),
    ("30299", "其他商品和服务支出"),
    ("31002", "办公设备购置"),
)

PERSONNEL_CLASSES = ("301", "303")  # 人员经费; every other economic 类 is 公用经费
# 基本支出 (表七) holds 人员经费 (301, 303) and 公用经费 (302, 310) only.
BASIC_CLASSES = ("301", "302", "303", "310")

# 单位类型 of 表三: 机关运行经费 (表九) covers 行政单位 and 参照公务员法管理的事业单位 only.
UNIT_TYPES = ("行政", "参公", "事业", "其他")
# The published file carries the working columns its tables leave out (表三's 单位类型) as a custom
# document property of this name (JSON: table id -> column key -> {unit name: text}), so that a
# published workbook checks exactly as its source did; see workbook.grid.carried.
CARRIED_PROPERTY = "budgetbook-working-columns"
RUNNING_COST_UNIT_TYPES = ("行政", "参公")


def unit_type(text: str | None) -> str | None:
    """A 单位类型 as typed ("行政单位", "参照公务员法管理的事业单位", "事业") read as one of UNIT_TYPES;
    None when blank."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    if text.startswith(("参公", "参照")):
        return "参公"
    for kind in ("行政", "事业"):
        if text.startswith(kind):
            return kind
    return "其他"


def _t1() -> TwoSidedTable:
    income = [Line(f"in.{k}", f"{chinese_number(i)}、{label}") for i, (k, label) in enumerate(INCOME, 1)]
    spend = [Line(f"exp.{code}", f"{chinese_number(i)}、{label}", code=code) for i, (code, label) in
             enumerate(FUNCTIONAL_CLASSES, 1)]
    n = len(FUNCTIONAL_CLASSES)
    pairs = [(income[i] if i < len(income) else None, spend[i]) for i in range(n)]
    pairs += [
        (Line("in.subtotal", "本年收入合计"), Line("exp.subtotal", "本年支出合计")),
        (Line("in.carry", f"{chinese_number(len(INCOME) + 1)}、上年结转"),
         Line("exp.carry_next", f"{chinese_number(n + 1)}、结转下年", input=True)),
        (Line("in.surplus", f"{chinese_number(len(INCOME) + 2)}、上年结余"), None),
        (Line("in.total", "收入总计"), Line("exp.total", "支出总计")),
    ]
    return TwoSidedTable(
        "T1", "表一", "部门收支总体情况表",
        (Col("in_label", ("收 入", "项目"), 34, False), Col("in_amount", ("收 入", "预算数")),
         Col("exp_label", ("支 出", "项目"), 34, False), Col("exp_amount", ("支 出", "预算数"))),
        numbered=False, pairs=tuple(pairs),
        sums=(("in.subtotal", tuple(f"in.{k}" for k, _ in INCOME)),
              ("in.total", ("in.subtotal", *CARRY_KEYS)),
              ("exp.subtotal", CLASS_KEYS),
              ("exp.total", ("exp.subtotal", "exp.carry_next"))))


def _t2() -> LineTable:
    lines = [Line(f"in.{k}", f"{chinese_number(i)}、{label}", input=True) for i, (k, label) in
             enumerate(INCOME, 1)]
    lines += [
        Line("in.subtotal", "本年收入合计"),
        Line("in.carry", f"{chinese_number(len(INCOME) + 1)}、上年结转", input=True),
        Line("in.surplus", f"{chinese_number(len(INCOME) + 2)}、上年结余", input=True),
        Line("in.total", "收入合计"),
    ]
    return LineTable("T2", "表二", "部门收入总体情况表",
                     (Col("label", ("项目",), 40, False), Col("amount", ("预算数",), 18)),
                     lines=tuple(lines),
                     sums=(("in.subtotal", tuple(f"in.{k}" for k, _ in INCOME)),
                           ("in.total", ("in.subtotal", *CARRY_KEYS))))


def _t4() -> TwoSidedTable:
    income = [Line("in.subtotal", "一、本年收入")]
    income += [Line(f"in.{f.key}", f"（{chinese_number(i)}）{f.label}财政拨款") for i, f in enumerate(FUNDS, 1)]
    spend = [Line("exp.subtotal", "一、本年支出")]
    spend += [Line(f"exp.{code}", f"（{chinese_number(i)}）{label}", code=code)
              for i, (code, label) in enumerate(FUNCTIONAL_CLASSES, 1)]
    pairs = [(income[i] if i < len(income) else None, spend[i]) for i in range(len(spend))]
    pairs.append((Line("in.total", "收入总计"), Line("exp.total", "支出总计")))
    return TwoSidedTable(
        "T4", "表四", "财政拨款收支总体情况表",
        (Col("in_label", ("收 入", "项目"), 34, False), Col("in_amount", ("收 入", "预算数")),
         Col("exp_label", ("支 出", "项目"), 34, False), Col("exp_amount", ("支 出", "合计"))),
        numbered=False, pairs=tuple(pairs),
        sums=(("in.subtotal", FUND_KEYS), ("in.total", ("in.subtotal",)),
              ("exp.subtotal", CLASS_KEYS), ("exp.total", ("exp.subtotal",))))


_UNIT = Col("name", ("单位名称",), 34, False)


def _t3() -> UnitTable:
    return UnitTable(
        "T3", "表三", "部门支出总体情况表",
        (_UNIT, Col("total", ("支出合计",)), Col("basic", ("基本支出",)),
         Col("project", ("项目支出",)), Col("carry", ("上年结转",)),
         Col("unit_type", ("单位类型",), 10, money=False, publish=False, optional=True, choices=UNIT_TYPES)),
        inputs=("basic", "project", "carry"),
        sums={"total": ("basic", "project", "carry")})


def _t5() -> UnitTable:
    cols = [_UNIT, Col("total", ("总计",))]
    sums: dict[str, tuple[str, ...]] = {}
    for fund in FUNDS:
        label = f"{fund.label}支出"
        cols += [Col(f"{fund.short}_total", (label, "合计")), Col(f"{fund.short}_basic", (label, "基本支出")),
                 Col(f"{fund.short}_project", (label, "项目支出"))]
        sums[f"{fund.short}_total"] = (f"{fund.short}_basic", f"{fund.short}_project")
    sums["total"] = tuple(f"{fund.short}_total" for fund in FUNDS)
    return UnitTable(
        "T5", "表五", "财政拨款支出表", tuple(cols),
        inputs=tuple(f"{f.short}_{part}" for f in FUNDS for part in ("basic", "project")),
        sums=sums)


def _t6() -> CodeTable:
    group = "一般公共预算支出"
    return CodeTable(
        "T6", "表六", "一般公共预算支出情况表",
        (Col("code", ("功能分类科目", "科目编码"), 12, False),
         Col("name", ("功能分类科目", "科目名称"), 40, False),
         Col("total", (group, "合计")), Col("basic", (group, "基本支出")),
         Col("project", (group, "项目支出"))),
        catalog="functional", inputs=("basic", "project"),
        sums={"total": ("basic", "project")})


def _t7() -> CodeTable:
    group = "一般公共预算基本支出"
    return CodeTable(
        "T7", "表七", "一般公共预算基本支出情况表",
        (Col("code", ("经济分类科目", "科目编码"), 12, False),
         Col("name", ("经济分类科目", "科目名称"), 40, False),
         Col("total", (group, "合计")), Col("personnel", (group, "人员经费")),
         Col("public", (group, "公用经费"))),
        catalog="economic", lengths=(3, 5), inputs=("total",),
        split={"personnel": PERSONNEL_CLASSES}, split_from="total")


def _t8() -> UnitTable:
    group, car = "“三公”经费", "公务用车购置和运行费"
    return UnitTable(
        "T8", "表八", "一般公共预算财政拨款“三公”经费、会议费、培训费支出情况表",
        (_UNIT, Col("sangong", (group, "合计")), Col("abroad", (group, "因公出国（境）费用")),
         Col("reception", (group, "公务接待费")), Col("car_buy", (group, car, "公务用车购置费")),
         Col("car_run", (group, car, "公务用车运行费")), Col("meeting", ("会议费",)),
         Col("training", ("培训费",))),
        inputs=("abroad", "reception", "car_buy", "car_run", "meeting", "training"),
        sums={"sangong": ("abroad", "reception", "car_buy", "car_run")})


def _t9() -> ItemTable:
    return ItemTable(
        "T9", "表九", "一般公共预算财政拨款机关运行经费表",
        (Col("seq", ("序号",), 8, False), Col("item", ("项目",), 34, False),
         Col("total", ("合计",)), Col("basic", ("基本支出",)), Col("project", ("项目支出",))),
        inputs=("basic", "project"), sums={"total": ("basic", "project")},
        items=RUNNING_COST_ITEMS, item_classes=("302", "310"))  # 商品和服务支出, 资本性支出


def _fund_table(id_: str, sheet: str, name: str) -> CodeTable:
    return CodeTable(
        id_, sheet, name,
        (Col("code", ("科目编码",), 12, False), Col("name", ("科目名称",), 40, False),
         Col("amount", ("预算数",), 18)),
        catalog="functional", inputs=("amount",))


def _t12() -> PerformanceSpec:
    return PerformanceSpec(
        "T12", "表十二", "部门整体支出绩效目标表和项目支出绩效目标表",
        (Col("label", ("",), 16, False), Col("b", ("",), 16, False), Col("c", ("",), 30, False),
         Col("d", ("",), 30, False), Col("e", ("",), 18, False), Col("f", ("",), 16, False)),
        numbered=False, unit_line=False,
        budget_left=(("personnel", "人员经费"), ("public", "公用经费"), ("basic", "合计"),
                     ("project", "项目支出"), ("spend_total", "支出预算合计")),
        budget_right=(("current", "当年财政拨款"), ("carry", "上年结转资金"), ("other", "其他资金"),
                      ("income_total", "收入预算合计")),
        fund_lines=(("total", "年度资金总额"), ("current", "其中：当年财政拨款"),
                    ("carry", "上年结转资金"), ("other", "其他资金")),
        budget_sums=(("basic", ("personnel", "public")), ("spend_total", ("basic", "project")),
                     ("income_total", ("current", "carry", "other"))),
        fund_sums=(("total", ("current", "carry", "other")),))


T1, T2, T3, T4 = _t1(), _t2(), _t3(), _t4()
T5, T6, T7, T8 = _t5(), _t6(), _t7(), _t8()
T9 = _t9()
T10 = _fund_table("T10", "表十", "政府性基金预算支出情况表")
T11 = _fund_table("T11", "表十一", "国有资本经营预算支出情况表")
T12 = _t12()

TABLES: tuple[TableSpec, ...] = (T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12)
BY_ID = {t.id: t for t in TABLES}

# --- roles ---------------------------------------------------------------------------------------

ALL_IDS = tuple(t.id for t in TABLES)
CODE_TABLES = tuple(t.id for t in TABLES if isinstance(t, CodeTable))  # rows carry a classification code
UNIT_TABLES = tuple(t.id for t in TABLES if isinstance(t, UnitTable))  # a row per 单位
MONEY_TABLES = tuple(t.id for t in TABLES if t.unit_line)  # print a 单位 line
FISCAL_TABLES = tuple(f.table for f in FUNDS)  # 财政拨款 spending by functional code
FISCAL_CLASS_COLS = {f.table: f.col for f in FUNDS}


# --- figures one table carries from another ------------------------------------------------------

Term = tuple[str, str, str]  # (table, row key, column)


class Carry(NamedTuple):
    """Cells of `target` that repeat figures typed in other tables: fill copies them, the rule
    `rule` reports a difference. `terms`: target row key -> the cells it adds up."""

    rule: str
    title: str
    target: str
    col: str
    terms: dict[str, tuple[Term, ...]]
    only_fiscal: bool = False  # carried only when all the money is this year's 财政拨款


def _same(source: str, keys) -> dict[str, tuple[Term, ...]]:
    return {key: ((source, key, "amount"),) for key in keys}


CARRIES = (
    Carry("X.T1-T2.income", "表一 收入各行与表二一致", "T1", "amount",
          _same("T2", (*(f"in.{k}" for k, _ in INCOME), *CARRY_KEYS))),
    Carry("X.T4-T2.funds", "表四 财政拨款收入与表二一致", "T4", "amount", _same("T2", FUND_KEYS)),
)

# 表一/表四 functional 类 lines: the 类 of 表六 + 表十 + 表十一 (rule, title, table, only_fiscal)
CLASS_CARRIES = (
    ("X.T1-T6.class", "表一 支出功能分类各类等于表六、表十、表十一该类之和", "T1", True),
    ("X.T4-T6.class", "表四 支出功能分类各类等于表六、表十、表十一该类之和", "T4", False),
)

# The 部门整体 预算情况 block of 表十二: all of the department's money, income side from 表二,
# spending side from 表三 (project, incl. spending from 上年结转) and 表七 (人员/公用经费). 表七 holds
# the 一般公共预算 part only, so 人员经费/公用经费 are carried from it only when that is all the
# basic spending (derive.whole_from_basic_table); otherwise they are typed.
WHOLE_RULE = ("X.T12-whole.budget", "表十二 部门整体预算情况与表二、表三、表七一致")
WHOLE_FROM_T7 = {"personnel": (("T7", "total", "personnel"),), "public": (("T7", "total", "public"),)}
WHOLE_TERMS = {
    "project": (("T3", "total", "project"), ("T3", "total", "carry")),
    "current": tuple(("T2", key, "amount") for key in FUND_KEYS),
    "carry": tuple(("T2", key, "amount") for key in CARRY_KEYS),
    "other": tuple(("T2", key, "amount") for key in NON_FISCAL_KEYS),
}


# --- references ------------------------------------------------------------------------------

_DYNAMIC = re.compile(r"^(total|dept|r\d+|p\d+\.\w+|whole\.\w+)$")


def check_ref(table: str, key: str, col: str) -> None:
    """A reference to a cell must name a declared table, column and (fixed) line: a typo in a rule
    fails at import, loudly, instead of making the rule skip silently."""
    spec = BY_ID.get(table)
    if spec is None:
        raise ValueError(f"unknown table {table!r}")
    if isinstance(spec, LINE_KINDS):
        keys = {line.key for line in spec.lines}
        if key not in keys:
            raise ValueError(f"{table} has no line {key!r}")
        if col != "amount":
            raise ValueError(f"{table} lines have one column, 'amount', not {col!r}")
        return
    if isinstance(spec, PerformanceSpec):
        owner, _, name = key.partition(".")
        names = {k for k, _ in (*spec.budget_left, *spec.budget_right)} if owner == "whole" else \
            {k for k, _ in spec.fund_lines}
        if not (owner == "whole" or re.fullmatch(r"p\d+", owner)) or name not in names or col != "amount":
            raise ValueError(f"{table} has no cell {key}/{col}")
        return
    if col not in spec.money_keys:
        raise ValueError(f"{table} has no money column {col!r}")
    if not _DYNAMIC.match(key):
        raise ValueError(f"{table} has no row {key!r}")
