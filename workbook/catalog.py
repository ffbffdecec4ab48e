"""Classification catalogues (政府收支分类科目): bundled lists by edition and bureau-supplied files.

Editions: the 2024 lists (functional.csv, economic.csv) and the 2025 edition, which is the 2024
functional list with the recorded 2025 changes (functional_2025_changes.csv) applied. A workbook's
budget year picks the edition (`functional(year)`); a year no edition covers gets the nearest one
and the check C.edition says so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbook.errors import BudgetbookError

EDITION = "2024"  # the base edition: economic.csv, functional.csv
EDITIONS = ("2024", "2025")  # the budget years a bundled list is for
SOURCE = "财政部《2024年政府收支分类科目》"
_CHANGES = {"2025": "functional_2025_changes.csv"}  # edition -> its changes to the one before
_CHANGE_KINDS = ("added", "renamed", "removed")
# A name this close to exactly one catalogued name (difflib ratio) is taken as meant for it.
CLOSE = 0.8
_SUFFIX = "支出"

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
        return "".join(str(name).split()).translate(_BRACKETS)  # str.split's whitespace is \s

    def suggest(self, code, name) -> str | None:
        """The catalogued code a name belongs to, for a 款/项 code that is not in the catalogue
        while its parent (类 or 款) is: "2050209 初中教育" -> "2050203". None when the code is
        known, malformed, a 类, its parent unknown, or the name fits no code or several.

        Among the codes of the same level under the same parent: the same name (as
        normalize_name compares), else the same name once a trailing "支出" is dropped on both
        sides, else the one name difflib finds close (ratio >= CLOSE) when only one is. Failing
        that, anywhere in the catalogue at the same level, the same name when exactly one code has
        it ("初中教育" typed under 20103 still means 2050203; "行政运行" is everywhere, so no)."""
        code = normalize_code(code)
        if code is None or len(code) == 3 or code in self.names:
            return None  # the usual case, told before any name is looked at
        want = self.normalize_name(name)
        if len(want) < 2:
            return None
        parent = code[:-2]
        if parent not in self.names:
            return None
        level = [c for c in self.names if len(c) == len(code)]
        siblings = [c for c in level if c.startswith(parent)]
        return self._match(want, siblings, fuzzy=True) or self._match(want, level, fuzzy=False)

    def _match(self, want: str, codes: list[str], fuzzy: bool) -> str | None:
        names = {c: self.normalize_name(self.names[c]) for c in codes}
        for strip in (_same, _bare):
            found = [c for c, n in names.items() if strip(n) == strip(want)]
            if found:
                return found[0] if len(found) == 1 else None
        if not fuzzy:
            return None
        import difflib  # only for a name no exact comparison matched

        close = [c for c, n in names.items()
                 if difflib.SequenceMatcher(None, want, n).ratio() >= CLOSE]
        return close[0] if len(close) == 1 else None


def _same(name: str) -> str:
    return name


def _bare(name: str) -> str:
    """"其他教育支出" and "其他教育" are the same 项 name; "支出" alone is not a name."""
    return name[:-len(_SUFFIX)] if name.endswith(_SUFFIX) and len(name) > len(_SUFFIX) else name


def normalize_code(value) -> str | None:
    """A cell value as a 3/5/7-digit code, or None. Excel often stores codes as numbers (2010301.0)."""
    if value.__class__ is str and len(value) in (3, 5, 7) and value.isascii() and value.isdigit():
        return value  # already a code: most cells, and each of them new to the cache below
    try:
        return _normalized(value)
    except TypeError:  # an unhashable value: not a code anyway, but say so the slow way
        return _normalize(value)


@lru_cache(maxsize=65536, typed=True)
def _normalized(value) -> str | None:
    # every rule asks about the same few thousand codes of a workbook
    return _normalize(value)


def _normalize(value) -> str | None:
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
    import zipfile

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


def _bundled_text(filename: str) -> str:
    # the package's own folder rather than importlib.resources, whose import (tempfile, random …)
    # every `budgetbook check` would pay; the catalogues are plain files installed beside this module
    return (Path(__file__).parent / "catalogs" / filename).read_text(encoding="utf-8-sig")


def _bundled(filename: str, complete: bool) -> Catalog:
    return _build(_csv_rows(_bundled_text(filename)), filename, EDITION, SOURCE, complete)


def edition_for(year) -> str:
    """The bundled edition for a budget year: its own, else the nearest (no year: the base)."""
    if year is None:
        return EDITION
    year = int(year)
    if str(year) in EDITIONS:
        return str(year)
    return EDITIONS[0] if year < int(EDITIONS[0]) else EDITIONS[-1]


def covers(year) -> bool:
    """Whether a bundled edition is that year's own."""
    return year is not None and str(year) in EDITIONS


def economic(year=None) -> Catalog:
    """部门预算支出经济分类 类/款, complete. One list for every edition: no change to it is recorded."""
    return _economic()


@lru_cache(maxsize=None)
def _economic() -> Catalog:
    return _bundled("economic.csv", complete=True)


def functional(year=None) -> Catalog:
    """支出功能分类 of the edition for `year` (edition_for): all 类, the 款/项 departments use;
    partial. functional() is the base (2024) edition."""
    return _functional(edition_for(year))


@lru_cache(maxsize=None)
def _functional(edition: str) -> Catalog:
    base = _bundled("functional.csv", complete=False)
    if edition == EDITION:
        return base
    names = dict(base.names)
    for kind, code, name in changes(edition):
        if kind == "removed":
            names.pop(code, None)
        else:
            names[code] = name
    return Catalog(names=dict(sorted(names.items())), edition=edition,
                   source=f"财政部《{edition}年政府收支分类科目》（{SOURCE}及其 {edition} 年变动）",
                   complete=False)


@lru_cache(maxsize=None)
def changes(edition: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, code, name) of an edition's recorded changes to the edition before it:
    added, renamed (name is the new one) or removed (name is the old one)."""
    filename = _CHANGES[edition]
    rows = list(csv.reader(io.StringIO(_bundled_text(filename))))
    if not rows or rows[0][:3] != ["change", "code", "name"]:
        raise BudgetbookError(f"{filename} 的表头应为 change,code,name。")
    found = []
    for row, fields in enumerate(rows[1:], start=2):
        if not any(f.strip() for f in fields):
            continue
        kind, raw, name = (fields + ["", "", ""])[:3]
        code = normalize_code(raw)
        if kind not in _CHANGE_KINDS or code is None or not name.strip():
            raise BudgetbookError(f"{filename} 第 {row} 行不是有效的科目变动：{','.join(fields)}")
        found.append((kind, code, name.strip()))
    return tuple(found)


def merged(base: Catalog, override: Catalog) -> Catalog:
    """Override's names win. A superset of a complete list is complete too."""
    return Catalog(
        names={**base.names, **override.names},
        edition=override.edition or base.edition,
        source=f"{override.source}；{base.source}",
        complete=base.complete or override.complete,
    )
