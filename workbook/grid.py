"""The small grid interface the core talks to, with openpyxl and python-calamine behind it.

The xlwings implementation of the same interface lives in macros_py (no xlwings in the core).
"""
from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Protocol

from .errors import BudgetbookError


class Grid(Protocol):
    path: Path

    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str) -> list[list[object]]:
        """All values of a sheet from A1, blank cells as None."""

    def set_values(self, sheet: str, values: dict[str, object]) -> None:
        """Write cell address -> value."""


def _unreadable(path: Path, why: str) -> BudgetbookError:
    return BudgetbookError(f"无法读取 {path}：{why}。")


def check_xlsx(path: Path) -> None:
    """Refuse early, in one sentence, what is not an .xlsx workbook."""
    if not path.exists():
        raise _unreadable(path, "文件不存在")
    if path.is_dir():
        raise _unreadable(path, "这是一个文件夹")
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, "不是 .xlsx 格式的 Excel 工作簿（旧版 .xls 请先在 Excel 中另存为 .xlsx）")


class OpenpyxlGrid:
    """Read and write with openpyxl, keeping styles, notes and VBA of .xlsm files."""

    def __init__(self, path: Path):
        import openpyxl

        self.path = Path(path)
        check_xlsx(self.path)
        try:
            self.book = openpyxl.load_workbook(self.path, keep_vba=self.path.suffix.lower() == ".xlsm",
                                               rich_text=False)
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise _unreadable(self.path, f"文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）") from None

    def sheet_names(self) -> list[str]:
        return list(self.book.sheetnames)

    def rows(self, sheet: str) -> list[list[object]]:
        return [list(row) for row in self.book[sheet].iter_rows(values_only=True)]

    def set_values(self, sheet: str, values: dict[str, object]) -> None:
        ws = self.book[sheet]
        for addr, value in values.items():
            ws[addr].value = value

    def save(self, out: Path) -> None:
        save_atomic(self.book, Path(out))


class CalamineGrid:
    """Fast read-only access through python-calamine (for checking many workbooks)."""

    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        self.path = Path(path)
        check_xlsx(self.path)
        try:
            self.book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:
            raise _unreadable(self.path, f"文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）") from None

    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def rows(self, sheet: str) -> list[list[object]]:
        data = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        return [[None if v == "" else v for v in row] for row in data]

    def set_values(self, sheet: str, values: dict[str, object]) -> None:
        raise NotImplementedError("CalamineGrid is read-only")


def save_atomic(book, out: Path) -> None:
    """Save an openpyxl workbook through a temporary file in the target folder, then rename."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise BudgetbookError(f"无法写入 {out}：文件夹 {folder} 不存在。")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~budgetbook-", suffix=out.suffix, dir=folder)
        os.close(fd)
        book.save(tmp)
        os.replace(tmp, out)
    except PermissionError:
        raise BudgetbookError(f"无法写入 {out}：没有写入权限，或文件正在 Excel 中打开。") from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
