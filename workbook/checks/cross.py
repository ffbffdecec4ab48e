"""Cross-table rules: figures typed (or added up from typed figures) in different tables that must
agree, or one of which must not exceed the other. Fill does not enforce any of them.

Relations that fill carries from one table to another (表一 ← 表二, 表一/表四 类 ← 表六+表十+表十一,
表四 ← 表二, 表十二 部门整体 ← 表二/表三/表七) are in arithmetic.py, not here. 表一's 类 lines are
carried only when the department has nothing but this year's 财政拨款; otherwise they are typed, and
X.T1-T6.class-min (here) checks them.

How figures are read, for every rule of this family:
- a figure is compared as it stands in its cell (a total that disagrees with its own terms is the
  arithmetic family's finding, reported once there);
- a blank total (a derived cell, not yet filled) is skipped: the arithmetic family reports it and
  `budgetbook fill` writes it;
- a blank typed cell counts as 0 in the comparison (every figure compared here is an amount of
  money or a limit on one; a blank where 0.00 belongs is the form family's finding), but the
  message shows it as 空;
- text in a money cell is skipped (F.not-number);
- a missing table or row skips the comparison, except where a rule says a missing economic or
  functional row counts as 0 (the code is simply not budgeted).
When two tables disagree, both cells are marked and the message does not say which one is wrong.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, NamedTuple

from .. import spec
from ..derive import class_terms, fiscal_only, whole_from_basic_table
from ..model import Ref, Row, Table
from ..money import ZERO, Bad, fmt
from .base import REGISTRY, Context, Finding, Place, Rule, register
from .rows import item_rows, label_place, roll_up_row, rows_with_code, unit_name, units
from .suspects import FUND_KEYS, LIMIT, PARTS, suspect, total_of, typed_under


# --- reading figures ---------------------------------------------------------------------------

class Fig(NamedTuple):
    """One figure to compare: where it is, its value for the comparison, and whether the cell is
    blank (a blank typed cell counts as 0)."""

    ref: Ref
    value: Decimal
    blank: bool = False

    @property
    def shown(self) -> str:
        """How it reads in a message ("空" for a blank cell): made only for a finding."""
        return fmt(None if self.blank else self.value)


def fig(ctx: Context, ref: Ref, *, typed: bool = False, row: Row | None = None) -> Fig | None:
    """The figure at `ref`, or None when it cannot be compared (see the module notes).

    `typed`: a cell the accountant types in this workbook although the reader takes it as derived
    (表一 类 lines when fill does not write them): a blank counts as 0."""
    row = row if row is not None else ctx.book.cell(ref)  # `row`: the caller has it at hand
    if row is None or ref.col not in row.letters:
        return None
    value = row.values.get(ref.col)
    if isinstance(value, Bad):
        return None
    if value is None:
        if ref.col in row.inputs or typed:
            return Fig(ref, ZERO, True)
        # a derived cell fill has not written yet, unless it adds up to 0: the publication prints
        # such a cell blank where its line is unused (spec.ZERO_RULES), a 0.00 as fill writes it
        return Fig(ref, ZERO) if ctx.settled(ref) == ZERO else None
    return Fig(ref, value)


def table(ctx: Context, tid: str) -> Table | None:
    return ctx.book.tables.get(tid)


def anchor(ctx: Context, tid: str, code: str, col: str) -> Ref | None:
    """Where a missing code row would sit: the row it would roll up into (its nearest 款/类 row
    present), else 总计. A finding about a code that one table lacks still marks a cell there."""
    row = roll_up_row(ctx, tid, code)
    if row is not None:
        return Ref(tid, row.key, col)
    t = table(ctx, tid)
    return Ref(tid, "total", col) if t and t.row("total") else None


def code_figs(ctx: Context, tid: str, codes: Iterable[str], col: str) -> list[Fig] | None:
    """The figures of every row carrying one of `codes` (a code listed twice is added up); an
    empty list when no row carries them. None when a row cannot be compared (text in the cell)."""
    figs: list[Fig] = []
    for code in codes:
        for row in rows_with_code(ctx, tid, code):
            f = fig(ctx, Ref(tid, row.key, col))
            if f is None:
                return None
            figs.append(f)
    return figs


# --- the rule kinds ------------------------------------------------------------------------------

class CrossRule(Rule):
    """Shared comparisons: `equal` (A = B) and `at_most` (A ≤ B), both with 尾差 handling."""

    severity = "error"
    placed = ("both cells compared; also the one typed cell behind a total when it has only one, or only one not "
              "0 (a lone unit, a lone row, a line carried from 表二, a fund one unit uses), the typed cell under the "
              "larger side whose decimal point was lost when exactly one fits, and the one row with a bound of its "
              "own that explains the difference (a 表三 or 表五 unit against the other table or its projects in 表十二, "
              "a typed 表一 类 line against its 财政拨款 spending, a 表六 项 or 表七 款 not pinned by an equality that "
              "holds: checks/suspects.py) — the last two looked for only on a side no third table confirms: the "
              "side another table refutes, else the larger side")

    def equal(self, ctx: Context, left: Fig, right: Fig) -> Finding | None:
        """A finding when `left` and `right` differ; 0.01 is 尾差 (warning). Both cells are marked,
        and the typed cell behind a total that has only one (`behind`)."""
        finding = self.differ([ctx.place(left.ref), ctx.place(right.ref)], right.value, left.value,
                              left=ctx.describe(left.ref), a=left.shown,
                              right=ctx.describe(right.ref), b=right.shown)
        gap = left.value - right.value
        return finding and traced(ctx, finding, [([left.ref], gap), ([right.ref], -gap)])

    def at_most(self, ctx: Context, parts: list[Fig], limit: list[Fig], **fields) -> Finding | None:
        """A finding when the sum of `parts` exceeds the sum of `limit`; an excess of exactly
        0.01 is 尾差 (warning), as for equalities: past the limit, the excess is `differ`'s.
        The message fields: left, right (the two sides in words) and the template's own."""
        return self._sums(ctx, parts, limit, lambda a, b: a <= b, **fields)

    def same(self, ctx: Context, parts: list[Fig], whole: list[Fig], **fields) -> Finding | None:
        """As `at_most`, for sums that must be equal."""
        return self._sums(ctx, parts, whole, lambda a, b: a == b, **fields)

    def _sums(self, ctx: Context, parts: list[Fig], other: list[Fig], holds, **fields) -> Finding | None:
        a = sum((f.value for f in parts), ZERO)
        b = sum((f.value for f in other), ZERO)
        if holds(a, b):
            return None
        places = list(dict.fromkeys(ctx.place(f.ref) for f in parts + other))
        finding = self.differ(places, b, a, a=_shown(parts), b=_shown(other), **fields)
        return finding and traced(ctx, finding, [([f.ref for f in parts], a - b), ([f.ref for f in other], b - a)])


