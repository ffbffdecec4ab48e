"""The built Excel add-in (dist/预算公开助手.xlam), read back with independent tools.

No Excel here: the package is opened by zipfile and openpyxl, the ribbon parsed as XML, the VBA
read back by olevba (oletools) and imported by LibreOffice. What Excel itself does with the file
is in docs/excel-addin.md's manual checklist.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwings
from oletools.olevba import VBA_Parser

from addin import build, package, ribbon
from workbook.buttons import BUTTONS, GROUPS, TAB_LABEL
from workbook import office

REPO = Path(__file__).resolve().parent.parent
XLWINGS = Path(xlwings.__file__).parent
TEMPLATE = XLWINGS / "quickstart_addin_ribbon.xlam"
CUSTOMUI_NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@pytest.fixture(scope="session")
def xlam(tmp_path_factory) -> Path:
    return build.build(tmp_path_factory.mktemp("addin") / build.FILE_NAME)


@pytest.fixture(scope="session")
def vba(xlam) -> dict[str, str]:
    """Module name -> source text as olevba reads it back from the built file."""
    parser = VBA_Parser(str(xlam))
    try:
        return {Path(name).stem: code.replace("\r\n", "\n") for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="session")
def project(xlam) -> olefile.OleFileIO:
    with zipfile.ZipFile(xlam) as z:
        return olefile.OleFileIO(z.read("xl/vbaProject.bin"))


def without_attributes(text: str) -> str:
    """Module text as the VBA editor shows it: no Attribute lines, no export header."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].startswith("VERSION"):
        lines = lines[lines.index("END") + 1:]
    return "\n".join(line for line in lines if not line.startswith("Attribute ")).strip("\n")


