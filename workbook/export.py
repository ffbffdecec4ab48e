"""Export the finished tables for publication: a clean .xlsx, optionally a PDF and an e-mail draft.

What leaves the office is rebuilt, not cleaned up: a new workbook receives the 12 tables only
(named 表一…表十二, in order) with plain values, merges, widths, heights, borders, fonts, number
formats and the print set-up. Everything else stays behind by construction: formulas, comments,
highlight fills and the 校验结果 / hidden marks sheets of workbook.marks, VBA (an .xlsm gives an
.xlsx), external links, defined names, data validations, conditional formats, hyperlinks, images.
Copying and then deleting would have to know every kind of leftover; rebuilding needs to know none.

Published look: black on white. Every fill is dropped (the mark colours FFC7CE/FFEB9C, and also
the template's input blue and derived grey, which are working aids, not part of the published
table) and every font colour is reset to automatic (black). Borders, bold, sizes and alignment stay.
The template's named styles (bb-*) are carried over without their fills, so the style names
still work when the published file is opened.

Print set-up is the template's for every sheet: A4 landscape, one page wide, centred, the sheet's
repeated title rows (as found, else the table's header rows) and the footer 第 &P 页 共 &N 页.
Margins and a print area are kept as found (without one, the print area is the table's columns
down to its last filled row). Hidden rows and columns stay hidden only when empty; a hidden row
with numbers would make the printed totals not add up.

What the published tables look like on paper is decided in workbook.export_layout, from the Book
that was read: blank or 0.00 line by line as the reference prints it, unused reserved rows left
out (the rows below move up), explicit row heights, and where the pages break (fit to one page,
or a fixed scale with manual breaks chosen by workbook.pages: no page with only totals, only the
备注 line or one widowed row; 表十二 blocks kept whole). The working workbook is not touched.

The figures checked are the figures published: both come from one OpenpyxlGrid read (a formula
cell reads as the result Excel saved with it). A formula without a saved result (a file written
by a program and never opened in Excel) is refused in a money cell rather than published blank,
and a formula whose saved result is an error (#DIV/0!) is refused anywhere in the tables.
"""
from __future__ import annotations

import os
import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, MergedCell
from openpyxl.styles import NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.merge import MergedCellRange

from . import checks, export_layout, mail, office, publication, spec, styles
from .checks import Report
from .checks.report import finding_line
from .errors import BudgetbookError
from .grid import OpenpyxlGrid, check_xlsx, formula_text, save_atomic
from .model import Book
from .money import to_amount
from .reader import read
from .template import FOOTER, page_setup

__all__ = ["ExportRefused", "PublicationDiffers", "ExportResult", "export", "export_name", "BAD_NAME_CHARS"]

BAD_NAME_CHARS = '/\\:*?"<>|'

# mkstemp creates 0600 files; a published file should get the usual permissions.


class ExportRefused(Exception):
    """Error-severity findings remain: nothing was written. The command line exits with status 1.

    Not a BudgetbookError (status 2): the input is readable and the environment is fine; the
    tables themselves are not ready, and `text()` lists why.
    """

    exit_code = 1

    def __init__(self, report: Report):
        self.report = report
        self.errors = report.errors
        super().__init__(
            f"{report.path} 仍有 {len(self.errors)} 处错误，未导出任何文件；"
            "请修正后再导出，或加 --force 强制导出。"
        )

    def text(self) -> str:
        """The error findings, one per line, then the sentence saying nothing was exported."""
        return "\n".join([*(finding_line(f) for f in self.errors), str(self)])


class PublicationDiffers(BudgetbookError):
    """The exported workbook, read back and checked, does not give its source's findings (see
    workbook.publication): nothing is published (the file is removed). A bug of budgetbook's own
    export, so exit status 3, with the differing findings named."""

    exit_code = 3

    def __init__(self, xlsx: Path, lines: list[str]):
        self.lines = lines
        shown = "；".join(lines[:5]) + (f"；另有 {len(lines) - 5} 处" if len(lines) > 5 else "")
        super().__init__(f"导出的 {xlsx.name} 经复核与原工作簿的校验结果不一致（{shown}），已删除，未导出任何文件；"
                         "这是 budgetbook 的问题，请把原工作簿和这段信息报告给我们。")


