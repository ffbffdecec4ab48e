"""Blank or 0.00: which money cells print 0.00 when zero, by the convention of spec.ZERO_RULES.

One function for every reader of the convention: the export (and so its PDF) prints each cell
as decided here, and F.blank-zero reports a blank only where the publication would print 0.00,
so that a published workbook checks exactly as its source did. No openpyxl here (`check` start-up).

As the reference disclosure prints its tables, a line the
department does not use is blank in every column; a line it uses shows 0.00 where a column is
zero. "Uses" means, table by table:

- 表一, 表二, 表四: a line with its own amount. The income sources (一 … 九 of 表一/表二, the three
  funds of 表四) and the functional 类 lines print only when their amount is not zero. The lines
  of every balance print always, 0.00 when zero: 本年收入合计, 本年支出合计, 收入总计/收入合计,
  支出总计, 上年结转, 上年结余, 结转下年 (the reference prints them as 0).
- 表三, 表八 and the rows of 表五: a row (总计, the department, a 单位) with any figure that is not
  zero; such a row shows 0.00 in its zero columns, a row with none is blank. 表五 also leaves out
  a whole fund (一般公共预算 / 政府性基金 / 国有资本经营: its 合计, 基本支出 and 项目支出 columns) that
  the department does not have: zero on every row, blank on every row.
- 表六, 表七, 表十, 表十一: a code row (and 总计) with any figure that is not zero. An empty 表十 or
  表十一 therefore prints its 总计 blank, as the reference does. In 表七 a code's 类 decides
  whether it is 人员经费 (301, 303) or 公用经费 (every other 类); the other column is not a zero but
  does not apply, and stays blank on a code row, as in the reference (总计 shows both).
- 表九: its items are the form (机关运行经费 is published item by item even when 0.00): every
  item and 总计 print, 0.00 where zero.
- 表十二: each block (部门整体, each project) whose amounts are not all zero shows 0.00 in its
  zero amounts (上年结转资金 0.00, as in the reference).
A cell holding text that is not a number is left as it is: the checker reports it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterator

from . import spec
from .model import Row, Table

__all__ = ["shown"]

Value = Callable[[Row, str], object]  # a cell's amount (as read, or as it will be once filled)


def _nonzero(value) -> bool:
    return value is not None and not (isinstance(value, Decimal) and value == 0)


def _as_read(row: Row, col: str) -> object:
    return row.values.get(col)


def shown(table: Table, value: Value = _as_read) -> Iterator[tuple[Row, str, bool]]:
    """(row, column, prints 0.00 when zero) for every money cell of the table."""
    kind = table.spec.zeros
    if kind == "block":
        yield from _blocks(table, value)
        return
    if kind == "always":
        for row in table.rows:
            for col in row.values:
                yield row, col, True
        return
    if kind == "line":
        for row in table.rows:
            used = row.key in spec.BALANCE_LINES or any(_nonzero(value(row, c)) for c in row.values)
            for col in row.values:
                yield row, col, used
        return
    absent = _absent_funds(table, value) if table.spec.id == "T5" else set()
    not_applicable = _split_columns(table)
    for row in table.rows:
        used = any(_nonzero(value(row, c)) for c in row.values)
        skip = not_applicable(row)
        for col in row.values:
            yield row, col, used and col not in absent and col not in skip


def _absent_funds(table: Table, value: Value) -> set[str]:
    """表五: the columns of each fund (header group) that is zero on every row."""
    groups: dict[str, list[str]] = {}
    for col in table.spec.cols:
        if col.money and len(col.header) > 1:
            groups.setdefault(col.header[0], []).append(col.key)
    absent = set()
    for keys in groups.values():
        if not any(_nonzero(value(row, k)) for row in table.rows for k in keys if k in row.values):
            absent.update(keys)
    return absent


def _split_columns(table: Table):
    """表七: for a code row, the split column that its 类 does not use (人员经费 or 公用经费)."""
    split = getattr(table.spec, "split", None) or {}
    source = getattr(table.spec, "split_from", "")
    money = [c.key for c in table.spec.cols if c.money]
    if len(split) != 1 or source not in money:
        return lambda row: set()
    [(mine_col, classes)] = split.items()
    others = [c for c in money if c not in (mine_col, source)]

    def skip(row) -> set[str]:
        if row.kind != "code" or not row.code:
            return set()
        return set(others) if row.code[:3] in classes else {mine_col}

    return skip


def _blocks(table: Table, value: Value):
    blocks = []
    if table.whole:
        blocks.append(list(table.whole.budget.values()))
    blocks += [list(p.funds.values()) for p in table.projects]
    for rows in blocks:
        used = any(_nonzero(value(r, "amount")) for r in rows)
        for row in rows:
            yield row, "amount", used
