"""Every rule has a planted-fault test that asserts a finding of that rule.

Read from the tests' source with ast: a rule counts when some test passes its id to one of the
asserting helpers of conftest.py (`assert_found`, `assert_found_new`, `one_new`), which fail
unless the report holds a finding of that rule. The id may be written in the call, or come from
the test's `pytest.mark.parametrize` values (a list or dict written in the module, whole or
through `sorted(...)`) or a constant the test names (`rule = "…"`), also inside an f-string
(f"{table}.rollup"). An id that only appears in a
string, in `assert not …`, or in a test that looks at the findings some other way does not count.
"""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ASSERTING = {"assert_found": 1, "assert_found_new": 2, "one_new": 2}  # helper -> position of the rule id


def _module_values(tree: ast.Module) -> dict[str, ast.AST]:
    return {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def _parameters(test: ast.FunctionDef, values: dict[str, ast.AST]) -> dict[str, list]:
    """name -> the values `pytest.mark.parametrize` gives it (those written as constants)."""
    out: dict[str, list] = {}
    for deco in test.decorator_list:
        if not (isinstance(deco, ast.Call) and ast.unparse(deco.func).endswith("mark.parametrize")
                and len(deco.args) >= 2 and isinstance(deco.args[0], ast.Constant)):
            continue
        names = [n.strip() for n in deco.args[0].value.split(",")]
        given = deco.args[1]
        if isinstance(given, ast.Call) and ast.unparse(given.func) in ("sorted", "list") and given.args:
            given = given.args[0]
        if isinstance(given, ast.Name):
            given = values.get(given.id)
        if isinstance(given, ast.Dict):
            rows = [[k] for k in given.keys]
        elif isinstance(given, (ast.List, ast.Tuple)):
            rows = [list(e.elts) if len(names) > 1 and isinstance(e, (ast.Tuple, ast.List)) else [e]
                    for e in given.elts]
        else:
            continue
        for i, name in enumerate(names):
            out[name] = [row[i].value for row in rows if i < len(row) and isinstance(row[i], ast.Constant)]
    for node in ast.walk(test):  # rule = "…" (or "…" if … else "…") in the test itself
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            choices = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
            if all(isinstance(c, ast.Constant) for c in choices):
                out.setdefault(node.targets[0].id, []).extend(c.value for c in choices)
    return out


def _ids(arg: ast.AST, parameters: dict[str, list]) -> list[str]:
    """The rule ids an argument can be."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return [arg.value]
    if isinstance(arg, ast.Name):
        return [v for v in parameters.get(arg.id, []) if isinstance(v, str)]
    if isinstance(arg, ast.JoinedStr):
        names = [v.value.id for v in arg.values if isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name)]
        if len(names) == 1 and len(arg.values) == sum(isinstance(v, (ast.Constant, ast.FormattedValue))
                                                      for v in arg.values):
            return ["".join(str(v.value) if isinstance(v, ast.Constant) else str(value) for v in arg.values)
                    for value in parameters.get(names[0], [])]
    return []


def asserted(source: str) -> set[str]:
    """The rule ids a test module's tests assert a finding of."""
    tree = ast.parse(source)
    helpers = {alias.asname or alias.name: ASSERTING[alias.name] for node in tree.body
               if isinstance(node, ast.ImportFrom) and node.module == "conftest"
               for alias in node.names if alias.name in ASSERTING}
    values = _module_values(tree)
    found = set()
    for test in tree.body:
        if not (isinstance(test, ast.FunctionDef) and test.name.startswith("test_")):
            continue
        parameters = _parameters(test, values)
        for call in ast.walk(test):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in helpers):
                continue
            at = helpers[call.func.id]
            arg = call.args[at] if len(call.args) > at else next(
                (k.value for k in call.keywords if k.arg == "rule"), None)
            if arg is not None:
                found.update(_ids(arg, parameters))
    return found


def test_every_rule_has_a_planted_fault_test_asserting_its_finding():
    from workbook import jobs

    covered = set().union(*(asserted(p.read_text("utf-8")) for p in sorted(TESTS.glob("test_*.py"))))
    assert sorted(r.id for r in jobs.rules() if r.id not in covered) == []


def test_the_reader_counts_only_asserting_calls():
    source = '''
import pytest
from conftest import assert_found, new_findings, one_new as only

TABLE = {"A.one": 1, "A.two": 2}
ROWS = [("B.one", "x"), ("B.two", "y")]

def test_literal(planted, baseline):
    assert_found(planted(), "C.lit")
    rule = "E.one" if planted else "E.two"
    assert_found(planted(), rule)
    only(planted(), baseline, "C.aliased", "表一!A1", "error")
    assert not new_findings(planted(), baseline, "D.negated")
    assert new_findings(planted(), baseline, "D.not-through-a-helper")
    text = "D.a-string"

@pytest.mark.parametrize("rule", sorted(TABLE))
def test_table(rule, planted):
    assert_found(planted(), rule)

@pytest.mark.parametrize("rule,text", ROWS)
def test_rows(rule, text, planted):
    assert_found(planted(), rule=rule)

@pytest.mark.parametrize("table", ["T10", "T11"])
def test_fstring(table, planted):
    assert_found(planted(), f"{table}.rollup")

def helper_not_a_test(planted):
    assert_found(planted(), "D.not-a-test")
'''
    assert asserted(source) == {"C.lit", "C.aliased", "E.one", "E.two", "A.one", "A.two", "B.one", "B.two", "T10.rollup", "T11.rollup"}
