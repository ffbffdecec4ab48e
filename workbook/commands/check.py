"""`budgetbook check` and `budgetbook rules`: the checker and its catalogue.

One workbook is checked here, in this process, as it always was. Several, or a folder tree, are
a batch (workbook.batch): each file in its own worker process or on a Dask cluster, results
streamed as they finish, a summary workbook, JSON and CSV on request.
Heavy modules are imported inside the functions: the parser definitions stay cheap to load.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import BudgetbookError
from .common import target

_BATCH_OPTIONS = ("jobs", "timeout", "summary", "mark_dir", "csv", "scheduler", "memory_limit")


def run_check(args) -> int:
    batch = len(args.inputs) > 1 or any(p.is_dir() for p in args.inputs) or \
        any(getattr(args, option) is not None for option in _BATCH_OPTIONS)
    if args.mark and args.mark_in_place:
        raise BudgetbookError(f"--mark {args.mark} 与 --mark-in-place 互相矛盾（标记到新文件，还是标记原工作簿？），请只用其中一个。")
    if args.mark or args.mark_in_place:
        if batch:
            raise BudgetbookError("--mark 和 --mark-in-place 一次只能用于一个工作簿；批量标记请用 --mark-dir 文件夹。")
        if args.inputs[0].suffix.lower() == ".pdf":
            raise BudgetbookError(f"{args.inputs[0]} 是 PDF，不能在其中标记单元格；请去掉 --mark，问题会按页码、表、行、栏列出。")
        return _check_and_mark(args)
    if batch:
        return _run_batch(args)
    return _check_one(args)


def _catalog(args):
    if not args.catalog:
        return None
    from ..catalog import load_catalog_file

    return load_catalog_file(args.catalog)


def _check_one(args) -> int:
    from .. import jobs
    from ..batch.progress import say

    report = jobs.check_file(args.inputs[0], _catalog(args), args.profile)
    if args.format == "json":
        rows = [dict(f.to_dict(), file=str(report.path)) for f in report.findings]
        say(_json(rows))
    else:
        say(report.summary())
    return 0 if report.ok else 1


def _check_and_mark(args) -> int:
    from .. import jobs
    from ..batch.progress import say
    from ..lock import writing

    source = args.inputs[0]
    out = source if args.mark_in_place else target(args.mark, args.force, source)
    with writing(out, source=source):
        marked = jobs.check_and_mark_file(source, out, _catalog(args), limit=args.mark_limit)
    report = marked.report
    if args.format == "json":
        rows = [dict(f.to_dict(), file=str(report.path)) for f in report.findings]
        say(_json(rows))
    else:
        say(report.summary())
    print(f"已在 {out} 中标出 {marked.marked} 个单元格，并列出“校验结果”表。", file=sys.stderr)
    for line in marked.capped_lines():
        print(line, file=sys.stderr)
    return 0 if report.ok else 1


# --- a batch ----------------------------------------------------------------------------------

def _run_batch(args) -> int:
    from ..batch import executors, runner, summary
    from ..batch.job import FAILED
    from ..batch.progress import Progress, say

    outputs = [p for p in (args.summary, args.csv) if p is not None]
    for out in outputs:
        target(out, args.force) if out.suffix.lower() in (".xlsx", ".xlsm") else _plain_target(out, args.force)
    summary_json = args.summary.with_suffix(".json") if args.summary else None
    if summary_json is not None:
        _plain_target(summary_json, args.force)
    exclude = [*outputs, *([summary_json] if summary_json else []), *([args.mark_dir] if args.mark_dir else [])]
    found = runner.collect(args.inputs, exclude)
    if not found:
        raise BudgetbookError(f"{'、'.join(map(str, args.inputs))} 中没有 .xlsx 工作簿。")
    tasks = _tasks(found, args)
    if args.timeout is not None and args.timeout <= 0:
        raise BudgetbookError("--timeout 应为正数（秒）。")
    timeout = args.timeout or runner.DEFAULT_TIMEOUT
    results = []
    progress = Progress(len(tasks), bar=False if args.quiet_progress else None)
    try:
        with executors.engine(args.jobs, timeout=timeout, memory_mb=args.memory_limit,
                              scheduler=args.scheduler) as engine:
            for result in runner.run(tasks, engine.executor, timeout=timeout, window=engine.window):
                results.append(result)
                progress.update(result)
                if result.status in FAILED:
                    progress.write(f"budgetbook: {result.reason}", file=sys.stderr)
                elif args.format != "json":
                    progress.write(result.summary)
    finally:
        progress.close()
    results = summary.ordered(results)
    if args.format == "json":
        rows = [dict(f, file=r.path) for r in results for f in r.findings]
        say(_json(rows))
    else:
        say(_closing(results, engine.where))
    for r in results:
        for rule, cells in r.capped.items():
            say(f"budgetbook: {r.name}：规则 {rule} 涉及 {cells} 个单元格，只标出了前 {_limit(args)} 个。", sys.stderr)
    if args.summary or args.csv:
        data = summary.data(results, marks_from=args.summary.parent if args.summary else None)
        if args.summary:
            summary.write_workbook(data, args.summary)
            summary.write_json(data, summary_json)
            say(f"汇总表已保存到 {args.summary}（另有 {summary_json.name}）。", sys.stderr)
        if args.csv:
            summary.write_csv(results, args.csv)
            say(f"全部问题已逐条保存到 {args.csv}。", sys.stderr)
    if any(r.bug for r in results):
        return 3
    if any(r.status in FAILED for r in results):
        return 2
    return 1 if any(r.counts["error"] for r in results) else 0


def _limit(args) -> int:
    from ..marks.mark import MARK_LIMIT

    return args.mark_limit if args.mark_limit is not None else MARK_LIMIT


def _tasks(found, args) -> list:
    from ..batch.job import Task
    from ..batch.runner import name_of

    roots = {root for _, root in found}
    several = len(args.inputs) > 1
    tasks, outs = [], {}
    for path, root in found:
        name = name_of(path, root)
        mark = None
        if args.mark_dir:
            below = Path(name) if not several or root is None else Path(root.name) / name
            out = args.mark_dir / below
            if out.exists() and not args.force:
                raise BudgetbookError(f"{out} 已存在；如确需覆盖，请加 --force。")
            if str(out) in outs:
                raise BudgetbookError(f"{path} 和 {outs[str(out)]} 的标记副本都会写到 {out}，请分开检查。")
            outs[str(out)] = path
            mark = str(out.resolve())
        absolute = str(path.resolve()) if args.scheduler else str(path)
        tasks.append(Task(absolute, name if len(roots) == 1 else str(path), mark,
                          str(args.catalog.resolve()) if args.catalog else None, args.mark_limit))
    return tasks


def _plain_target(path: Path, force: bool) -> Path:
    if path.exists() and not force:
        raise BudgetbookError(f"{path} 已存在；如确需覆盖，请加 --force。")
    return path


def _closing(results, where: str) -> str:
    from collections import Counter

    from ..batch.job import STATUSES

    status = Counter(r.status for r in results)
    bad = sum(1 for r in results if r.counts["error"])
    text = f"\n共检查 {len(results)} 个工作簿，其中 {bad} 个有错误。"
    others = "，".join(f"{s} {status[s]} 个" for s in STATUSES[2:] if status[s])
    if others:
        text += f"另有{others}（见上方说明）。"
    return text + f"（{where}）"


def run_rules(args) -> int:
    from .. import jobs

    if args.markdown:
        print(rules_markdown())
        return 0
    for rule in jobs.rules():
        print(f"{rule.id:<24} {rule.severity_words()}  {rule.title}")
    print(TAIL_NOTE)
    return 0


TAIL_NOTE = "注：差额在四舍五入的尾差范围内时，“错误”类规则报为警告（尾差）。"


def rules_markdown() -> str:
    """docs/rules.md: the catalogue as a table (regenerate with `budgetbook rules --markdown`)."""
    from .. import jobs, spec
    from ..profiles import PROFILES

    profiles = list(PROFILES.values())
    lines = ["# 校验规则目录 (rule catalogue)", "",
             "Generated by `budgetbook rules --markdown`. The severity is what the rule's findings carry "
             "(Rule.severity and Rule.also, one source for both): 错误 error, 警告 warning, 提示 info. " + TAIL_NOTE,
             "The profile columns say whether a rule runs on a document of that layout (workbook/profiles.py): "
             + "; ".join(f"`{p.name}` {p.label}" for p in profiles) + ". A rule does not run when the layout "
             "lacks a table it reads, or a column or convention it needs (the reason is listed below the table).", "",
             "| id | severity | tables | " + " | ".join(f"`{p.name}`" for p in profiles) + " | title |",
             "|---|---|---|" + "---|" * len(profiles) + "---|"]
    for rule in jobs.rules():
        tables = "、".join(spec.BY_ID[t].sheet for t in rule.tables if t in spec.BY_ID)
        runs = " | ".join("✓" if p.runs(rule) else "—" for p in profiles)
        lines.append(f"| `{rule.id}` | {rule.severity_words()} | {tables} | {runs} | {rule.title} |")
    lines += ["", f"{len(jobs.rules())} rules.", ""]
    for p in profiles:
        if p.off:
            lines += [f"Switched off in `{p.name}`:", ""] + [f"- `{rule}`: {why}" for rule, why in p.off.items()] + [""]
    lines += ["## Where each finding is placed", "",
              "The first cell of a finding is where `--mark` puts its note and what `check` prints; every cell "
              "listed is coloured. A fault is placed at its own cell or row wherever the tables can tell which "
              "row it is; what they cannot tell is said under the table.", ""]
    lines += [f"- `{rule.id}`: {rule.placed}" for rule in jobs.rules()]
    lines += ["", *PLACEMENT_LIMITS]
    return "\n".join(lines).rstrip()


PLACEMENT_LIMITS = [
    "What the published tables cannot tell, so the finding stays at a total (measured by `python tests/locate.py`):",
    "",
    "- a 表六 项 or 表七 款 typed wrong and then filled: no other table repeats that row (except the social-insurance "
    "and 三公 lines, compared row by row, and 表九's items), so it is found at 表六/表七 总计 against the other table. "
    "The row is named only when its decimal point was lost, when it is the only line not pinned by an equality that "
    "holds (social insurance, 表九) that is as large as the difference, or when it is exactly the difference; a line "
    "typed short is not named;",
    "- a 表五 unit's 基本支出 too large where the department also has money besides this year's 财政拨款 (表三 then "
    "only bounds it from above); too small, it is named when one unit alone can explain the difference or one unit "
    "is below 表三 by exactly the difference;",
    "- a 表八 unit's 会议费 or 培训费 with several units (no table repeats them by unit), a 表九 item's 项目支出;",
    "- 表九 padded with a 事业单位's 电费 or 维修费 while it stays within 表七 and within the 行政/参公 units' "
    "一般公共预算 基本支出 (X.T5-T9.units): 表七 is department-wide, so how much of a unit's money is 商品和服务 is "
    "not published;",
    "- which of several projects of one 实施单位 has the wrong amount (the unit's projects are named together), "
    "unless only one project's 当年财政拨款 or 其他资金 can hold the excess or one is exactly it; a project typed short "
    "is not named;",
    "- a 表二 income line besides 财政拨款 (事业收入 …) typed wrong: named at 表一's balance only when it is the one "
    "line not pinned by 表六/表十/表十一 that is as large as the difference, or exactly the difference;",
    "- a typed 表一 类 line too large when several lines exceed their 财政拨款 spending by the difference or more "
    "and none by exactly the difference (X.T1-T6.class-min bounds each from below only).",
]


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add(sub) -> None:
    check = sub.add_parser("check", help="校验 12 张表（表内、表间、科目编码、格式）；可批量检查文件夹")
    check.add_argument("inputs", type=Path, nargs="+", metavar="工作簿或文件夹", help="工作簿或公开的 PDF，或包含它们的文件夹（含子文件夹）")
    check.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认，中文列表）或 json")
    check.add_argument("--mark", type=Path, metavar="标记文件", help="另存一份标出问题单元格的工作簿")
    check.add_argument("--mark-in-place", action="store_true", help="直接在原工作簿中标出问题")
    check.add_argument("--mark-limit", type=int, metavar="个数",
                       help="每条规则最多标出的单元格数（默认 500，0 表示不限）")
    check.add_argument("--catalog", type=Path, metavar="目录文件", help="财政部门下发的科目目录（.xlsx 或 .csv，两列：编码、名称）")
    check.add_argument("--profile", choices=("gansu-12", "nine-table"),
                       help="PDF 的表格格式：gansu-12（甘肃 12 张表，本工具模板）或 nine-table（上海、财政部 9 张表）；默认按表名识别")
    check.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    batch = check.add_argument_group("批量检查")
    batch.add_argument("--jobs", "-j", type=_positive, metavar="进程数", help="同时检查的工作进程数（默认为 CPU 核数）")
    batch.add_argument("--timeout", type=float, metavar="秒", help="每个工作簿最长检查时间（默认 300 秒）")
    batch.add_argument("--memory-limit", type=_positive, metavar="兆字节", help="每个工作进程的内存上限（默认 4096 MB）")
    batch.add_argument("--summary", type=Path, metavar="汇总.xlsx", help="写出汇总工作簿（同名 .json 一并写出）")
    batch.add_argument("--mark-dir", type=Path, metavar="文件夹", help="为每个工作簿在此文件夹写一份标记副本（保持子文件夹结构）")
    batch.add_argument("--csv", type=Path, metavar="问题.csv", help="把全部问题逐条写成 CSV")
    batch.add_argument("--scheduler", metavar="tcp://主机:8786", help="在 Dask 分布式集群上检查（需 budgetbook[dask]）")
    batch.add_argument("--no-progress", dest="quiet_progress", action="store_true", help="不显示进度条")
    check.set_defaults(run=run_check)

    rules = sub.add_parser("rules", help="列出全部校验规则")
    rules.add_argument("--markdown", action="store_true", help="以 Markdown 表格输出（docs/rules.md）")
    rules.set_defaults(run=run_rules)


def _json(rows) -> str:
    import json  # only for --format json: start-up counts for every check

    return json.dumps(rows, ensure_ascii=False, indent=2)
