"""File names that are not UTF-8 (GBK bytes, as a Chinese Windows share mounted on Linux gives
them): every command reads and writes them exactly, prints them with replacement characters, and
the batch summary names them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

GBK = "预算".encode("gbk")  # b"\xd4\xa4\xcb\xe3": not UTF-8
SHOWN = (GBK + b".xlsx").decode("utf-8", "replace")  # "Ԥ\ufffd\ufffd.xlsx": what the user reads


def _name(prefix: bytes = b"") -> str:
    return os.fsdecode(prefix + GBK + b".xlsx")


@pytest.fixture
def gbk_file(example_xlsx, tmp_path) -> Path:
    """The example with its input cells only: fill and the marks change it."""
    return Path(shutil.move(example_xlsx, tmp_path / _name()))


def _files(folder: Path) -> set[bytes]:
    return set(os.listdir(os.fsencode(folder)))


@pytest.mark.parametrize("args, status, written", [
    (["check", "{in}"], 1, None),
    (["fill", "{in}", "-o", "{out}"], 0, "out"),
    (["fill", "{in}", "--in-place"], 0, "in"),
    (["check", "{in}", "--mark", "{out}"], 1, "out"),
    (["check", "{in}", "--mark-in-place"], 1, "in"),
    (["clear", "{in}", "-o", "{out}"], 0, "out"),
    (["clear", "{in}", "--in-place"], 0, None),
], ids=["check", "fill-o", "fill-in-place", "mark", "mark-in-place", "clear-o", "clear-in-place"])
def test_every_command_takes_a_gbk_name(gbk_file, tmp_path, args, status, written):
    out = tmp_path / _name(b"out-")
    (tmp_path / "export").mkdir()
    before = gbk_file.read_bytes()
    ran = run_cli(*[a.format(**{"in": gbk_file, "out": out, "dir": tmp_path / "export"}) for a in args])
    said = ran.stdout + ran.stderr
    assert ran.returncode == status, said
    assert "Traceback" not in said and "内部错误" not in said and "已损坏" not in said
    assert b"out-" + GBK + b".xlsx" in _files(tmp_path) if written == "out" else True
    if written == "in":
        assert gbk_file.read_bytes() != before  # written back under the very same bytes
    assert GBK + b".xlsx" in _files(tmp_path)
    assert not [n for n in _files(tmp_path) if n.startswith(b".~bb-")]


def test_export_takes_a_gbk_name(filled_xlsx, tmp_path):
    source = Path(shutil.copy(filled_xlsx, tmp_path / _name()))
    (tmp_path / "export").mkdir()
    ran = run_cli("export", source, "--out", tmp_path / "export", "--force")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert [p.suffix for p in (tmp_path / "export").iterdir()] == [".xlsx"]


def test_the_batch_summary_names_a_gbk_file(gbk_file, tmp_path):
    intake = tmp_path / "收件"
    intake.mkdir()
    shutil.move(gbk_file, intake / gbk_file.name)
    summary = tmp_path / _name(b"summary-")
    ran = run_cli("check", intake, "--summary", summary, "--csv", tmp_path / "问题.csv", "--no-progress")
    assert ran.returncode == 1, ran.stderr
    data = json.loads(summary.with_suffix(".json").read_text("utf-8"))
    assert [f["file"] for f in data["files"]] == [SHOWN]
    assert SHOWN in (tmp_path / "问题.csv").read_text("utf-8-sig")


def test_a_gbk_name_prints_with_replacement_characters(gbk_file, tmp_path):
    """Through a real process: its standard streams are UTF-8 and strict unless told otherwise."""
    out = tmp_path / _name(b"out-")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8")
    ran = subprocess.run([sys.executable, "-m", "workbook.cli", "fill", os.fsencode(gbk_file), "-o", os.fsencode(out)],
                         capture_output=True, env=env)
    assert ran.returncode == 0, ran.stderr.decode("utf-8", "replace")
    assert f"out-{SHOWN}" in ran.stdout.decode("utf-8")
    assert b"out-" + GBK + b".xlsx" in _files(tmp_path)
