"""Every derived cell of a read workbook as a sum of other cells.

One list of relations serves fill (compute the target) and the checks (compare the target
as it stands with the sum of its terms as they stand, so a finding points at one place).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache, partial
from typing import NamedTuple

from . import spec
from .errors import BudgetbookError
from .hierarchy import parents
from .model import Book, Ref, Row, Table, new_ref
from .money import Bad, total
from .profiles import PROFILES

class Relation(NamedTuple):
    rule: str  # the check rule that reports a broken relation
    target: Ref
    terms: tuple[Ref, ...]


def relations(book: Book, *, row_sums: bool = True) -> list[Relation]:
    """Every derived cell's relation; `row_sums=False`: all but the row sums (row_sum_rows), which
    a check reads straight from the rows (nine in ten of a large department's relations)."""
    found: list[Relation] = []
    for table in book.tables.values():
        found += _WITHIN[type(table.spec)](table, row_sums)
    found += _carried(book)
    off = PROFILES[book.profile].off
    return [rel for rel in found if rel.rule not in off] if off else found  # not a relation of this layout


def row_sum_rows(table: Table) -> list[Row]:
    """The rows whose columns add up as spec.row_sums says (their "{table}.row-sum" relations):
    every row of a unit table, the leaf code rows of a code table, the items of 表九."""
    if not table.spec.row_sums:
        return []
    if isinstance(table.spec, spec.CodeTable):
        rows, up = code_parents(table)
        parents_at = set(up)
        return [row for i, row in enumerate(rows) if i not in parents_at]
    if isinstance(table.spec, spec.ItemTable):
        return [r for r in table.rows if r.kind == "item"]
    return table.rows


# --- within one table ------------------------------------------------------------------------

def _line_sums(table: Table, sums, rule: str, prefix: str = "") -> list[Relation]:
    """Declared sums of fixed lines (spec: LineTable.sums, PerformanceSpec.budget_sums …)."""
    tid, out = table.spec.id, []
    for key, parts in sums:
        if table.row(prefix + key):
            terms = tuple(Ref(tid, prefix + p, "amount") for p in parts if table.row(prefix + p))
            out.append(Relation(rule, Ref(tid, prefix + key, "amount"), terms))
    return out


def _within_lines(table: Table, row_sums: bool = True) -> list[Relation]:
    return _line_sums(table, table.spec.sums, f"{table.spec.id}.sum")


_ref, _relation = new_ref, partial(tuple.__new__, Relation)  # see model.new_ref


def _row_sums(table: Table, rows, sums: dict[str, tuple[str, ...]]) -> list[Relation]:
    tid = table.spec.id
    rule, pairs = f"{tid}.row-sum", list(sums.items())
    return [_relation((rule, _ref((tid, key, col)), tuple([_ref((tid, key, p)) for p in parts])))
            for key in [row.key for row in rows] for col, parts in pairs]


def _within_units(table: Table, row_sums: bool = True) -> list[Relation]:
    tid, s = table.spec.id, table.spec
    units = [r for r in table.rows if r.kind == "unit"]
    dept, grand = table.row("dept"), table.row("total")
    out = _row_sums(table, row_sum_rows(table), s.row_sums) if row_sums else []
    keys = [u.key for u in units]
    if dept:
        out += [_relation((f"{tid}.units", _ref((tid, "dept", c)), tuple([_ref((tid, k, c)) for k in keys])))
                for c in s.input_cols]
    if grand:  # without a department row, 总计 adds up the units itself
        out += [_relation((f"{tid}.total", _ref((tid, "total", c)),
                           (_ref((tid, "dept", c)),) if dept else tuple([_ref((tid, k, c)) for k in keys])))
                for c in s.input_cols]
    return out


def code_parents(table: Table) -> tuple[list[Row], list[int | None]]:
    """A code table's code rows and, for each, the index of the row it adds into (hierarchy.parents),
    worked out once per table and kept on it until its rows change (relations and top_rows ask)."""
    cached = getattr(table, "_parents_cache", None)
    if cached is None or cached[0] != len(table.rows):
        rows = [r for r in table.rows if r.kind == "code"]
        up = parents([r.code or "" for r in rows])
        strays = [i for i, parent in enumerate(up) if parent is None and _stray(rows[i].code, table)]
        if strays:
            rows, up = _placed(table, rows, up, strays)
        cached = table._parents_cache = (len(table.rows), rows, up)
    return cached[1], cached[2]


def _stray(code: str | None, table: Table) -> bool:
    """A miscoded row that nests under nothing by its code and whose 类 does not exist (a 项
    printed as "7 11 02", read 71102)."""
    return bool(code) and code.isdigit() and code[:3] not in _classes(table.spec.id == "T7")


def _placed(table: Table, rows: list[Row], up: list[int | None], strays: list[int]):
    """Miscoded rows put where they are printed: under the 款 (表七: the 类) whose block they
    sit in, so that one wrong code is one finding at its row (C.code-known), not a cascade of
    totals, and fill never rewrites a correct printed total for it. A stray row in no block is
    left out of every sum."""
    level = max(n for n in table.spec.lengths if n < max(table.spec.lengths))
    up, keep, block = list(up), [], None
    for i, row in enumerate(rows):
        if i in strays:
            up[i] = block
            if block is None:
                continue
        elif len(row.code or "") == level:
            block = i
        keep.append(i)
    if len(keep) < len(rows):  # renumber the parents of the rows kept
        index = {old: new for new, old in enumerate(keep)}
        return [rows[i] for i in keep], [index.get(up[i]) if up[i] is not None else None for i in keep]
    return rows, up


@lru_cache(maxsize=2)
def _classes(economic_table: bool) -> frozenset[str]:
    from .catalog import economic, functional  # the bundled lists: every 类 of either is there

    names = economic().names if economic_table else functional().names
    return frozenset(code for code in names if len(code) == 3)


def _within_codes(table: Table, row_sums: bool = True) -> list[Relation]:
    tid, s = table.spec.id, table.spec
    rows, up = code_parents(table)
    children: dict[int | None, list] = {}
    for row, parent in zip(rows, up):
        children.setdefault(parent, []).append(row)
    out: list[Relation] = []
    rule = f"{tid}.rollup"
    for i, row in enumerate(rows):
        if i in children:
            keys = [k.key for k in children[i]]
            out += [_relation((rule, _ref((tid, row.key, c)), tuple([_ref((tid, k, c)) for k in keys])))
                    for c in s.money_keys]
        elif s.split:
            out += _split(table, row)
    if row_sums:
        out += _row_sums(table, row_sum_rows(table), s.row_sums)  # the leaves
    if table.row("total"):
        out += [Relation(f"{tid}.total", Ref(tid, "total", c),
                         tuple(Ref(tid, k.key, c) for k in children.get(None, []))) for c in s.money_keys]
    return out


def _split(table: Table, row) -> list[Relation]:
    """表七: a leaf's 合计 is 人员经费 for 301/303 and 公用经费 for every other 类."""
    s: spec.CodeTable = table.spec
    if not s.split:
        return []
    tid, source = s.id, Ref(s.id, row.key, s.split_from)
    out = []
    for col, classes in s.split.items():
        mine = (row.code or "")[:3] in classes
        out.append(Relation(f"{tid}.split", Ref(tid, row.key, col), (source,) if mine else ()))
        other = next(c for c in s.money_keys if c not in (col, s.split_from))
        out.append(Relation(f"{tid}.split", Ref(tid, row.key, other), () if mine else (source,)))
    return out


def _within_items(table: Table, row_sums: bool = True) -> list[Relation]:
    tid = table.spec.id
    items = [r for r in table.rows if r.kind == "item"]
    out = _row_sums(table, items, table.spec.row_sums) if row_sums else []
    if table.row("total"):
        out += [Relation(f"{tid}.total", Ref(tid, "total", c), tuple(Ref(tid, i.key, c) for i in items))
                for c in table.spec.money_keys]
    return out


def _within_performance(table: Table, row_sums: bool = True) -> list[Relation]:
    out = []
    if table.whole:
        out += _line_sums(table, table.spec.budget_sums, "T12.budget-sum", "whole.")
    for i, _ in enumerate(table.projects, 1):
        out += _line_sums(table, table.spec.fund_sums, "T12.project-funds", f"p{i}.")
    return out


_WITHIN = {
    spec.TwoSidedTable: _within_lines,
    spec.LineTable: _within_lines,
    spec.UnitTable: _within_units,
    spec.CodeTable: _within_codes,
    spec.ItemTable: _within_items,
    spec.PerformanceSpec: _within_performance,
}


# --- carried between tables ------------------------------------------------------------------

def top_rows(table: Table) -> dict[str, list[Ref]]:
    """The top-most code rows of a code table by their functional 类 (where a 类 row is missing,
    its 款/项 rows stand in for it, so the money is not lost). The hierarchy is built once per
    table and kept on it until its rows change."""
    cached = getattr(table, "_top_rows_cache", None)
    if cached is not None and cached[0] == len(table.rows):
        return cached[1]
    col = spec.FISCAL_CLASS_COLS.get(table.spec.id, "total")
    rows, up = code_parents(table)
    out: dict[str, list[Ref]] = {}
    for row, parent in zip(rows, up):
        if parent is None:
            out.setdefault((row.code or "")[:3], []).append(Ref(table.spec.id, row.key, col))
    table._top_rows_cache = (len(table.rows), out)
    return out


def class_terms(book: Book, code: str) -> tuple[Ref, ...]:
    """The rows that make up functional 类 `code` in the 财政拨款 tables (表六/表十/表十一)."""
    return tuple(ref for tid in spec.FISCAL_TABLES if tid in book.tables
                 for ref in top_rows(book.tables[tid]).get(code, []))


def fiscal_only(book: Book) -> bool:
    """True when all the department's money is this year's 财政拨款 (as in the reference).

    Only then is each 表一 类 line the sum of 表六 + 表十 + 表十一; otherwise it is typed.
    Read from 表二, or from 表一's own income lines when 表二 is missing."""
    source = "T2" if "T2" in book.tables else "T1"
    keys = (*spec.NON_FISCAL_KEYS, *spec.CARRY_KEYS)
    values = [book.value(Ref(source, key, "amount")) for key in keys] if source in book.tables else []
    return not any(isinstance(v, Decimal) and v != 0 for v in values)


def whole_from_basic_table(book: Book) -> bool:
    """Whether 表十二's 人员经费/公用经费 are 表七's: only when all basic spending is 一般公共预算
    (this year's 财政拨款, no 政府性基金 or 国有资本经营 basic spending in 表五); otherwise 表七 holds only
    a part of it and the accountant types the two lines (X.T12-whole.min checks them)."""
    if not fiscal_only(book):
        return False
    t5 = book.tables.get("T5")
    other = [f.short for f in spec.FUNDS if f.table != "T6"]
    return not any(isinstance(v, Decimal) and v != 0 for row in (t5.rows if t5 else ()) if row.kind == "unit"
                   for key in other for v in [row.values.get(f"{key}_basic")])


def typed_lines(book: Book) -> list[Ref]:
    """Cells the template shows as derived that the accountant types for this department: 表一's
    functional 类 lines when there is money other than this year's 财政拨款, 表十二's 人员经费 and
    公用经费 when 表七 is not all the basic spending."""
    out = []
    t1 = book.tables.get("T1")
    if t1 is not None and not fiscal_only(book):
        out += [Ref("T1", row.key, "amount") for row in t1.rows if row.key.startswith("exp.") and row.code]
    t12 = book.tables.get("T12")
    if t12 is not None and t12.whole is not None and not whole_from_basic_table(book):
        out += [Ref("T12", f"whole.{key}", "amount") for key in spec.WHOLE_FROM_T7 if key in t12.whole.budget]
    return out


def _carried(book: Book) -> list[Relation]:
    out: list[Relation] = []

    def carry(rule, tid, key, col, terms):
        # a missing source table is reported once (F.tables-present), not as a disagreement
        table = book.tables.get(tid)
        if table and table.row(key) and all(t.table in book.tables for t in terms):
            present = tuple(t for t in terms if book.cell(t) is not None)
            out.append(Relation(rule, Ref(tid, key, col), present))

    for declared in spec.CARRIES:
        for key, terms in declared.terms.items():
            carry(declared.rule, declared.target, key, declared.col, tuple(Ref(*t) for t in terms))
    fiscal = fiscal_only(book)
    if all(tid in book.tables for tid in spec.FISCAL_TABLES):
        tops = {tid: top_rows(book.tables[tid]) for tid in spec.FISCAL_TABLES}
        for rule, _, tid, only_fiscal in spec.CLASS_CARRIES:
            if only_fiscal and not fiscal:
                continue
            for code, _ in spec.FUNCTIONAL_CLASSES:
                carry(rule, tid, f"exp.{code}", "amount", tuple(r for t in tops.values() for r in t.get(code, [])))
    whole = dict(spec.WHOLE_TERMS)
    if whole_from_basic_table(book):
        whole.update(spec.WHOLE_FROM_T7)
    for key, terms in whole.items():
        carry(spec.WHOLE_RULE[0], "T12", f"whole.{key}", "amount", tuple(Ref(*t) for t in terms))
    return out


# --- evaluation ------------------------------------------------------------------------------

def evaluate(book: Book, found: list[Relation] | None = None) -> dict[Ref, Decimal]:
    """The value every derived cell should hold, computed from the input cells."""
    found = relations(book) if found is None else found
    sums = Sums(book, found)
    for rel in found:
        sums.value(rel.target)
    return sums.result


class Sums:
    """What derived cells come to from the input cells, each worked out when first asked for
    (a check asks only about the few cells it needs; fill asks about all of them)."""

    def __init__(self, book: Book, found: list[Relation] | None = None, relation=None):
        """`found`: the relations; or `relation`, a derived cell's relation (None for a typed cell)
        as checks.base.Derived gives it, making the row sums' only when asked for."""
        self.book = book
        self.relation = relation if relation is not None else {rel.target: rel for rel in found}.get
        self.result: dict[Ref, Decimal] = {}
        self._busy: set[Ref] = set()

    def value(self, ref: Ref):
        result = self.result
        if ref in result:
            return result[ref]
        rel = self.relation(ref)
        if rel is None:
            current = self.book.value(ref)
            if isinstance(current, Bad):
                raise self._text(ref, current)
            return current
        if ref in self._busy:  # a workbook whose codes point at each other; treat the cycle as empty
            return None
        self._busy.add(ref)
        result[ref] = total(self.value(t) for t in rel.terms)
        self._busy.discard(ref)
        return result[ref]

    def _text(self, ref: Ref, current: Bad) -> BudgetbookError:
        book = self.book
        sheet, addr = book.where(ref)
        if current.text.startswith("="):
            return BudgetbookError(
                f"{book.path} 的 {sheet}!{addr} 是公式“{current.text}”，但工作簿中没有保存它的计算结果"
                f"（文件由程序写出后未在 Excel 中保存过）；请在 Excel、WPS 或 LibreOffice 中打开并保存一次，或改为数值。")
        return BudgetbookError(
            f"{book.path} 的 {sheet}!{addr} 应为金额，却是文字“{current.text}”，请改正后再填写合计。")
