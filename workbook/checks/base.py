"""What a check rule is, and what it reports.

Modelled on frictionless: one small class per rule with a stable id, a Chinese title, a severity
and a message template; every finding names the cells it is about (both sides of a disagreement).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Iterable, NamedTuple

from .. import catalog, spec
from ..advice import CLI, say
from ..catalog import Catalog
from ..derive import Relation, Sums, relations, row_sum_rows
from ..model import Book, Ref, Row, new_ref, performance_words
from ..money import CENT, ZERO, Amount, Bad, fmt, rounding_bound
from ..wording import compose

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


class Place(NamedTuple):
    sheet: str
    cell: str

    def __str__(self) -> str:  # a PDF's cell is words ("第12页 …"), not an address
        return f"{self.sheet}!{self.cell}" if self.cell[:1].isascii() else f"{self.sheet} {self.cell}"


class Finding(NamedTuple):
    rule: str
    severity: str
    places: tuple[Place, ...]
    message: str
    expected: str | None = None
    actual: str | None = None
    title: str = ""  # the rule's Chinese title, shown beside its id
    advice: str = ""  # a key of workbook.advice.ADVICE: what the user can do, said where it is read


    @property
    def sheet(self) -> str | None:
        return self.places[0].sheet if self.places else None

    @property
    def cell(self) -> str | None:
        return self.places[0].cell if self.places else None

    def said(self, where: str) -> str:
        """The message with its advice in the words of `where` (workbook.advice: CLI, EXCEL,
        WPS, PAGE, WORKBOOK)."""
        return f"{self.message}（{say(self.advice, where)}）" if self.advice else self.message

    def to_dict(self, where: str = CLI) -> dict:
        return {"rule": self.rule, "title": self.title, "severity": self.severity, "sheet": self.sheet,
                "cell": self.cell,
                "cells": [{"sheet": p.sheet, "cell": p.cell} for p in self.places],
                "message": self.said(where), "expected": self.expected, "actual": self.actual}


@dataclass
class Context:
    """What every rule may read: the workbook, the catalogues and the derived-cell relations."""

    book: Book
    economic: Catalog = field(default_factory=catalog.economic)
    functional: Catalog = field(default_factory=catalog.functional)
    _relations: list[Relation] | None = None
    _derived: Derived | None = None
    _settled: Sums | None = None

    _by_rule: dict[str, list[tuple[Relation, Amount, list[Amount]]]] | None = None
    _rows: dict[str, dict[str, Row]] | None = None
    _memo: dict = field(default_factory=dict)

    def memo(self, key, make):
        """What `make()` gives, made once per check: a listing several rules walk."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def money_rows(self) -> list[tuple[str, Row]]:
        """(table id, row) of every row with money cells, in sheet order. The rules that look at
        every cell pick from `row.values` in one comprehension and make a Ref only for a cell they
        keep: a large department has 140,000 money cells and a Ref for each costs more than the rule."""
        return self.memo("money_rows", lambda: [(tid, row) for tid, table in self.book.tables.items()
                                                for row in table.rows if row.values])

    @property
    def relations(self) -> list[Relation]:
        """Every derived cell's relation (the rules use `derived` and `unsettled`, which make the
        row sums' relations only for the cells that need one)."""
        if self._relations is None:
            self._relations = relations(self.book)
        return self._relations

    @property
    def derived(self) -> Derived:
        """The derived cells: `ref in`, get(ref) (the cells it adds up), relation(ref)."""
        if self._derived is None:
            self._derived = Derived(self.book)
        return self._derived

    def unsettled(self, rule: str | None = None) -> list[tuple[Relation, Amount, list[Amount]]]:
        """(relation, target, terms) of the relations one rule reports (None: of all rules, in
        relation order) whose target, as it stands, is not the sum of its terms as they stand (blank
        or text included). One pass over all the relations for every rule, in a tight loop: a large
        department has 40,000 and few are off."""
        if self._by_rule is None:
            self._by_rule = {None: []}
            rows, value = self._indexes(), self.value
            for rel in self.derived.others:
                try:
                    tid, key, col = rel.target
                    actual = rows[tid][key].values[col]
                    terms = [rows[t[0]][t[1]].values[t[2]] for t in rel.terms]
                except KeyError:  # a cell that is no money cell: the book's checks say why
                    actual, terms = value(rel.target), [value(t) for t in rel.terms]
                if not _adds_up(actual, terms):
                    self._off(rel, actual, terms)
            for tid, (rows_of, sums) in self.derived.row_sums.items():  # read straight from each row
                pairs = list(sums.items())
                for row in rows_of:
                    values = row.values
                    for col, parts in pairs:
                        actual, terms = values.get(col), [values.get(p) for p in parts]
                        if not _adds_up(actual, terms):
                            self._off(self.derived.relation(new_ref((tid, row.key, col))), actual, terms)
        return self._by_rule.get(rule, [])

    def _off(self, rel: Relation, actual: Amount, terms: list[Amount]) -> None:
        self._by_rule.setdefault(rel.rule, []).append((rel, actual, terms))
        self._by_rule[None].append((rel, actual, terms))

    def _indexes(self) -> dict[str, dict[str, Row]]:
        """Each table's rows by key (Table._index), gathered once: rules ask hundreds of thousands of times."""
        if self._rows is None:
            self._rows = {tid: table._index() for tid, table in self.book.tables.items()}
        return self._rows

    def value(self, ref: Ref) -> Amount:
        try:
            return (self._rows or self._indexes())[ref[0]][ref[1]].values[ref[2]]
        except KeyError:
            return self.book.value(ref)  # the book's checks for the rest (a typo in a rule raises)

    def settled(self, ref: Ref) -> Amount:
        """What a cell comes to from the typed cells: a derived cell the sum of its terms
        (derive.Sums), whether or not fill has written it yet; any other cell as it stands.
        Where text in a money cell makes a sum unknown the result is a Bad (F.not-number reports
        the text), so an unfilled workbook does not look empty and a text cell does not look 0."""
        if ref not in self.derived:
            return self.value(ref)
        if self._settled is None:
            self._settled = Sums(_Tolerant(self.book), relation=self.derived.relation)  # each sum when asked for
        value = self._settled.value(ref)
        return UNKNOWN if value.is_nan() else value

    def place(self, ref: Ref) -> Place:
        return Place(*self.book.where(ref))

    def describe(self, ref: Ref) -> str:
        """"表六 D7（201 一般公共服务支出·基本支出）": where a figure sits, in words."""
        table = self.book.tables[ref.table]
        row = table.row(ref.key)
        if self.book.words:  # a PDF: the page, the row and the column in words
            return " ".join(self.book.where(ref))
        if ref.table == "T12":  # its row keys (whole.current, p3.total) mean nothing to a reader
            return f"{table.sheet} {row.addr(ref.col)}（{performance_words(table, row)}）"
        what = " ".join(x for x in (row.code, row.label) if x) or row.key
        column = _column_name(table.spec, ref.col)
        return f"{table.sheet} {row.addr(ref.col)}（{what}{'·' + column if column else ''}）"


