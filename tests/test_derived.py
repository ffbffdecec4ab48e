"""The check's view of the derived cells (checks.base.Derived keeps the row sums as rows and makes
their relations only when asked) is exactly derive.relations: same cells, same terms, same rule,
so a finding, a root and a settled sum are the same either way."""
from __future__ import annotations

from pathlib import Path

import pytest

import shapes
from conftest import MemoryGrid
from departments import scaled
from workbook import jobs
from workbook.checks.base import Context
from workbook.derive import relations
from workbook.reader import read


def _book(content):
    book = jobs.new(content)
    return read(MemoryGrid(Path("x.xlsx"), {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
                                            for ws in book}), strict=False)


@pytest.mark.parametrize("content", [scaled(1), scaled(3), *(getattr(shapes, s)() for s in shapes.SHAPES)],
                         ids=["example", "example×3", *shapes.SHAPES])
def test_derived_view_is_every_relation(content):
    book = _book(content)
    derived = Context(book).derived
    every = relations(book)
    assert {rel.target: rel for rel in every} == {rel.target: derived.relation(rel.target) for rel in every}
    assert all(rel.target in derived and derived.get(rel.target) == rel.terms for rel in every)
    made = {rel.target for rel in every}
    typed = [ref for ref in (t for rel in every for t in rel.terms) if ref not in made]
    assert typed and not any(ref in derived for ref in typed)  # a typed cell is no derived cell
    # the row sums the check reads from the rows are those relations, in the same order
    rows = [rel for rel in every if rel.rule.endswith(".row-sum")]
    assert [rel.target for rel in rows] == [
        (tid, row.key, col) for tid, (listed, sums) in derived.row_sums.items() for row in listed for col in sums]
