"""A published disclosure read from its PDF (text layer, pdfplumber) into the same Book model.

Tables are found by their titles (the profile's, profiles.py), columns by their header words,
rows by labels and codes; 元 or 万元 by the unit line (figures are kept in 万元, exact); a table
continued over pages is joined (its repeated header rows skipped). Each cell gets an A1-like
address inside its table, as a workbook's would, so every rule works unchanged, and words for a
reader: `Book.words[(table, addr)]` = "第12页 2010507 专项普查活动·合计" (page, row, column), which
findings show instead of the address. Our own 12-table layout (profile gansu-12, as
`export --pdf` prints it) is read by workbook.pdfgrid; `read_pdf` is the one entry for both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import profiles, spec
from .catalog import functional
from .errors import BudgetbookError
from .hierarchy import parents
from .model import Book, Row, Table
from .money import CENT, Bad
from .profiles import Layout, Profile
from .reader import is_note, norm, squeeze
from .spec import column_letter

_UNIT = re.compile(r"单位[:：](万元|元)")
_DEPT = re.compile(r"(编制部门|编制单位|预算单位|部门名称|预算主管部门)[:：](?P<dept>[^\s单]+)")
_YEAR = re.compile(r"(20\d\d)年")
_FIGURE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CODE_PART = re.compile(r"^\d{1,3}$")
_TEN_THOUSAND = Decimal(10000)
# class names printed in their pre-2019 wording
_OLD_CLASS_NAMES = {"医疗卫生与计划生育支出": "210", "文化体育与传媒支出": "207", "医疗卫生支出": "210"}
# income line words -> our line key, the longer first; 财政拨款收入 alone is the sum of the three funds
_INCOME = (("一般公共预算", "in.general"), ("政府性基金", "in.gov_fund"), ("国有资本经营", "in.state_capital"),
           ("事业单位经营收入", "in.operating"), ("经营收入", "in.operating"), ("事业收入", "in.business"),
           ("上级补助收入", "in.superior"), ("附属单位上缴收入", "in.subsidiary"), ("其他收入", "in.other"),
           ("上年结转", "in.carry"), ("上年结余", "in.surplus"), ("本年收入合计", "in.subtotal"),
           ("本年收入", "in.subtotal"), ("收入总计", "in.total"))
_SPENDING = (("本年支出合计", "exp.subtotal"), ("本年支出", "exp.subtotal"), ("结转下年", "exp.carry_next"),
             ("支出总计", "exp.total"))


@dataclass
class _Segment:
    """One printed table: its title, unit, notes and the rows of every page it runs over."""

    layout: Layout
    title: str
    page: int
    unit: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (page, cells)
    notes: list[tuple[int, str]] = field(default_factory=list)


def read_pdf(path: Path, profile: Profile | None = None) -> Book:
    """The Book of a published disclosure PDF (strict=False: the tables not found are `missing`)."""
    import pdfplumber

    path = Path(path)
    _refuse_odd(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many kinds for a damaged file
        raise BudgetbookError(f"{path} 不是可读取的 PDF 文件（{type(error).__name__}）。") from None
    with pdf:
        lines = [_text_lines(page) for page in pdf.pages]
        if not any(lines):
            raise BudgetbookError(f"{path} 没有文字层（可能是扫描件），无法读取其中的表格；请使用带文字层的 PDF 或原始工作簿。")
        titles = [text for page in lines for _, text in page]
        profile = profile or profiles.detect(titles)
        if profile is profiles.GANSU_12:  # our own layout, as `export --pdf` prints it
            from .pdfgrid import read_own

            return read_own(path, pdf)
        pages = [(page_lines, _tables(page)) for page_lines, page in zip(lines, pdf.pages)]
    segments, narrative = _segments(pages, profile)
    return _book(path, profile, segments, titles, narrative)


def _refuse_odd(path: Path) -> None:
    """Only a regular file that starts as a PDF does (a FIFO named .pdf is never opened)."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as error:
        raise BudgetbookError(f"{path} 无法读取（{error.strerror}）。") from None
    if not stat.S_ISREG(info.st_mode):
        raise BudgetbookError(f"{path} 不是普通文件，不能作为 PDF 读取。")
    with open(path, "rb") as handle:
        if b"%PDF" not in handle.read(1024):
            raise BudgetbookError(f"{path} 不是 PDF 文件（文件开头没有 %PDF 标记）。")


