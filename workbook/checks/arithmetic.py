"""Within-table arithmetic and carried figures: one rule per family of derived cells.

Each derived cell is compared, as it stands, with the sum of its terms as they stand, so a
wrong figure is reported once, at the total it feeds, not at every total above it.
"""
from __future__ import annotations

from decimal import Decimal

from ..money import Bad, total
from .base import Context, Rule, register

# id -> (title, tables, how the terms are named in the message)
RELATION_RULES = {
    "T1.sum": ("表一 收入、支出合计与总计等于各行之和", ("T1",), "各行之和"),
    "T2.sum": ("表二 本年收入合计、收入合计等于各行之和", ("T2",), "各行之和"),
    "T3.row-sum": ("表三 支出合计 = 基本支出 + 项目支出 + 上年结转", ("T3",), "同行基本支出、项目支出、上年结转之和"),
    "T3.units": ("表三 部门行等于所属各单位之和", ("T3",), "所属单位之和"),
    "T3.total": ("表三 总计行等于部门行", ("T3",), "部门行"),
    "T4.sum": ("表四 本年收入、本年支出与总计等于各行之和", ("T4",), "各行之和"),
    "T5.row-sum": ("表五 各类资金合计 = 基本支出 + 项目支出，总计 = 各类资金合计之和", ("T5",), "同行各栏之和"),
    "T5.units": ("表五 部门行等于所属各单位之和", ("T5",), "所属单位之和"),
    "T5.total": ("表五 总计行等于部门行", ("T5",), "部门行"),
    "T6.row-sum": ("表六 合计 = 基本支出 + 项目支出", ("T6",), "同行基本支出、项目支出之和"),
    "T6.rollup": ("表六 类、款等于所属款、项之和", ("T6",), "下级科目之和"),
    "T6.total": ("表六 总计等于各类之和", ("T6",), "各类之和"),
    "T7.split": ("表七 人员经费、公用经费按经济分类划分（301、303 为人员经费）", ("T7",), "按经济分类应列数"),
    "T7.rollup": ("表七 类等于所属款之和", ("T7",), "下级科目之和"),
    "T7.total": ("表七 总计等于各类之和", ("T7",), "各类之和"),
    "T8.row-sum": ("表八 “三公”经费合计 = 因公出国（境）+ 公务接待 + 公务用车购置 + 公务用车运行", ("T8",),
                   "四项之和"),
    "T8.units": ("表八 部门行等于所属各单位之和", ("T8",), "所属单位之和"),
    "T8.total": ("表八 总计行等于部门行", ("T8",), "部门行"),
    "T9.row-sum": ("表九 合计 = 基本支出 + 项目支出", ("T9",), "同行基本支出、项目支出之和"),
    "T9.total": ("表九 总计等于各项之和", ("T9",), "各项之和"),
    "T10.rollup": ("表十 类、款等于所属款、项之和", ("T10",), "下级科目之和"),
    "T10.total": ("表十 总计等于各类之和", ("T10",), "各类之和"),
    "T11.rollup": ("表十一 类、款等于所属款、项之和", ("T11",), "下级科目之和"),
    "T11.total": ("表十一 总计等于各类之和", ("T11",), "各类之和"),
    "T12.budget-sum": ("表十二 部门整体预算情况的合计等于其各项之和", ("T12",), "各项之和"),
    "T12.project-funds": ("表十二 项目年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金", ("T12",), "三项资金之和"),
    "X.T1-T2.income": ("表一 收入各行与表二一致", ("T1", "T2"), None),
    "X.T4-T2.funds": ("表四 财政拨款收入与表二一致", ("T4", "T2"), None),
    "X.T1-T6.class": ("表一 支出功能分类各类等于表六、表十、表十一该类之和", ("T1", "T6", "T10", "T11"), None),
    "X.T4-T6.class": ("表四 支出功能分类各类等于表六、表十、表十一该类之和", ("T4", "T6", "T10", "T11"), None),
    "X.T12-whole.budget": ("表十二 部门整体预算情况与表二、表三、表七一致", ("T12", "T2", "T3", "T7"), None),
}


class RelationRule(Rule):
    """Compare each derived cell of one family with the sum of its terms."""

    severity = "error"
    template = "{target} 为 {actual}，{parts} 为 {expected}，相差 {diff}"
    parts_text: str | None = None

    def check(self, ctx: Context):
        for rel in ctx.relations_of(self.id):
            actual = ctx.value(rel.target)
            terms = [ctx.value(t) for t in rel.terms]
            if isinstance(actual, Bad) or any(isinstance(v, Bad) for v in terms):
                continue  # text in a money cell is its own finding (F.not-number)
            expected = total(terms)
            if actual is None and expected == Decimal(0):
                continue  # a blank that should read 0.00 is F.blank-zero
            places = [ctx.place(rel.target)]
            if self.parts_text is None:  # carried between tables: mark both sides
                places += [ctx.place(t) for t in rel.terms]
            finding = self.differ(places, expected, actual, target=ctx.describe(rel.target),
                                  parts=self._parts(ctx, rel))
            if finding:
                yield finding

    def _parts(self, ctx: Context, rel) -> str:
        if self.parts_text is not None:
            return self.parts_text
        if not rel.terms:
            return "对应表中无此项，应"
        named = "、".join(ctx.describe(t) for t in rel.terms[:3])
        more = f" 等 {len(rel.terms)} 格" if len(rel.terms) > 3 else ""
        return f"{named}{more}" + ("之和" if len(rel.terms) > 1 else "")


def _make(rule_id: str, title: str, tables: tuple[str, ...], parts: str | None) -> type[Rule]:
    name = "Rule_" + rule_id.replace(".", "_").replace("-", "_")
    return register(type(name, (RelationRule,), {"id": rule_id, "title": title, "tables": tables,
                                                 "parts_text": parts}))


for _id, (_title, _tables, _parts) in RELATION_RULES.items():
    _make(_id, _title, _tables, _parts)


class Balance(Rule):
    """收入总计 = 支出总计 on the two-sided tables."""

    severity = "error"
    template = "{income} 为 {actual}，{spend} 为 {expected}，收支不平衡，相差 {diff}"

    def check(self, ctx: Context):
        from ..model import Ref

        table_id = self.tables[0]
        if table_id not in ctx.book.tables:
            return
        income, spend = Ref(table_id, "in.total", "amount"), Ref(table_id, "exp.total", "amount")
        if ctx.book.cell(income) is None or ctx.book.cell(spend) is None:
            return
        a, b = ctx.value(income), ctx.value(spend)
        if isinstance(a, Bad) or isinstance(b, Bad) or not isinstance(b, Decimal):
            return
        finding = self.differ([ctx.place(income), ctx.place(spend)], b, a,
                              income=ctx.describe(income), spend=ctx.describe(spend))
        if finding:
            yield finding


@register
class T1Balance(Balance):
    id, title, tables = "T1.balance", "表一 收入总计等于支出总计", ("T1",)


@register
class T4Balance(Balance):
    id, title, tables = "T4.balance", "表四 收入总计等于支出总计", ("T4",)
