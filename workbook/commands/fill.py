"""`budgetbook fill`: compute every derived cell."""
from __future__ import annotations

from pathlib import Path

from .common import add_output_arguments, output


def run(args) -> int:
    from .. import jobs
    from ..lock import writing
    from ..money import fmt

    out = output(args, args.input)
    with writing(out, source=args.input):  # one writer, and nothing written over another's changes
        result = jobs.fill_file(args.input, out)
    if not args.quiet:
        for change in result.changes:
            print(f"{change.sheet}!{change.addr}: {fmt(change.old)} → {fmt(change.new)}")
    if result.typed:
        print(f"本部门有财政拨款以外的资金（表二），{result.typed[0][0]} 各功能分类支出行不能由表六、表十、表十一算出，"
              f"已改为手填（浅蓝色），请按预算系统填写。")
    print(f"已填写 {len(result.changes)} 个合计单元格，结果保存在 {out}。" if result.changes else
          f"所有合计已是最新，未改动任何单元格；已保存 {out}。")
    return 0


def add(sub) -> None:
    fill = sub.add_parser("fill", help="按输入数计算并填写所有合计")
    fill.add_argument("input", type=Path)
    add_output_arguments(fill)
    fill.add_argument("-q", "--quiet", action="store_true", help="不逐格列出改动")
    fill.set_defaults(run=run)