def _text_lines(page) -> list[tuple[float, str]]:
    """(top, squeezed text) of each line of one page."""
    lines = [(line["top"], squeeze(line["text"])) for line in page.extract_text_lines()]
    return [(top, text) for top, text in lines if text]


def _tables(page) -> list[tuple[float, list[list[str]]]]:
    """(top, rows) of each ruled table of one page."""
    return sorted(((t.bbox[1], t.extract()) for t in page.find_tables()), key=lambda t: t[0])


def _looks_like_title(text: str) -> bool:
    return text.endswith("表") and len(text) <= 60 and not is_note(text)  # a contents line ends with ……


def _title_layout(text: str, profile: Profile) -> Layout | None:
    if not _looks_like_title(text):
        return None
    return next((layout for layout in profile.layouts if any(w in text for w in layout.titles)), None)


def _segments(pages, profile: Profile) -> tuple[list[_Segment], list[str]]:
    segments: list[_Segment] = []
    narrative: list[str] = []
    current: _Segment | None = None
    for number, (lines, tables) in enumerate(pages, 1):
        events = [(top, 0, text) for top, text in lines] + [(top, 1, rows) for top, rows in tables]
        in_table = bool(tables)
        for top, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 1:
                if current is not None:
                    current.rows += [(number, [squeeze(c or "") for c in row]) for row in item]
                continue
            layout = _title_layout(item, profile)
            if layout is not None:
                current = _Segment(layout, item, number, layout.unit)
                segments.append(current)
            elif _looks_like_title(item):
                current = None  # a table of no layout of ours (绩效目标表 …): its rows are not ours
            elif current is not None and (unit := _UNIT.search(item)) and current.page == number:
                current.unit = unit[1]
            elif current is not None and is_note(item):
                current.notes.append((number, item))
            elif not in_table and not any(s.page == number for s in segments):
                narrative.append(item)
        if not in_table:
            current = None  # a table runs on over pages of tables only
    return segments, narrative


def _book(path: Path, profile: Profile, segments: list[_Segment], titles: list[str], narrative) -> Book:
    dept = next((m["dept"] for t in titles if (m := _DEPT.search(t))), None)
    years = [int(m[1]) for s in segments if s.rows and (m := _YEAR.search(s.title))]
    year = max(set(years), key=years.count) if years else None
    builder = _Builder(profile)
    for segment in segments:
        if segment.layout.table not in builder.tables and segment.rows:  # a contents page lists titles only
            builder.add(segment)
    builder.finish()
    book = Book(path, dept, year, builder.tables,
                missing=[t for t in profile.tables if t not in builder.tables and profile.layout(t).titles])
    book.profile, book.words, book.narrative = profile.name, builder.words, narrative
    return book


