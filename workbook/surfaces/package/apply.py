"""Carry a Plan out on the package (see PackageSurface): every check first, then the edits, in the
order OpenpyxlSurface applies them (sheets removed, values, named styles, fills, notes, sheets
added, the active sheet). Nothing is written to disk here; a refusal leaves the file as it was.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ...cells import addr, split_range, split_ref
from ...errors import BudgetbookError
from ...plan import Plan
from . import opc, xml
from .book import NewName, Sheet
from .newsheet import defined_names, sheet_xml
from .notes import NotesEdit
from .sheet import KEEP, SheetIndex, SheetPatch

if TYPE_CHECKING:
    from . import PackageSurface


def apply(surface: "PackageSurface", plan: Plan) -> None:
    pkg = surface.package
    before = pkg.reachable()
    names = surface.sheet_names()
    removed = {name for name in plan.remove_sheets if name in names}
    touched = [s for s in dict.fromkeys([*plan.values, *plan.styles, *plan.fills, *plan.notes]) if s not in removed]
    for sheet in touched:
        if sheet not in names:
            raise BudgetbookError(f"无法写入 {surface.path}：工作簿中没有工作表“{sheet}”。")
    patches = {sheet: _patch_sheet(surface, plan, sheet) for sheet in touched}
    full_calc = False
    for sheet, patch in patches.items():
        try:
            data = patch.result()
        except (xml.XmlError, ValueError) as exc:
            first = next(iter(patch.cells), (1, 1))
            raise _refuse(surface, sheet, addr(*first), f"无法在该表中安全地插入单元格（{exc}）") from None
        if data is not None:
            pkg.write(surface.parts[sheet], data)
        if plan.values.get(sheet):
            full_calc = True
    if full_calc:
        full_calc = _has_formulas(surface)
    # sheets removed: their relationship goes; the parts only they used go with the sweep
    for name in removed:
        sheet = next(s for s in surface.book.sheets if s.name == name)
        surface.book_rels.remove(sheet.rid)
        part = surface.parts.get(name)
        if part and pkg.exists(part):  # now, so that a sheet added in its place may take its name
            if pkg.exists(opc.rels_path(part)):
                pkg.delete(opc.rels_path(part))
            pkg.delete(part)
    # sheets added
    added: list[Sheet] = []
    new_names: list[NewName] = []
    next_id = max([s.sheet_id for s in surface.book.sheets if s.name not in removed] + [0]) + 1
    styles = surface.styles() if plan.add_sheets else None
    for sheet_plan in plan.add_sheets:
        part = pkg.free_name("xl/worksheets/sheet{}.xml")
        pkg.write(part, sheet_xml(sheet_plan, styles.formatted))
        pkg.types.override(part, opc.CT_WORKSHEET)
        rid = surface.book_rels.add(opc.RT_WORKSHEET, part)
        added.append(Sheet(sheet_plan.name, next_id, sheet_plan.state, rid))
        next_id += 1
        new_names += [NewName(name, sheet_plan.name, formula, hidden)
                      for name, formula, hidden in defined_names(sheet_plan)]
    if surface._styles is not None and surface._styles.changed():
        pkg.write(surface.styles_part, surface._styles.render())
    data, switched = surface.book.render(removed, added, new_names, plan.active, full_calc)
    if data is not None:
        pkg.write(surface.book_part, data)
    if switched is not None:
        _select(surface, switched, removed)
    if removed:
        _drop_calc_chain(surface, {s.sheet_id for s in surface.book.sheets if s.name in removed})
    pkg.sweep(before)
    for sheet, values in plan.values.items():
        surface._written.setdefault(sheet, {}).update(values)
    surface._reload()


def _has_formulas(surface) -> bool:
    return any(surface._has_formulas(name) for name in surface.sheet_names())


def _select(surface, active: str, removed: set[str]) -> None:
    """The sheet opened on is the only selected tab (tabSelected) among the user's sheets."""
    for sheet in surface.sheet_names():
        if sheet in removed or surface.kinds.get(sheet) != "worksheet":
            continue
        data = surface.package.read(surface.parts[sheet]) or b""
        if sheet != active and b"tabSelected" not in data:
            continue
        try:
            index = SheetIndex(data)
        except (xml.XmlError, ValueError, IndexError):
            continue  # a sheet that cannot be read is left as it is
        views = index.views
        selected = bool(views) and dict(views[0].attrs).get("tabSelected") in ("1", "true")
        if selected != (sheet == active):
            patch = SheetPatch(index)
            patch.select_tab(sheet == active)
            surface.package.write(surface.parts[sheet], patch.result())


