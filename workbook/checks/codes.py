"""Classification codes (政府收支分类科目): format, catalogue, names, 类/款/项 structure.

表六/表十/表十一 carry functional codes (支出功能分类, 3/5/7 digits), 表七 economic codes
(部门预算支出经济分类, 3/5 digits), 表九 economic 款 in brackets "[30201]办公费", 表一/表四
one functional 类 per expenditure line. A malformed code is reported once, by C.code-format or
C.code-as-number; the other rules only look at well-formed codes so one typo is one finding.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..catalog import Catalog, normalize_code
from ..model import Row, Table
from .. import spec
from ..money import fmt
from ..reader import norm
from .base import Context, Place, Rule, register
from .rows import CODE_TABLES, code_rows, item_rows, label_place, rows_with_code

LEVEL = {3: "类", 5: "款", 7: "项"}
ADMIN_RUN = "行政运行"
# "2.01E+06": a code shown in scientific notation and then saved as text; the digits are gone.
SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+]?\d+$")


# --- helpers shared by the rules (finding rows: rows.py) -----------------------------------

def lengths(table: Table) -> tuple[int, ...]:
    return table.spec.lengths  # 表七 (基本支出) is detailed to the economic 款, never deeper


def zero_part(code: str) -> bool:
    """款 or 项 digits "00" do not exist in either classification (they number from 01)."""
    return code[3:5] == "00" or code[5:7] == "00"


def well_formed(code: str | None, table: Table) -> bool:
    """Plain half-width digits of a length this table allows (what the roll-up understands)."""
    return bool(code) and code.isascii() and code.isdigit() and len(code) in table.spec.lengths \
        and not zero_part(code)


def well_coded(ctx: Context, table_ids: tuple[str, ...] = CODE_TABLES) -> list[tuple[Table, Row]]:
    """code_rows whose code is well formed: what most code rules look at (listed once per check)."""
    return [pair for tid in table_ids for pair in _sorted_codes(ctx, tid)[0]]


def ill_coded(ctx: Context, table_ids: tuple[str, ...] = CODE_TABLES) -> list[tuple[Table, Row]]:
    """code_rows whose code is not well formed (C.code-format's and C.code-as-number's; usually none)."""
    return [pair for tid in table_ids for pair in _sorted_codes(ctx, tid)[1]]


def _sorted_codes(ctx: Context, tid: str) -> tuple[list, list]:
    def sort():
        good, bad = [], []
        for table, row in code_rows(ctx, (tid,)):
            (good if well_formed(row.code, table) else bad).append((table, row))
        return good, bad

    return ctx.memo(("sorted_codes", tid), sort)


def catalog_of(ctx: Context, table: Table) -> Catalog:
    return ctx.economic if getattr(table.spec, "catalog", "economic") == "economic" else ctx.functional


def code_place(table: Table, row: Row) -> Place:
    return Place(table.sheet, f"{table.spec.letter(table.spec.code_col)}{row.r}")


def figure_places(table: Table, row: Row, cols) -> list[Place]:
    return [Place(table.sheet, row.addr(c)) for c in cols if c in row.letters]


def nonzero(value) -> bool:
    return isinstance(value, Decimal) and value != 0


def labelled(code: str, name: str | None) -> str:
    return f"{code} {name}" if name else code


# --- rules -----------------------------------------------------------------------------------

@register
class CodeFormat(Rule):
    id = "C.code-format"
    title = "科目编码应为 3、5 或 7 位半角数字（表七为 3 或 5 位），不得为空"
    severity = "error"
    tables = CODE_TABLES
    template = "{what}"

    def check(self, ctx: Context):
        for table, row in ill_coded(ctx):
            code = row.code or ""
            allowed = "、".join(str(n) for n in lengths(table))
            if not code:
                what = f"科目编码为空（科目名称“{row.label}”）" if row.label else "该行有金额但科目编码为空"
                yield self.finding([code_place(table, row)], actual="空", what=what + "，无法确定汇总关系")
            elif SCIENTIFIC.match(code):
                continue  # C.code-as-number
            elif code.isascii() and code.isdigit():
                if len(code) not in lengths(table):
                    hint = "，表七经济分类只列到款" if table.spec.id == "T7" and len(code) == 7 else ""
                    yield self.finding([code_place(table, row)], actual=code,
                                       what=f"科目编码“{code}”为 {len(code)} 位，应为 {allowed} 位{hint}")
            elif normalize_code(code) and len(normalize_code(code)) in lengths(table):
                # Full-width digits or "2010301.0" typed as text: readable, but the roll-up
                # matches codes character by character and would miss the parent.
                yield self.finding([code_place(table, row)], actual=code,
                                   what=f"科目编码“{code}”含全角数字或小数点，应改为半角数字 {normalize_code(code)}")
            else:
                yield self.finding([code_place(table, row)], actual=code,
                                   what=f"科目编码“{code}”不是 {allowed} 位数字")


@register
class CodeAsNumber(Rule):
    id = "C.code-as-number"
    title = "科目编码应按文本保存，不得被科学计数法截断"
    severity = "error"
    tables = CODE_TABLES
    template = "科目编码“{actual}”{what}，请将编码列设为文本格式后重新输入"

    def check(self, ctx: Context):
        for table, row in ill_coded(ctx):  # a well-formed code is neither scientific nor with a 00 part
            code = row.code or ""
            if SCIENTIFIC.match(code):
                yield self.finding([code_place(table, row)], actual=code,
                                   what="是科学计数法显示的数字，原编码的后几位已丢失")
            elif code.isascii() and code.isdigit() and len(code) in lengths(table) and zero_part(code):
                yield self.finding([code_place(table, row)], actual=code,
                                   what="的款或项位为 00，不是有效科目，多为编码按数字保存后被四舍五入（如 2.01E+06）")


@register
class CodeKnown(Rule):
    id = "C.code-known"
    title = "科目编码应在当年政府收支分类科目中"
    severity = "error"
    also = {"warning": "只是不在内置的不完整功能分类目录中"}
    tables = (*CODE_TABLES, "T9")
    template = "科目编码 {actual} {what}"

    def check(self, ctx: Context):
        for table, row in well_coded(ctx):
            cat = catalog_of(ctx, table)
            if row.code not in cat.names:  # a well-formed code is its own normal form
                yield from self._one(ctx, table, row, cat)
        for table, row in item_rows(ctx):
            code = normalize_code(row.code)
            if code and not zero_part(code):
                yield from self._one(ctx, table, row, ctx.economic, place=label_place(table, row))

    def _one(self, ctx, table, row, cat: Catalog, place=None):
        code = normalize_code(row.code)
        if code in cat.names or cat.suggest(code, row.label):
            return  # a name naming another code: C.suggest says which (checks/suggest.py)
        place = place or code_place(table, row)
        if cat is ctx.economic:
            yield self.finding([place], actual=code, what="不是有效的经济分类科目")
        elif code[:3] not in cat:
            # The functional list has every 类 even when partial: a wrong 类 is certain.
            yield self.finding([place], actual=code, what=f"不是有效的功能分类科目（{code[:3]} 不是功能分类的类）")
        elif cat.complete:
            yield self.finding([place], actual=code, what="不是有效的功能分类科目")
        else:
            yield self.finding([place], severity="warning", actual=code,
                               what=f"未在目录中（本工具内置的 {cat.edition} 年功能分类科目目录，不完整），请核对编码；"
                                    "如为现行科目，可用 --catalog 导入财政部门下发的科目表")


@register
class CodeName(Rule):
    id = "C.name"
    title = "科目名称应与当年科目目录的现行名称一致"
    severity = "warning"
    tables = ("T1", "T4", *CODE_TABLES, "T9")
    template = "科目 {code} 的名称为“{actual}”，现行名称为“{expected}”"

    def check(self, ctx: Context):
        for table, row in well_coded(ctx):
            cat, name = catalog_of(ctx, table), row.label or ""
            if name != cat.names.get(row.code):  # the usual row, its name as catalogued, told at once
                yield from self._one(table, row, cat, name)
        for table, row in item_rows(ctx):
            if normalize_code(row.code):
                yield from self._one(table, row, ctx.economic, row.label or "")
        for table_id in ("T1", "T4"):
            table = ctx.book.tables.get(table_id)
            for row in table.rows if table else ():
                # 表一/表四 print the functional 类 after an ordinal: "七、" / "（七）"
                if row.code and row.key.startswith("exp.") and norm(row.label):
                    yield from self._one(table, row, ctx.functional, norm(row.label))

    def _one(self, table, row, cat: Catalog, name: str):
        current = cat.name(row.code)
        if current is None:
            return  # unknown code: C.code-known
        if not name.strip():
            yield self.finding([label_place(table, row)], expected=current, actual="空", code=row.code)
        elif Catalog.normalize_name(name) != Catalog.normalize_name(current):
            yield self.finding([label_place(table, row)], expected=current, actual=name, code=row.code)


@register
class CodeHierarchy(Rule):
    id = "C.hierarchy"
    title = "项应列在所属款下、款应列在所属类下，上级科目行不得缺少"
    severity = "error"
    tables = CODE_TABLES
    template = "{what}"

    def check(self, ctx: Context):
        for table_id in CODE_TABLES:
            table = ctx.book.tables.get(table_id)
            if table is None:
                continue
            cat = catalog_of(ctx, table)
            rows = [row for _, row in well_coded(ctx, (table_id,))]
            first = {}
            for i, row in enumerate(rows):
                first.setdefault(row.code, i)
            yield from self._missing(table, rows, first, cat)
            yield from self._order(table, rows, first)

    def _missing(self, table, rows, first, cat):
        """One finding per missing parent, naming every row that should sit under it."""
        orphans: dict[str, list[Row]] = {}
        for row in rows:
            parent = Catalog.parent(row.code)
            if parent and parent not in first and parent[:3] in cat:  # no such 类: C.code-known says so
                orphans.setdefault(parent, []).append(row)
        for parent, children in orphans.items():
            missing = [parent] + ([parent[:3]] if len(parent) == 5 and parent[:3] not in first else [])
            names = "、".join(f"{LEVEL[len(c)]} {labelled(c, cat.name(c))}" for c in missing)
            listed = "、".join(r.code for r in children)
            yield self.finding([code_place(table, r) for r in children], expected=parent, actual=listed,
                               what=f"{listed} 缺少上级科目 {names} 的行，汇总时会越级或漏计")

    def _order(self, table, rows, first):
        """A child must sit in its parent's block: after the parent, with only its descendants between."""
        ends: dict[int, int] = {}  # parent row -> first row after it that is not its descendant

        def block_end(j: int, parent: str) -> int:
            if j not in ends:
                k = j + 1
                while k < len(rows) and rows[k].code.startswith(parent):
                    k += 1
                ends[j] = k
            return ends[j]

        for i, row in enumerate(rows):
            parent = Catalog.parent(row.code)
            j = first.get(parent) if parent else None
            if j is None or first.get(row.code) != i:
                continue  # missing parent: above; a repeated code: C.duplicate
            if j > i:
                where = f"列在上级科目 {parent} 之前"
            elif block_end(j, parent) < i:
                where = f"未紧接在上级科目 {parent} 所属的行之下"
            else:
                continue
            yield self.finding([code_place(table, row), code_place(table, rows[j])], expected=parent,
                               actual=row.code, what=f"{LEVEL[len(row.code)]} {row.code} {where}，层级顺序错乱")


