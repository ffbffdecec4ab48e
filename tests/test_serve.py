"""`budgetbook serve` through an HTTP client: who may call it, what each endpoint answers, and
that the action list WPS receives leaves the workbook as the file path does.

Requests go to the ASGI app in-process (starlette's TestClient) with the Host and Origin a browser
on this computer sends; the WPS side is tests/wpsbook.py's Held (the snapshot the add-in sends, the
looks it reads when asked, the actions carried out as WPS would).
"""
from __future__ import annotations

import io
import json
import os
import socket
import stat
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from departments import scaled
from workbook import cli, jobs, money
from workbook.grid import save_atomic
from workbook.serve import app as service
from workbook.serve import security
from workbook.serve.files import Store
from wpsbook import Held, dump, press

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "k" * 43
TABLES = ("表一", "表二", "表三", "表四", "表五", "表六", "表七", "表八", "表九", "表十", "表十一", "表十二")


@pytest.fixture
def client(tmp_path):
    app = service.create_app(port=PORT, token=TOKEN, store=Store(tmp_path / "store", workers=1))
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as c:
        yield c


def post(client):
    def send(path, body):
        return client.post(path, json=body, headers={"Origin": ORIGIN}).json()
    return send


@pytest.fixture(scope="module")
def departments(tmp_path_factory):
    """The example (1×) and ten times its rows (10×): typed cells only, and filled."""
    folder = tmp_path_factory.mktemp("serve")
    files = {}
    for n in (1, 10):
        raw, filled = folder / f"dept{n}.xlsx", folder / f"filled{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), raw)
        jobs.fill_file(raw, filled)
        files[n] = raw, filled
    return files


# --- who may call -------------------------------------------------------------------------------

def test_an_api_call_without_the_token_or_with_another_is_refused(client):
    assert client.get("/api/health").json()["status"] == 0
    for headers in ({"X-Budgetbook-Token": ""}, {"X-Budgetbook-Token": "k" * 42 + "x"}):
        reply = client.get("/api/health", headers=headers)
        assert reply.status_code == 403 and "口令" in reply.json()["message"]
    bare = TestClient(client.app, base_url=ORIGIN)
    assert bare.post("/api/button/fill", json={}).status_code == 403