@dataclass
class ExportResult:
    xlsx: Path
    report: Report
    forced: bool  # error findings remained and --force exported anyway
    pdf: Path | None = None
    eml: Path | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. no LibreOffice: no PDF
    narrative: list[Path] = field(default_factory=list)  # --narrative: the 情况说明 .docx (and .pdf)

    @property
    def written(self) -> list[Path]:
        return [p for p in (self.xlsx, self.pdf, *self.narrative, self.eml) if p is not None]

    def lines(self) -> list[str]:
        """What the command line prints after a successful export."""
        out = []
        if self.forced:
            out += [finding_line(f) for f in self.report.errors]
            out.append(f"注意：工作簿仍有 {len(self.report.errors)} 处错误，已按 --force 强制导出。")
        out += self.warnings
        out += [f"已导出 {p}" for p in self.written]
        return out


def export_name(dept: str | None, year: int | None) -> str:
    """File name without extension: {部门}{年度}年部门预算公开表; refuses what no OS accepts."""
    if not dept or not year:
        raise BudgetbookError("无法从表格标题中识别部门名称和年度（应为“某某部门2024年……”），无法确定导出文件名。")
    bad = "".join(dict.fromkeys(ch for ch in dept if ch in BAD_NAME_CHARS or ord(ch) < 32))
    if bad:
        shown = " ".join(repr(ch)[1:-1] if ord(ch) < 32 else ch for ch in bad)
        raise BudgetbookError(
            f"部门名称“{dept}”含有文件名中不允许的字符 {shown}，无法生成导出文件名；"
            "请修改各表标题中的部门名称后再导出。"
        )
    return f"{dept}{year}年部门预算公开表"


def export(
    src: Path,
    outdir: Path,
    *,
    pdf: bool = False,
    eml: bool = False,
    force: bool = False,
    overwrite: bool = False,
    sender: str | None = None,
    to: list[str] | None = None,
    narrative: bool = False,
) -> ExportResult:
    """Check `src` and write the publication files into `outdir`.

    Files from an earlier export are replaced only with `overwrite` (someone may have edited them).
    Raises ExportRefused (exit 1) when error findings remain and not `force`; BudgetbookError
    (exit 2) for unreadable input, a bad output folder or name, or a LibreOffice failure (the
    .xlsx written before the PDF stays; the error's `written` lists it).
    """
    src, outdir = Path(src), Path(outdir)
    check_xlsx(src)
    _check_outdir(outdir)  # before the slow part: a wrong folder is known at once
    # styles for publishing; formulas read as their saved results
    return export_grid(OpenpyxlGrid(src), outdir, pdf=pdf, eml=eml, force=force, overwrite=overwrite,
                       sender=sender, to=to, narrative=narrative)


