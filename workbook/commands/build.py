"""`budgetbook build`: the 12 tables from the budget system's detail export (the ledger)."""
from __future__ import annotations

import json
from pathlib import Path

from .common import target
from .parser import year

SHOWN = 50  # findings printed in text form (all of them with --format json)


def run(args) -> int:
    from .. import jobs
    from ..errors import BudgetbookError
    from ..lock import writing

    if args.output.exists() and not args.overwrite:
        raise BudgetbookError(f"{args.output} 已存在；如确需覆盖，请加 --overwrite。")
    out = target(args.output, True)
    with writing(out):
        result = jobs.build_file(args.ledgers, out, dept=args.dept, year=args.year, prior=args.prior,
                                 force=args.force)
    if args.format == "json":
        print(json.dumps({"written": str(result.written) if result.written else None,
                          "lines": result.lines, "findings": [f.to_json() for f in result.findings],
                          "nudges": len(result.nudges), "summary": result.summary()}, ensure_ascii=False))
    else:
        order = {"error": 0, "warning": 1, "info": 2}
        shown = sorted(result.findings, key=lambda f: (order[f.severity], f.file, f.row or 0))
        for finding in shown[:SHOWN]:
            print(finding)
        if len(shown) > SHOWN:
            print(f"……另有 {len(shown) - SHOWN} 条（--format json 列出全部）。")
        print(result.summary())
    return 1 if result.written is None else 0


def add(sub) -> None:
    build = sub.add_parser("build", help="从预算系统导出的明细表生成 12 张公开表（万元，尾差已调整）")
    build.add_argument("ledgers", type=Path, nargs="+", metavar="明细", help="预算明细表（.xlsx、.xls 或 .csv，可多个）")
    build.add_argument("-o", "--output", type=Path, required=True, metavar="输出文件", help="生成的公开表工作簿（.xlsx）")
    build.add_argument("--dept", metavar="部门名称", help="部门名称（明细中只有一个单位时可省略）")
    build.add_argument("--year", type=year, metavar="年度", help="预算年度（默认取明细标题或文件名中的年份）")
    build.add_argument("--prior", type=Path, metavar="上年明细或工作簿",
                       help="上年的明细表或公开表工作簿：填入“基本情况”表的上年预算数")
    build.add_argument("--force", action="store_true", help="明细有错误时仍然生成（跳过无法使用的行）")
    build.add_argument("--overwrite", action="store_true", help="覆盖已存在的输出文件")
    build.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    build.set_defaults(run=run)
