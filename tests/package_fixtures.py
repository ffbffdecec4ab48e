"""Workbooks with everything an accountant's file may carry, made by a script (no committed
binaries), for the package-patching tests (tests/test_package*.py).

- `rich(path)`: the bundled example (input cells only, as `budgetbook example` writes it) re-created
  with xlsxwriter, plus a PNG logo, a chart, a text box, data validation, conditional formatting,
  a defined name, an external hyperlink, user notes of custom sizes, frozen panes, print settings,
  and formulas typed by the user with their saved results;
- `rich(path, vba=...)`: the same as an .xlsm with a vbaProject (taken from xlwings' bundled
  quickstart.xlsm at test time);
- `office.recalculate(rich)`: the same saved by LibreOffice;
- small edits of the package for the refusal cases (a shared formula, a DOCTYPE …).
"""
from __future__ import annotations

import datetime

import io
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl

from workbook import example, jobs
from workbook.grid import save_atomic

# What the user typed besides the template: (sheet, cell, formula, saved result).
FORMULAS = [
    ("表二", "B5", "=800+99.2", 899.2),            # an input typed as a formula; feeds 表一 and 表二 totals
    ("表一", "F2", "=B38", 899.2),                 # reads a derived total (saved as Excel had it)
    ("表六", "H9", "=C9+D9", 0),                   # beside the table: stays as typed
]
NOTES = [  # (sheet, cell, text, author, x_scale, y_scale)
    ("表三", "D5", "项目支出含上年结转\n请核对", "张会计", 2.5, 1.8),   # marked by P.projects-total
    ("表一", "A5", "来自预算批复文件", "王会计", 1.5, 2.0),          # never marked
]
LOGO_CELL, CHART_CELL, TEXTBOX_CELL = ("表一", "F4"), ("表一", "F12"), ("表一", "F30")


