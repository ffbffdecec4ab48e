"""What goes into a workbook besides its layout: the department's own rows and typed figures.

The template writer takes a Content; `blank()` is the empty template, `example.reference()` the
bundled reference department. Derived cells are never part of Content: fill computes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import spec
from .model import Indicator  # read back by the reader, written by the template

Figures = dict[str, Decimal | None]


@dataclass
class NamedRow:
    """A 单位 row (表三/五/八), a code row (表六/七/十/十一) or an item (表九)."""

    name: str
    values: Figures = field(default_factory=dict)
    code: str = ""
    texts: dict[str, str] = field(default_factory=dict)  # text columns: 单位类型


@dataclass
class Project:
    name: str = ""
    dept_code: str = ""
    unit: str = ""
    funds: Figures = field(default_factory=dict)  # current / carry / other
    goal: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Whole:
    dept_name: str = ""
    goal: str = ""
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Content:
    dept: str
    year: int
    lines: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)  # (table, line key)
    rows: dict[str, list[NamedRow]] = field(default_factory=dict)  # table id -> body rows
    whole: Whole = field(default_factory=Whole)
    # 部门整体 预算情况 lines typed here (人员经费/公用经费 when 表七 is not all the basic spending)
    whole_budget: Figures = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    blank_rows: int = 0  # empty input rows appended to 表六/七/十/十一 for the accountant
    notes: dict[str, str] = field(default_factory=dict)  # table id -> its 备注 line (else the standard one)
    info: object = None  # the 基本情况 sheet's inputs (workbook.info.Info); None: blank


def blank_indicators() -> list[Indicator]:
    return [Indicator(level1=level) for level in spec.T12.levels]


ROWS = 30  # empty code rows by default: the reference's own 表七 needs 27


def blank(dept: str, year: int, units: list[str] | None = None, projects: int = 1,
          code_rows: int = ROWS) -> Content:
    """The empty template: one row per 单位, standard 表九 items, empty code rows."""
    units = units or [dept]
    rows: dict[str, list[NamedRow]] = {
        t.id: [NamedRow(u) for u in units] for t in (spec.T3, spec.T5, spec.T8)}
    rows[spec.T9.id] = [NamedRow(name, code=code) for code, name in spec.RUNNING_COST_ITEMS]
    whole = Whole(dept_name=dept, indicators=[Indicator(level1=x) for x in ("部门管理", "履职效果", "能力建设")])
    return Content(dept, year, rows=rows, whole=whole,
                   projects=[Project(unit=dept, indicators=blank_indicators()) for _ in range(projects)],
                   blank_rows=code_rows)
