"""Within-table arithmetic and carried figures: one rule per family of derived cells.

Each derived cell is compared, as it stands, with the sum of its terms as they stand, so a
wrong figure is reported once, at the total it feeds, not at every total above it.
"""
from __future__ import annotations

from decimal import Decimal

from .. import spec
from ..money import CENT, Bad, fmt, total
from ..reader import norm
from .base import Context, Rule, register

def _words(table: spec.TableSpec, target: str, parts) -> tuple[str, list[str]]:
    """A row sum's columns as the table prints them: the target with its group heading (表五
    "一般公共预算支出合计"), the parts by their own heading; a heading every money column shares
    (表六 一般公共预算支出) is left out."""
    money = [table.col(c).header for c in table.money_keys]
    common = money[0][0] if len({h[0] for h in money}) == 1 and all(len(h) > 1 for h in money) else None

    def full(col):
        path = table.col(col).header
        return "".join(path[1:] if path[0] == common else path)

    lasts = [table.col(c).header[-1] for c in parts]
    words = lasts if len(set(lasts)) == len(lasts) else [full(c) for c in parts]
    head = table.col(target).header
    return ("".join(head[-2:]) if len(head) > 1 and head[0] != common else head[-1]), words


def _line_words(labels: dict[str, str], target: str, parts) -> str:
    names = [norm(labels[p]) for p in parts]
    joined = (names[0] if len(names) == 1 else f"{'、'.join(names)}之和" if len(names) <= 3
              else f"{names[0]}至{names[-1]}各行之和")
    return f"{norm(labels[target])}等于{joined}"


def _sum_title(table: spec.TableSpec, sums, labels: dict[str, str]) -> str:
    return f"{table.sheet} " + "；".join(_line_words(labels, t, parts) for t, parts in sums)


def _row_sum_title(table: spec.TableSpec) -> str:
    # in words, as an accountant says it; columns summed alike are named together
    groups: dict[tuple[str, ...], list[str]] = {}
    for col, terms in table.row_sums.items():
        target, words = _words(table, col, terms)
        groups.setdefault(tuple(words), []).append(target)
    parts = [f"{targets[0]}等于" if len(targets) == 1 else f"{'、'.join(targets)}各等于" for targets in groups.values()]
    return f"{table.sheet} " + "；".join(f"{head}{'、'.join(words)}之和" for head, words in zip(parts, groups))


def _declared() -> dict[str, tuple[str, tuple[str, ...], str | None]]:
    """rule id -> (title, tables read, how the terms are named in a message; None: name each
    term's cell). Generated from the relations the spec declares, so the titles say exactly
    what is added up."""
    rules: dict[str, tuple[str, tuple[str, ...], str | None]] = {}
    for t in spec.TABLES:
        tid = (t.id,)
        if isinstance(t, spec.LINE_KINDS):
            labels = {line.key: line.label for line in t.lines}
            rules[f"{t.id}.sum"] = (_sum_title(t, t.sums, labels), tid, "各行之和")
        if t.row_sums:
            rules[f"{t.id}.row-sum"] = (_row_sum_title(t), tid, "同行各栏之和")
        if isinstance(t, spec.UnitTable):
            rules[f"{t.id}.units"] = (f"{t.sheet} 部门行等于所属各单位之和", tid, "所属单位之和")
            rules[f"{t.id}.total"] = (f"{t.sheet} 总计行等于部门行", tid, "部门行")
        if isinstance(t, spec.CodeTable):
            if t.split:
                [(col, classes)] = t.split.items()
                rules[f"{t.id}.split"] = (f"{t.sheet} {t.col(col).header[-1]}、"
                                          f"{'、'.join(t.col(c).header[-1] for c in t.money_keys if c not in (col, t.split_from))}"
                                          f"按经济分类划分（{'、'.join(classes)} 为{t.col(col).header[-1]}）", tid,
                                          "按经济分类应列数")
            levels = [spec_level for n, spec_level in ((3, "类"), (5, "款"), (7, "项")) if n in t.lengths]
            rules[f"{t.id}.rollup"] = (f"{t.sheet} {'、'.join(levels[:-1])}等于所属{'、'.join(levels[1:])}之和", tid,
                                       "下级科目之和")
            rules[f"{t.id}.total"] = (f"{t.sheet} 总计等于各类之和", tid, "各类之和")
        if isinstance(t, spec.ItemTable):
            rules[f"{t.id}.total"] = (f"{t.sheet} 总计等于各项之和", tid, "各项之和")
        if isinstance(t, spec.PerformanceSpec):
            labels = {k: v.replace("其中：", "") for k, v in (*t.budget_left, *t.budget_right, *t.fund_lines)}
            labels["basic"] = "基本支出合计"  # printed as 合计 under 基本支出
            rules["T12.budget-sum"] = (f"{t.sheet} 部门整体预算情况：" + "；".join(
                _line_words(labels, target, parts) for target, parts in t.budget_sums), tid, "各项之和")
            rules["T12.project-funds"] = (f"{t.sheet} 项目" + "；".join(
                _line_words(labels, target, parts) for target, parts in t.fund_sums), tid, "三项资金之和")
    for carry in spec.CARRIES:
        sources = sorted({term[0] for terms in carry.terms.values() for term in terms}, key=spec.ALL_IDS.index)
        rules[carry.rule] = (carry.title, (carry.target, *sources), None)
    for rule, title, tid, _ in spec.CLASS_CARRIES:
        rules[rule] = (title, (tid, *spec.FISCAL_TABLES), None)
    sources = {term[0] for terms in (*spec.WHOLE_TERMS.values(), *spec.WHOLE_FROM_T7.values()) for term in terms}
    rules[spec.WHOLE_RULE[0]] = (spec.WHOLE_RULE[1], ("T12", *sorted(sources, key=spec.ALL_IDS.index)), None)
    return rules


