"""Findings about a ledger's lines, and the clean lines a build aggregates.

Errors stop a build (unless forced); a forced build leaves out the lines it cannot place (blank
unit or code, a code that is not a 项/款, an unknown 资金性质 or 支出类型, an amount that is not a
number) and uses the others as they are. Warnings and the notes of read.py are said, never stop.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import catalog, spec
from .columns import FISCAL, KINDS, LABELS, SOURCES, code_and_name, per_distinct, word
from .findings import Finding
from .read import FEN_PER_WAN, FEN_PER_YUAN, Sheet

_CLASSES = {code for code, _ in spec.FUNCTIONAL_CLASSES}
LINE_COLS = ("unit", "unit_type", "func", "func_name", "econ", "econ_name", "src", "kind", "project", "fen")


@dataclass
class Checked:
    lines: pd.DataFrame  # LINE_COLS, one row per usable ledger line
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class _Says:
    """Collects findings for one ledger, naming its columns as the file spells them."""

    def __init__(self, sheet: Sheet):
        self.sheet, self.out = sheet, []
        self.drop = np.zeros(len(sheet.frame), dtype=bool)

    def column(self, key: str) -> str:
        return self.sheet.headers.get(key, LABELS[key])

    def rows(self, mask, key: str, message, severity: str = "error", drops: bool = False) -> None:
        """A finding on each row of `mask`; `message` is text or a function of the row's index."""
        frame = self.sheet.frame
        for i in np.flatnonzero(np.asarray(mask)):
            text = message(i) if callable(message) else message
            self.out.append(Finding(self.sheet.file, int(frame["row"].iat[i]), self.column(key), text, severity, drops))
        if drops:
            self.drop |= np.asarray(mask)

    def file(self, message: str, severity: str = "warning") -> None:
        self.out.append(Finding(self.sheet.file, None, "", message, severity))


def check(sheets: list[Sheet], year: int | None) -> Checked:
    frames, findings = [], []
    for sheet in sheets:
        says = _Says(sheet)
        findings += sheet.findings
        frames.append(_lines(sheet, says, year))
        findings += says.out
    lines = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*LINE_COLS, "file", "row"])
    findings += _names(lines, "func", "func_name", sheets) + _names(lines, "econ", "econ_name", sheets)
    findings += _unit_types(lines, sheets)
    return Checked(lines, findings)


def _lines(sheet: Sheet, says: _Says, year: int | None) -> pd.DataFrame:
    f = sheet.frame
    out = pd.DataFrame({"unit": f["unit"], "file": f["file"], "row": f["row"]})
    says.rows(f["unit"] == "", "unit", "单位名称为空，无法归入任何单位。", drops=True)
    out["unit_type"] = per_distinct(f["unit_type"], lambda t: spec.unit_type(t) or "")
    if "unit_type" not in sheet.headers:
        says.file(f"没有“{LABELS['unit_type']}”列：无法区分行政、参公与事业单位，机关运行经费（表九）按全部单位计算。")
    for key, (code_col, name_col, digits, what) in {
            "func": ("func_code", "func_name", 7, "功能分类科目应细化到项（7 位编码）"),
            "econ": ("econ_code", "econ_name", 5, "部门经济分类科目应细化到款（5 位编码）")}.items():
        codes, names = _split_codes(f[code_col], f[name_col])
        out[key], out[f"{key}_name"] = codes, names
        says.rows(codes == "", code_col, "科目编码为空。", drops=True)
        bad = (codes != "") & (codes.str.len() != digits)
        says.rows(bad, code_col, lambda i, c=codes: f"“{c.iat[i]}”不是 {digits} 位编码：{what}。", drops=True)
    _catalogued(out, says, year)
    out["src"] = per_distinct(f["source"], lambda t: SOURCES.get(word(t), ""))
    says.rows(out["src"] == "", "source", lambda i: f"资金性质“{f['source'].iat[i]}”无法识别（应为一般公共预算、政府性基金预算、"
                                                  f"事业收入、上年结转等）。", drops=True)
    out["kind"] = per_distinct(f["kind"], lambda t: KINDS.get(word(t), ""))
    says.rows(out["kind"] == "", "kind", lambda i: f"支出类型“{f['kind'].iat[i]}”无法识别（应为基本支出、人员经费、公用经费或项目支出）。",
              drops=True)
    out["project"] = f["project"]
    says.rows((out["kind"] == "project") & (f["project"] == ""), "project", "项目支出没有项目名称，无法列入表十二的项目绩效目标表。")
    out["fen"] = _amounts(sheet, says)
    return out[~says.drop]


