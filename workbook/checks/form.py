"""Completeness and form (F.*): all 12 tables, some budget in them, empty tables explained,
0.00 rather than blank, amounts typed as numbers in 万元 with two decimals, no placeholder text,
one department and year.

Inspections of published disclosures list these as frequent problems (财预〔2016〕143号 asks for
完整、形式规范): missing or unexplained empty tables, blank cells where 0.00 belongs, 元 written
where 万元 is meant, the same unit named differently across tables.

A faulty typed figure also makes the totals above it faulty; the amount rules (negative,
decimals, 元) report only the root cell: a derived cell is reported only when none of its terms
shows the same fault.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from itertools import accumulate
from typing import Callable, Iterator

from .. import spec, zeros
from ..cells import coordinate_to_tuple
from ..model import Ref, Table, new_ref
from ..money import CENT, fmt
from ..reader import _TITLE, department_label, squeeze as _squeeze
from .base import Context, Place, Rule, register

_ADDR = re.compile(r"^(?P<col>[A-Z]+)(?P<row>\d+)$")
ALL = spec.ALL_IDS
MONEY_TABLES = spec.MONEY_TABLES  # 表十二 labels its blocks （万元） instead of a 单位 line


def squeeze(text: object) -> str:
    return _squeeze(str(text or ""))


def row_of(addr: str) -> int:
    match = _ADDR.match(addr)
    return int(match["row"]) if match else 0


# --- helpers shared by the rules -------------------------------------------------------------

def money_values(ctx: Context) -> Iterator[object]:
    """The value of every money cell of every table."""
    return (value for _, row in ctx.money_rows for value in row.values.values())


def roots(ctx: Context, faulty: Callable[[object], bool],
          showing: list[tuple[Ref, object]]) -> list[tuple[Ref, object]]:
    """Of the cells `showing` a fault (each rule picks them from ctx.money_rows in one comprehension,
    no call a cell), those whose fault does not come from a term of theirs showing the same fault."""
    terms, value_of = ctx.derived, ctx.value
    return [(ref, value) for ref, value in showing if not any(faulty(value_of(t)) for t in terms.get(ref, ()))]


def _sheet_order(place: Place) -> tuple[int, int]:
    """A cell's position for listing cells as the sheet shows them: by row, then column."""
    return coordinate_to_tuple(place.cell) if _ADDR.match(place.cell) else (0, 0)  # a PDF's cell in words


def title_place(table: Table) -> Place:
    addr = next((a for a, text in table.margin.items() if text == table.title), "A1")
    return Place(table.sheet, addr)


def last_row(table: Table) -> int:
    rows = [row.r for row in table.rows]
    if table.whole:
        rows += [table.whole.r] + [r for r, _ in table.whole.indicators]
    for project in table.projects:
        rows += [project.r] + [r for r, _ in project.indicators]
    return max(rows, default=table.body_r)


def text_cells(table: Table) -> list[tuple[str, int | None, str]]:
    """Every text cell the accountant fills or may change: titles and notes, unit and subject
    names, codes typed as text, and 表十二's names, goals and indicators; as (column letter, row,
    text), or (address, None, text) where the address is at hand (a cell's name is made only for
    a finding). Listed in comprehensions: a large 表六 has 20,000 names."""
    cells = [(addr, None, text) for addr, text in table.margin.items()]
    cells += [(row.label_col, row.r, row.label) for row in table.rows
              if row.label and row.kind in ("dept", "unit", "code", "item")]
    if hasattr(table.spec, "code_col"):
        code_col = table.spec.letter(table.spec.code_col)
        cells += [(code_col, row.r, row.code) for row in table.rows
                  if row.kind == "code" and row.code and not row.code.isdigit()]
    blocks = ([table.whole] if table.whole else []) + list(table.projects)
    for block in blocks:
        cells += [(addr, None, getattr(block, what)) for what, addr in block.cells.items()]
        letters = [table.spec.letter(k) for k in table.spec.indicator_cols]
        cells += [(letter, r, text) for r, ind in block.indicators
                  for letter, text in zip(letters, (ind.level1, ind.level2, ind.level3, ind.value))]
    return cells


