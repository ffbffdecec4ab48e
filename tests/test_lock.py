"""No lost updates: one writer per workbook, Office's own owner files honoured, no write over
changes made since the read, SIGKILL leaves the old or the new file and nothing stray. The
concurrency tests use real processes (`python -m workbook.cli`), not threads or stubs."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from workbook import atomic, jobs, lock, safety
from workbook.errors import BudgetbookError
from workbook.grid import save_atomic


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workbook.cli", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(found, timeout: float = 60.0, every: float = 0.002):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        hit = found()
        if hit:
            return hit
        time.sleep(every)
    raise AssertionError("timed out")


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if atomic.temp_name_parts(p.name)]


@pytest.fixture(scope="session")
def _large(tmp_path_factory):
    """A department of 1,500 units and 6,000 表六 rows: fill takes seconds to write it."""
    from departments import large

    path = tmp_path_factory.mktemp("large") / "large.xlsx"
    save_atomic(jobs.new(large(1500, 6000)), path)
    return path


@pytest.fixture
def large_xlsx(_large, tmp_path) -> Path:
    return Path(shutil.copy(_large, tmp_path / "大部门.xlsx"))


# --- Office owner files -------------------------------------------------------------------------

def test_open_in_libreoffice_is_refused_naming_who(filled_xlsx):
    (filled_xlsx.parent / f".~lock.{filled_xlsx.name}#").write_text(
        ",张三,PC-01,30.11.2026 10:15,file:///home/zhangsan/.config/libreoffice/4;", "utf-8")
    before = filled_xlsx.read_bytes()
    ran = run_cli("fill", filled_xlsx, "--in-place")
    assert ran.returncode == 2
    assert "该工作簿正在被 张三（LibreOffice，计算机 PC-01）打开，请先关闭" in ran.stderr
    assert filled_xlsx.read_bytes() == before


def test_open_in_excel_is_refused_naming_who(filled_xlsx, tmp_path):
    name = "李四".encode("gbk")
    owner = bytes([len(name)]) + name + b" " * (53 - len(name)) + bytes([len(name), 0]) \
        + "李四".encode("utf-16-le") + b"\0" * 50
    (filled_xlsx.parent / f"~${filled_xlsx.name}").write_bytes(owner)
    ran = run_cli("check", filled_xlsx, "--mark-in-place")
    assert ran.returncode == 2 and "该工作簿正在被 李四（Excel 或 WPS）打开" in ran.stderr
    # the owner file of another workbook of the folder is not this one's
    other = Path(shutil.copy(filled_xlsx, tmp_path / "另一个部门.xlsx"))
    assert run_cli("clear", other, "--in-place").returncode == 0


def test_excel_owner_file_of_a_long_name_drops_two_characters(filled_xlsx, tmp_path):
    book = Path(shutil.copy(filled_xlsx, tmp_path / "临夏市人民政府办公室2024.xlsx"))
    (tmp_path / f"~${book.name[2:]}").write_bytes(b"\x05admin" + b" " * 48)
    ran = run_cli("fill", book, "-o", tmp_path / "out.xlsx")
    assert ran.returncode == 0  # -o to a new file: the open workbook is only read
    ran = run_cli("fill", book, "--in-place")
    assert ran.returncode == 2 and "admin（Excel 或 WPS）" in ran.stderr


# --- two budgetbook processes ---------------------------------------------------------------------

@pytest.mark.slow
def test_second_writer_is_refused_while_the_first_writes(large_xlsx):
    first = start("fill", large_xlsx, "--in-place", "-q")
    wait_for(lambda: lock.lock_path(large_xlsx).exists())
    second = start("check", large_xlsx, "--mark-in-place")
    _, err2 = second.communicate(timeout=120)
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 2 and "另一个 budgetbook 命令正在写这个工作簿" in err2
    # the first writer's work is there, and nothing is left behind
    assert openpyxl.load_workbook(large_xlsx, read_only=True)["表九"]["C5"].value == 271.96
    assert not lock.lock_path(large_xlsx).exists() and not temp_files(large_xlsx.parent)


@pytest.mark.slow
def test_a_save_by_another_program_during_fill_is_not_overwritten(large_xlsx, filled_xlsx):
    """Another program (here: a plain copy, as Excel's save is a replace) writes the workbook
    while fill is writing its result: fill refuses, the other program's file stays."""
    theirs = filled_xlsx.read_bytes()
    first = start("fill", large_xlsx, "--in-place", "-q")
    wait_for(lambda: temp_files(large_xlsx.parent))  # fill has read the workbook and is writing
    other = large_xlsx.with_name("theirs.tmp")
    other.write_bytes(theirs)
    os.replace(other, large_xlsx)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 2 and "被其他程序修改过" in err and "Traceback" not in err
    assert large_xlsx.read_bytes() == theirs
    assert not temp_files(large_xlsx.parent) and not lock.lock_path(large_xlsx).exists()


def test_input_changed_while_it_was_read_is_refused(filled_xlsx):
    seen = safety.inspect(filled_xlsx)
    book = openpyxl.load_workbook(filled_xlsx)
    book["表二"]["B5"] = 1
    book.save(filled_xlsx)
    with pytest.raises(Exception, match="在读取过程中被修改或替换"):
        safety.unchanged(seen)


def test_export_of_an_input_changed_while_it_was_read_is_refused(filled_xlsx, tmp_path, monkeypatch):
    """export checks and publishes its own openpyxl read: a file saved over meanwhile is refused
    as check_file refuses it, and nothing is published."""
    from workbook import export

    class SavedMeanwhile(export.OpenpyxlGrid):
        def __init__(self, path):
            super().__init__(path)
            os.utime(path, ns=(1, 1))  # another program's save, just after openpyxl's read

    monkeypatch.setattr(export, "OpenpyxlGrid", SavedMeanwhile)
    with pytest.raises(BudgetbookError, match="在读取过程中被修改或替换"):
        jobs.export(filled_xlsx, tmp_path / "pub")
    assert not (tmp_path / "pub").exists() or not list((tmp_path / "pub").iterdir())


# --- SIGKILL ----------------------------------------------------------------------------------------

@pytest.mark.slow
def test_sigkill_leaves_the_old_or_the_new_file_and_nothing_stray(large_xlsx):
    old = large_xlsx.read_bytes()
    outcomes = []
    for delay in (0.0, 0.3, 0.8, 1.5):
        shutil.copy(large_xlsx, large_xlsx.with_name("before.xlsx"))
        writer = start("fill", large_xlsx, "--in-place", "-q")
        wait_for(lambda: temp_files(large_xlsx.parent) or writer.poll() is not None)  # writing
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(60)
        data = large_xlsx.read_bytes()
        if data == large_xlsx.with_name("before.xlsx").read_bytes():
            outcomes.append("old")
        else:  # the rename happened: the new file, whole
            book = openpyxl.load_workbook(large_xlsx, read_only=True)
            assert book["表九"]["C5"].value == 271.96
            outcomes.append("new")
        # the next run takes over the dead writer's lock and removes its temporary file
        ran = subprocess.run([sys.executable, "-m", "workbook.cli", "clear", large_xlsx, "--in-place"],
                             capture_output=True, text=True)
        assert ran.returncode == 0, ran.stderr
        assert not temp_files(large_xlsx.parent) and not lock.lock_path(large_xlsx).exists()
        large_xlsx.write_bytes(old)
    assert "old" in outcomes  # killed mid-write at least once


def test_stale_lock_of_a_dead_process_is_taken_over(filled_xlsx):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    lock.lock_path(filled_xlsx).write_text(
        f'{{"pid": {pid}, "host": "{atomic.HOST}", "computer": "x", "started": "", "token": "t"}}', "utf-8")
    stray = filled_xlsx.parent / f"{atomic.TMP_PREFIX}{pid}.{atomic.HOST}.filled.abc{atomic.TMP_SUFFIX}"
    stray.write_bytes(b"half a workbook")
    atomic._swept.discard(os.path.realpath(filled_xlsx.parent))
    ran = run_cli("fill", filled_xlsx, "--in-place", "-q")
    assert ran.returncode == 0, ran.stderr
    assert not stray.exists() and not lock.lock_path(filled_xlsx).exists()


def test_live_lock_is_respected(filled_xlsx):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.lock_path(filled_xlsx).write_text(
            f'{{"pid": {holder.pid}, "host": "{atomic.HOST}", "computer": "本机", "started": "10:00", '
            f'"token": "t"}}', "utf-8")
        before = filled_xlsx.read_bytes()
        ran = run_cli("clear", filled_xlsx, "--in-place")
        assert ran.returncode == 2 and f"进程 {holder.pid}" in ran.stderr
        assert filled_xlsx.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


# --- a full disk ------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A real file system of 2 MB (tmpfs; needs root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                                            capture_output=True).returncode:
        pytest.skip("需要 root 权限挂载一个很小的 tmpfs 来模拟磁盘已满")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_full_disk_is_one_sentence_and_leaves_nothing(small_disk, example_xlsx):
    book = Path(shutil.copy(example_xlsx, small_disk / "ex.xlsx"))
    filler = small_disk / "filler.bin"
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - 8192))  # 8 KB free: less than the workbook
    before = book.read_bytes()
    ran = run_cli("fill", book, "--in-place", "-q")
    assert ran.returncode == 2
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and "磁盘空间不足" in lines[0] and "No space" not in lines[0]
    assert book.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["ex.xlsx", "filler.bin"]
