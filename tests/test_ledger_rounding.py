"""The rounding engine alone (workbook/ledger/rounding.py), over random crossing structures like the
tables': atoms split by unit, by 功能 项 with its 款 and 类, by 经济 款 with its 类, and a 总计. What
docs/ledger.md proves is asserted here: every atom goes to the 0.01 万元 just below or above it,
every figure is the sum of its rounded atoms (so every sum and every figure shared by two tables
holds), and every figure is its own rounding or 0.01 off it, each such figure listed."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from tests import ledgers
from workbook.ledger import build
from workbook.ledger.rounding import STEP, Rounded, round_atoms

HALF_CENT = STEP // 2


@st.composite
def crossing(draw):
    """Atoms (unit, 功能 项, 经济 款, amount in 分) and the families that add them up."""
    n = draw(st.integers(1, 80))
    units, funcs, econs = draw(st.integers(1, 6)), draw(st.integers(1, 12)), draw(st.integers(1, 12))
    # amounts near half a cent of 万元 are where rounding goes wrong: many of them
    amount = st.one_of(st.integers(1, 10**9), st.integers(0, 40).map(lambda k: k * HALF_CENT),
                       st.integers(0, 40).map(lambda k: k * HALF_CENT + 1))
    atoms = pd.DataFrame({"unit": draw(st.lists(st.integers(0, units - 1), min_size=n, max_size=n)),
                          "func": draw(st.lists(st.integers(0, funcs - 1), min_size=n, max_size=n)),
                          "econ": draw(st.lists(st.integers(0, econs - 1), min_size=n, max_size=n)),
                          "fen": draw(st.lists(amount, min_size=n, max_size=n))})
    keys = [atoms["unit"], atoms["func"], atoms["func"] // 4, atoms["func"] // 8, atoms["econ"], atoms["econ"] // 5,
            pd.Series(0, index=atoms.index)]
    columns, start = [], 0
    for key in keys:
        codes, uniques = pd.factorize(key)
        columns.append(codes + start)
        start += len(uniques)
    return atoms, np.stack(columns, axis=1), start


def check(fen: np.ndarray, member: np.ndarray, figures: int, rounded: Rounded) -> None:
    floor, rest = np.divmod(fen, STEP)
    assert ((rounded.atoms == floor) | ((rounded.atoms == floor + 1) & (rest > 0))).all()
    for f in range(figures):
        inside = (member == f).any(axis=1)
        exact = sum(Decimal(int(x)) for x in fen[inside]) / STEP  # in 0.01 万元
        assert rounded.exact[f] == int(exact * STEP)
        assert rounded.own[f] == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert rounded.figures[f] == rounded.atoms[inside].sum()  # the figure is its atoms' sum
        assert abs(rounded.figures[f] - rounded.own[f]) <= 1
    assert rounded.nudged.tolist() == [f for f in range(figures) if rounded.figures[f] != rounded.own[f]]


@settings(max_examples=300, deadline=None)
@given(crossing())
def test_atoms_round_so_that_sums_hold_within_a_cent(structure):
    atoms, member, figures = structure
    fen = atoms["fen"].to_numpy(dtype=np.int64)
    check(fen, member, figures, round_atoms(fen, member, figures))


def test_a_figure_further_off_stops_the_build_before_anything_is_written(tmp_path, monkeypatch):
    from workbook import jobs

    def off_by_two(fen, member, figures):
        rounded = round_atoms(fen, member, figures)
        rounded.figures = rounded.figures.copy()
        rounded.figures[0] = rounded.own[0] + 2
        return rounded

    monkeypatch.setattr(build, "round_atoms", off_by_two)
    src = ledgers.write(ledgers.department("admin", projects=2, seed=3), tmp_path / "明细.xlsx")
    with pytest.raises(build.RoundingBug):
        jobs.build_file([src], tmp_path / "公开表.xlsx", dept="某局", year=2025)
    assert list(tmp_path.iterdir()) == [src]
