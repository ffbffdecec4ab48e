"""The ribbon's buttons, declared once, and what each one runs.

No Excel or xlwings import: the Excel add-in's customUI (addin/ribbon.py) and its VBA callback,
WPS's ribbon.xml (addin/wps/ribbon.py), the Excel dispatch (macros_py) and the service's
/api/button/{key} (serve/buttons.py) are all generated from or checked against this list. `icon`
is a built-in Office imageMso name (WPS draws its own: addin/wps/images/KEY.svg).

A press is `press(key, surface)`: jobs.run reads the surface's tables as the button says, runs the
button's job, carries the plan out on the surface and saves or leaves it as shown; the front door
shows the Outcome its own way (a dialog in Excel, JSON for WPS).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import jobs

if TYPE_CHECKING:
    from .checks.report import Report
    from .model import Book
    from .plan import Plan
    from .surfaces.surface import Surface

TAB_ID = "budgetbookTab"
TAB_LABEL = "预算公开"


@dataclass
class Outcome:
    """What a press did: the one sentence the user is told, and what a front door may show more."""

    message: str
    status: int = 0  # as the command line's exit status: 1 when error findings stopped or remain
    plan: Plan | None = None  # carried out on the surface by jobs.run
    report: Report | None = None  # the findings, for a button that checks
    written: list[Path] = field(default_factory=list)  # files written beside the workbook


@dataclass(frozen=True)
class Button:
    key: str  # the ribbon passes it to macros_py.dispatch and /api/button/KEY; ASCII, it travels through VBA
    label: str
    icon: str
    screentip: str
    supertip: str
    job: Callable[..., Outcome]  # job(surface, book) -> Outcome
    reads: str | None  # the tables read before the job (jobs.run): "strict", "loose" or None
    start: str  # what Excel's status bar says while it runs


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    buttons: tuple[Button, ...]


# --- the jobs behind the buttons -------------------------------------------------------------


def _new(surface: Surface, book: None) -> Outcome:
    """A blank template for next year beside the workbook (or in the home folder), shown."""
    done = jobs.next_template(surface, surface.name, surface.folder())
    surface.open(done.written[0])
    return Outcome(done.message, written=done.written)


def _build(surface: Surface, book: Book) -> Outcome:
    """The tables from the ledgers in 明细 beside the workbook, as a new workbook, shown; the
    department and year from this workbook's titles when it has them."""
    surface.progress("正在读取明细并生成…")
    done = jobs.build_beside(surface.folder(), book.dept, book.year)
    if done.written:
        surface.open(done.written[0])
    return Outcome(done.message, done.status, written=done.written)


def _fill(surface: Surface, book: Book) -> Outcome:
    result = jobs.fill(book)
    surface.progress("正在写入合计…")
    return Outcome(result.summary(), plan=result.plan)


def _check(surface: Surface, book: Book) -> Outcome:
    surface.progress("正在校验…")
    result = jobs.check_and_mark(surface, book)
    surface.progress("正在标记…")
    return Outcome(result.summary(), 1 if result.report.errors else 0, result.plan, result.report)


def _clear(surface: Surface, book: None) -> Outcome:
    result = jobs.clear(surface)
    return Outcome(result.summary(), plan=result.plan)


def _publish(surface: Surface, *, eml: bool) -> Outcome:
    """Export reads the saved file (its look is copied); without LibreOffice the host may print
    the PDF itself."""
    from . import office

    path = surface.saved_file()
    surface.progress("正在检查并导出…")
    done = jobs.publish_beside(path, eml=eml)
    message = done.message
    if done.written and office.find_soffice() is None:
        xlsx = done.written[0]
        if surface.print_pdf(xlsx, xlsx.with_suffix(".pdf")):
            message += f"另由 Excel 打印了 {xlsx.with_suffix('.pdf').name}。"
    return Outcome(message, done.status, written=done.written)


def _export(surface: Surface, book: None) -> Outcome:
    return _publish(surface, eml=False)


def _email(surface: Surface, book: None) -> Outcome:
    return _publish(surface, eml=True)


def _narrative(surface: Surface, book: Book) -> Outcome:
    path = surface.saved_file()
    surface.progress("正在生成情况说明…")
    done = jobs.narrative_beside(surface, book, path)
    return Outcome(done.message, done.status, written=done.written)


GROUPS: tuple[Group, ...] = (
    Group("groupTemplate", "模板", (
        Button("new", "新建模板", "FileNew",
               "新建预算公开模板",
               "新建一份空白的 12 张部门预算公开表，浅蓝色单元格由您填写，灰色合计由程序计算。",
               _new, None, "正在生成模板…"),
        Button("build", "从明细生成", "ImportExcel",
               "从预算系统明细生成公开表",
               "读取本工作簿旁“明细”文件夹中预算系统导出的明细表，生成 12 张表（万元，尾差已调整），另存为新工作簿并打开。",
               _build, "loose", "正在从明细生成…"),
    )),
    Group("groupCompute", "计算", (
        Button("fill", "填充合计", "AutoSum",
               "计算全部合计数",
               "按各表之间的取数关系计算所有灰色合计单元格，您填写的浅蓝色单元格不会被改动。",
               _fill, "strict", "正在填写合计…"),
    )),
    Group("groupCheck", "校验", (
        Button("check", "校验并标记", "ErrorChecking",
               "校验勾稽关系并标出问题",
               "检查表内合计、表间勾稽关系和科目编码，把错误标成红色、警告标成黄色并加批注，明细列在「校验结果」表。",
               _check, "loose", "正在校验…"),
        Button("clear", "清除标记", "ClearFormats",
               "清除校验标记",
               "去掉校验留下的颜色、批注和「校验结果」表，恢复您原有的底色和批注。",
               _clear, None, "正在清除标记…"),
    )),
    Group("groupOutput", "输出", (
        Button("export", "导出", "FileSaveAsPdfOrXps",
               "导出公开文件",
               "生成只含 12 张表、纯数值、无批注和宏的公开版 Excel 文件和 PDF；仍有错误时不导出。",
               _export, None, "正在导出…"),
        Button("email", "邮件草稿", "FileSendAsAttachment",
               "生成报送邮件草稿",
               "把导出的公开文件作为附件生成一封邮件草稿，核对后即可发送给财政局。",
               _email, None, "正在生成邮件草稿…"),
        Button("narrative", "生成情况说明", "FileDocumentInspect",
               "生成部门预算情况说明",
               "根据各表数据起草部门预算公开的情况说明文字，供您核对和修改。",
               _narrative, "strict", "正在生成情况说明…"),
    )),
)

BUTTONS: tuple[Button, ...] = tuple(b for g in GROUPS for b in g.buttons)


def button(key: str) -> Button:
    """The button with this key; ValueError names the known keys."""
    for b in BUTTONS:
        if b.key == key:
            return b
    known = ", ".join(b.key for b in BUTTONS)
    raise ValueError(f"unknown ribbon button key {key!r}; known keys: {known}")


def press(key: str, surface: Surface) -> Outcome:
    """Run the button `key` on a surface (read → job → apply → save or stay as shown)."""
    b = button(key)
    return jobs.run(surface, b.job, reads=b.reads)
