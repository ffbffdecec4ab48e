"""The narrative jobs, on workbooks already read: what the command line, the Excel add-in's
生成情况说明 button and a local web service call. They return data and write no file.

    result = narrative(book, prior, info=sheet.read(grid))   # grid: the one read of the workbook
    result.docx_bytes(), result.placeholders, result.figures, result.report
    report = check(paragraphs, book, prior, info=info, path=Path("情况说明.docx"))
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..checks import Report
from ..errors import BudgetbookError
from ..model import Book
from . import claims, word
from .compose import Blank, Para, Verify, compose
from .facts import SANGONG_PARTS, Facts, Prior
from ..info import Info
from .rules import NarrativeContext, run


@dataclass
class NarrativeResult:
    dept: str
    year: int
    paragraphs: list[Para]
    placeholders: list[Blank]  # in text order, each with the cell to type it in
    figures: dict[str, Decimal | int]  # the main figures the text states, by facts key
    report: Report  # the text checked against the workbook it came from (N.* rules)
    sources: tuple = ()  # (book, prior, info) it was written from: what a written copy is checked against

    @property
    def to_check(self) -> list[Blank]:
        """The 【请核对】 among the placeholders: figures the tables contradict."""
        return [b for b in self.placeholders if isinstance(b, Verify)]

    def unfinished(self) -> str:
        """"2 处需要填写、1 处需要核对" (empty when the text is finished)."""
        checks = len(self.to_check)
        fills = len(self.placeholders) - checks
        return "、".join(x for x in (f"{fills} 处需要填写" if fills else "", f"{checks} 处需要核对" if checks else "") if x)

    @property
    def title(self) -> str:
        return f"{self.dept}{self.year}年部门预算公开情况说明"

    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs) + "\n"

    def document(self):
        """A python-docx Document (save it, or show it)."""
        return word.document(self.paragraphs, title=self.title, author=self.dept)

    def docx_bytes(self) -> bytes:
        return word.to_bytes(self.document())

    def recheck(self, paragraphs: list[str], path: Path | None = None) -> Report:
        """A written copy of this text (its paragraphs as read back) checked as the text itself was."""
        book, prior, info = self.sources
        return _own(check(paragraphs, book, prior, info=info, path=path))


def _context(paragraphs: list[str], book: Book, prior: Book | None, info: Info | None) -> NarrativeContext:
    if not book.dept or not book.year:
        raise BudgetbookError(f"{book.path} 无法从表格标题中识别部门名称和年度（应为“某某部门2024年……”），无法写情况说明。")
    if prior is not None and prior.dept and prior.dept != book.dept:
        raise BudgetbookError(f"{prior.path} 是“{prior.dept}”的预算，不是“{book.dept}”的；--prior 应为本部门上一年度的工作簿。")
    if prior is not None and prior.year != book.year - 1:
        raise BudgetbookError(f"{prior.path} 是 {prior.year} 年的预算，不是 {book.year - 1} 年的；--prior 应为上一年度的工作簿。")
    source = f"上年工作簿 {prior.path.name}" if prior is not None else "基本情况表的上年预算数"
    return NarrativeContext(claims.read(paragraphs, vocabulary(book)), Facts(book, info), Prior(prior, info),
                            book.year, source)


def vocabulary(book: Book) -> claims.Vocabulary:
    """The units a text may name (also without the place name they share with the department:
    "第一中学" for 某县第一中学) and the functional names, the catalogue's and else 表六's own."""
    from os.path import commonprefix

    from .. import catalog
    from ..reader import squeeze

    units: dict[str, str] = {}
    dept = squeeze(book.dept or "")
    for table in ("T3", "T5"):
        for row in book.tables[table].rows if table in book.tables else ():
            name = squeeze(row.label or "")
            if row.kind != "unit" or not name or name == dept:  # the department's own name is the department's
                continue
            units.setdefault(name, name)
            short = name[len(commonprefix([name, dept])):]
            if len(short) >= 3 and short != name:
                units.setdefault(short, name)
    names = {r.code: squeeze(r.label or "") for r in book.tables["T6"].rows
             if r.kind == "code" and r.code and r.label} if "T6" in book.tables else {}
    return claims.Vocabulary(units, names | dict(catalog.functional(book.year).names))


def check(paragraphs: list[str], book: Book, prior: Book | None = None, *, info: Info | None = None,
          path: Path | None = None) -> Report:
    """A written 情况说明 (its paragraphs, see extract.paragraphs) against the workbook."""
    ctx = _context(paragraphs, book, prior, info)
    report = Report(Path(path) if path else book.path)
    report.findings = run(ctx)
    report.coverage = ctx.coverage()
    return report


def narrative(book: Book, prior: Book | None = None, *, info: Info | None = None) -> NarrativeResult:
    """The 情况说明 of a workbook; `prior` is last year's workbook, `info` its 基本情况 sheet."""
    info = info or Info(found=False)
    ctx = _context([], book, prior, info)
    paras = compose(ctx.facts, ctx.prior, info)
    report = _own(check([p.text for p in paras], book, prior, info=info))
    facts = ctx.facts
    keys = ["total", "income_total", "spend_total", "spend_basic", "spend_project", "spend_carry", "gp_total",
            "basic", "project", "personnel", "public", "sangong", *SANGONG_PARTS, "meeting", "training", "running"]
    figures: dict[str, Decimal | int] = {k: facts.value(k) for k in keys}
    figures.update({f"item:{code}": value for code, value in facts.items()})
    figures["projects"] = len(facts.projects())
    return NarrativeResult(book.dept, book.year, paras, [b for p in paras for b in p.blanks], figures, report,
                           (book, prior, info))


def _own(report: Report) -> Report:
    """Our own 【请填写】/【请核对】 are listed as placeholders, not again as findings; amounts of our own
    text that no table has come from the notes typed on the 基本情况 sheet (N.unplaced is for a text
    someone else wrote)."""
    report.findings = [f for f in report.findings if f.rule not in ("N.unfinished", "N.unplaced")]
    return report
