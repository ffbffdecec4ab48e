"""Writing the 情况说明 to files: the .docx (atomically) and its .pdf through LibreOffice Writer.

Used by `budgetbook narrative` and by `budgetbook export --narrative`, which puts both beside
the exported tables and into the e-mail draft.
"""
from __future__ import annotations

from pathlib import Path

from .. import office
from ..atomic import write_atomic
from ..errors import BudgetbookError
from ..model import Book
from . import sheet
from .job import NarrativeResult, narrative

INSTALL_HINT = "apt-get install -y --no-install-recommends libreoffice-writer fonts-wqy-microhei"


def file_name(book: Book) -> str:
    return f"{book.dept}{book.year}年部门预算公开情况说明"


def write_docx(result: NarrativeResult, path: Path) -> Path:
    data = result.docx_bytes()
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def write_pdf(docx: Path, pdf: Path) -> Path:
    """The .docx printed by LibreOffice Writer (it embeds a CJK font where 仿宋/黑体 are missing)."""
    try:
        return office.to_pdf(docx, pdf)
    except BudgetbookError as exc:
        if "不支持" in str(exc) or "无法打开" in str(exc) or "could not be loaded" in str(exc):
            raise BudgetbookError(f"{str(exc).rstrip('。')}；Word 文档转 PDF 需要 LibreOffice Writer：{INSTALL_HINT}。") from None
        raise


def targets(book: Book, outdir: Path, pdf: bool) -> list[Path]:
    name = file_name(book)
    return [Path(outdir) / f"{name}.docx", *([Path(outdir) / f"{name}.pdf"] if pdf else [])]


def beside_tables(book: Book, grid, outdir: Path, *, pdf: bool) -> tuple[list[Path], list[str]]:
    """For export: the 情况说明 of the exported workbook (its own 基本情况 sheet, last year's figures
    from there) into `outdir`; returns the files and the lines to tell the user."""
    result = narrative(book, info=sheet.read(grid))
    docx, *rest = targets(book, outdir, pdf)
    files = [write_docx(result, docx)]
    if rest:
        files.append(write_pdf(docx, rest[0]))
    notes = []
    if result.placeholders:
        notes.append(f"注意：情况说明中尚有 {len(result.placeholders)} 处【请填写】，"
                     f"请在基本情况表中填写后重新导出（budgetbook narrative 列出各处）。")
    if result.report.errors:
        notes.append(f"注意：情况说明与表格核对有 {len(result.report.errors)} 处错误（budgetbook narrative 列出各处）。")
    return files, notes
