"""Finding rows for the check rules: the code and item rows of a workbook, and where a row's name
is. Shared by the cross-table and the code rules so that each question has one answer."""
from __future__ import annotations

from typing import Iterator

from ..derive import code_parents
from ..hierarchy import first_rows, parent_row
from ..model import Row, Table
from ..reader import squeeze
from ..spec import CODE_TABLES
from .base import Context, Place


def code_rows(ctx: Context, table_ids: tuple[str, ...] = CODE_TABLES) -> list[tuple[Table, Row]]:
    """(table, row) for every code row of the code tables present in the book, in sheet order
    (listed once per check: a dozen rules walk them)."""
    return [pair for tid in table_ids for pair in ctx.memo(("code_rows", tid), lambda: [
        (table, row) for table in [ctx.book.tables.get(tid)] if table for row in table.rows if row.kind == "code"])]


def item_rows(ctx: Context) -> Iterator[tuple[Table, Row]]:
    """(table, row) for every item of 表九 (机关运行经费)."""
    table = ctx.book.tables.get("T9")
    for row in table.rows if table else ():
        if row.kind == "item":
            yield table, row


def rows_with_code(ctx: Context, table_id: str, code: str) -> list[Row]:
    """The rows of one table carrying exactly `code` (code rows of 表六/七/十/十一, items of
    表九), in sheet order; more than one when the code is listed twice."""
    return _by_code(ctx, table_id).get(code, [])


def _by_code(ctx: Context, table_id: str) -> dict[str, list[Row]]:
    """A table's code and item rows by their code, made once per check (rules ask per code)."""
    def index():
        table, found = ctx.book.tables.get(table_id), {}
        for row in table.rows if table else ():
            if row.kind in ("code", "item"):
                found.setdefault(row.code, []).append(row)
        return found

    return ctx.memo(("by_code", table_id), index)


def roll_up_row(ctx: Context, table_id: str, code: str) -> Row | None:
    """The row that a row carrying `code` would add into if the table listed it: its nearest
    款/类 row present (hierarchy.parents, as the roll-up and derive see it); None when there is
    none (the row would go straight into 总计)."""
    table = ctx.book.tables.get(table_id)
    if table is None:
        return None
    rows, where = ctx.memo(("code_index", table_id), lambda: _code_index(table))
    up = parent_row(code, where)
    return rows[up] if up is not None else None


def _code_index(table: Table) -> tuple[list[Row], dict[str, int]]:
    rows, _ = code_parents(table)
    return rows, first_rows([r.code or "" for r in rows])


def label_place(table: Table, row: Row) -> Place:
    """The cell holding a row's name: a unit's name, a 科目名称, a 表九 item "[30201]办公费"."""
    return Place(table.sheet, f"{row.label_col}{row.r}")


def unit_name(row: Row) -> str:
    """A unit's name for matching between tables: spaces (also full-width) do not count."""
    return squeeze(row.label or "")


def units(t: Table | None) -> list[Row]:
    """The unit rows of a unit table (表三, 表五, 表八) that carry a name."""
    return [r for r in t.rows if r.kind == "unit" and unit_name(r)] if t else []
