"""Every figure a 情况说明 states, from a read workbook: one vocabulary for writing and checking.

A figure is named by a key ("basic", "item:2010301", "abroad" …) and comes with the cells it
is read from, so a finding can name them. Derived cells are taken as fill computes them
(derive.evaluate), so an unfilled workbook gives the same figures as a filled one; text in a
money cell is an error naming the cell, as in fill.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import catalog, spec
from ..checks.base import Place
from ..derive import evaluate
from ..errors import BudgetbookError
from ..hierarchy import leaves, parents
from ..model import Book, Ref, Row
from ..money import CENT, ZERO, Bad
from ..info import FIELDS, Info, item_key
from ..reader import squeeze

# 表八 columns, and the words the tables use for them
SANGONG_PARTS = ("abroad", "reception", "car_buy", "car_run")
T8_WORDS = {"sangong": "“三公”经费", "abroad": "因公出国（境）费用", "reception": "公务接待费",
            "car": "公务用车购置及运行维护费", "car_buy": "公务用车购置费", "car_run": "公务用车运行维护费",
            "meeting": "会议费", "training": "培训费"}
INCOME_WORDS = dict(spec.INCOME) | {"carry": "上年结转", "surplus": "上年结余"}
PROCUREMENT = (("buy.goods", "货物"), ("buy.works", "工程"), ("buy.services", "服务"))


@dataclass(frozen=True)
class Fact:
    key: str
    words: str  # what the figure is, for messages: "基本支出（表六 总计）"
    value: Decimal | None  # None: not known (no such row, or an input left blank)
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Project:
    name: str
    total: Decimal
    place: Place  # the 项目名称 cell
    amount_place: Place


def percent(part: Decimal, base: Decimal) -> Decimal:
    return (part / base * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def shares(amounts: list[Decimal]) -> list[Decimal]:
    """Percentages with two decimals that add up to exactly 100.00 (largest remainder rule).

    Each part gets its share rounded down to 0.01 %; the hundredths still missing go, one each,
    to the parts with the largest remainders (the earlier part on a tie)."""
    whole = sum(amounts, ZERO)
    if whole == 0:
        return [ZERO for _ in amounts]
    exact = [a * 10000 / whole for a in amounts]
    floors = [int(e) for e in exact]
    missing = 10000 - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [Decimal(f) / 100 for f in floors]


class Facts:
    """The figures of one workbook (this year's, or last year's with `prior=True`)."""

    def __init__(self, book: Book, info: Info | None = None, *, prior: bool = False):
        self.book, self.info, self.prior = book, info or Info(found=False), prior
        self.derived = evaluate(book)  # every derived cell as fill computes it

    # --- cells ------------------------------------------------------------------------------

    def amount(self, ref: Ref) -> Decimal | None:
        if ref in self.derived:
            return self.derived[ref]
        value = self.book.value(ref)
        if isinstance(value, Bad):
            sheet, addr = self.book.where(ref)
            raise BudgetbookError(f"{self.book.path} 的 {sheet}!{addr} 应为金额，却是文字“{value.text}”，请改正后再写情况说明。")
        return value

    def place(self, ref: Ref) -> Place:
        return Place(*self.book.where(ref))

    def _cells(self, key: str, refs: list[Ref], words: str) -> Fact:
        """The sum of cells that exist; a blank line of a table states no money, i.e. 0.00."""
        refs = [r for r in refs if self.book.cell(r) is not None]
        if not refs:
            return Fact(key, words, None)
        value = sum((v for v in map(self.amount, refs) if v is not None), ZERO)
        return Fact(key, words, value, tuple(self.place(r) for r in refs))

    # --- the vocabulary ---------------------------------------------------------------------

    def get(self, key: str) -> Fact:
        head, _, tail = key.partition(":")
        if head in _SIMPLE:
            table, row, col, words = _SIMPLE[head]
            if head == "total" and "T1" not in self.book.tables:
                table, row = "T2", "in.total"
            return self._cells(key, [Ref(table, row, col)], words)
        if head == "fund":  # 表十/表十一: their 合计 (an empty table states none, i.e. 0.00)
            words = f"{spec.BY_ID[tail].name}（{spec.BY_ID[tail].sheet} 合计）"
            total = self.book.tables[tail].row("total") if tail in self.book.tables else None
            return Fact(key, words, self.fund_table_total(tail),
                        (self.place(Ref(tail, "total", "amount")),) if total else ())
        if head == "unit":
            return self._unit(key, *tail.split("@", 1))
        if head == "income":
            return self._cells(key, [Ref("T2", f"in.{tail}", "amount")], f"{INCOME_WORDS[tail]}（表二）")
        if head == "class":
            return self._class(key, tail)
        if head == "item":
            rows = [r for r in self.code_rows("T6") if r.code == tail]
            fact = self._cells(key, [Ref("T6", r.key, "total") for r in rows], f"{tail}（表六）")
            if self.prior and fact.value is None:  # not in last year's 表六: there was no such 项
                return Fact(key, fact.words, ZERO)
            return fact
        if head in SANGONG_PARTS or head in ("meeting", "training"):
            return self._cells(key, [Ref("T8", "total", head)], f"{T8_WORDS[head]}（表八 总计）")
        if head in ("sangong", "car"):
            parts = SANGONG_PARTS if head == "sangong" else ("car_buy", "car_run")
            facts = [self.get(p) for p in parts]
            value = None if any(f.value is None for f in facts) else sum((f.value for f in facts), ZERO)
            where = [Ref("T8", "total", "sangong")] if head == "sangong" else []
            places = tuple(self.place(r) for r in where if self.book.cell(r)) or \
                tuple(p for f in facts for p in f.places)
            return Fact(key, f"{T8_WORDS[head]}（表八 各项之和）", value, places)
        if head == "buy":
            facts = [self.get(k) for k, _ in PROCUREMENT]
            known = [f.value for f in facts if f.value is not None]
            return Fact(key, "政府采购预算总额（基本情况）", sum(known, ZERO) if len(known) == 3 else None,
                        tuple(p for f in facts for p in f.places))
        if key in FIELDS:  # typed on the 基本情况 sheet
            value = self.info.number(key)
            where = self.info.where.get(key)
            return Fact(key, f"{FIELDS[key].label}（{where or '基本情况'}）", value,
                        (Place(*where.split("!")),) if where else ())
        raise KeyError(key)

    def value(self, key: str) -> Decimal | None:
        return self.get(key).value

    def _unit(self, key: str, figure: str, unit: str) -> Fact:
        """A figure of one unit, from its own row: 表三 (all money) or 表五 (一般公共预算). Raises
        KeyError for a figure the tables do not give by unit (the text's figure is not placed)."""
        table, col = _UNIT_COLUMNS[figure]
        t = self.book.tables.get(table)
        rows = [r for r in t.rows if r.kind == "unit" and squeeze(r.label or "") == unit] if t else []
        if len(rows) != 1:
            raise KeyError(key)
        return self._cells(key, [Ref(table, rows[0].key, col)], f"{unit}的{_UNIT_WORDS[figure]}（{t.sheet}）")

    def _class(self, key: str, code: str) -> Fact:
        rows = self.code_rows("T6")
        up = parents([r.code or "" for r in rows])
        tops = [Ref("T6", r.key, "total") for r, p in zip(rows, up) if p is None and (r.code or "")[:3] == code]
        return self._cells(key, tops, f"{code}（表六）")

    # --- rows and lists ---------------------------------------------------------------------

    def code_rows(self, table: str) -> list[Row]:
        t = self.book.tables.get(table)
        return [r for r in t.rows if r.kind == "code" and r.code] if t else []

    def items(self) -> list[tuple[str, Decimal]]:
        """表六's lowest rows (项, or a 款 without 项) in code order, with their 合计."""
        rows = self.code_rows("T6")
        found = {}
        for row, leaf in zip(rows, leaves([r.code for r in rows])):
            if leaf and len(row.code) > 3:
                found.setdefault(row.code, self.value(item_key(row.code)))
        return sorted(found.items())

    def classes(self) -> list[tuple[str, Decimal]]:
        """表六's functional 类 in code order, with their 合计."""
        codes = sorted({r.code[:3] for r in self.code_rows("T6")})
        return [(c, self.value(f"class:{c}")) for c in codes]

    def economic(self, personnel: bool) -> list[str]:
        """表七's economic 款 with an amount, 人员经费 (301, 303) or 公用经费, by catalogue name."""
        rows = self.code_rows("T7")
        names = []
        for row, leaf in zip(rows, leaves([r.code for r in rows])):
            if not leaf or len(row.code) != 5 or (row.code[:3] in spec.PERSONNEL_CLASSES) != personnel:
                continue
            if self.amount(Ref("T7", row.key, "total")):
                names.append(catalog.economic().name(row.code) or row.label or row.code)
        return names

    def projects(self) -> list[Project]:
        table = self.book.tables.get("T12")
        out = []
        for p in table.projects if table else []:
            if not p.name.strip():
                continue
            total = p.funds.get("total")
            ref = Ref("T12", total.key, "amount") if total else None
            out.append(Project(p.name.strip(), self.amount(ref) or ZERO if ref else ZERO,
                               Place(table.sheet, f"B{p.r}"),
                               self.place(ref) if ref else Place(table.sheet, f"B{p.r}")))
        return out

    def fund_table_total(self, table: str) -> Decimal | None:
        if table not in self.book.tables:
            return None
        return self.amount(Ref(table, "total", "amount")) if self.book.tables[table].row("total") else ZERO


def item_words(code: str, book: Book | None = None) -> str:
    """"一般公共服务支出（201类）政府办公厅（室）及相关机构事务（03款）行政运行（01项）": a 项 as the
    reference document names it, with the 类/款/项 names of the bundled catalogue (the workbook's
    own names where the catalogue has none)."""
    labels = {}
    if book and "T6" in book.tables:
        labels = {r.code: r.label for r in book.tables["T6"].rows if r.kind == "code" and r.code}
    parts = []
    for cut, level in ((3, "类"), (5, "款"), (7, "项")):
        if len(code) < cut:
            break
        part = code[:cut]
        name = catalog.functional().name(part) or labels.get(part) or ""
        parts.append(f"{name}（{part if cut == 3 else part[-2:]}{level}）")
    return "".join(parts)


# key -> (table, row key, column, words) for figures read from one cell
_SIMPLE = {
    "total": ("T1", "in.total", "amount", "收支总预算（表一 收入总计）"),
    "income_total": ("T2", "in.total", "amount", "收入预算（表二 收入合计）"),
    "spend_total": ("T3", "total", "total", "支出预算（表三 总计）"),
    "spend_basic": ("T3", "total", "basic", "基本支出（表三 总计）"),
    "spend_project": ("T3", "total", "project", "项目支出（表三 总计）"),
    "spend_carry": ("T3", "total", "carry", "上年结转（表三 总计）"),
    "gp_total": ("T6", "total", "total", "一般公共预算支出（表六 总计）"),
    "basic": ("T6", "total", "basic", "基本支出（表六 总计）"),
    "project": ("T6", "total", "project", "项目支出（表六 总计）"),
    "personnel": ("T7", "total", "personnel", "人员经费（表七 总计）"),
    "public": ("T7", "total", "public", "公用经费（表七 总计）"),
    "running": ("T9", "total", "total", "机关运行经费（表九 总计）"),
    "fiscal_income": ("T4", "in.subtotal", "amount", "财政拨款收入合计（表四 本年收入）"),
    "fiscal_spend": ("T4", "exp.subtotal", "amount", "财政拨款支出合计（表四 本年支出）"),
    "fiscal_total": ("T4", "in.total", "amount", "财政拨款收支总预算（表四 收入总计）"),
}
# a unit's figure (a facts key as the text names it) -> its row's table and column
_UNIT_COLUMNS = {
    "total": ("T3", "total"), "income_total": ("T3", "total"), "spend_total": ("T3", "total"),
    "spend_basic": ("T3", "basic"), "spend_project": ("T3", "project"), "spend_carry": ("T3", "carry"),
    "gp_total": ("T5", "gp_total"), "basic": ("T5", "gp_basic"), "project": ("T5", "gp_project"),
}
_UNIT_WORDS = {"total": "收支预算", "income_total": "收入预算", "spend_total": "支出预算", "spend_basic": "基本支出",
               "spend_project": "项目支出", "spend_carry": "上年结转", "gp_total": "一般公共预算支出",
               "basic": "一般公共预算基本支出", "project": "一般公共预算项目支出"}


class Prior:
    """Last year's figures: from last year's workbook when given, else the 基本情况 sheet's
    上年预算数 column (None where it is blank: the narrative asks for it)."""

    def __init__(self, book: Book | None, info: Info | None):
        self.facts = Facts(book, prior=True) if book is not None else None
        self.info = info or Info(found=False)

    def value(self, key: str) -> Decimal | None:
        if self.facts is not None:
            return self.facts.value(key)
        if key in ("sangong", "car"):
            parts = [self.value(p) for p in (SANGONG_PARTS if key == "sangong" else ("car_buy", "car_run"))]
            return None if None in parts else sum(parts, ZERO)
        return self.info.prior.get(key)

    def where(self, key: str) -> str:
        """Where a missing figure is typed (for the 【请填写】 list)."""
        if key in ("sangong", "car"):
            key = "abroad" if key == "sangong" else "car_buy"
        return self.info.where.get(f"prior:{key}") or \
            f"{self.info.cell('')}“支出功能分类（项）”下添一行，科目编码 {key.partition(':')[2]}"