def export_grid(grid: OpenpyxlGrid, outdir: Path, *, pdf: bool = False, eml: bool = False,
                force: bool = False, overwrite: bool = False, sender: str | None = None,
                to: list[str] | None = None, narrative: bool = False) -> ExportResult:
    """`export` of a workbook already read with openpyxl (the jobs layer's export)."""
    src, outdir = grid.path, Path(outdir)
    _check_outdir(outdir)
    book = read(grid)
    shown = {table.sheet: grid.rows(table.sheet) for table in book.tables.values()}
    uncached, broken = _formulas(grid, shown)

    name = export_name(book.dept, book.year)
    xlsx = outdir / f"{name}.xlsx"
    pdf_path, eml_path = outdir / f"{name}.pdf", outdir / f"{name}.eml"
    for target in (xlsx, pdf_path, eml_path):
        if _same_file(target, src):
            raise BudgetbookError(f"导出文件 {target} 就是输入文件本身，导出不会覆盖输入；请换一个输出文件夹。")
    # --narrative: the 情况说明 (workbook/narrative) beside the tables, with its PDF when there is one
    from .narrative import publish

    texts = publish.targets(book, outdir, pdf and office.find_soffice() is not None) if narrative else []
    for target in (xlsx, *([pdf_path] if pdf else []), *texts, *([eml_path] if eml else [])):
        if target.exists() and not overwrite:
            raise BudgetbookError(f"导出文件 {target} 已存在；如需用这次导出替换它，请加 --overwrite。")
    _refuse_formulas(book, uncached, broken)

    report = checks.run(book)
    if report.errors and not force:
        raise ExportRefused(report)

    outdir.mkdir(exist_ok=True)  # only now: a refused export leaves nothing behind
    save_atomic(_published(book, grid.book, shown), xlsx)
    _, differ = publication.recheck(xlsx, report)
    if differ:
        xlsx.unlink(missing_ok=True)
        raise PublicationDiffers(xlsx, differ)
    result = ExportResult(xlsx=xlsx, report=report, forced=bool(report.errors))

    if pdf:
        if office.find_soffice() is None:
            # An older PDF in the folder would now disagree with the new .xlsx: say so.
            stale = f"，文件夹中原有的 {pdf_path.name} 是旧版本" if pdf_path.exists() else ""
            result.warnings.append(
                f"未找到 LibreOffice，未生成 PDF（表格已导出{stale}）；如需 PDF，请先运行 {office.INSTALL_HINT}。"
            )
        else:
            try:
                result.pdf = office.to_pdf(xlsx, pdf_path)
            except BudgetbookError as exc:
                error = BudgetbookError(f"{str(exc).rstrip('。')}；{xlsx.name} 已导出，未生成 PDF 和邮件草稿。")
                error.written = [xlsx]
                raise error from None
    if narrative:
        result.narrative, notes = publish.beside_tables(book, grid, outdir, pdf=len(texts) > 1)
        result.warnings += notes
    if eml:
        attachments = [p for p in (result.xlsx, result.pdf, *result.narrative) if p is not None]
        body = mail.draft_body(book.dept, book.year, [p.name for p in attachments])
        draft = mail.build_draft(name, body, attachments, sender=sender, to=to)
        result.eml = mail.write_eml(draft, eml_path)
    return result


# --- reading -------------------------------------------------------------------------------------


def _formulas(grid: OpenpyxlGrid, shown: dict[str, list[list[object]]]) -> tuple[list, list]:
    """Formula cells of the table sheets without a saved result, and those whose result is an error.

    The grid reads a formula cell as the result Excel saved with it, or as its formula text when
    there is none (a file written by a program such as openpyxl and never saved by Excel). That
    text is published as text in a text cell (an indicator value "=100%" written by a program, as
    templates before 5c0810f did, is stored as a formula); in a money cell export refuses (see
    _refuse_formulas). `shown` is what the grid read, by sheet.
    """
    uncached, broken = [], []
    for ws in grid.book.worksheets:  # workbook order, as the messages list them
        for r, row in enumerate(shown.get(ws.title, ()), 1):
            for c, value in enumerate(row, 1):
                if not isinstance(value, str) or not (value.startswith("=") or value in ERROR_CODES):
                    continue
                cell = ws.cell(r, c)
                if cell.data_type != "f":
                    continue
                if value == formula_text(cell.value):  # the grid's reading of a formula with no result
                    uncached.append((ws.title, cell.coordinate))
                elif value in ERROR_CODES:
                    broken.append((ws.title, cell.coordinate, value))
    return uncached, broken


