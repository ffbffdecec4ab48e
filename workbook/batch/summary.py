"""What a finance bureau reads after a batch: the summary workbook, the same as JSON, every finding
as CSV.

- 汇总 (one row per file): 文件, 部门, 年度, 状态, 错误, 警告, 提示, 常见问题 (the most frequent
  rules, errors first), 说明 (why a file was not checked), 标记文件 (a link to the marked copy with --mark-dir);
- 规则统计: every rule found, errors first, then warnings and notes, each by frequency, with its severity, title, the files it was found in and how often,
  and a bar chart of the most frequent;
- JSON: {"files": [...], "rules": [...], "totals": {...}} with the same columns;
- CSV (UTF-8 with BOM, so Excel opens it too): one row per finding, with its file, department
  and year, ready for pandas.read_csv.
All three are written atomically.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from pathlib import Path

from ..atomic import write_atomic
from ..errors import shown
from .job import FAILED, STATUSES, FileResult

FILE_COLUMNS = ("文件", "部门", "年度", "状态", "错误", "警告", "提示", "常见问题", "说明", "标记文件")
RULE_COLUMNS = ("规则", "严重程度", "说明", "涉及文件数", "出现次数")
CSV_COLUMNS = ("file", "dept", "year", "rule", "severity", "sheet", "cell", "cells", "message", "expected",
               "actual")
TOP_RULES = 3
CHART_RULES = 30


def ordered(results: list[FileResult]) -> list[FileResult]:
    return sorted(results, key=lambda r: r.name)


_RANK = {"error": 0, "warning": 1, "info": 2}


def _ranks(findings) -> dict[str, int]:
    """Each rule's most severe finding, as a rank (errors first)."""
    ranks: dict[str, int] = {}
    for f in findings:
        ranks[f["rule"]] = min(ranks.get(f["rule"], 3), _RANK.get(f["severity"], 3))
    return ranks


def _worst_first(counts: Counter, ranks: dict[str, int]) -> list[tuple[str, int]]:
    """Rules with their counts, errors before warnings before notes, then the most frequent."""
    return sorted(counts.items(), key=lambda item: (ranks.get(item[0], 3), -item[1], item[0]))


def common(result: FileResult, n: int = TOP_RULES) -> list[tuple[str, int]]:
    """A file's 常见问题: its most frequent rules, errors first."""
    return _worst_first(result.rules, _ranks(result.findings))[:n]


def top_rules(result: FileResult, n: int = TOP_RULES) -> str:
    return "、".join(f"{rule}×{count}" for rule, count in common(result, n))


def data(results: list[FileResult], marks_from: Path | None = None) -> dict:
    """The summary as plain data (the JSON file; the workbook shows the same)."""
    from .. import jobs
    from ..checks.base import SEVERITY_LABEL

    results = ordered(results)
    catalogue = {rule.id: rule for rule in jobs.rules()}
    files = []
    for r in results:
        files.append({
            "file": shown(r.name), "path": shown(r.path), "dept": r.dept, "year": r.year, "status": r.status,
            "errors": r.counts["error"], "warnings": r.counts["warning"], "infos": r.counts["info"],
            "top_rules": [{"rule": rule, "count": n} for rule, n in common(r)],
            "reason": r.reason and shown(r.reason), "detail": r.detail and shown(r.detail),
            "marked": shown(_relative(r.marked, marks_from)) if r.marked else None,
            "marked_cells": r.marked_cells, "capped": r.capped,
        })
    counts: Counter = Counter()
    in_files: Counter = Counter()
    for r in results:
        counts.update(r.rules)
        in_files.update(r.rules.keys())
    rules = []
    ranks = _ranks(f for r in results for f in r.findings)
    labels = {rank: severity for severity, rank in _RANK.items()}
    for rule, n in _worst_first(counts, ranks):
        known = catalogue.get(rule)
        sev = labels.get(ranks.get(rule, 3)) or (known.severity if known else "")
        rules.append({"rule": rule, "severity": sev, "severity_label": SEVERITY_LABEL.get(sev, sev),
                      "title": known.title if known else "", "files": in_files[rule], "count": n})
    status = Counter(r.status for r in results)
    totals = {"files": len(results), **{s: status.get(s, 0) for s in STATUSES},
              "errors": sum(r.counts["error"] for r in results),
              "warnings": sum(r.counts["warning"] for r in results),
              "infos": sum(r.counts["info"] for r in results)}
    return {"files": files, "rules": rules, "totals": totals}


