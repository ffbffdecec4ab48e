"""The documents as a newcomer follows them: every command they show runs as written.

A fenced block that holds commands is marked in its info string: ```` ```sh runnable ```` (run
here, in document order, in one empty folder per document) or ```` ```sh manual:why ```` (what
cannot run on this machine: Excel, WPS, a mail server, a cluster; the reason says which). Where the
accountant types the figures (after `budgetbook new`), the scratch folder gets the bundled example
instead: the reference department with the ninth project its narrative names (tests/shapes.admin),
moved to the year the command asked for. A workbook a command reads that no earlier step made
(last year's, for --prior) is that department one year earlier; a .docx to check is the
reference's own narrative.

Exit statuses are the README's: `check`, `narrative` and `narrative-check` may end with 1 (they
found something: a result, not a failure); every other command must end with 0.
"""
from __future__ import annotations

import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

import shapes
from workbook import jobs
from workbook.grid import save_atomic

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BUDGETBOOK = Path(sys.executable).with_name("budgetbook")
COMMANDS = ("budgetbook", "make", "pip", "dask", "python", "xlwings", "node", "apt-get")
FINDS = {"check", "narrative", "narrative-check"}  # exit 1 = findings (README)
FENCE = re.compile(r"^( *)```(.*)$")


def blocks(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line number, info string, lines) of every fenced block, indented ones too."""
    out, current = [], None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if current is None and fence:
            current = (n, fence.group(2).strip(), len(fence.group(1)), [])
        elif current is not None and fence and not fence.group(2).strip():
            out.append((current[0], current[1], current[3]))
            current = None
        elif current is not None:
            current[3].append(line[current[2]:])
    return out


def command_lines(lines: list[str]) -> list[str]:
    """Commands of a block: continuation lines joined, trailing comments left out."""
    out, pending = [], ""
    for line in lines:
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        words = shlex.split(line, comments=True)
        if words:
            out.append(shlex.join(words))
    return out


def _has_commands(lines: list[str]) -> bool:
    return any(line.split()[:1] and line.split()[0] in COMMANDS for line in command_lines(lines))


def test_every_block_of_commands_is_marked_runnable_or_says_why_not():
    unmarked, unexplained = [], []
    for path in DOCUMENTS:
        for n, info, lines in blocks(path):
            if not _has_commands(lines):
                continue
            words = info.split(maxsplit=1)
            mark = words[1] if len(words) > 1 else ""
            if mark == "runnable":
                continue
            if not mark.startswith("manual:"):
                unmarked.append(f"{path.name}:{n}")
            elif not re.search(r"[\u4e00-\u9fff]", mark):
                unexplained.append(f"{path.name}:{n}")
    assert not unmarked, f"blocks of commands neither runnable nor manual: {unmarked}"
    assert not unexplained, f"manual blocks without a reason in Chinese: {unexplained}"


def test_readme_apt_line_is_the_one_ci_uses():
    def packages(text: str) -> set[str]:
        line = re.search(r"apt-get install ([^`\n]*)", re.sub(r"\\\n\s*", " ", text)).group(1)
        return {w for w in line.split() if not w.startswith("-")}

    ci = packages((ROOT / ".ci" / "run").read_text())
    assert packages((ROOT / "README.md").read_text()) == ci


# --- running them ------------------------------------------------------------------------------


def _department(year: int):
    """The bundled example (made correct by its missing project) as of `year`."""
    content = shapes.admin()
    shift = year - content.year
    content.year = year
    signed = content.info.values.get("date")
    if isinstance(signed, datetime.date):
        content.info.values["date"] = signed.replace(year=signed.year + shift)
    return content


def _write_department(path: Path, year: int) -> None:
    save_atomic(jobs.new(_department(year)), path)
    jobs.fill_file(path, path)


def _seed(words: list[str], folder: Path) -> None:
    """Give a command the files it reads that the document expects the user to have: its
    positional arguments and last year's workbook (--prior)."""
    first = next((i for i, word in enumerate(words) if word.startswith("-")), len(words))
    inputs = words[2:first] + [words[i + 1] for i, word in enumerate(words[:-1]) if word == "--prior"]
    for word in inputs:
        if (folder / word).exists():
            continue
        if m := re.fullmatch(r"(\d{4})年部门预算公开表\.xlsx", word):
            _write_department(folder / word, int(m.group(1)))
        elif word.endswith(".docx"):
            document = docx.Document()
            for line in (ROOT / "tests" / "fixtures" / "reference_narrative.txt").read_text(encoding="utf-8").splitlines():
                document.add_paragraph(line)
            document.save(folder / word)
        elif word.endswith("/"):  # a folder of workbooks received (the batch)
            (folder / word).mkdir()
            _write_department(folder / word / "甲.xlsx", 2024)
            shutil.copy(folder / word / "甲.xlsx", folder / word / "乙.xlsx")


def _typed(words: list[str], folder: Path) -> None:
    """After `budgetbook new`: the accountant's figures, here the bundled example's."""
    year = int(words[words.index("--year") + 1])
    _write_department(folder / words[2], year)


def _runnable(path: Path) -> list[str]:
    return [line for _, info, lines in blocks(path) if info.split()[1:2] == ["runnable"]
            for line in command_lines(lines)]


@pytest.mark.slow
@pytest.mark.parametrize("path", [p for p in DOCUMENTS if _runnable(p)], ids=lambda p: p.name)
def test_runnable_commands_run_as_written(path, tmp_path):
    env = {**os.environ, "HOME": str(tmp_path / "home"), "BUDGETBOOK_DEBUG": ""}
    (tmp_path / "home").mkdir()
    work = tmp_path / "work"
    work.mkdir()
    for line in _runnable(path):
        words = shlex.split(line)
        assert words[0] == "budgetbook", f"{path.name}: only budgetbook commands run here: {line}"
        if words[1] != "new":
            _seed(words, work)
        done = subprocess.run([str(BUDGETBOOK), *words[1:]], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)
        allowed = {0, 1} if words[1] in FINDS else {0}
        assert done.returncode in allowed, f"{path.name}: `{line}` ended with {done.returncode}:\n{done.stderr}{done.stdout}"
        assert "Traceback" not in done.stderr
        if words[1] == "new":
            _typed(words, work)


@pytest.mark.slow
def test_make_demo_leaves_what_the_readme_lists(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(["make", "demo", f"OUT={out}", f"VENV={Path(sys.executable).parent.parent}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "已生成 Excel 加载项" in done.stdout and not re.search(r"^built ", done.stdout, re.M)
    listed = ["example.xlsx", "filled.xlsx", "check.txt", "check.json", "checked.xlsx", "情况说明.docx",
              "narrative-check.txt", "export/临夏市人民政府办公室2024年部门预算公开表.xlsx",
              "export/临夏市人民政府办公室2024年部门预算公开表.eml"]
    assert [name for name in listed if not (out / name).is_file()] == []
    assert (ROOT / "dist" / "预算公开助手.xlam").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in listed[:-1] if Path(name).name not in readme] == []  # the .eml as "an `.eml` draft"