def behind(ctx: Context, ref: Ref) -> Ref | None:
    """The typed cell a derived figure comes from when it has only one: a 总计 row over a single
    unit, a 类 over a single 款 and 项, a line carried from another table (表四 政府性基金 ← 表二); a
    unit's own total (表五 一般公共预算合计) counts, as it is that unit's row. None for a typed cell or
    a sum of several cells: then the tables cannot say which one."""
    found = None
    for _ in range(8):  # 总计 → 部门 → 单位 is the longest chain of single terms
        terms = ctx.derived.get(ref)
        if not terms or len(terms) != 1:
            break
        ref = found = Ref(*terms[0])
    row = ctx.book.cell(found) if found else None
    # a unit's row, or a typed cell: a 款 row under a lone 类 would still be a total
    return found if row is not None and (row.kind == "unit" or found.col in row.inputs) else None


def traced(ctx: Context, finding: Finding, sides: list[tuple[list[Ref], Decimal]]) -> Finding:
    """`finding` with the cells that explain it marked too and named in the message: the typed cell
    behind a total that has only one (`behind`), else, on the side that is too large, the one
    typed cell under it whose decimal point was lost (`slipped`), else the only one not 0 (`lone`)
    unless pinned, else the one row the bounds single out (suspects.suspect). The last two only on
    a side that a third figure does not confirm (`witness`): planted one at a time, a row named on
    the innocent side was the most common wrong pointer. `sides`: the cells of each side of the
    comparison and by how much that side exceeds the other."""
    extra, said = [], []

    def ties():  # made once per check, and only when asked
        return ctx.memo(("ties",), lambda: code_ties(ctx))

    # what a third figure says of each side: True confirms it, False refutes it, None: nothing
    said_by = [witness(ctx, refs[0], other[0]) if len(refs) == 1 and len(other) == 1 else None
               for (refs, _), (other, _) in zip(sides, sides[::-1])] if len(sides) == 2 else [None] * len(sides)
    for (refs, excess), mine, theirs in zip(sides, said_by, said_by[::-1]):
        # look for the row at fault under a side only when no third figure confirms that side and,
        # unless one confirms the other side, when it is the larger one and the other is not refuted
        search = mine is not True and (theirs is True or (theirs is None and excess > 0))
        for ref in refs:
            src = behind(ctx, ref)
            if src is not None:
                extra.append(src)
                said.append(f"{ctx.place(ref).cell} 只来自 {ctx.describe(src)}")
            elif excess > 0 and (slip := slipped(ctx, ref, excess)) is not None:
                extra.append(slip)
                said.append(f"{ctx.describe(slip)} 为 {fmt(ctx.value(slip))}，像是 {fmt(ctx.value(slip) / 100)} "
                            f"丢了小数点：多出的 {fmt(excess)} 正是两者之差")
            elif search and len(refs) == 1 and (src := lone(ctx, ref)) is not None and src not in ties()[0]:
                extra.append(src)
                said.append(f"{ctx.place(ref).cell} 中只有 {ctx.describe(src)}不为零")
            elif search and excess and (found := suspect(ctx, ref, excess, ties)) is not None:
                extra.append(found[0])
                said.append(found[1])
    if not extra:
        return finding
    places = list(dict.fromkeys([*finding.places, *(ctx.place(src) for src in extra)]))
    return finding._replace(places=tuple(places), message=f"{finding.message}（{'；'.join(said)}）")


# 表一 and 表四 balance their totals: an equality of two figures besides the PairRules' pairs
_BALANCES = tuple((Ref(t, "in.total", "amount"), Ref(t, "exp.total", "amount")) for t in ("T1", "T4"))


def witness(ctx: Context, ref: Ref, other: Ref) -> bool | None:
    """What the figures `ref` must also equal (a PairRule's pair or a balance; besides `other`, and
    none that adds up `ref` or is added up from it) say of it: True when one agrees — a third
    figure confirms `ref`'s side of a disagreement with `other`, so the fault is on `other`'s side —,
    False when they all disagree, None when there is none."""
    found = []
    for left, right in ctx.memo(("pairs",), _pairs):
        if ref not in (left, right):
            continue
        third = right if ref == left else left
        if third == other or _feeds(ctx, third, ref) or _feeds(ctx, ref, third):
            continue
        a, b = fig(ctx, ref), fig(ctx, third)
        if a is not None and b is not None:
            found.append(a.value == b.value)
    return True if any(found) else False if found else None


def _pairs() -> list[tuple[Ref, Ref]]:
    return [pair for rule in REGISTRY if issubclass(rule, PairRule) for pair in rule.pairs] + list(_BALANCES)


def _feeds(ctx: Context, total: Ref, ref: Ref, limit: int = 400) -> bool:
    """Whether `ref` is among the cells `total` adds up, at any level (looked at up to `limit` cells)."""
    todo, seen = [total], set()
    while todo and len(seen) < limit:
        cell = todo.pop()
        if cell == ref:
            return True
        if cell not in seen:
            seen.add(cell)
            todo += [Ref(*t) for t in ctx.derived.get(cell) or ()]
    return False


def lone(ctx: Context, ref: Ref) -> Ref | None:
    """The one typed cell under a total of several terms that is not 0 (a fund or a column only
    one unit uses, 表五 政府性基金 of a department without one): the total is that cell. (traced
    leaves it out when an equality that holds pins it: it is then no suspect.)"""
    if ref not in ctx.derived:
        return None
    under, found = typed_under(ctx, ref), None
    if len(under) >= LIMIT:
        return None
    for cell in under:
        value = ctx.value(cell)
        if isinstance(value, Decimal) and value != ZERO:
            if found is not None:
                return None  # a second one: stop here rather than read a 总计's every cell
            found = cell
    return found


def slipped(ctx: Context, ref: Ref, excess: Decimal) -> Ref | None:
    """The one typed cell under `ref` that reads as a figure typed without its decimal point
    (12345.00 for 123.45): it is then 99/100 of itself too large, and that is exactly `excess`.
    None when no cell, or more than one, fits."""
    if (excess * 100) % 99 or (excess * 100 / 99) % 1:
        return None  # not 99/100 of a whole figure
    typed = excess * 100 / 99
    found = [t for t in typed_under(ctx, ref) if ctx.value(t) == typed]
    return found[0] if len(found) == 1 else None