@register
class CodeDuplicate(Rule):
    id = "C.duplicate"
    title = "同一张表中科目编码不得重复"
    severity = "error"
    tables = (*CODE_TABLES, "T9")
    template = "科目编码 {actual} 在{sheet}中出现 {count} 次，金额可能重复计算"

    def check(self, ctx: Context):
        for listed in [*(code_rows(ctx, (tid,)) for tid in CODE_TABLES), item_rows(ctx)]:
            seen: dict[str, list[tuple[Table, Row]]] = {}  # one table's rows by code
            for table, row in listed:
                code = normalize_code(row.code)
                if code:
                    seen.setdefault(code, []).append((table, row))
            for code, rows in seen.items():
                if len(rows) > 1:
                    # the repeated (later) rows first: they are the likely slip
                    places = [self._place(t, r) for t, r in rows[1:] + rows[:1]]
                    yield self.finding(places, actual=code, sheet=rows[0][0].sheet, count=len(rows))

    @staticmethod
    def _place(table, row):
        return label_place(table, row) if row.kind == "item" else code_place(table, row)


@register
class LeafLevel(Rule):
    id = "C.leaf-level"
    title = "一般公共预算支出应细化到功能分类项，基本支出应细化到经济分类款"
    severity = "warning"
    tables = ("T6", "T7")
    template = "{level} {code} 下没有下级科目，金额直接列在{level}上；{rule}"
    RULE = {"T6": "一般公共预算支出应细化到功能分类的项", "T7": "基本支出应细化到经济分类的款"}

    def check(self, ctx: Context):
        for table, row in well_coded(ctx, ("T6", "T7")):
            depth, rule = table.spec.lengths[-1], self.RULE[table.spec.id]  # the leaf level: 项, 表七 款
            if not row.inputs or len(row.code) >= depth:
                continue
            if row.code[:3] not in catalog_of(ctx, table):
                continue  # a wrong 类 is C.code-known; its rows cannot be placed anyway
            typed = [c for c in sorted(row.inputs) if nonzero(row.values.get(c))]
            if typed:
                yield self.finding([code_place(table, row), *figure_places(table, row, typed)],
                                   actual=row.code, level=LEVEL[len(row.code)],
                                   code=labelled(row.code, row.label), rule=rule)


