"""The `budgetbook` command: argument parsing and the one place errors become exit codes.

Exit statuses (README): 0 done, no error finding; 1 error findings remain (check, narrative) or
export refused for them; 2 bad input or arguments, a file that cannot be read or written, or the
run was interrupted; 3 a bug in budgetbook (the message asks for a report).

Start-up matters (every button press in Excel and every file of a script pays it): the command
modules only define their parsers at import; what a command needs is imported when it runs.
"""
from __future__ import annotations

import argparse
import os
import sys

from importlib import import_module

from .commands.parser import ChineseParser
from .errors import BudgetbookError

# the modules of workbook.commands, in the order --help lists their commands
COMMANDS = ("template", "build", "fill", "check", "marks", "export", "narrative", "addin", "kit", "serve")

# which module defines each command's parser, so that only that one is imported and built for a run
_DEFINED_IN = {"new": "template", "example": "template", "build": "build", "fill": "fill", "check": "check", "rules": "check",
               "clear": "marks", "export": "export", "send": "export", "narrative": "narrative",
               "narrative-check": "narrative", "addin": "addin", "kit": "kit", "serve": "serve"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("budgetbook")
    except PackageNotFoundError:
        return "（未安装）"


class _Version(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs start-up time)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"budgetbook {_version()}")
        parser.exit()


def parser(only: str | None = None) -> ChineseParser:
    """The argument parser; `only`: build just the parser of that command (a run needs no more)."""
    p = ChineseParser(prog="budgetbook", description="预算公开助手：部门预算公开表的模板、填写合计、校验与导出。",
                      epilog="退出状态：0 完成且无错误；1 仍有错误（校验、导出）；2 输入或参数有误、文件无法读写；3 程序内部错误。")
    p.add_argument("--version", action=_Version, help="显示版本号并退出")
    p.add_argument("--debug", action="store_true", help="出错时另外显示技术细节（异常类型和调用栈），供报告问题时使用；也可写在命令之后")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令", parser_class=ChineseParser)
    for name in (_DEFINED_IN[only],) if only in _DEFINED_IN else COMMANDS:
        import_module(f"{__package__}.commands.{name}").add(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    # --debug anywhere on the line (before or after the command): the detail behind a sentence
    debug = "--debug" in argv or bool(os.environ.get("BUDGETBOOK_DEBUG"))
    argv = [a for a in argv if a != "--debug"]
    if as_program:
        _printable_names()
    args = parser(argv[0] if argv else None).parse_args(argv)
    if as_program:  # process-wide settings only for a process of our own, not for a caller's
        from .runtime import for_bulk_work

        for_bulk_work()
    try:
        status = args.run(args)
        if as_program:  # the process ends now: its last collection has nothing to look for
            import gc

            gc.freeze()
        return status
    except BrokenPipeError:  # `budgetbook rules | head`: the reader went away, nothing to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (Exception, KeyboardInterrupt) as exc:
        from .errors import PREFIX, detail, sentence

        status, text = sentence(exc, _named(args))
        print(f"{PREFIX}{text}", file=sys.stderr)
        if debug:
            import traceback

            more = detail(exc)
            if more:
                print(f"{PREFIX}详细信息：{more}", file=sys.stderr)
            traceback.print_exception(exc, file=sys.stderr)
        return status


def _printable_names() -> None:
    """A file name that is not UTF-8 (GBK bytes from a Windows share) prints with replacement
    characters instead of ending the run with UnicodeEncodeError."""
    import codecs

    def replace(error: UnicodeEncodeError):  # U+FFFD in UTF-8 (given as bytes: the encoder takes no other)
        utf8 = error.encoding.lower().replace("-", "").replace("_", "") == "utf8"
        return (b"\xef\xbf\xbd" if utf8 else b"?") * (error.end - error.start), error.end

    codecs.register_error("budgetbook.replace", replace)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="budgetbook.replace")
        except (AttributeError, ValueError):
            pass


def _named(args) -> str:
    """The workbook(s) a command was given, for a sentence about the whole run."""
    given = getattr(args, "input", None) or getattr(args, "inputs", None) or getattr(args, "out", None)
    if isinstance(given, list):
        from .errors import shown

        return "、".join(map(shown, given[:3])) + (" 等" if len(given) > 3 else "")
    return given if given else "工作簿"


if __name__ == "__main__":
    sys.exit(main())
