"""`budgetbook check` and `budgetbook rules`: the checker and its catalogue."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import checks
from ..catalog import load_catalog_file
from ..errors import BudgetbookError
from ..grid import CalamineGrid
from ..reader import read
from .common import target


def _inputs(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for every workbook in it (a finance bureau's batch)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm")
                            and not p.name.startswith(("~$", ".~")))
        else:
            found.append(path)
    if not found:
        raise BudgetbookError(f"{', '.join(map(str, paths))} 中没有 .xlsx 工作簿。")
    return found


def check_file(path: Path, catalog=None) -> checks.Report:
    return checks.run(read(CalamineGrid(path), strict=False), catalog=catalog)


def run_check(args) -> int:
    paths = _inputs(args.inputs)
    marking = args.mark or args.mark_in_place
    if marking and len(paths) != 1:
        raise BudgetbookError("--mark 和 --mark-in-place 一次只能用于一个工作簿。")
    out = (paths[0] if args.mark_in_place else target(args.mark, args.force, paths[0])) if marking else None
    catalog = load_catalog_file(args.catalog) if args.catalog else None
    reports, status = [], 0
    for path in paths:
        try:
            reports.append(check_file(path, catalog))
        except BudgetbookError as exc:
            if len(paths) == 1:
                raise
            print(f"budgetbook: {exc}", file=sys.stderr)
            status = 2
    if args.format == "json":
        rows = [dict(f.to_dict(), file=str(r.path)) for r in reports for f in r.findings]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            print(report.summary())
        if len(reports) > 1:
            bad = sum(1 for r in reports if not r.ok)
            print(f"\n共检查 {len(reports)} 个工作簿，其中 {bad} 个有错误。")
    if out is not None:
        from ..marks import mark

        count = mark(paths[0], reports[0], out)
        print(f"已在 {out} 中标出 {count} 个单元格，并列出“校验结果”表。", file=sys.stderr)
    if status:
        return status
    return 1 if any(not r.ok for r in reports) else 0


def run_rules(args) -> int:
    for rule in checks.rules():
        print(f"{rule.id:<24} {rule.severity:<8} {rule.title}")
    return 0


def add(sub) -> None:
    check = sub.add_parser("check", help="校验 12 张表（表内、表间、科目编码、格式）")
    check.add_argument("inputs", type=Path, nargs="+", help="工作簿，或包含多个工作簿的文件夹")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--mark", type=Path, metavar="OUT", help="另存一份标出问题单元格的工作簿")
    check.add_argument("--mark-in-place", action="store_true", help="直接在原工作簿中标出问题")
    check.add_argument("--catalog", type=Path, help="财政部门下发的科目目录（.xlsx 或 .csv，两列：编码、名称）")
    check.add_argument("--force", action="store_true", help="覆盖已存在的 --mark 输出文件")
    check.set_defaults(run=run_check)

    rules = sub.add_parser("rules", help="列出全部校验规则")
    rules.set_defaults(run=run_rules)



