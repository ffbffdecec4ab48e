"""The `budgetbook` command: argument parsing and the one place errors become exit codes.

Exit statuses (README): 0 done, no error finding; 1 error findings remain (check, narrative) or
export refused for them; 2 bad input or arguments, a file that cannot be read or written, or the
run was interrupted; 3 a bug in budgetbook (the message asks for a report).
"""
from __future__ import annotations

import os
import sys
from importlib.metadata import PackageNotFoundError, version

from .commands import addin, check, export, fill, marks, narrative, template
from .commands import serve  # the local service for WPS and the browser (issue 11)
from .commands.parser import ChineseParser
from .errors import BudgetbookError

COMMANDS = (template, fill, check, marks, export, narrative, addin, serve)


def _version() -> str:
    try:
        return version("budgetbook")
    except PackageNotFoundError:
        return "（未安装）"


def parser() -> ChineseParser:
    p = ChineseParser(prog="budgetbook", description="预算公开助手：部门预算公开表的模板、填写合计、校验与导出。",
                      epilog="退出状态：0 完成且无错误；1 仍有错误（校验、导出）；2 输入或参数有误、文件无法读写；3 程序内部错误。")
    p.add_argument("--version", action="version", version=f"budgetbook {_version()}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", parser_class=ChineseParser)
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
        return 2
    except BrokenPipeError:
        # the reader of our output went away (`| head`): end quietly, as command-line tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: say so in one line; BUDGETBOOK_DEBUG=1 shows the traceback
        if os.environ.get("BUDGETBOOK_DEBUG"):
            raise
        print(f"budgetbook: 内部错误（{type(exc).__name__}: {exc}），请把此信息报告给开发者。", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
