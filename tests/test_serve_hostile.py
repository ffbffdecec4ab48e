"""Hostile uploads to `budgetbook serve` (the corpus of tests/hostile.py): each gets its one
sentence, the service answers the next request, and nothing of a refused upload stays in the
temporary folder. A file that kills the worker handling it (the limits raised, so that it reaches
the parser) is that upload's sentence; the next upload is checked as usual."""
from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from hostile import CASES, native_crash
from workbook.serve import app as service
from workbook.serve.files import Store

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "k" * 43
# the cases about a file's content (not about paths, FIFOs or the output): what `check` says of it
UPLOADED = [c for c in CASES if c.make.__name__ not in ("_missing", "_long_name", "_not_a_folder", "_loop",
                                                         "_dangling", "_device", "_socket", "_fifo", "_batch_mixed")]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("serve") / "store", workers=1)
    app = service.create_app(port=PORT, token=TOKEN, store=store)
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as client:
        yield client, store


def _upload(client, path: Path):
    reply = client.post("/api/files", files=[("files", (path.name, path.read_bytes()))])
    return reply, reply.json()["files"][0]


def _leftovers(store: Store, kept: set[str]) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.relative_to(store.root).parts[0] not in kept]


@pytest.mark.parametrize("case", UPLOADED, ids=[c.id for c in UPLOADED])
def test_a_hostile_upload_gets_its_sentence_and_the_service_goes_on(case, served, tmp_path, _example_files):
    client, store = served
    folder = tmp_path / "in"
    folder.mkdir()
    args = case.make(folder, _example_files[1])
    source = Path(args[1])
    if not source.is_file() or args[0] != "check":
        pytest.skip("a case about writing (fill, clear): the service's upload is checked, not written to")
    kept = set(store.uploads)
    reply, result = _upload(client, source)
    assert result["status"] == case.exit, result["message"]
    said = result["message"]
    if case.exit == 2:
        # a file that claims to unpack past 300 MB the service refuses before the command line's limits
        assert case.phrase in said or "解压后超过 300 MB" in said, said
        assert reply.status_code == 422 and said.endswith("。"), said
        assert source.name in said and str(store.root) not in said and "Traceback" not in said
        assert not _leftovers(store, kept)  # nothing of a refused upload is kept
    assert client.get("/api/health").json()["status"] == 0


def test_a_file_that_kills_its_worker_is_that_uploads_sentence(tmp_path, filled_xlsx, monkeypatch):
    """calamine, given a stray value in XFD1048576, asks for 512 GB and aborts under the worker's
    memory limit: once the whole service went down with it."""
    monkeypatch.setenv("BUDGETBOOK_LIMITS", "rows=2000000,cols=20000,cells=100000000000000")
    crash = native_crash(filled_xlsx, tmp_path / "崩溃.xlsx")
    store = Store(tmp_path / "store", workers=1, memory_mb=1024)
    app = service.create_app(port=PORT, token=TOKEN, store=store)
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as client:
        reply, result = _upload(client, crash)
        assert reply.status_code == 422 and result["status"] == 2
        assert result["message"].startswith("崩溃.xlsx 无法处理：处理它的工作进程程序异常中止"), result["message"]
        assert "memory allocation" not in result["message"] and "memory allocation" in result["detail"]
        assert not any(store.root.iterdir())  # its folder (and any half-written copy) removed
        reply, good = _upload(client, filled_xlsx)
        assert reply.status_code == 200 and good["status"] == 1 and good["counts"]["error"] == 1
        assert set(good["downloads"]) == {"marked", "filled", "export"} or "export" not in good["downloads"]
    assert not store.root.exists()
