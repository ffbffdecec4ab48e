"""表十二 绩效目标表 (P.*): the project tables add up to 项目支出, every project has its four
kinds of indicators with values, a 成本指标 does not cap the cost below the project's own money,
names and goals are filled in, and the 部门整体 table is there.

The 预算情况 block of the 部门整体 table and each project's 年度资金总额 are arithmetic's
(T12.budget-sum, T12.project-funds, X.T12-whole.budget); placeholders in these texts are F.placeholder.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from ..model import ProjectBlock, Ref, Row, Table
from ..money import Bad, fmt, total
from .base import Context, Finding, Place, Rule, register
from .form import goal_place, squeeze


def performance(ctx: Context) -> Table | None:
    return ctx.book.tables.get("T12")


class PerformanceRule(Rule):
    """A 表十二 rule: `check_table` runs only when the workbook has 表十二 (a missing table is
    F.tables-present's finding) and, with `needs_whole`, its 部门整体 block (P.whole-present's)."""

    needs_whole: bool = False
    placed = "the 表十二 cells the message names: the project's or the 部门整体 table's own cells"

    def check(self, ctx: Context):
        table = performance(ctx)
        if table is not None and (table.whole is not None or not self.needs_whole):
            yield from self.check_table(ctx, table)

    def check_table(self, ctx: Context, table: Table):
        raise NotImplementedError


def project_total(ctx: Context, project: ProjectBlock) -> Decimal | Bad | None:
    """年度资金总额 as it stands, or the sum of its parts when it is still blank (not yet filled);
    None for a block without a 年度资金总额 line."""
    row = project.funds.get("total")
    if row is None:
        return None
    ref = Ref("T12", row.key, "amount")
    value = ctx.value(ref)
    return value if value is not None else ctx.settled(ref)


def in_use(ctx: Context, project: ProjectBlock) -> bool:
    """A block with a name, money, a goal or a filled indicator (an unused template block is not)."""
    money = project_total(ctx, project)
    return bool(project.name.strip() or project.goal.strip()
                or (isinstance(money, Decimal) and money != 0)
                or any(ind.level3 or ind.value for _, ind in project.indicators))


def project_label(project: ProjectBlock) -> str:
    return f"项目“{project.name.strip() or '（未填名称）'}”"


def project_part(ctx: Context, project: ProjectBlock, key: str) -> Decimal | Bad | None:
    row = project.funds.get(key)
    return ctx.value(Ref("T12", row.key, "amount")) if row else None


@register
class ProjectsTotal(PerformanceRule):
    """The project tables against 项目支出, like with like. A project's 年度资金总额 = 当年财政拨款 +
    上年结转资金 + 其他资金; 表三's 项目支出 is this year's money of all sources and its 上年结转 column
    the spending of last year's money. So the projects' 年度资金总额 less their 上年结转资金 must equal
    表三 项目支出, and their 上年结转资金 together cannot exceed 表三 上年结转 (which may also finance
    basic spending). Without 表三, 表六's 项目支出 (一般公共预算 only) is the target."""

    id = "P.projects-total"
    placed = ("the 表三 units whose 项目支出 disagrees with their own projects (实施单位), with those projects' cells "
              "and 表五's when it agrees with 表三; else 表三 (or 表六) 项目支出 with every project's 年度资金总额, or "
              "the one project whose figure lost its decimal point, or the one whose 当年财政拨款 or 其他资金 alone can "
              "hold (or is exactly) the excess")
    title = "各项目年度资金总额（不含上年结转资金）之和等于项目支出，上年结转资金不超过上年结转"
    severity = "error"
    tables = ("T12", "T3", "T6")
    template = ("{sheet} {count} 个项目支出绩效目标表的{what}之和为 {actual}，{target} 为 {expected}，相差 {diff}；"
                "{advice}")

    def check_table(self, ctx: Context, table: Table):
        target = next((ref for ref in (Ref("T3", "total", "project"), Ref("T6", "total", "project"))
                       if ctx.book.cell(ref) is not None), None)
        if target is None:
            return
        expected = ctx.value(target)
        totals = [project_total(ctx, p) for p in table.projects]
        carried = [project_part(ctx, p, "carry") for p in table.projects]
        if expected is None or isinstance(expected, Bad) or any(isinstance(v, Bad) for v in totals + carried):
            return  # a blank total is not filled yet (fill writes it); text is F.not-number
        carry = total(carried)
        actual = total(totals) - carry
        if actual != expected:
            located = self._by_unit(ctx, table, target, expected - actual) if target.table == "T3" else None
            yield from located or [self._whole(ctx, table, target, expected, actual, carry)]
        spent = Ref("T3", "total", "carry")
        if carry and ctx.book.cell(spent) is not None and isinstance(ctx.value(spent), Decimal) \
                and carry > ctx.value(spent):
            yield from self._carry_by_unit(ctx, table) or [self._carry_whole(ctx, table, spent, carry)]

    def _whole(self, ctx: Context, table: Table, target: Ref, expected: Decimal, actual: Decimal, carry):
        """The finding at the total, naming every project's 年度资金总额 — or, when one project's
        figure lost its decimal point and that explains the whole difference, that project's cells."""
        slip = _slipped(ctx, table, actual - expected)
        alone = None if slip else _alone(ctx, table, actual - expected)
        shown = [slip[0]] if slip else [alone[0]] if alone else table.projects
        places = [ctx.place(target)] + [Place(table.sheet, p.funds["total"].addr("amount")) for p in shown
                                        if "total" in p.funds]
        what = "年度资金总额（不含上年结转资金）" if carry else "年度资金总额"
        advice = "每个项目都应有绩效目标表，项目的当年财政拨款与其他资金之和应等于项目支出" + \
            ("（上年结转资金对应表三“上年结转”栏）" if carry else "")
        if slip:
            project, row = slip
            value = ctx.value(Ref("T12", row.key, "amount"))
            places.append(Place(table.sheet, row.addr("amount")))
            advice = (f"{project_label(project)}的{_performance_label(row)} {fmt(value)} 像是 {fmt(value / 100)} "
                      "丢了小数点，多出的部分正是两者之差")
        elif alone:
            project, row = alone
            value = ctx.value(Ref("T12", row.key, "amount"))
            places.append(Place(table.sheet, row.addr("amount")))
            advice = f"{project_label(project)}的{_performance_label(row)}为 {fmt(value)}，" + \
                ("正是两者之差" if value == actual - expected else f"能容下两者之差 {fmt(actual - expected)} 的只有这一项")
        return self.differ(places, expected, actual, sheet=table.sheet, count=len(table.projects),
                           target=ctx.describe(target), what=what, advice=advice)

    def _by_unit(self, ctx: Context, table: Table, target: Ref, gap: Decimal) -> list[Finding] | None:
        """The units of 表三 whose 项目支出 differs from their own projects' 当年财政拨款 + 其他资金,
        when together they make the whole difference and are not every project (then the total
        finding says as much): one finding a unit, at its 表三 cell and its projects' cells."""
        groups = projects_by_unit(ctx, table)
        off = [(g, g.spent("project") - g.money("current", "other")) for g in groups or ()]
        off = [(g, d) for g, d in off if d != 0]
        if not off or sum(d for _, d in off) != gap or \
                sum(len(g.projects) for g, _ in off) >= sum(1 for p in table.projects if in_use(ctx, p)):
            return None
        alone = "，正是各项目与" + ctx.describe(target) + "之差" if len(off) == 1 else ""
        out = []
        for group, _ in off:
            spent = Ref("T3", group.unit.key, "project")
            current, fiscal = group.money("current"), group.fiscal()
            places = [ctx.place(spent)] + group.places(table, "total")
            if fiscal is not None and fiscal[0] != current:  # 表五 agrees with 表三, not with the projects
                places += group.places(table, "current") + fiscal[1]
                advice = (f"其中当年财政拨款之和 {fmt(current)} 与表五 该单位财政拨款项目支出 {fmt(fiscal[0])} "
                          f"也不一致{alone}；请核对项目的当年财政拨款")
            else:
                places += group.places(table, "other", nonzero=True)
                advice = f"当年财政拨款与表五一致{alone}；请核对项目的其他资金或表三 该单位项目支出"
            out.append(self.differ(list(dict.fromkeys(places)), group.spent("project"),
                                   group.money("current", "other"),
                                   sheet=f"{table.sheet} 中实施单位为“{group.name}”的", count=len(group.projects),
                                   what="当年财政拨款与其他资金", target=ctx.describe(spent), advice=advice))
        return out

    def _carry_whole(self, ctx: Context, table: Table, spent: Ref, carry: Decimal) -> Finding:
        rows = [Place(table.sheet, p.funds["carry"].addr("amount")) for p in table.projects
                if "carry" in p.funds and isinstance(project_part(ctx, p, "carry"), Decimal)
                and project_part(ctx, p, "carry") != 0]
        return self.finding([ctx.place(spent), *rows], sheet=table.sheet, count=len(rows),
                            what="上年结转资金", actual=fmt(carry), target=ctx.describe(spent),
                            expected=fmt(ctx.value(spent)), diff=fmt(carry - ctx.value(spent)),
                            advice="项目的上年结转资金不能超过表三的上年结转支出")

    def _carry_by_unit(self, ctx: Context, table: Table) -> list[Finding] | None:
        """The units whose projects carry more 上年结转资金 than 表三 gives the unit, when they are
        not all the projects."""
        groups = projects_by_unit(ctx, table) or ()
        over = [g for g in groups if g.money("carry") > g.spent("carry")]
        if not over or sum(len(g.projects) for g in over) >= sum(1 for p in table.projects if in_use(ctx, p)):
            return None
        return [self.finding([ctx.place(Ref("T3", g.unit.key, "carry")), *g.places(table, "carry", nonzero=True)],
                             sheet=f"{table.sheet} 中实施单位为“{g.name}”的", count=len(g.projects),
                             what="上年结转资金", actual=fmt(g.money("carry")),
                             target=ctx.describe(Ref("T3", g.unit.key, "carry")), expected=fmt(g.spent("carry")),
                             diff=fmt(g.money("carry") - g.spent("carry")),
                             advice="项目的上年结转资金不能超过该单位在表三的上年结转支出") for g in over]


