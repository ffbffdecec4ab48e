"""The WPS add-in: its ribbon from the one button list, its jsaddons entry, and client.js driving
a recording fake of WPS's object model over loopback against the real `budgetbook serve`
(node --test addin/wps/test/), compared with what the command line writes to files."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.wps import install, ribbon
from departments import scaled
from workbook.buttons import BUTTONS, GROUPS, TAB_LABEL
from serving import running
from workbook import cli, jobs, money
from workbook.grid import save_atomic
from wpsbook import dump

ROOT = Path(__file__).parents[1]
TABLES = ("表一", "表二", "表三", "表四", "表五", "表六", "表七", "表八", "表九", "表十", "表十一", "表十二")
NS = {"c": ribbon.NAMESPACE}


def test_ribbon_xml_is_generated_from_the_button_list():
    assert ribbon.FILE.read_text(encoding="utf-8") == ribbon.ribbon_xml(), \
        "regenerate: python -m addin.wps.ribbon > addin/wps/ribbon.xml"
    root = ET.fromstring(ribbon.FILE.read_bytes())
    [tab] = root.findall(".//c:tab", NS)
    assert tab.get("label") == TAB_LABEL and root.get("onLoad") == "OnAddinLoad"
    groups = [(g.get("label"), [b.get("label") for b in g.findall("c:button", NS)]) for g in tab.findall("c:group", NS)]
    assert groups == [(g.label, [b.label for b in g.buttons]) for g in GROUPS]
    buttons = root.findall(".//c:button", NS)
    assert [b.get("id") for b in buttons] == [f"button_{b.key}" for b in BUTTONS]
    assert {b.get("onAction") for b in buttons} == {"OnAction"} and {b.get("getImage") for b in buttons} == {"GetImage"}
    for b in BUTTONS:
        assert (ROOT / "addin" / "wps" / "images" / f"{b.key}.svg").is_file()
    main = (ROOT / "addin" / "wps" / "main.js").read_text(encoding="utf-8")
    assert all(f"function {name}(" in main for name in ("OnAddinLoad", "OnAction", "GetImage"))


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    return tmp_path


def _entries(path: Path) -> list[dict]:
    return [dict(e.attrib) for e in ET.parse(path).getroot()]


@pytest.mark.parametrize("platform,folder", [
    ("win32", ("AppData", "Roaming", "kingsoft", "wps", "jsaddons")),
    ("linux", (".local", "share", "Kingsoft", "wps", "jsaddons")),
])
def test_install_wps_registers_the_add_in_in_the_jsaddons_folder(home, monkeypatch, capsys, platform, folder):
    monkeypatch.setattr(sys, "platform", platform)
    assert cli.main(["addin", "install", "--wps"]) == 0
    target = home.joinpath(*folder)
    publish = _entries(target / "publish.xml")
    assert publish == [{"name": "budgetbook", "type": "et", "url": "http://127.0.0.1:8765/wps/",
                        "enable": "enable_dev", "install": "null"}]
    assert _entries(target / "jsplugins.xml") == [{"name": "budgetbook", "type": "et", "url": "http://127.0.0.1:8765/wps/"}]
    out = capsys.readouterr().out
    assert str(target) in out and "budgetbook serve" in out and "预算公开" in out and "ribbon.xml" in out


def test_install_wps_keeps_other_add_ins_and_replaces_its_own_entry(tmp_path, capsys):
    folder = tmp_path / "jsaddons"
    folder.mkdir()
    (folder / "publish.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n'
        '  <jspluginonline name="论文" url="https://example.cn/论文/" type="wps"/>\n'
        '  <jspluginonline name="budgetbook" url="http://127.0.0.1:8000/wps/" type="et"/>\n</jsplugins>\n',
        encoding="utf-8")
    assert cli.main(["addin", "install", "--wps", "--port", "9001", "--to", str(folder)]) == 0
    entries = _entries(folder / "publish.xml")
    assert [(e["name"], e["url"]) for e in entries] == [("论文", "https://example.cn/论文/"),
                                                         ("budgetbook", "http://127.0.0.1:9001/wps/")]
    assert "--port 9001" in capsys.readouterr().out
    (folder / "jsplugins.xml").write_text("<jsplugins><oops", encoding="utf-8")
    assert cli.main(["addin", "install", "--wps", "--to", str(folder)]) == 2
    assert (folder / "jsplugins.xml").read_text(encoding="utf-8") == "<jsplugins><oops"
    assert "jsplugins.xml 不是有效的 WPS 加载项列表" in capsys.readouterr().err


# --- client.js end to end --------------------------------------------------------------------------

NODE = shutil.which("node")


def _same(a, b) -> bool:
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return money.to_amount(a)[0] == money.to_amount(b)[0]
    return a == b


def _values(state: dict) -> dict:
    return {(s["name"], c["r"], c["c"]): c["v"] for s in state["sheets"] if s["name"] in TABLES
            for c in s["cells"] if c["v"] is not None}


def _file_values(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.row, c.column): c.value for ws in book if ws.title in TABLES
            for row in ws.iter_rows() for c in row if c.value is not None}


def _coloured(state: dict) -> set:
    return {(s["name"], c["r"], c["c"]) for s in state["sheets"] if s["name"] in TABLES
            for c in s["cells"] if c.get("fill") in ("FFC7CE", "FFEB9C")}


def _looks(state: dict) -> dict:
    return {(s["name"], c["r"], c["c"]): (c.get("fill"), c.get("note"), c.get("style"))
            for s in state["sheets"] for c in s["cells"] if c.get("fill") or c.get("note") is not None or c.get("style")}


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed (.ci/run installs Debian's nodejs)")
def test_the_wps_client_over_loopback_does_what_the_command_line_does(tmp_path):
    books, out = tmp_path / "books", tmp_path / "out"
    books.mkdir()
    out.mkdir()
    expected = {}
    for n in (1, 10):
        raw, filled = tmp_path / f"dept{n}.xlsx", tmp_path / f"filled{n}.xlsx"
        save_atomic(jobs.new(scaled(n)), raw)
        expected[n] = {"fill": jobs.fill_file(raw, filled)}
        expected[n]["check"] = jobs.check_and_mark_file(filled, tmp_path / f"marked{n}.xlsx")
        for name, path in ((f"dept{n}", raw), (f"filled{n}", filled)):
            (books / f"{name}.json").write_text(json.dumps(dump(path), ensure_ascii=False), encoding="utf-8")
    with running(tmp_path) as (url, token):
        env = {"BUDGETBOOK_URL": url, "BUDGETBOOK_TOKEN": token, "BUDGETBOOK_BOOKS": str(books),
               "BUDGETBOOK_OUT": str(out)}
        done = subprocess.run([NODE, "--test", "--test-reporter=tap", "addin/wps/test/"], cwd=ROOT, capture_output=True, text=True,
                              env={**__import__("os").environ, **env}, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# skipped 0" in done.stdout and "# fail 0" in done.stdout

    counts = json.loads((out / "counts.json").read_text())
    print("WPS calls (all, Range) 1x:", counts["1"], "10x:", counts["10"])
    assert counts["1"] == counts["10"]
    for n in (1, 10):
        fill = json.loads((out / f"fill{n}.json").read_text(encoding="utf-8"))
        assert fill["message"] == expected[n]["fill"].summary()
        mine, theirs = _values(fill["state"]), _file_values(tmp_path / f"filled{n}.xlsx")
        assert mine.keys() == theirs.keys()
        assert all(_same(mine[k], theirs[k]) for k in theirs), [k for k in theirs if not _same(mine[k], theirs[k])][:5]
        # the template's protection is on again after the writes
        assert all(s["protected"] for s in fill["state"]["sheets"] if s["name"] in TABLES)

        check = json.loads((out / f"check{n}.json").read_text(encoding="utf-8"))
        marked = expected[n]["check"]
        assert check["message"] == marked.summary()
        file = dump(tmp_path / f"marked{n}.xlsx")
        assert _coloured(check["state"]) == _coloured(file) and _coloured(file)
        noted = lambda state: {k for k, (_, note, _) in _looks(state).items() if note is not None and k[0] in TABLES}
        assert noted(check["state"]) == noted(file)
        sheets = [(s["name"], s["visible"]) for s in check["state"]["sheets"]]
        assert sheets[-2:] == [("校验结果", -1), ("_budgetbook_marks", 2)]
        assert [name for name, _ in sheets] == [s["name"] for s in file["sheets"]]
        results = {(c["r"], c["c"]): c["v"] for c in check["state"]["sheets"][-2]["cells"]}
        assert (results[(5, 3)], results[(5, 4)]) == ("P.projects-total", marked.report.errors[0].title)
        assert check["state"]["sheets"][check["state"]["active"]]["name"] == "表一"  # the user's sheet again

        clear = json.loads((out / f"clear{n}.json").read_text(encoding="utf-8"))
        before = dump(tmp_path / f"filled{n}.xlsx")
        assert [s["name"] for s in clear["state"]["sheets"]] == [s["name"] for s in before["sheets"]]
        assert _looks(clear["state"]) == _looks(before)
        assert _values(clear["state"]) == _values(before)