def goal_place(table: Table, block) -> Place:
    """Where a 表十二 block's 总体目标 is (the block's name cell when the row is missing)."""
    return Place(table.sheet, block.cells.get("goal") or block.cells.get("name") or block.cells["dept_name"])


def title_parts(table: Table) -> tuple[str, int] | None:
    match = _TITLE.match(squeeze(table.title))
    return (match["dept"], int(match["year"])) if match else None


# --- completeness ----------------------------------------------------------------------------

@register
class TablesPresent(Rule):
    id = "F.tables-present"
    title = "12 张部门预算公开表齐全"
    severity = "error"
    tables = ALL
    template = "缺少{sheet}（{name}）：12 张公开表应全部公开，无内容的表也应公开空表并说明情况"

    def check(self, ctx: Context):
        for table_id in ctx.book.missing:
            table = spec.BY_ID[table_id]
            yield self.finding((), sheet=table.sheet, name=table.name)


# Where a reader looks first for the size of the budget: 表二 收入合计 and 表三 总计 支出合计.
BUDGET_TOTALS = (Ref("T2", "in.total", "amount"), Ref("T3", "total", "total"))


@register
class NoData(Rule):
    """An empty template (budgetbook new, even after fill) is not a budget: every amount of
    every table is blank or 0. Text in a money cell is F.not-number, not data."""

    id = "F.no-data"
    title = "工作簿应有预算数据（不应为空白模板）"
    severity = "error"
    tables = ALL
    template = ("工作簿中没有任何预算金额：{cells}各表金额全部为空或 0.00，像是未填写的空白模板；"
                "请先填写各表的收支数据，再校验和导出")

    def check(self, ctx: Context):
        if any(isinstance(v, Decimal) and v != 0 for v in money_values(ctx)):
            return
        refs = [ref for ref in BUDGET_TOTALS if ctx.book.cell(ref) is not None]
        shown = [ctx.describe(r) + ("为空" if ctx.value(r) is None else f"为 {fmt(ctx.value(r))}") for r in refs]
        yield self.finding([ctx.place(r) for r in refs], cells="".join(f"{s}，" for s in shown))


# The printed instruction to the preparer; it is not itself an explanation.
_STANDARD = squeeze(spec.NOTE.removeprefix("备注："))
_EXPLAINS = re.compile(r"空表|不涉及|未安排|未编制|未发生|没有|无(此|该|相关)|无.{0,24}"
                       r"(支出|收入|预算|经费|资金|数据|内容|业务|项目|安排)")


def own_words(text: str) -> str:
    """A note without the printed standard instruction and its 备注： prefix."""
    text = squeeze(text).replace(_STANDARD, "").replace(_STANDARD.rstrip("。"), "")
    return re.sub(r"^(备注|注|说明)[:：]?", "", text)