def _slipped(ctx: Context, table: Table, excess: Decimal) -> tuple[ProjectBlock, Row] | None:
    """The one project 当年财政拨款 or 其他资金 that reads as typed without its decimal point
    (12345.00 for 123.45), 99/100 of it being exactly the excess; None when none or several fit."""
    if excess <= 0 or (excess * 100) % 99 or (excess * 100 / 99) % 1:
        return None
    typed = excess * 100 / 99
    found = [(p, p.funds[k]) for p in table.projects if "total" in p.funds
             for k in ("current", "other") if project_part(ctx, p, k) == typed]
    return found[0] if len(found) == 1 else None


def _alone(ctx: Context, table: Table, excess: Decimal) -> tuple[ProjectBlock, Row] | None:
    """When the projects add up to `excess` more than 项目支出: the one project 当年财政拨款 or
    其他资金 that can hold that much (a figure 12.00 too large is at least 12.00), else the one that
    is exactly that much; None when several fit (no other table repeats a project's amount)."""
    if excess <= 0:
        return None
    cells = [(p, p.funds[k], project_part(ctx, p, k)) for p in table.projects if "total" in p.funds
             for k in ("current", "other") if k in p.funds]
    if any(isinstance(v, Bad) for _, _, v in cells):
        return None
    fit = [(p, row, v) for p, row, v in cells if isinstance(v, Decimal) and v >= excess]
    exact = [c for c in fit if c[2] == excess]
    one = fit if len(fit) == 1 else exact if len(exact) == 1 else None
    return (one[0][0], one[0][1]) if one else None


