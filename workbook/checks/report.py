"""The findings of one workbook: data for JSON and marks, and a readable summary."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import spec
from ..advice import CLI
from .base import SEVERITY_LABEL, Finding

if TYPE_CHECKING:
    import pandas as pd

_ORDER = {t.sheet: i for i, t in enumerate(spec.TABLES)}


def finding_line(finding: Finding) -> str:
    """One finding on one line: severity, rule and its title, the first cells, the message."""
    where = ", ".join(str(p) for p in finding.places[:4]) or "—"
    title = f"（{finding.title}）" if finding.title else ""
    return f"[{SEVERITY_LABEL[finding.severity]}] {finding.rule}{title}  {where}  {finding.said(CLI)}"


@dataclass
class Report:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    sheet_of: dict[str, str] = field(default_factory=dict)  # sheet name as found -> 表X
    dept: str | None = None  # as the workbook's titles give them (a batch summary lists them)
    year: int | None = None
    coverage: object = None  # a 情况说明's: how much of it was checked (narrative.coverage.Coverage)
    scope: list[str] = field(default_factory=list)  # what was read and checked, when not all of a workbook

    @property
    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def frame(self) -> pd.DataFrame:
        """Failure cases as a table (one row per finding), as pandera reports them."""
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings],
                            columns=["rule", "severity", "sheet", "cell", "cells", "message", "expected", "actual"])

    def to_json(self) -> str:
        import json

        return json.dumps([f.to_dict() for f in self.findings], ensure_ascii=False, indent=2)

    def summary(self) -> str:
        counts = self.counts
        head = (f"{self.path}：错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处。"
                if self.findings else f"{self.path}：未发现问题。")
        lines = [head]
        for sheet, group in self.by_sheet():
            text_only = all(f.rule.startswith("N.") for f in group)  # a PDF's own 情况说明
            lines.append(f"\n{sheet or ('情况说明' if text_only else '整个工作簿')}")
            lines += [f"  {finding_line(f)}" for f in group]
        if self.scope:
            lines += ["", *self.scope]
        return "\n".join(lines)

    def by_sheet(self) -> list[tuple[str | None, list[Finding]]]:
        groups: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.sheet, []).append(f)
        rank = {"error": 0, "warning": 1, "info": 2}
        return [(sheet, sorted(groups[sheet], key=lambda f: rank[f.severity]))
                for sheet in sorted(groups, key=lambda s: _ORDER.get(self.sheet_of.get(s, s or ""), 99))]
