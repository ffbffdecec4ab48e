"""Progress and cancel: the pool passes a task's steps to the caller while it runs and kills the
worker of a cancelled task; the service's /api/jobs answers at once and tells each file's step."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import pooltasks
from pagedriver import wait
from workbook.batch.pool import IsolatedPool, TaskCancelled
from workbook.serve import app as service
from workbook.serve.files import Store

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "k" * 43


def _gone(pid: int, timeout: float = 10) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_the_steps_of_a_task_arrive_before_its_result():
    seen = []
    with IsolatedPool(1) as pool:
        future = pool.submit_watched(pooltasks.steps_then, (42,), lambda step: seen.append((step, future.done())))
        assert future.result(60) == 42
    assert seen == [("read", False), ("check", False), ("mark", False)]


def test_cancel_kills_the_running_worker_and_the_pool_goes_on(tmp_path):
    pid_file = tmp_path / "pid"
    with IsolatedPool(1) as pool:
        running = pool.submit(pooltasks.sleep_forever, str(pid_file))
        queued = pool.submit(pow, 2, 10)
        pid = int(wait(lambda: pid_file.is_file() and pid_file.read_text(), 60))
        assert pool.cancel(running)
        with pytest.raises(TaskCancelled):
            running.result(20)
        assert _gone(pid)
        assert queued.result(60) == 1024  # a fresh worker took the next task
        assert not pool.cancel(queued)  # finished: nothing to stop


@pytest.fixture
def client(tmp_path):
    store = Store(tmp_path / "store", workers=1)
    app = service.create_app(port=PORT, token=TOKEN, store=store)
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as c:
        c.store = store
        yield c


def _drop(client, *paths):
    files = [("files", (Path(p).name, Path(p).read_bytes())) for p in paths]
    return client.post("/api/jobs", files=files, headers={"Origin": ORIGIN})


def test_a_drop_is_answered_at_once_and_each_file_tells_its_step(client, filled_xlsx):
    reply = _drop(client, filled_xlsx, filled_xlsx)
    assert reply.status_code == 202
    job = reply.json()["job"]
    assert not job["done"] and [f["step"] for f in job["files"]] != ["done", "done"]
    steps: set[str] = set()

    def done():
        state = client.get(f"/api/jobs/{job['id']}").json()
        steps.update(f["step"] for f in state["files"])
        return state["done"] and state

    state = wait(done, 120)
    assert state and [f["step"] for f in state["files"]] == ["done", "done"]
    assert steps & {"read", "check", "mark", "fill", "export"}  # seen while it worked
    result = client.get(f"/api/jobs/{job['id']}/files/0").json()
    assert result["status"] == 1 and result["counts"]["error"] == 1 and "marked" in result["downloads"]
    assert client.get(f"/api/jobs/{job['id']}/files/2").status_code == 404


def test_cancel_stops_the_worker_and_keeps_nothing(client, filled_xlsx):
    store = client.store
    job = store.start([(Path(filled_xlsx).name, Path(filled_xlsx).read_bytes())], work=pooltasks.slow_upload)
    folder = job.uploads[0].folder
    pid = int(wait(lambda: (folder / "pid").is_file() and (folder / "pid").read_text(), 60))
    assert client.get(f"/api/jobs/{job.id}").json()["files"][0]["step"] == "read"
    state = client.post(f"/api/jobs/{job.id}/cancel", headers={"Origin": ORIGIN}).json()
    state = wait(lambda: (s := client.get(f"/api/jobs/{job.id}").json())["done"] and s, 20)
    assert state["files"][0]["step"] == "cancelled" and "已取消" in state["files"][0]["message"]
    assert _gone(pid) and not folder.exists()


def _forced(tmp_path, filled_xlsx):
    app = service.create_app(port=PORT, token=TOKEN, store=Store(tmp_path / "store", isolated=False))
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as client:
        [result] = client.post("/api/files", files=[("files", ("a.xlsx", filled_xlsx.read_bytes()))]).json()["files"]
        forced = client.post(f"/api/files/{result['id']}/export", json={"force": True}).json()["files"][0]
        pdf = client.get(forced["downloads"]["pdf"]["url"]) if "pdf" in forced["downloads"] else None
    return forced, pdf


def test_without_libreoffice_the_page_says_there_is_no_pdf(tmp_path, filled_xlsx, monkeypatch):
    monkeypatch.setenv("BUDGETBOOK_SOFFICE", str(tmp_path / "no-such-soffice"))
    forced, pdf = _forced(tmp_path, filled_xlsx)
    assert "export" in forced["downloads"] and pdf is None
    assert "没有安装 LibreOffice，不能生成 PDF" in forced["export_note"]


@pytest.mark.slow
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed (.ci/run installs it)")
def test_with_libreoffice_the_page_offers_the_pdf(tmp_path, filled_xlsx):
    forced, pdf = _forced(tmp_path, filled_xlsx)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-" and forced["downloads"]["pdf"]["name"].endswith(".pdf")
    assert "LibreOffice" not in forced["export_note"]


def test_ledgers_dropped_together_are_built_into_one_checked_workbook(client, tmp_path):
    from tests import ledgers

    lines = ledgers.department("institutions", units=ledgers.units_of("institutions", count=2), projects=2, seed=3)
    half = len(lines) // 2
    first = ledgers.write(lines[:half], tmp_path / "明细一.xlsx")
    second = ledgers.write(lines[half:], tmp_path / "明细二.csv")
    lone = client.post("/api/jobs", data={"kind": "build"}, headers={"Origin": ORIGIN},
                       files=[("files", (first.name, first.read_bytes()))]).json()["job"]
    wait(lambda: client.get(f"/api/jobs/{lone['id']}").json()["done"], 120)
    said = client.get(f"/api/jobs/{lone['id']}/files/0").json()["message"]
    assert "请在“部门名称”框中填写" in said and "--dept" not in said
    reply = client.post("/api/jobs", data={"kind": "build", "dept": "某局"}, headers={"Origin": ORIGIN},
                        files=[("files", (p.name, p.read_bytes())) for p in (first, second)])
    job = reply.json()["job"]
    assert reply.status_code == 202 and job["steps"] == ["read", "build", "check"] and len(job["files"]) == 1
    state = wait(lambda: (s := client.get(f"/api/jobs/{job['id']}").json())["done"] and s, 120)
    result = client.get(f"/api/jobs/{job['id']}/files/0").json()
    assert state["files"][0]["step"] == "done" and result["status"] in (0, 1), result["message"]
    assert result["message"].startswith(f"已从 {len(lines)} 行明细生成") and "检查结果" in result["message"]
    built = client.get(result["downloads"]["built"]["url"])
    assert built.status_code == 200 and built.content[:2] == b"PK"
    rules = {r["rule"]: r for g in result["groups"] for r in g["rules"]}
    assert "F.placeholder" in rules  # 表十二's goals, left for the accountant
    assert "error" not in rules.get("ledger", {"counts": {}})["counts"]  # a clean ledger: what was dropped is said


def test_a_bad_ledger_gets_its_findings_by_file_row_and_column_and_nothing_built(client, tmp_path):
    from tests import ledgers

    lines = ledgers.department("institutions", units=ledgers.units_of("institutions", count=2), projects=2, seed=3)
    bad = ledgers.write([*lines[:3], lines[3] | {"yuan": "-5.00"}], tmp_path / "明细.xlsx")
    reply = client.post("/api/jobs", data={"kind": "build"}, headers={"Origin": ORIGIN},
                        files=[("files", (bad.name, bad.read_bytes()))])
    job = reply.json()["job"]
    wait(lambda: client.get(f"/api/jobs/{job['id']}").json()["done"], 120)
    result = client.get(f"/api/jobs/{job['id']}/files/0").json()
    assert result["status"] == 1 and "未生成工作簿" in result["message"] and "--force" not in result["message"]
    assert result["downloads"] == {}
    [group] = result["groups"]
    [finding] = [f for r in group["rules"] for f in r["findings"] if f["severity"] == "error"]
    assert group["sheet"] == "明细 明细.xlsx" and finding["cell"] == "第 6 行“金额（元）”列"
    assert "金额为负数" in finding["message"]
