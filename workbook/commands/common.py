"""Argument helpers shared by the commands."""
from __future__ import annotations

from pathlib import Path

from ..errors import BudgetbookError


def target(path: Path, force: bool, source: Path | None = None) -> Path:
    """Refuse to overwrite a file the user has unless told to: nothing they had is lost."""
    from ..errors import WORKBOOK_SUFFIXES, format_sentence

    path = Path(path)
    if source is not None and Path(source).suffix.lower() not in WORKBOOK_SUFFIXES:
        raise BudgetbookError(format_sentence(source))  # about the input first: no advice in a circle
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise BudgetbookError(format_sentence(path))
    if source is not None and path.exists() and path.resolve() == Path(source).resolve():
        raise BudgetbookError(f"输出文件 {path} 与输入文件相同；如需直接修改原文件，请使用 --in-place。")
    if path.exists() and not force:
        raise BudgetbookError(f"{path} 已存在；如确需覆盖，请加 --force。")
    if source is not None and Path(source).suffix.lower() != path.suffix.lower():
        # the macros of an .xlsm cannot live in an .xlsx (Excel refuses to open it) and vice versa
        raise BudgetbookError(f"输出文件 {path} 的扩展名应与输入文件 {source} 相同（{Path(source).suffix}）。")
    return path


def output(args, source: Path) -> Path:
    """-o OUT or --in-place, for commands that rewrite a workbook."""
    if args.in_place and args.output:
        raise BudgetbookError(f"-o {args.output} 与 --in-place 互相矛盾（另存为新文件，还是写回 {source}？），请只用其中一个。")
    if args.in_place:
        return Path(source)
    if not args.output:
        raise BudgetbookError("请用 -o 指定输出文件，或用 --in-place 直接修改原文件。")
    return target(args.output, args.force, source)


def add_output_arguments(parser) -> None:
    """-o OUT / --in-place / --force, for commands that rewrite a workbook."""
    parser.add_argument("-o", "--output", type=Path, metavar="输出文件", help="另存为此文件（不改动原文件）")
    parser.add_argument("--in-place", action="store_true", help="直接写回输入文件")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
