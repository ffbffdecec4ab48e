"""What a button runs on: a workbook as one place to read from, carry a plan out, and talk to.

Three surfaces implement it: `package.PackageSurface` (a file: the command line, the batch, the
page), `macros_py.surface.XlwingsSurface` (the workbook open in Excel) and
`serve.snapshot.Snapshot` (the workbook open in WPS, its plan sent back as JSON actions). The one
runner (jobs.run) and the button table (workbook.buttons) see only this.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..plan import Plan
from .looks import Looks


class Surface(Looks, Protocol):
    path: Path  # what messages name
    name: str  # the workbook's name as its host shows it
    where: str  # how advice is said to its user (workbook.advice: EXCEL, WPS; a file: WORKBOOK)

    def apply(self, plan: Plan) -> None:
        """Carry the plan out (a file: patched in memory; Excel: written; WPS: as actions)."""

    def finish(self) -> None:
        """After a plan: save a file; a workbook open in a host stays as shown (the user saves)."""

    def progress(self, text: str) -> None:
        """One line of progress (Excel's status bar); nothing where nobody watches."""

    def saved_file(self) -> Path:
        """The workbook's file on disk, saved as it is shown (BudgetbookError otherwise), for the
        buttons that read the file itself (its look is copied into what they publish)."""

    def folder(self) -> Path:
        """Where a new file goes beside the workbook."""

    def open(self, path: Path) -> None:
        """Show a workbook just written (新建模板) where the host can; else nothing."""

    def print_pdf(self, xlsx: Path, pdf: Path) -> bool:
        """Print a workbook to PDF with the host itself (no LibreOffice); False where it cannot."""


def saved_file(full_path: str | None, name: str, saved: bool) -> Path:
    """The file of a workbook open in Excel or WPS, for the buttons that read the file (its look is
    copied): it must be on disk and saved as it is shown."""
    from ..errors import BudgetbookError

    path = Path(full_path) if full_path else None
    if path is None or not path.is_absolute() or not path.is_file():
        raise BudgetbookError(f"工作簿“{name}”还没有保存到磁盘，请先保存（Ctrl+S），再导出。")
    if not saved:
        raise BudgetbookError(f"{path.name} 有未保存的修改，请先保存（Ctrl+S），再导出。")
    return path


def folder_of(full_path: str | None) -> Path:
    """Where a new file goes beside a workbook: its folder, or the home folder for one not saved."""
    folder = Path(full_path).parent if full_path else None
    return folder if folder is not None and folder.is_absolute() and folder.is_dir() else Path.home()
