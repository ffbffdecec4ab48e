"""Ledgers (the budget system's detail export) of every department shape, made here rather than
committed as binaries: for the tests, the bench and docs/ledger.md's example.

`department(...)` returns the lines (canonical keys, amounts in 元 with two decimals as text);
`write(lines, path)` writes them as .xlsx, .csv (GBK or UTF-8) in one of the column spellings the
systems use, under a merged title row. Every generated department is consistent as an approved
budget is (social-insurance 款 booked under their 项, names from the bundled catalogues), so what
`budgetbook build` makes of it must check without an arithmetic or cross-table error.

    python -m tests.ledgers OUT.xlsx [--units 40 --lines 2000 --seed 1]  # a ledger to try
"""
from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from workbook import catalog

# the column spellings of two systems' exports, and codes with names in one cell
SPELLINGS = {
    "standard": {"unit": "单位名称", "unit_type": "单位类型", "func_code": "功能分类科目编码",
                 "func_name": "功能分类科目名称", "econ_code": "部门经济分类科目编码",
                 "econ_name": "部门经济分类科目名称", "source": "资金性质", "kind": "支出类型",
                 "project": "项目名称", "yuan": "金额（元）"},
    "system": {"unit": "预算单位名称", "unit_type": "单位性质", "func_code": "支出功能科目编码",
               "func_name": "支出功能科目名称", "econ_code": "支出经济科目编码", "econ_name": "支出经济科目名称",
               "source": "资金来源", "kind": "支出类型", "project": "预算项目名称", "yuan": "金额(元)"},
    "combined": {"unit": "预算单位", "unit_type": "单位性质", "func_code": "功能科目", "econ_code": "经济科目",
                 "source": "资金来源", "kind": "支出类型", "project": "项目名称", "yuan": "金额"},
}
KEYS = ("unit", "unit_type", "func_code", "func_name", "econ_code", "econ_name", "source", "kind", "project", "yuan")

SHAPES = ("admin", "institutions", "funds", "civil")
_PUBLIC = ("30201", "30202", "30205", "30206", "30207", "30211", "30213", "30215", "30216", "30217", "30228",
           "30229", "30231", "30239", "30299", "31002")
_PROJECT_ECON = ("30201", "30215", "30216", "30226", "30227", "30212", "30217", "31013", "30231", "31002", "31003")
# 资金性质 -> the 功能 项 a project of that money is booked under
_PROJECT_FUNC = {"一般公共预算": ("2010302", "2010399"), "政府性基金预算": ("2120801", "2120802"),
                 "国有资本经营预算": ("2230105",), "事业收入": ("2010350",), "上年结转": ("2010302",),
                 "其他收入": ("2010350",)}


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str  # 行政, 参公, 事业


def units_of(shape: str, dept: str = "某局", count: int = 3) -> list[Unit]:
    if shape == "admin":
        return [Unit(f"{dept}本级", "行政")]
    if shape == "civil":
        return [Unit(f"{dept}本级", "参公"), Unit(f"{dept}执法支队", "参公")]
    first = [Unit(f"{dept}机关", "行政")]
    return first + [Unit(f"{dept}所属{n}中心", "事业" if shape == "institutions" or n % 2 else "参公")
                    for n in range(1, count)]


def sources_of(shape: str) -> tuple[str, ...]:
    return {"admin": ("一般公共预算",), "civil": ("一般公共预算",),
            "institutions": ("一般公共预算", "事业收入", "上年结转", "其他收入"),
            "funds": ("一般公共预算", "政府性基金预算", "国有资本经营预算")}[shape]