def _refuse_formulas(book: Book, uncached, broken) -> None:
    """A number must come with its last result: without one the published cell would be wrong."""
    money = {(t.sheet, row.addr(col)) for t in book.tables.values() for row in t.rows for col in row.values}
    blank = [f"{sheet}!{addr}" for sheet, addr in uncached if (sheet, addr) in money]
    if blank:
        raise BudgetbookError(
            f"{book.path} 中 {_some(blank)} 是公式但文件里没有保存计算结果（文件由程序生成后未在 Excel 中保存过），"
            "无法导出数值；请先在 Excel、WPS 或 LibreOffice 中打开并保存一次，再导出。"
        )
    sheets = {t.sheet for t in book.tables.values()}
    errors = [f"{sheet}!{addr}（{code}）" for sheet, addr, code in broken if sheet in sheets]
    if errors:
        raise BudgetbookError(f"{book.path} 中 {_some(errors)} 的公式计算出错，不能发布；请改正公式后再导出。")


def _some(cells: list[str]) -> str:
    return "、".join(cells) if len(cells) <= 3 else f"{'、'.join(cells[:3])} 等 {len(cells)} 个单元格"


# --- the published workbook --------------------------------------------------------------------


def _published(book: Book, source, shown: dict[str, list[list[object]]]) -> Workbook:
    out = Workbook()
    out.remove(out.active)
    plain_styles = _plain_named_styles(out)
    # Numbers stored as text become numbers: the published table must add up in any viewer.
    numbers = {(p.sheet, p.addr): to_amount(p.raw)[0] for p in book.problems if p.kind == "text-number"}
    money = export_layout.published_money(book)
    for table_spec in spec.TABLES:
        table = book.tables[table_spec.id]
        values = _published_values(shown[table.sheet], money.get(table.sheet, {}),
                                   {addr: n for (sheet, addr), n in numbers.items() if sheet == table.sheet})
        dropped = set(export_layout.unused_rows(table, values))
        rows = {r: r - sum(1 for d in dropped if d < r)
                for r in range(1, max(len(values), source[table.sheet].max_row) + 1) if r not in dropped}
        target = out.create_sheet(table_spec.sheet)
        _copy_sheet(source[table.sheet], values, target, plain_styles, rows, _published_width(table))
        _print_setup(source[table.sheet], target, table, rows)
    out.active = 0
    props = out.properties
    props.title = f"{book.dept}{book.year}年部门预算公开表"
    props.subject = f"{book.year}年部门预算公开"
    props.creator = book.dept
    props.lastModifiedBy = "budgetbook"
    props.keywords = f"{book.dept}; {book.year}年; 部门预算公开"
    props.category = "部门预算公开"
    props.description = f"{book.dept}{book.year}年部门预算公开表（表一至表十二），由 budgetbook 导出。"
    _carry_working_columns(book, out)
    return out


def _carry_working_columns(book: Book, out: Workbook) -> None:
    """What the rules need and the published tables leave out (表三's 单位类型: which units 表九's
    机关运行经费 covers) goes along as a custom document property, invisible in the tables and on
    paper, so that the published workbook checks exactly as its source (grid.carried reads it)."""
    import json

    from openpyxl.packaging.custom import StringProperty

    carried = {}
    for table in book.tables.values():
        working = [c.key for c in table.spec.cols if not c.publish]
        if working and not table.unknown:
            carried[table.spec.id] = {key: {row.label: row.texts[key] for row in table.rows
                                            if row.kind == "unit" and row.label and row.texts.get(key)}
                                      for key in working}
    if carried:
        out.custom_doc_props.append(StringProperty(name=spec.CARRIED_PROPERTY,
                                                   value=json.dumps(carried, ensure_ascii=False)))


def _published_values(shown: list[list[object]], money: dict[tuple[int, int], float | None],
                      numbers: dict[str, object]) -> list[list[object]]:
    """The sheet's values as published: text numbers as numbers, then blank or 0.00 by line."""
    values = [list(row) for row in shown]
    for addr, number in numbers.items():
        r, c = coordinate_to_tuple(addr)
        if number is not None and r <= len(values) and c <= len(values[r - 1]):
            values[r - 1][c - 1] = float(number)
    for (r, c), value in money.items():
        while len(values) < r:
            values.append([])
        values[r - 1].extend([None] * (c - len(values[r - 1])))
        values[r - 1][c - 1] = value
    return values


