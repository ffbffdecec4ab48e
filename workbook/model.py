"""A workbook read back into typed tables; every value remembers its sheet and cell."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import spec
from .money import CENT, Amount

if TYPE_CHECKING:  # pandas only where a DataFrame is built: `check` never pays its import
    import pandas as pd

class Ref(NamedTuple):
    """One cell of one table, by the table's row key and column key (a tuple: hashed in C, as
    derive.evaluate and the checks do hundreds of thousands of times in a large department).

    A mistyped reference must fail loudly, not read as a missing row and make a rule skip: Book
    checks a reference against the spec whenever it finds no such row or column (the only time a
    typo shows), and checks.register checks the references a rule declares."""

    table: str
    key: str
    col: str


# a Ref from a (table, key, col) tuple in C, without NamedTuple's Python-level __new__: a large
# department makes some 400,000 of them per check
new_ref = partial(tuple.__new__, Ref)


@lru_cache(maxsize=None)
def _checked(table: str, key: str, col: str) -> None:
    spec.check_ref(table, key, col)


class Indicator(NamedTuple):
    """One 绩效指标 line of 表十二: its three levels and its value."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    value: str = ""


@dataclass(slots=True)  # a large department has 30,000 rows: no __dict__ each (memory, collector)
class Row:
    # reader._money_row passes the first nine fields positionally: keep their order
    key: str  # unique in its table: a line key, "total", "dept", or "r<row number>"
    kind: str  # line, total, dept, unit, code, item, budget, fund
    r: int  # worksheet row number
    label: str | None = None
    code: str | None = None
    values: dict[str, Amount] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)
    inputs: frozenset[str] = frozenset()  # columns the accountant types on this row
    label_col: str = "A"
    texts: dict[str, str] = field(default_factory=dict)  # text columns other than the name (单位类型)

    def addr(self, col: str) -> str:
        return f"{self.letters[col]}{self.r}"


@dataclass
class ProjectBlock:
    r: int  # row of 项目名称
    name: str
    dept_code: str
    unit: str
    goal: str
    funds: dict[str, Row]
    indicators: list[tuple[int, Indicator]]
    cells: dict[str, str] = field(default_factory=dict)  # where its texts are: name, dept_code, unit, goal

    @property
    def end(self) -> int:
        """Last row of the block."""
        return max([self.r, *(r for r, _ in self.indicators), *(row.r for row in self.funds.values())])


@dataclass
class WholeBlock:
    r: int  # row of 部门名称
    dept_name: str
    goal: str
    budget: dict[str, Row]
    indicators: list[tuple[int, Indicator]]
    cells: dict[str, str] = field(default_factory=dict)  # dept_name, goal

    @property
    def end(self) -> int:
        return max([self.r, *(r for r, _ in self.indicators), *(row.r for row in self.budget.values())])


