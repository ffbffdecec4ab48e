"""Shared fixtures: the bundled example, raw and filled, built once per test session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbook import example, template
from workbook.fill import apply, plan
from workbook.grid import OpenpyxlGrid, save_atomic
from workbook.reader import read


def run_fill(src: Path, out: Path) -> Path:
    grid = OpenpyxlGrid(src)
    apply(grid, plan(read(grid)))
    grid.save(out)
    return out


@pytest.fixture(scope="session")
def _example_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    raw = folder / "example.xlsx"
    save_atomic(template.build(example.reference()), raw)
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
