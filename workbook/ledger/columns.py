"""The ledger's columns as the 预算管理一体化系统 exports spell them, and the words of its cells.

Each canonical column has the header spellings seen in the systems' exports (docs/ledger.md lists
them); headers are compared without spaces, brackets full- or half-width.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# canonical key -> header spellings (the first is the one docs and generated ledgers use)
ALIASES: dict[str, tuple[str, ...]] = {
    "unit": ("单位名称", "预算单位", "预算单位名称", "基层预算单位", "基层预算单位名称", "单位"),
    "unit_type": ("单位类型", "单位性质", "单位类别"),
    "func_code": ("功能分类科目编码", "功能科目编码", "支出功能科目编码", "支出功能分类科目编码", "功能科目",
                  "功能分类科目", "支出功能科目"),
    "func_name": ("功能分类科目名称", "功能科目名称", "支出功能科目名称", "支出功能分类科目名称"),
    "econ_code": ("部门经济分类科目编码", "经济科目编码", "支出经济科目编码", "部门经济科目编码",
                  "部门经济分类科目", "经济科目", "支出经济科目", "部门经济科目"),
    "econ_name": ("部门经济分类科目名称", "经济科目名称", "支出经济科目名称", "部门经济科目名称"),
    "source": ("资金性质", "资金来源", "资金性质名称", "资金来源名称"),
    "kind": ("支出类型", "支出类别", "基本支出/项目支出"),
    "project": ("项目名称", "预算项目名称", "预算项目"),
    "yuan": ("金额（元）", "金额", "预算金额（元）", "预算数（元）", "预算金额", "金额(元)"),
    "wan": ("金额（万元）", "预算金额（万元）", "预算数（万元）", "预算数"),
}
LABELS = {key: names[0] for key, names in ALIASES.items()}
REQUIRED = ("unit", "func_code", "econ_code", "source", "kind")

_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def header_key(text: object) -> str | None:
    """The canonical column a header cell names, or None."""
    if text is None:
        return None
    word = "".join(str(text).split()).translate(_BRACKETS)
    return _BY_HEADER.get(word)


_BY_HEADER = {"".join(name.split()).translate(_BRACKETS): key for key, names in ALIASES.items() for name in names}

# 资金性质 -> 表二 line key (in.<key>); 上年结转/上年结余 are the carry-over lines
SOURCES: dict[str, str] = {
    "一般公共预算": "general", "一般公共预算拨款": "general", "一般公共预算财政拨款": "general",
    "公共财政预算": "general", "一般预算": "general",
    "政府性基金预算": "gov_fund", "政府性基金": "gov_fund", "政府性基金预算拨款": "gov_fund",
    "国有资本经营预算": "state_capital", "国有资本经营": "state_capital", "国有资本经营预算收入": "state_capital",
    "财政专户管理资金": "edu_account", "教育专户核算": "edu_account", "教育收费专户": "edu_account",
    "财政专户管理资金收入": "edu_account",
    "事业收入": "business",
    "上级补助收入": "superior",
    "附属单位上缴收入": "subsidiary",
    "事业单位经营收入": "operating", "经营收入": "operating",
    "其他收入": "other",
    "上年结转": "carry", "上年结转资金": "carry",
    "上年结余": "surplus", "上年结余资金": "surplus",
}
FISCAL = {"general": "gp", "gov_fund": "gf", "state_capital": "sc"}  # 财政拨款 -> 表五 column prefix
CARRY = ("carry", "surplus")

# 支出类型 -> basic / project
KINDS = {"基本支出": "basic", "人员经费": "basic", "公用经费": "basic", "人员类": "basic", "公用类": "basic",
         "项目支出": "project", "项目": "project", "特定目标类": "project", "其他运转类": "project"}

SUBTOTAL = re.compile(r"^(合计|小计|总计|本页合计|累计)|(合计|小计|总计)$")
_CODE_NAME = re.compile(r"^\s*[\[【［(（]?\s*(\d{3,7})\s*[\]】］)）]?\s*(.*?)\s*$")


def word(text: object) -> str:
    """A cell's words as compared: no whitespace."""
    return "" if text is None else "".join(str(text).split())


def code_and_name(text: object) -> tuple[str, str]:
    """"2010301 行政运行", "[2010301]行政运行", 2010301.0 or "2010301": (code, name); ("", text)
    when the cell does not start with a code."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = "" if text is None else str(text).strip()
    match = _CODE_NAME.match(raw)
    if not match:
        return "", raw
    return match.group(1), match.group(2)


def per_distinct(values: pd.Series, fn) -> pd.Series:
    """`fn` of each value, worked out once per distinct value: a ledger repeats its units, codes and
    words over hundreds of thousands of lines."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    out = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):
        out[i] = fn(value)
    return pd.Series(out[codes], index=values.index)
