"""基本情况's 上年预算数 from --prior: last year's ledger, or last year's workbook of the 12 tables.

A ledger is built the same way as this year's (read, aggregated, rounded), then read back as a
workbook, so last year's figures are the very figures last year's tables would print.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..content import Content
from ..errors import BudgetbookError
from ..narrative.facts import Facts
from ..info import COMPARED, Info, item_key


def info(path: Path, content: Content) -> Info:
    """The 基本情况 inputs: last year's figures for every compared line and for this year's 项."""
    facts = Facts(_book(path, content), prior=True)
    items = [(row.code, row.name) for row in content.rows.get("T6", []) if len(row.code) == 7]
    prior = {c.key: facts.value(c.key) for c in COMPARED if c.prior}
    prior |= {item_key(code): facts.value(item_key(code)) for code, _ in items}
    return Info(prior={k: v for k, v in prior.items() if v is not None}, items=items)


def _book(path: Path, content: Content):
    from ..grid import fast_grid
    from ..reader import read

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            book = read(fast_grid(path), strict=False)
            if {"T2", "T3", "T6"} <= set(book.tables):
                return book
        except BudgetbookError:
            pass  # not a workbook of the tables: a ledger, then
    return _ledger_book(path, content)


def _ledger_book(path: Path, content: Content):
    from .. import template
    from ..grid import fast_grid, save_atomic
    from ..reader import read
    from .build import make

    made = make([path], dept=content.dept, year=content.year - 1, force=True)
    if made.content is None:
        raise BudgetbookError(f"{path} 中没有可用的上年明细行。")
    scratch = path.with_name(f".~bb-prior.{os.getpid()}.xlsx") if os.access(path.parent, os.W_OK) else \
        Path(os.environ.get("TMPDIR", "/tmp")) / f".~bb-prior.{os.getpid()}.xlsx"
    try:
        save_atomic(template.build(made.content), scratch)
        return read(fast_grid(scratch), strict=False)
    finally:
        scratch.unlink(missing_ok=True)