def _shown(figs: list[Fig]) -> str:
    if len(figs) == 1:
        return figs[0].shown
    return fmt(sum((f.value for f in figs), ZERO))


def _describe_all(ctx: Context, figs: list[Fig]) -> str:
    return "、".join(ctx.describe(f.ref) for f in figs)


class PairRule(CrossRule):
    """Equal figures named by (left ref, right ref) pairs."""

    template = "{left} 为 {a}，{right} 为 {b}，两者应相等，相差 {diff}"
    pairs: tuple[tuple[Ref, Ref], ...] = ()

    def check(self, ctx: Context):
        for left_ref, right_ref in self.pairs:
            left, right = fig(ctx, left_ref), fig(ctx, right_ref)
            if left is None or right is None:
                continue
            finding = self.equal(ctx, left, right)
            if finding:
                yield finding


# --- 一般公共预算: 表二 = 表四 = 表五 = 表六 ------------------------------------------------------

@register
class GeneralIncomeSpending(PairRule):
    """表二 一般公共预算财政拨款收入 = 表六 总计 合计: the general budget is spent in full in the year
    (表四 has no 上年结转 line, so 表六 is this year's general-budget spending)."""

    id = "X.T2-T6.general"
    title = "表二 一般公共预算财政拨款收入等于表六 一般公共预算支出总计"
    tables = ("T2", "T6")
    pairs = ((Ref("T2", "in.general", "amount"), Ref("T6", "total", "total")),)


@register
class GeneralUnitsFunctions(PairRule):
    """表五 总计 一般公共预算 合计/基本支出/项目支出 = 表六 总计 合计/基本支出/项目支出 (one finding a column)."""

    id = "X.T5-T6.general"
    title = "表五 一般公共预算支出总计等于表六 总计（合计、基本支出、项目支出）"
    tables = ("T5", "T6")
    pairs = tuple((Ref("T5", "total", f"gp_{col}"), Ref("T6", "total", col))
                  for col in ("total", "basic", "project"))


@register
class FundsIncomeSpending(PairRule):
    """表四 各财政拨款收入 = 表五 总计 该类资金合计 (一般公共预算, 政府性基金, 国有资本经营)."""

    id = "X.T4-T5.funds"
    title = "表四 各项财政拨款收入等于表五 该类资金支出合计"
    tables = ("T4", "T5")
    pairs = tuple((Ref("T4", f"in.{fund}", "amount"), Ref("T5", "total", f"{key}_total"))
                  for fund, key in (("general", "gp"), ("gov_fund", "gf"), ("state_capital", "sc")))


@register
class GovFundTable(PairRule):
    """表四 政府性基金预算财政拨款 = 表十 总计. When the fund is 0 or blank, a nonzero 表十 总计 is the
    same finding ("if a fund is 0, its table is empty"); nonzero rows under a 0 总计 are T10.total."""

    id = "X.T4-T10.fund"
    title = "表四 政府性基金预算财政拨款等于表十 总计"
    tables = ("T4", "T10")
    pairs = ((Ref("T4", "in.gov_fund", "amount"), Ref("T10", "total", "amount")),)


@register
class StateCapitalTable(PairRule):
    """表四 国有资本经营预算财政拨款 = 表十一 总计 (a 0 fund means an empty 表十一, as for 表十)."""

    id = "X.T4-T11.fund"
    title = "表四 国有资本经营预算财政拨款等于表十一 总计"
    tables = ("T4", "T11")
    pairs = ((Ref("T4", "in.state_capital", "amount"), Ref("T11", "total", "amount")),)


# --- 部门收支: 表一/表二 ↔ 表三 -------------------------------------------------------------------

@register
class SpendingTotal(PairRule):
    """表一 本年支出合计 = 表三 总计 支出合计, 上年结转 included.

    Why the whole 支出合计 and not 支出合计 − 上年结转: 表一 balances 本年收入 + 上年结转 + 上年结余
    against 本年支出 + 结转下年, so spending financed by last year's carry-over is part of 表一's
    本年支出; 表三's 上年结转 column is that same spending. domain.md states it as 表一 本年支出合计 =
    表三 总计. (The reference has 上年结转 0: 899.20 = 899.20 either way.)"""

    id = "X.T1-T3.total"
    title = "表一 本年支出合计等于表三 支出总计"
    tables = ("T1", "T3")
    pairs = ((Ref("T1", "exp.subtotal", "amount"), Ref("T3", "total", "total")),)


@register
class ClassAtLeastFiscal(CrossRule):
    """When the department has money other than this year's 财政拨款 (表二 四、教育专户核算 … 九、其他收入,
    上年结转 or 上年结余 nonzero: not derive.fiscal_only), 表一's functional 类 lines are typed — no
    table breaks that money down by 类 — and each must be at least the 类's 财政拨款 spending, 表六
    合计 + 表十 + 表十一 of that 类. With nothing but 财政拨款 the lines equal that sum and fill writes
    them (X.T1-T6.class, arithmetic family): this rule is then silent.

    A blank 表一 类 line counts as 0 (fill does not write it). A 类 that none of the three tables
    lists is not compared: all its money is non-fiscal. A missing table skips the rule
    (F.tables-present)."""

    id = "X.T1-T6.class-min"
    title = "有非财政拨款资金时，表一 支出功能分类各类不少于表六、表十、表十一该类之和"
    tables = ("T1", "T2", "T6", "T10", "T11")
    template = "部门有非财政拨款资金，表一 各类支出应不少于该类财政拨款支出：{right} 为 {b}，少于 {left} {a}，相差 {diff}"

    def check(self, ctx: Context):
        book = ctx.book
        if fiscal_only(book) or any(t not in book.tables for t in ("T1", *spec.FISCAL_TABLES)):
            return
        for code, _ in spec.FUNCTIONAL_CLASSES:
            line = fig(ctx, Ref("T1", f"exp.{code}", "amount"), typed=True)
            fiscal = [fig(ctx, ref) for ref in class_terms(book, code)]
            if line is None or not fiscal or any(f is None for f in fiscal):
                continue
            left = _describe_all(ctx, fiscal) + ("之和" if len(fiscal) > 1 else "")
            finding = self.at_most(ctx, fiscal, [line], left=left, right=ctx.describe(line.ref))
            if finding:
                yield finding


