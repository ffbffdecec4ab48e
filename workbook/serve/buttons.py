"""What each ribbon button does for the WPS add-in: the jobs, on a workbook snapshot.

The Excel ribbon's handlers (macros_py.handlers) read the open workbook through xlwings; here the
add-in has already read it (serve.snapshot) and gets back the plan as actions
(surfaces.actions). Each function takes the request's JSON and returns a Reply; the keys are the
button keys of macros_py/buttons.py, so the one button list drives both ribbons.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import jobs
from ..errors import BudgetbookError
from ..reader import read
from ..surfaces.actions import actions
from .snapshot import Snapshot


@dataclass
class Reply:
    """What the add-in gets: an exit-equivalent status (0 done, 1 error findings remain or export
    refused, 2 bad input), one closing sentence, and the actions, or the cells to look at first."""

    status: int = 0
    message: str = ""
    actions: list[dict] = field(default_factory=list)
    need: dict[str, list[str]] | None = None
    findings: list[dict] | None = None
    open: str | None = None  # a workbook the add-in should open (新建模板)

    def to_json(self) -> dict:
        out = {"status": self.status, "message": self.message, "actions": self.actions}
        for key in ("need", "findings", "open"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def _needs(book: Snapshot) -> Reply | None:
    return Reply(message="需要读取部分单元格的底色和合并区域。", need=book.needed) if book.needed else None


def fill_totals(data) -> Reply:
    book = Snapshot(data)
    result = jobs.fill(read(book))
    return Reply(message=result.summary(), actions=actions(result.plan, book))


def check_and_mark(data) -> Reply:
    book = Snapshot(data)
    result = jobs.check_and_mark(book, read(book, strict=False))
    return _needs(book) or Reply(status=1 if result.report.errors else 0, message=result.summary(),
                                 actions=actions(result.plan, book),
                                 findings=[f.to_dict() for f in result.report.findings])


def clear_marks(data) -> Reply:
    book = Snapshot(data)
    result = jobs.clear(book)
    return _needs(book) or Reply(message=result.summary(), actions=actions(result.plan, book))


def new_template(data) -> Reply:
    """A blank template for next year beside the workbook (or in the home folder); the add-in
    opens it."""
    from ..content import blank
    from ..grid import save_atomic

    book = Snapshot(data)
    dept, year = _department(book)
    folder = _folder(book)
    out = _free_name(folder / f"{dept}{year}年部门预算公开表.xlsx")
    save_atomic(jobs.new(blank(dept, year)), out)
    return Reply(message=f"已生成 {year} 年空白模板：{out}", open=str(out))


def export_files(data) -> Reply:
    return _export(data, eml=False)


def email_draft(data) -> Reply:
    return _export(data, eml=True)


def write_narrative(data) -> Reply:
    from ..narrative.publish import file_name, write_docx

    book = Snapshot(data)
    folder = _saved(book).parent / "公开文件"
    model = read(book)
    result = jobs.narrative(book, model)
    folder.mkdir(exist_ok=True)
    out = write_docx(result, folder / f"{file_name(model)}.docx")
    message = f"已生成 {out}。"
    if result.placeholders:
        message += f"文中尚有 {len(result.placeholders)} 处【请填写：…】，请在“基本情况”表中填写后重新生成。"
    if result.report.errors:
        message += f"说明与表格核对有 {len(result.report.errors)} 处不一致，请用 budgetbook narrative 查看。"
    return Reply(status=1 if result.report.errors else 0, message=message)


def _export(data, *, eml: bool) -> Reply:
    """Export reads the saved file (its look is copied), as the Excel add-in does."""
    from .. import office
    from ..export import ExportRefused
    from ..grid import OpenpyxlGrid

    path = _saved(Snapshot(data))
    outdir = path.parent / "公开文件"
    outdir.mkdir(exist_ok=True)
    try:
        result = jobs.export(OpenpyxlGrid(path), outdir, pdf=office.find_soffice() is not None, eml=eml,
                             overwrite=True)
    except ExportRefused as refused:
        return Reply(status=1, message=f"仍有 {len(refused.errors)} 处错误，未导出任何文件；"
                                       f"请先点「校验并标记」查看并修正，再导出。")
    names = "、".join(p.name for p in result.written)
    return Reply(message=f"已导出到 {outdir}：{names}（同名旧文件已替换）。" + "".join(result.warnings))


def _saved(book: Snapshot) -> Path:
    """The workbook's file, which must be saved as it is shown."""
    path = Path(book.full_path) if book.full_path else None
    if path is None or not path.is_absolute() or not path.is_file():
        raise BudgetbookError(f"工作簿“{book.name}”还没有保存到磁盘，请先保存（Ctrl+S），再导出。")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise BudgetbookError(f"{path.name} 不是 .xlsx 工作簿；请在 WPS 中另存为 .xlsx（Excel 工作簿）后再试。")
    if not book.saved:
        raise BudgetbookError(f"{path.name} 有未保存的修改，请先保存（Ctrl+S），再导出。")
    return path


def _department(book: Snapshot) -> tuple[str, int]:
    """Department and next year from this workbook's titles; else from its name and the date."""
    try:
        model = read(book, strict=False)
        if model.dept and model.year:
            return model.dept, model.year + 1
    except BudgetbookError:
        pass
    return Path(book.name).stem or "某部门", _dt.date.today().year + 1


def _folder(book: Snapshot) -> Path:
    folder = Path(book.full_path).parent if book.full_path else None
    return folder if folder is not None and folder.is_absolute() and folder.is_dir() else Path.home()


def _free_name(path: Path) -> Path:
    """Never overwrite: 名称.xlsx, 名称（2）.xlsx, …"""
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}（{n}）{path.suffix}")
    return candidate
