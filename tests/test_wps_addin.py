"""The WPS add-in: its ribbon from the one button list, its jsaddons entry, and client.js driving
a recording fake of WPS's object model over loopback against the real `budgetbook serve`
(node --test addin/wps/test/), compared with what the command line writes to files."""
from __future__ import annotations

import configparser
import json
import shlex
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
from workbook.serve import security
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
    icons = {b.key: (ROOT / "addin" / "wps" / "images" / f"{b.key}.svg").read_bytes() for b in BUTTONS}
    for key, svg in icons.items():
        assert ET.fromstring(svg).tag.endswith("svg"), key
    assert len(set(icons.values())) == len(icons), "each button has an icon of its own"
    main = (ROOT / "addin" / "wps" / "main.js").read_text(encoding="utf-8")
    assert all(f"function {name}(" in main for name in ("OnAddinLoad", "OnAction", "GetImage"))


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData" / "Roaming"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path


def _entries(path: Path) -> list[tuple[str, dict]]:
    return [(e.tag, dict(e.attrib)) for e in ET.parse(path).getroot()]


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


# What WPS itself keeps for an offline add-in published with wpsjs (its publish page hands WPS
# {name, addonType, online: "false", url, version}; WPS unpacks into jsaddons/NAME_VERSION and
# writes publish.xml), and WPS's offline-deployment list format (jsplugins.xml, JSPluginsServer).
WPS_PUBLISH = '<jsplugins><jsplugin name="Demo" type="et" url="Demo_1.0.0" version="1.0.0" enable="true" install="null"/></jsplugins>'
WPS_LIST = ('<jsplugins><jsplugin enable="true" version="1.0.0" name="Demo" '
            'url="file:///C:/Users/u/AppData/Roaming/kingsoft/wps/jsaddons/Demo.7z" type="et"/></jsplugins>')


def _shape(text: str) -> tuple[str, set[str]]:
    [element] = ET.fromstring(text)
    return element.tag, set(element.attrib)


@pytest.mark.parametrize("platform,folder", [
    ("win32", ("AppData", "Roaming", "kingsoft", "wps", "jsaddons")),
    ("linux", (".local", "share", "Kingsoft", "wps", "jsaddons")),
])
def test_install_wps_for_production_and_uninstall_leaves_the_home_as_it_was(home, monkeypatch, capsys, platform, folder):
    monkeypatch.setattr(sys, "platform", platform)
    assert cli.main(["addin", "install", "--wps"]) == 0
    jsaddons = home.joinpath(*folder)
    where = install.places(platform)
    assert where.jsaddons == jsaddons
    addin = jsaddons / install.folder_name()
    version = install.version()
    # the add-in's own files, in WPS's folder: the tab does not need the service
    source = ROOT / "addin" / "wps"
    for name in ("ribbon.xml", "main.js", "client.js", *(f"images/{b.key}.svg" for b in BUTTONS)):
        assert (addin / name).read_bytes() == (source / name).read_bytes(), name
    page = (addin / "index.html").read_text(encoding="utf-8")
    token = security.token(where.config)
    assert f'content="{token}"' in page and 'content="http://127.0.0.1:8765"' in page and "__BUDGETBOOK" not in page
    # registered as WPS keeps a published offline add-in, not wpsjs's debug entry
    publish = _entries(jsaddons / "publish.xml")
    assert publish == [("jsplugin", {"name": "budgetbook", "type": "et", "url": addin.name, "version": version,
                                     "enable": "true", "install": "null"})]
    assert (publish[0][0], set(publish[0][1])) == _shape(WPS_PUBLISH)
    [(tag, listed)] = _entries(jsaddons / "jsplugins.xml")
    assert (tag, set(listed)) == _shape(WPS_LIST) and listed["enable"] == "true"
    assert listed["url"] == addin.as_uri() + "/"
    # the service starts at login
    if platform == "win32":
        start = home / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / "budgetbook-serve.cmd"
        text = start.read_text(encoding="gbk")
        assert "pythonw.exe" in text and "-m workbook.cli serve --no-browser --port 8765" in text
    else:
        start = home / ".config" / "autostart" / "budgetbook-serve.desktop"
        entry = configparser.ConfigParser(interpolation=None)
        entry.read(start, encoding="utf-8")
        desktop = entry["Desktop Entry"]
        assert desktop["Type"] == "Application" and desktop["Terminal"] == "false"
        command = shlex.split(desktop["Exec"])
        assert command == install.serve_command(sys.executable, 8765)
        # the command it names is budgetbook's serve
        ran = subprocess.run([*command[:4], "--help"], capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0 and "--no-browser" in ran.stdout
    out = capsys.readouterr().out
    assert str(addin) in out and str(start) in out and "预算公开" in out and "authaddin.json" in out

    assert cli.main(["addin", "uninstall", "--wps"]) == 0
    assert _tree(home) == {}  # nothing was there before: nothing is left
    assert cli.main(["addin", "uninstall", "--wps"]) == 0
    assert "未作改动" in capsys.readouterr().out


OTHERS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<jsplugins>\n'
          '  <jspluginonline name="论文" type="wps" url="https://example.cn/论文/" enable="enable" install="null"/>\n'
          '  <jsplugin name="Other" type="et" url="Other_1.0" version="1.0" enable="true" install="null"/>\n'
          '</jsplugins>\n')
