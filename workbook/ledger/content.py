"""The template's Content from the rounded atoms: the typed cells of the 12 tables.

Only what the accountant would type is written (fill adds up the rest from it, so every total is
the sum of the rounded atoms below it). Zeros are 0.00, never blank; 表十二's goals and
indicators, which no ledger holds, are 【请填写】 for the accountant.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .. import catalog, spec
from ..content import Content, NamedRow, Project, Whole
from ..model import Indicator
from .figures import RUNNING_CLASS, T8_CODES

ASK = "【请填写】"
ZERO = Decimal("0.00")
_WHOLE_LEVELS = ("部门管理", "履职效果", "能力建设")


def money(cents) -> Decimal:
    """0.01 万元 units (an integer) as 万元 with two decimals."""
    return Decimal(int(cents)).scaleb(-2)


def build(a: pd.DataFrame, dept: str, year: int, names: dict[str, str]) -> Content:
    """`a`: the atoms with their rounded value `v` (0.01 万元); `names`: each 项 and 款 code's name."""
    content = Content(dept, year)
    sums = _Sums(a, names)
    by_src = sums.by(a["src"] == a["src"], "src")
    for key, _ in spec.INCOME:
        content.lines[("T2", f"in.{key}")] = by_src.get(key, ZERO)
    for key in ("carry", "surplus"):
        content.lines[("T2", f"in.{key}")] = by_src.get(key, ZERO)
    content.lines[("T1", "exp.carry_next")] = ZERO
    fiscal_only = not any(v != 0 for k, v in by_src.items() if k not in ("general", "gov_fund", "state_capital"))
    if not fiscal_only:  # 表一's 类 lines cannot be added up from 表六/十/十一: typed, all sources
        for code, value in sums.by(a["src"] == a["src"], "cls").items():
            content.lines[("T1", f"exp.{code}")] = value
    units = list(dict.fromkeys(a["unit"]))
    types = a.groupby("unit", sort=False)["unit_type"].first()
    cur, basic, project = a["current"], a["kind"] == "basic", a["kind"] == "project"
    content.rows["T3"] = _unit_rows(units, sums, {"basic": cur & basic, "project": cur & project, "carry": ~cur},
                                    texts={u: {"unit_type": types[u]} for u in units if types[u]})
    cols5 = {f"{f.short}_{k}": (a["fund"] == f.short) & (a["kind"] == k) for f in spec.FUNDS for k in ("basic", "project")}
    content.rows["T5"] = _unit_rows(units, sums, cols5)
    gp = a["fund"] == "gp"
    content.rows["T8"] = _unit_rows(units, sums, {col: gp & (a["econ"] == code) for code, col in T8_CODES.items()})
    content.rows["T6"] = _code_rows(a, sums, gp, {"basic": basic, "project": project}, year)
    content.rows["T7"] = _economic_rows(a, sums, gp & basic)
    content.rows["T9"] = _running_rows(a, sums)
    for fund in spec.FUNDS[1:]:
        content.rows[fund.table] = _code_rows(a, sums, a["fund"] == fund.short, {"amount": None}, year)
    _performance(content, a, sums, dept, fiscal_only)
    _empty_notes(content, year)
    return content


class _Sums:
    def __init__(self, a: pd.DataFrame, names: dict[str, str]):
        self.a, self.names = a, names

    def by(self, mask, key: str) -> dict[str, Decimal]:
        grouped = self.a.loc[mask].groupby(key, sort=False)["v"].sum()
        return {k: money(v) for k, v in grouped.items()}


def _unit_rows(units, sums: _Sums, cols: dict[str, pd.Series], texts=None) -> list[NamedRow]:
    per_col = {col: sums.by(mask, "unit") for col, mask in cols.items()}
    return [NamedRow(u, {col: per_col[col].get(u, ZERO) for col in cols}, texts=(texts or {}).get(u, {}))
            for u in units]


def _code_rows(a, sums: _Sums, mask, cols: dict, year: int) -> list[NamedRow]:
    """表六/表十/表十一: the 类 and 款 of every 项 used, then the 项 with their figures."""
    mine = a.loc[mask]
    if mine.empty:
        return []
    names = {code: sums.names[code] for code in mine["func"].unique()}
    per_col = {col: sums.by(mask & (m if m is not None else True), "func") for col, m in cols.items()}
    functional, classes = catalog.functional(year), dict(spec.FUNCTIONAL_CLASSES)
    codes = sorted(set(names) | {c[:3] for c in names} | {c[:5] for c in names})
    rows = []
    for code in codes:
        if len(code) == 7:
            rows.append(NamedRow(names[code], {col: per_col[col].get(code, ZERO) for col in cols}, code))
        else:
            rows.append(NamedRow(classes.get(code) or functional.name(code) or "", {}, code))
    return rows


def _economic_rows(a, sums: _Sums, mask) -> list[NamedRow]:
    names = {code: sums.names[code] for code in a.loc[mask, "econ"].unique()}
    totals = sums.by(mask, "econ")
    economic = catalog.economic()
    rows = []
    for code in sorted(set(names) | {c[:3] for c in names}):
        if len(code) == 5:
            rows.append(NamedRow(names[code], {"total": totals.get(code, ZERO)}, code))
        else:
            rows.append(NamedRow(economic.name(code) or "", {}, code))
    return rows


def _running_rows(a, sums: _Sums) -> list[NamedRow]:
    """表九: the template's items, then any other 商品和服务 款 the administrative units use."""
    basic = sums.by(a["running"], "econ")
    names = sums.names
    items = list(spec.RUNNING_COST_ITEMS)
    items += [(code, names[code]) for code in sorted(basic) if code not in dict(items) and code.startswith(RUNNING_CLASS)]
    return [NamedRow(name, {"basic": basic.get(code, ZERO), "project": ZERO}, code) for code, name in items]


def _performance(content: Content, a, sums: _Sums, dept: str, fiscal_only: bool) -> None:
    cur, basic = a["current"], a["kind"] == "basic"
    content.whole = Whole(dept_name=dept, goal=ASK,
                          indicators=[Indicator(level, ASK, ASK, ASK) for level in _WHOLE_LEVELS])
    other_basic = ((a["fund"].isin(("gf", "sc"))) & basic & (a["v"] != 0)).any()
    if not fiscal_only or other_basic:  # 表七 is not all the basic spending: typed, all sources
        personnel = sums.by(cur & basic, "personnel")
        content.whole_budget = {"personnel": personnel.get(True, ZERO), "public": personnel.get(False, ZERO)}
    in_project = (a["kind"] == "project") | (~cur & (a["project"] != ""))
    parts = {part: sums.by(in_project & (a["part"] == part), "project") for part in ("current", "carry", "other")}
    doers = a.loc[in_project].groupby("project", sort=False)["unit"].unique()
    for name, units in doers.items():
        content.projects.append(Project(
            name=name, dept_code=dept, unit="、".join(units), goal=ASK,
            funds={part: parts[part].get(name, ZERO) for part in parts},
            indicators=[Indicator(level, ASK, ASK, ASK) for level in spec.T12.levels]))


def _empty_notes(content: Content, year: int) -> None:
    """An empty table says why (无内容应公开空表并说明情况)."""
    for table in (spec.T8, spec.T9, spec.T10, spec.T11):
        rows = content.rows.get(table.id, [])
        if not any(v for row in rows for v in row.values.values()):
            what = table.name.removesuffix("情况表").removesuffix("表")
            content.notes[table.id] = f"备注：本部门{year}年无{what}，故本表为空表。"