def _plain_named_styles(out: Workbook) -> set[str]:
    """The template's named styles without fills (see the module note on the published look)."""
    for style in styles.STYLES.values():
        plain = NamedStyle(name=style.name, font=copy(style.font), border=copy(style.border),
                           alignment=copy(style.alignment), number_format=style.number_format,
                           protection=copy(style.protection))
        out.add_named_style(plain)
    return {s.name for s in styles.STYLES.values()}


def _published_width(table) -> int | None:
    """Columns printed: the table's published ones (working columns such as 表三's 单位类型 are
    last and stay behind); None keeps every column (a table without working columns)."""
    return None if table.spec.printed == len(table.spec.cols) else table.spec.printed


def _copy_sheet(source, shown: list[list[object]], target, plain_styles: set[str], rows: dict[int, int],
                width: int | None = None) -> None:
    """`source` gives the look, `shown` (the values to publish, by source row) the values;
    `rows` maps each source row that is published to its row in `target` (unused rows left out);
    only the first `width` columns when given."""
    # Merge without openpyxl's merge_cells(): that re-derives edge borders cell by cell (slow),
    # and every covered cell gets its own style copied below anyway.
    for merged in source.merged_cells.ranges:
        if width is not None and merged.min_col > width:
            continue
        kept = [rows[r] for r in range(merged.min_row, merged.max_row + 1) if r in rows]
        if not kept or (len(kept) == 1 and merged.min_col == merged.max_col):
            continue
        rng = MergedCellRange(target, f"{get_column_letter(merged.min_col)}{kept[0]}:"
                                      f"{get_column_letter(merged.max_col)}{kept[-1]}")
        target.merged_cells.add(rng)
        for r, c in list(rng.cells)[1:]:
            target._cells[r, c] = MergedCell(target, r, c)
    filled_rows, filled_cols = set(), set()
    restyled: dict[tuple, object] = {}  # source style -> its published twin (most cells share a few)
    empty: list[object] = []
    for row in source.iter_rows(max_col=width):
        if not row or row[0].row not in rows:
            continue
        r = rows[row[0].row]
        values = shown[row[0].row - 1] if row[0].row <= len(shown) else empty
        for cell, value in zip(row, [*values, *[None] * (len(row) - len(values))]):
            if value is None and not cell.has_style:
                continue
            dest = target.cell(row=r, column=cell.column)
            if cell.has_style:
                key = (tuple(cell._style), _style_name(cell))
                if key not in restyled:
                    _restyle(cell, dest, plain_styles)
                    restyled[key] = copy(dest._style)
                else:
                    dest._style = copy(restyled[key])
            if isinstance(cell, MergedCell) or isinstance(dest, MergedCell) or value is None:
                continue
            dest.value = value
            if isinstance(value, str) and value.startswith("="):
                dest.data_type = "s"  # a text that looks like a formula stays text
            filled_rows.add(r)
            filled_cols.add(cell.column)

    for key, dim in source.column_dimensions.items():
        if width is not None and (dim.min or 1) > width:
            continue
        new = target.column_dimensions[key]
        new.min, new.max = dim.min, dim.max
        if dim.width:
            new.width = dim.width
        span = range(dim.min or 1, (dim.max or dim.min or 1) + 1)
        new.hidden = bool(dim.hidden) and not any(c in filled_cols for c in span)
    for old, dim in source.row_dimensions.items():
        if old not in rows:
            continue
        if dim.height is not None:
            target.row_dimensions[rows[old]].height = dim.height
        if dim.hidden and rows[old] not in filled_rows:
            target.row_dimensions[rows[old]].hidden = True
    if source.freeze_panes:
        col, row = coordinate_to_tuple(source.freeze_panes)[::-1]
        target.freeze_panes = f"{get_column_letter(col)}{_moved(rows, row)}"


def _moved(rows: dict[int, int], r: int) -> int:
    """Where source row r lands; a dropped row's place is taken by the next published row."""
    if r in rows:
        return rows[r]
    later = [new for old, new in rows.items() if old > r]
    return min(later) if later else max(rows.values(), default=1) + 1


