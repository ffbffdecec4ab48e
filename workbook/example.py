"""The bundled example: the reference department with its input cells only."""
from __future__ import annotations

from decimal import Decimal
from importlib import resources

from .content import Content, Indicator, NamedRow, Project, Whole


def _figures(text: str) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in (pair.split("=") for pair in text.split())}


def _indicator(line: str) -> Indicator:
    return Indicator(*[part.strip() for part in line.split("|")])


def parse(text: str) -> Content:
    """Read the small text format of workbook/data/reference_2024.txt."""
    content = Content(dept="", year=0)
    section, table = "", ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section, _, table = line.strip("[]").partition(" ")
            if section == "project":
                content.projects.append(Project())
            continue
        head, _, rest = line.partition(" ")
        if section == "":
            content.dept, content.year = (rest, content.year) if head == "dept" else (content.dept, int(rest))
        elif section == "lines":
            content.lines[(table, head)] = Decimal(rest)
        elif section == "rows":
            label, _, figures = line.partition("|")
            code, _, name = label.strip().partition(" ")
            row = NamedRow(name.strip(), _figures(figures), code) if code.isdigit() else \
                NamedRow(label.strip(), _figures(figures))
            content.rows.setdefault(table, []).append(row)
        else:
            _block_line(content, section, head, rest, line)
    return content


def _block_line(content: Content, section: str, head: str, rest: str, line: str) -> None:
    block: Whole | Project = content.whole if section == "whole" else content.projects[-1]
    if "|" in line:
        block.indicators.append(_indicator(line))
    elif head == "name":
        if isinstance(block, Whole):
            block.dept_name = rest
        else:
            block.name = rest
    elif head == "goal":
        block.goal = rest
    elif head == "unit":
        block.unit = rest
    elif head == "funds":
        block.funds = _figures(rest)


def reference() -> Content:
    from .narrative.reference import reference as narrative_inputs

    text = resources.files("workbook.data").joinpath("reference_2024.txt").read_text("utf-8")
    content = parse(text)
    content.info = narrative_inputs()  # the 基本情况 sheet, for the 情况说明
    return content