def _performance_label(row: Row) -> str:
    return (row.label or "").replace("其中：", "").strip() or "资金"


class UnitProjects:
    """A unit of 表三, its 表五 row (None when 表五 does not list it) and the projects it carries
    out; blank and text amounts count as 0 (text is F.not-number's, blank F.blank-zero's)."""

    def __init__(self, ctx: Context, unit: Row, fiscal: Row | None):
        self.ctx, self.unit, self.fiscal_row, self.projects = ctx, unit, fiscal, []
        self.name = unit.label.strip()

    def money(self, *keys: str) -> Decimal:
        return sum((v for p in self.projects for k in keys for v in [project_part(self.ctx, p, k)]
                    if isinstance(v, Decimal)), Decimal(0))

    def spent(self, col: str) -> Decimal:
        value = self.unit.values.get(col)
        return value if isinstance(value, Decimal) else Decimal(0)

    def fiscal(self) -> tuple[Decimal, list[Place]] | None:
        """表五's 财政拨款 项目支出 of the unit (three funds) and the cells holding it."""
        row = self.fiscal_row
        if row is None:
            return None
        cols = [f"{k}_project" for k in ("gp", "gf", "sc") if f"{k}_project" in row.letters]
        values = [row.values.get(c) for c in cols]
        shown = [c for c, v in zip(cols, values) if isinstance(v, Decimal) and v != 0] or cols[:1]
        table = self.ctx.book.tables["T5"]
        return (sum((v for v in values if isinstance(v, Decimal)), Decimal(0)),
                [Place(table.sheet, row.addr(c)) for c in shown])

    def places(self, table: Table, key: str, nonzero: bool = False) -> list[Place]:
        return [Place(table.sheet, p.funds[key].addr("amount")) for p in self.projects if key in p.funds
                and (not nonzero or project_part(self.ctx, p, key) not in (None, Decimal(0)))]


