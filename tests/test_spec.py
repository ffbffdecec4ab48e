"""The spec is the whole declaration: a reference it does not declare fails loudly, and what is
derived (sums, titles) comes from what it declares."""
from __future__ import annotations

import pytest

from workbook import spec
from workbook.checks import base
from workbook.checks.arithmetic import RELATION_RULES
from workbook.checks.cross import PairRule
from workbook.model import Ref


def test_a_mistyped_reference_fails_instead_of_reading_as_missing(filled_book):
    assert filled_book.value(Ref("T6", "total", "basic")) is not None
    for typo in (Ref("T6", "total", "basci"), Ref("T2", "in.genral", "amount"), Ref("T12", "whole.projct", "amount")):
        with pytest.raises(ValueError):
            filled_book.value(typo)
    with pytest.raises(KeyError):
        filled_book.tables.get("T66")
    assert filled_book.value(Ref("T6", "r999", "basic")) is None  # a row this workbook lacks is fine


def test_a_rule_is_refused_at_registration_for_what_the_spec_lacks():
    with pytest.raises(ValueError, match="unknown tables"):
        base.register(type("Bad", (PairRule,), {"id": "X.test-a", "title": "t", "tables": ("T6", "T13")}))
    with pytest.raises(ValueError, match="no money column"):
        base.register(type("Bad", (PairRule,), {"id": "X.test-b", "title": "t", "tables": ("T6",),
                                                "pairs": ((Ref("T6", "total", "totl"), Ref("T6", "total", "basic")),)}))
    assert not [r for r in base.REGISTRY if r.id.startswith("X.test")]


def test_sums_and_their_titles_come_from_the_declarations():
    title = RELATION_RULES["T3.row-sum"][0]
    target, parts = next(iter(spec.T3.row_sums.items()))
    assert title == f"表三 {spec.T3.col(target).header[-1]}等于" + "、".join(spec.T3.col(p).header[-1] for p in parts) + "之和"
    assert "收入合计等于本年收入合计、上年结转、上年结余之和" in RELATION_RULES["T2.sum"][0]
    # the funds are declared once: 表四's lines, 表五's columns and the tables detailing them
    assert [line.key for line in spec.T4.lines if line.key in spec.FUND_KEYS] == list(spec.FUND_KEYS)
    assert {f"{f.short}_total" for f in spec.FUNDS} <= set(spec.T5.money_keys)
    assert spec.FISCAL_TABLES == ("T6", "T10", "T11") and spec.CODE_TABLES == ("T6", "T7", "T10", "T11")
