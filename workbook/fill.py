"""Fill every derived cell from the input cells; never touch an input cell."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .derive import Sums, relations, typed_lines as _typed
from .model import Book, Ref
from .money import Amount, rounding_bound


@dataclass(frozen=True)
class Change:
    sheet: str
    addr: str
    old: Amount
    new: Decimal


@dataclass(frozen=True)
class Kept:
    """A printed total left as it is: it differs from the sum of its printed terms by no more
    than rounding each of them allows (money.rounding_bound), so it is the correctly rounded
    figure and the sum of rounded lines is not."""

    sheet: str
    addr: str
    printed: Decimal
    added: Decimal  # the sum of its terms as printed (or kept)
    terms: int
    bound: Decimal


class _Rounded(Sums):
    """derive.Sums, but a derived cell that already holds a figure within the rounding bound of
    its terms' sum keeps it, and the totals above it add up the kept figure."""

    def __init__(self, book: Book, found):
        super().__init__(book, found)
        self.kept: list[tuple[Ref, Decimal, int, Decimal]] = []

    def value(self, ref: Ref):
        if ref in self.result or self.relation(ref) is None:
            return super().value(ref)
        added = super().value(ref)
        printed, terms = self.book.value(ref), len(self.relation(ref).terms)
        if isinstance(printed, Decimal) and isinstance(added, Decimal) and printed != added \
                and abs(printed - added) <= rounding_bound(terms):
            self.result[ref] = printed
            self.kept.append((ref, added, terms, rounding_bound(terms)))
        return self.result[ref]


def plan(book: Book) -> list[Change]:
    """The derived cells whose value differs from what the inputs give, in workbook order."""
    return plan_and_kept(book)[0]


def plan_and_kept(book: Book) -> tuple[list[Change], list[Kept]]:
    """The changes, and the printed totals kept because their difference is rounding."""
    as_text = {(p.sheet, p.addr) for p in book.problems}  # "899.20" as text is rewritten as a number
    found = relations(book)
    sums = _Rounded(book, found)
    for rel in found:
        sums.value(rel.target)
    changes = []
    for ref, new in sums.result.items():
        old = book.value(ref)
        where = book.where(ref)
        if isinstance(old, Decimal) and old == new and where not in as_text:
            continue
        changes.append(Change(*where, old, new))
    kept = [Kept(*book.where(ref), book.value(ref), added, terms, bound) for ref, added, terms, bound in sums.kept]
    return changes, kept


def typed_lines(book: Book) -> list[tuple[str, str]]:
    """Cells the template shows as derived that the accountant types for this department
    (derive.typed_lines): 表一's functional 类 lines, 表十二's 人员经费/公用经费."""
    return [book.where(ref) for ref in _typed(book)]
