"""The rule catalogue and the runner: `run(book)` gives a Report of every finding."""
from __future__ import annotations

from ..catalog import Catalog, economic, functional, merged
from ..model import Book
from ..profiles import PROFILES
from ..runtime import no_cycle_collection
from . import arithmetic, codes, cross, form, performance, suggest  # noqa: F401  (each registers its rules)
from .base import REGISTRY, Context, Finding, Place, Rule
from .report import Report

__all__ = ["REGISTRY", "Context", "Finding", "Place", "Report", "Rule", "run"]


def run(book: Book, *, catalog: Catalog | None = None) -> Report:
    """Check a workbook; `catalog` is a finance bureau's code list that overrides the bundled one."""
    report = Report(book.path, sheet_of={t.sheet: t.spec.sheet for t in book.tables.values()},
                    dept=book.dept, year=book.year)
    with no_cycle_collection():
        ctx = Context(book, economic=economic(book.year), functional=functional(book.year))  # the year's edition
        if catalog is not None:
            ctx.economic = merged(ctx.economic, _part(catalog, ctx.economic))
            ctx.functional = merged(ctx.functional, _part(catalog, ctx.functional))
        profile = PROFILES[book.profile]
        for rule in REGISTRY:
            if rule.reads == "book" and profile.runs(rule):
                report.findings.extend(rule().check(ctx))
        report.findings = form.Layout.one_cause(book, report.findings, {r.id: r for r in REGISTRY})
        del ctx  # its relations and indexes (a large department's 300,000 tuples) go before the collector resumes
    if book.words:  # a PDF: its cells named by page, table, row and column
        report.findings = [_in_words(f, book.words) for f in report.findings]
    return report


def _in_words(finding: Finding, words: dict[tuple[str, str], str]) -> Finding:
    places = tuple(Place(p.sheet, words.get((p.sheet, p.cell), p.cell)) for p in finding.places)
    message = finding.message
    for p in finding.places:  # a message naming its own cell as 表十二!B4
        if (p.sheet, p.cell) in words:
            message = message.replace(f"{p.sheet}!{p.cell}", f"{p.sheet} {words[(p.sheet, p.cell)]}")
    return finding._replace(places=places, message=message)


def _part(bureau: Catalog, like: Catalog) -> Catalog:
    """The codes of a bureau's list that belong to the same classification as `like`."""
    economic_codes = next(iter(like.names)).startswith("3")
    names = {c: n for c, n in bureau.names.items() if c.startswith("3") == economic_codes}
    return Catalog(names, bureau.edition, bureau.source, bureau.complete and bool(names))
