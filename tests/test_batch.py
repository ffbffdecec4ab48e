"""`budgetbook check DIR…` as a finance bureau runs it: every file in isolation, a summary
workbook, JSON and CSV, marked copies, on worker processes or a Dask cluster."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from hostile import native_crash
from workbook.batch.job import Task
from workbook.batch.pool import IsolatedPool, TaskTimeout, WorkerCrashed


def _spoil(path: Path) -> Path:
    book = openpyxl.load_workbook(path)
    book["表六"]["D9"] = 600  # 表六 no longer adds up, nor agrees with 表七
    book.save(path)
    return path


def _clean(path: Path) -> Path:
    """The example without its one error (the project tables then add up to 项目支出)."""
    from workbook import jobs

    book = openpyxl.load_workbook(path)
    book["表十二"]["D32"] = 45
    book.save(path)
    jobs.fill_file(path, path)
    return path


@pytest.fixture
def intake(_example_files, tmp_path) -> Path:
    """A county's intake: clean, wrong and broken workbooks in a tree, with owner files to skip."""
    filled = _example_files[1]
    root = tmp_path / "收件"
    (root / "乡镇").mkdir(parents=True)
    _clean(Path(shutil.copy(filled, root / "财政局.xlsx")))
    shutil.copy(filled, root / "政府办.xlsx")  # the reference: one error
    _spoil(Path(shutil.copy(filled, root / "乡镇" / "城关镇.xlsx")))
    (root / "乡镇" / "坏文件.xlsx").write_text("不是工作簿", "utf-8")
    (root / "~$政府办.xlsx").write_bytes(b"\x05admin")
    (root / ".~lock.财政局.xlsx#").write_text(",张三,PC-01,2024;", "utf-8")
    (root / "说明.docx").write_bytes(b"not a workbook")
    return root


def test_summary_workbook_json_and_csv(intake, tmp_path):
    summary, csv_path = tmp_path / "汇总.xlsx", tmp_path / "问题.csv"
    ran = run_cli("check", intake, "--jobs", "2", "--summary", summary, "--csv", csv_path, "--no-progress")
    assert ran.returncode == 2, ran.stderr  # one workbook could not be read
    assert "坏文件.xlsx" in ran.stderr and "Traceback" not in ran.stderr
    assert "共检查 4 个工作簿，其中 2 个有错误" in ran.stdout

    book = openpyxl.load_workbook(summary)
    rows = list(book["汇总"].iter_rows(min_row=4, values_only=True))
    by_file = {r[0]: r for r in rows}
    assert set(by_file) == {"财政局.xlsx", "政府办.xlsx", "乡镇/城关镇.xlsx", "乡镇/坏文件.xlsx"}
    assert by_file["财政局.xlsx"][1:4] == ("临夏市人民政府办公室", 2024, "通过")
    assert by_file["乡镇/城关镇.xlsx"][3] == "有错误" and by_file["乡镇/城关镇.xlsx"][4] >= 2
    top = by_file["乡镇/城关镇.xlsx"][7].split("、")  # its three most frequent rules, with counts
    assert len(top) == 3 and top[0] == "P.projects-total×1"  # errors first, then by count
    assert by_file["乡镇/坏文件.xlsx"][3] == "无法读取" and "不是 .xlsx" in by_file["乡镇/坏文件.xlsx"][8]

    rules = book["规则统计"]
    counted = {r[0]: r for r in rules.iter_rows(min_row=2, values_only=True)}
    assert counted["P.projects-total"][3:] == (2, 2)  # two files, once each
    assert counted["T6.rollup"][1] == "错误" and counted["T6.rollup"][2]
    assert len(rules._charts) == 1 and rules._charts[0].tagname == "barChart"
    order = {"错误": 0, "警告": 1, "提示": 2}
    ranks = [order[r[1]] for r in rules.iter_rows(min_row=2, values_only=True) if r[0]]
    assert ranks == sorted(ranks) and ranks[0] == 0  # errors first, then warnings, then notes
    severity = {r[0]: r[1] for r in rules.iter_rows(min_row=2, values_only=True) if r[0]}
    for row in rows:  # a file's 常见问题: its errors before its warnings
        named = [order[severity[item.rsplit("×", 1)[0]]] for item in (row[7] or "").split("、") if item]
        assert named == sorted(named), row

    data = json.loads(summary.with_suffix(".json").read_text("utf-8"))
    assert [f["file"] for f in data["files"]] == [r[0] for r in rows]
    assert data["totals"]["通过"] == 1 and data["totals"]["无法读取"] == 1

    import pandas as pd

    frame = pd.read_csv(csv_path)
    assert list(frame.columns[:5]) == ["file", "dept", "year", "rule", "severity"]
    assert len(frame) == sum(r[4] + r[5] + r[6] for r in rows)
    assert set(frame[frame.rule == "T6.rollup"].file) == {"乡镇/城关镇.xlsx"}


