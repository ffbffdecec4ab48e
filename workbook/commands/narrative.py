"""`budgetbook narrative` and `budgetbook narrative-check`: write the 情况说明, check a written one."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import BudgetbookError

# What these commands need (python-docx, the narrative package) is imported when they run: every
# other command's start-up would pay for it otherwise.


def _read(path: Path, prior: Path | None):
    """The workbook (tables and 基本情况 from one read) and last year's, if given."""
    from .. import jobs

    return jobs.narrative_inputs(path, prior)


def _target(path: Path, force: bool, suffix: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise BudgetbookError(f"输出文件 {path} 的扩展名应为 {suffix}。")
    if path.exists() and not force:
        raise BudgetbookError(f"{path} 已存在；如确需覆盖，请加 --force。")
    return path


def run_narrative(args) -> int:
    from .. import office
    from ..checks.report import finding_line
    from ..narrative import job
    from ..info import SHEET
    from ..narrative.publish import INSTALL_HINT, write_docx, write_pdf

    if not args.output:
        raise BudgetbookError("请用 -o 指定输出的 Word 文件，如 -o 情况说明.docx。")
    out = _target(args.output, args.force, ".docx")
    pdf = _target(out.with_suffix(".pdf"), args.force, ".pdf") if args.pdf else None
    book, info, prior = _read(args.input, args.prior)
    result = job.narrative(book, prior, info=info)
    write_docx(result, out)
    print(f"已写出 {out}：{result.title}（{len(result.paragraphs)} 段）。")
    if pdf is not None:
        if office.find_soffice() is None:
            print(f"未找到 LibreOffice，未生成 PDF；如需 PDF，请先运行 {INSTALL_HINT}。")
        else:
            print(f"已写出 {write_pdf(out, pdf)}。")
    if prior is not None:
        print(f"上年数取自 {args.prior}。")
    elif info.found:
        print(f"上年数取自 {SHEET} 表的“上年预算数”列。")
    else:
        print(f"{args.input} 中没有“{SHEET}”表（新版 budgetbook new 生成的模板才有），文字内容和上年数都留了【请填写】。")
    if result.placeholders:
        print(f"尚有 {result.unfinished()}（文中显示为【请填写：…】【请核对：…】），填好、核对表格后重新生成：")
        for blank in result.placeholders:
            print(f"  {blank} → {blank.where}")
    if result.report.findings:
        print("生成的说明与表格核对：")
        print("\n".join(f"  {finding_line(f)}" for f in result.report.findings))
    return 1 if result.placeholders or result.report.errors else 0


def run_check(args) -> int:
    from ..checks.report import finding_line
    from ..narrative import extract, job

    paragraphs = extract.paragraphs(args.document)
    book, info, prior = _read(args.workbook, args.prior)
    report = job.check(paragraphs, book, prior, info=info, path=args.document)
    coverage = report.coverage
    if args.format == "json":
        rows = [dict(f.to_dict(), file=str(args.document)) for f in report.findings]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        counts = report.counts
        if report.findings:
            print(f"{args.document}：错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处。")
        elif coverage.checked:  # silence means checked: never 未发现问题 about figures not read
            print(f"{args.document}：与 {args.workbook} 核对，未发现问题。")
        else:
            print(f"{args.document}：没有找到能与 {args.workbook} 核对的金额，未作核对，请人工通读。")
        for finding in report.findings:
            print(f"  {finding_line(finding)}")
        print("\n".join(coverage.lines()))
    return 1 if report.errors or not coverage.enough else 0


def add(sub) -> None:
    p = sub.add_parser("narrative", help="根据 12 张表和基本情况表写出部门预算公开情况说明（Word）")
    p.add_argument("input", type=Path, metavar="工作簿", help="本年的工作簿")
    p.add_argument("--prior", type=Path, metavar="上年工作簿", help="上年的 budgetbook 工作簿（比上年增减的依据；不给时用基本情况表的上年预算数）")
    p.add_argument("-o", "--output", type=Path, metavar="输出文件", help="输出的 Word 文件（.docx）")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF（与 .docx 同名）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    p.set_defaults(run=run_narrative)

    c = sub.add_parser("narrative-check", help="核对已写好的情况说明（.docx、.txt 或带文字层的 .pdf）与表中数是否一致")
    c.add_argument("document", type=Path, metavar="情况说明", help="情况说明（.docx、.txt、.pdf）")
    c.add_argument("workbook", type=Path, metavar="工作簿", help="本年的工作簿")
    c.add_argument("--prior", type=Path, metavar="上年工作簿", help="上年的 budgetbook 工作簿")
    c.add_argument("--format", choices=("text", "json"), default="text", help="输出格式：text（默认）或 json")
    c.set_defaults(run=run_check)
