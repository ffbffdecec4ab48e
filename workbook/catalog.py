"""Classification catalogues (政府收支分类科目): bundled 2024 lists and bureau-supplied files."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from workbook.errors import BudgetbookError

EDITION = "2024"
SOURCE = "财政部《2024年政府收支分类科目》"

_LEVELS = {3: "类", 5: "款", 7: "项"}
_CODE = re.compile(r"\d{3}(\d{2}){0,2}")
# Full-width digits or stray spaces from pasted text still count as a code.
_CODE_TEXT = re.compile(r"([0-9０-９]+)(\.0+)?")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_SPACE = re.compile(r"\s+")  # \s covers U+3000 and U+00A0 for str patterns


@dataclass(frozen=True)
class Catalog:
    names: dict[str, str]
    edition: str
    source: str
    complete: bool  # False: a code missing here is only a warning "未在目录中"

    def name(self, code) -> str | None:
        return self.names.get(normalize_code(code) or "")

    def __contains__(self, code) -> bool:
        return (normalize_code(code) or "") in self.names

    @staticmethod
    def parent(code) -> str | None:
        """项 → 款 → 类 (7 → 5 → 3 digits); a 类 has none."""
        code = normalize_code(code)
        if code is None or len(code) == 3:
            return None
        return code[:-2]

    @staticmethod
    def level(code) -> str | None:
        code = normalize_code(code)
        return _LEVELS.get(len(code)) if code else None

    @staticmethod
    def normalize_name(name) -> str:
        """Name as compared: no whitespace anywhere, brackets full-width ("维修(护)费" = "维修（护）费")."""
        if name is None:
            return ""
        return _SPACE.sub("", str(name)).translate(_BRACKETS)


def normalize_code(value) -> str | None:
    """A cell value as a 3/5/7-digit code, or None. Excel often stores codes as numbers (2010301.0)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip()
    m = _CODE_TEXT.fullmatch(text)
    if not m:
        return None
    digits = m.group(1).translate(_FULLWIDTH_DIGITS)
    return digits if _CODE.fullmatch(digits) else None


def _cell(col: int, row: int) -> str:
    return f"{'AB'[col]}{row}"


def _build(rows, label: str, edition: str, source: str, complete: bool) -> Catalog:
    """rows: (row number, code cell, name cell)."""
    names: dict[str, str] = {}
    started = False
    for row, raw_code, raw_name in rows:
        code_text = "" if raw_code is None else str(raw_code).strip()
        name = "" if raw_name is None else _SPACE.sub(" ", str(raw_name)).strip()
        if not code_text and not name:
            continue
        code = normalize_code(raw_code)
        if code is None:
            # Before the first code, text cells are titles or headers ("2024年科目表", "编码").
            if not started and isinstance(raw_code, str) and not code_text.isdigit():
                continue
            if not code_text:
                raise BudgetbookError(f"{label} 的 {_cell(0, row)} 单元格缺少科目编码（同行名称：{name}）。")
            raise BudgetbookError(f"{label} 的 {_cell(0, row)} 单元格不是有效的科目编码：{code_text}")
        started = True
        if not name:
            raise BudgetbookError(f"{label} 的 {_cell(1, row)} 单元格缺少科目 {code} 的名称。")
        old = names.get(code)
        if old is not None and Catalog.normalize_name(old) != Catalog.normalize_name(name):
            raise BudgetbookError(
                f"{label} 的 {_cell(0, row)} 单元格科目编码 {code} 重复，且名称不同：{old} / {name}。"
            )
        names[code] = name
    if not names:
        raise BudgetbookError(f"{label} 中没有找到科目编码（应为两列：编码、名称）。")
    return Catalog(names=names, edition=edition, source=source, complete=complete)


def _csv_rows(text: str):
    for row, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        fields = (fields + ["", ""])[:2]
        yield row, fields[0], fields[1]


def _read_csv_text(path: Path, label: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Chinese Windows saves CSV in the ANSI code page (GBK).
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise BudgetbookError(f"{label} 的文字编码无法识别，请另存为 UTF-8 编码的 CSV 或 .xlsx 文件。") from None


def _xlsx_rows(path: Path, label: str):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise BudgetbookError(f"{label} 不是有效的 Excel 文件，无法打开。") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # files from other systems often carry a wrong used range
        rows = []
        # read_only mode fills in missing rows, so enumerate gives the real row number.
        for row, values in enumerate(ws.iter_rows(min_col=1, max_col=2, values_only=True), start=1):
            values = (tuple(values) + (None, None))[:2]
            rows.append((row, values[0], values[1]))
        return rows
    finally:
        wb.close()


def load_catalog_file(path, *, edition: str = "", complete: bool = True) -> Catalog:
    """A finance bureau's catalogue: first sheet (or CSV), columns code and name, header optional.

    complete=True by default: the bureau's list is the year's authoritative one.
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise BudgetbookError(f"找不到科目目录文件 {label}。")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, label)
    elif suffix == ".csv":
        rows = _csv_rows(_read_csv_text(path, label))
    elif suffix in (".xls", ".et"):
        raise BudgetbookError(f"{label} 是旧版表格格式，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。")
    else:
        raise BudgetbookError(f"{label} 不是支持的科目目录格式，请使用 .xlsx 或 .csv 文件。")
    return _build(rows, label, edition, label, complete)


def _bundled(filename: str, complete: bool) -> Catalog:
    text = resources.files("workbook.catalogs").joinpath(filename).read_text(encoding="utf-8-sig")
    return _build(_csv_rows(text), filename, EDITION, SOURCE, complete)


@lru_cache(maxsize=None)
def economic() -> Catalog:
    """部门预算支出经济分类 类/款, complete."""
    return _bundled("economic.csv", complete=True)


@lru_cache(maxsize=None)
def functional() -> Catalog:
    """支出功能分类: all 类, the 款/项 ordinary departments use; partial."""
    return _bundled("functional.csv", complete=False)


def merged(base: Catalog, override: Catalog) -> Catalog:
    """Override's names win. A superset of a complete list is complete too."""
    return Catalog(
        names={**base.names, **override.names},
        edition=override.edition or base.edition,
        source=f"{override.source}；{base.source}",
        complete=base.complete or override.complete,
    )
