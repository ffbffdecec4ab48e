"""The 12 部门预算公开表, declared once.

Template, reader, fill, checks, marks and export all read these declarations; nothing else
knows where a table keeps its lines or which cells are typed in by the accountant.
Layouts follow the Gansu reference disclosure (shared/seeds, 临夏市人民政府办公室 2024).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .cells import get_column_letter

from .numerals import chinese_number

NOTE = "备注：无内容应公开空表并说明情况。"
UNIT_LINE = "单位：万元"


@dataclass(frozen=True)
class Col:
    """One printed column; `header` is its path through the merged header rows."""

    key: str
    header: tuple[str, ...]
    width: float = 14
    money: bool = True


@dataclass(frozen=True)
class Line:
    """A fixed printed line: `input` lines are typed by the accountant, the rest are derived."""

    key: str
    label: str
    input: bool = False
    code: str | None = None  # functional 类 of an expenditure line


@dataclass(frozen=True)
class TableSpec:
    id: str  # T1 … T12, used in rule ids and references
    sheet: str  # 表一 …
    name: str  # printed name without department and year
    cols: tuple[Col, ...]
    numbered: bool = True  # a row "1, 2, 3 …" under the header numbers the money columns

    def title(self, dept: str, year: int | str) -> str:
        return f"{dept}{year}年{self.name}"

    @property
    def depth(self) -> int:
        return max(len(c.header) for c in self.cols)

    @property
    def header_rows(self) -> int:
        return self.depth + (1 if self.numbered else 0)

    def col(self, key: str) -> Col:
        return next(c for c in self.cols if c.key == key)

    def letter(self, key: str) -> str:
        return get_column_letter(self.cols.index(self.col(key)) + 1)

    @property
    def money_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cols if c.money)


@dataclass(frozen=True)
class LineTable(TableSpec):
    """表二: one label column, one amount column, fixed lines."""

    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class TwoSidedTable(TableSpec):
    """表一, 表四: income lines on the left, expenditure lines on the right, row by row."""

    pairs: tuple[tuple[Line | None, Line | None], ...] = ()

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for pair in self.pairs for line in pair if line)


@dataclass(frozen=True)
class UnitTable(TableSpec):
    """表三, 表五, 表八: 总计, then the department row, then one row per 单位."""

    input_cols: tuple[str, ...] = ()
    # derived column -> the columns it adds up on the same row
    row_sums: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeTable(TableSpec):
    """表六, 表七, 表十, 表十一: 总计, then 类/款/项 rows by classification code.

    Leaf rows (no child code present) are typed in; parent rows and 总计 add up their children.
    """

    catalog: str = "functional"  # or "economic"
    input_cols: tuple[str, ...] = ()
    row_sums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # 表七: the 合计 of an economic 款 goes to 人员经费 or 公用经费 by its 类
    split: dict[str, tuple[str, ...]] = field(default_factory=dict)
    split_from: str = ""


@dataclass(frozen=True)
class ItemTable(TableSpec):
    """表九: numbered items "[30201]办公费" with 合计 = 基本支出 + 项目支出, and 总计."""

    input_cols: tuple[str, ...] = ()
    row_sums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    items: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PerformanceSpec(TableSpec):
    """表十二: one 部门整体支出绩效目标表 and one 项目支出绩效目标表 per project."""

    whole_title: str = "部门整体支出绩效目标表"
    project_title: str = "项目支出绩效目标表"
    # (key, label at column C or B, amount column) of the 预算情况 block, left then right side
    budget_left: tuple[tuple[str, str], ...] = ()
    budget_right: tuple[tuple[str, str], ...] = ()
    fund_lines: tuple[tuple[str, str], ...] = ()
    levels: tuple[str, ...] = ("成本指标", "产出指标", "效益指标", "满意度指标")


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


def _t1() -> TwoSidedTable:
    income = [Line(f"in.{k}", f"{chinese_number(i)}、{label}", input=False) for i, (k, label) in
              enumerate(INCOME, 1)]
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
        numbered=False, pairs=tuple(pairs))


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
                     lines=tuple(lines))


def _t4() -> TwoSidedTable:
    funds = [("general", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
             ("state_capital", "国有资本经营预算财政拨款")]
    income = [Line("in.subtotal", "一、本年收入")]
    income += [Line(f"in.{k}", f"（{chinese_number(i)}）{label}") for i, (k, label) in enumerate(funds, 1)]
    spend = [Line("exp.subtotal", "一、本年支出")]
    spend += [Line(f"exp.{code}", f"（{chinese_number(i)}）{label}", code=code)
              for i, (code, label) in enumerate(FUNCTIONAL_CLASSES, 1)]
    pairs = [(income[i] if i < len(income) else None, spend[i]) for i in range(len(spend))]
    pairs.append((Line("in.total", "收入总计"), Line("exp.total", "支出总计")))
    return TwoSidedTable(
        "T4", "表四", "财政拨款收支总体情况表",
        (Col("in_label", ("收 入", "项目"), 34, False), Col("in_amount", ("收 入", "预算数")),
         Col("exp_label", ("支 出", "项目"), 34, False), Col("exp_amount", ("支 出", "合计"))),
        numbered=False, pairs=tuple(pairs))


_UNIT = Col("name", ("单位名称",), 34, False)


def _t3() -> UnitTable:
    return UnitTable(
        "T3", "表三", "部门支出总体情况表",
        (_UNIT, Col("total", ("支出合计",)), Col("basic", ("基本支出",)),
         Col("project", ("项目支出",)), Col("carry", ("上年结转",))),
        input_cols=("basic", "project", "carry"),
        row_sums={"total": ("basic", "project", "carry")})


_FUNDS = (("gp", "一般公共预算支出"), ("gf", "政府性基金预算支出"), ("sc", "国有资本经营预算支出"))


def _t5() -> UnitTable:
    cols = [_UNIT, Col("total", ("总计",))]
    sums: dict[str, tuple[str, ...]] = {}
    for key, label in _FUNDS:
        cols += [Col(f"{key}_total", (label, "合计")), Col(f"{key}_basic", (label, "基本支出")),
                 Col(f"{key}_project", (label, "项目支出"))]
        sums[f"{key}_total"] = (f"{key}_basic", f"{key}_project")
    sums["total"] = tuple(f"{key}_total" for key, _ in _FUNDS)
    return UnitTable(
        "T5", "表五", "财政拨款支出表", tuple(cols),
        input_cols=tuple(f"{k}_{part}" for k, _ in _FUNDS for part in ("basic", "project")),
        row_sums=sums)


def _t6() -> CodeTable:
    group = "一般公共预算支出"
    return CodeTable(
        "T6", "表六", "一般公共预算支出情况表",
        (Col("code", ("功能分类科目", "科目编码"), 12, False),
         Col("name", ("功能分类科目", "科目名称"), 40, False),
         Col("total", (group, "合计")), Col("basic", (group, "基本支出")),
         Col("project", (group, "项目支出"))),
        catalog="functional", input_cols=("basic", "project"),
        row_sums={"total": ("basic", "project")})


def _t7() -> CodeTable:
    group = "一般公共预算基本支出"
    return CodeTable(
        "T7", "表七", "一般公共预算基本支出情况表",
        (Col("code", ("经济分类科目", "科目编码"), 12, False),
         Col("name", ("经济分类科目", "科目名称"), 40, False),
         Col("total", (group, "合计")), Col("personnel", (group, "人员经费")),
         Col("public", (group, "公用经费"))),
        catalog="economic", input_cols=("total",),
        split={"personnel": PERSONNEL_CLASSES}, split_from="total")


def _t8() -> UnitTable:
    group, car = "“三公”经费", "公务用车购置和运行费"
    return UnitTable(
        "T8", "表八", "一般公共预算财政拨款“三公”经费、会议费、培训费支出情况表",
        (_UNIT, Col("sangong", (group, "合计")), Col("abroad", (group, "因公出国（境）费用")),
         Col("reception", (group, "公务接待费")), Col("car_buy", (group, car, "公务用车购置费")),
         Col("car_run", (group, car, "公务用车运行费")), Col("meeting", ("会议费",)),
         Col("training", ("培训费",))),
        input_cols=("abroad", "reception", "car_buy", "car_run", "meeting", "training"),
        row_sums={"sangong": ("abroad", "reception", "car_buy", "car_run")})


def _t9() -> ItemTable:
    return ItemTable(
        "T9", "表九", "一般公共预算财政拨款机关运行经费表",
        (Col("seq", ("序号",), 8, False), Col("item", ("项目",), 34, False),
         Col("total", ("合计",)), Col("basic", ("基本支出",)), Col("project", ("项目支出",))),
        input_cols=("basic", "project"), row_sums={"total": ("basic", "project")},
        items=RUNNING_COST_ITEMS)


def _fund_table(id_: str, sheet: str, name: str) -> CodeTable:
    return CodeTable(
        id_, sheet, name,
        (Col("code", ("科目编码",), 12, False), Col("name", ("科目名称",), 40, False),
         Col("amount", ("预算数",), 18)),
        catalog="functional", input_cols=("amount",))


def _t12() -> PerformanceSpec:
    return PerformanceSpec(
        "T12", "表十二", "部门整体支出绩效目标表和项目支出绩效目标表",
        (Col("label", ("",), 16, False), Col("b", ("",), 16, False), Col("c", ("",), 30, False),
         Col("d", ("",), 30, False), Col("e", ("",), 18, False), Col("f", ("",), 16, False)),
        numbered=False,
        budget_left=(("personnel", "人员经费"), ("public", "公用经费"), ("basic", "合计"),
                     ("project", "项目支出"), ("spend_total", "支出预算合计")),
        budget_right=(("current", "当年财政拨款"), ("carry", "上年结转资金"), ("other", "其他资金"),
                      ("income_total", "收入预算合计")),
        fund_lines=(("total", "年度资金总额"), ("current", "其中：当年财政拨款"),
                    ("carry", "上年结转资金"), ("other", "其他资金")))


T1, T2, T3, T4 = _t1(), _t2(), _t3(), _t4()
T5, T6, T7, T8 = _t5(), _t6(), _t7(), _t8()
T9 = _t9()
T10 = _fund_table("T10", "表十", "政府性基金预算支出情况表")
T11 = _fund_table("T11", "表十一", "国有资本经营预算支出情况表")
T12 = _t12()

TABLES: tuple[TableSpec, ...] = (T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12)
BY_ID = {t.id: t for t in TABLES}