def projects_by_unit(ctx: Context, table: Table) -> list[UnitProjects] | None:
    """The projects in use grouped by the 表三 unit named as their 实施单位 (names without spaces;
    with one unit in 表三, every project is its). None when a project with money names no unit
    of 表三, or a unit's figures are text: the tables then cannot be compared unit by unit."""
    def group():
        t3, t5 = ctx.book.tables.get("T3"), ctx.book.tables.get("T5")
        units = [r for r in t3.rows if r.kind == "unit" and r.label] if t3 else []
        if not units or any(isinstance(v, Bad) for r in units for v in r.values.values()):
            return None
        fiscal = {squeeze(r.label): r for r in (t5.rows if t5 else ()) if r.kind == "unit" and r.label}
        groups = {squeeze(r.label): UnitProjects(ctx, r, fiscal.get(squeeze(r.label))) for r in units}
        for project in table.projects:
            if not in_use(ctx, project):
                continue
            found = groups.get(squeeze(project.unit)) or (next(iter(groups.values())) if len(groups) == 1 else None)
            if found is None:
                return None
            found.projects.append(project)
        return list(groups.values())

    return ctx.memo(("projects_by_unit",), group)


@register
class IndicatorLevels(PerformanceRule):
    """Project tables only: the 部门整体 table uses its own 一级 names (部门管理, 履职效果 …)."""

    id = "P.indicator-levels"
    title = "项目绩效指标包括成本、产出、效益、满意度四类"
    severity = "warning"
    tables = ("T12",)
    template = "{project}的绩效指标缺少{missing}；项目支出绩效目标应设置成本、产出、效益、满意度四类一级指标"

    def check_table(self, ctx: Context, table: Table):
        for project in table.projects:
            if not in_use(ctx, project):
                continue
            have = {squeeze(ind.level1) for _, ind in project.indicators}
            missing = [level for level in table.spec.levels if level not in have]
            if missing:
                # the 一级指标 column of the project (its name cell when it has no indicators)
                level1 = table.spec.letter(table.spec.indicator_cols[0])
                places = [Place(table.sheet, f"{level1}{r}") for r, _ in project.indicators] or \
                    [Place(table.sheet, project.cells["name"])]
                yield self.finding(places, project=project_label(project), missing="、".join(missing))


def filled_blocks(ctx: Context, table):
    """(name, block) of the 部门整体 table and of every project block in use."""
    blocks = [("部门整体支出绩效目标表", table.whole)] if table.whole else []
    return blocks + [(project_label(p), p) for p in table.projects if in_use(ctx, p)]


@register
class IndicatorValue(PerformanceRule):
    id = "P.indicator-value"
    title = "每条绩效指标应有三级指标和指标值"
    severity = "warning"
    tables = ("T12",)
    template = "{block} 第 {row} 行的指标（{levels}）缺少{missing}"

    def check_table(self, ctx: Context, table: Table):
        for name, block in filled_blocks(ctx, table):
            for r, ind in block.indicators:
                level3, value = (table.spec.letter(k) for k in table.spec.indicator_cols[2:])
                missing = [(letter, what) for letter, what, text in
                           ((level3, "三级指标", ind.level3), (value, "指标值", ind.value)) if not text.strip()]
                if missing:
                    yield self.finding([Place(table.sheet, f"{letter}{r}") for letter, _ in missing],
                                       block=name, row=r, missing="、".join(w for _, w in missing),
                                       levels="/".join(x for x in (ind.level1, ind.level2) if x) or "未分级")


