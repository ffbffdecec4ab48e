"""`budgetbook addin install --wps`: tell WPS where the add-in is (its jsaddons folder).

WPS reads the add-ins to load from `publish.xml` (the "publish" mode wpsjs uses) and, where an
administrator enabled it in oem.ini, from `jsplugins.xml`, in the user's jsaddons folder:
`%APPDATA%\\kingsoft\\wps\\jsaddons` on Windows, `~/.local/share/Kingsoft/wps/jsaddons` on Linux
(Kylin, UOS), and inside WPS's container on macOS. Each entry
`<jspluginonline name="budgetbook" type="et" url="http://127.0.0.1:8765/wps/"/>` makes WPS表格
(type "et") fetch url + "ribbon.xml" and url + "index.html" from `budgetbook serve`. Both files
are written, keeping every other add-in's entry; ours replaces an older one of the same name or
address. A file that cannot be read as XML is left as it is and named in the error.
"""
from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import ElementTree as SafeET

from workbook.atomic import write_atomic
from workbook.errors import BudgetbookError

NAME = "budgetbook"
FILES = ("publish.xml", "jsplugins.xml")


def jsaddons() -> Path:
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "kingsoft" / "wps" / "jsaddons"
    if sys.platform == "darwin":
        return (Path.home() / "Library" / "Containers" / "com.kingsoft.wpsoffice.mac" / "Data" / ".kingsoft"
                / "wps" / "jsaddons")
    return Path.home() / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def url(port: int) -> str:
    return f"http://127.0.0.1:{port}/wps/"


def install(port: int, folder: Path | None = None) -> list[Path]:
    """Write our entry into both files of `folder` (default: this user's jsaddons folder)."""
    folder = Path(folder) if folder else jsaddons()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BudgetbookError(f"无法创建文件夹 {folder}（{exc.strerror or exc}）。") from None
    written = []
    for name in FILES:
        path = folder / name
        root = _read(path)
        attrs = {"name": NAME, "type": "et", "url": url(port)}
        if name == "publish.xml":  # as wpsjs writes its online entries there
            attrs.update({"enable": "enable_dev", "install": "null"})
        for old in list(root):
            if old.get("name") == NAME or old.get("url") == attrs["url"]:
                root.remove(old)
        root.append(ET.Element("jspluginonline", attrs))
        ET.indent(root)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
        written.append(write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8")))
    return written


def _read(path: Path):
    if not path.is_file() or not path.read_bytes().strip():
        return ET.Element("jsplugins")
    try:
        root = SafeET.parse(path).getroot()
    except Exception:  # not XML, or XML with entities (refused by defusedxml)
        raise BudgetbookError(f"{path} 不是有效的 WPS 加载项列表（XML），未作改动；请检查或删除该文件后重试。") from None
    if root.tag != "jsplugins":
        raise BudgetbookError(f"{path} 不是 WPS 加载项列表（根元素应为 jsplugins），未作改动。")
    # rebuilt with the standard library's elements (defusedxml only parses)
    return ET.fromstring(SafeET.tostring(root, encoding="unicode"))
