"""What the 基本情况 sheet holds: the narrative's inputs that no table has (declared once, like
workbook.spec: the template writes the sheet, workbook.narrative reads it).

Texts (部门职责, 机构设置, 其他重要事项, 绩效管理), the 政府采购 and 国有资产 figures, the signing
date, and for each figure the narrative compares with last year its 上年预算数 (used when no
last-year workbook is given) and the reason for the change. A blank input is None: the narrative
then shows 【请填写：…】 instead of inventing anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SHEET = "基本情况"
TITLE = "部门预算公开情况说明·基本情况"  # after the department and year in the sheet's title


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # column A of the sheet, also the name in 【请填写：…】
    kind: str  # text, money (万元), count, date
    required: bool = True
    height: float | None = None  # row height for long texts


SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    ("一、部门概况", (
        Field("duties", "部门职责", "text", height=150),
        Field("offices", "内设机构", "text", height=60),
        Field("status", "单位性质（行政、参公、事业）", "text", height=30),
        Field("units", "所属单位", "text", height=30),
        Field("dept_code", "部门代码（表十二各项目的“主管部门及代码”由此填写）", "text", required=False),
    )),
    ("二、政府采购和国有资产占用", (
        Field("buy.goods", "政府采购货物预算", "money"),
        Field("buy.works", "政府采购工程预算", "money"),
        Field("buy.services", "政府采购服务预算", "money"),
        Field("buy.note", "政府采购其他说明（可不填）", "text", required=False, height=45),
        Field("cars.count", "公务用车数量（辆）", "count"),
        Field("cars.value", "公务用车价值", "money"),
        Field("equipment.count", "单价50万元以上设备数量（台、套）", "count"),
        Field("equipment.value", "单价50万元以上设备价值", "money"),
        Field("assets.note", "国有资产其他说明（可不填）", "text", required=False, height=45),
    )),
    ("三、其他重要事项、绩效管理和落款", (
        Field("other", "其他重要事项", "text", height=150),
        Field("performance", "预算绩效管理情况", "text", height=150),
        Field("date", "落款日期", "date"),
    )),
)

FIELDS = {f.key: f for _, fields in SECTIONS for f in fields}


@dataclass(frozen=True)
class Compared:
    """A figure the narrative compares with last year (key as in workbook.narrative.facts)."""

    key: str
    label: str
    prior: bool = True  # 上年预算数 typed here; False: the sum of the rows below it
    reason: bool = True


# A remark in brackets says which money a figure is (the sheet reads a label without it, so
# workbooks made before still read): the text compares 表六's 一般公共预算 基本支出 with last year's,
# and a department-wide figure typed there would give a wrong change.
COMPARED = (
    Compared("total", "收支总预算（部门全部资金，表一）"),
    Compared("basic", "基本支出（一般公共预算，表六）"),
    Compared("project", "项目支出（一般公共预算，表六）"),
    Compared("sangong", "“三公”经费", prior=False),
    Compared("abroad", "因公出国（境）费用"),
    Compared("reception", "公务接待费"),
    Compared("car", "公务用车购置及运行维护费", prior=False),
    Compared("car_buy", "公务用车购置费", reason=False),
    Compared("car_run", "公务用车运行费", reason=False),
    Compared("meeting", "会议费"),
    Compared("training", "培训费"),
    Compared("running", "机关运行经费"),
)

COMPARE_HEADER = ("比较项目", "科目编码", "上年预算数", "增减原因")
ITEMS_LABEL = "支出功能分类（项）"  # the rows below: one functional 项 a row, by code


def item_key(code: str) -> str:
    return f"item:{code}"


@dataclass
class Info:
    """The inputs as read (or as the bundled example gives them)."""

    values: dict[str, object] = field(default_factory=dict)  # Field.key -> str | Decimal | int | date
    prior: dict[str, Decimal] = field(default_factory=dict)  # facts key -> 上年预算数
    reasons: dict[str, str] = field(default_factory=dict)  # facts key -> 增减原因
    items: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of the 项 rows, sheet order
    where: dict[str, str] = field(default_factory=dict)  # "duties", "prior:basic", "reason:item:…" -> 基本情况!B5
    found: bool = True  # False: the workbook has no 基本情况 sheet

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def number(self, key: str) -> Decimal | None:
        value = self.values.get(key)
        return Decimal(value) if isinstance(value, (int, Decimal)) else None

    def signed(self) -> date | None:
        value = self.values.get("date")
        return value if isinstance(value, date) else None

    def cell(self, key: str) -> str:
        """Where an input goes, for the 【请填写】 list: the cell when the sheet has one."""
        return self.where.get(key, SHEET)
