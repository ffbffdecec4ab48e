"""Grouping a plan's writes for Excel, WPS and the browser: every cell covered exactly once, nothing
written that may not be, union addresses within Excel's 255-character limit."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.cell import get_column_letter

from workbook.surfaces.blocks import colour_groups, rectangles, union_addresses, value_blocks

cells = st.sets(st.tuples(st.integers(1, 60), st.integers(1, 12)), min_size=1, max_size=120)


def addr(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


@settings(max_examples=80, deadline=None)
@given(cells, cells)
def test_value_blocks_write_every_planned_cell_and_only_safe_others(planned, spare):
    plan = {addr(*c): f"v{c}" for c in planned}
    fillers = {addr(*c): f"f{c}" for c in spare - planned}
    written = {}
    for rect, block in value_blocks(plan, fillers):
        assert len(block) == rect.bottom - rect.top + 1 and all(len(r) == rect.right - rect.left + 1 for r in block)
        for i, row in enumerate(block):
            for j, value in enumerate(row):
                key = addr(rect.top + i, rect.left + j)
                assert key not in written  # no cell written twice
                written[key] = value
    assert {k: v for k, v in written.items() if k in plan} == plan  # every planned value, as planned
    assert all(written[k] == fillers[k] for k in written if k not in plan)  # the rest only fillers, unchanged


def test_fillers_join_a_column_into_one_block():
    plan = {"C5": 1, "C7": 2, "C9": 3}
    assert len(value_blocks(plan, {})) == 3
    [(rect, block)] = value_blocks(plan, {"C6": 10, "C8": None})
    assert rect.address == "C5:C9" and block == [[1], [10], [2], [None], [3]]


@settings(max_examples=80, deadline=None)
@given(cells)
def test_rectangles_cover_exactly_the_cells(chosen):
    covered = [cell for rect in rectangles(addr(*c) for c in chosen) for cell in rect.cells()]
    assert sorted(covered) == sorted(chosen)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(st.integers(1, 5000), st.integers(1, 200)), min_size=1, max_size=400))
def test_union_addresses_stay_under_excels_limit_and_lose_nothing(chosen):
    groups = colour_groups({addr(*c): "FFC7CE" for c in chosen})
    chunks = union_addresses(groups["FFC7CE"])
    assert all(len(chunk) < 255 for chunk in chunks)
    parts = [p for chunk in chunks for p in chunk.split(",")]
    assert parts == [rect.address for rect in groups["FFC7CE"]]
