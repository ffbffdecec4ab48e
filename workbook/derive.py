"""Every derived cell of a read workbook as a sum of other cells.

One list of relations serves fill (compute the target) and the checks (compare the target
as it stands with the sum of its terms as they stand, so a finding points at one place).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import spec
from .errors import BudgetbookError
from .hierarchy import parents
from .model import Book, Ref, Table
from .money import Bad, total

T = spec


@dataclass(frozen=True)
class Relation:
    rule: str  # the check rule that reports a broken relation
    target: Ref
    terms: tuple[Ref, ...]


def relations(book: Book) -> list[Relation]:
    found: list[Relation] = []
    for table in book.tables.values():
        found += _WITHIN[type(table.spec)](table)
    found += _carried(book)
    return found


# --- within one table ------------------------------------------------------------------------

def _line_sums(table: Table, sums: dict[str, tuple[str, ...]], rule: str) -> list[Relation]:
    out = []
    for key, parts in sums.items():
        if table.row(key):
            terms = tuple(Ref(table.spec.id, p, "amount") for p in parts if table.row(p))
            out.append(Relation(rule, Ref(table.spec.id, key, "amount"), terms))
    return out


_INCOME_KEYS = tuple(f"in.{k}" for k, _ in T.INCOME)
_CLASS_KEYS = tuple(f"exp.{code}" for code, _ in T.FUNCTIONAL_CLASSES)


def _within_lines(table: Table) -> list[Relation]:
    rule = f"{table.spec.id}.sum"
    sums = {"in.subtotal": _INCOME_KEYS, "in.total": ("in.subtotal", "in.carry", "in.surplus")}
    if table.spec.id == "T1":
        sums.update({"exp.subtotal": _CLASS_KEYS, "exp.total": ("exp.subtotal", "exp.carry_next")})
    if table.spec.id == "T4":
        sums = {"in.subtotal": ("in.general", "in.gov_fund", "in.state_capital"),
                "in.total": ("in.subtotal",), "exp.subtotal": _CLASS_KEYS,
                "exp.total": ("exp.subtotal",)}
    return _line_sums(table, sums, rule)


def _row_sums(table: Table, rows, sums: dict[str, tuple[str, ...]]) -> list[Relation]:
    tid = table.spec.id
    return [Relation(f"{tid}.row-sum", Ref(tid, row.key, col), tuple(Ref(tid, row.key, p) for p in parts))
            for row in rows for col, parts in sums.items()]


def _within_units(table: Table) -> list[Relation]:
    tid, s = table.spec.id, table.spec
    units = [r for r in table.rows if r.kind == "unit"]
    dept, grand = table.row("dept"), table.row("total")
    out = _row_sums(table, table.rows, s.row_sums)
    if dept:
        out += [Relation(f"{tid}.units", Ref(tid, "dept", c), tuple(Ref(tid, u.key, c) for u in units))
                for c in s.input_cols]
    if grand:  # without a department row, 总计 adds up the units itself
        out += [Relation(f"{tid}.total", Ref(tid, "total", c),
                         (Ref(tid, "dept", c),) if dept else tuple(Ref(tid, u.key, c) for u in units))
                for c in s.input_cols]
    return out


def _within_codes(table: Table) -> list[Relation]:
    tid, s = table.spec.id, table.spec
    rows = [r for r in table.rows if r.kind == "code"]
    up = parents([r.code or "" for r in rows])
    children: dict[int | None, list] = {}
    for row, parent in zip(rows, up):
        children.setdefault(parent, []).append(row)
    out: list[Relation] = []
    for i, row in enumerate(rows):
        if i in children:
            out += [Relation(f"{tid}.rollup", Ref(tid, row.key, c),
                             tuple(Ref(tid, k.key, c) for k in children[i])) for c in s.money_keys]
        else:
            out += _row_sums(table, [row], s.row_sums)
            out += _split(table, row)
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


def _within_items(table: Table) -> list[Relation]:
    tid = table.spec.id
    items = [r for r in table.rows if r.kind == "item"]
    out = _row_sums(table, items, table.spec.row_sums)
    if table.row("total"):
        out += [Relation(f"{tid}.total", Ref(tid, "total", c), tuple(Ref(tid, i.key, c) for i in items))
                for c in table.spec.money_keys]
    return out


def _within_performance(table: Table) -> list[Relation]:
    out = []
    if table.whole:
        out += _line_sums(table, {"whole.basic": ("whole.personnel", "whole.public"),
                                  "whole.spend_total": ("whole.basic", "whole.project"),
                                  "whole.income_total": ("whole.current", "whole.carry", "whole.other")},
                          "T12.budget-sum")
    for i, project in enumerate(table.projects, 1):
        out += _line_sums(table, {f"p{i}.total": (f"p{i}.current", f"p{i}.carry", f"p{i}.other")},
                          "T12.project-funds")
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

def class_terms(book: Book, code: str, col_by_table: dict[str, str]) -> tuple[Ref, ...]:
    """The rows that make up functional 类 `code` in 表六/表十/表十一: the 类 row where present,
    else its top-most rows, so a missing 类 row does not lose its money."""
    terms = []
    for tid, col in col_by_table.items():
        table = book.tables.get(tid)
        if not table:
            continue
        terms += [Ref(tid, r.key, col) for r in _top_rows(table).get(code, ())]
    return tuple(terms)


def _top_rows(table: Table) -> dict[str, list]:
    """The top-level code rows of a table by 类 (the hierarchy is built once per table, kept on
    the table until its rows change)."""
    cached = getattr(table, "_top_rows_cache", None)
    if cached is not None and cached[0] == len(table.rows):
        return cached[1]
    rows = [r for r in table.rows if r.kind == "code"]
    tops: dict[str, list] = {}
    for row, parent in zip(rows, parents([r.code or "" for r in rows])):
        if parent is None:
            tops.setdefault((row.code or "")[:3], []).append(row)
    table._top_rows_cache = (len(table.rows), tops)
    return tops


# the 财政拨款 tables by functional code, and the column holding each row's amount
FISCAL_CLASS_COLS = {"T6": "total", "T10": "amount", "T11": "amount"}


# 表二 lines of money that is not 财政拨款 (or not this year's): no table breaks it down by 类
NON_FISCAL_KEYS = tuple(f"in.{k}" for k, _ in T.INCOME[3:]) + ("in.carry", "in.surplus")


def fiscal_only(book: Book) -> bool:
    """True when all the department's money is this year's 财政拨款 (as in the reference).

    Only then is each 表一 类 line the sum of 表六 + 表十 + 表十一; otherwise it is typed.
    Read from 表二, or from 表一's own income lines when 表二 is missing."""
    source = "T2" if "T2" in book.tables else "T1"
    values = [book.value(Ref(source, key, "amount")) for key in NON_FISCAL_KEYS] if source in book.tables else []
    return not any(isinstance(v, Decimal) and v != 0 for v in values)