def _style_name(cell) -> str | None:
    try:
        return cell.style
    except IndexError:  # openpyxl cannot map some files' style ids (LibreOffice writes extra ones)
        return None


def _restyle(cell, dest, plain_styles: set[str]) -> None:
    """The published twin of a cell's style: same font, borders, alignment, format; no colour."""
    if _style_name(cell) in plain_styles:
        dest.style = _style_name(cell)
    font = copy(cell.font)
    font.color = None  # black on white, whatever a mark or a user coloured
    dest.font = font
    dest.border = copy(cell.border)
    dest.alignment = copy(cell.alignment)
    dest.number_format = cell.number_format
    dest.protection = copy(cell.protection)
    dest.fill = PatternFill(fill_type=None)


def _print_setup(source, target, table, rows: dict[int, int]) -> None:
    """The template's print set-up, then the pages: see workbook.export_layout."""
    page_setup(target)
    target.page_margins = copy(source.page_margins)
    first, last = _title_rows(source, table)
    target.print_title_rows = f"{_moved(rows, first)}:{_moved(rows, last)}"
    used = [(r, c) for (r, c), cell in target._cells.items() if cell.value is not None]
    last_row = max((r for r, _ in used), default=1)
    last_col = max([len(table.spec.cols), *(c for _, c in used)])
    if source.print_area:
        # Stored as "'表X'!$A$1:$F$40"; the sheet name may have changed, so keep the ranges only.
        areas = source.print_area if isinstance(source.print_area, list) else str(source.print_area).split(",")
        target.print_area = [_moved_range(a.rsplit("!", 1)[-1], rows) for a in areas]
    else:
        target.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    for footer in (target.oddFooter, target.evenFooter, target.firstFooter):
        footer.center.text = FOOTER
    heights = export_layout.fit_heights(target, last_row, last_col)
    texts: dict[int, str] = {}  # each row's first text, by column
    for (r, c), cell in sorted(target._cells.items()):
        if r not in texts and cell.value is not None and str(cell.value).strip():
            texts[r] = str(cell.value).strip()
    title_end = _moved(rows, last)
    lines = export_layout.row_lines(table, rows, title_end + 1, last_row, texts, heights)
    layout = export_layout.lay_out(target, table, lines, (_moved(rows, first), title_end), last_col)
    export_layout.apply_layout(target, layout)


def _moved_range(area: str, rows: dict[int, int]) -> str:
    """A print range of the source in the published sheet's rows."""
    return re.sub(r"\$?([A-Z]+)\$?(\d+)", lambda m: f"{m.group(1)}{_moved(rows, int(m.group(2)))}", area)


def _title_rows(source, table) -> tuple[int, int]:
    rows = source.print_title_rows
    if rows:
        first, _, last = rows.replace("$", "").partition(":")
        if first.isdigit() and last.isdigit():
            return int(first), int(last)
    if table.spec.id == "T12":  # 表十二 is blocks, not a header: repeat the title lines
        return 1, 2
    return 1, max(table.body_r - 1, 1)


# --- writing -------------------------------------------------------------------------------------


def _check_outdir(outdir: Path) -> None:
    """A missing folder is made when the files are written (one level: its parent must exist)."""
    if not outdir.exists():
        parent = outdir.parent
        if not parent.is_dir():
            raise BudgetbookError(f"输出文件夹 {outdir} 的上一级文件夹 {parent} 不存在，请先创建它或换一个文件夹。")
        outdir = parent
    if not outdir.is_dir():
        raise BudgetbookError(f"输出位置 {outdir} 是一个文件而不是文件夹，请换一个文件夹。")
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise BudgetbookError(f"没有写入输出文件夹 {outdir} 的权限，请换一个文件夹。")


def _same_file(target: Path, src: Path) -> bool:
    if target.resolve() == src.resolve():
        return True
    try:
        return target.exists() and os.path.samefile(target, src)  # hard links, case-insensitive disks
    except OSError:
        return False
