"""The command line in Chinese: argparse's own words translated, and the argument types an
accountant types in Chinese ways (，、 between names; a four-digit year)."""
from __future__ import annotations

import argparse
import os
import re
import sys

# argparse looks its messages up through gettext at the moment it prints them; these are its
# words, in the wording of a Chinese command line.
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令 %(parser_name)r（可用：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
argparse._ = lambda text: _ZH.get(text, text)  # noqa: SLF001  (argparse reads this at print time)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage, help and errors are in Chinese; bad arguments exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def _get_formatter(self):
        # argparse makes a formatter for every add_argument, and without a width its HelpFormatter
        # imports shutil to ask the terminal's: start-up every command pays. Ask the same way here.
        return self.formatter_class(prog=self.prog, width=_columns() - 2)

    def format_help(self) -> str:
        return aligned(super().format_help())


_ENTRY = re.compile(r"^( +)(\S.*?)( {2,})(\S.*)$")
_HEADING = re.compile(r"^(\S[^:：]*):$")


def aligned(text: str) -> str:
    """argparse's help with Chinese punctuation and the help column where the eye expects it.

    argparse pads by characters; a Chinese character (a metavar such as 输出文件) is two columns
    wide on a terminal, so its help would start further right than the others'. Each entry is
    padded again by display width to the column argparse chose; section headings end with "：".
    """
    out = []
    for line in text.split("\n"):
        if heading := _HEADING.match(line):
            out.append(f"{heading.group(1)}：")
            continue
        entry = _ENTRY.match(line)
        if entry is None:
            out.append(line)
            continue
        indent, invocation, gap, help_text = entry.groups()
        column = len(indent) + len(invocation) + len(gap)  # where argparse put the help, in characters
        used = len(indent) + width(invocation)
        if used + 2 <= column:
            out.append(f"{indent}{invocation}{' ' * (column - used)}{help_text}")
        else:
            out += [f"{indent}{invocation}", f"{' ' * column}{help_text}"]
    return "\n".join(out)


def width(text: str) -> int:
    """Terminal columns of a text: East Asian wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns() -> int:
    """The terminal's width as shutil.get_terminal_size gives it (COLUMNS, the terminal, else 80)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def names(text: str) -> list[str]:
    """Unit names as typed: separated by ，、,;； (Chinese and Western), spaces trimmed."""
    return [name.strip() for name in re.split(r"[，、,;；]", text) if name.strip()]


def year(text: str) -> int:
    """A budget year: four digits, 1990 to 2099."""
    if not re.fullmatch(r"\s*(19|20)\d{2}\s*", text or ""):
        raise argparse.ArgumentTypeError(f"年度应为四位数字，如 2025，而不是“{text}”")
    return int(text)


year.__name__ = "年度"