def department(shape: str = "institutions", *, units: list[Unit] | None = None, projects: int = 3,
               seed: int = 0, big: int = 2_000_000) -> list[dict[str, str]]:
    """A department's ledger lines. `big`: the largest line in 元 (amounts are random, in 分)."""
    rng = random.Random(seed)
    units = units or units_of(shape)
    sources = sources_of(shape)

    def line(u: Unit, func: str, econ: str, source: str, kind: str, project: str = "") -> dict[str, str]:
        fen = rng.randint(1, big * 100)
        return {"unit": u.name, "unit_type": u.kind, "func_code": func, "func_name": _func_name(func),
                "econ_code": econ, "econ_name": _econ_name(econ), "source": source, "kind": kind,
                "project": project, "yuan": f"{Decimal(fen) / 100:.2f}"}

    out = []
    for u in units:
        admin = "2010301" if u.kind in ("行政", "参公") else "2010350"
        medical = "2101101" if u.kind in ("行政", "参公") else "2101102"
        basic_sources = ["一般公共预算"] + (["事业收入"] if u.kind == "事业" and "事业收入" in sources else [])
        for source in basic_sources:
            for func, econ in ((admin, "30101"), (admin, "30102"), (admin, "30107"), ("2080505", "30108"),
                               ("2080506", "30109"), (medical, "30110"), ("2210201", "30113"), (admin, "30305")):
                out.append(line(u, func, econ, source, "人员经费"))
            if u.kind != "事业":
                out.append(line(u, "2101103", "30111", source, "人员经费"))
            for econ in rng.sample(_PUBLIC, rng.randint(3, len(_PUBLIC))):
                out.append(line(u, admin, econ, source, "公用经费"))
        if "上年结转" in sources and rng.random() < 0.5:
            out.append(line(u, admin, "30201", "上年结转", "公用经费"))
    for n in range(projects):
        u = units[n % len(units)]
        source = sources[n % len(sources)] if n < len(sources) else rng.choice(sources)
        if source == "事业收入" and u.kind != "事业":
            source = "一般公共预算"
        name = f"{u.name}专项工作经费{n + 1}"
        for econ in rng.sample(_PROJECT_ECON, rng.randint(1, 4)):
            out.append(line(u, rng.choice(_PROJECT_FUNC[source]), econ, source, "项目支出", name))
    return out


def _func_name(code: str) -> str:
    return catalog.functional(2025).name(code) or ""


def _econ_name(code: str) -> str:
    return catalog.economic().name(code) or ""


def rows(lines: list[dict[str, str]], spelling: str = "standard") -> tuple[list[str], list[list[str]]]:
    """The header and the rows as the export lays them out in `spelling`."""
    names = SPELLINGS[spelling]
    header = [names[k] for k in KEYS if k in names]
    body = []
    for line in lines:
        cells = dict(line)
        if spelling == "combined":
            cells["func_code"] = f"[{line['func_code']}]{line['func_name']}"
            cells["econ_code"] = f"{line['econ_code']} {line['econ_name']}"
        body.append([cells[k] for k in KEYS if k in names])
    return header, body


def write(lines: list[dict[str, str]], path: Path, *, spelling: str = "standard", title: str | None = "某局2025年部门预算明细",
          encoding: str = "gbk", extra_rows: list[tuple[int, list]] = ()) -> Path:
    """An .xlsx (numbers as numbers, a merged title row) or a .csv (`encoding`) of the lines;
    `extra_rows`: (position among the body rows, cells) put in as an export would (repeated headers,
    subtotals)."""
    path = Path(path)
    header, body = rows(lines, spelling)
    for at, cells in sorted(extra_rows, key=lambda e: e[0], reverse=True):
        body.insert(at, cells)
    if path.suffix == ".csv":
        with path.open("w", encoding=encoding, newline="") as fh:
            out = csv.writer(fh)
            if title:
                out.writerow([title] + [""] * (len(header) - 1))
            out.writerow(header)
            out.writerows(body)
        return path
    from openpyxl import Workbook

    small = len(body) < 20_000  # a large ledger is written streaming (no merged title then)
    book = Workbook(write_only=not small)
    sheet = book.active if small else book.create_sheet("明细")
    sheet.title = "明细"
    if title:
        sheet.append([title])
        if small:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    money = header.index(SPELLINGS[spelling]["yuan"])
    for cells in body:
        cells = list(cells)
        try:
            cells[money] = float(cells[money])
        except (ValueError, IndexError):
            pass
        sheet.append(cells)
    book.save(path)
    return path


def large(units: int = 3000, lines: int = 200_000, seed: int = 1) -> list[dict[str, str]]:
    """A large department for the bench: `units` units and a project each, `lines` lines (the
    projects' lines spread over their economic 款, as a large department's are)."""
    us = [Unit(f"某局所属单位{n:04d}", ("行政", "参公", "事业")[n % 3]) for n in range(units)]
    out = department("institutions", units=us, projects=units, seed=seed)
    projects = [x for x in out if x["kind"] == "项目支出"]
    rng = random.Random(seed)
    while len(out) < lines:
        extra = dict(rng.choice(projects))
        econ = rng.choice(_PUBLIC + _PROJECT_ECON)
        extra.update(econ_code=econ, econ_name=_econ_name(econ), yuan=f"{Decimal(rng.randint(1, 10**8)) / 100:.2f}")
        out.append(extra)
    return out[:lines]


def main() -> None:
    parser = argparse.ArgumentParser(description="生成一份示例明细表")
    parser.add_argument("out", type=Path)
    parser.add_argument("--shape", default="institutions", choices=SHAPES)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spelling", default="standard", choices=tuple(SPELLINGS))
    args = parser.parse_args()
    write(department(args.shape, projects=args.projects, seed=args.seed), args.out, spelling=args.spelling)
    print(args.out)


if __name__ == "__main__":
    main()
