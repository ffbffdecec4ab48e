"""From ledger files to the Content of the 12 tables and the 尾差 list: read, check, aggregate, round.

Plain data out (no workbook written here): workbook.jobs.build writes the workbook, fills it and
adds the 尾差说明 sheet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..content import Content
from ..errors import BudgetbookError
from . import content as contents
from .figures import atoms, families, index
from .findings import Finding
from .read import read
from .rounding import round_atoms
from .validate import check

_YEAR = re.compile(r"(20\d\d)\s*年?")


@dataclass(frozen=True)
class Nudge:
    """A printed figure 0.01 off its own rounding, so that the sums it is part of hold."""

    table: str  # table id
    col: str
    label: str  # row label: a unit, a code, a line key, a project, "total", "whole"
    name: str  # the table and column in words: "表六 基本支出"
    exact: Decimal  # 万元, unrounded
    own: Decimal  # 四舍五入
    printed: Decimal


@dataclass
class Made:
    content: Content | None
    findings: list[Finding]
    nudges: list[Nudge] = field(default_factory=list)
    lines: int = 0
    figures: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def make(paths: list[Path], *, dept: str | None = None, year: int | None = None, force: bool = False) -> Made:
    """Read and check the ledgers; unless an error remains (or `force`), aggregate and round."""
    sheets = [read(Path(p)) for p in paths]
    year = year or _year(sheets, paths)
    checked = check(sheets, year)
    made = Made(None, checked.findings, lines=len(checked.lines))
    if checked.errors and not force:
        return made
    if checked.lines.empty:
        raise BudgetbookError(f"{'、'.join(Path(p).name for p in paths)} 中没有可用的明细行。")
    a = atoms(checked.lines)
    figs = index(families(a))
    rounded = round_atoms(a["fen"].to_numpy(), figs.member, len(figs.names))
    _within_a_cent(rounded, figs)
    a["v"] = rounded.atoms
    lines = checked.lines
    names = dict(zip(lines["func"], lines["func_name"])) | dict(zip(lines["econ"], lines["econ_name"]))
    made.content = contents.build(a, dept or _dept(a, paths), year, names)
    made.figures = len(figs.names)
    made.nudges = [_nudge(figs, rounded, i) for i in rounded.nudged.tolist()]
    return made


class RoundingBug(RuntimeError):
    """A figure would be printed more than 0.01 off its own rounding: never written (exit 3)."""


def _within_a_cent(rounded, figs) -> None:
    """The bound is checked, not assumed (docs/ledger.md: no theorem gives it where the tables cross
    three ways): a figure further off stops the build before anything is written."""
    off = np.abs(rounded.figures - rounded.own)
    if off.size and off.max() > 1:
        fam, label = figs.names[int(off.argmax())]
        raise RoundingBug(f"{fam.name} {label}: {int(off.max())} × 0.01 万元 off its own rounding")


def _nudge(figs, rounded, i: int) -> Nudge:
    fam, label = figs.names[i]
    return Nudge(fam.table, fam.col, label, fam.name, Decimal(int(rounded.exact[i])).scaleb(-6),
                 contents.money(rounded.own[i]), contents.money(rounded.figures[i]))


def _year(sheets, paths) -> int:
    texts = [f.message for s in sheets for f in s.findings if f.row is not None and f.column == ""]
    texts += [Path(p).stem for p in paths]
    for text in texts:
        match = _YEAR.search(text)
        if match:
            return int(match.group(1))
    raise BudgetbookError(f"{Path(paths[0]).name} 的标题和文件名中都没有预算年度，请用 --year 指定（如 --year 2025）。")


def _dept(a: pd.DataFrame, paths) -> str:
    units = list(dict.fromkeys(a["unit"]))
    if len(units) == 1:
        return units[0]
    raise BudgetbookError(f"{Path(paths[0]).name} 等明细中有 {len(units)} 个单位（{'、'.join(units[:3])}…），"
                          f"请用 --dept 指定部门名称。")
