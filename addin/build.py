"""Build the Excel add-in: `python -m addin.build [--out FILE]` (or `make addin`).

Writes dist/预算公开助手.xlam from addin/BudgetbookRibbon.bas, workbook/buttons.py (through
addin/ribbon.py) and the xlwings VBA runtime of the installed xlwings. Everything is assembled
in memory; the only file written is the add-in, through a temporary file beside it.
Same sources and same xlwings → the same bytes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.atomic import write_atomic

from . import package, vba_project, xlwings_runtime
from .vba_project import BASE_WORKBOOK, BASE_WORKSHEET, Module

FILE_NAME = "预算公开助手.xlam"
TITLE = "预算公开助手"
PROJECT = "Budgetbook"  # the VBA project's name: ASCII, shown in the VBA editor
SOURCES = Path(__file__).resolve().parent
CALLBACK_MODULE = "BudgetbookRibbon"


def default_path() -> Path:
    """dist/ of the source checkout; ~/.budgetbook/dist when installed without one."""
    checkout = SOURCES.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "dist" / FILE_NAME
    return Path.home() / ".budgetbook" / "dist" / FILE_NAME


def modules() -> list[Module]:
    """The add-in's VBA: the two document modules Excel expects, our callback, xlwings."""
    callback = (SOURCES / f"{CALLBACK_MODULE}.bas").read_text(encoding="utf-8")
    return [
        vba_project.document_module(package.WORKBOOK_CODE_NAME, BASE_WORKBOOK),
        vba_project.document_module(package.SHEET_CODE_NAME, BASE_WORKSHEET),
        vba_project.standard_module(CALLBACK_MODULE, callback),
        *xlwings_runtime.modules(),
    ]


def addin_bytes() -> bytes:
    return package.zip_bytes(package.parts(vba_project.build(PROJECT, modules()), TITLE))


def build(out: Path | None = None) -> Path:
    out = Path(out) if out else default_path()
    data = addin_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(out, lambda tmp: tmp.write_bytes(data))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m addin.build", description="Build the Excel ribbon add-in (.xlam).")
    p.add_argument("--out", type=Path, help=f"output file (default: {default_path()})")
    args = p.parse_args(argv)
    path = build(args.out)
    print(f"已生成 Excel 加载项 {path}（xlwings {xlwings_runtime.version()}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