@dataclass
class Table:
    spec: spec.TableSpec
    sheet: str
    title: str | None = None
    note: str | None = None
    note_r: int | None = None
    body_r: int = 0  # first body row
    rows: list[Row] = field(default_factory=list)
    # text cells outside the body, by address: title, 表X caption, 单位 line, 备注 line and below
    # (表十二: also its block titles); the form checks read them
    margin: dict[str, str] = field(default_factory=dict)
    whole: WholeBlock | None = None  # 表十二 only
    projects: list[ProjectBlock] = field(default_factory=list)
    below: dict[str, object] = field(default_factory=dict)  # numbers typed below the 备注 line
    # the table's columns are not where the template puts them (a column inserted or deleted):
    # one sentence saying which; its rows are then not read at all (they would be misread)
    layout: str | None = None
    step: Decimal = CENT  # what its figures are printed to, in 万元 (a table printed in whole 元: 0.0001)
    # working columns (表三 单位类型) neither in the sheet nor carried by a published file: unknown
    unknown: set[str] = field(default_factory=set)

    def row(self, key: str) -> Row | None:
        return self._index().get(key)

    def _index(self) -> dict[str, Row]:
        index = self.__dict__.get("_by_key")
        if index is None or len(index) != len(self.rows):
            index = self._by_key = {row.key: row for row in self.rows}
        return index

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame: one line per row, amounts as Decimal (or None for blank)."""
        import pandas as pd

        money = list(dict.fromkeys(k for row in self.rows for k in row.values))
        records = []
        for row in self.rows:
            record = {"row": row.r, "kind": row.kind, "key": row.key, "code": row.code,
                      "label": row.label}
            record.update({k: row.values.get(k) for k in money})
            records.append(record)
        frame = pd.DataFrame.from_records(records, columns=["row", "kind", "key", "code", "label", *money])
        frame.attrs["sheet"] = self.sheet
        return frame


class Tables(dict):
    """Tables by id. Asking for an id the spec does not declare is a mistake in the code (a typo
    would otherwise read as a missing table and make a rule skip silently): it raises."""

    def _known(self, key) -> None:
        if key not in spec.BY_ID:
            raise KeyError(f"no table {key!r} in the spec")

    def get(self, key, default=None):
        self._known(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._known(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._known(key)
        return super().__contains__(key)


class CellProblem(NamedTuple):
    sheet: str
    addr: str
    kind: str  # "text-number" (a number stored as text), "not-number", "merged-hidden"
    raw: str
    span: str = ""  # merged-hidden: the merged range that hides the figure


@dataclass
class Book:
    path: Path
    dept: str | None
    year: int | None
    tables: Tables
    missing: list[str] = field(default_factory=list)  # table ids not found
    problems: list[CellProblem] = field(default_factory=list)
    profile: str = "gansu-12"  # the layout it was read as (profiles.py)
    # a PDF's cells in words, by (table name, address): "第12页 2010507 专项普查活动·合计"
    words: dict[tuple[str, str], str] = field(default_factory=dict)
    narrative: list[str] | None = None  # a PDF's text lines outside its tables (情况说明)

    def __post_init__(self):
        if not isinstance(self.tables, Tables):
            self.tables = Tables(self.tables)

    def cell(self, ref: Ref) -> Row | None:
        table = self.tables.get(ref.table)
        row = table.row(ref.key) if table else None
        if row is None:
            _checked(*ref)  # a row a workbook lacks, or a typo in the code: a typo raises
        return row

    def value(self, ref: Ref) -> Amount:
        # the hot path of every rule: plain dict lookups; anything missing takes the checked way
        table = dict.get(self.tables, ref[0])
        if table is not None:
            row = table._index().get(ref[1])
            if row is not None:
                values = row.values
                if ref[2] in values:
                    return values[ref[2]]
        row = self.cell(ref)
        if row is None:
            return None
        if ref.col not in row.values:
            _checked(*ref)
        return row.values.get(ref.col)

    def where(self, ref: Ref) -> tuple[str, str]:
        """(sheet, cell address); a PDF's cell in words (page, row, column)."""
        row = self.cell(ref)
        sheet, addr = self.tables[ref.table].sheet, row.addr(ref.col)
        return (sheet, self.words.get((sheet, addr), addr)) if self.words else (sheet, addr)

    def frames(self) -> dict[str, pd.DataFrame]:
        """One DataFrame per table (表十二: its money lines), keyed by sheet name."""
        return {t.spec.sheet: t.frame() for t in self.tables.values()}

    def projects_frame(self) -> pd.DataFrame:
        import pandas as pd

        table = self.tables.get("T12")
        records = []
        for p in table.projects if table else []:
            record = {"row": p.r, "name": p.name, "unit": p.unit, "indicators": len(p.indicators)}
            record.update({k: row.values.get("amount") for k, row in p.funds.items()})
            records.append(record)
        return pd.DataFrame.from_records(
            records, columns=["row", "name", "unit", "indicators", "total", "current", "carry", "other"])


def performance_words(table, row) -> str:
    """表十二 rows: the 预算情况 line of the 部门整体 table, or a project's fund line."""
    owner, _, key = row.key.partition(".")
    labels = dict(table.spec.budget_left + table.spec.budget_right + table.spec.fund_lines)
    label = (row.label or labels.get(key, key)).replace("其中：", "")
    if owner == "whole":
        return f"部门整体预算情况·{label}"
    project = next((p for p in table.projects if any(r.key == row.key for r in p.funds.values())), None)
    name = project.name.strip() if project else ""
    return f"项目“{name or '（未填名称）'}”的{label}"
