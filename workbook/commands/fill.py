"""`budgetbook fill`: compute every derived cell."""
from __future__ import annotations

from decimal import Decimal
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
    replaced = [c for c in result.changes if isinstance(c.old, Decimal)]
    if replaced:  # a figure in a grey cell was typed over, or left from before the inputs changed
        first = replaced[0]
        print(f"注意：{len(replaced)} 个合计单元格中原有的数字与由各项算出的不同，已替换（如 {first.sheet}!{first.addr}："
              f"{fmt(first.old)} → {fmt(first.new)}）；如其中有您手工填写的数字，请核对它的组成各项（浅蓝色单元格）。")
    if not args.quiet:
        for kept in result.kept:
            print(f"{kept.sheet}!{kept.addr}: 保留 {fmt(kept.printed)}（各项之和 {fmt(kept.added)}，"
                  f"{kept.terms} 项各自四舍五入允许相差 {fmt(kept.bound)}）")
    if result.kept:
        print(result.kept_text())
    if result.typed:
        print(result.typed_text())
    print(f"已填写 {len(result.changes)} 个合计单元格，结果保存在 {out}。" if result.changes else
          f"所有合计已是最新，未改动任何单元格；已保存 {out}。")
    return 0


def add(sub) -> None:
    fill = sub.add_parser("fill", help="按输入数计算并填写所有合计")
    fill.add_argument("input", type=Path, metavar="工作簿", help="要填写合计的工作簿")
    add_output_arguments(fill)
    fill.add_argument("-q", "--quiet", action="store_true", help="不逐格列出改动")
    fill.set_defaults(run=run)
