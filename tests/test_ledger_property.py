"""The tables built from any ledger are right by construction: over random departments of every
shape, `build` gives no arithmetic or cross-table finding, fill changes nothing, and each figure
is its exact ledger total rounded half up, or 0.01 off it with a line on the 尾差说明 sheet.

The exact totals are worked out here from the ledger lines, independently of workbook.ledger."""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from tests import ledgers
from workbook import jobs
from workbook.grid import OpenpyxlGrid
from workbook.ledger.tail import SHEET as TAIL
from workbook.reader import read

CENT = Decimal("0.01")
KINDS = ("行政", "参公", "事业")


@st.composite
def departments(draw):
    shape = draw(st.sampled_from(ledgers.SHAPES))
    count = draw(st.integers(1, 6))
    units = [ledgers.Unit(f"某局单位{n}", draw(st.sampled_from(KINDS)) if shape in ("institutions", "funds") else
                          ledgers.units_of(shape)[0].kind) for n in range(count)]
    return ledgers.department(shape, units=units, projects=draw(st.integers(0, 8)), seed=draw(st.integers(0, 10**6)),
                              big=draw(st.sampled_from((50, 5_000, 2_000_000))))


def expected(lines) -> dict[tuple[str, str, str], Decimal]:
    """(sheet, row label or code, column) -> exact 万元, for the figures a reader looks up."""
    out: dict = defaultdict(Decimal)
    for line in lines:
        wan = Decimal(line["yuan"]) / 10000
        unit, source, basic = line["unit"], line["source"], line["kind"] != "项目支出"
        carry = source == "上年结转"
        col = "carry" if carry else "basic" if basic else "project"
        out[("表三", unit, col)] += wan
        out[("表三", "总计", col)] += wan
        if source == "一般公共预算":
            part = "basic" if basic else "project"
            out[("表五", unit, f"gp_{part}")] += wan
            out[("表六", line["func_code"], part)] += wan
            out[("表六", line["func_code"][:3], "total")] += wan
            if basic:
                out[("表七", line["econ_code"], "total")] += wan
                out[("表七", line["econ_code"][:3], "total")] += wan
    return out


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(lines=departments())
def test_built_tables_are_right_by_construction(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("ledger")
    src = ledgers.write(lines, folder / "明细.xlsx")
    out = folder / "公开表.xlsx"
    result = jobs.build_file([src], out, dept="某局", year=2025)
    assert not result.errors
    book = read(OpenpyxlGrid(out))
    report = jobs.check(book)
    assert [f for f in report.findings if f.rule.startswith(("T", "X"))] == []
    assert [f for f in report.findings if f.severity == "error" and f.rule != "F.placeholder"] == []
    assert jobs.fill_file(out, folder / "again.xlsx").changes == []
    listed = {(row[0], row[1]) for row in list(OpenpyxlGrid(out).rows(TAIL))[4:] if row and row[1]}
    exact = expected(lines)
    for (sheet, label, col), value in exact.items():
        table = book.tables[{"表三": "T3", "表五": "T5", "表六": "T6", "表七": "T7"}[sheet]]
        row = table.row("total") if label == "总计" else next(
            r for r in table.rows if r.label == label or (r.code == label and r.kind == "code"))
        printed, own = row.values[col], value.quantize(CENT, rounding=ROUND_HALF_UP)
        assert abs(printed - own) <= CENT, (sheet, label, col, printed, value)
        if printed != own:
            assert (sheet, row.addr(col)) in listed, (sheet, label, col)