@register
class CarryOver(CrossRule):
    """表三 总计 上年结转 ≤ 表二 上年结转 + 上年结余: spending financed by last year's money cannot
    exceed the money carried over. Not an equality: part may be carried on (表一 结转下年)."""

    id = "X.T2-T3.carry"
    title = "表三 上年结转支出不超过表二 上年结转、上年结余之和"
    tables = ("T2", "T3")
    template = "{left} 为 {a}，超过 {right} 之和 {b}，多出 {diff}"

    def check(self, ctx: Context):
        spent = fig(ctx, Ref("T3", "total", "carry"))
        sources = [fig(ctx, Ref("T2", key, "amount")) for key in ("in.carry", "in.surplus")]
        sources = [f for f in sources if f is not None]
        if spent is None or not sources:
            return
        finding = self.at_most(ctx, [spent], sources, left=ctx.describe(spent.ref),
                               right=_describe_all(ctx, sources))
        if finding:
            yield finding


# --- 表三 ↔ 表五 / 表六 (财政拨款 is part of the department's spending) ------------------------------

_FUND_COLS = {part: tuple(f"{k}_{part}" for k in FUND_KEYS) for part in PARTS}


def _within(r3: Row, r5: Row, part: str, equal: bool) -> bool:
    """Whether 表五's typed fiscal figures of `part` add up to no more than 表三's (`equal`: exactly
    表三's), as fig() reads them (a blank typed cell is 0), told without a Fig made: the common case."""
    whole, added = r3.values.get(part), ZERO
    if whole.__class__ is not Decimal:
        return False  # a blank or text: fig() decides what it means
    for key in _FUND_COLS[part]:
        value = r5.values.get(key)
        if value.__class__ is Decimal:
            added += value
        elif value is not None or key not in r5.inputs:
            return False
    return added == whole if equal else added <= whole


@register
class UnitsFiscalPart(CrossRule):
    """Per unit (matched by name) and on the 总计 row: 表五 基本支出 of the three funds together ≤
    表三 基本支出, and the same for 项目支出 — 财政拨款 is part of what the unit spends. When all the
    department's money is this year's 财政拨款 (derive.fiscal_only) the two are equal, unit by
    unit: a figure mistyped in either table is then found at its unit's row, not only at the
    totals that follow it. Units that one table lacks are X.T3-T5.names."""

    id = "X.T3-T5.units"
    title = "表五 财政拨款基本支出、项目支出不超过表三 同一单位的基本支出、项目支出（只有本年财政拨款时相等）"
    tables = ("T3", "T5")
    template = "{who}：{left} 为 {a}，{right} 为 {b}，{relation}，相差 {diff}"
    placed = "the unit's row in both tables (表五's cells holding money, 表三's), or the 总计 rows"

    def check(self, ctx: Context):
        t3, t5 = table(ctx, "T3"), table(ctx, "T5")
        if not t3 or not t5:
            return
        equal = fiscal_only(ctx.book)
        relation = "部门只有本年财政拨款，两者应相等" if equal else "财政拨款不应超过单位全部支出"
        pairs = []
        if t3.row("total") and t5.row("total"):
            pairs.append(("总计", t3.row("total"), t5.row("total")))
        by_name = {}
        for row in units(t5):
            by_name.setdefault(unit_name(row), row)
        for row in units(t3):
            if unit_name(row) in by_name:
                pairs.append((row.label.strip(), row, by_name.pop(unit_name(row))))
        for who, r3, r5 in pairs:
            for part, words in PARTS.items():
                if _within(r3, r5, part, equal):
                    continue  # typed figures that agree: the common case, without a Fig made
                whole = fig(ctx, Ref("T3", r3.key, part), row=r3)
                fiscal = [fig(ctx, Ref("T5", r5.key, key), row=r5) for key in _FUND_COLS[part]]
                if whole is None or any(f is None for f in fiscal):
                    continue
                shown = [f for f in fiscal if f.value != ZERO] or fiscal[:1]  # mark the money, not the zeros
                left = (f"表五 {words}（一般公共预算、政府性基金、国有资本经营之和，"
                        f"{'、'.join(ctx.place(f.ref).cell for f in shown)}）")
                fields = dict(left=left, right=ctx.describe(whole.ref), who=who, relation=relation)
                finding = self.same(ctx, shown, [whole], **fields) if equal else \
                    self.at_most(ctx, shown, [whole], **fields)
                if finding:
                    yield finding


@register
class DepartmentFiscalPart(CrossRule):
    """表三 总计 基本支出 ≥ 表六 总计 基本支出, and 项目支出 likewise.

    Chosen over an equality: 表六 is the 一般公共预算 part of the department's this-year spending;
    表三 also holds 政府性基金, 国有资本经营 and non-财政拨款 money, so only ≥ holds in general.
    When the department has nothing but 一般公共预算 income and no carry-over the two are equal, but
    that needs no rule of its own: X.T2-T6.general, X.T1-T3.total and T1.balance then make the sums
    (基本 + 项目) equal, and ≥ on each part forces each part equal."""

    id = "X.T3-T6.project"
    title = "表六 一般公共预算基本支出、项目支出不超过表三 部门基本支出、项目支出"
    tables = ("T3", "T6")
    template = "{left} 为 {a}，超过 {right} {b}，多出 {diff}"

    def check(self, ctx: Context):
        for part in PARTS:
            whole, general = fig(ctx, Ref("T3", "total", part)), fig(ctx, Ref("T6", "total", part))
            if whole is None or general is None:
                continue
            finding = self.at_most(ctx, [general], [whole], left=ctx.describe(general.ref),
                                   right=ctx.describe(whole.ref))
            if finding:
                yield finding


class NamesRule(CrossRule):
    """Units of table `mine` must be listed in table `other` (names compared without spaces)."""

    severity = "warning"
    placed = "the unit's name cell, and where the other table lists its units"
    template = "{sheet} 的单位“{name}”在{other_sheet}中找不到（名称须一致）"
    both_ways = False

    def check(self, ctx: Context):
        a, b = self.tables
        yield from self._one_way(ctx, b, a)
        if self.both_ways:
            yield from self._one_way(ctx, a, b)

    def _one_way(self, ctx: Context, mine: str, other: str):
        t_mine, t_other = table(ctx, mine), table(ctx, other)
        if not t_mine or not t_other:
            return
        listed = {unit_name(r) for r in units(t_other)}
        # the other side of the finding: where the other table lists its units
        there = next(iter(units(t_other)), None) or t_other.row("dept") or t_other.row("total")
        for row in units(t_mine):
            if unit_name(row) in listed:
                continue
            places = [label_place(t_mine, row)] + ([label_place(t_other, there)] if there else [])
            yield self.finding(places, sheet=t_mine.sheet, name=row.label.strip(), other_sheet=t_other.sheet)