@register
class PersonnelClass(Rule):
    id = "C.personnel-class"
    title = "基本支出只应列 301、303（人员经费）和 302、310（公用经费）"
    severity = "warning"
    tables = ("T7",)
    template = "基本支出列有 {code}（金额 {actual}），不属于人员经费（301、303）或公用经费（302、310），应列入项目支出"

    def check(self, ctx: Context):
        for table, row in well_coded(ctx, ("T7",)):
            if not row.inputs or row.code not in ctx.economic:
                continue
            if row.code[:3] not in spec.BASIC_CLASSES:
                yield self.finding([code_place(table, row)], actual=fmt(row.values.get("total")),
                                   code=labelled(row.code, row.label))


@register
class AdminRun(Rule):
    id = "C.admin-run"
    title = "行政运行科目用于基本支出，不应安排项目支出"
    severity = "warning"
    tables = ("T6",)
    template = "{code} 安排了项目支出 {actual}；行政运行反映机关基本支出，项目支出应列入一般行政管理事务等科目"

    def check(self, ctx: Context):
        for table, row in well_coded(ctx, ("T6",)):
            if len(row.code) != 7 or not row.code.endswith("01"):
                continue
            name = ctx.functional.name(row.code) or row.label or ""
            project = row.values.get("project")
            if Catalog.normalize_name(name) == ADMIN_RUN and nonzero(project) and project > 0:
                yield self.finding(figure_places(table, row, ["project"]) + [code_place(table, row)],
                                   actual=fmt(project), code=labelled(row.code, row.label))


