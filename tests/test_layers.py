"""The direction of imports (docs/architecture.md): front doors → button table and jobs →
planners → surfaces, with the spec and the model at the bottom. Read from the source with ast, so
an import inside a function counts as much as one at the top; imports only for type checking
(`if TYPE_CHECKING:`) do not.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workbook", "macros_py", "addin")
READERS = {"workbook.reader", "workbook.grid.fast_grid", "workbook.grid.OpenpyxlGrid", "workbook.grid.CalamineGrid",
           "workbook.grid.load_workbook", "workbook.safety.inspect", "workbook.safety.unchanged"}
PLANNERS = ("workbook.jobs", "workbook.buttons", "workbook.fill", "workbook.marks", "workbook.checks", "workbook.export",
            "workbook.narrative", "workbook.derive")
# Imports against a rule that another change in flight removes; a new one fails the test.
KNOWN: set[tuple[str, str]] = set()


def _module(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (getattr(test, "id", None) == "TYPE_CHECKING"
                                         or getattr(test, "attr", None) == "TYPE_CHECKING")


def _names(path: Path, root: Path = ROOT):
    """(imported name, line): `from .x import y` as package.x.y, `import a.b` as a.b; and for a
    module imported whole, each `module.attribute` it is used with."""
    module = _module(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if _type_checking(node) for n in ast.walk(node)}
    aliases = {}
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                yield f"{base}.{alias.name}", node.lineno
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield f"{aliases[node.value.id]}.{node.attr}", node.lineno


@cache
def imports() -> tuple[tuple[str, str, int], ...]:
    """(importing module, imported name, line) for every module of the project."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found += [(_module(path), name, line) for name, line in _names(path)]
    return tuple(found)


def _within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _breaking(importers, imported) -> list[str]:
    return sorted({f"{m}:{line} imports {name}" for m, name, line in imports()
                   if _within(m, importers) and _within(name, imported)
                   and not any(_within(m, (a,)) and _within(name, (b,)) for a, b in KNOWN)})


def test_commands_and_the_batch_read_no_workbook_themselves():
    assert _breaking(("workbook.commands", "workbook.batch", "workbook.cli"), READERS) == []


def test_surfaces_import_no_planner():
    surfaces = ("workbook.surfaces", "workbook.serve.snapshot", "macros_py.surface")
    assert _breaking(surfaces, PLANNERS) == []


def test_below_the_jobs_nothing_imports_a_job_or_a_button():
    lower = ("workbook.fill", "workbook.marks", "workbook.checks", "workbook.export", "workbook.narrative",
             "workbook.derive", "workbook.surfaces", "workbook.template", "workbook.reader", "workbook.ledger",
             "workbook.plan", "workbook.model", "workbook.spec")
    assert _breaking(lower, ("workbook.jobs", "workbook.buttons")) == []


def test_the_template_and_the_checks_import_no_narrative():
    assert _breaking(("workbook.template", "workbook.checks", "workbook.info"), ("workbook.narrative",)) == []


def test_the_marks_import_no_jobs():
    assert _breaking(("workbook.marks",), ("workbook.jobs", "workbook.buttons")) == []


def test_the_core_and_the_service_import_no_excel_code():
    assert _breaking(("workbook",), ("macros_py", "xlwings")) == []
    assert _breaking(("workbook.serve",), ("addin",)) == []


def test_cell_addresses_are_spelled_by_cells_only():
    # openpyxl spells them too: only where openpyxl objects are at hand (the template, the
    # openpyxl surface)
    spelling = ("openpyxl.utils.cell", "openpyxl.utils.get_column_letter", "openpyxl.utils.column_index_from_string",
                "openpyxl.utils.coordinate_to_tuple", "openpyxl.utils.range_boundaries")
    allowed = ("workbook.template", "workbook.surfaces.openpyxl_book", "workbook.cells")
    assert sorted({f"{m}:{line}" for m, name, line in imports()
                   if _within(name, spelling) and not _within(m, allowed)}) == []


def test_no_import_cycles():
    edges: dict[str, set[str]] = {}
    modules = {m for m, _, _ in imports()}
    for m, name, _ in imports():
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != m and not any(_within(m, (a,)) and _within(name, (b,)) for a, b in KNOWN):
            edges.setdefault(m, set()).add(name)
    cycles, done = [], set()

    def walk(node, path):
        for nxt in sorted(edges.get(node, ())):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                walk(nxt, path + [nxt])
        done.add(node)

    for m in sorted(modules):
        if m not in done:
            walk(m, [m])
    assert cycles == []


def test_the_reader_of_imports_sees_deferred_relative_and_attribute_imports(tmp_path):
    bad = tmp_path / "workbook" / "commands" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..jobs import x\n"
                   "def f():\n    from .. import safety, reader\n    return safety.inspect\n", encoding="utf-8")
    found = {name for name, _ in _names(bad, tmp_path)}
    assert {"workbook.reader", "workbook.safety.inspect"} <= found and "workbook.jobs.x" not in found


def test_no_function_over_80_lines_without_a_reason():
    """Every function is shorter than 80 lines, or says in its docstring why ('long because …')."""
    long = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        node.end_lineno - node.lineno >= 80 and "long because" not in (ast.get_docstring(node) or ""):
                    long.append(f"{_module(path)}.{node.name}")
    assert long == []