def test_marked_copies_mirror_the_tree_and_are_linked(intake, tmp_path):
    marks, summary = tmp_path / "标记", tmp_path / "汇总.xlsx"
    ran = run_cli("check", intake, "--mark-dir", marks, "--summary", summary, "--no-progress", "--jobs", "2")
    assert ran.returncode == 2
    copy = marks / "乡镇" / "城关镇.xlsx"
    assert copy.is_file() and "校验结果" in openpyxl.load_workbook(copy).sheetnames
    assert not (marks / "乡镇" / "坏文件.xlsx").exists()
    link = {r[0].value: r[9] for r in openpyxl.load_workbook(summary)["汇总"].iter_rows(min_row=4)}
    assert link["乡镇/城关镇.xlsx"].hyperlink.target == "标记/乡镇/城关镇.xlsx"
    assert (summary.parent / link["乡镇/城关镇.xlsx"].hyperlink.target).resolve() == copy.resolve()
    again = run_cli("check", intake, "--mark-dir", marks, "--no-progress")
    assert again.returncode == 2 and "已存在" in again.stderr  # nothing overwritten without --force


def test_json_lists_every_finding_with_its_file(intake):
    ran = run_cli("check", intake, "--format", "json", "--no-progress")
    findings = json.loads(ran.stdout)
    assert {Path(f["file"]).name for f in findings if f["rule"] == "T6.rollup"} == {"城关镇.xlsx"}