@register
class EmptyNote(Rule):
    """Warning, not error: the explanation is often given in the 情况说明 text of the disclosure
    (the reference does so), which the workbook cannot see."""

    id = "F.empty-note"
    title = "空表应说明情况"
    severity = "warning"
    tables = MONEY_TABLES
    template = "{sheet}（{name}）{why}"
    unexplained = ("无数据，但表中只有“无内容应公开空表并说明情况”的填表要求，未说明为何为空表；请在备注中写明，"
                   "例如“本部门{year}年无{what}，故本表为空表。”（如已在情况说明中说明，也建议在表中注明）")
    other_fund = ("无数据，但说明写的是“{said}”，而本表是{own}的表（疑似从其他表复制）；请改为"
                  "“本部门{year}年无{own}支出，故本表为空表。”")
    not_empty = "有数据，但表下注释写着“{said}”（疑似从空表复制的注释）；请删除或改正这条注释"

    def check(self, ctx: Context):
        if not any(isinstance(v, Decimal) and v != 0 for v in money_values(ctx)):
            return  # a blank workbook is one F.no-data error, not a dozen empty tables
        year = ctx.book.year
        for table_id in MONEY_TABLES:
            table = ctx.book.tables.get(table_id)
            if table is None:
                continue
            if not self._empty(table, ctx):
                said = own_words(table.note or "")
                if "空表" in said:
                    yield self.finding([Place(table.sheet, f"A{table.note_r}")], sheet=table.sheet,
                                       name=table.spec.name, why=self.not_empty.format(said=said))
                continue
            what = table.spec.name.removesuffix("情况表").removesuffix("表")
            explained = self._explained(table)
            if explained is None:
                why = self.unexplained.format(year=year or "", what=what)
            elif (wrong := _other_fund(table_id, explained)) is not None:
                why = self.other_fund.format(said=wrong, own=_FUND_OF[table_id], year=year or "")
            else:
                continue
            if table.note_r:
                place = Place(table.sheet, f"A{table.note_r}")
            elif table.row("total"):
                place = Place(table.sheet, table.row("total").addr(table.spec.money_keys[-1]))
            else:
                place = title_place(table)
            yield self.finding([place], sheet=table.sheet, name=table.spec.name, why=why)

    @staticmethod
    def _empty(table: Table, ctx: Context) -> bool:
        tid, derived = table.spec.id, ctx.derived
        # a typed figure settles it without working out a single sum (the usual case: at once)
        for row in table.rows:
            for col, value in row.values.items():
                if value is not None and not (isinstance(value, Decimal) and value == 0) \
                        and Ref(tid, row.key, col) not in derived:
                    return False
        amounts = (ctx.settled(Ref(tid, row.key, col)) for row in table.rows for col in row.values)
        return all(v is None or (isinstance(v, Decimal) and v == 0) for v in amounts)  # stops at money

    @staticmethod
    def _explained(table: Table) -> str | None:
        """The sentence that says why the table is empty, if any."""
        texts = [own_words(table.note or "")]
        texts += [t for a, t in table.margin.items() if table.note_r and row_of(a) > table.note_r]
        # a sentence typed into the body (科目编码 or 单位名称 column) instead of under the table
        texts += [(row.code or "") + (row.label or "") for row in table.rows
                  if row.kind != "total" and not (row.code or "").isdigit()]
        return next((squeeze(t) for t in texts if _EXPLAINS.search(squeeze(t))), None)


# The fund whose spending each fund table details (表六/表七 一般公共预算, 表十, 表十一), in the words
# an explanation uses; an empty table's note naming another fund and not its own was copied.
_FUND_OF = {fund.table: fund.label for fund in spec.FUNDS} | {"T7": spec.FUNDS[0].label}
_FUND_WORDS = {label: label.removesuffix("预算") for label in _FUND_OF.values()}


def _other_fund(table_id: str, sentence: str) -> str | None:
    """The other fund an empty table's explanation names instead of the table's own, if so."""
    own = _FUND_OF.get(table_id)
    if own is None or _FUND_WORDS[own] in sentence:
        return None
    return next((label for label, word in _FUND_WORDS.items() if word in sentence), None)


# --- cells -----------------------------------------------------------------------------------

@register
class BlankZero(Rule):
    id = "F.blank-zero"
    title = "合计为零的单元格应填 0.00，不应留空"
    severity = "warning"
    tables = ALL
    template = "{sheet} {cells}{more} 为空，按其组成各项应为 0.00；公开表中应填 0.00 而不是留空"
    advice = "fill"

    def check(self, ctx: Context):
        blank: dict[str, list[Ref]] = {}
        # Only cells fill writes: a typed line left blank (表一's 类 lines with non-fiscal money) is a
        # line the department does not use, printed blank as in the reference.
        for rel, actual, _ in ctx.unsettled():  # every derived cell off its sum, incl. 部门行 and 总计行
            if actual is None and ctx.settled(rel.target) == 0:
                refs = blank.setdefault(rel.target.table, [])
                if rel.target not in refs:
                    refs.append(rel.target)
        for table_id in list(blank):  # only where the publication prints 0.00 (spec.ZERO_RULES)
            table = ctx.book.tables[table_id]
            printed = {(row.key, col) for row, col, show in
                       zeros.shown(table, lambda row, col: ctx.settled(Ref(table_id, row.key, col))) if show}
            blank[table_id] = [r for r in blank[table_id] if (r.key, r.col) in printed]
        for table_id, refs in blank.items():
            if not refs:
                continue
            places = sorted((ctx.place(r) for r in refs), key=_sheet_order)
            yield self.finding(places, sheet=places[0].sheet, cells="、".join(p.cell for p in places[:6]),
                               more=f" 等 {len(places)} 格" if len(places) > 6 else "")