RELATION_RULES = _declared()


class RelationRule(Rule):
    """Compare each derived cell of one family with the sum of its terms.

    A sum cannot say which of its terms is wrong, so the message lists them with their figures
    (within one table) or names them (across tables, where both sides are marked)."""

    severity = "error"
    template = "{target} 为 {actual}，{parts} 为 {expected}，相差 {diff}"
    parts_text: str | None = None  # what the terms are, in words ("所属单位之和")
    placed = ("the total that disagrees with its terms (its own row for a row sum); a total over a single row "
              "also that row; a figure carried from another table also the cells it comes from")

    def check(self, ctx: Context):
        for rel, actual, terms in ctx.unsettled(self.id):
            if isinstance(actual, Bad) or any([isinstance(v, Bad) for v in terms]):
                continue  # text in a money cell is its own finding (F.not-number)
            expected = total(terms)
            if actual is None and expected == Decimal(0):
                continue  # a blank that should read 0.00 is F.blank-zero
            if isinstance(actual, Decimal) and actual == expected:
                continue  # the common case: nothing to say, so no words are built
            places = [ctx.place(rel.target)]
            across = any(t.table != rel.target.table for t in rel.terms)
            if across:  # carried between tables: mark both sides
                places += [ctx.place(t) for t in rel.terms]
            elif len(rel.terms) == 1:  # a total over one row (a lone unit, a 款 with one 项): that row too
                places.append(ctx.place(rel.terms[0]))
            finding = self.differ(places, expected, actual, terms=len(rel.terms), step=_step(ctx, rel),
                                  target=ctx.describe(rel.target), parts=self._parts(ctx, rel, terms, across))
            if finding:
                yield finding

    def _parts(self, ctx: Context, rel, values, across: bool) -> str:
        if not rel.terms:
            return "对应表中无此项，应"
        if across:
            named = "、".join(ctx.describe(t) for t in rel.terms[:3])
            more = f"等 {len(rel.terms)} 格" if len(rel.terms) > 3 else ""
            return f"{named}{more}" + ("之和" if len(rel.terms) > 1 else "")
        shown = [f"{ctx.place(t).cell} {fmt(v)}" for t, v in zip(rel.terms[:6], values)]
        if len(rel.terms) > 6:
            shown = shown[:5] + [f"…共 {len(rel.terms)} 格"]
        return f"{self.parts_text or '各项之和'}（{' + '.join(shown)}）"


def _step(ctx: Context, rel) -> Decimal:
    """The coarsest rounding among the tables a relation reads (a 万元 table beside 元 ones)."""
    tables = ctx.book.tables
    return max((table.step for t in (rel.target, *rel.terms) if (table := dict.get(tables, t.table))), default=CENT)


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
    placed = ("收入总计 and 支出总计; also the one 表二 income line that explains the difference when the tables can "
              "tell (the 财政拨款 lines pinned while they equal 表六/表十/表十一 总计, see the cross-table rules)")

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
            from .cross import traced  # here: importing it first would register the cross rules first
            yield traced(ctx, finding, [([income], a - b), ([spend], b - a)])


@register
class T1Balance(Balance):
    id, title, tables = "T1.balance", "表一 收入总计等于支出总计", ("T1",)


@register
class T4Balance(Balance):
    id, title, tables = "T4.balance", "表四 收入总计等于支出总计", ("T4",)
