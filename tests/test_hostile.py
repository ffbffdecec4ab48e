"""Hostile and broken inputs (tests/hostile.py makes them): each ends as the user must see it, with
one sentence naming the file (exit 2), or is checked as usual when it is harmless; never a
traceback, an "内部错误", a hang, or a stray temporary file."""
from __future__ import annotations

import os

import pytest

from conftest import run_cli
from hostile import CASES, Case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path, _example_files):
    folder = tmp_path / "in"
    folder.mkdir()
    args = case.make(folder, _example_files[1])
    ran = run_cli(*args)
    said = ran.stdout + ran.stderr
    assert ran.returncode == case.exit, said
    assert case.phrase in said, said
    assert "Traceback" not in said and "内部错误" not in said
    if case.exit == 2 and not os.path.isdir(args[1]):  # one file refused: one sentence on stderr
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("budgetbook: ") and lines[0].endswith("。"), lines
        assert case.phrase in lines[0] and ran.stdout == ""
    strays = [p.name for p in folder.rglob("*") if p.name.startswith((".~bb-", "~$")) and p.name != "~$甲.xlsx"]
    assert not strays


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
