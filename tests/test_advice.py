"""Advice fits where it is read: the command on the command line, the ribbon button in Excel and
WPS, what the page offers on the page, the button with the command in a marked workbook."""
from __future__ import annotations

import json

import openpyxl
import pytest
from starlette.testclient import TestClient

from workbook import advice, buttons, cli, jobs
from workbook.grid import save_atomic
from workbook.serve import app as service
from workbook.serve.files import Store
from wpsbook import Held, dump, press

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"
TOKEN = "k" * 43


def test_the_advice_names_the_ribbons_own_buttons():
    labels = {b.label for b in buttons.BUTTONS}
    assert all(a.button in labels for a in advice.ADVICE.values())
    assert advice.TAB == buttons.TAB_LABEL


@pytest.mark.parametrize("where", advice.WHERE)
def test_each_place_gets_a_clause_of_its_own(where):
    said = advice.say("fill", where)
    assert said.startswith("可") and not said.endswith(("。", "；"))
    assert ("budgetbook fill" in said) == (where in (advice.CLI, advice.WORKBOOK))
    assert ("“填充合计”" in said) == (where not in (advice.CLI, advice.PAGE))


@pytest.fixture
def blank_total(filled_xlsx, filled_book, tmp_path):
    """The filled example with 表九's total blanked: a finding that advises fill."""
    path = tmp_path / "留空合计.xlsx"
    t9 = filled_book.tables["T9"]
    book = openpyxl.load_workbook(filled_xlsx)
    book[t9.sheet][t9.row("total").addr("total")] = None
    save_atomic(book, path)
    return path


def _fill_advice(texts):
    return [t for t in texts if t and "填充合计" in t or t and "budgetbook fill" in t or t and "已填合计版" in t]


def test_the_command_line_says_the_command(blank_total, capsys):
    assert cli.main(["check", str(blank_total)]) == 1
    out = capsys.readouterr().out
    assert "可运行 budgetbook fill 自动填写" in out and "填充合计" not in out


def test_the_page_offers_its_own_download(blank_total, tmp_path):
    app = service.create_app(port=PORT, token=TOKEN, store=Store(tmp_path / "store", isolated=False))
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as client:
        body = client.post("/api/files", files=[("files", (blank_total.name, blank_total.read_bytes()))]).json()
    messages = [f["message"] for g in body["files"][0]["groups"] for r in g["rules"] for f in r["findings"]]
    said = _fill_advice(messages)
    assert said and all("点“下载已填合计版”" in m and "budgetbook" not in m for m in said)


def test_a_marked_file_names_the_button_and_the_command(blank_total, tmp_path):
    jobs.check_and_mark_file(blank_total, tmp_path / "marked.xlsx")
    book = openpyxl.load_workbook(tmp_path / "marked.xlsx")
    notes = [c.comment.text for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
    said = _fill_advice(notes)
    assert said and all("“预算公开”选项卡的“填充合计”自动填写（命令行：budgetbook fill）" in n for n in said)
    hint = book["校验结果"]["A3"].value
    assert "可点“预算公开”选项卡的“清除标记”一次去除（命令行：budgetbook clear）" in hint


def test_wps_names_its_buttons_only(blank_total, tmp_path):
    app = service.create_app(port=PORT, token=TOKEN, store=Store(tmp_path / "store", isolated=False))
    held = Held(dump(blank_total))
    with TestClient(app, base_url=ORIGIN, headers={"X-Budgetbook-Token": TOKEN}) as client:
        reply, _ = press(lambda path, body: client.post(path, json=body, headers={"Origin": ORIGIN}).json(),
                         "check", held)
    notes = [c.get("note") for cells in held.cells.values() for c in cells.values()]
    texts = notes + [f["message"] for f in reply["findings"]] + [v for v in held.values("校验结果").values()
                                                                 if isinstance(v, str)]
    said = _fill_advice(texts)
    assert said and not [t for t in texts if t and "budgetbook clear" in t or t and "budgetbook fill" in t]
    assert any("可点“清除标记”一次去除" in t for t in texts if t)
    assert json.dumps(reply, ensure_ascii=False).count("可点“填充合计”自动填写") >= 1