def relationships(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    root = ET.fromstring(z.read(part))
    return {r.get("Type"): r.get("Target") for r in root.iter(f"{PKG_REL}Relationship")}


def test_a_macro_enabled_addin_package_with_ribbon_and_vba(xlam):
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
        root_rels = relationships(z, "_rels/.rels")
        assert root_rels[ribbon.RELATIONSHIP] == "customUI/customUI14.xml"
        book_rels = relationships(z, "xl/_rels/workbook.xml.rels")
        assert book_rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
        # every relationship points at a part that is there
        assert {t for t in root_rels.values()} <= names
        assert {f"xl/{t}" for t in book_rels.values()} <= names
        assert all(n.isascii() for n in names)


def as_xlsm(xlam: Path, xlsm: Path) -> Path:
    """The same package declared a macro-enabled workbook: openpyxl and LibreOffice refuse the
    add-in content type (xlwings' own template too), and accept everything else as it is."""
    with zipfile.ZipFile(xlam) as src, zipfile.ZipFile(xlsm, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"application/vnd.ms-excel.addin.macroEnabled.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            dst.writestr(name, data)
    return xlsm


def test_openpyxl_opens_it_and_the_config_sheet_is_xlwings_own(xlam, tmp_path):
    book = openpyxl.load_workbook(as_xlsm(xlam, tmp_path / "addin.xlsm"), keep_vba=True)
    assert book.sheetnames == ["_xlwings.conf"]
    ours = [(row[0].value, row[1].value) for row in book["_xlwings.conf"].iter_rows(max_col=2)]
    template = openpyxl.load_workbook(as_xlsm(TEMPLATE, tmp_path / "template.xlsm"), keep_vba=True)
    [template_sheet] = template.worksheets
    keys = [row[0].value for row in template_sheet.iter_rows(max_col=1) if row[0].value]
    assert [k for k, _ in ours] == keys
    # the interpreter is left to the user config that `budgetbook addin install` writes
    assert dict(ours)["Interpreter_Win"] is None and dict(ours)["Interpreter_Mac"] is None
    assert book.vba_archive is not None
    for opened in (book, template):  # openpyxl keeps the VBA in a zip it never closes
        opened.vba_archive.close()


def test_the_config_sheet_cannot_hide_the_user_config(vba):
    # RunPython reads a sheet named PROJECT_NAME & ".conf" before ~/.PROJECT_NAME/PROJECT_NAME.conf,
    # and a key there with an empty value would win: ours carries the underscore that disables it
    assert 'Public Const PROJECT_NAME As String = "xlwings"' in vba["xlwings"]
    assert 'Set sht = wb.Sheets(PROJECT_NAME & ".conf")' in vba["xlwings"]
    assert package.CONFIG_SHEET != "xlwings.conf"


def test_the_ribbon_has_every_button_in_order(xlam):
    with zipfile.ZipFile(xlam) as z:
        root = ET.fromstring(z.read(ribbon.PART))
    assert all(el.tag.startswith(CUSTOMUI_NS) for el in root.iter())
    [tab] = root.iter(f"{CUSTOMUI_NS}tab")
    assert tab.get("label") == TAB_LABEL == "预算公开"
    groups = list(tab)
    assert [g.get("label") for g in groups] == [g.label for g in GROUPS] == ["模板", "计算", "校验", "输出"]
    buttons = [b for g in groups for b in g]
    assert [b.get("label") for b in buttons] == [b.label for b in BUTTONS]
    for element, button in zip(buttons, BUTTONS):
        assert element.tag == f"{CUSTOMUI_NS}button"
        assert element.get("tag") == button.key
        assert element.get("imageMso") == button.icon
        assert element.get("size") == "large"
        assert element.get("screentip") == button.screentip and element.get("supertip") == button.supertip
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_every_on_action_is_a_ribbon_callback_in_the_vba(xlam, vba):
    with zipfile.ZipFile(xlam) as z:
        root = ET.fromstring(z.read(ribbon.PART))
    actions = {el.get("onAction") for el in root.iter() if el.get("onAction")}
    assert actions
    for action in actions:
        module, _, sub = action.rpartition(".")
        code = vba[module] if module else "\n".join(vba.values())
        signature = rf"^\s*(Public\s+)?Sub\s+{sub}\s*\(\s*(ByRef\s+)?control\s+As\s+IRibbonControl\s*\)"
        assert re.search(signature, code, re.MULTILINE | re.IGNORECASE), action
    # the callback hands the button's tag to the Python dispatcher
    assert """RunPython "import macros_py; macros_py.dispatch('" & control.Tag & "')\"""" in vba["BudgetbookRibbon"]


def test_every_module_reads_back_as_its_source(vba):
    expected = {
        "BudgetbookRibbon": (REPO / "addin" / "BudgetbookRibbon.bas").read_text(),
        "xlwings": (XLWINGS / "xlwings_custom_addin.bas").read_text().replace(
            'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "xlwings"'),
        "Dictionary": (XLWINGS / "addin" / "Dictionary.cls").read_text(),
        "ThisWorkbook": "",
        "Sheet1": "",
    }
    assert set(vba) == set(expected)
    for name, source in expected.items():
        assert without_attributes(vba[name]) == without_attributes(source), name
        assert vba[name].startswith(f'Attribute VB_Name = "{name}"\n')
    # the attributes Excel keeps for a class and for the workbook's and sheet's code modules
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in vba["Dictionary"]
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in vba["ThisWorkbook"]
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in vba["Sheet1"]


def test_the_modules_are_those_of_xlwings_ribbon_template_plus_ours(project):
    declared = project.openstream("PROJECT").read().decode("cp1252").splitlines()
    ours = {line for line in declared if line.split("=")[0] in ("Module", "Class", "Document")}
    assert ours == {"Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
                    "Module=BudgetbookRibbon", "Module=xlwings", "Class=Dictionary"}
    with zipfile.ZipFile(TEMPLATE) as z:
        template = olefile.OleFileIO(z.read("xl/vbaProject.bin")).openstream("PROJECT").read().decode("cp1252")
    runtime = {line for line in template.splitlines()
               if line.startswith(("Module=", "Class=")) and "Ribbon" not in line}
    assert runtime and runtime <= ours


def test_source_only_project_that_office_compiles_on_load(project):
    assert project.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000300")
    # no p-code: every module's source starts at offset 0 (olevba read it from there above)
    assert not project.exists("VBA/__SRP_0")


def decrypt(project_id: str, hex_text: str) -> bytes:
    """MS-OVBA 2.4.3.3, to read the protection fields back."""
    data = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = data[:3]
    assert seed ^ version_enc == 2 and seed ^ key_enc == sum(project_id.encode()) & 0xFF
    plain_prev, enc1, enc2, out = seed ^ key_enc, key_enc, version_enc, []
    for enc in data[3:]:
        plain = enc ^ ((enc2 + plain_prev) & 0xFF)
        out.append(plain)
        enc2, enc1, plain_prev = enc1, enc, plain
    out = out[(seed & 6) // 2:]
    length = int.from_bytes(bytes(out[:4]), "little")
    assert len(out) == 4 + length
    return bytes(out[4:])


def test_the_project_is_neither_locked_nor_hidden(project):
    fields = dict(line.split("=", 1) for line in project.openstream("PROJECT").read().decode("cp1252").splitlines()
                  if "=" in line and not line.startswith("&H"))
    project_id = fields["ID"].strip('"')
    assert decrypt(project_id, fields["CMG"].strip('"')) == bytes(4)  # no protection
    assert decrypt(project_id, fields["DPB"].strip('"')) == b"\x00"  # no password
    assert decrypt(project_id, fields["GC"].strip('"')) == b"\xff"  # visible


def test_two_builds_are_byte_identical(xlam, tmp_path):
    again = build.build(tmp_path / "again.xlam")
    assert again.read_bytes() == xlam.read_bytes()


def tree(root: Path) -> dict[str, tuple[int, int]]:
    skip = {".git", ".venv", ".pytest_cache", ".hypothesis"}
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = Path(folder, name)
            stat = path.stat()
            out[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return out


def test_the_build_writes_only_the_addin_into_dist(xlam, tmp_path):
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    before = tree(REPO)
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([sys.executable, "-m", "addin.build"], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    after = tree(REPO)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert changed <= {f"dist/{build.FILE_NAME}"}
    assert not any(cwd.iterdir()) and not any(tmp.iterdir())
    assert (REPO / "dist" / build.FILE_NAME).read_bytes() == xlam.read_bytes()


@pytest.mark.slow
def test_libreoffice_imports_every_module(xlam, tmp_path):
    if office.find_soffice() is None:
        pytest.skip(f"LibreOffice (soffice) 未安装：{office.INSTALL_HINT}")
    xlsm = as_xlsm(xlam, tmp_path / "addin.xlsm")
    (tmp_path / "out").mkdir()
    [ods] = office.convert([xlsm], "ods", tmp_path / "out")
    with zipfile.ZipFile(ods) as z:
        modules = {}
        for name in z.namelist():
            if name.startswith(f"Basic/{build.PROJECT}/") and not name.endswith("script-lb.xml"):
                root = ET.fromstring(z.read(name))
                ns = "{http://openoffice.org/2000/script}"
                modules[root.get(f"{ns}name")] = (root.get(f"{ns}moduleType"), root.text or "")
    kinds = {name: kind for name, (kind, _) in modules.items()}
    assert kinds == {"BudgetbookRibbon": "normal", "xlwings": "normal", "Dictionary": "class",
                     "ThisWorkbook": "document", "Sheet1": "document"}
    # a broken compression imports as empty or garbled modules
    assert "Sub RunButton(control As IRibbonControl)" in modules["BudgetbookRibbon"][1]
    assert "Public Function RunPython(PythonCommand As String)" in modules["xlwings"][1]
    assert "Public Property Get Count() As Long" in modules["Dictionary"][1]