def typed_class_lines(book: Book) -> list[Ref]:
    """表一's functional 类 lines when the accountant types them (not fiscal_only); else none."""
    t1 = book.tables.get("T1")
    if t1 is None or fiscal_only(book):
        return []
    return [Ref("T1", row.key, "amount") for row in t1.rows if row.key.startswith("exp.") and row.code]


def _carried(book: Book) -> list[Relation]:
    out: list[Relation] = []

    def carry(rule, tid, key, col, terms, sources):
        # a missing source table is reported once (F.tables-present), not as a disagreement
        table = book.tables.get(tid)
        if table and table.row(key) and all(s in book.tables for s in sources):
            present = tuple(t for t in terms if book.cell(t) is not None)
            out.append(Relation(rule, Ref(tid, key, col), present))

    for key in (*_INCOME_KEYS, "in.carry", "in.surplus"):
        carry("X.T1-T2.income", "T1", key, "amount", (Ref("T2", key, "amount"),), ("T2",))
    for key in ("in.general", "in.gov_fund", "in.state_capital"):
        carry("X.T4-T2.funds", "T4", key, "amount", (Ref("T2", key, "amount"),), ("T2",))
    carry_t1 = fiscal_only(book)
    for code, _ in T.FUNCTIONAL_CLASSES:
        terms = class_terms(book, code, FISCAL_CLASS_COLS)
        if carry_t1:
            carry("X.T1-T6.class", "T1", f"exp.{code}", "amount", terms, tuple(FISCAL_CLASS_COLS))
        carry("X.T4-T6.class", "T4", f"exp.{code}", "amount", terms, tuple(FISCAL_CLASS_COLS))
    fund = lambda key: Ref("T2", f"in.{key}", "amount")  # noqa: E731
    whole = {
        "personnel": (Ref("T7", "total", "personnel"),),
        "public": (Ref("T7", "total", "public"),),
        "project": (Ref("T3", "total", "project"),),
        "current": (fund("general"), fund("gov_fund"), fund("state_capital")),
        "carry": (fund("carry"), fund("surplus")),
        "other": tuple(fund(k) for k, _ in T.INCOME[3:]),
    }
    for key, terms in whole.items():
        carry("X.T12-whole.budget", "T12", f"whole.{key}", "amount", terms, {t.table for t in terms})
    return out


# --- evaluation ------------------------------------------------------------------------------

def evaluate(book: Book, found: list[Relation] | None = None) -> dict[Ref, Decimal]:
    """The value every derived cell should hold, computed from the input cells."""
    found = relations(book) if found is None else found
    by_target = {rel.target: rel for rel in found}
    result: dict[Ref, Decimal] = {}
    busy: set[Ref] = set()

    def value(ref: Ref):
        if ref in result:
            return result[ref]
        rel = by_target.get(ref)
        if rel is None:
            current = book.value(ref)
            if isinstance(current, Bad):
                sheet, addr = book.where(ref)
                if current.text.startswith("="):
                    raise BudgetbookError(
                        f"{book.path} 的 {sheet}!{addr} 是公式“{current.text}”，但工作簿中没有保存它的计算结果"
                        f"（文件由程序写出后未在 Excel 中保存过）；请在 Excel、WPS 或 LibreOffice 中打开并保存一次，或改为数值。")
                raise BudgetbookError(
                    f"{book.path} 的 {sheet}!{addr} 应为金额，却是文字“{current.text}”，请改正后再填写合计。")
            return current
        if ref in busy:  # a workbook whose codes point at each other; treat the cycle as empty
            return None
        busy.add(ref)
        result[ref] = total(value(t) for t in rel.terms)
        busy.discard(ref)
        return result[ref]

    for rel in found:
        value(rel.target)
    return result
