"""Writing the 情况说明 to files: the .docx (atomically) and its .pdf through LibreOffice Writer.

Used by `budgetbook narrative` and by `budgetbook export --narrative`, which puts both beside
the exported tables and into the e-mail draft (the export composes the text and refuses an
unfinished one before anything is written; `write` only writes, and reads the .docx back).
"""
from __future__ import annotations

from pathlib import Path

from .. import office
from ..atomic import write_atomic
from ..errors import BudgetbookError
from ..model import Book
from .job import NarrativeResult

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


def write(result: NarrativeResult, book: Book, files: list[Path]) -> list[Path]:
    """For export: the 情况说明 that `export.plan` composed, into `files` (the .docx, then the PDF
    if asked). The .docx is read back and checked as narrative-check reads it; a difference from
    the text composed is budgetbook's own fault (publication.PublicationDiffers), and nothing stays."""
    from ..publication import PublicationDiffers, differences
    from .extract import paragraphs

    docx, *rest = files
    written = [write_docx(result, docx)]
    differ = differences(result.report, result.recheck(paragraphs(docx), docx))
    if differ:
        docx.unlink(missing_ok=True)
        raise PublicationDiffers(docx, differ)
    if rest:
        written.append(write_pdf(docx, rest[0]))
    return written
