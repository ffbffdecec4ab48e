"""`budgetbook fill`: compute every derived cell."""
from __future__ import annotations

from pathlib import Path

from .. import jobs
from ..money import fmt
from .common import add_output_arguments, output


def run(args) -> int:
    out = output(args, args.input)
    result = jobs.fill_file(args.input, out)
    if not args.quiet:
        for change in result.changes:
            print(f"{change.sheet}!{change.addr}: {fmt(change.old)} → {fmt(change.new)}")
    if result.typed:
        print(result.typed_text())
    print(f"已填写 {len(result.changes)} 个合计单元格，结果保存在 {out}。" if result.changes else
          f"所有合计已是最新，未改动任何单元格；已保存 {out}。")
    return 0


def add(sub) -> None:
    fill = sub.add_parser("fill", help="按输入数计算并填写所有合计")
    fill.add_argument("input", type=Path)
    add_output_arguments(fill)
    fill.add_argument("-q", "--quiet", action="store_true", help="不逐格列出改动")
    fill.set_defaults(run=run)