def test_another_web_page_cannot_drive_the_service(client):
    for origin in ("http://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8765"):
        reply = client.post("/api/button/fill", json={}, headers={"Origin": origin})
        assert reply.status_code == 403 and "其他网页" in reply.json()["message"]
    assert client.get("/api/health", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get("/api/health", headers={"Origin": f"http://localhost:{PORT}"}).status_code == 200
    # a local page ("null": file://, also a sandboxed frame of any site) reaches the buttons only,
    # and only with the token: what the installed WPS add-in has, and no web page
    bare = TestClient(client.app, base_url=ORIGIN)
    for path in ("/api/health", "/api/files/x/marked"):
        assert client.get(path, headers={"Origin": "null"}).status_code == 403
    reply = bare.post("/api/button/fill", json={}, headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert reply.status_code == 403 and "口令" in reply.json()["message"]
    assert reply.headers["access-control-allow-origin"] == "null"  # the add-in can read the sentence


def test_the_installed_wps_add_in_calls_the_buttons_from_its_own_folder(client):
    """WPS loads the installed add-in from a local file: a cross-origin call, preflighted."""
    asked = client.options("/api/button/fill", headers={
        "Origin": "null", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-budgetbook-token"})
    assert asked.status_code == 204
    assert asked.headers["access-control-allow-origin"] == "null"
    assert "x-budgetbook-token" in asked.headers["access-control-allow-headers"]
    reply = client.post("/api/button/fill", json={"not": "a snapshot"},
                        headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"})
    assert reply.headers["access-control-allow-origin"] == "null"
    assert reply.status_code == 422 and reply.json()["status"] == 2  # the button ran and said why not
    assert client.options("/api/button/fill", headers={"Origin": "http://evil.example"}).status_code == 403


def test_a_rebound_host_name_gets_neither_the_pages_nor_the_api(client):
    # DNS rebinding: evil.example resolving to 127.0.0.1 sends its own name as Host
    for path in ("/", "/wps/", "/api/health"):
        reply = client.get(path, headers={"Host": "evil.example:8765"})
        assert reply.status_code == 403 and TOKEN not in reply.text
    assert client.get("/", headers={"Host": f"localhost:{PORT}"}).status_code == 200


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(client, tmp_path):
    reply = client.post("/api/button/check", content=b"x" * (service.MAX_BODY + 1),
                        headers={"Content-Type": "application/json"})
    assert reply.status_code == 413 and "MB" in reply.json()["message"]
    small = service.create_app(port=PORT, token=TOKEN, store=Store(tmp_path / "s"), max_body=1000)
    with TestClient(small, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as c:
        chunked = c.post("/api/button/check", content=(b"x" * 400 for _ in range(5)))  # no Content-Length
        assert chunked.status_code == 413
    upload = client.post("/api/files", files={"files": ("big.xlsx", b"0" * (service.MAX_UPLOAD + 1))})
    assert upload.status_code == 413


def test_the_token_is_made_once_and_readable_by_this_user_only(tmp_path):
    first = security.token(tmp_path / "cfg")
    path = tmp_path / "cfg" / security.TOKEN_FILE
    assert len(first) >= 40 and security.token(tmp_path / "cfg") == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    assert security.token(tmp_path / "cfg") == first and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert security.token(tmp_path / "other") != first


def test_the_service_listens_on_loopback_and_says_when_the_port_is_taken(capsys):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        assert cli.main(["serve", "--no-browser", "--port", str(taken.getsockname()[1])]) == 2
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert "已被占用" in err and "--port" in err and "Traceback" not in err


# --- the pages ----------------------------------------------------------------------------------

def test_the_pages_carry_the_token_and_load_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200 and TOKEN in page.text and "__BUDGETBOOK_TOKEN__" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.replace(ORIGIN, "")  # no CDN
    addin = client.get("/wps/")
    assert TOKEN in addin.text and "client.js" in addin.text
    from addin.wps.ribbon import FILE

    assert client.get("/wps/ribbon.xml").text == FILE.read_text(encoding="utf-8")
    assert client.get("/wps/images/fill.svg").headers["content-type"].startswith("image/svg")
    for path in ("/wps/test/fake_wps.js", "/wps/ribbon.py", "/wps/../serve/app.py", "/static/..%2fserve%2fapp.py"):
        assert client.get(path).status_code == 404, path


# --- the ribbon buttons on a snapshot -----------------------------------------------------------

def _same(a, b) -> bool:
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return money.to_amount(a)[0] == money.to_amount(b)[0]
    return a == b


def _file(path):
    return Held(dump(path))


@pytest.mark.parametrize("n", [1, 10])
def test_fill_through_the_actions_gives_the_values_of_fill_on_the_file(client, departments, tmp_path, n):
    raw, _ = departments[n]
    expected = jobs.fill_file(raw, tmp_path / "filled.xlsx")
    held = Held(dump(raw))
    reply, read = press(post(client), "fill", held)
    assert reply["status"] == 0 and reply["message"] == expected.summary() and read == 0
    file = _file(tmp_path / "filled.xlsx")
    for sheet in TABLES:
        mine, theirs = held.values(sheet), file.values(sheet)
        assert mine.keys() == theirs.keys(), sheet
        assert all(_same(mine[k], theirs[k]) for k in theirs), sheet
    # a block may pass over typed cells only with the value they hold
    assert all(action["do"] != "setValues" or action["sheet"] in TABLES for action in reply["actions"])


@pytest.mark.parametrize("n", [1, 10])
def test_check_and_mark_colours_and_notes_the_cells_the_file_gets(client, departments, tmp_path, n):
    _, filled = departments[n]
    marked = jobs.check_and_mark_file(filled, tmp_path / "marked.xlsx")
    held = Held(dump(filled))
    reply, read = press(post(client), "check", held)
    assert reply["status"] == 1 and reply["message"] == marked.summary() and "1 个错误" in reply["message"]
    assert read > 0  # the fills of the marked cells were asked for, not read for every cell
    file = _file(tmp_path / "marked.xlsx")
    assert held.coloured(TABLES) == file.coloured(TABLES) and held.coloured(TABLES)
    assert held.noted(TABLES) == file.noted(TABLES)
    assert held.order[-2:] == ["校验结果", "_budgetbook_marks"] and held.sheets["_budgetbook_marks"]["visible"] == 2
    results = held.values("校验结果")
    assert (results[(5, 3)], results[(5, 4)]) == ("P.projects-total", marked.report.errors[0].title)
    assert {f["rule"] for f in reply["findings"]} == {f.rule for f in marked.report.findings}
    assert all(f["title"] for f in reply["findings"])


def test_clear_after_check_gives_the_workbook_back_as_it_was(client, departments):
    _, filled = departments[1]
    held = Held(dump(filled))
    before = Held(dump(filled))
    press(post(client), "check", held)
    reply, read = press(post(client), "clear", held)
    assert reply["status"] == 0 and "已清除" in reply["message"] and read > 0
    assert held.order == before.order
    for sheet in held.order:
        assert held.values(sheet) == before.values(sheet), sheet
        mine = {k: (c.get("fill"), c.get("note")) for k, c in held.cells[sheet].items()
                if c.get("fill") or c.get("note") is not None}
        theirs = {k: (c.get("fill"), c.get("note")) for k, c in before.cells[sheet].items()
                  if c.get("fill") or c.get("note") is not None}
        assert mine == theirs, sheet


def test_the_work_asked_of_wps_does_not_grow_with_rows(client, departments):
    counts = {}
    for n, (raw, filled) in departments.items():
        fill, _ = press(post(client), "fill", Held(dump(raw)))
        held = Held(dump(filled))
        check, looked = press(post(client), "check", held)
        clear, relooked = press(post(client), "clear", held)
        calls = [sum(len(a.get("ranges", [a.get("range")])) for a in reply["actions"]) for reply in (fill, check, clear)]
        counts[n] = (len(fill["actions"]), len(check["actions"]), len(clear["actions"]), looked, relooked, calls)
    assert counts[1] == counts[10], counts


def test_a_cell_inside_a_merged_range_is_looked_at_by_its_top_left_cell():
    # a finding's place inside a merged range is marked on the range's top-left cell, whose fill
    # the service then asks for in a second round
    from workbook.serve.snapshot import Snapshot

    data = {"version": 1, "book": {"name": "a.xlsx"}, "sheets": [{"name": "表十二", "values": [[1]]}]}
    first = Snapshot(data)
    assert first.anchor("表十二", 31, 5) == (31, 5) and first.fill("表十二", "E31") == "none"
    assert first.needed == {"表十二": ["E31"]}
    data["looks"] = {"表十二": {"E31": {"fill": "none", "merge": "$D$31:$F$32"}}}
    second = Snapshot(data)
    assert second.anchor("表十二", 31, 5) == (31, 4) and second.fill("表十二", "D31") == "none"
    assert second.needed == {"表十二": ["D31"]}
    data["looks"]["表十二"]["D31"] = {"fill": "ffc7ce", "merge": "D31:F32"}
    third = Snapshot(data)
    assert third.anchor("表十二", 32, 6) == (32, 6) and third.fill("表十二", "D31") == "FFC7CE"
    assert third.needed == {"表十二": ["F32"]}  # not answered yet: asked, and read as not merged meanwhile


def test_what_is_not_a_snapshot_or_not_a_budget_workbook_gets_one_sentence(client):
    reply = client.post("/api/button/check", content=b"{not json", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400 and reply.json()["status"] == 2
    reply = client.post("/api/button/check", json={"sheets": "x"})
    assert reply.status_code == 422 and "快照" in reply.json()["message"]
    other = {"version": 1, "book": {"name": "工资表.xlsx"}, "sheets": [{"name": "Sheet1", "values": [["工资表"]]}]}
    reply = client.post("/api/button/check", json=other)
    body = reply.json()
    assert reply.status_code == 422 and body["status"] == 2 and "没有找到部门预算公开表" in body["message"]
    assert "工资表.xlsx" in body["message"] and "\n" not in body["message"]
    assert client.post("/api/button/nosuch", json=other).status_code == 404


def test_export_and_narrative_ask_for_a_saved_workbook_and_export_refuses_errors(client, filled_xlsx):
    held = Held(dump(filled_xlsx))
    snapshot = held.snapshot()
    unsaved = dict(snapshot, book={"name": "工作簿1", "path": "工作簿1", "saved": True})
    for key in ("export", "email", "narrative"):
        reply = client.post(f"/api/button/{key}", json=unsaved).json()
        assert reply["status"] == 2 and "请先保存" in reply["message"]
    changed = dict(snapshot, book=dict(snapshot["book"], saved=False))
    assert "未保存的修改" in client.post("/api/button/export", json=changed).json()["message"]
    refused = client.post("/api/button/export", json=snapshot).json()
    assert refused["status"] == 1 and "仍有 1 处错误" in refused["message"]
    assert not (filled_xlsx.parent / "公开文件" / "临夏市人民政府办公室2024年部门预算公开表.xlsx").exists()


def test_new_template_is_written_beside_the_workbook_and_opened(client, filled_xlsx):
    reply = client.post("/api/button/new", json=Held(dump(filled_xlsx)).snapshot()).json()
    made = filled_xlsx.parent / "临夏市人民政府办公室2025年部门预算公开表.xlsx"
    assert reply["status"] == 0 and reply["open"] == str(made) and made.is_file()
    assert "2025 年空白模板" in reply["message"]


# --- the drag-and-drop page's file endpoint -----------------------------------------------------

def test_an_uploaded_workbook_gets_its_findings_by_sheet_and_its_files(client, filled_xlsx, tmp_path):
    reply = client.post("/api/files", files=[("files", ("部门预算.xlsx", filled_xlsx.read_bytes()))])
    assert reply.status_code == 200
    body = reply.json()
    [result] = body["files"]
    assert body["status"] == result["status"] == 1 and result["counts"]["error"] == 1
    groups = {g["sheet"]: g for g in result["groups"]}
    [rule] = [r for r in groups["表三"]["rules"] if r["rule"] == "P.projects-total"]
    assert rule["title"].startswith("各项目年度资金总额") and rule["counts"] == {"error": 1}
    [projects] = rule["findings"]
    assert projects["title"] == rule["title"] and projects["severity_label"] == "错误"
    assert set(result["downloads"]) == {"marked", "filled"} and "仍有 1 处错误" in result["export_note"]
    marked = client.get(result["downloads"]["marked"]["url"])
    assert marked.status_code == 200 and "attachment" in marked.headers["content-disposition"]
    (tmp_path / "marked.xlsx").write_bytes(marked.content)
    book = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    assert "校验结果" in book.sheetnames
    assert client.get(result["downloads"]["marked"]["url"], headers={"X-Budgetbook-Token": ""}).status_code == 403
    forced = client.post(f"/api/files/{result['id']}/export", json={"force": True}).json()
    export = forced["files"][0]["downloads"]["export"]
    assert export["name"] == "临夏市人民政府办公室2024年部门预算公开表.xlsx" and "强制导出" in forced["message"]
    assert client.get(export["url"]).content[:2] == b"PK"
    assert client.get("/api/files/nosuchidnosuchid/marked").status_code == 404


def test_a_hostile_upload_gets_the_command_lines_sentence_naming_the_file(client, tmp_path):
    cases = {"不是工作簿.xlsx": b"hello, not a workbook", "旧格式.xls": b"\xd0\xcf\x11\xe0" + b"\0" * 600}
    for name, data in cases.items():
        reply = client.post("/api/files", files=[("files", (name, data))])
        body = reply.json()
        assert reply.status_code == 422 and body["status"] == 2, name
        message = body["files"][0]["message"]
        assert name in message and ("不是 .xlsx 格式" in message or "只读写 .xlsx 和 .xlsm" in message) and str(tmp_path) not in message
        assert "store" not in message and "Traceback" not in message
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (301 << 20))
    reply = client.post("/api/files", files=[("files", ("炸弹.xlsx", bomb.getvalue()))])
    assert reply.status_code == 422 and "解压后超过" in reply.json()["files"][0]["message"]
    names = ["../../etc/passwd.xlsx", "..\\x.xlsx"]
    reply = client.post("/api/files", files=[("files", (n, b"x")) for n in names])
    assert all("/" not in f["name"] and "\\" not in f["name"] for f in reply.json()["files"])


def test_one_bad_workbook_does_not_hide_the_others(client, filled_xlsx):
    reply = client.post("/api/files", files=[("files", ("好.xlsx", filled_xlsx.read_bytes())),
                                             ("files", ("坏.xlsx", b"nope"))])
    body = reply.json()
    assert reply.status_code == 200 and body["status"] == 2
    assert [f["status"] for f in body["files"]] == [1, 2]


def test_the_uploads_are_deleted_when_the_service_stops(tmp_path, filled_xlsx):
    store = Store(tmp_path / "store")
    app = service.create_app(port=PORT, token=TOKEN, store=store)
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as c:
        c.post("/api/files", files=[("files", ("a.xlsx", filled_xlsx.read_bytes()))])
        assert any(store.root.iterdir())
    assert not store.root.exists()


def test_old_uploads_are_deleted(tmp_path, filled_xlsx):
    import time

    store = Store(tmp_path / "store")
    upload = store.add("a.xlsx", filled_xlsx.read_bytes())
    store.expire(now=time.time() + 2 * 3600)
    assert store.get(upload.id) is None and not upload.folder.exists()


def test_the_findings_json_keeps_the_schema_fields(client, filled_xlsx):
    body = client.post("/api/files", files=[("files", ("a.xlsx", filled_xlsx.read_bytes()))]).json()
    schema = json.loads((__import__("pathlib").Path(__file__).parents[1] / "docs" / "findings.schema.json").read_text())
    import jsonschema

    findings = [{k: v for k, v in f.items() if k != "severity_label"} | {"file": "a.xlsx"}
                for g in body["files"][0]["groups"] for r in g["rules"] for f in r["findings"]]
    jsonschema.validate(findings, schema)


def test_narrative_is_written_from_the_snapshot_beside_the_saved_workbook(client, filled_xlsx):
    reply = client.post("/api/button/narrative", json=Held(dump(filled_xlsx)).snapshot()).json()
    made = filled_xlsx.parent / "公开文件" / "临夏市人民政府办公室2024年部门预算公开情况说明.docx"
    assert reply["status"] == 1, reply  # the example leaves one place to fill in or verify
    assert str(made) in reply["message"] and "1 处" in reply["message"] and made.is_file()


def test_a_published_pdf_dropped_on_the_page_is_checked(client):
    pdf = Path(__file__).parent / "fixtures" / "disclosures" / "万里街道2024年部门预算.pdf"
    reply = client.post("/api/files", files=[("files", ("万里街道2024.pdf", pdf.read_bytes()))])
    assert reply.status_code == 200
    [result] = reply.json()["files"]
    assert result["status"] == 1 and result["counts"]["error"] == 2 and result["downloads"] == {}
    found = [f for g in result["groups"] for r in g["rules"] for f in r["findings"]]
    assert any(f["cell"] == "第24页 3012 津贴补贴" for f in found) and "只检查" in result["export_note"]
