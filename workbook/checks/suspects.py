"""Which typed row explains a difference between two totals, when the tables can tell.

Some rows have a bound of their own in another table: a unit of 表三 spends at least its 表五
财政拨款 and its projects' 上年结转资金 (表十二, by 实施单位); a unit's 表五 财政拨款 is at most its 表三
spending; a 表一 类 line (typed when the department has money besides 财政拨款) is at least that
类's 财政拨款 spending (表六 + 表十 + 表十一); a 表六 项 or 表七 款 is at least 0, or pinned by an
equality with another table that holds, and so is a 表二 income line (_typed_rooms). A figure
typed g too large leaves its row at least g above its bound (g too small: at least g below, for the rows bounded from above). So when a total
is g off and exactly one row has that much room, that row is the one; when several have, the
one whose room is exactly g is named as explaining the difference (the issue's wording:
"… 比 … 多 12.00，正是两者之差"). A row whose room is unknown (a unit one table lacks, text in a
cell) could hold any error: then nothing is said.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, NamedTuple

from ..derive import class_terms, fiscal_only
from ..model import Ref, Row
from ..money import ZERO, fmt
from .base import Context
from .rows import unit_name, units

FUND_KEYS = ("gp", "gf", "sc")  # 表五's funds: 一般公共预算, 政府性基金, 国有资本经营
PARTS = {"basic": "基本支出", "project": "项目支出"}


class Room(NamedTuple):
    """A typed cell, how far it is beyond its bound (None: unknown), and the bound in words ("": 0).
    `most`: what the room cannot exceed when the bound is unknown (the figure itself, for a lower
    bound: money is not negative), so a small figure is no suspect even then."""

    ref: Ref
    room: Decimal | None
    bound: str
    most: Decimal | None = None


Ties = Callable[[], tuple[set[Ref], dict[Ref, Decimal]]]


def suspect(ctx: Context, ref: Ref, excess: Decimal, ties: Ties) -> tuple[Ref, str] | None:
    """The one typed row under `ref` that explains why its side is `excess` larger (negative:
    smaller) than the other side, and the words saying why; None when the tables cannot tell."""
    rooms = _above(ctx, ref, ties) if excess > 0 else _below(ctx, ref)
    gap = abs(excess)
    rooms = [r for r in rooms or () if r.room is not None or r.most is None or r.most >= gap]
    if not rooms or any(r.room is None for r in rooms):
        return None
    fit = [r for r in rooms if r.room >= gap]
    exact = [r for r in fit if r.room == gap]
    if len(fit) == 1:
        one = fit[0]
        tail = "正是两者之差" if one.room == gap else f"能容下两者之差 {fmt(gap)} 的只有这一行"
    elif len(exact) == 1:
        one, tail = exact[0], "正是两者之差"
    else:
        return None
    if not one.bound:  # bounded by 0 only: the room is the figure itself
        return one.ref, f"{ctx.describe(one.ref)}为 {fmt(one.room)}，{tail}"
    return one.ref, f"{ctx.describe(one.ref)}比{one.bound}{'多' if excess > 0 else '少'} {fmt(one.room)}，{tail}"


def _above(ctx: Context, ref: Ref, ties: Ties) -> list[Room] | None:
    """The rows under a total that have a lower bound, and how far above it each is."""
    if ref.table == "T3" and not _is_unit(ctx, ref):
        cols = ("basic", "project", "carry") if ref.col == "total" else (ref.col,)
        return _t3_rooms(ctx, cols)
    if ref == Ref("T1", "exp.subtotal", "amount") and not fiscal_only(ctx.book):
        return _class_rooms(ctx)
    if ref.table == "T5" and not _is_unit(ctx, ref) and ref.col.endswith("_project"):
        return _t5_project_rooms(ctx, ref.col)
    if (ref.table in ("T6", "T7") or ref.table in ("T1", "T2") and ref.key.startswith("in.")) and ref in ctx.derived:
        return _typed_rooms(ctx, ref, ties)
    return None


def _below(ctx: Context, ref: Ref) -> list[Room] | None:
    """The rows under a total that have an upper bound, and how far below it each is."""
    if ref.table != "T5" or _is_unit(ctx, ref):
        return None
    fund, _, part = ref.col.partition("_")
    funds = [fund] if fund in FUND_KEYS else list(FUND_KEYS)
    parts = [part] if part in PARTS else list(PARTS)
    return _t5_rooms(ctx, funds, parts)


def _is_unit(ctx: Context, ref: Ref) -> bool:
    row = ctx.book.cell(ref)
    return row is None or row.kind == "unit"


def _amount(row: Row | None, col: str) -> Decimal | None:
    """A typed figure as the comparison reads it: blank is 0, text is unknown (None)."""
    if row is None:
        return None
    value = row.values.get(col)
    return ZERO if value is None else value if isinstance(value, Decimal) else None


def _fiscal(r5: Row | None, part: str) -> Decimal | None:
    values = [_amount(r5, f"{fund}_{part}") for fund in FUND_KEYS]
    return None if any(v is None for v in values) else sum(values, ZERO)


def _t3_rooms(ctx: Context, cols: tuple[str, ...]) -> list[Room] | None:
    from .performance import projects_by_unit  # here: importing it first would register 表十二's rules first
    t5 = {unit_name(r): r for r in units(ctx.book.tables.get("T5"))}
    carried = {unit_name(g.unit): g.money("carry") for g in projects_by_unit(ctx, ctx.book.tables["T12"]) or ()} \
        if "carry" in cols and "T12" in ctx.book.tables else {}
    out = []
    for unit in units(ctx.book.tables.get("T3")):
        for col in cols:
            value = _amount(unit, col)
            if col == "carry":
                bound, words = carried.get(unit_name(unit)), "该单位项目的上年结转资金之和（表十二）"
            else:
                bound, words = _fiscal(t5.get(unit_name(unit)), col), f"表五 该单位财政拨款{PARTS[col]}"
            room = value - bound if value is not None and bound is not None else None
            out.append(Room(Ref("T3", unit.key, col), room, words, value))
    return out


def _t5_rooms(ctx: Context, funds: list[str], parts: list[str]) -> list[Room] | None:
    t3 = {unit_name(r): r for r in units(ctx.book.tables.get("T3"))}
    out = []
    for unit in units(ctx.book.tables.get("T5")):
        r3 = t3.get(unit_name(unit))
        for part in parts:
            whole, fiscal = _amount(r3, part), _fiscal(unit, part)
            room = whole - fiscal if whole is not None and fiscal is not None else None
            # one row per unit and part: the fund's cell holding the most money stands for it
            col = max((f"{fund}_{part}" for fund in funds), key=lambda c: _amount(unit, c) or ZERO)
            out.append(Room(Ref("T5", unit.key, col), room, f"表三 该单位{PARTS[part]}"))
    return out


def _t5_project_rooms(ctx: Context, col: str) -> list[Room] | None:
    """A unit's 表五 财政拨款 项目支出 is its projects' 当年财政拨款 (表十二, by 实施单位)."""
    from .performance import projects_by_unit  # as in _t3_rooms
    groups = projects_by_unit(ctx, ctx.book.tables["T12"]) if "T12" in ctx.book.tables else None
    current = {unit_name(g.unit): g.money("current") for g in groups or ()}
    out = []
    for unit in units(ctx.book.tables.get("T5")):
        fiscal, projects = _fiscal(unit, "project"), current.get(unit_name(unit))
        room = fiscal - projects if fiscal is not None and projects is not None else None
        out.append(Room(Ref("T5", unit.key, col), room, "该单位项目的当年财政拨款之和（表十二）", fiscal))
    return out


def _class_rooms(ctx: Context) -> list[Room]:
    t1, out = ctx.book.tables["T1"], []
    for row in t1.rows:
        if not (row.key.startswith("exp.") and row.code):
            continue
        terms = [ctx.value(ref) for ref in class_terms(ctx.book, row.code)]
        value = _amount(row, "amount")
        known = value is not None and all(t is None or isinstance(t, Decimal) for t in terms)
        bound = sum((t for t in terms if t is not None), ZERO)
        out.append(Room(Ref("T1", row.key, "amount"), value - bound if known else None,
                        "表六、表十、表十一 该类财政拨款支出之和", value))
    return out


def _typed_rooms(ctx: Context, ref: Ref, ties: Ties) -> list[Room] | None:
    """The typed 表六 项, 表七 款 or 表二 income cells under a total. No other table repeats these
    rows, but some are tied to one: a social-insurance line equal to its partner (表六 2080505 =
    表七 30108 …), when every unit is 行政 or 参公 a 表七 商品和服务 line equal to its 表九 item, a
    表二 财政拨款 line equal to 表六/表十/表十一 总计 are pinned while the equality holds (room 0);
    with 事业单位, a 表七 line is at least its 表九 item. Every other line is bounded by 0 only, so
    it is a suspect when it is at least the difference. `ties`: the cells pinned and the lower
    bounds (the cross-table rules know them)."""
    under = typed_under(ctx, ref)
    if len(under) >= LIMIT:
        return None
    pinned, floor = ties()
    out = []
    for cell in under:
        value = ctx.value(cell)
        if value is not None and not isinstance(value, Decimal):
            return None  # text: F.not-number's; the room is unknown
        value = value or ZERO
        if cell in pinned:
            out.append(Room(cell, ZERO, "其对应科目"))
        else:
            bound = floor.get(cell, ZERO)
            out.append(Room(cell, value - bound, "表九 同一科目基本支出" if cell in floor else ""))
    return out


def total_of(ctx: Context, refs: list[Ref]) -> Decimal | None:
    """The cells' sum, blank as 0; None when one holds text."""
    values = [ctx.value(r) for r in refs]
    if any(v is not None and not isinstance(v, Decimal) for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


LIMIT = 5000


def typed_under(ctx: Context, ref: Ref, limit: int = LIMIT) -> list[Ref]:
    """The typed cells a figure adds up (itself when typed), through every derived level; at most
    `limit` (a large department's 总计 stops there rather than walk 100,000 cells). Walked once per
    check for each figure: `lone` and the suspects both ask."""
    return ctx.memo(("typed_under", ref, limit), lambda: _walk(ctx, ref, limit))


def _walk(ctx: Context, ref: Ref, limit: int) -> list[Ref]:
    out, todo, seen = [], [ref], set()
    while todo and len(out) < limit:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        terms = ctx.derived.get(ref)
        if terms:
            todo += [Ref(*t) for t in terms]
        else:
            out.append(ref)
    return out
