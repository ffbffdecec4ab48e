"""The ribbon buttons: one thin function each, as in xlwings' examples.

Each takes the workbook (default: the one whose button was pressed, `xw.Book.caller()`), reads it
once through XlwingsSurface, calls a job of workbook.jobs and applies the job's plan. What to do
is the jobs'; how Excel is kept quiet and told the result is session.run's.
"""
from __future__ import annotations

from pathlib import Path

from workbook import jobs
from workbook.reader import read

from . import session
from .surface import XlwingsSurface


def _caller(book):
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def fill_totals(book=None) -> str:
    """填充合计: every grey total from the blue cells."""
    def work(book, progress):
        surface = XlwingsSurface(book, progress)
        result = jobs.fill(read(surface))
        progress("正在写入合计 …")
        surface.apply(result.plan)
        return result.summary()

    return session.run(_caller(book), work, start="正在填写合计 …")


def check_and_mark(book=None) -> str:
    """校验并标记: check, colour the cells of each finding, list them in 校验结果."""
    def work(book, progress):
        surface = XlwingsSurface(book, progress)
        model = read(surface, strict=False)
        progress("正在校验 …")
        result = jobs.check_and_mark(surface, model)
        progress("正在标记 …")
        surface.apply(result.plan)
        return result.summary()

    return session.run(_caller(book), work, start="正在校验 …")


def clear_marks(book=None) -> str:
    """清除标记: take the marks off, the user's own fills and notes back."""
    def work(book, progress):
        surface = XlwingsSurface(book, progress)
        result = jobs.clear(surface)
        surface.apply(result.plan)
        return result.summary()

    return session.run(_caller(book), work, start="正在清除标记 …")


def new_template(book=None) -> str:
    """新建模板: a blank template for next year beside this workbook, opened in Excel."""
    def work(book, progress):
        done = jobs.next_template(XlwingsSurface(book, progress), book.name, jobs.folder_of(book.fullname))
        try:
            book.app.books.open(str(done.written[0]))
        except session.UNSUPPORTED:
            pass
        return done.message

    return session.run(_caller(book), work, start="正在生成模板 …")


def export_files(book=None) -> str:
    """导出: the clean tables (.xlsx and PDF) into a folder 公开文件 beside the workbook."""
    return session.run(_caller(book), lambda book, progress: _export(book, progress, eml=False),
                       start="正在导出 …")


def email_draft(book=None) -> str:
    """邮件草稿: export, and an e-mail draft (.eml) with the files attached."""
    return session.run(_caller(book), lambda book, progress: _export(book, progress, eml=True),
                       start="正在生成邮件草稿 …")


def write_narrative(book=None) -> str:
    """生成情况说明: the 情况说明 (.docx) from the tables and the 基本情况 sheet, beside the workbook."""
    def work(book, progress):
        surface = XlwingsSurface(book, progress)
        model = read(surface)
        progress("正在生成情况说明 …")
        return jobs.narrative_beside(surface, model, _saved_path(book)).message

    return session.run(_caller(book), work, start="正在生成情况说明 …")


def _export(book, progress, *, eml: bool) -> str:
    from workbook import office

    path = _saved_path(book)
    progress("正在检查并导出 …")
    result = jobs.publish_beside(path, eml=eml)
    if result.written and office.find_soffice() is None:  # no LibreOffice: Excel prints the PDF
        xlsx = result.written[0]
        if _excel_pdf(book.app, xlsx, xlsx.with_suffix(".pdf")):
            return result.message + f"另由 Excel 打印了 {xlsx.with_suffix('.pdf').name}。"
    return result.message


def _excel_pdf(app, xlsx: Path, pdf: Path) -> bool:
    """Print the exported workbook to PDF with Excel itself (no LibreOffice on the desktop)."""
    try:
        published = app.books.open(str(xlsx))
        try:
            published.to_pdf(str(pdf))
        finally:
            published.close()
        return True
    except Exception:
        return False


def _saved_path(book) -> Path:
    """Export reads the file (its look is copied), so the workbook must be saved as it is shown."""
    try:
        saved = book.api.Saved
    except Exception:
        saved = True  # an engine that cannot say: the file on disk is what is exported
    return jobs.saved_workbook(book.fullname, book.name, saved)