APPROVALS = {"et": {"namelist": "a1b2", "a1b2": {"name": "Other", "path": "C:/x/Other_1.0", "enable": True,
                                                 "isload": True, "mode": 1, "md5": "0f"}},
             "wps": {"namelist": "c3", "c3": {"name": "论文", "path": "https://example.cn/论文/", "enable": True,
                                              "isload": True, "mode": 2}}}


def test_install_wps_keeps_other_add_ins_approves_ours_and_uninstall_gives_the_files_back(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    where = install.places("linux")
    where.jsaddons.mkdir(parents=True)
    (where.jsaddons / "publish.xml").write_text(OTHERS, encoding="utf-8")
    (where.jsaddons / "authaddin.json").write_text(json.dumps(APPROVALS, ensure_ascii=False, indent=4) + "\n", encoding="utf-8")
    before = _tree(home)
    assert cli.main(["addin", "install", "--wps", "--port", "9001"]) == 0
    entries = _entries(where.jsaddons / "publish.xml")
    assert [e[1]["name"] for e in entries] == ["论文", "Other", "budgetbook"]
    approvals = json.loads((where.jsaddons / "authaddin.json").read_text(encoding="utf-8"))
    assert approvals["wps"] == APPROVALS["wps"] and approvals["et"]["a1b2"] == APPROVALS["et"]["a1b2"]
    assert approvals["et"]["namelist"] == "a1b2;budgetbook"
    ours = approvals["et"]["budgetbook"]
    assert ours["enable"] is True and ours["isload"] is True and ours["mode"] == 1
    assert ours["path"] == (where.jsaddons / install.folder_name()).as_posix()
    assert "9001" in (where.jsaddons / install.folder_name() / "index.html").read_text(encoding="utf-8")
    assert "--port 9001" in where.autostart.read_text(encoding="utf-8")
    # installed twice: one entry, one approval, and uninstall still knows what the first one made
    assert cli.main(["addin", "install", "--wps", "--port", "9001"]) == 0
    assert [e[1]["name"] for e in _entries(where.jsaddons / "publish.xml")].count("budgetbook") == 1
    assert cli.main(["addin", "uninstall", "--wps"]) == 0
    assert _tree(home) == before
    assert str(where.jsaddons / "publish.xml") in capsys.readouterr().out


def test_an_earlier_debug_registration_is_replaced_and_a_broken_list_is_left_alone(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    where = install.places("win32")
    where.jsaddons.mkdir(parents=True)
    debug = ('<jsplugins>\n  <jspluginonline name="budgetbook" type="et" url="http://127.0.0.1:8765/wps/" '
             'enable="enable_dev" install="null"/>\n</jsplugins>\n')
    (where.jsaddons / "publish.xml").write_text(debug, encoding="utf-8")
    assert cli.main(["addin", "install", "--wps"]) == 0
    [(tag, attrs)] = _entries(where.jsaddons / "publish.xml")
    assert tag == "jsplugin" and attrs["enable"] == "true"
    (where.jsaddons / "jsplugins.xml").write_text("<jsplugins><oops", encoding="utf-8")
    publish = (where.jsaddons / "publish.xml").read_bytes()
    assert cli.main(["addin", "install", "--wps"]) == 2
    assert (where.jsaddons / "jsplugins.xml").read_text(encoding="utf-8") == "<jsplugins><oops"
    assert (where.jsaddons / "publish.xml").read_bytes() == publish
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