@register
class UnitsT3T5(NamesRule):
    """表三 and 表五 list the same units (each unit of either table is in the other)."""

    id = "X.T3-T5.names"
    title = "表三、表五 所列单位一致"
    tables = ("T3", "T5")
    both_ways = True


@register
class UnitsT3T8(NamesRule):
    """Every unit of 表八 is a unit of 表三 (表八 may leave out units without 三公 money)."""

    id = "X.T3-T8.names"
    title = "表八 所列单位均为表三 中的单位"
    tables = ("T3", "T8")


# --- 表六 ↔ 表七 -------------------------------------------------------------------------------

@register
class BasicEconomic(PairRule):
    """表六 总计 基本支出 = 表七 总计 合计: the same 一般公共预算 基本支出, by function and by economic 款."""

    id = "X.T6-T7.basic"
    title = "表六 基本支出总计等于表七 一般公共预算基本支出总计"
    tables = ("T6", "T7")
    pairs = ((Ref("T6", "total", "basic"), Ref("T7", "total", "total")),)


# economic 款 of 表七 -> functional 项 of 表六 (基本支出) holding the same contributions
SOCIAL = (
    ("30108", ("2080505",)),  # 机关事业单位基本养老保险缴费
    ("30109", ("2080506",)),  # 职业年金缴费
    ("30110", ("2101101", "2101102")),  # 职工基本医疗保险: 行政单位医疗 or 事业单位医疗
    ("30111", ("2101103",)),  # 公务员医疗补助
    ("30113", ("2210201",)),  # 住房公积金
)


@register
class SocialInsurance(CrossRule):
    """Social insurance and housing fund: 表七 30108 = 表六 2080505 基本支出; 30109 = 2080506;
    30110 = 2101101 + 2101102; 30111 = 2101103; 30113 = 2210201.

    Only checked when at least one side has a row with a nonzero figure; a code without a row
    counts as 0 (then the missing side is marked at its nearest 款/类 row, else 总计)."""

    id = "X.T6-T7.social"
    title = "表七 社会保险缴费、住房公积金等于表六 对应功能科目基本支出"
    tables = ("T6", "T7")
    template = "{left} 为 {a}，{right} 为 {b}，两者应相等，相差 {diff}"

    def check(self, ctx: Context):
        if not table(ctx, "T6") or not table(ctx, "T7"):
            return
        for economic, functional in SOCIAL:
            f7 = code_figs(ctx, "T7", [economic], "total")
            f6 = code_figs(ctx, "T6", functional, "basic")
            if f7 is None or f6 is None:
                continue
            if not any(f.value != ZERO for f in f7 + f6):
                continue
            left = _side(ctx, "T7", f7, economic, "total")
            right = _side(ctx, "T6", f6, "/".join(functional), "basic")
            if left is None or right is None:
                continue
            finding = self.differ([ctx.place(r) for r in left[3] + right[3]], right[0], left[0],
                                  left=left[1], a=left[2], right=right[1], b=right[2])
            if finding:
                yield finding


def _side(ctx: Context, tid: str, figs: list[Fig], code: str, col: str):
    """(sum, words, shown, refs to mark) for one side of a code comparison; a side without rows
    reads as not listed and is marked where its row would be (nearest 款/类 row, else 总计)."""
    if figs:
        value = sum((f.value for f in figs), ZERO)
        words = _describe_all(ctx, figs) + ("之和" if len(figs) > 1 else "")
        return value, words, figs[0].shown if len(figs) == 1 else fmt(value), [f.ref for f in figs]
    where = anchor(ctx, tid, code.split("/")[0], col)
    if where is None:
        return None
    return ZERO, f"{ctx.book.tables[tid].sheet} {code} 科目（未列，按 0 计）", fmt(ZERO), [where]


# --- 表七 ↔ 表八 / 表九 -------------------------------------------------------------------------

# A unit named like this is most likely a 事业单位 (schools, hospitals, centres, stations, institutes,
# libraries, teams); courts and procuratorates (…院) are state organs.
_INSTITUTION = re.compile(r"(学校|小学|中学|幼儿园|医院|卫生院|中心|站|所|院|馆|队)$")
_NOT_INSTITUTION = re.compile(r"(法院|检察院)$")


def looks_institutional(name: str) -> bool:
    name = re.sub(r"[（(][^）)]*[）)]$", "", name)  # "某县第一中学（本级）"
    return bool(_INSTITUTION.search(name)) and not _NOT_INSTITUTION.search(name)


class UnitTypes(NamedTuple):
    """Each unit of 表三 with its 单位类型 as typed, or as the rules assume it when blank."""

    types: dict[str, str]  # unit name -> 行政 / 参公 / 事业 / 其他
    assumed: dict[str, str]  # the blank ones: unit name -> the type assumed

    @property
    def others(self) -> list[str]:
        """The units whose 公用经费 are not 机关运行经费 (neither 行政 nor 参公)."""
        return [u for u, kind in self.types.items() if kind not in spec.RUNNING_COST_UNIT_TYPES]

    def said(self) -> str:
        """What was assumed, for a message: "（单位类型未填：某县第一中学 按名称视为事业单位）"."""
        if not self.assumed:
            return ""
        by_name = [u for u, kind in self.assumed.items() if kind == "事业"]
        rest = [u for u in self.assumed if u not in by_name]
        parts = ([f"{_some(by_name)} 按名称视为事业单位"] if by_name else []) + \
            ([f"{_some(rest)} 按行政单位计"] if rest else [])
        return f"（单位类型未填：{'，'.join(parts)}）"


def _some(names: list[str]) -> str:
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "")


def unit_types(ctx: Context) -> UnitTypes:
    """表三's 单位类型 per unit; a blank one is 事业 when the name reads like a 事业单位
    (X.T3-T9.unit-type asks for it), else 行政 (as the reference, which has no such column)."""
    def read():
        types, assumed = {}, {}
        for row in units(table(ctx, "T3")):
            name, kind = unit_name(row), spec.unit_type(row.texts.get("unit_type"))
            if kind is None:
                kind = assumed[name] = "事业" if looks_institutional(name) else "行政"
            types.setdefault(name, kind)
        return UnitTypes(types, assumed)

    return ctx.memo(("unit_types",), read)


