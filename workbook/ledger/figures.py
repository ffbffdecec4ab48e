"""Every printed figure of the 12 tables as a set of atoms of the ledger.

An atom is the sum of the ledger lines of one unit × 资金性质 × 基本/项目 × 功能 项 × 经济 款 × 项目.
A family is one way the tables add atoms up (表六 基本支出 by 功能 node, 表八 因公出国 by unit …):
each atom belongs to at most one figure of a family. rounding.py rounds the atoms so that each
family's figures stay at their own rounding; content.py writes the typed figures from the rounded
atoms, and fill adds the rest up from them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import spec
from .columns import CARRY, FISCAL

ATOM_KEYS = ("unit", "unit_type", "src", "kind", "func", "econ", "project")
# 表八 columns by economic 款 (一般公共预算财政拨款, 基本支出 and 项目支出 together); names as in the
# bundled economic catalogue (tests/test_ledger_codes.py holds them to it, each edition)
T8_CODES = {"30212": "abroad", "30217": "reception", "31013": "car_buy", "30231": "car_run",
            "30215": "meeting", "30216": "training"}
SANGONG = ("abroad", "reception", "car_buy", "car_run")
# 机关运行经费 (表九): 商品和服务支出 and the template's 办公设备购置 item
RUNNING_CLASS, RUNNING_EXTRA = "302", ("31002",)


@dataclass(frozen=True)
class Family:
    name: str  # "表六 基本支出"
    table: str  # where its figures are printed: table id and money column
    col: str
    keys: pd.Series  # per atom: the figure's row label ("" = not in this family)


def atoms(lines: pd.DataFrame) -> pd.DataFrame:
    """The ledger lines added up by ATOM_KEYS, in ledger order, with the columns families use."""
    out = lines.groupby(list(ATOM_KEYS), sort=False, as_index=False)["fen"].sum()
    out["current"] = ~out["src"].isin(CARRY)
    out["fund"] = out["src"].map(FISCAL).fillna("")
    out["cls"], out["kuan"] = out["func"].str[:3], out["func"].str[:5]
    out["ecls"] = out["econ"].str[:3]
    out["t8"] = out["econ"].map(T8_CODES).fillna("")
    out["running"] = ((out["fund"] == "gp") & (out["kind"] == "basic")
                      & out["unit_type"].isin(("", *spec.RUNNING_COST_UNIT_TYPES))
                      & ((out["ecls"] == RUNNING_CLASS) | out["econ"].isin(RUNNING_EXTRA)))
    out["part"] = np.where(~out["current"], "carry", np.where(out["fund"] != "", "current", "other"))
    out["personnel"] = out["ecls"].isin(spec.PERSONNEL_CLASSES)
    return out


def families(a: pd.DataFrame) -> list[Family]:
    """Every way a printed figure adds atoms up (a figure printed in two tables is one set of
    atoms either way, so it is rounded alike in both)."""
    out: list[Family] = []

    def add(tid: str, col: str, mask, key) -> None:
        key = key if isinstance(key, pd.Series) else pd.Series(key, index=a.index)
        out.append(Family(f"{spec.BY_ID[tid].sheet} {_words(tid, col)}", tid, col,
                          key.where(np.asarray(mask, dtype=bool), "")))

    every = np.ones(len(a), dtype=bool)
    cur, basic, project = a["current"], a["kind"] == "basic", a["kind"] == "project"
    fiscal = a["fund"] != ""
    # 表二 (表一's income side and 表四's fund lines are the same figures)
    add("T2", "amount", every, "in." + a["src"])
    add("T2", "amount", cur, "in.subtotal")
    add("T2", "amount", every, "in.total")
    add("T1", "amount", every, "exp." + a["cls"])
    add("T4", "amount", fiscal, "in.subtotal")
    add("T4", "amount", fiscal, "exp." + a["cls"])
    # 表三, 表五, 表八: a unit's row and 总计
    units = [("T3", "basic", cur & basic), ("T3", "project", cur & project), ("T3", "carry", ~cur),
             ("T3", "total", every), ("T5", "total", fiscal)]
    for fund in spec.FUNDS:
        mine = a["fund"] == fund.short
        units += [("T5", f"{fund.short}_total", mine), ("T5", f"{fund.short}_basic", mine & basic),
                  ("T5", f"{fund.short}_project", mine & project)]
    in_t8 = (a["fund"] == "gp") & (a["t8"] != "")
    units += [("T8", col, in_t8 & (a["t8"] == col)) for col in T8_CODES.values()]
    units.append(("T8", "sangong", in_t8 & a["t8"].isin(SANGONG)))
    for tid, col, mask in units:
        add(tid, col, mask, a["unit"])
        add(tid, col, mask, "total")
    # 表六, 表十, 表十一: 类, 款, 项 and 总计
    general = a["fund"] == "gp"
    codes = [("T6", "total", general), ("T6", "basic", general & basic), ("T6", "project", general & project),
             ("T10", "amount", a["fund"] == "gf"), ("T11", "amount", a["fund"] == "sc")]
    for tid, col, mask in codes:
        for key in ("cls", "kuan", "func"):
            add(tid, col, mask, a[key])
        add(tid, col, mask, "total")
    # 表七, 表九
    general_basic = general & basic
    add("T7", "total", general_basic, a["econ"])
    add("T7", "total", general_basic, a["ecls"])
    add("T7", "total", general_basic, "total")
    add("T7", "personnel", general_basic & a["personnel"], "total")
    add("T7", "public", general_basic & ~a["personnel"], "total")
    add("T9", "basic", a["running"], a["econ"])
    add("T9", "basic", a["running"], "total")
    # 表十二: each project's funds, the 部门整体 block
    in_project = project | (~cur & (a["project"] != ""))
    for part in ("current", "carry", "other"):
        add("T12", part, in_project & (a["part"] == part), a["project"])
        add("T12", part, a["part"] == part, "whole")
    add("T12", "total", in_project, a["project"])
    add("T12", "personnel", cur & basic & a["personnel"], "whole")
    add("T12", "public", cur & basic & ~a["personnel"], "whole")
    add("T12", "project", (cur & project) | ~cur, "whole")
    return out


def _words(tid: str, col: str) -> str:
    table = spec.BY_ID[tid]
    if tid == "T12":
        return spec.T12.label_of(col) if col != "total" else "年度资金总额"
    if col == "amount" or col not in table.col_keys:
        return ""
    return "".join(part for part in table.col(col).header if part != "预算数")


@dataclass
class Figures:
    """The figures: for each, its family's name and its row label; `member` atoms × families."""

    names: list[tuple[Family, str]]
    member: np.ndarray


def index(fams: list[Family]) -> Figures:
    names: list[tuple[Family, str]] = []
    columns = []
    for fam in fams:
        inside = (fam.keys != "").to_numpy()
        codes, labels = pd.factorize(fam.keys[inside], sort=False)
        column = np.full(len(fam.keys), -1, dtype=np.int64)
        column[inside] = codes + len(names)
        names += [(fam, str(label)) for label in labels]
        columns.append(column)
    member = np.stack(columns, axis=1) if columns else np.zeros((0, 0), dtype=np.int64)
    return Figures(names, member)
