"""Fill every derived cell from the input cells; never touch an input cell."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .derive import evaluate, relations, typed_lines as _typed
from .model import Book
from .money import Amount


@dataclass(frozen=True)
class Change:
    sheet: str
    addr: str
    old: Amount
    new: Decimal


def plan(book: Book) -> list[Change]:
    """The derived cells whose value differs from what the inputs give, in workbook order."""
    as_text = {(p.sheet, p.addr) for p in book.problems}  # "899.20" as text is rewritten as a number
    changes = []
    for ref, new in evaluate(book, relations(book)).items():
        old = book.value(ref)
        where = book.where(ref)
        if isinstance(old, Decimal) and old == new and where not in as_text:
            continue
        changes.append(Change(*where, old, new))
    return changes


def typed_lines(book: Book) -> list[tuple[str, str]]:
    """Cells the template shows as derived that the accountant types for this department
    (derive.typed_lines): 表一's functional 类 lines, 表十二's 人员经费/公用经费."""
    return [book.where(ref) for ref in _typed(book)]