def _relative(path: str, base: Path | None) -> str:
    if base is None:
        return path
    try:
        return os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return path


def write_json(summary: dict, out: Path) -> Path:
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    return write_atomic(Path(out), lambda tmp: Path(tmp).write_text(text, "utf-8"))


def write_csv(results: list[FileResult], out: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in ordered(results):
        for f in r.findings:
            cells = ";".join(f"{c['sheet']}!{c['cell']}" for c in f["cells"])
            writer.writerow([shown(r.name), r.dept or "", r.year or "", f["rule"], f["severity"], f["sheet"] or "",
                             f["cell"] or "", cells, f["message"], f["expected"] or "", f["actual"] or ""])
    text = buffer.getvalue()
    return write_atomic(Path(out), lambda tmp: Path(tmp).write_text(text, "utf-8-sig", newline=""))


def write_workbook(summary: dict, out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..cells import get_column_letter
    from ..grid import save_atomic
    from ..styles import FONT

    book = Workbook()
    files = book.active
    files.title = "汇总"
    totals = summary["totals"]
    files.append(["部门预算公开表批量校验汇总"])
    files.append([f"共 {totals['files']} 个工作簿：" + "，".join(f"{s} {totals[s]} 个" for s in STATUSES)])
    files.append(list(FILE_COLUMNS))
    bold, head_fill = Font(name=FONT, bold=True), PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    status_fill = {"通过": "C6EFCE", "有错误": "FFC7CE", **{s: "FFEB9C" for s in FAILED}}
    files["A1"].font = Font(name=FONT, size=14, bold=True)
    for cell in files[3]:
        cell.font, cell.fill = bold, head_fill
    for row, entry in enumerate(summary["files"], start=4):
        top = "、".join(f"{t['rule']}×{t['count']}" for t in entry["top_rules"])
        files.append([entry["file"], entry["dept"], entry["year"], entry["status"], entry["errors"],
                      entry["warnings"], entry["infos"], top or None, entry["reason"],
                      entry["marked"] and Path(entry["file"]).name])
        files.cell(row, 4).fill = PatternFill("solid", start_color=status_fill[entry["status"]],
                                              end_color=status_fill[entry["status"]])
        if entry["marked"]:  # a relative link: the summary and the marked copies can move together
            link = files.cell(row, 10)
            link.hyperlink = entry["marked"].replace(os.sep, "/")
            link.font = Font(name=FONT, color="0563C1", underline="single")
        files.cell(row, 9).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (36, 28, 8, 10, 8, 8, 8, 40, 60, 24)):
        files.column_dimensions[letter].width = width
    files.freeze_panes = "B4"
    files.auto_filter.ref = f"A3:J{max(4, 3 + len(summary['files']))}"

    rules = book.create_sheet("规则统计")
    rules.append(list(RULE_COLUMNS))
    for cell in rules[1]:
        cell.font, cell.fill = bold, head_fill
    for entry in summary["rules"]:
        rules.append([entry["rule"], entry["severity_label"], entry["title"], entry["files"], entry["count"]])
    for letter, width in zip("ABCDE", (26, 10, 60, 12, 10)):
        rules.column_dimensions[letter].width = width
    rules.freeze_panes = "A2"
    charted = min(len(summary["rules"]), CHART_RULES)
    if charted:
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: rule ids stay readable
        chart.title = "各规则出现次数" + (f"（前 {charted} 条）" if charted < len(summary["rules"]) else "")
        chart.y_axis.title = "出现次数"
        chart.add_data(Reference(rules, min_col=5, min_row=1, max_row=1 + charted), titles_from_data=True)
        chart.set_categories(Reference(rules, min_col=1, min_row=2, max_row=1 + charted))
        chart.x_axis.scaling.orientation = "maxMin"  # the most frequent on top
        chart.legend = None
        chart.height, chart.width = max(7.5, 0.5 * charted + 3), 18
        rules.add_chart(chart, f"{get_column_letter(len(RULE_COLUMNS) + 2)}2")
    return save_atomic(book, Path(out))
