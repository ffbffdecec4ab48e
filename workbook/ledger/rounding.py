"""元 to 万元 with two decimals, so that every published sum holds exactly.

The ledger's lines are aggregated into atoms (one per unit × 资金性质 × 基本/项目 × 功能 项 × 经济 款 ×
项目). Every printed figure of the 12 tables is the sum of a set of atoms, so each atom is rounded
once, to a whole 0.01 万元 up or down, and every figure is the sum of its rounded atoms: rows,
类/款/项 roll-ups and every figure that appears in two tables then agree exactly by construction.

Which atoms go up is chosen so that every printed figure stays at its own rounding (四舍五入 of its
exact total) or at most 0.01 from it: atoms are taken in order and each goes the way that keeps
the running rounding errors of all the figures it belongs to smallest (largest remainder,
generalised to figures that cross: units × functions × economic codes); then single atoms are
flipped to bring any figure still further off back within 0.01, and wherever a flip leaves fewer
figures off their own rounding. A figure that ends 0.01 off its own rounding is listed (尾差说明).

Amounts are integers here: atoms in 分 (0.01 元), figures in 0.01 万元 (10,000 分).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STEP = 10_000  # 分 in 0.01 万元
HALF = STEP // 2


@dataclass
class Rounded:
    atoms: np.ndarray  # rounded value of each atom, in 0.01 万元
    figures: np.ndarray  # rounded value of each figure, in 0.01 万元
    exact: np.ndarray  # each figure's exact value, in 分
    own: np.ndarray  # each figure rounded on its own (四舍五入), in 0.01 万元

    @property
    def nudged(self) -> np.ndarray:
        """Indices of the figures printed 0.01 (or, never meant to happen, more) off their own rounding."""
        return np.flatnonzero(self.figures != self.own)


def half_up(fen: np.ndarray) -> np.ndarray:
    """四舍五入 to 0.01 万元 (half away from zero), of amounts in 分."""
    magnitude = (np.abs(fen) + HALF) // STEP
    return np.where(fen < 0, -magnitude, magnitude)


def round_atoms(fen: np.ndarray, member: np.ndarray, figures: int) -> Rounded:
    """`fen`: each atom's exact amount; `member`: atoms × families, the figure each atom adds to in
    each family (-1: none); `figures`: how many figures there are."""
    fen = np.asarray(fen, dtype=np.int64)
    floor, rest = np.divmod(fen, STEP)
    up = np.zeros(len(fen), dtype=bool)
    error = [0] * figures  # running (rounded − exact) of each figure, in 分
    memberships = [[f for f in row if f >= 0] for row in member.tolist()]
    for a in np.flatnonzero(rest).tolist():
        ids, r = memberships[a], int(rest[a])
        pull = 2 * sum(map(error.__getitem__, ids))
        push = len(ids) * (2 * r - STEP)
        go_up = pull < push or (pull == push and r >= HALF)
        delta = STEP - r if go_up else -r
        up[a] = go_up
        for f in ids:
            error[f] += delta
    exact = _sums(fen, member, figures)
    own = half_up(exact)
    atoms = floor + up
    _improve(atoms, rest, up, member, own, figures)
    return Rounded(atoms, _sums(atoms, member, figures), exact, own)


def _sums(values: np.ndarray, member: np.ndarray, figures: int) -> np.ndarray:
    out = np.zeros(figures, dtype=np.int64)
    for column in member.T:
        inside = column >= 0
        np.add.at(out, column[inside], values[inside])
    return out


def _penalty(d):
    """How bad a figure is at `d` × 0.01 万元 from its own rounding (element-wise): 0.01 is a nudge
    (allowed, listed), more is not allowed."""
    d = np.abs(d)
    return np.where(d <= 1, d, 1000 * d)


class _Search:
    """Single flips and pairs of opposite flips (which leave every figure holding both atoms as it
    is) that lower the total penalty of the figures. Arrays throughout: an atom's figures are its
    row of `member` (one per family, -1: none), so two atoms share a figure exactly where their
    rows hold the same id in the same column."""

    def __init__(self, atoms, rest, up, member, own, figures):
        self.atoms, self.up, self.member = atoms, up, member
        self.flippable = rest > 0
        self.value = _sums(atoms, member, figures)
        self.own = own
        flat = member.ravel()
        inside = flat >= 0
        order = np.argsort(flat[inside], kind="stable")
        atom_of = np.repeat(np.arange(member.shape[0]), member.shape[1])[inside][order]
        bounds = np.searchsorted(flat[inside][order], np.arange(figures + 1))
        self.atoms_of = [atom_of[bounds[f]:bounds[f + 1]] for f in range(figures)]
        self.size = np.diff(bounds)
        self.mine = np.zeros(len(atoms), dtype=bool)  # scratch: the atoms of the figure being mended

    def off(self, f: int | None = None):
        return self.value - self.own if f is None else int(self.value[f] - self.own[f])

    def steps(self, atoms: np.ndarray) -> np.ndarray:
        """+1 for each atom that would go up, -1 down."""
        return np.where(self.up[atoms], -1, 1)

    def _gains(self, rows: np.ndarray, step: int) -> np.ndarray:
        """Per atom (rows of member) and figure: penalty saved by moving that figure by `step`."""
        at = np.maximum(rows, 0)
        off = np.where(rows >= 0, self.value[at] - self.own[at], 0)
        return np.where(rows >= 0, _penalty(off) - _penalty(off + step), 0)

    def mend(self, f: int, tries: int = 64, pairs: int = 64) -> bool:
        """Bring figure f one step toward its own rounding by the best single flip or pair: the
        first best in the order single a, pairs (a, b) for each candidate a, then the next a."""
        want = -1 if self.off(f) > 0 else 1
        atoms_f = self.atoms_of[f]
        # a few candidates are enough: a large figure has many equivalent ones
        mine = atoms_f[self.flippable[atoms_f] & (self.steps(atoms_f) == want)][:tries]
        if not len(mine):
            return False
        rows = self.member[mine]
        gain_a = self._gains(rows, want)
        single = gain_a.sum(axis=1)
        # a partner going the other way, from the smallest figure a worsens (not f's atoms)
        worse = (gain_a < 0) & (rows != f)
        candidates = np.full((len(mine), max(pairs, 1)), -1, dtype=np.int64)
        if pairs:
            sizes = np.where(worse, self.size[np.maximum(rows, 0)], np.iinfo(np.int64).max)
            h = rows[np.arange(len(mine)), np.argmin(sizes, axis=1)]
            self.mine[atoms_f] = True
            for i in np.flatnonzero(worse.any(axis=1)).tolist():
                b = self.atoms_of[h[i]][:pairs]
                b = b[~self.mine[b] & self.flippable[b] & (self.steps(b) == -want)]
                candidates[i, :len(b)] = b
            self.mine[atoms_f] = False
        partner = np.where(candidates >= 0, candidates, 0)
        rows_b = self.member[partner]
        gain_b = self._gains(rows_b, -want)
        shared = (rows_b == rows[:, None, :]) & (rows_b >= 0)  # moved both ways: not moved
        pair = single[:, None] + gain_b.sum(axis=2) - np.where(shared, gain_a[:, None, :] + gain_b, 0).sum(axis=2)
        pair = np.where(candidates >= 0, pair, np.iinfo(np.int64).min)
        order = np.concatenate([single[:, None], pair], axis=1).ravel()
        best = int(np.argmax(order))
        if order[best] <= 0:
            return False
        i, j = divmod(best, candidates.shape[1] + 1)
        self.flip(mine[i], *((int(candidates[i, j - 1]),) if j else ()))
        return True

    def flip(self, *atoms: int) -> None:
        for a in atoms:
            row = self.member[a]
            step = -1 if self.up[a] else 1
            self.value[row[row >= 0]] += step
            self.atoms[a] += step
            self.up[a] = not self.up[a]


def _improve(atoms, rest, up, member, own, figures, rounds: int = 4) -> None:
    """Mend every figure more than 0.01 off its own rounding, then as many nudged ones as a pass
    allows."""
    search = _Search(atoms, rest, up, member, own, figures)
    for _ in range(rounds):
        off = np.abs(search.off())
        bad, nudged = np.flatnonzero(off > 1).tolist(), np.flatnonzero(off == 1).tolist()
        changed = False
        for f in bad:  # must be mended: pairs too
            changed |= search.mend(f)
        for f in nudged:  # fewer nudges where a single flip does it
            if search.off(f) != 0:
                changed |= search.mend(f, tries=8, pairs=8)
        if not changed:
            return
