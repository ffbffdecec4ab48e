"""WPS's ribbon.xml, generated from the one button list (workbook/buttons.py).

WPS加载项 read the Office CustomUI schema with JS callbacks: every button calls OnAction(control)
and the callbacks tell buttons apart by control.Id ("button_fill" → key "fill", the same ids as the
Excel ribbon); GetImage(control) gives each button its icon from images/. WPS has no imageMso
pictures, so icons are our own SVGs. Regenerate after changing the list:
`python -m addin.wps.ribbon > addin/wps/ribbon.xml` (tests/test_wps_addin.py checks they agree).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from workbook.buttons import GROUPS, TAB_ID, TAB_LABEL

NAMESPACE = "http://schemas.microsoft.com/office/2006/01/customui"
FILE = Path(__file__).with_name("ribbon.xml")


def button_id(key: str) -> str:
    return f"button_{key}"


def ribbon_xml() -> str:
    ET.register_namespace("", NAMESPACE)

    def el(parent, name, **attrs):
        return ET.SubElement(parent, f"{{{NAMESPACE}}}{name}", attrs)

    root = ET.Element(f"{{{NAMESPACE}}}customUI", onLoad="OnAddinLoad")
    tabs = el(el(root, "ribbon", startFromScratch="false"), "tabs")
    tab = el(tabs, "tab", id=TAB_ID, label=TAB_LABEL)
    for group in GROUPS:
        g = el(tab, "group", id=group.id, label=group.label)
        for b in group.buttons:
            el(g, "button", id=button_id(b.key), label=b.label, size="large", onAction="OnAction",
               getImage="GetImage", screentip=b.screentip, supertip=b.supertip, visible="true")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


if __name__ == "__main__":
    print(ribbon_xml(), end="")