@register
class RunningCostItem(Rule):
    id = "C.t9-item"
    title = "机关运行经费的项目应为 302 商品和服务支出或 310 资本性支出的款"
    severity = "warning"
    tables = ("T9",)
    template = "表九项目“{actual}”{what}"

    def check(self, ctx: Context):
        for table, row in item_rows(ctx):
            code = normalize_code(row.code)
            if row.code is None:
                yield self.finding([label_place(table, row)], actual=row.label,
                                   what="未标注经济分类编码，应写成“[30201]办公费”的形式")
            elif code is None or len(code) != 5:
                yield self.finding([label_place(table, row)], actual=f"[{row.code}]{row.label}",
                                   what="的编码不是 5 位经济分类款，如“[30201]办公费”")
            elif code in ctx.economic and (len(code) != 5 or code[:3] not in table.spec.item_classes):
                yield self.finding([label_place(table, row)], actual=labelled(code, row.label),
                                   what="不是 302 商品和服务支出或 310 资本性支出下的款，不属于机关运行经费")


@register
class OtherTakesAll(Rule):
    id = "C.other-whole"
    title = "“其他”科目不应占上级科目的全部金额"
    severity = "warning"
    tables = ("T6", "T7")
    template = "{code} 为 {actual}，等于上级科目 {parent} 的全部金额，支出未按具体科目细化"

    def check(self, ctx: Context):
        for table, row in well_coded(ctx, ("T6", "T7")):
            code = row.code
            if len(code) == 3 or not code.endswith("99") or Catalog.parent(code).endswith("99"):
                continue  # a 其他 项 under a 其他 款 (2129999 in 21299) is that 款 itself
            # its first occurrence
            parent = next(iter(rows_with_code(ctx, table.spec.id, Catalog.parent(code))), None)
            mine, whole = row.values.get("total"), parent.values.get("total") if parent else None
            if nonzero(mine) and mine == whole:
                yield self.finding(figure_places(table, row, ["total"]) + figure_places(table, parent, ["total"]),
                                   actual=fmt(mine), code=labelled(code, row.label),
                                   parent=labelled(parent.code, parent.label))
