"""The patching file surface: a plan applied to the .xlsx/.xlsm package itself.

OpenpyxlSurface loads a whole workbook into openpyxl and saves it again, which drops what openpyxl
does not model (images, shapes, the saved results of formulas, note sizes …). PackageSurface
instead rewrites only the parts of the zip a plan touches: in a worksheet only the <c> elements
of the planned cells, in the styles part only new fills and cell formats appended, notes in the
sheet's comments part and VML drawing, added and removed sheets in the workbook part, its
relationships and the content types. Every other member is copied byte for byte.

What it cannot change safely it refuses, in one sentence naming the file, sheet and cell, before
anything is written (see docs/preservation.md); it never falls back to a lossy save.

Reading: values through python-calamine (a formula cell reads as the result saved with it; one
without a saved result reads as its formula text, as OpenpyxlGrid does); looks from the parts.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ...advice import WORKBOOK
from ...atomic import write_atomic
from ...cells import addr, split_range, split_ref
from ...errors import BudgetbookError, damaged, shown
from ...grid import check_xlsx, merged_ranges, open_calamine, put, sheet_values
from ...plan import NO_FILL, Note, Plan
from ...runtime import no_cycle_collection
from . import opc, xml, zipio
from .book import Book, StrictError
from .notes import Comments, Vml, read_note
from .opc import Package
from .sheet import F_FORMULA, SheetIndex
from .styles import MINIMAL, Styles

_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_BINARY = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"


class PackageSurface:
    """Read values (Grid) and looks (surfaces.looks.Looks) of a workbook file; apply plans by
    patching its package; save (to `out`, when a job's plan is finished: surfaces.surface)."""

    where = WORKBOOK  # read in Excel or WPS, whoever wrote it: the button and the command (workbook.advice)

    def __init__(self, path: Path, out: Path | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.out = Path(out) if out is not None else None
        check_xlsx(self.path)
        try:
            archive = zipio.Archive(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise damaged(self.path, exc=exc) from None
        if any(info.flag_bits & 1 for info in archive.infos):
            raise self._unreadable("工作簿设置了打开密码，请在 Excel 中取消密码后再试")
        self.package = Package(archive)
        try:
            root_rels = self.package.rels("")
            main = next((r for r in root_rels.live() if r.type.endswith("/officeDocument")), None)
            if main is None:
                raise xml.XmlError("no workbook")
            self.book_part = root_rels.part(main)
            ctype = self.package.types.of(self.book_part) or ""
            if ctype == _BINARY or self.book_part.lower().endswith(".bin"):
                raise BudgetbookError(
                    f"无法写入 {self.path}：这是二进制工作簿（.xlsb），budgetbook 只能修改 .xlsx 和 .xlsm，"
                    "请在 Excel 中另存为 .xlsx 后再试。")
            if main.type.startswith("http://purl.oclc.org/"):
                raise StrictError()
            data = self.package.read(self.book_part)
            if data is None:
                raise xml.XmlError("no workbook part")
            self.book = Book(data)
            self.book_rels = self.package.rels(self.book_part)
        except StrictError:
            raise BudgetbookError(
                f"无法写入 {self.path}：这是“严格 Open XML”格式的工作簿，budgetbook 只能修改常规格式，"
                "请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再试。") from None
        except (xml.XmlError, KeyError, zipfile.BadZipFile) as exc:
            raise damaged(self.path, exc=exc) from None
        self._rows: dict[str, list[list]] = {}
        self._calamine = None
        self._written: dict[str, dict[str, object]] = {}
        self._reload()

    def _reload(self) -> None:
        """What is known of the parts, (re)read from the package as it stands (after an apply)."""
        if (self.package.stored(self.book_part) or self.book_part) in self.package.changed:
            self.book = Book(self.package.read(self.book_part))
        self.parts: dict[str, str | None] = {}
        self.kinds: dict[str, str] = {}
        for sheet in self.book.sheets:
            rel = self.book_rels.get(sheet.rid)
            self.parts[sheet.name] = self.book_rels.part(rel) if rel else None
            self.kinds[sheet.name] = rel.type.rpartition("/")[2] if rel else ""
        styles = self.book_rels.of_type(opc.RT_STYLES)
        self.styles_part = self.book_rels.part(styles[0]) if styles else None
        self._styles: Styles | None = None
        self._index: dict[str, SheetIndex] = {}
        self._comments: dict[str, tuple[Comments | None, Vml | None]] = {}
        self._formulas: dict[str, bool] = {}
        self._idmap_used: set[int] | None = None

    def _unreadable(self, why: str, exc: BaseException | None = None) -> BudgetbookError:
        from ...errors import detail

        return BudgetbookError(f"无法读取 {shown(self.path)}：{why}。", detail(exc) if exc else None)

    # --- the Grid interface ----------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def rows(self, sheet: str) -> list[list[object]]:
        if sheet not in self._rows:
            self._rows[sheet] = self._read_rows(sheet)
        return self._rows[sheet]

    def merged(self, sheet: str) -> list[str]:
        return merged_ranges(self.path, sheet)

    def _read_rows(self, sheet: str) -> list[list[object]]:
        if self.kinds.get(sheet) != "worksheet":
            return []
        if self._calamine is None:
            try:
                self._calamine = open_calamine(self.path)
            except Exception as exc:
                raise damaged(self.path, exc=exc) from None
        if sheet not in self._calamine.sheet_names:
            return []  # added by an apply: not in the file yet
        try:
            rows = sheet_values(self.path, self._calamine, sheet)
        except BudgetbookError:
            raise
        except Exception as exc:
            raise damaged(self.path, sheet, exc) from None
        if self._has_formulas(sheet):
            index = self._sheet_index(sheet, None)
            texts = {rc: index.formula_text(rc) for rc in index.formulas
                     if not index.has_result(rc)}  # else the result saved with it, as calamine read it
            if texts:
                _put(rows, texts)
        return rows

    # --- parts ------------------------------------------------------------------------------

    def _sheet_bytes(self, sheet: str) -> bytes | None:
        part = self.parts.get(sheet)
        return self.package.read(part) if part else None

    def _sheet_index(self, sheet: str, cell: str | None) -> SheetIndex:
        if sheet not in self._index:
            data = self._sheet_bytes(sheet)
            try:
                if data is None:
                    raise xml.XmlError("missing part")
                self._index[sheet] = SheetIndex(data)
            except (xml.XmlError, ValueError, IndexError) as exc:
                where = f"{sheet}!{cell}" if cell else sheet
                raise BudgetbookError(
                    f"无法处理 {self.path} 的 {where}：工作表 {sheet} 的内容无法解析（{_why(exc)}），"
                    "文件未作任何修改。") from None
        return self._index[sheet]

    def styles(self) -> Styles:
        if self._styles is None:
            data = self.package.read(self.styles_part) if self.styles_part else None
            if data is None:
                self.styles_part = self.styles_part or "xl/styles.xml"
                data = MINIMAL
                self.package.write(self.styles_part, data)
                self.package.types.override(self.styles_part, opc.CT_STYLES)
                self.book_rels.add(opc.RT_STYLES, self.styles_part)
            try:
                self._styles = Styles(data)
            except xml.XmlError as exc:
                raise BudgetbookError(f"无法处理 {self.path}：样式部分无法解析（{_why(exc)}），文件未作任何修改。") from None
        return self._styles

    def _sheet_rels(self, sheet: str) -> opc.Rels:
        return self.package.rels(self.parts[sheet])

    def _notes_parts(self, sheet: str, strict: bool = False, cell: str | None = None):
        """(comments, vml) of a sheet; a VML drawing that cannot be parsed is None unless strict."""
        if sheet in self._comments:
            return self._comments[sheet]
        comments = vml = None
        if self.kinds.get(sheet) == "worksheet" and self.parts.get(sheet):
            rels = self._sheet_rels(sheet)
            found = rels.of_type(opc.RT_COMMENTS)
            if found:
                data = self.package.read(rels.part(found[0]))
                if data is not None:
                    try:
                        comments = Comments(data)
                    except xml.XmlError as exc:
                        raise BudgetbookError(
                            f"无法处理 {self.path} 的 {sheet}!{cell or 'A1'}：工作表 {sheet} 的批注部分无法解析"
                            f"（{_why(exc)}），文件未作任何修改。") from None
            drawing = self._vml_rel(sheet)
            if drawing is not None:
                data = self.package.read(rels.part(drawing))
                if data is not None:
                    try:
                        vml = Vml(data)
                    except xml.XmlError as exc:
                        if strict:
                            raise BudgetbookError(
                                f"无法写入 {self.path} 的 {sheet}!{cell} 的批注：工作表 {sheet} 的批注图形（VML）"
                                f"无法解析（{_why(exc)}），文件未作任何修改。") from None
                        vml = None
        self._comments[sheet] = (comments, vml)
        return comments, vml

    def _vml_rel(self, sheet: str):
        index = self._sheet_index(sheet, None)
        top = index.topmost("legacyDrawing")
        rels = self._sheet_rels(sheet)
        if top is not None:
            rid = next((v for k, v in top.attrs if xml.local(k) == "id"), None)
            rel = rels.get(rid) if rid else None
            if rel is not None:
                return rel
        found = rels.of_type(opc.RT_VML)
        return found[0] if found and top is not None else None

    # --- the Looks interface ----------------------------------------------------------------

    def _merged(self, sheet: str):
        if self.kinds.get(sheet) != "worksheet":
            return []
        return self._sheet_index(sheet, None).merges

    def anchor(self, sheet: str, row: int, col: int) -> tuple[int, int]:
        for r1, c1, r2, c2 in self._merged(sheet):
            if r1 <= row <= r2 and c1 <= col <= c2:
                return r1, c1
        return row, col

    def exists(self, sheet: str, ref: str) -> bool:
        try:
            row, col = split_ref(ref)
        except (ValueError, IndexError):
            return False
        if self.kinds.get(sheet) != "worksheet":
            return False
        if self.anchor(sheet, row, col) != (row, col):
            return False
        if (row, col) in self._sheet_index(sheet, None).cells:
            return True
        comments, _ = self._notes_parts(sheet)
        return comments is not None and ref in comments.comments

    def _has_formulas(self, sheet: str) -> bool:
        if sheet not in self._formulas:
            raw = self._sheet_bytes(sheet) if self.kinds.get(sheet) == "worksheet" else None
            self._formulas[sheet] = raw is not None and _FORMULA.search(raw) is not None
        return self._formulas[sheet]

    def value(self, sheet: str, ref: str):
        row, col = split_ref(ref)
        if self._has_formulas(sheet):
            text = self._sheet_index(sheet, None).formula_text((row, col))
            if text is not None:
                return text
        planned = self._written.get(sheet, {})
        if ref in planned:
            return planned[ref]
        rows = self.rows(sheet)
        try:
            return rows[row - 1][col - 1]
        except IndexError:
            return None

    def fill(self, sheet: str, ref: str) -> str:
        if self.kinds.get(sheet) != "worksheet":
            return NO_FILL
        row, col = split_ref(ref)
        index = self._sheet_index(sheet, None)
        return self.styles().fill(index.style(row, col))

    def note(self, sheet: str, ref: str) -> Note | None:
        comments, vml = self._notes_parts(sheet)
        if comments is None:
            return None
        return read_note(comments, vml, ref)

    def notes_with(self, text: str):
        for sheet in self.sheet_names():
            comments, vml = self._notes_parts(sheet)
            if comments is None:
                continue
            for ref in comments.order:
                if text in comments.comments[ref].text:
                    yield sheet, ref, read_note(comments, vml, ref)

    # --- applying ----------------------------------------------------------------------------

    def apply(self, plan: Plan) -> None:
        from .apply import apply

        with no_cycle_collection():  # the collector walking the Book just read was a fifth of a fill
            apply(self, plan)

    def touched(self) -> set[str]:
        """The parts this surface changed, added or removed (for tests)."""
        return self.package.touched()

    def save(self, out: Path) -> Path:
        """Write the patched workbook through a temporary file and a rename. The input is closed
        once copied from, before the rename (Windows cannot replace a file that is open)."""
        members = self.package.members()

        def write(tmp: Path) -> None:
            try:
                zipio.write(tmp, self.package.archive, members)
            except zipio.ZipTooLarge:
                raise BudgetbookError(f"无法写入 {out}：工作簿超过 4 GB，budgetbook 无法处理。") from None
            finally:
                self.close()

        return write_atomic(Path(out), write)

    # --- the rest of the Surface protocol (surfaces.surface): a file has no host to talk to ---

    def finish(self) -> None:
        if self.out is not None:
            self.save(self.out)

    def progress(self, text: str) -> None:
        pass

    def saved_file(self) -> Path:
        return self.path

    def folder(self) -> Path:
        return self.path.parent

    def open(self, path: Path) -> None:
        pass

    def print_pdf(self, xlsx: Path, pdf: Path) -> bool:
        return False

    def close(self) -> None:
        """Let go of the input file (the surface cannot read or save after this)."""
        if self._calamine is not None:
            try:
                self._calamine.close()
            except Exception:
                pass
            self._calamine = None
        self.package.archive.close()


def _put(rows: list[list], values: dict[tuple[int, int], object]) -> None:
    """Values into the rows read from A1, growing them where they lie beyond."""
    for (r, c), value in values.items():
        put(rows, r, c, value)


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    if text == "DTD":
        return "含有 DOCTYPE 或实体声明，Excel 不会写出这样的内容，出于安全考虑不予处理"
    return text[:80] if text else type(exc).__name__


__all__ = ["PackageSurface", "addr", "split_range", "F_FORMULA"]