def _split_codes(codes: pd.Series, names: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Codes and names, also from one cell "2010301 行政运行" / "[2010301]行政运行"."""
    split = per_distinct(codes, code_and_name)
    code = per_distinct(split, lambda p: p[0])
    inline = per_distinct(split, lambda p: p[1])
    return code, names.where(names != "", inline)


def _catalogued(out: pd.DataFrame, says: _Says, year: int | None) -> None:
    economic, functional = catalog.economic(year), catalog.functional(year)
    econ = out["econ"]
    unknown = (econ.str.len() == 5) & ~econ.isin(set(economic.names))
    says.rows(unknown, "econ_code", lambda i: f"部门经济分类科目 {econ.iat[i]} 不在{economic.edition}年目录中。", drops=True)
    func = out["func"]
    wrong_class = (func.str.len() == 7) & ~func.str[:3].isin(_CLASSES)
    says.rows(wrong_class, "func_code", lambda i: f"功能分类科目 {func.iat[i]} 的类 {func.iat[i][:3]} 不是支出功能分类的类。",
              drops=True)
    partial = (func.str.len() == 7) & ~wrong_class & ~func.isin(set(functional.names))
    says.rows(partial, "func_code", lambda i: f"功能分类科目 {func.iat[i]} 未在内置{functional.edition}年目录中（内置目录不全），"
                                              f"请核对编码。", "warning")


def _amounts(sheet: Sheet, says: _Says) -> pd.Series:
    f = sheet.frame
    fen = {}
    for key, scale in (("yuan", FEN_PER_YUAN), ("wan", FEN_PER_WAN)):
        if f"{key}_raw" not in f:
            continue
        raw = f[f"{key}_raw"]
        number = pd.to_numeric(raw, errors="coerce")  # most cells: a number, or its plain text
        blank = pd.Series(False, index=raw.index)
        rest = number.isna()  # blank, "1,234.00", or not a number: one by one
        text = raw[rest].map(lambda v: str(v).replace(",", "").strip() if isinstance(v, str) else v)
        number[rest] = pd.to_numeric(text, errors="coerce")
        blank[rest] = text.map(lambda v: v is None or v == "" or (isinstance(v, float) and np.isnan(v))).astype(bool)
        says.rows(number.isna() & ~blank, key, lambda i, r=raw: f"金额“{r.iat[i]}”不是数字。", drops=True)
        fen[key] = ((number * scale).round(), blank)
    if not fen:
        says.file(f"没有金额列（{LABELS['yuan']}或{LABELS['wan']}）。", "error")
        says.drop[:] = True
        return pd.Series(0, index=f.index)
    (value, blank), other = fen.get("yuan") or fen["wan"], fen.get("wan") if "yuan" in fen else None
    if other is not None:  # both columns: the 元 figure counts, the 万元 one must agree with it
        wan, wan_blank = other
        value = value.where(~blank, wan)
        blank = blank & wan_blank
        apart = ~blank & ~wan_blank & ((value - wan).abs() > FEN_PER_WAN // 200)
        says.rows(apart, "wan", lambda i: f"{LABELS['yuan']} {f['yuan_raw'].iat[i]} 与{LABELS['wan']} {f['wan_raw'].iat[i]} "
                                         f"不一致（相差超过 0.005 万元）。")
    money = "yuan" if "yuan" in fen else "wan"
    says.rows(blank, money, "金额为空。", drops=True)
    says.rows(value < 0, money, lambda i: f"金额为负数（{f[money + '_raw'].iat[i]}）：预算明细不应有负数，请核对。")
    return value.fillna(0).astype("int64")


def _names(lines: pd.DataFrame, code: str, name: str, sheets: list[Sheet]) -> list[Finding]:
    """A code spelt with two names: each line whose name is not the code's usual one."""
    named = lines[lines[name] != ""]
    counts = named.groupby([code, name]).size()
    twice = counts.groupby(level=0).size()
    twice = twice[twice > 1].index
    out = []
    headers = {s.file: s.headers for s in sheets}
    key = "func_name" if code == "func" else "econ_name"
    for c in twice:
        names = counts[c].sort_values(ascending=False)
        usual = names.index[0]
        for _, line in named[(named[code] == c) & (named[name] != usual)].iterrows():
            column = headers[line["file"]].get(key) or headers[line["file"]].get(f"{code}_code", LABELS[key])
            out.append(Finding(line["file"], int(line["row"]), column,
                               f"科目 {c} 的名称“{line[name]}”与其他行的“{usual}”不同：同一编码只能有一个名称。"))
    for c in twice:  # the tables use the usual name
        lines.loc[lines[code] == c, name] = counts[c].sort_values(ascending=False).index[0]
    return out


def _unit_types(lines: pd.DataFrame, sheets: list[Sheet]) -> list[Finding]:
    typed = lines[lines["unit_type"] != ""]
    kinds = typed.groupby("unit")["unit_type"].nunique()
    out = []
    for unit in kinds[kinds > 1].index:
        first = typed[typed["unit"] == unit].iloc[0]
        for _, line in typed[(typed["unit"] == unit) & (typed["unit_type"] != first["unit_type"])].iterrows():
            column = {s.file: s.headers for s in sheets}[line["file"]].get("unit_type", LABELS["unit_type"])
            out.append(Finding(line["file"], int(line["row"]), column,
                               f"单位“{unit}”的单位类型为“{line['unit_type']}”，与第 {int(first['row'])} 行的“{first['unit_type']}”不同。"))
    return out


__all__ = ["Checked", "check", "FISCAL"]
