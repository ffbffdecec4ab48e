"""Departments for tests and bench: the bundled example, and the example made n times larger.

`scaled(n)` keeps every figure of the reference department, so it checks exactly like it: the
money of its one unit is shared among n units (exact to the cent), and 表六/表七 get about n times
their rows (表七 as many as the catalogue has under 301/302/303/310), catalogued codes carrying
0.00.
"""
from __future__ import annotations

from decimal import Decimal

from workbook import example
from workbook.catalog import economic, functional
from workbook.content import Content, NamedRow
from workbook.spec import BASIC_CLASSES

CENT = Decimal("0.01")


def _share(amount: Decimal, n: int) -> list[Decimal]:
    part = (amount / n).quantize(CENT, rounding="ROUND_DOWN")
    return [part] * (n - 1) + [amount - part * (n - 1)]


def _units(rows: list[NamedRow], n: int) -> list[NamedRow]:
    [unit] = rows
    shares = {key: _share(value, n) for key, value in unit.values.items() if value is not None}
    return [NamedRow(unit.name if i == 0 else f"{unit.name}所属单位{i}",
                     {key: parts[i] for key, parts in shares.items()}) for i in range(n)]


def _more_codes(rows: list[NamedRow], names: dict[str, str], wanted: int, zero: dict,
                only: tuple[str, ...] = ()) -> list[NamedRow]:
    """`rows` plus catalogued rows carrying zero, in code order, until there are `wanted` rows (or
    the catalogue runs out): first in the 类 already there, then in others (with their 类 row);
    `only`: the 类 allowed at all (表七's 基本支出 keeps to 301/302/303/310)."""
    have = {row.code for row in rows}
    leaf = max(len(row.code) for row in rows)
    classes = sorted({row.code[:3] for row in rows})
    order = sorted((c for c in names if not only or c[:3] in only),
                   key=lambda code: (code[:3] not in classes, code))
    added: list[str] = []
    for code in order:
        if len(rows) + len(added) >= wanted:
            break
        if code in have or len(code) != leaf:
            continue
        parents = [code[:k] for k in (3, 5) if k < leaf and code[:k] in names]
        if len(parents) != len([k for k in (3, 5) if k < leaf]):
            continue  # its 类/款 is not catalogued: keep the department clean
        added += [p for p in parents if p not in have and p not in added] + [code]
    rows = rows + [NamedRow(names[c], dict(zero) if len(c) == leaf else {}, c) for c in added]
    return sorted(rows, key=lambda row: row.code)


def scaled(n: int) -> Content:
    content = example.reference()
    if n == 1:
        return content
    for tid in ("T3", "T5", "T8"):
        content.rows[tid] = _units(content.rows[tid], n)
    content.rows["T6"] = _more_codes(content.rows["T6"], functional().names, n * len(content.rows["T6"]),
                                     {"basic": Decimal("0.00"), "project": Decimal("0.00")})
    content.rows["T7"] = _more_codes(content.rows["T7"], economic().names, n * len(content.rows["T7"]),
                                     {"total": Decimal("0.00")}, only=BASIC_CLASSES)
    return content


def large(units: int, rows: int) -> Content:
    """A department with `units` units and about `rows` 表六 rows (类, 款 and 项 rows under the real
    类 codes, 项 carrying 1.25 basic and 0.50 project): a file that takes seconds to write."""
    from workbook.spec import FUNCTIONAL_CLASSES

    content = example.reference()
    for tid in ("T3", "T5", "T8"):
        content.rows[tid] = _units(content.rows[tid], units)
    table: list[NamedRow] = []
    for code, name in FUNCTIONAL_CLASSES:
        if len(table) >= rows:
            break
        table.append(NamedRow(name, code=code))
        for k in range(1, 100):
            if len(table) >= rows:
                break
            table.append(NamedRow(f"款{code}{k:02d}", code=f"{code}{k:02d}"))
            table += [NamedRow(f"项{code}{k:02d}{i:02d}", {"basic": Decimal("1.25"), "project": Decimal("0.50")},
                               code=f"{code}{k:02d}{i:02d}") for i in range(1, 21)]
    content.rows["T6"] = table
    return content