@register
class TextNumber(Rule):
    id = "F.text-number"
    title = "金额应为数值，不应是文本格式的数字"
    severity = "warning"
    tables = ALL
    template = "{where} 的“{raw}”是以文本形式存储的数字，Excel 的求和会漏掉它；请转换为数值"

    def check(self, ctx: Context):
        for p in ctx.book.problems:
            if p.kind == "text-number":
                yield self.finding([Place(p.sheet, p.addr)], where=f"{p.sheet}!{p.addr}", raw=p.raw)


@register
class NotNumber(Rule):
    id = "F.not-number"
    title = "金额栏不应填文字"
    severity = "error"
    tables = ALL
    template = "{where} {problem}"

    def check(self, ctx: Context):
        for p in ctx.book.problems:
            if p.kind != "not-number":
                continue
            if p.raw.startswith("="):
                problem = (f"是公式“{p.raw}”，但工作簿中没有保存它的计算结果（文件由程序写出后未在 Excel 中保存过）；"
                           "请在 Excel、WPS 或 LibreOffice 中打开并保存一次")
            elif p.raw.strip().upper() in EXCEL_ERRORS:
                problem = (f"是 Excel 错误值 {p.raw.strip()}（{EXCEL_ERRORS[p.raw.strip().upper()]}），"
                           "不是金额；请改正引用它的公式或填入金额")
            elif (raw := p.raw.strip().lower()).lstrip("+-") in NOT_FINITE:
                what = ("负" if raw.startswith("-") else "") + NOT_FINITE[raw.lstrip("+-")]
                problem = (f"存的是{what}，不是金额（Excel 不会这样保存，多是其他程序写出的）；"
                           "请在 Excel 或 WPS 中填入正确的金额")
            else:
                problem = f"应为金额，却是文字“{p.raw}”；没有金额请填 0.00"
            yield self.finding([Place(p.sheet, p.addr)], where=f"{p.sheet}!{p.addr}", problem=problem)


@register
class MergedHidden(Rule):
    """Excel keeps only a merged range's first cell in view; a figure left in another cell of it
    (pasted, or merged by another program) is invisible, may be counted by a sum and is dropped
    when the range is edited."""

    id = "F.merged-hidden"
    title = "合并单元格中不应藏有数字"
    severity = "error"
    tables = ALL
    template = ("{where} 有数字“{raw}”，但它被合并单元格 {span} 遮住，在 Excel 中看不到，求和时却可能被算进去；"
                "请取消合并，确认这个数字该放在哪一格（或删除它）后再合并")

    def check(self, ctx: Context):
        for p in ctx.book.problems:
            if p.kind == "merged-hidden":
                yield self.finding([Place(p.sheet, p.addr)], where=f"{p.sheet}!{p.addr}", raw=p.raw, span=p.span)


# NaN and infinity as a file may store them (read as text "nan", "-inf" …), in words.
NOT_FINITE = {"nan": "非数字值 NaN", "inf": "无穷大", "infinity": "无穷大"}

# What each Excel error value means, for the accountant who sees it in a money cell.
EXCEL_ERRORS = {"#REF!": "引用的单元格已被删除", "#N/A": "查找不到对应值", "#VALUE!": "公式中的值类型不对",
                "#DIV/0!": "除数为零", "#NAME?": "公式中有无法识别的名称", "#NUM!": "数值无效",
                "#NULL!": "区域不相交", "#SPILL!": "溢出区域被占用", "#CALC!": "计算出错"}