def _drop_calc_chain(surface, sheet_ids: set[int]) -> None:
    """A calculation chain naming a removed sheet would make Excel repair the file: it goes (Excel
    rebuilds it)."""
    for rel in surface.book_rels.of_type(opc.RT_CALC_CHAIN):
        part = surface.book_rels.part(rel)
        data = surface.package.read(part) or b""
        try:
            ids = {int(n.get("i")) for n in xml.tree(data).iter() if n.get("i") and n.get("i").isdigit()}
        except xml.XmlError:
            ids = sheet_ids
        if ids & sheet_ids:
            surface.book_rels.remove(rel.id)


def _refuse(surface, sheet: str, ref: str, why: str) -> BudgetbookError:
    return BudgetbookError(f"无法写入 {surface.path} 的 {sheet}!{ref}：{why}，文件未作任何修改。")


TALL_MERGE = 64  # rows: a merged range this tall or taller is looked at for every cell


def _merges_by_row(merges: list[tuple[int, int, int, int]]):
    """The merged range holding a cell (the first in the sheet's order), found by its row: a 表十二
    of 3,000 projects has 60,000 merged ranges, and comparing each written cell with all of them
    took most of a large build."""
    rows: dict[int, list[int]] = defaultdict(list)
    tall = []
    for i, (r1, _, r2, _) in enumerate(merges):
        if r2 - r1 < TALL_MERGE:
            for r in range(r1, r2 + 1):
                rows[r].append(i)
        else:
            tall.append(i)

    def at(row: int, col: int):
        held = [i for i in (*rows.get(row, ()), *tall)
                if merges[i][0] <= row <= merges[i][2] and merges[i][1] <= col <= merges[i][3]]
        return merges[min(held)] if held else None
    return at


def _patch_sheet(surface, plan: Plan, sheet: str) -> SheetPatch:
    values = plan.values.get(sheet, {})
    restyles = plan.styles.get(sheet, {})
    fills = plan.fills.get(sheet, {})
    notes = plan.notes.get(sheet, {})
    first = next(iter([*values, *restyles, *fills, *notes]), "A1")
    if surface.kinds.get(sheet) != "worksheet":
        raise _refuse(surface, sheet, first, f"{sheet} 不是普通工作表（图表工作表或宏表），budgetbook 不能在其中写入")
    index = surface._sheet_index(sheet, first)
    patch = SheetPatch(index)
    if values:
        tables = _tables(surface, sheet)
        merged_at = _merges_by_row(index.merges)
        for ref, value in values.items():
            rc = _cell(surface, sheet, ref)
            merged = merged_at(*rc)
            if merged is not None and (merged[0], merged[1]) != rc:
                where = addr(merged[0], merged[1]) + ":" + addr(merged[2], merged[3])
                raise BudgetbookError(f"{surface.path} 的 {sheet}!{ref} 是合计单元格，但被合并在 {where} 中，无法写入；"
                                      f"请取消合并后再试。")
            if rc in index.formulas:
                formula = index.formula_text(rc) or ""
                raise _refuse(surface, sheet, ref, f"该单元格是公式“{formula[:40]}”，budgetbook 不改写公式")
            array = index.in_array(*rc)
            if array is not None:
                raise _refuse(surface, sheet, ref, f"该单元格属于 {addr(*array)} 处的数组公式，改写它会破坏公式")
            for name, (r1, c1, r2, c2) in tables:
                if r1 <= rc[0] <= r2 and c1 <= rc[1] <= c2:
                    raise _refuse(surface, sheet, ref, f"该单元格位于表格“{name}”中，budgetbook 不改写表格里的单元格"
                                                      "（可先在 Excel 中将表格转换为普通区域）")
            patch.cell(*rc).value = value
    styles = surface.styles() if (restyles or fills) else None
    for ref, change in restyles.items():
        rc = _cell(surface, sheet, ref)
        pending = patch.cells.get(rc)
        current = pending.style if pending is not None and pending.style is not None else index.style(*rc)
        if styles.style_name(current) == change.old:
            new = styles.restyled(change.new)
            if new is not None:
                patch.cell(*rc).style = new
    for ref, fill in fills.items():
        rc = _cell(surface, sheet, ref)
        pending = patch.cells.get(rc)
        current = pending.style if pending is not None and pending.style is not None else index.style(*rc)
        edit = patch.cell(*rc)
        edit.style = styles.with_fill(current, fill)
        edit.droppable = edit.value is KEEP
    if notes:
        _notes(surface, sheet, index, patch, notes)
    return patch