class _Builder:
    def __init__(self, profile: Profile):
        self.profile = profile
        self.tables: dict[str, Table] = {}
        self.words: dict[tuple[str, str], str] = {}

    # --- one printed table ------------------------------------------------------------------
    def add(self, segment: _Segment) -> None:
        layout = segment.layout
        sheet = _short_title(segment.title)
        table = Table(spec=spec.BY_ID[layout.table], sheet=sheet, title=segment.title, body_r=1)
        table.margin["A0"] = segment.title
        self.words[(sheet, "A0")] = f"第{segment.page}页的表名"
        header, body = _split_header(segment.rows)
        columns = _header_texts(header)
        body = [(page, _aligned(cells, len(columns))) for page, cells in body]
        read = {"lines": self._lines, "codes": self._codes, "total": self._total, "figures": self._figures}[layout.rows]
        read(table, segment, columns, body)
        if segment.notes:
            page, text = segment.notes[0]
            table.note, table.note_r = text, len(table.rows) + 1
            self.words[(sheet, f"A{table.note_r}")] = f"第{page}页的表下注释"
        table.step = _step(segment)
        self.tables[layout.table] = table

    def _row(self, table: Table, page: int, key: str, kind: str, values: dict[str, object], positions: dict[str, int],
             columns: list[str], unit: str, label: str | None = None, code: str | None = None) -> Row:
        r = len(table.rows) + 1
        letters = {col: column_letter(positions[col] + 1) for col in values}
        amounts = {col: _amount(text, unit) for col, text in values.items()}
        row = Row(key, kind, r, label, code, amounts, letters, frozenset(amounts), "A")
        what = " ".join(x for x in (code, label) if x) or key
        for col in values:
            self.words[(table.sheet, row.addr(col))] = f"第{page}页 {what}·{columns[positions[col]] or col}"
        money = [c for c in table.spec.money_keys if c not in values] if kind != "line" else []
        for i, col in enumerate(money, len(columns) + 1):  # a column this layout does not print: blank
            row.values[col], row.letters[col] = None, column_letter(i)
            self.words[(table.sheet, row.addr(col))] = f"第{page}页 {what}·{table.spec.col(col).header[-1]}（本表未列此栏）"
        self.words[(table.sheet, f"A{r}")] = f"第{page}页 {what}"
        table.rows.append(row)
        return row

    def _lines(self, table: Table, segment: _Segment, columns: list[str], body) -> None:
        """表一/表四: label and figure pairs, income on the left, spending on the right."""
        words = segment.layout.columns
        amount_in = _find(columns, words["in_amount"])
        amount_out = _find(columns, words["exp_amount"], after=amount_in + 1 if amount_in is not None else 0)
        if amount_in is None or amount_out is None:
            return
        seen: set[str] = set()
        for page, cells in body:
            left = _line_key(_at(cells, 0), _INCOME)
            if left and left not in seen and _at(cells, amount_in):
                seen.add(left)
                self._row(table, page, left, "line", {"amount": _at(cells, amount_in)}, {"amount": amount_in},
                          columns, segment.unit, label=_at(cells, 0))
            label = _at(cells, amount_in + 1)
            right = _line_key(label, _SPENDING) or _class_key(label)
            if right and right not in seen and (_at(cells, amount_out) or right.startswith("exp.2")):
                seen.add(right)
                self._row(table, page, right, "line", {"amount": _at(cells, amount_out)}, {"amount": amount_out},
                          columns, segment.unit, label=label, code=right[4:] if right[4:].isdigit() else None)
        # a layout without 本年收入合计/本年支出合计 prints only the 总计, which is that figure when
        # nothing is carried: the same printed cell stands for both
        for total, subtotal in (("in.total", "in.subtotal"), ("exp.total", "exp.subtotal")):
            row = table.row(total)
            if row and not table.row(subtotal) and not any(table.row(k) for k in (*spec.CARRY_KEYS, "exp.carry_next")):
                twin = Row(subtotal, "line", row.r, row.label, None, dict(row.values), dict(row.letters), row.inputs, "A")
                table.rows.append(twin)

    def _codes(self, table: Table, segment: _Segment, columns: list[str], body) -> None:
        """表六/七/十/十一: 类/款/项 in one or several columns, a name, money columns; 合计 is 总计."""
        code_cols = [i for i, text in enumerate(columns) if text in ("类", "款", "项")]
        name_col = _find(columns, ("名称",))
        money = {key: _find(columns, words) for key, words in segment.layout.columns.items()}
        money = {key: i for key, i in money.items() if i is not None}
        if not money:
            return
        for page, cells in body:
            first = _at(cells, 0)
            if first.startswith("合计") or first.startswith("总计"):
                values = {key: _at(cells, i) for key, i in money.items()}
                self._row(table, page, "total", "total", values, money, columns, segment.unit, label="合计")
                continue
            parts = [_at(cells, i) for i in code_cols] if code_cols else [first]
            code = "".join(parts)
            label = _at(cells, name_col) if name_col is not None else ""
            if not code and not label:
                continue
            if not any(_at(cells, i) for i in money.values()) and not code.isdigit():
                continue  # a blank line of an empty table
            values = {key: _at(cells, i) for key, i in money.items()}
            self._row(table, page, f"r{len(table.rows) + 1}", "code", values, money, columns, segment.unit,
                      label=label, code=code)
        rows, up = _code_rows(table)
        rollups = {p for p in up if p is not None}
        for i, row in enumerate(rows):
            if i in rollups:
                row.inputs = frozenset()
        if table.row("total"):
            table.row("total").inputs = frozenset()

    def _total(self, table: Table, segment: _Segment, columns: list[str], body) -> None:
        """表二/表三 of the 9-table layout list spending by functional code; their 合计 row is what
        our 表二 (income by source) and 表三 (总计, the department) hold."""
        money = {key: _find(columns, words) for key, words in segment.layout.columns.items()}
        money = {key: i for key, i in money.items() if i is not None}
        total = next(((page, cells) for page, cells in body if _at(cells, 0).startswith("合计")), None)
        if total is None or not money:
            return
        page, cells = total
        if table.spec.id == "T3":
            values = {key: _at(cells, i) for key, i in money.items()}
            self._row(table, page, "total", "total", values, money, columns, segment.unit, label="合计")
            dept = self._row(table, page, "dept", "dept", values, money, columns, segment.unit, label="合计")
            dept.r = table.row("total").r  # one printed row
            table.row("total").inputs = frozenset()
            return
        lines = {"total": ("in.total", "in.subtotal"), "business": ("in.business",), "operating": ("in.operating",),
                 "other": ("in.other",), "fiscal": ("in.general",)}
        r = len(table.rows) + 1
        for key, i in money.items():
            for line in lines.get(key, ()):
                row = self._row(table, page, line, "line", {"amount": _at(cells, i)}, {"amount": i}, columns,
                                segment.unit, label=columns[i])
                row.r = r
        general = table.row("in.general")
        if general is not None:
            general.label = "财政拨款收入（减去财政拨款收支总表中的政府性基金、国有资本经营预算）"

    def _figures(self, table: Table, segment: _Segment, columns: list[str], body) -> None:
        """The 三公 table: one line of figures under a header; 机关运行经费 is 表九's one figure."""
        money = {key: _find(columns, words) for key, words in segment.layout.columns.items()}
        money = {key: i for key, i in money.items() if i is not None}
        line = next(((page, cells) for page, cells in body if any(_FIGURE.match(c) for c in cells)), None)
        if line is None:
            return
        page, cells = line
        ours = {k: i for k, i in money.items() if k != "running"}
        for key, kind in (("total", "total"), ("dept", "dept")):
            row = self._row(table, page, key, kind, {k: _at(cells, i) for k, i in ours.items()}, ours, columns,
                            segment.unit, label="部门合计")
            row.r = 1
        if "running" in money:
            t9 = Table(spec=spec.BY_ID["T9"], sheet=table.sheet, title=segment.title, body_r=1)
            i = money["running"]
            row = self._row(t9, page, "total", "total", {"total": _at(cells, i), "basic": _at(cells, i)},
                            {"total": i, "basic": i}, columns, segment.unit, label="机关运行经费")
            row.r = 1
            t9.step = _step(segment)
            self.tables["T9"] = t9

    def finish(self) -> None:
        """表二's 财政拨款收入 is all three funds; our 一般公共预算 line is it less the other two,
        as the 财政拨款收支总表 (表四) prints them."""
        t2, t4 = self.tables.get("T2"), self.tables.get("T4")
        general = t2.row("in.general") if t2 else None
        if general is None or not isinstance(general.values.get("amount"), Decimal) or t4 is None:
            return
        for key in ("in.gov_fund", "in.state_capital"):
            other = t4.row(key)
            value = other.values.get("amount") if other else None
            if isinstance(value, Decimal):
                general.values["amount"] -= value