def _column_name(table: spec.TableSpec, col: str) -> str:
    if col == "amount" or not any(c.key == col for c in table.cols):
        return ""
    return table.col(col).header[-1]


# Text in a money cell, for derive.Sums: a quiet NaN goes through every sum without raising,
# and any sum it enters is NaN, i.e. unknown.
_NAN = Decimal("NaN")
UNKNOWN = Bad("")


def _adds_up(actual: Amount, terms: list[Amount]) -> bool:
    """Whether a typed or written figure is the sum of its terms, all of them figures or blank
    (text, or a blank total, is for the rules to judge)."""
    if actual.__class__ is not Decimal:
        return False
    added = ZERO
    for term in terms:
        if term.__class__ is Decimal:
            added += term
        elif term is not None:
            return False
    return added == actual


class Derived:
    """The derived cells of a book and what each adds up, with the row sums (nine in ten of a
    large department's relations) kept as their rows and made into a Relation only when a cell's
    relation is asked for: `get(ref)` (its terms), `ref in`, `relation(ref)`."""

    def __init__(self, book: Book):
        self.others = relations(book, row_sums=False)
        self._other = {rel.target: rel for rel in self.others}
        # table -> its row-sum rows and spec.row_sums (column -> the columns it adds up)
        self.row_sums: dict[str, tuple[list[Row], dict[str, tuple[str, ...]]]] = {}
        self._keys: dict[str, set[str]] = {}  # table -> the keys of its row-sum rows
        for tid, table in book.tables.items():
            rows = row_sum_rows(table)
            if rows:
                self.row_sums[tid] = (rows, table.spec.row_sums)
                self._keys[tid] = {row.key for row in rows}

    def _row_sum_parts(self, ref: Ref) -> tuple[str, ...] | None:
        tid, key, col = ref
        if key in self._keys.get(tid, ()):
            return self.row_sums[tid][1].get(col)
        return None

    def relation(self, ref: Ref) -> Relation | None:
        found = self._other.get(ref)
        if found is None and (parts := self._row_sum_parts(ref)) is not None:
            tid, key, _ = ref
            return Relation(f"{tid}.row-sum", ref, tuple(new_ref((tid, key, p)) for p in parts))
        return found

    def get(self, ref: Ref, default=None):
        found = self.relation(ref)
        return found.terms if found is not None else default

    def __contains__(self, ref: Ref) -> bool:
        return ref in self._other or self._row_sum_parts(ref) is not None