# XX / ×× / …… / "..." and the words templates leave for the preparer
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[Xx]{2,}|[Ｘｘ]{2,})(?![A-Za-z])|[×╳]{2,}|…|\.{3,}|。{3,}|[?？]{2,}|"
    r"待补充|待填写|待填报|待完善|待定|某某|此处填写|此处输入|请填写|请输入")
# the first characters PLACEHOLDER's matches can start with: a quick scan of a whole table for
# them leaves the full pattern (slow over 20,000 names) for the few texts that have one
_PLACEHOLDER_START = re.compile(r"[XxＸｘ×╳….。?？待某此请]")


@register
class PlaceholderText(Rule):
    id = "F.placeholder"
    title = "不应留有占位文字（XX、……、待补充等）"
    severity = "error"
    tables = ALL
    template = "{where} 含占位文字“{hit}”，公开前应填写实际内容：{text}"

    def check(self, ctx: Context):
        for table in ctx.book.tables.values():
            cells = text_cells(table)
            texts = [text or "" for _, _, text in cells]
            blob = "\n".join(texts)
            if not _PLACEHOLDER_START.search(blob):
                continue  # the usual table: not one character a placeholder starts with
            ends = list(accumulate(len(text) + 1 for text in texts))  # "\n" after each text
            candidates = sorted({bisect_right(ends, m.start()) for m in _PLACEHOLDER_START.finditer(blob)})
            seen = set()
            for i in candidates:
                (where, r, text), match = cells[i], PLACEHOLDER.search(texts[i])
                place = Place(table.sheet, where if r is None else f"{where}{r}")
                if match and place not in seen:
                    seen.add(place)
                    short = text if len(text) <= 40 else text[:40] + "…"
                    yield self.finding([place], where=str(place), hit=match.group(0), text=short)


# --- amounts ---------------------------------------------------------------------------------

def _negative(v) -> bool:
    return isinstance(v, Decimal) and v < 0


# Excel keeps binary noise in formula results (0.1+0.2); only real third decimals count.
_NOISE = Decimal("0.000001")


def _past_cents(v) -> bool:
    return isinstance(v, Decimal) and abs(v - v.quantize(CENT)) > _NOISE


@register
class Negative(Rule):
    id = "F.negative"
    title = "金额不应为负数"
    severity = "error"
    tables = ALL
    template = "{cell} 为 {actual}，预算公开表中的金额不应为负数"

    def check(self, ctx: Context):
        showing = [(new_ref((tid, row.key, col)), v) for tid, row in ctx.money_rows
                   for col, v in row.values.items() if isinstance(v, Decimal) and v < 0]
        for ref, value in roots(ctx, _negative, showing):
            yield self.finding([ctx.place(ref)], actual=fmt(value), cell=ctx.describe(ref))


@register
class Decimals(Rule):
    id = "F.decimals"
    title = "金额保留两位小数"
    severity = "warning"
    tables = ALL
    template = "{cell} 为 {actual}，金额（万元）应保留两位小数，请四舍五入到 0.01"

    def check(self, ctx: Context):
        showing = [(new_ref((tid, row.key, col)), v) for tid, row in ctx.money_rows for col, v in row.values.items()
                   if isinstance(v, Decimal) and v != v.quantize(CENT) and abs(v - v.quantize(CENT)) > _NOISE]
        for ref, value in roots(ctx, _past_cents, showing):
            yield self.finding([ctx.place(ref)], actual=str(value), cell=ctx.describe(ref))


# The department's size, from totals typed or added up in four different tables, three votes:
# 表二's and 表三's (all sources) and the larger of 表五's and 表六's (财政拨款 only, small beside a
# hospital's 事业收入); the median survives one of them typed in 元 (表一 and 表十二 repeat 表二).
SIZE_REFS = (Ref("T2", "in.total", "amount"), Ref("T3", "total", "total"), Ref("T5", "total", "total"),
             Ref("T6", "total", "total"))
