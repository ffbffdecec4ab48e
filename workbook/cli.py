"""The `budgetbook` command: thin argument handling around the core jobs."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import example, template
from .content import blank
from .errors import BudgetbookError
from .fill import apply, plan
from .grid import OpenpyxlGrid, save_atomic
from .money import fmt
from .reader import read


def _target(path: Path, force: bool, source: Path | None = None) -> Path:
    """Refuse to overwrite a file the user has unless told to: nothing they had is lost."""
    path = Path(path)
    if source is not None and path.exists() and path.resolve() == Path(source).resolve():
        raise BudgetbookError(f"输出文件 {path} 与输入文件相同；如需直接修改原文件，请使用 --in-place。")
    if path.exists() and not force:
        raise BudgetbookError(f"{path} 已存在；如确需覆盖，请加 --force。")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise BudgetbookError(f"输出文件 {path} 的扩展名应为 .xlsx。")
    return path


def cmd_new(args) -> int:
    out = _target(args.out, args.force)
    units = [u.strip() for u in args.units.split(",") if u.strip()] if args.units else None
    content = blank(args.dept, args.year, units=units, projects=args.projects, code_rows=args.rows)
    save_atomic(template.build(content), out)
    print(f"已生成模板 {out}：{args.dept}{args.year}年部门预算公开表（12 张表）。")
    return 0


def cmd_example(args) -> int:
    out = _target(args.out, args.force)
    content = example.reference()
    save_atomic(template.build(content), out)
    print(f"已生成示例 {out}：{content.dept}{content.year}年（输入数已填，合计待 budgetbook fill 计算）。")
    return 0


def cmd_fill(args) -> int:
    if not args.in_place and not args.output:
        raise BudgetbookError("请用 -o 指定输出文件，或用 --in-place 直接修改原文件。")
    out = Path(args.input) if args.in_place else _target(args.output, args.force, args.input)
    grid = OpenpyxlGrid(args.input)
    changes = plan(read(grid))
    apply(grid, changes)
    grid.save(out)
    if not args.quiet:
        for change in changes:
            print(f"{change.sheet}!{change.addr}: {fmt(change.old)} → {fmt(change.new)}")
    print(f"已填写 {len(changes)} 个合计单元格，结果保存在 {out}。" if changes else
          f"所有合计已是最新，未改动任何单元格；已保存 {out}。")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budgetbook", description="预算公开助手：部门预算公开表的模板、填写合计、校验与导出。")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    new = sub.add_parser("new", help="生成空白模板（12 张表）")
    new.add_argument("out", type=Path, help="输出的 .xlsx 文件")
    new.add_argument("--dept", required=True, help="部门名称")
    new.add_argument("--year", required=True, type=int, help="预算年度，如 2024")
    new.add_argument("--units", help="所属单位名称，用逗号分隔（默认与部门同名）")
    new.add_argument("--projects", type=int, default=1, help="项目支出绩效目标表的个数（默认 1）")
    new.add_argument("--rows", type=int, default=20, help="表六、七、十、十一预留的空行数（默认 20）")
    new.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    new.set_defaults(run=cmd_new)

    ex = sub.add_parser("example", help="生成内置示例（临夏市人民政府办公室 2024 年）")
    ex.add_argument("out", type=Path)
    ex.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    ex.set_defaults(run=cmd_example)

    fill = sub.add_parser("fill", help="按输入数计算并填写所有合计")
    fill.add_argument("input", type=Path)
    fill.add_argument("-o", "--output", type=Path, help="输出文件")
    fill.add_argument("--in-place", action="store_true", help="直接写回输入文件")
    fill.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    fill.add_argument("-q", "--quiet", action="store_true", help="不逐格列出改动")
    fill.set_defaults(run=cmd_fill)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BudgetbookError as exc:
        print(f"budgetbook: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("budgetbook: 已中断，未写入任何文件。", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line; BUDGETBOOK_DEBUG=1 shows the traceback
        if os.environ.get("BUDGETBOOK_DEBUG"):
            raise
        print(f"budgetbook: 内部错误（{type(exc).__name__}: {exc}），请把此信息报告给开发者。", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
