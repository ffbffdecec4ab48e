"""`budgetbook new` and `budgetbook example`: write a template from the spec."""
from __future__ import annotations

from pathlib import Path

from ..content import ROWS  # the default, shown in the help (spec is loaded by every command anyway)
from .common import target
from .parser import names, year


def run_new(args) -> int:
    from .. import jobs
    from ..content import blank
    from ..grid import save_atomic

    out = target(args.out, args.force)
    units = names(args.units) if args.units else None
    content = blank(args.dept, args.year, units=units, projects=args.projects, code_rows=args.rows)
    save_atomic(jobs.new(content), out)
    print(f"已生成模板 {out}：{args.dept}{args.year}年部门预算公开表（12 张表）。")
    return 0


def run_example(args) -> int:
    from .. import example, jobs
    from ..grid import save_atomic

    out = target(args.out, args.force)
    content = example.reference()
    save_atomic(jobs.new(content), out)
    print(f"已生成示例 {out}：{content.dept}{content.year}年（输入数已填，合计待 budgetbook fill 计算）。")
    return 0


def add(sub) -> None:
    new = sub.add_parser("new", help="生成空白模板（12 张表）")
    new.add_argument("out", type=Path, metavar="输出文件", help="输出的 .xlsx 文件")
    new.add_argument("--dept", required=True, metavar="部门名称", help="部门名称")
    new.add_argument("--year", required=True, type=year, metavar="年度", help="预算年度（四位数字），如 2025")
    new.add_argument("--units", metavar="单位", help="所属单位名称，用逗号或顿号分隔，如“某局机关、某中学”（默认与部门同名）")
    new.add_argument("--projects", type=int, default=1, metavar="个数", help="项目支出绩效目标表的个数（默认 1）")
    new.add_argument("--rows", type=int, default=ROWS, metavar="行数", help=f"表六、七、十、十一预留的空行数（默认 {ROWS}；不够时可在 Excel 中插入行）")
    new.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    new.set_defaults(run=run_new)

    ex = sub.add_parser("example", help="生成内置示例（临夏市人民政府办公室 2024 年）")
    ex.add_argument("out", type=Path, metavar="输出文件", help="输出的 .xlsx 文件")
    ex.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    ex.set_defaults(run=run_example)
