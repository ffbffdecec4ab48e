"""What is wrong with a ledger, each said once at its place: file, row, column."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEVERITIES = ("error", "warning", "info")
_WORDS = {"error": "错误", "warning": "警告", "info": "说明"}


@dataclass(frozen=True)
class Finding:
    file: str  # the ledger's file name
    row: int | None  # row of the sheet (or line of the CSV file), 1-based; None: the whole file
    column: str  # the column's header as the file spells it ("" for a whole row or file)
    message: str
    severity: str = "error"
    # an error a forced build gets past by leaving the row out (else the row is used as it is)
    drops_row: bool = False

    @property
    def place(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第 {self.row} 行"
        if self.column:
            where += f"“{self.column}”列"
        return where

    def __str__(self) -> str:
        return f"[{_WORDS[self.severity]}] {self.place}：{self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message,
                "severity": self.severity}


def name_of(path: Path) -> str:
    return Path(path).name
