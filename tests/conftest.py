"""Shared fixtures: the bundled example, raw and filled, built once per test session."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

# xlwings' remote engine gives real Books without Excel (tests/xlremote.py); its licence (PolyForm
# Noncommercial) covers this noncommercial project. Set before anything imports xlwings, and in
# the tests only: shipped code never sets it.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from workbook import example, jobs
from workbook.grid import OpenpyxlGrid, save_atomic
from workbook.reader import read


def faults(findings) -> list:
    """A narrative check's findings less N.unplaced (the amounts it could not tie to a table, 提示):
    what the text gets wrong."""
    return [f for f in findings if f.rule != "N.unplaced"]


def as_checked(paragraphs: list[str]) -> list[str]:
    """The example's generated narrative once its one 【请核对】 is dealt with: the example's only
    error (the ninth project without a table, 表十二 213.00 against 表三 233.00) is a table's, not
    the text's; a user who has checked it takes the mark out."""
    import re

    return [re.sub(r"【请核对：[^】]*】", "", p) for p in paragraphs]


def run_fill(src: Path, out: Path) -> Path:
    jobs.fill_file(src, out)
    return out


@pytest.fixture(scope="session")
def _example_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    raw = folder / "example.xlsx"
    save_atomic(jobs.new(example.reference()), raw)
    return raw, run_fill(raw, folder / "filled.xlsx")


@pytest.fixture
def example_xlsx(_example_files, tmp_path) -> Path:
    """A private copy of the example with input cells only."""
    return Path(shutil.copy(_example_files[0], tmp_path / "example.xlsx"))


@pytest.fixture
def filled_xlsx(_example_files, tmp_path) -> Path:
    """A private copy of the filled example."""
    return Path(shutil.copy(_example_files[1], tmp_path / "filled.xlsx"))


@pytest.fixture(scope="session")
def filled_book(_example_files):
    return read(OpenpyxlGrid(_example_files[1]))


@pytest.fixture(scope="session")
def baseline(_example_files):
    """The check report of the clean, filled example."""
    from workbook import checks

    return checks.run(read(OpenpyxlGrid(_example_files[1])))


class MemoryGrid:
    """The Grid interface over plain lists: planting a fault costs no workbook load."""

    def __init__(self, path: Path, sheets: dict[str, list[list[object]]]):
        self.path = path
        self.sheets = {name: [list(row) for row in rows] for name, rows in sheets.items()}

    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def rows(self, sheet: str) -> list[list[object]]:
        return self.sheets[sheet]

    def set_values(self, sheet: str, values: dict[str, object]) -> None:
        from openpyxl.utils.cell import coordinate_to_tuple

        rows = self.sheets[sheet]
        for addr, value in values.items():
            r, c = coordinate_to_tuple(addr)
            while len(rows) < r:
                rows.append([])
            rows[r - 1].extend([None] * (c - len(rows[r - 1])))
            rows[r - 1][c - 1] = value


@pytest.fixture(scope="session")
def _filled_values(_example_files):
    grid = OpenpyxlGrid(_example_files[1])
    return {name: grid.rows(name) for name in grid.sheet_names()}


@pytest.fixture
def planted(_example_files, _filled_values):
    """Check the filled example after planting faults: {"表六!D9": 600} and/or a function that
    edits the openpyxl workbook (insert rows, rename, delete sheets …). Nothing is saved."""
    from workbook import checks

    def run(changes: dict[str, object] | None = None, mutate=None, **options):
        if mutate:
            grid = OpenpyxlGrid(_example_files[1])
            mutate(grid.book)
            for key, value in (changes or {}).items():
                sheet, addr = key.split("!")
                grid.book[sheet][addr] = value
        else:
            grid = MemoryGrid(_example_files[1], _filled_values)
            for key, value in (changes or {}).items():
                sheet, addr = key.split("!")
                grid.set_values(sheet, {addr: value})
        return checks.run(read(grid, strict=False), **options)

    return run


def new_findings(report, baseline, rule: str):
    """Findings of `rule` in `report` that the clean example does not have."""
    before = {(f.rule, f.places, f.message) for f in baseline.findings}
    return [f for f in report.findings if f.rule == rule and (f.rule, f.places, f.message) not in before]


_FONT_LINE = re.compile(
    r"^(?P<name>.*?)\s+(?P<type>(?:CID )?(?:Type [013]C?|TrueType)(?: \(OT\))?|unknown)"
    r"\s+(?P<encoding>\S+)\s+(?P<emb>yes|no)\s+(?P<sub>yes|no)\s+(?P<uni>yes|no)\s+\d+\s+\d+\s*$"
)


def pdf_fonts(pdf: Path) -> list[dict]:
    """Fonts listed by poppler's `pdffonts`: name, type, encoding (str) and emb, sub, uni (bool)."""
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    fonts = []
    for line in listed.splitlines():
        m = _FONT_LINE.match(line)
        if m:
            font = m.groupdict()
            fonts.append({**font, **{k: font[k] == "yes" for k in ("emb", "sub", "uni")}})
    return fonts


def finding_cells(finding) -> set[str]:
    """The cells one finding names, as "表六!D9"."""
    return {str(p) for p in finding.places}


# The planted-fault tests assert that a rule found its fault through these three helpers (the rule
# id their third or second argument): tests/test_rule_tests.py reads their calls to know that every
# rule has a test asserting a finding of it.

def assert_found(findings, rule: str, cell: str | None = None, *, severity: str | None = None) -> list:
    """The findings of `rule` (those naming `cell` when given) among `findings` (a list or a
    Report), after asserting there is at least one and, when given, that all have `severity`."""
    every = getattr(findings, "findings", findings)
    mine = [f for f in every if f.rule == rule and (cell is None or cell in finding_cells(f))]
    assert mine, (rule, cell, [(f.rule, f.message) for f in every])
    if severity is not None:
        assert {f.severity for f in mine} == {severity}, [(f.severity, f.message) for f in mine]
    return mine


def assert_found_new(report, baseline, rule: str, *, cell: str | None = None, severity: str | None = None) -> list:
    """assert_found among the findings the clean example does not have."""
    return assert_found(new_findings(report, baseline, rule), rule, cell=cell, severity=severity)


def one_new(report, baseline, rule: str, cell: str, severity: str):
    """The single new finding of `rule` naming `cell`, checked to have `severity`."""
    found = [f for f in new_findings(report, baseline, rule) if cell in finding_cells(f)]
    assert len(found) == 1, [(f.places, f.message) for f in new_findings(report, baseline, rule)]
    assert found[0].severity == severity, found[0]
    return found[0]


def cells(found) -> set[str]:
    """Every cell the findings name, as "表六!D9"."""
    return {str(p) for f in found for p in f.places}


def only(found, severity: str):
    """The findings, after asserting there are some and all have this severity."""
    assert found
    assert {f.severity for f in found} == {severity}
    return found


class Ran:
    """What a command run left: exit status, standard output and error (as subprocess gives)."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_cli(*args) -> Ran:
    """`budgetbook ARGS` in this process through workbook.cli.main (no interpreter start-up per
    call); use a subprocess only where the process boundary itself is under test."""
    import contextlib
    import io

    from workbook import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main([str(a) for a in args])
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code if isinstance(exc.code, int) else 2
    return Ran(code, out.getvalue(), err.getvalue())