# "≤60万元", "≤ 5 万元", "不超过 600000 元", "控制在45万元以内"
_CAP = re.compile(r"(?:≤|<=|＜=|<|＜|≦|不超过|不高于|不大于|低于|小于|控制在)"
                  r"(?P<amount>\d+(?:,\d{3})*(?:\.\d+)?)(?P<unit>万元|万|元)")
# A cap this many times the year's money does not constrain it (e.g. a multi-year total).
LOOSE = 2


def cap_of(text: str) -> Decimal | None:
    match = _CAP.search(squeeze(text))
    if not match:
        return None
    try:
        amount = Decimal(match["amount"].replace(",", ""))
    except InvalidOperation:
        return None
    return amount / 10000 if match["unit"] == "元" else amount


@register
class CostCap(PerformanceRule):
    """Warning: a 成本指标 capping the cost below the project's 年度资金总额 contradicts the
    budget. Info: a cap more than twice the amount (reference project 4: ≤313.24 万元 against
    45.00) constrains nothing this year; it is often the project's multi-year total, so it is a
    hint, not a fault."""

    id = "P.cost-cap"
    title = "成本指标的金额上限与项目年度资金总额相符"
    severity = "warning"
    also = {"info": "上限超过年度资金总额两倍"}
    tables = ("T12",)
    template = "{project}的成本指标“{indicator}”为“{value}”，上限 {cap} 万元{relation}年度资金总额 {amount} 万元{advice}"

    def check_table(self, ctx: Context, table: Table):
        for project in table.projects:
            amount = project_total(ctx, project)
            if not isinstance(amount, Decimal) or "total" not in project.funds:
                continue
            total_place = Place(table.sheet, project.funds["total"].addr("amount"))
            for r, ind in project.indicators:
                cap = cap_of(ind.value) if squeeze(ind.level1) == "成本指标" else None
                if cap is None:
                    continue
                fields = dict(project=project_label(project), indicator=ind.level3 or ind.level2,
                              value=ind.value, cap=fmt(cap), amount=fmt(amount))
                places = [Place(table.sheet, f"{table.spec.letter(table.spec.indicator_cols[-1])}{r}"), total_place]
                if cap < amount:
                    yield self.finding(places, relation="低于", advice="，与预算安排矛盾", **fields)
                elif amount > 0 and cap > amount * LOOSE:
                    yield self.finding(places, severity="info", relation="远高于",
                                       advice=f"（{cap / amount:,.1f} 倍），成本指标应约束本年度资金；"
                                              "如为项目总投资（跨年度），建议注明或另设年度成本指标", **fields)


@register
class ProjectName(PerformanceRule):
    id = "P.project-name"
    title = "项目名称已填写且不重复"
    severity = "error"
    tables = ("T12",)
    template = "{where} {problem}"

    def check_table(self, ctx: Context, table: Table):
        named = defaultdict(list)
        for project in table.projects:
            place = Place(table.sheet, project.cells["name"])
            if project.name.strip():
                named[squeeze(project.name)].append(place)
            elif in_use(ctx, project):
                amount = project_total(ctx, project)
                amount = fmt(None if isinstance(amount, Bad) else amount)
                yield self.finding([place], where=str(place),
                                   problem=f"项目名称为空，但该项目绩效目标表已填写（年度资金总额 {amount}）")
        for name, places in named.items():
            if len(places) > 1:
                yield self.finding(places, where="、".join(str(p) for p in places),
                                   problem=f"项目“{name}”出现 {len(places)} 次；同一项目只应有一张绩效目标表")


@register
class Goal(PerformanceRule):
    id = "P.goal"
    title = "总体目标已填写"
    severity = "warning"
    tables = ("T12",)
    template = "{where} {block}的总体目标为空"

    def check_table(self, ctx: Context, table: Table):
        for name, block in filled_blocks(ctx, table):
            if not block.goal.strip():
                place = goal_place(table, block)
                yield self.finding([place], where=str(place), block=name)