def _short_title(title: str) -> str:
    """"2024年部门一般公共预算支出功能分类预算表" -> "一般公共预算支出功能分类预算表"."""
    text = re.sub(r"^.*?20\d\d年(度)?", "", title)
    return text.removeprefix("部门") or title


def _split_header(rows: list[tuple[int, list[str]]]):
    """The header rows (those before the first row of figures) and the rows of figures, codes or
    合计 (a table continued on the next page repeats its header: those rows are not data)."""
    header: list[list[str]] = []
    body = []
    for page, cells in rows:
        if _is_data(cells):
            body.append((page, cells))
        elif not body:
            header.append(cells)
    return header, body


def _is_data(cells: list[str]) -> bool:
    """A row of figures, a code row, or an empty table's 合计 row (a header cell 合计 has
    other headers beside it)."""
    first = cells[0] if cells else ""
    return any(_FIGURE.match(c) for c in cells) or first.isdigit() or \
        (first.startswith(("合计", "总计")) and not any(cells[1:]))


def _aligned(cells: list[str], width: int) -> list[str]:
    """A row with fewer cells than the header (合计 spanning the code columns, alone on its page):
    its figures are the last columns."""
    if len(cells) >= width or not cells:
        return cells
    return [cells[0]] + [""] * (width - len(cells)) + cells[1:]


