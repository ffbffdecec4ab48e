"""从明细生成 on the page: ledgers dropped together, built into one workbook in a worker process.

The built workbook is checked as any dropped workbook is; what the ledgers themselves get wrong
comes first, each named by file, row and column, under the table "明细". Nothing is built while a
ledger has an error (as `budgetbook build` without --force)."""
from __future__ import annotations

from ..errors import detail, sentence
from .files import Upload, _failed, _found, _named

BUILT = "部门预算公开表（从明细生成）.xlsx"
LEDGER_SHEET = "明细"
STEPS = ("read", "build", "check")


def process_build(upload: Upload, dept: str | None = None) -> Upload:
    """What a worker does with the ledgers of one drop (in upload.folder/in): the built workbook
    and its findings; a problem of the files is their sentence (the command line's options said
    as the page's field)."""
    try:
        _build(upload, dept)
    except Exception as exc:  # noqa: BLE001  (this drop's status; the service goes on)
        status, text = sentence(exc, upload.name)
        text = text.replace("请用 --dept 指定部门名称", "请在“部门名称”框中填写后重新放入")
        _failed(upload, status, _named(text, upload), detail(exc))
    return upload


def _build(upload: Upload, dept: str | None) -> None:
    from .. import jobs
    from ..batch.pool import report

    report("read")
    ledgers = sorted(p for p in (upload.folder / "in").iterdir() if p.is_file())
    out = upload.folder / "out" / BUILT
    out.parent.mkdir()
    report("build")
    built = jobs.build_file(ledgers, out, dept=dept)
    found = [_ledger_finding(f) for f in built.findings]
    if built.written is None:
        upload.findings, upload.status = found, 1
        upload.counts = {s: sum(f["severity"] == s for f in found) for s in ("error", "warning", "info")}
        upload.message = (f"{upload.name}：明细中有 {len(built.errors)} 处错误，未生成工作簿；"
                          f"请修正明细后重新放入。")
        return
    report("check")
    _found(upload, jobs.check_file(out))
    upload.findings = found + upload.findings
    for f in found:
        upload.counts[f["severity"]] += 1
    upload.files["built"] = out
    upload.message = f"{built.summary().replace(str(out), BUILT)}检查结果：{upload.message}"
    upload.status = max(upload.status, 1 if built.errors else 0)


def _ledger_finding(finding) -> dict:
    """A ledger's finding in the page's shape: its file as the table, row and column as the cell."""
    from ..checks.base import SEVERITY_LABEL

    cell = "".join(filter(None, [f"第 {finding.row} 行" if finding.row is not None else "",
                                 f"“{finding.column}”列" if finding.column else ""])) or "整个文件"
    return {"rule": "ledger", "title": "明细表的问题", "severity": finding.severity,
            "severity_label": SEVERITY_LABEL[finding.severity], "sheet": f"{LEDGER_SHEET} {finding.file}",
            "cell": cell, "cells": [{"sheet": finding.file, "cell": cell}], "message": finding.message,
            "expected": None, "actual": None}