_REFS: dict[str, tuple[int, int]] = {}


def _cell(surface, sheet: str, ref: str) -> tuple[int, int]:
    rc = _REFS.get(ref)
    if rc is not None:
        return rc
    try:
        row, col = split_ref(ref.replace("$", "").upper())
        if not (1 <= row <= 1048576 and 1 <= col <= 16384):
            raise ValueError(ref)
        if len(_REFS) < 1 << 20:
            _REFS[ref] = (row, col)
        return row, col
    except (ValueError, IndexError):
        raise BudgetbookError(f"无法写入 {surface.path} 的 {sheet}!{ref}：这不是有效的单元格地址。") from None


def _tables(surface, sheet: str) -> list[tuple[str, tuple[int, int, int, int]]]:
    rels = surface._sheet_rels(sheet)
    out = []
    for rel in rels.of_type(opc.RT_TABLE):
        data = surface.package.read(rels.part(rel))
        if data is None:
            continue
        try:
            root = xml.tree(data)
            out.append((root.get("displayName") or root.get("name") or "", split_range(root.get("ref", ""))))
        except (xml.XmlError, ValueError, IndexError):
            raise _refuse(surface, sheet, "A1", "该表中的表格定义无法解析") from None
    return out


def _threaded(surface, sheet: str) -> set[str]:
    rels = surface._sheet_rels(sheet)
    refs = set()
    for rel in rels.of_type(opc.RT_THREADED):
        data = surface.package.read(rels.part(rel)) or b""
        try:
            refs |= {n.get("ref", "").upper() for n in xml.tree(data).iter() if n.local == "threadedComment"}
        except xml.XmlError:
            refs.add("*")
    return refs


def _idmaps(surface) -> set[int]:
    """The shape-id blocks the workbook's note drawings use (read once, before any is changed)."""
    if surface._idmap_used is None:
        used = set()
        for other in surface.sheet_names():
            if surface.kinds.get(other) == "worksheet":
                _, other_vml = surface._notes_parts(other)
                if other_vml is not None:
                    used.update(other_vml.idmap)
        surface._idmap_used = used
    return surface._idmap_used


def _notes(surface, sheet: str, index: SheetIndex, patch: SheetPatch, notes: dict) -> None:
    pkg = surface.package
    first = next(iter(notes))
    threaded = _threaded(surface, sheet)
    for ref in notes:
        if ref in threaded or "*" in threaded:
            raise _refuse(surface, sheet, ref, "该单元格有 Excel 365 的对话式批注，budgetbook 不能在不丢失对话的情况下修改它"
                                               "（可先在 Excel 中将其删除）")
    comments, vml = surface._notes_parts(sheet, strict=True, cell=first)
    rels = surface._sheet_rels(sheet)
    vml_rel = surface._vml_rel(sheet)
    if vml_rel is not None and vml is None:
        raise _refuse(surface, sheet, first, "该表的批注图形（VML）无法读取")
    idmap = 1
    if vml is None:
        used = _idmaps(surface)
        while idmap in used:
            idmap += 1
        used.add(idmap)
    try:
        result = NotesEdit(index, comments, vml, notes, new_vml_idmap=idmap).run()
    except (xml.XmlError, ValueError) as exc:
        raise _refuse(surface, sheet, first, f"该表的批注无法修改（{exc}）") from None
    # the comments part
    found = rels.of_type(opc.RT_COMMENTS)
    if result.comments is None:
        for rel in found:
            rels.remove(rel.id)
    elif found:
        pkg.write(rels.part(found[0]), result.comments)
    else:
        part = pkg.free_name("xl/comments{}.xml")
        pkg.write(part, result.comments)
        pkg.types.override(part, opc.CT_COMMENTS)
        rels.add(opc.RT_COMMENTS, part)
    # the VML drawing
    if result.vml_gone:
        if vml_rel is not None:
            rels.remove(vml_rel.id)
            patch.remove_top("legacyDrawing")
    elif result.vml is not None and vml_rel is not None:
        pkg.write(rels.part(vml_rel), result.vml)
    elif result.vml is not None:
        part = pkg.free_name("xl/drawings/vmlDrawing{}.vml")
        pkg.write(part, result.vml)
        if (pkg.types.of(part) or "") != opc.CT_VML:
            pkg.types.override(part, opc.CT_VML)
        rid = rels.add(opc.RT_VML, part)
        patch.add_legacy_drawing(rid)
    surface._comments.pop(sheet, None)
