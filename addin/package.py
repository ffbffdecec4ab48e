"""The .xlam package: a macro-enabled Excel add-in (Office Open XML) around vbaProject.bin.

One worksheet: `_xlwings.conf`, the xlwings settings sheet as in xlwings' add-in template.
Its leading underscore keeps it switched off. xlwings reads a sheet named `xlwings.conf` before the
user's config file, and a key present there with an empty value would hide the interpreter that
`budgetbook addin install` wrote. An administrator who wants to fix the interpreter for everyone
can fill column B and rename the sheet to `xlwings.conf`.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from workbook.surfaces.package.styles import MINIMAL  # the one minimal stylesheet

from . import ribbon

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

CONFIG_SHEET = "_xlwings.conf"
# the keys of xlwings' template sheet, in its order; None = empty, False = a FALSE cell
CONFIG = (
    ("Interpreter_Win", None), ("Interpreter_Mac", None), ("PYTHONPATH", None),
    ("Conda Path", None), ("Conda Env", None), ("UDF Modules", None),
    ("Debug UDFs", False), ("Use UDF Server", False), ("Show Console", False),
)
WORKBOOK_CODE_NAME = "ThisWorkbook"
SHEET_CODE_NAME = "Sheet1"

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# a fixed time for every member: the same sources give the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def parts(vba_project: bytes, title: str) -> dict[str, bytes]:
    """Every part of the package, by name."""
    xml = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships([
            ("rId1", f"{REL}/officeDocument", "xl/workbook.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
             "docProps/core.xml"),
            ("rId3", f"{REL}/extended-properties", "docProps/app.xml"),
            ("rId4", ribbon.RELATIONSHIP, ribbon.PART),
        ]),
        "docProps/core.xml": _core(title),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity></Properties>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<workbookPr codeName="{WORKBOOK_CODE_NAME}"/>'
            '<bookViews><workbookView visibility="hidden"/></bookViews>'
            f'<sheets><sheet name="{CONFIG_SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": _relationships([
            ("rId1", f"{REL}/worksheet", "worksheets/sheet1.xml"),
            ("rId2", f"{REL}/styles", "styles.xml"),
            ("rId3", f"{REL}/sharedStrings", "sharedStrings.xml"),
            ("rId4", VBA_RELATIONSHIP, "vbaProject.bin"),
        ]),
        "xl/worksheets/sheet1.xml": _config_sheet(),
        "xl/sharedStrings.xml": _shared_strings(),
        "xl/styles.xml": MINIMAL.decode("utf-8"),
    }
    out = {name: (text if text.startswith(DECLARATION) else DECLARATION + text).encode("utf-8")
           for name, text in xml.items()}
    out[ribbon.PART] = ribbon.custom_ui()
    out["xl/vbaProject.bin"] = vba_project
    return out


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip with members in name order ([Content_Types].xml sorts first), fixed times and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def _content_types() -> str:
    overrides = {
        "/xl/workbook.xml": ADDIN_CONTENT_TYPE,
        "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        "/xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        "/xl/vbaProject.bin": VBA_CONTENT_TYPE,
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
        + "</Types>"
    )


def _relationships(rels: list[tuple[str, str, str]]) -> str:
    return (
        f'<Relationships xmlns="{PKG_REL}">'
        + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
        + "</Relationships>"
    )


def _core(title: str) -> str:
    # no dates: they would differ from build to build
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>budgetbook</dc:creator></cp:coreProperties>"
    )


def _strings() -> list[str]:
    return [key for key, _ in CONFIG]


def _shared_strings() -> str:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in _strings())
    return f'<sst xmlns="{MAIN}" count="{len(CONFIG)}" uniqueCount="{len(CONFIG)}">{items}</sst>'


def _config_sheet() -> str:
    rows = []
    for r, (key, value) in enumerate(CONFIG, start=1):
        cells = f'<c r="A{r}" t="s"><v>{_strings().index(key)}</v></c>'
        if value is not None:
            cells += f'<c r="B{r}" t="b"><v>{int(value)}</v></c>'
        rows.append(f'<row r="{r}">{cells}</row>')
    return (
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        f"<sheetPr codeName={quoteattr(SHEET_CODE_NAME)}/>"
        f'<dimension ref="A1:B{len(CONFIG)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="18" customWidth="1"/><col min="2" max="2" width="40" customWidth="1"/></cols>'
        f'<sheetData>{"".join(rows)}</sheetData>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
