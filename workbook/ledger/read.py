"""Read ledger files (.xlsx, .xls, .csv in UTF-8 or GBK) into one frame of lines.

The header row is found by its names (columns.ALIASES), wherever the export puts it under its
title rows; rows above it, repeated header rows (page breaks) and 合计/小计 rows inside the data are
recognised, dropped and said. What comes out is a pandas frame with one canonical column per
ledger column (text, stripped), `fen` (the amount in 分, an exact integer), `file` and `row`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import safety
from ..errors import BudgetbookError
from .columns import ALIASES, LABELS, SUBTOTAL, header_key, per_distinct
from .findings import Finding, name_of

HEADER_SCAN = 30  # rows searched for the header
# A ledger is long: 200,000 lines and more are normal for a large department.
LIMITS = safety.Limits(rows=2_000_000, cells=50_000_000, file_bytes=512 * safety.MB, total_bytes=4096 * safety.MB,
                       member_bytes=2048 * safety.MB)
TEXT_COLS = ("unit", "unit_type", "func_code", "func_name", "econ_code", "econ_name", "source", "kind", "project")
FEN_PER_YUAN, FEN_PER_WAN = 100, 1_000_000


@dataclass
class Sheet:
    """One ledger as read: its lines, the header spellings it used, what was said about it."""

    file: str
    frame: pd.DataFrame
    headers: dict[str, str]  # canonical key -> the header as this file spells it
    findings: list[Finding] = field(default_factory=list)


def read(path: Path) -> Sheet:
    path = Path(path)
    raw = _raw(path)
    return _shape(name_of(path), raw)


def _raw(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        safety.stat_input(path)
        return _csv(path)
    if suffix in (".xlsx", ".xlsm"):
        safety.inspect(path, LIMITS)
        return _excel(path)
    if suffix == ".xls":
        safety.stat_input(path)
        return _excel(path)
    raise BudgetbookError(f"无法读取 {path}：明细表应为 .xlsx、.xls 或 .csv 文件。")


def _excel(path: Path) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # calamine's errors are of many kinds; the file is the cause
        raise BudgetbookError(f"无法读取 {path}：不是可以读取的 Excel 文件，或文件已损坏（{type(exc).__name__}）。") from None
    for frame in sheets.values():  # the first sheet with a ledger header
        if _header_row(frame) is not None:
            return frame
    return next(iter(sheets.values()), pd.DataFrame())


def _csv(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030 reads every GBK file
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BudgetbookError(f"无法读取 {path}：既不是 UTF-8 也不是 GBK 编码的 CSV 文件。")
    rows = list(csv.reader(io.StringIO(text)))  # rows of any length: a title row has one cell
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _header_row(frame: pd.DataFrame) -> int | None:
    """The first row naming a unit, an amount and at least two more ledger columns."""
    for r in range(min(HEADER_SCAN, len(frame))):
        keys = {header_key(v) for v in frame.iloc[r].tolist()} - {None}
        if "unit" in keys and keys & {"yuan", "wan"} and len(keys) >= 4:
            return r
    return None


def _shape(file: str, raw: pd.DataFrame) -> Sheet:
    header = _header_row(raw)
    if header is None:
        expected = "、".join(LABELS[k] for k in ("unit", "func_code", "econ_code", "source", "kind", "yuan"))
        raise BudgetbookError(f"{file} 的前 {HEADER_SCAN} 行中找不到明细表的表头（应有 {expected} 等列）；"
                              f"列名及其他写法见 docs/ledger.md。")
    findings = [Finding(file, r + 1, "", f"表头之前的标题行“{_row_text(raw, r)}”，已跳过。", "info")
                for r in range(header) if _row_text(raw, r)]
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    for c, value in enumerate(raw.iloc[header].tolist()):
        key = header_key(value)
        if key and key not in headers:
            columns[c], headers[key] = key, str(value).strip()
    body = raw.iloc[header + 1:, list(columns)]
    body.columns = [columns[c] for c in columns]
    frame = pd.DataFrame({key: _text(body[key]) if key in body else "" for key in TEXT_COLS}, index=body.index)
    frame["row"] = body.index.to_numpy() + 1
    frame["file"] = file
    for key in ("yuan", "wan"):
        if key in body:
            frame[f"{key}_raw"] = body[key].to_numpy()
    frame, dropped = _drop_noise(frame, raw.iloc[header].tolist(), columns, header, file)
    return Sheet(file, frame.reset_index(drop=True), headers, findings + dropped)


def _row_text(raw: pd.DataFrame, r: int) -> str:
    return " ".join(str(v).strip() for v in raw.iloc[r].tolist() if _present(v))[:40]


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) and str(value).strip() != ""


def _text(column: pd.Series) -> pd.Series:
    """Cells as stripped text; codes Excel stored as numbers (2010301.0) without the ".0"."""
    return per_distinct(column, _cell_text)


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _drop_noise(frame: pd.DataFrame, header_cells: list, columns: dict[int, str], header: int, file: str):
    """Blank rows (dropped silently), repeated header rows and 合计/小计 rows (dropped, said)."""
    said: list[Finding] = []
    text = frame[[c for c in TEXT_COLS]]
    blank = (text == "").all(axis=1)
    for key in ("yuan_raw", "wan_raw"):
        if key in frame:  # only the rows whose words are all blank
            blank[blank] = ~frame.loc[blank, key].map(_present).astype(bool)
    head_words = {key: str(header_cells[c]).strip() for c, key in columns.items()}
    repeated = np.zeros(len(frame), dtype=bool)
    for key in ("unit", "source", "kind"):
        if key in head_words:
            repeated |= (frame[key] == head_words[key]).to_numpy()
    labels = frame["unit"].str.cat([frame[k] for k in ("func_code", "econ_code", "source", "project")], sep="|")
    subtotal = labels.str.contains("合计|小计|总计|累计", regex=True).to_numpy(dtype=bool).copy()
    for i in np.flatnonzero(subtotal):  # the few candidates: a word of its own, not "合计" inside a name
        subtotal[i] = any(SUBTOTAL.search(p) for p in labels.iat[i].split("|") if p)
    subtotal &= ~repeated
    for r in frame["row"][repeated]:
        said.append(Finding(file, int(r), "", f"重复的表头行（与第 {header + 1} 行相同，多为分页打印所致），已去掉。", "info"))
    for r, what in zip(frame["row"][subtotal], labels[subtotal]):
        word = next(p for p in what.split("|") if p and SUBTOTAL.search(p))
        said.append(Finding(file, int(r), "", f"“{word}”是合计/小计行，不是明细，已去掉（不计入各表）。", "info"))
    keep = ~(blank.to_numpy() | repeated | subtotal)
    return frame[keep], said


__all__ = ["Sheet", "read", "ALIASES"]
