"""How failures end, through real processes where the process boundary is what is tested: a full
disk (the sentence alone, no "Exception ignored" after it), a reader of the output going away
(`check DIR | head` ends with the batch's status), --debug (the detail under the sentence)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).parents[1]


def test_a_full_disk_ends_with_the_sentence_alone(tmp_path):
    script = textwrap.dedent(f"""
        import errno, io, zipfile
        from pathlib import Path
        from workbook.atomic import write_atomic
        from workbook.errors import BudgetbookError

        class Full(io.FileIO):  # a disk that fills up while the zip is written
            def write(self, data):
                raise OSError(errno.ENOSPC, "No space left on device")

        def save(tmp):
            archive = zipfile.ZipFile(Full(tmp, "w"), "w")
            archive.writestr("xl/workbook.xml", "x" * 100000)

        try:
            write_atomic(Path({str(tmp_path / "out.xlsx")!r}), save)
        except BudgetbookError as exc:
            print(exc)
    """)
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert "磁盘空间不足，请清理磁盘后再试" in ran.stdout, ran.stdout + ran.stderr
    assert ran.stderr == ""  # no "Exception ignored in ZipFile.__del__" traceback
    assert list(tmp_path.iterdir()) == []  # the temporary file removed


def test_check_of_a_folder_exits_with_its_status_when_the_reader_goes_away(tmp_path, filled_xlsx):
    intake = tmp_path / "收件"
    intake.mkdir()
    for n in range(3):
        shutil.copy(filled_xlsx, intake / f"部门{n}.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "workbook.cli", "check", str(intake), "--jobs", "1",
                             "--no-progress", "--summary", str(tmp_path / "汇总.xlsx")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err.decode()  # the batch's status: errors found, not 0
    assert (tmp_path / "汇总.xlsx").exists() and b"Traceback" not in err


def test_debug_adds_the_detail_under_the_sentence(tmp_path, filled_xlsx, monkeypatch):
    from workbook import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "fill_file", broken)
    plain = run_cli("fill", filled_xlsx, "-o", tmp_path / "out.xlsx")
    assert plain.returncode == 3 and plain.stderr.count("\n") == 1
    assert "程序内部出错" in plain.stderr and "RuntimeError" not in plain.stderr and "boom" not in plain.stderr
    debug = run_cli("fill", filled_xlsx, "-o", tmp_path / "out.xlsx", "--debug")
    assert debug.returncode == 3 and debug.stderr.startswith(plain.stderr)
    assert "budgetbook: 详细信息：RuntimeError: boom" in debug.stderr and "Traceback" in debug.stderr