def running_cost_units(ctx: Context) -> tuple[str, list[str]]:
    """("all", []) when every unit of 表三 is 行政 or 参公 (typed, or assumed: unit_types), else
    ("part", the units that are not): 机关运行经费 covers 行政单位 and 参照公务员法管理的事业单位 only.
    ("unknown", []) when the workbook does not say (a published 表三 without its 单位类型 column
    and without the property the export carries it in): the weaker relation holds either way."""
    t3 = table(ctx, "T3")
    if t3 is not None and "unit_type" in t3.unknown:
        return "unknown", []
    others = unit_types(ctx).others
    return ("part", others) if others else ("all", [])


@register
class BlankUnitType(CrossRule):
    """A unit named like a 事业单位 (学校, 小学, 中学, 幼儿园, 医院, 卫生院, 中心, 站, 所, 院, 馆, 队)
    whose 单位类型 is blank: one finding at that cell. The 表九 rules then take it as a 事业单位 and
    say so in their messages, instead of holding 表九 equal to 表七 for a school."""

    id = "X.T3-T9.unit-type"
    placed = "the blank 单位类型 cell (表三's last column)"
    title = "名称像事业单位的单位应填写单位类型（表九 机关运行经费的范围取决于它）"
    severity = "warning"
    tables = ("T3", "T9")
    template = ("{cell} 单位“{name}”的单位类型为空；其名称像事业单位，表九 机关运行经费只含行政单位和参公单位，"
                "校验时已按事业单位计，请选择单位类型（行政 / 参公 / 事业 / 其他）")

    def check(self, ctx: Context):
        t3 = table(ctx, "T3")
        if t3 is None or running_cost_units(ctx)[0] == "unknown":
            return  # no 单位类型 column at all: X.T3.unit-type says so once
        letter = t3.spec.letter("unit_type")
        for row in units(t3):
            if unit_types(ctx).assumed.get(unit_name(row)) == "事业":
                place = Place(t3.sheet, f"{letter}{row.r}")
                yield self.finding([place], cell=str(place), name=row.label.strip())


@register
class RunningCostItems(CrossRule):
    """Each 表九 item's 基本支出 against the 表七 row of the same economic 款: equal when every unit is
    行政 or 参公 (表九 then lists the 基本支出 part of those costs item by item), at most 表七's when
    the department has 事业单位 (schools, hospitals, centres: their 公用经费 are in 表七 but are not
    机关运行经费; 表三's 单位类型 says which units are which). A 表七 row that is missing counts as 0: a
    nonzero 表九 基本支出 without a 表七 row is a finding, a 0/blank one is fine. Items without a code
    are C-family findings."""

    id = "X.T7-T9.items"
    title = "表九 各项基本支出等于表七 同一经济分类科目（有事业单位时不超过）"
    tables = ("T3", "T7", "T9")
    template = "{left} 为 {a}，{right} 为 {b}，{relation}，相差 {diff}"

    def check(self, ctx: Context):
        t9 = table(ctx, "T9")
        if not t9 or not table(ctx, "T7"):
            return
        scope, others = running_cost_units(ctx)
        relation = "两者应相等" if scope == "all" else "机关运行经费不应超过表七" if scope == "unknown" else \
            f"本部门有事业单位（{_some(others)}），机关运行经费不应超过表七"
        relation += unit_types(ctx).said() if scope != "unknown" else ""
        for item in t9.rows:
            if item.kind != "item" or not item.code:
                continue
            nine = fig(ctx, Ref("T9", item.key, "basic"))
            f7 = code_figs(ctx, "T7", [item.code], "total")
            if nine is None or f7 is None:
                continue
            if not f7 and nine.value == ZERO:
                continue  # an unused item: nothing budgeted on either side
            right = _side(ctx, "T7", f7, item.code, "total")
            if right is None or (scope != "all" and nine.value <= right[0]):
                continue
            finding = self.differ([ctx.place(nine.ref)] + [ctx.place(r) for r in right[3]], right[0],
                                  nine.value, left=ctx.describe(nine.ref), a=nine.shown, right=right[1],
                                  b=right[2], relation=relation)
            if finding:
                yield finding


# 表二's 财政拨款 lines and the 总计 of the tables that spend each fund (by function, by unit)
_FUND_TOTALS = ((Ref("T2", "in.general", "amount"), (Ref("T6", "total", "total"), Ref("T5", "total", "gp_total"))),
                (Ref("T2", "in.gov_fund", "amount"), (Ref("T10", "total", "amount"), Ref("T5", "total", "gf_total"))),
                (Ref("T2", "in.state_capital", "amount"),
                 (Ref("T11", "total", "amount"), Ref("T5", "total", "sc_total"))))


def code_ties(ctx: Context) -> tuple[set[Ref], dict[Ref, Decimal]]:
    """For suspects: the typed cells an equality that holds pins (SOCIAL; 表九 = 表七 item by item
    when every unit is 行政 or 参公; 表二's 财政拨款 lines = the 总计 of 表六/表十/表十一 or 表五's fund
    total), and the
    表七 cells 表九 bounds from below (with 事业单位)."""
    scope = running_cost_units(ctx)[0]
    pinned: set[Ref] = set()
    for economic, functional in SOCIAL:
        seven = [Ref("T7", r.key, "total") for r in rows_with_code(ctx, "T7", economic)]
        six = [Ref("T6", r.key, "basic") for code in functional for r in rows_with_code(ctx, "T6", code)]
        if total_of(ctx, seven) is not None and total_of(ctx, seven) == total_of(ctx, six):
            pinned.update(seven + six)
    for line, totals in _FUND_TOTALS:
        if total_of(ctx, [line]) is not None and any(total_of(ctx, [line]) == total_of(ctx, [t]) for t in totals):
            pinned.add(line)
    floor: dict[Ref, Decimal] = {}
    for _, item in item_rows(ctx):
        if not item.code:
            continue
        seven = [Ref("T7", r.key, "total") for r in rows_with_code(ctx, "T7", item.code)]
        nine = total_of(ctx, [Ref("T9", item.key, "basic")])
        if len(seven) != 1 or nine is None:
            continue
        if scope == "all" and total_of(ctx, seven) == nine:
            pinned.add(seven[0])
        elif scope != "all":  # with 事业单位, or types unknown: 表九 ≤ 表七 either way
            floor[seven[0]] = nine
    return pinned, floor


