"""The `budgetbook` command: argument parsing and the one place errors become exit codes."""
from __future__ import annotations

import argparse
import os
import sys

from .commands import addin, check, export, fill, marks, narrative, template
from .errors import BudgetbookError

COMMANDS = (template, fill, check, marks, export, narrative, addin)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="budgetbook", description="预算公开助手：部门预算公开表的模板、填写合计、校验与导出。")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    for command in COMMANDS:
        command.add(sub)
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
