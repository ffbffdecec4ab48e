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
        pull = 2 * sum(error[f] for f in ids)
        push = len(ids) * (2 * r - STEP)
        go_up = pull < push or (pull == push and r >= HALF)
        delta = STEP - r if go_up else -r
        up[a] = go_up
        for f in ids:
            error[f] += delta
    exact = _sums(fen, member, figures)
    own = half_up(exact)
    atoms = floor + up
    _improve(atoms, rest, up, member, memberships, own, figures)
    return Rounded(atoms, _sums(atoms, member, figures), exact, own)


def _sums(values: np.ndarray, member: np.ndarray, figures: int) -> np.ndarray:
    out = np.zeros(figures, dtype=np.int64)
    for column in member.T:
        inside = column >= 0
        np.add.at(out, column[inside], values[inside])
    return out


def _penalty(d: int) -> int:
    """How bad a figure is at `d` × 0.01 万元 from its own rounding: 0.01 is a nudge (allowed,
    listed), more is not allowed."""
    d = abs(d)
    return 0 if d == 0 else 1 if d == 1 else 1000 * d


class _Search:
    """Single flips and pairs of opposite flips (which leave every figure holding both atoms as it
    is) that lower the total penalty of the figures."""

    def __init__(self, atoms, rest, up, member, memberships, own, figures):
        self.atoms, self.up, self.memberships = atoms, up, memberships
        self.flippable = rest > 0
        self.value = _sums(atoms, member, figures).tolist()
        self.own = own.tolist()
        flat = member.ravel()
        inside = flat >= 0
        order = np.argsort(flat[inside], kind="stable")
        atom_of = np.repeat(np.arange(member.shape[0]), member.shape[1])[inside][order]
        bounds = np.searchsorted(flat[inside][order], np.arange(figures + 1))
        self.atoms_of = [atom_of[bounds[f]:bounds[f + 1]] for f in range(figures)]

    def off(self, f: int) -> int:
        return self.value[f] - self.own[f]

    def step(self, a: int) -> int:
        """+1 when atom a would go up, -1 when down."""
        return -1 if self.up[a] else 1

    def gain(self, moves: dict[int, int]) -> int:
        """Penalty saved by moving figures by `moves` (figure -> change)."""
        return sum(_penalty(self.off(f)) - _penalty(self.off(f) + d) for f, d in moves.items() if d)

    def effect(self, *atoms: int) -> dict[int, int]:
        moves: dict[int, int] = {}
        for a in atoms:
            for f in self.memberships[a]:
                moves[f] = moves.get(f, 0) + self.step(a)
        return moves

    def flip(self, *atoms: int) -> None:
        for f, d in self.effect(*atoms).items():
            self.value[f] += d
        for a in atoms:
            self.atoms[a] += self.step(a)
            self.up[a] = not self.up[a]

    def mend(self, f: int, tries: int = 64, pairs: int = 64) -> bool:
        """Bring figure f one step toward its own rounding by the best single flip or pair."""
        want = -1 if self.off(f) > 0 else 1
        best, chosen = 0, None
        mine = [a for a in self.atoms_of[f].tolist() if self.flippable[a] and self.step(a) == want]
        inside_f = None
        for a in mine[:tries]:  # a few candidates are enough: a large figure has many equivalent ones
            alone = self.effect(a)
            g = self.gain(alone)
            if g > best:
                best, chosen = g, (a,)
            # a partner going the other way, from the smallest figure a worsens (not f's atoms)
            worse = [h for h, d in alone.items() if h != f and _penalty(self.off(h) + d) > _penalty(self.off(h))]
            if not worse or not pairs:
                continue
            h = min(worse, key=lambda x: len(self.atoms_of[x]))
            inside_f = inside_f if inside_f is not None else set(self.atoms_of[f].tolist())
            for b in self.atoms_of[h][:pairs].tolist():
                if b in inside_f or not self.flippable[b] or self.step(b) != -want:
                    continue
                g = self.gain(self.effect(a, b))
                if g > best:
                    best, chosen = g, (a, b)
        if chosen:
            self.flip(*chosen)
        return chosen is not None


def _improve(atoms, rest, up, member, memberships, own, figures, rounds: int = 4) -> None:
    """Mend every figure more than 0.01 off its own rounding, then as many nudged ones as a pass
    allows."""
    search = _Search(atoms, rest, up, member, memberships, own, figures)
    for _ in range(rounds):
        bad = [f for f in range(figures) if abs(search.off(f)) > 1]
        nudged = [f for f in range(figures) if abs(search.off(f)) == 1]
        changed = False
        for f in bad:  # must be mended: pairs too
            changed |= search.mend(f)
        for f in nudged:  # fewer nudges where a single flip does it
            if search.off(f) != 0:
                changed |= search.mend(f, tries=8, pairs=8)
        if not changed:
            return