def png(width: int = 24, height: int = 24) -> bytes:
    """A small red-and-blue PNG, made here."""
    rows = b"".join(b"\x00" + b"".join((b"\xc0\x10\x10" if (x // 6 + y // 6) % 2 else b"\x10\x40\xc0")
                                       for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def example_file(path: Path) -> Path:
    save_atomic(jobs.new(example.reference()), path)
    return path


def _format(book, cell, cache: dict):
    """An xlsxwriter format as close as simple to the openpyxl cell's look."""
    font, fill, border, align = cell.font, cell.fill, cell.border, cell.alignment
    rgb = fill.fgColor.rgb if fill.patternType == "solid" and isinstance(fill.fgColor.rgb, str) else None
    key = (font.name, font.sz, bool(font.b), rgb, bool(border.left and border.left.style), align.horizontal,
           align.vertical, bool(align.wrap_text), cell.number_format, cell.protection.locked)
    if key not in cache:
        props = {"font_name": font.name or "宋体", "font_size": font.sz or 11, "bold": bool(font.b),
                 "num_format": cell.number_format if cell.number_format != "General" else 0,
                 "locked": cell.protection.locked is not False}
        if rgb:
            props.update(pattern=1, bg_color="#" + rgb[-6:])
        if key[4]:
            props.update(border=1, border_color="#808080")
        if align.horizontal:
            props["align"] = align.horizontal
        if align.vertical:
            props["valign"] = {"center": "vcenter"}.get(align.vertical, align.vertical)
        if align.wrap_text:
            props["text_wrap"] = True
        cache[key] = book.add_format(props)
    return cache[key]


def rich(path: Path, vba: bytes | None = None, source: Path | None = None) -> Path:
    """The example with every kind of part a user's workbook may have (see the module docstring)."""
    import xlsxwriter

    path = Path(path)
    source = source or example_file(path.with_name("_example_source.xlsx"))
    model = openpyxl.load_workbook(source)
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    formats: dict = {}
    sheets = {}
    for ws in model.worksheets:
        out = book.add_worksheet(ws.title)
        sheets[ws.title] = out
        merged = {}
        for rng in ws.merged_cells.ranges:
            merged[(rng.min_row, rng.min_col)] = rng
        covered = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
                   for c in range(rng.min_col, rng.max_col + 1)}
        for letter, dim in ws.column_dimensions.items():
            if dim.width:
                col = openpyxl.utils.column_index_from_string(letter) - 1
                out.set_column(col, col, dim.width)
        for number, dim in ws.row_dimensions.items():
            if dim.height:
                out.set_row(number - 1, dim.height)
        for row in ws.iter_rows():
            for cell in row:
                r, c = cell.row, cell.column
                fmt = _format(book, cell, formats) if cell.has_style else None
                if (r, c) in merged:
                    rng = merged[(r, c)]
                    out.merge_range(r - 1, c - 1, rng.max_row - 1, rng.max_col - 1, cell.value, fmt)
                elif (r, c) in covered:
                    continue
                elif cell.value is None:
                    if fmt is not None:
                        out.write_blank(r - 1, c - 1, None, fmt)
                elif isinstance(cell.value, str):
                    out.write_string(r - 1, c - 1, cell.value, fmt)
                elif isinstance(cell.value, (datetime.date, datetime.datetime)):  # 基本情况's 落款日期
                    out.write_datetime(r - 1, c - 1, cell.value, fmt)
                else:
                    out.write_number(r - 1, c - 1, float(cell.value), fmt)
        if ws.freeze_panes:
            fr, fc = openpyxl.utils.cell.coordinate_to_tuple(ws.freeze_panes)
            out.freeze_panes(fr - 1, fc - 1)
        # print settings
        out.set_paper(9)
        if ws.page_setup.orientation == "landscape":
            out.set_landscape()
        out.fit_to_pages(1, 0)
        if ws.print_title_rows:
            first, _, last = ws.print_title_rows.replace("$", "").partition(":")
            out.repeat_rows(int(first) - 1, int(last or first) - 1)
        out.set_header("&C&\"宋体\"&10部门预算公开")
    t1, t2, t6 = sheets["表一"], sheets["表二"], sheets["表六"]
    for sheet, cell, formula, value in FORMULAS:
        sheets[sheet].write_formula(cell, formula, None, value)
    t1.insert_image(LOGO_CELL[1], "logo.png", {"image_data": io.BytesIO(png()), "x_scale": 2, "y_scale": 2})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "收入", "categories": "='表二'!$A$5:$A$9", "values": "='表二'!$B$5:$B$9"})
    t1.insert_chart(CHART_CELL[1], chart, {"x_scale": 0.8, "y_scale": 0.8})
    t1.insert_textbox(TEXTBOX_CELL[1], "本表由会计填写，合计由 budgetbook 计算。", {"width": 260, "height": 60})
    t2.data_validation("B5:B12", {"validate": "decimal", "criteria": ">=", "value": 0,
                                  "input_title": "金额", "input_message": "单位：万元"})
    t6.conditional_format("C8:D20", {"type": "cell", "criteria": "<", "value": 0,
                                     "format": book.add_format({"font_color": "#9C0006"})})
    book.define_name("部门名称", "='表一'!$A$1")
    t1.write_url("F3", "https://www.mof.gov.cn/", string="财政部网站")
    for sheet, cell, text, author, xs, ys in NOTES:
        sheets[sheet].write_comment(cell, text, {"author": author, "x_scale": xs, "y_scale": ys})
    if vba is not None:
        vba_file = path.with_name("vbaProject.bin")
        vba_file.write_bytes(vba)
        book.add_vba_project(str(vba_file))
    book.close()
    return path


def vba_project() -> bytes | None:
    """The vbaProject.bin of xlwings' bundled quickstart.xlsm (None without xlwings)."""
    try:
        import xlwings
    except ImportError:
        return None
    quickstart = Path(xlwings.__file__).parent / "quickstart.xlsm"
    if not quickstart.exists():
        return None
    with zipfile.ZipFile(quickstart) as archive:
        return archive.read("xl/vbaProject.bin")


def edit_part(src: Path, out: Path, part: str, change) -> Path:
    """A copy of `src` with one member's bytes changed by `change(bytes) -> bytes` (fixture only)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = change(data)
            zout.writestr(info, data)
    return out


def add_part(src: Path, out: Path, parts: dict[str, bytes]) -> Path:
    """A copy of `src` with members added or replaced (fixture only)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in parts:
                zout.writestr(info, zin.read(info))
        for name, data in parts.items():
            zout.writestr(name, data)
    return out


def sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of `sheet` (xlsxwriter, openpyxl and LibreOffice number them in order)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    finally:
        book.close()
