"""Layout profiles: which tables a published disclosure has, what each is titled and in which
unit it is printed, which of our columns it carries, and which rules therefore apply.

Declared as data beside the spec (workbook/spec.py declares our own 12 tables once; a profile
says how another layout's tables map onto them). Two profiles:

- `gansu-12` (default; the only template budgetbook writes): the 12 tables of the spec, in 万元.
- `nine-table`: the 9-table layout of Shanghai and of the Ministry of Finance's central template
  (财务收支预算总表 … "三公"经费和机关运行经费预算表), read from published PDFs: figures in 元 (the
  三公 table in 万元), spending by functional code, no by-unit tables, no 会议费/培训费 columns,
  机关运行经费 as one figure, blank printed for zero, no 绩效目标表 of the whole department.

A rule runs in a profile when the profile has every table the rule reads (the F.*, C.* and N.*
families look at whichever of their tables are there) and the profile does not switch it off
for a column or a convention it lacks (`off`, each with the reason).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import spec


@dataclass(frozen=True)
class Layout:
    """One printed table of a profile, as our table `table`."""

    table: str  # our id (T1 …)
    titles: tuple[str, ...]  # words its title contains (spaces removed); the first layout matching wins
    unit: str = "万元"  # printed unit when no unit line says otherwise
    # our column key -> words of the printed column header (its lowest header cell) that mean it
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: str = ""  # how its rows map: "lines" (label/amount pairs), "codes", "total" (only 合计), "figures"


@dataclass(frozen=True)
class Profile:
    name: str
    label: str  # Chinese, for messages
    layouts: tuple[Layout, ...]
    off: dict[str, str] = field(default_factory=dict)  # rule id -> why it does not run here

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(layout.table for layout in self.layouts))

    def layout(self, table: str) -> Layout | None:
        return next((layout for layout in self.layouts if layout.table == table), None)

    def runs(self, rule) -> bool:
        """Whether `rule` (a Rule class) applies to a document of this layout."""
        if rule.id in self.off:
            return False
        if rule.id.split(".")[0] in ("F", "C", "N"):
            return True
        return all(t in self.tables for t in rule.tables)


_MONEY = ("合计",)
GANSU_12 = Profile(
    "gansu-12", "甘肃 12 张表（本工具模板）",
    tuple(Layout(t.id, (t.name,)) for t in spec.TABLES),
)

NINE_TABLE = Profile(
    "nine-table", "9 张表（上海、财政部中央部门模板）",
    (
        # order matters: 财政拨款收支预算总表 before 收支, 收入/支出预算总表 after both
        Layout("T4", ("财政拨款收支预算总表",), "元", {"in_amount": ("预算数",), "exp_amount": _MONEY}, "lines"),
        Layout("T1", ("财务收支预算总表", "收支预算总表"), "元", {"in_amount": ("预算数",), "exp_amount": ("预算数",)},
               "lines"),
        Layout("T2", ("收入预算总表",), "元",
               {"total": _MONEY, "fiscal": ("财政拨款收入", "财政拨款"), "business": ("事业收入",),
                "operating": ("事业单位经营收入", "经营收入"), "other": ("其他收入",)}, "total"),
        Layout("T3", ("支出预算总表",), "元", {"total": _MONEY, "basic": ("基本支出",), "project": ("项目支出",)},
               "total"),
        Layout("T6", ("一般公共预算支出功能分类预算表", "一般公共预算支出功能分类"), "元",
               {"total": _MONEY, "basic": ("基本支出",), "project": ("项目支出",)}, "codes"),
        Layout("T7", ("经济分类预算表", "基本支出部门预算经济分类"), "元",
               {"total": _MONEY, "personnel": ("人员经费",), "public": ("公用经费",)}, "codes"),
        Layout("T10", ("政府性基金预算支出功能分类预算表", "政府性基金预算支出"), "元", {"amount": _MONEY}, "codes"),
        Layout("T11", ("国有资本经营预算支出功能分类预算表", "国有资本经营预算支出"), "元", {"amount": _MONEY}, "codes"),
        Layout("T8", ("经费和机关运行经费",), "万元",
               {"sangong": _MONEY, "abroad": ("因公出国",), "reception": ("公务接待",), "car_buy": ("购置费",),
                "car_run": ("运行费",), "running": ("机关运行经费",)}, "figures"),
        # no title of its own: the 三公 table's 机关运行经费 column, one figure of 基本支出
        Layout("T9", (), "万元", {"total": ("机关运行经费",)}, "figures"),
    ),
    off={
        "T3.units": "部门支出预算总表按功能分类列示，不分单位",
        "T8.units": "“三公”经费表只有部门合计，不分单位",
        "T9.total": "机关运行经费只列一个总数，不分经济分类项目",
        "X.T7-T9.items": "机关运行经费只列一个总数，不分经济分类项目",
        "X.T8-T9.limits": "“三公”经费表没有会议费、培训费栏，机关运行经费不分项目",
        "X.T7-T8.meeting-training": "“三公”经费表没有会议费、培训费栏",
        "F.blank-zero": "此格式的表以空白表示零",
        "F.unit-line": "此格式的表按元编制（“三公”经费表按万元），读入时已按单位行换算为万元",
        "F.decimals": "此格式的表按元编制，换算为万元后不止两位小数",
        "F.note-line": "此格式的表不要求备注行",
        "F.title": "此格式的表名只写年度，部门名称在“编制部门”行",
        "F.layout": "PDF 中的列按表头文字识别，不按模板位置",
        "F.below-note": "PDF 中的列按表头文字识别，不按模板位置",
        "F.merged-hidden": "PDF 没有合并单元格",
    },
)

PROFILES = {p.name: p for p in (GANSU_12, NINE_TABLE)}
DEFAULT = GANSU_12


def detect(titles: list[str]) -> Profile:
    """The profile whose table titles the document's titles (spaces removed) match best; the
    default (our own layout) when neither matches more."""
    def hits(profile: Profile) -> int:
        return sum(any(word in title for layout in profile.layouts for word in layout.titles) for title in titles)

    best = max(PROFILES.values(), key=hits)
    return best if hits(best) > hits(DEFAULT) else DEFAULT