@register
class UnitTypeUnknown(CrossRule):
    """A published 表三 leaves out the working column 单位类型, and a file not exported by budgetbook
    does not carry it: which units 机关运行经费 covers is then unknown, so X.T7-T9.items checks the
    weaker relation (表九 ≤ 表七) and says so once, rather than calling a correct department wrong."""

    id = "X.T3.unit-type"
    title = "表三 未载明单位类型，表九 按不超过表七核对"
    severity = "info"
    tables = ("T3", "T9")
    template = ("{sheet} 没有“单位类型”列（公开的表格不含该列），无法确定哪些单位是行政或参公单位；"
                "表九 机关运行经费各项按“不超过表七同一科目”核对，而不是“相等”")

    def check(self, ctx: Context):
        t3 = table(ctx, "T3")
        if table(ctx, "T9") and running_cost_units(ctx)[0] == "unknown":
            yield self.finding([Place(t3.sheet, "A1")], sheet=t3.sheet)


@register
class RunningCostTotal(CrossRule):
    """表九 总计 基本支出 ≤ 表七 总计 公用经费: 机关运行经费 is the 公用经费 of the administrative
    units, a part of the department's 公用经费 (not equal: 工会经费, 劳务费 … are 公用经费 too)."""

    id = "X.T7-T9.total"
    title = "表九 机关运行经费基本支出不超过表七 公用经费"
    tables = ("T7", "T9")
    template = "{left} 为 {a}，超过 {right} {b}，多出 {diff}"

    def check(self, ctx: Context):
        nine, public = fig(ctx, Ref("T9", "total", "basic")), fig(ctx, Ref("T7", "total", "public"))
        if nine is None or public is None:
            return
        finding = self.at_most(ctx, [nine], [public], left=ctx.describe(nine.ref),
                               right=ctx.describe(public.ref))
        if finding:
            yield finding


@register
class RunningCostCopied(CrossRule):
    """表九 equal to 表七 item for item while a 事业单位 has 基本支出 (表三): 表七 is the whole
    department's 一般公共预算 基本支出, the school's or hospital's 电费 and 维修费 included, so a 表九
    that repeats it counts those as 机关运行经费 — most likely copied from 表七 wholesale. A warning:
    the tables cannot prove the 事业单位 has 商品和服务支出 of its own."""

    id = "X.T7-T9.copied"
    placed = "表九 总计 基本支出 and the 事业单位's 表三 基本支出 cells (three at most)"
    title = "有事业单位时，表九 机关运行经费不应与表七 商品和服务支出逐项相同"
    severity = "warning"
    tables = ("T3", "T7", "T9")
    template = ("{nine} 的 {count} 项基本支出与表七 同一科目逐项相同（共 {a}），但本部门有基本支出的事业单位"
                "（{units}）{said}；机关运行经费只含行政单位和参公单位，事业单位的公用经费不应计入，请核对表九")

    def check(self, ctx: Context):
        t3, t9 = table(ctx, "T3"), table(ctx, "T9")
        if not t3 or not t9 or not table(ctx, "T7") or not t9.row("total") or \
                running_cost_units(ctx)[0] != "part":
            return
        others = set(unit_types(ctx).others)
        spending = [r for r in units(t3) if unit_name(r) in others
                    and isinstance(r.values.get("basic"), Decimal) and r.values["basic"] > 0]
        items = [(fig(ctx, Ref("T9", r.key, "basic")), code_figs(ctx, "T7", [r.code], "total"))
                 for r in t9.rows if r.kind == "item" and r.code]
        if not spending or not items or any(n is None or s is None for n, s in items):
            return
        used = [(n, s) for n, s in items if s or n.value != ZERO]
        if not used or any(n.value != sum((f.value for f in s), ZERO) for n, s in used):
            return
        total = fig(ctx, Ref("T9", "total", "basic"))
        places = ([ctx.place(total.ref)] if total else []) + \
            [Place(t3.sheet, r.addr("basic")) for r in spending[:3]]
        yield self.finding(places, nine=ctx.describe(Ref("T9", "total", "basic")), count=len(used),
                           a=fmt(sum((n.value for n, _ in used), ZERO)),
                           units=_some([r.label.strip() for r in spending]), said=unit_types(ctx).said())


@register
class RunningCostWithinUnits(CrossRule):
    """表九 总计 基本支出 ≤ the 表五 一般公共预算 基本支出 of the 行政 and 参公 units together, when the
    department also has 事业单位: 机关运行经费 is those units' 一般公共预算 basic spending on goods and
    services, so it cannot exceed their whole 一般公共预算 basic spending. What the published tables
    cannot tell: how much of that is 商品和服务 (表七 is department-wide), so a 表九 padded with a
    school's 电费 within that bound is not found (docs/rules.md)."""

    id = "X.T5-T9.units"
    placed = "表九 总计 基本支出 and the 行政/参公 units' 表五 一般公共预算 基本支出 cells (three at most)"
    title = "有事业单位时，表九 机关运行经费基本支出不超过行政、参公单位的一般公共预算基本支出"
    tables = ("T3", "T5", "T9")
    template = "{left} 为 {a}，超过 {right} {b}，多出 {diff}；机关运行经费只含行政单位和参公单位{said}"

    def check(self, ctx: Context):
        t5 = table(ctx, "T5")
        if not t5 or running_cost_units(ctx)[0] != "part":
            return
        nine = fig(ctx, Ref("T9", "total", "basic"))
        kinds = unit_types(ctx).types
        carriers = [r for r in units(t5) if kinds.get(unit_name(r)) in spec.RUNNING_COST_UNIT_TYPES]
        limit = [fig(ctx, Ref("T5", r.key, "gp_basic"), row=r) for r in carriers]
        if nine is None or any(f is None for f in limit):
            return
        bound = sum((f.value for f in limit), ZERO)
        if nine.value <= bound:
            return
        places = [ctx.place(f.ref) for f in [nine, *limit[:3]]]  # the sum is of every carrier, three marked
        finding = self.differ(places, bound, nine.value, left=ctx.describe(nine.ref), a=nine.shown, b=fmt(bound),
                              right=f"行政、参公单位（{_some([r.label.strip() for r in carriers]) or '无'}）"
                                    "的表五 一般公共预算基本支出之和", said=unit_types(ctx).said())
        if finding:
            yield finding