class _Tolerant:
    """The book as derive.Sums reads it, with text in a money cell read as NaN, so that the sums
    it enters are unknown instead of an error (fill refuses text: it must not write a total that
    leaves it out). No copy of the book: Sums reads only value, where and path."""

    def __init__(self, book: Book):
        self.book, self.path = book, book.path  # not the Context: it holds the Sums (no cycle)

    def value(self, ref: Ref) -> Amount:
        value = self.book.value(ref)
        return _NAN if isinstance(value, Bad) else value

    def where(self, ref: Ref) -> tuple[str, str]:
        return self.book.where(ref)


class Rule:
    """One check. Subclasses set the class attributes and implement `check`."""

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    template: ClassVar[str]
    # where its findings are placed, for docs/rules.md
    placed: ClassVar[str] = "the cell at fault (a code rule: the row's code or name cell)"
    advice: ClassVar[str] = ""  # what its findings advise (workbook.advice), if anything
    # The other severities its findings carry, and when (in Chinese, for `budgetbook rules`): with
    # `severity` the one source of what a finding of the rule can be. Besides these, a difference
    # within rounding (尾差) found by an error rule is a warning, for every rule alike.
    also: ClassVar[dict[str, str]] = {}
    # what it reads: "book", a workbook (checks.run runs it); "text", a written 情况说明 against
    # its workbook (workbook.narrative.rules; narrative-check runs it)
    reads: ClassVar[str] = "book"

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, places: Iterable[Place], *, severity: str | None = None, tail: bool = False,
                expected: str | None = None, actual: str | None = None, **fields) -> Finding:
        """The template may use {expected} and {actual} besides the fields given here; `tail`: the
        difference is within rounding (an error rule's finding may then be a warning)."""
        severity = severity or self.severity
        if severity != self.severity and severity not in self.also and not (tail and severity == "warning"):
            raise ValueError(f"{self.id}: a finding of severity {severity} the rule does not declare (Rule.also)")
        text = compose(self.template, expected=expected, actual=actual, **fields)
        return Finding(self.id, severity, tuple(places), text, expected, actual, self.title, self.advice)

    @classmethod
    def severity_words(cls) -> str:
        """"警告（上限远高于年度资金总额时为提示）": the severities its findings carry, in Chinese."""
        also = "；".join(f"{when}时为{SEVERITY_LABEL[s]}" for s, when in cls.also.items())
        return SEVERITY_LABEL[cls.severity] + (f"（{also}）" if also else "")

    def differ(self, places: Iterable[Place], expected: Decimal, actual: Amount, *, terms: int = 1,
               step: Decimal = CENT, **fields) -> Finding | None:
        """A finding when `actual` is not `expected`. A difference within what rounding each of
        the `terms` figures to `step` allows (money.rounding_bound: one step, or half a step per
        term) is 尾差: a warning stating the bound, never an error.

        The template may also use {diff}; 尾差 findings get "（尾差 …）" appended.
        """
        if isinstance(actual, Decimal) and actual == expected:
            return None
        diff = abs(actual - expected) if isinstance(actual, Decimal) else None
        bound = rounding_bound(terms, step)
        tail = diff is not None and diff <= bound
        severity = "warning" if tail and self.severity == "error" else self.severity
        finding = self.finding(places, severity=severity, tail=tail, expected=fmt(expected), actual=fmt(actual),
                               diff=fmt(diff if diff is not None else expected), **fields)
        if actual is None:
            finding = finding._replace(advice="fill")
        suffix = ("；该格为空" if actual is None else
                  "" if not tail else f"（尾差 {fmt(diff)}）" if bound == step == CENT else
                  f"（尾差 {_in_unit(diff, step)}：{terms} 个数各自四舍五入到 {_in_unit(step, step)}，"
                  f"合计允许相差 {_in_unit(bound, step)}）")
        if suffix:
            finding = finding._replace(message=finding.message + suffix)
        return finding


def _in_unit(amount: Decimal, step: Decimal) -> str:
    """An amount of 万元 in the unit its table is printed in: 万元, or 元 for a step below 0.01."""
    return f"{fmt(amount)} 万元" if step >= CENT else f"{(amount * 10000).normalize():f} 元"


REGISTRY: list[type[Rule]] = []


def _refs(value):
    """The Refs inside a rule's class attributes, however nested in tuples, lists and dicts."""
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _refs(item)


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the one catalogue of book and text rules (ids unique)."""
    if any(r.id == cls.id for r in REGISTRY):
        raise ValueError(f"duplicate rule id {cls.id}")
    if cls.severity not in SEVERITIES:
        raise ValueError(f"{cls.id}: bad severity {cls.severity}")
    unknown = [t for t in cls.tables if t not in spec.BY_ID]
    if unknown:  # every table a rule reads must be declared (a typo would make it skip)
        raise ValueError(f"{cls.id}: unknown tables {unknown}")
    for ref in _refs(dict(vars(cls))):  # and every cell it declares (pairs, lines …)
        spec.check_ref(*ref)
    REGISTRY.append(cls)
    return cls