@register
class WholePresent(PerformanceRule):
    id = "P.whole-present"
    title = "表十二 含部门整体支出绩效目标表"
    severity = "error"
    tables = ("T12",)
    template = "{sheet} 缺少部门整体支出绩效目标表（部门名称、总体目标、预算情况、绩效指标），应放在各项目支出绩效目标表之前"

    def check_table(self, ctx: Context, table: Table):
        if table.whole is None:
            yield self.finding([Place(table.sheet, "A3")], sheet=table.sheet)


@register
class WholeBalance(PerformanceRule):
    """收入预算合计 = 支出预算合计 + 结转下年 in the 部门整体 预算情况 block: the income side holds all
    of the department's money (表二), the spending side all its spending (表三, 表七 or typed), and
    what is carried to next year (表一 结转下年) is income not spent this year."""

    id = "P.whole-balance"
    title = "部门整体支出绩效目标表的收入预算合计等于支出预算合计（加结转下年）"
    severity = "error"
    tables = ("T12", "T1", "T2", "T3", "T7")
    template = "{spend} 为 {spent}{next}，{income} 为 {expected}，部门整体预算收支不平衡，相差 {diff}"

    needs_whole = True

    def check_table(self, ctx: Context, table: Table):
        spend, income = Ref("T12", "whole.spend_total", "amount"), Ref("T12", "whole.income_total", "amount")
        if ctx.book.cell(spend) is None or ctx.book.cell(income) is None:
            return
        a, b = ctx.value(spend), ctx.value(income)
        if not isinstance(a, Decimal) or not isinstance(b, Decimal):
            return  # blank: not filled yet (the arithmetic family says so); text is F.not-number
        later = Ref("T1", "exp.carry_next", "amount")
        carried = ctx.value(later) if "T1" in ctx.book.tables and ctx.book.cell(later) is not None else None
        carried = carried if isinstance(carried, Decimal) else Decimal(0)
        places = [ctx.place(spend), ctx.place(income)] + ([ctx.place(later)] if carried else [])
        finding = self.differ(places, b, a + carried, spend=ctx.describe(spend), income=ctx.describe(income),
                              spent=fmt(a), next=f"，加{ctx.describe(later)} {fmt(carried)}（共 {fmt(a + carried)}）"
                              if carried else "")
        if finding:
            yield finding


@register
class UnitWithoutProjects(PerformanceRule):
    """A project carried out by a unit that, by 表三, spends nothing on projects: the project's money
    must then be in another unit's 项目支出 (or the 实施单位 is wrong). Compared by the money the
    project has: this year's (当年财政拨款 + 其他资金) against the unit's 项目支出, 上年结转资金 against
    its 上年结转."""

    id = "P.unit-project"
    title = "项目的实施单位在表三中应有项目支出"
    severity = "warning"
    tables = ("T12", "T3")
    template = "{project}的实施单位“{unit}”在{sheet}中{what}为 {shown}，该项目却有{money} {amount} 万元；请核对实施单位或表三"

    def check_table(self, ctx: Context, table: Table):
        t3 = ctx.book.tables.get("T3")
        if t3 is None:
            return
        units = {squeeze(r.label): r for r in t3.rows if r.kind in ("unit", "dept") and r.label}
        for project in table.projects:
            row = units.get(squeeze(project.unit))
            if row is None or "unit" not in project.cells:
                continue
            parts = {k: project_part(ctx, project, k) for k in ("current", "carry", "other")}
            if any(isinstance(v, Bad) for v in parts.values()):
                continue
            this_year = sum((v for k, v in parts.items() if k != "carry" and isinstance(v, Decimal)), Decimal(0))
            carried = parts["carry"] if isinstance(parts["carry"], Decimal) else Decimal(0)
            for money, amount, col, what in (("当年资金", this_year, "project", "项目支出"),
                                              ("上年结转资金", carried, "carry", "上年结转")):
                spent = row.values.get(col)
                if amount > 0 and not (isinstance(spent, Decimal) and spent > 0) and not isinstance(spent, Bad):
                    yield self.finding([Place(table.sheet, project.cells["unit"]), Place(t3.sheet, row.addr(col))],
                                       project=project_label(project), unit=project.unit.strip(), sheet=t3.sheet,
                                       what=what, shown=fmt(spent), money=money, amount=fmt(amount))
