"""The 尾差说明 sheet: every printed figure nudged 0.01 off its own rounding, where and why.

A working sheet for the accountant and a reviewer, hidden: Excel and WPS print no hidden sheet
(not even with 打印整个工作簿), and export publishes the 12 tables only, so it is never part of
what is printed or published. The build's summary says where it is.
"""
from __future__ import annotations

from ..model import Book, Row
from ..plan import Format, SheetPlan
from .build import Nudge

SHEET = "尾差说明"
HEADER = ("表", "单元格", "行", "栏目", "精确数（万元）", "四舍五入", "公开数", "调整", "说明")
WIDTHS = (8, 10, 30, 26, 16, 12, 12, 8, 60)
WHY = ("各数按“元”精确汇总后再换算为万元：此数单独四舍五入为 {own}，为使所在各行、各级合计（类、款、项）"
       "及各表之间的同一数字都相互一致，按最大余数法调为 {printed}。")


def sheet(book: Book, nudges: list[Nudge]) -> SheetPlan:
    plan = SheetPlan(SHEET, freeze="A5", print_title_rows="4:4", landscape=True, state="hidden")
    plan.rows = [
        ["尾差说明（隐藏的工作表：不打印，不公开，导出时不包括本表）"],
        [f"共 {len(nudges)} 个数字与其单独四舍五入的结果相差 0.01 万元；其余各数均为四舍五入的结果。"
         if nudges else "所有数字均为其单独四舍五入的结果，没有尾差调整。"],
        ["由 budgetbook build 从预算明细生成；修改明细后请重新生成，而不是手工改动本表所列数字。"],
        list(HEADER),
    ]
    find = _Rows(book)
    for n in nudges:
        row = find(n)
        where = f"{book.tables[n.table].sheet}!{row.addr(_col(n))}" if row is not None and _col(n) in row.letters else ""
        plan.rows.append([book.tables[n.table].sheet if n.table in book.tables else n.name.split()[0],
                          where.split("!")[-1], _label(row, n), n.name.split(" ", 1)[-1], n.exact, n.own, n.printed,
                          f"{n.printed - n.own:+.2f}", WHY.format(own=n.own, printed=n.printed)])
        if where:
            plan.links[f"B{len(plan.rows)}"] = f"'{where.split('!')[0]}'!{where.split('!')[1]}"
    plan.formats = {"A1": Format(size=14, bold=True)}
    for i, head in enumerate(HEADER):
        plan.formats[f"{chr(65 + i)}4"] = Format(bold=True, fill="D9D9D9")
    plan.widths = {chr(65 + i): w for i, w in enumerate(WIDTHS)}
    return plan


def _col(n: Nudge) -> str:
    return "amount" if n.table == "T12" else n.col


def _label(row: Row | None, n: Nudge) -> str:
    if row is None:
        return n.label
    text = row.label or ""
    return f"{row.code} {text}".strip() if row.code else text or n.label


class _Rows:
    """The row a nudged figure is printed on, looked up by its label (indexed once per table: a large
    department has thousands of nudges and of rows)."""

    def __init__(self, book: Book):
        self.book, self.index = book, {}

    def __call__(self, n: Nudge) -> Row | None:
        table = self.book.tables.get(n.table)
        if table is None:
            return None
        if n.table == "T12":
            if n.label == "whole":
                return table.whole.budget.get(n.col) if table.whole else None
            block = self._labels(n.table, table).get(n.label)
            return block.funds.get(n.col) if block else None
        if n.label == "total" or n.label.startswith(("in.", "exp.")):
            return table.row(n.label)
        return self._labels(n.table, table).get(n.label)

    def _labels(self, tid: str, table) -> dict:
        if tid not in self.index:
            found: dict = {}
            for p in table.projects:
                found.setdefault(p.name, p)
            for row in table.rows if tid != "T12" else ():
                if row.kind in ("unit", "code", "item"):
                    if row.code:
                        found.setdefault(row.code, row)
                    if row.kind == "unit":
                        found.setdefault(row.label, row)
            self.index[tid] = found
        return self.index[tid]
