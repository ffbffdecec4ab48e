"""Catalogue help: the code a mistyped 款/项 was meant to be, and the catalogue edition in use.

C.suggest and C.code-known share the unknown codes: a well-formed 款/项 code that is not in the
catalogue, under a 类/款 that is, and whose name is a catalogued code's name (Catalog.suggest) is
C.suggest's, with the code to type instead; C.code-known skips it, so the cell gets one finding,
not "未在目录中" and a suggestion beside it. The severity follows what is known of the code: an
error where the catalogue is complete (经济分类, or a finance bureau's list), since the code is
then certainly not valid, and a warning against the partial bundled functional list, where it
may be a code the list lacks. Every other unknown code stays C.code-known's.
"""
from __future__ import annotations

from .. import catalog
from ..catalog import Catalog, normalize_code
from .base import Context, Rule, register
from .codes import catalog_of, code_place, labelled, well_coded, well_formed, zero_part
from .form import title_place
from .rows import item_rows, label_place


def suggestion(ctx: Context, table, row) -> tuple[Catalog, str] | None:
    """(catalogue, suggested code) for a row C.suggest reports; None for any other row."""
    if row.kind == "item":
        code = normalize_code(row.code)
        if not code or zero_part(code):
            return None  # C.t9-item, C.code-as-number
        cat = ctx.economic
    else:
        if not well_formed(row.code, table):
            return None
        code, cat = row.code, catalog_of(ctx, table)
    found = cat.suggest(code, row.label)
    return (cat, found) if found else None


@register
class CodeSuggest(Rule):
    id = "C.suggest"
    title = "未在目录中的科目编码：按科目名称推荐正确编码"
    severity = "warning"  # an error where the catalogue is complete (经济分类, a bureau's list)
    also = {"error": "所用目录完整，如经济分类科目或导入的科目表"}
    tables = ("T6", "T7", "T10", "T11", "T9")
    template = "科目编码 {actual} 不在目录中，名称“{name}”对应 {meant}，是否应为 {expected}？"

    def check(self, ctx: Context):
        for table, row in [*well_coded(ctx), *item_rows(ctx)]:  # a malformed code is C.code-format's
            if row.kind == "code" and row.code in catalog_of(ctx, table).names:
                continue  # a catalogued code: nothing to suggest (the usual case, told at once)
            found = suggestion(ctx, table, row)
            if found is None:
                continue
            cat, code = found
            place = label_place(table, row) if row.kind == "item" else code_place(table, row)
            yield self.finding([place], severity="error" if cat.complete else "warning",
                               expected=code, actual=normalize_code(row.code), name=row.label.strip(),
                               meant=labelled(code, cat.name(code)))


@register
class CatalogEdition(Rule):
    id = "C.edition"
    title = "工作簿年度应有对应年度的内置科目目录"
    severity = "warning"
    tables = ("T1",)
    template = ("本工具内置 {editions} 年政府收支分类科目目录，工作簿年度为 {actual} 年，按 {expected} 年目录校验；"
                "科目编码和名称以财政部门下发的 {actual} 年目录为准，可用 --catalog 导入")

    def check(self, ctx: Context):
        year = ctx.book.year
        if year is None or catalog.covers(year) or not ctx.book.tables:
            return
        if ctx.functional.source != catalog.functional(year).source:
            return  # a finance bureau's list is layered over the bundled one: it is the year's
        first = next(iter(ctx.book.tables.values()))
        yield self.finding([title_place(first)], expected=catalog.edition_for(year), actual=str(year),
                           editions="、".join(catalog.EDITIONS))