def test_exit_status_0_when_every_workbook_is_clean(intake, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(intake / "财政局.xlsx", clean / "a.xlsx")
    shutil.copy(intake / "财政局.xlsx", clean / "b.xlsx")
    assert run_cli("check", clean, "--no-progress").returncode == 0
    shutil.copy(intake / "政府办.xlsx", clean / "c.xlsx")
    assert run_cli("check", clean, "--no-progress").returncode == 1


def test_a_native_parser_crash_is_that_files_status(intake, _example_files, monkeypatch, tmp_path):
    """A real native crash, not a simulated one: a stray number in XFD1048576 (hostile.native_crash) makes python-calamine
    allocate 512 GB, and under the worker's address-space limit Rust aborts the process (SIGABRT).
    budgetbook refuses such a sheet before calamine sees it; the limits are raised here (as a
    province may for unusual intakes) so that the file does reach the parser and kills its worker.
    The batch must report the crash for that file and check every other file."""
    native_crash(_example_files[1], intake / "乡镇" / "崩溃.xlsx")
    monkeypatch.setenv("BUDGETBOOK_LIMITS", "rows=2000000,cols=20000,cells=100000000000000")
    summary = tmp_path / "汇总.xlsx"
    ran = run_cli("check", intake, "--jobs", "2", "--summary", summary, "--no-progress", "--memory-limit", "2048")
    assert ran.returncode == 2
    statuses = {r[0]: r[3] for r in openpyxl.load_workbook(summary)["汇总"].iter_rows(min_row=4, values_only=True)}
    assert statuses == {"财政局.xlsx": "通过", "政府办.xlsx": "有错误", "乡镇/城关镇.xlsx": "有错误",
                        "乡镇/坏文件.xlsx": "无法读取", "乡镇/崩溃.xlsx": "崩溃"}
    # one Chinese sentence for the crash; the worker's own abort text is captured into the JSON
    assert "工作进程异常退出（程序异常中止" in ran.stderr and "SIGABRT" not in ran.stderr
    assert "memory allocation" not in ran.stderr + ran.stdout
    crashed = next(f for f in json.loads(summary.with_suffix(".json").read_text("utf-8"))["files"]
                   if f["status"] == "崩溃")
    assert "exit code -6" in crashed["detail"] and "memory allocation" in crashed["detail"]


def test_pool_isolates_crash_hang_and_memory_blow_up():
    """The pool on its own: a task that aborts, one that never ends (a real sleep past the
    timeout) and one that asks for more memory than the worker may have, among good ones."""
    import os

    with IsolatedPool(2, timeout=3, memory_mb=512) as pool:
        good = [pool.submit(pow, 2, n) for n in range(6)]
        crash = pool.submit(os.abort)
        hang = pool.submit(time.sleep, 600)
        memory = pool.submit(bytearray, 4 << 30)
        after = [pool.submit(pow, 3, n) for n in range(4)]
        assert [f.result(60) for f in good] == [2 ** n for n in range(6)]
        with pytest.raises(WorkerCrashed, match="程序异常中止") as crashed:
            crash.result(60)
        assert crashed.value.exitcode == -6
        with pytest.raises(TaskTimeout):
            hang.result(60)
        with pytest.raises(MemoryError):
            memory.result(60)
        assert [f.result(60) for f in after] == [3 ** n for n in range(4)]


def test_a_hanging_file_times_out_and_the_rest_finish(intake, tmp_path):
    """A hang through the runner: the job is a real sleep for one file (no parser is known to hang
    on a file that passes workbook.safety)."""
    from concurrent.futures import ThreadPoolExecutor

    from workbook.batch import runner
    from workbook.batch.job import TIMEOUT

    tasks = [Task(str(p), p.name) for p in sorted(intake.glob("*.xlsx")) if not p.name.startswith("~$")]
    with ThreadPoolExecutor(2) as executor:  # an executor without timeouts of its own
        results = list(runner.run(tasks, executor, timeout=1, window=2, job=_slow_for_one))
    status = {r.name: r.status for r in results}
    assert status == {"财政局.xlsx": TIMEOUT, "政府办.xlsx": "有错误"}
    assert "超过 1 秒" in next(r.reason for r in results if r.status == TIMEOUT)


def _slow_for_one(task: Task):
    from workbook.batch.job import check_one

    if task.name == "财政局.xlsx":
        time.sleep(5)
    return check_one(task)


def test_single_file_keeps_its_output(filled_xlsx):
    ran = run_cli("check", filled_xlsx)
    assert ran.stdout.startswith(f"{filled_xlsx}：错误 1 处") and ran.stderr == ""
    assert "共检查" not in ran.stdout


@pytest.mark.slow
def test_dask_cluster_gives_the_same_summary(intake, tmp_path):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.xlsx"
    assert run_cli("check", intake, "--summary", local, "--no-progress", "--jobs", "2").returncode == 2
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        remote = tmp_path / "dask.xlsx"
        ran = run_cli("check", intake, "--summary", remote, "--no-progress", "--scheduler",
                      cluster.scheduler_address)
    assert ran.returncode == 2, ran.stderr
    assert "Dask 集群" in ran.stdout

    def table(path):
        data = json.loads(path.with_suffix(".json").read_text("utf-8"))
        for entry in data["files"]:
            entry.pop("path")
        return data

    assert table(remote) == table(local)
    rows = lambda p: [r for r in openpyxl.load_workbook(p)["汇总"].iter_rows(values_only=True)]  # noqa: E731
    assert rows(remote) == rows(local)


@pytest.mark.slow  # Dask keeps trying to connect until its timeout
def test_unreachable_scheduler_is_one_sentence(intake):
    pytest.importorskip("distributed")
    ran = run_cli("check", intake, "--scheduler", "tcp://127.0.0.1:9", "--no-progress")
    assert ran.returncode == 2 and "无法连接 Dask 调度器" in ran.stderr


def test_check_start_up_imports_neither_pandas_nor_openpyxl(filled_xlsx):
    import subprocess
    import sys

    code = ("import sys\nfrom workbook import cli\ncode = cli.main(['check', sys.argv[1]])\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", code, str(filled_xlsx)], capture_output=True, text=True)
    assert ran.stdout.strip().splitlines()[-1] == "[]", ran.stdout[-300:] + ran.stderr