class EconomicWithinT8(CrossRule):
    """An economic line of 表七 (基本支出) or 表九 ≤ the matching 表八 总计 column, which holds the
    whole 一般公共预算财政拨款 amount (基本支出 and 项目支出). A code without a row counts as 0."""

    template = "{left} 为 {a}，超过 {right} {b}，多出 {diff}"
    lines: tuple[tuple[str, str], ...] = ()  # (economic code, 表八 column)
    source: tuple[str, str] = ("T7", "total")  # table and column holding the economic line

    def check(self, ctx: Context):
        tid, col = self.source
        src, t8 = table(ctx, tid), table(ctx, "T8")
        if not src or not t8 or not t8.row("total"):
            return
        for code, t8_col in self.lines:
            figs = [fig(ctx, Ref(tid, r.key, col)) for r in rows_with_code(ctx, tid, code)]
            limit = fig(ctx, Ref("T8", "total", t8_col))
            if not figs or any(f is None for f in figs) or limit is None:
                continue
            left = _describe_all(ctx, figs) + ("之和" if len(figs) > 1 else "")
            finding = self.at_most(ctx, figs, [limit], left=left, right=ctx.describe(limit.ref))
            if finding:
                yield finding


@register
class SangongBasic(EconomicWithinT8):
    """表七 30212 ≤ 表八 因公出国（境）费用; 30217 ≤ 公务接待费; 30231 ≤ 公务用车运行费; 31013 ≤
    公务用车购置费: the 基本支出 line cannot exceed the whole 三公 item (the rest is 项目支出)."""

    id = "X.T7-T8.sangong"
    title = "表七 “三公”经费对应科目不超过表八 对应“三公”经费"
    tables = ("T7", "T8")
    lines = (("30212", "abroad"), ("30217", "reception"), ("30231", "car_run"), ("31013", "car_buy"))


@register
class MeetingTrainingBasic(EconomicWithinT8):
    """表七 30215 会议费 ≤ 表八 会议费; 30216 培训费 ≤ 表八 培训费 (as for 三公)."""

    id = "X.T7-T8.meeting-training"
    title = "表七 会议费、培训费不超过表八 会议费、培训费"
    tables = ("T7", "T8")
    lines = (("30215", "meeting"), ("30216", "training"))


@register
class RunningCostWithinT8(EconomicWithinT8):
    """表九 item 合计 (基本支出 + 项目支出) ≤ 表八: 30231 公务用车运行维护费 ≤ 公务用车运行费, 30215 会议费 ≤
    会议费 (and 30212, 30217, 31013, 30216 where a workbook lists them): 机关运行经费 is part of the
    department's 一般公共预算财政拨款 spending that 表八 totals. This reaches the 项目支出 part, which
    X.T7-T8.* cannot see."""

    id = "X.T8-T9.limits"
    title = "表九 机关运行经费中的公务用车运行维护费、会议费等不超过表八 对应金额"
    tables = ("T8", "T9")
    lines = (*SangongBasic.lines, *MeetingTrainingBasic.lines)
    source = ("T9", "total")


# --- 表十二 部门整体 typed lines ---------------------------------------------------------------------

@register
class WholeTypedAtLeastT7(CrossRule):
    """When 表七 is not all the basic spending (money besides 一般公共预算 in basic spending:
    derive.whole_from_basic_table), 表十二's 人员经费 and 公用经费 are typed, for all sources. Each
    lies between 表七's (the 一般公共预算 part) and 表七's plus the basic spending 表七 does not hold
    (表三 基本支出 − 表七 合计), the message stating both bounds. Where that remainder is 0 the two
    bounds meet and the typed lines must equal 表七's split, so a swap of the two is found."""

    id = "X.T12-whole.min"
    placed = "the typed 人员经费 or 公用经费 and 表七's; past the upper bound also 表三 基本支出 and 表七 合计"
    title = "部门整体预算情况的人员经费、公用经费（手填时）不少于表七，不多于表七加其他资金的基本支出"
    tables = ("T12", "T7", "T3")
    template = "{right} 为 {actual}，{relation}，相差 {diff}；部门整体的{what}包括全部资金来源，应在 {low} 至 {high} 之间"

    def check(self, ctx: Context):
        if whole_from_basic_table(ctx.book):
            return
        basic, fiscal_basic = fig(ctx, Ref("T3", "total", "basic")), fig(ctx, Ref("T7", "total", "total"))
        room = basic.value - fiscal_basic.value if basic and fiscal_basic and basic.value >= fiscal_basic.value \
            else None
        for key in spec.WHOLE_FROM_T7:
            typed, fiscal = fig(ctx, Ref("T12", f"whole.{key}", "amount"), typed=True), fig(ctx, Ref("T7", "total", key))
            if typed is None or fiscal is None:
                continue
            what = "人员经费" if key == "personnel" else "公用经费"
            high = fiscal.value + room if room is not None else None
            bounds = dict(right=ctx.describe(typed.ref), what=what, low=fmt(fiscal.value),
                          high=fmt(high) if high is not None else "（表三 基本支出未填）")
            if typed.value < fiscal.value:
                finding = self.differ([ctx.place(typed.ref), ctx.place(fiscal.ref)], fiscal.value, typed.value,
                                      relation=f"少于 {ctx.describe(fiscal.ref)} {fiscal.shown}", **bounds)
            elif high is not None and typed.value > high:
                finding = self.differ(
                    [ctx.place(f.ref) for f in (typed, fiscal, basic, fiscal_basic)], high, typed.value,
                    relation=f"超过 {ctx.describe(fiscal.ref)} {fiscal.shown} 加上表三 基本支出中表七 以外的 "
                             f"{fmt(room)}（{ctx.place(basic.ref).cell} − {ctx.place(fiscal_basic.ref).cell}）", **bounds)
            else:
                continue
            if finding:
                yield finding


@register
class WholeBasic(PairRule):
    """表十二 部门整体 基本支出合计 = 表三 总计 基本支出 (all sources). Carried figures make it hold
    when 人员经费/公用经费 come from 表七; when they are typed this is what ties them to the tables."""

    id = "X.T12-T3.basic"
    title = "部门整体预算情况的基本支出合计等于表三 基本支出"
    tables = ("T12", "T3")
    pairs = ((Ref("T12", "whole.basic", "amount"), Ref("T3", "total", "basic")),)

    def check(self, ctx: Context):
        if not whole_from_basic_table(ctx.book):
            yield from super().check(ctx)