def _header_texts(header: list[list[str]]) -> list[str]:
    """Each column's header words: the lowest non-empty header cell of that column (a merged
    cell spans: its text stands in the first column it covers)."""
    width = max((len(r) for r in header), default=0)
    texts = [""] * width
    for cells in header:
        for i, text in enumerate(cells):
            if text:
                texts[i] = text
    return texts


def _find(columns: list[str], words, after: int = 0) -> int | None:
    return next((i for i, text in enumerate(columns) if i >= after and any(w in text for w in words)), None)


def _at(cells: list[str], i: int | None) -> str:
    return cells[i] if i is not None and i < len(cells) and cells[i] else ""


def _line_key(label: str, table) -> str | None:
    text = squeeze(label)  # "一、财政拨款收入" (all three funds) matches none
    return next((key for word, key in table if word in text), None) if text else None


def _class_key(label: str) -> str | None:
    """exp.<类> of a functional class line, by its name (its pre-2019 name too)."""
    text = re.sub(r"^\d+[.．、]", "", norm(label))
    if not text:
        return None
    names = {name: code for code, name in functional().names.items() if len(code) == 3}
    code = names.get(text) or _OLD_CLASS_NAMES.get(text)
    return f"exp.{code}" if code else None


def _amount(text: str, unit: str):
    if not text:
        return None
    clean = text.replace(",", "")
    try:
        value = Decimal(clean)
    except InvalidOperation:
        return Bad(text)
    return value / _TEN_THOUSAND if unit == "元" else value


def _step(segment: _Segment) -> Decimal:
    """What the table's figures are printed to, in 万元: a whole 元 is 0.0001; 万元 to 0.01."""
    if segment.unit != "元":
        return CENT
    places = max((len(c.partition(".")[2]) for _, cells in segment.rows for c in cells if _FIGURE.match(c)), default=0)
    return Decimal(1).scaleb(-places) / _TEN_THOUSAND


def _code_rows(table: Table):
    rows = [r for r in table.rows if r.kind == "code"]
    return rows, parents([r.code or "" for r in rows])
