"""`budgetbook clear`: take the check marks off a workbook."""
from __future__ import annotations

from pathlib import Path

from .common import add_output_arguments, output


def run(args) -> int:
    from .. import jobs
    from ..lock import writing

    out = output(args, args.input)
    with writing(out, source=args.input):
        count = jobs.clear_file(Path(args.input), out).cleared
    print(f"已清除 {count} 个单元格的校验标记并恢复原有底色和批注，结果保存在 {out}。" if count or count.missing else
          f"{args.input} 中没有校验标记；已保存 {out}。")
    if count.missing:
        print(f"另有 {count.missing} 处标记找不到对应单元格（单元格已删除，或标记已被手动去掉），未作恢复。")
    if count.skipped:
        print(f"标记记录表中有 {count.skipped} 行内容无法识别（可能被手动改过），已跳过。")
    return 0


def add(sub) -> None:
    p = sub.add_parser("clear", help="清除校验标记，恢复原有底色和批注")
    p.add_argument("input", type=Path, metavar="工作簿", help="带有校验标记的工作簿")
    add_output_arguments(p)
    p.set_defaults(run=run)