FISCAL_SIZE_REFS = SIZE_REFS[2:]
# No part of a department's budget is 100 times its whole; 元 read as 万元 is 10,000 times.
PART_LIMIT = 100
# 100 亿元: beyond any single department's budget but for the largest provincial ones.
WHOLE_LIMIT = Decimal("1000000")


_ITEM_TABLES = frozenset((*spec.UNIT_TABLES, *spec.CODE_TABLES, "T9"))  # the tables of units, codes and items


@register
class Yuan(Rule):
    """Amounts typed in 元 instead of 万元. Signals, each naming the cell typed:
    - the department's size (the median of 表二's and 表三's totals, of all sources, and the larger
      财政拨款 total of 表五/表六) above 1,000,000 万元: the whole workbook in 元;
    - an amount ≥ 100 × that size, or a single item (a unit's, a code's, an item's figure) larger
      than the size itself: a part larger than the whole it belongs to (a department funded mostly
      by 事业收入 is sized by all its money, not by its 财政拨款);
    - a 表八 三公/会议费/培训费 figure larger than 表七's whole 公用经费 (those costs are a small part of
      the 公用经费 they come from)."""

    id = "F.yuan"
    title = "金额单位应为万元（疑似按元填列）"
    severity = "warning"
    tables = ALL
    template = "{cell} 为 {actual}，{why}，疑似按元填写；公开表金额单位为万元（1 万元 = 10,000 元）"

    def check(self, ctx: Context):
        sizes = [(ref, ctx.value(ref)) for ref in SIZE_REFS if ctx.book.cell(ref) is not None]
        sizes = [(ref, v) for ref, v in sizes if isinstance(v, Decimal) and v > 0]
        if not sizes:
            return
        fiscal = [v for ref, v in sizes if ref in FISCAL_SIZE_REFS]
        ordered = sorted([v for ref, v in sizes if ref not in FISCAL_SIZE_REFS] + [max(fiscal)] * bool(fiscal))
        size = ordered[(len(ordered) - 1) // 2]  # the lower median
        if size >= WHOLE_LIMIT:
            for ref, value in sizes:
                if value >= WHOLE_LIMIT:
                    yield self.finding([ctx.place(ref)], actual=fmt(value), cell=ctx.describe(ref),
                                       why=f"即 {fmt(value / 10000)} 亿元，超出一个部门预算的常见规模")
            return
        seen, limit = set(), size * PART_LIMIT
        # one look at every cell for both signals: the few figures larger than the size
        large = [(tid, row, col, v) for tid, row in ctx.money_rows
                 for col, v in row.values.items() if isinstance(v, Decimal) and v > size]
        showing = [(new_ref((tid, row.key, col)), v) for tid, row, col, v in large if v >= limit]
        for ref, value in roots(ctx, lambda v: isinstance(v, Decimal) and v >= limit, showing):
            seen.add(ref)
            yield self.finding([ctx.place(ref)], actual=fmt(value), cell=ctx.describe(ref),
                               why=f"是本部门收支总额 {fmt(size)} 的 {value / size:,.0f} 倍")
        typed = [(new_ref((tid, row.key, col)), v) for tid, row, col, v in large
                 if tid in _ITEM_TABLES and col in row.inputs]  # a single item: a unit's, a code's, an item's
        for ref, value in typed:
            if ref not in seen:
                seen.add(ref)
                yield self.finding([ctx.place(ref)], actual=fmt(value), cell=ctx.describe(ref),
                                   why=f"大于本部门收支总额 {fmt(size)}")
        public = Ref("T7", "total", "public")
        limit = ctx.settled(public) if "T7" in ctx.book.tables and ctx.book.cell(public) else None
        t8 = ctx.book.tables.get("T8")
        if not isinstance(limit, Decimal) or limit <= 0 or t8 is None:
            return
        for row in t8.rows:
            for col in ("abroad", "reception", "car_buy", "car_run", "meeting", "training"):
                ref = Ref("T8", row.key, col)
                value = row.values.get(col)
                if col in row.inputs and isinstance(value, Decimal) and value > limit and ref not in seen:
                    yield self.finding([ctx.place(ref), ctx.place(public)], actual=fmt(value),
                                       cell=ctx.describe(ref),
                                       why=f"大于表七 公用经费总计 {fmt(limit)}（“三公”、会议、培训费只是公用经费的一小部分）")



# --- layout ----------------------------------------------------------------------------------

_UNIT = re.compile(r"^(金额)?单位[:：]")


@register
class UnitLine(Rule):
    id = "F.unit-line"
    title = "单位行应为“单位：万元”"
    severity = "error"
    tables = MONEY_TABLES
    template = "{sheet} {problem}；公开表金额单位应为万元（“单位：万元”）"

    def check(self, ctx: Context):
        for table_id in MONEY_TABLES:
            table = ctx.book.tables.get(table_id)
            if table is None:
                continue
            lines = [(a, t) for a, t in table.margin.items()
                     if row_of(a) < table.body_r and _UNIT.match(squeeze(t))]
            if not lines:
                where = f"{spec.column_letter(table.spec.printed)}2"
                yield self.finding([Place(table.sheet, where)], sheet=table.sheet, problem="缺少单位行")
            for addr, text in lines:
                if "万元" not in squeeze(text):
                    yield self.finding([Place(table.sheet, addr)], sheet=table.sheet,
                                       problem=f"{addr} 单位行为“{text}”")


@register
class BelowNote(Rule):
    """Figures typed under the 备注 line belong to no row: no total counts them and the published
    table would print them as stray numbers. Text there (an explanation) is fine."""

    id = "F.below-note"
    title = "备注行以下不应填写金额"
    severity = "error"
    tables = ALL
    template = "{sheet} 备注行（第 {note} 行）以下的 {cells}{more} 填有数字 {first}，不属于任何一行，不计入合计；请移到表内相应行或删除"

    def check(self, ctx: Context):
        for table in ctx.book.tables.values():
            if not table.below:
                continue
            places = [Place(table.sheet, addr) for addr in table.below]
            first = next(iter(table.below.values()))
            yield self.finding(places, sheet=table.sheet, note=table.note_r,
                               cells="、".join(p.cell for p in places[:4]),
                               more=f" 等 {len(places)} 格" if len(places) > 4 else "", first=first)


@register
class Layout(Rule):
    """A table whose columns are not where the template has them (a column inserted or deleted
    before them) is not read: every figure would be taken from the wrong column. fill and the marks
    refuse such a workbook; the check says which column moved."""

    id = "F.layout"
    title = "表格的列应在模板规定的位置（未插入或删除列）"
    severity = "error"
    tables = ALL
    template = "{problem}"

    def check(self, ctx: Context):
        for table in ctx.book.tables.values():
            if table.layout:
                yield self.finding([title_place(table)], problem=table.layout.rstrip("。") +
                                   f"；{table.sheet}的数据未读取，与{table.sheet}有关的核对均未进行")

    # what a table's title says is read whatever its columns
    UNAFFECTED = frozenset({"F.layout", "F.title"})

    @classmethod
    def one_cause(cls, book, findings: list[Finding], rules: dict[str, type[Rule]]) -> list[Finding]:
        """One cause, one finding: a table whose columns moved is not read, so what its reading
        would give (the table empty, other tables' figures with nothing to match) is not reported —
        the findings placed on it, and those of the cross-table rules (X.*, P.*) that read it."""
        moved = {t.spec.id: t.sheet for t in book.tables.values() if t.layout}
        if not moved:
            return findings

        def caused(f: Finding) -> bool:
            if f.rule in cls.UNAFFECTED:
                return False
            if any(p.sheet in moved.values() for p in f.places):
                return True
            rule = rules.get(f.rule)
            return f.rule.startswith(("X.", "P.")) and rule is not None and bool(set(rule.tables) & set(moved))

        return [f for f in findings if not caused(f)]


@register
class NoteLine(Rule):
    id = "F.note-line"
    title = "表下应有备注行"
    severity = "warning"
    tables = ALL
    template = "{sheet} 表下缺少备注行（“{note}”，空表还应写明原因）"

    def check(self, ctx: Context):
        for table in ctx.book.tables.values():
            if table.note is None:
                place = Place(table.sheet, f"A{last_row(table) + 1}")
                yield self.finding([place], sheet=table.sheet, note=spec.NOTE)


# --- one department, one year ----------------------------------------------------------------

@register
class Title(Rule):
    id = "F.title"
    title = "各表标题及表十二中的部门名称、年度一致"
    severity = "warning"
    tables = ALL
    template = "{where} {what}为“{actual}”，与{source}“{expected}”不一致（同一部门各表名称应一致）"

    def check(self, ctx: Context):
        dept, year = ctx.book.dept, ctx.book.year  # as most titles give them
        source = "其他各表标题中的"
        for table in ctx.book.tables.values():
            parts = title_parts(table)
            where = str(title_place(table))
            if parts is None:  # no title naming the table, or one without a year
                shown = table.title or next((t for a, t in table.margin.items() if row_of(a) == 1), "空")
                yield self.finding([title_place(table)], where=where, what="标题", actual=shown,
                                   source="规范标题", expected=f"{dept or ''}{year or ''}年{table.spec.name}")
                continue
            if parts[0] != dept:
                yield self.finding([title_place(table)], where=where, what="标题中的部门名称",
                                   actual=parts[0], source=source + "部门名称", expected=dept)
            if parts[1] != year:
                yield self.finding([title_place(table)], where=where, what="标题中的年度",
                                   actual=f"{parts[1]}年", source=source + "年度", expected=f"{year}年")
        if dept is None:
            return
        yield from self._names(ctx, dept)

    def _names(self, ctx: Context, dept: str):
        source = "标题中的部门名称"
        # the department row of 表三/表五/表八 names the department itself
        for table_id in ("T3", "T5", "T8"):
            table = ctx.book.tables.get(table_id)
            row = table.row("dept") if table else None
            if row and row.label and not department_label(row.label, dept):
                place = Place(table.sheet, f"{row.label_col}{row.r}")
                yield self.finding([place], where=str(place), what="部门行名称", actual=row.label,
                                   source=source, expected=dept)
        table = ctx.book.tables.get("T12")
        if table is None:
            return
        if table.whole and table.whole.dept_name and squeeze(table.whole.dept_name) != dept:
            place = Place(table.sheet, table.whole.cells["dept_name"])
            yield self.finding([place], where=str(place), what="部门整体支出绩效目标表的部门名称",
                               actual=table.whole.dept_name, source=source, expected=dept)
        # a project may be carried out by one of the department's units (表三's unit rows)
        units = {squeeze(r.label) for t in ("T3", "T5", "T8") if ctx.book.tables.get(t)
                 for r in ctx.book.tables[t].rows if r.kind == "unit" and r.label}
        for project in table.projects:
            unit = squeeze(project.unit)
            if unit and unit != dept and unit not in units and "unit" in project.cells:
                place = Place(table.sheet, project.cells["unit"])
                yield self.finding([place], where=str(place),
                                   what=f"项目“{project.name or '（未填名称）'}”的实施单位",
                                   actual=project.unit, source=source + "及表三所列单位", expected=dept)


_BLOCK_YEAR = re.compile(r"(\d{4})\s*年")


@register
class Year(Rule):
    id = "F.year"
    title = "表十二 各绩效目标表的年度与标题年度一致"
    severity = "warning"
    tables = ("T12",)
    template = "{where}“{text}”的年度为 {actual} 年，与标题年度 {expected} 年不一致"

    def check(self, ctx: Context):
        table = ctx.book.tables.get("T12")
        year = ctx.book.year
        if table is None or year is None:
            return
        for addr, text in table.margin.items():
            if not squeeze(text).startswith((table.spec.whole_title, table.spec.project_title)):
                continue
            match = _BLOCK_YEAR.search(squeeze(text))
            if match and int(match[1]) != year:
                yield self.finding([Place(table.sheet, addr)], where=f"{table.sheet}!{addr}", text=text,
                                   actual=match[1], expected=str(year))
