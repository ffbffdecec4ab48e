"""The Excel ribbon (customUI, Office 2010+ schema) generated from workbook/buttons.py."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from workbook.buttons import GROUPS, TAB_ID, TAB_LABEL

NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
# the 2009/07 schema lives in customUI14.xml under this relationship type; the 2006 schema uses
# customUI.xml and .../office/2006/relationships/ui/extensibility
PART = "customUI/customUI14.xml"
RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"

# the one VBA callback (addin/BudgetbookRibbon.bas); the button's key travels in `tag`
CALLBACK = "BudgetbookRibbon.RunButton"

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def custom_ui() -> bytes:
    """customUI14.xml: tab 预算公开 with one group per GROUPS entry, large buttons."""
    ET.register_namespace("", NAMESPACE)

    def el(parent, name, **attrs):
        return ET.SubElement(parent, f"{{{NAMESPACE}}}{name}", attrs)

    root = ET.Element(f"{{{NAMESPACE}}}customUI")
    tabs = el(el(root, "ribbon"), "tabs")
    tab = el(tabs, "tab", id=TAB_ID, label=TAB_LABEL, insertAfterMso="TabHome")
    for group in GROUPS:
        g = el(tab, "group", id=group.id, label=group.label)
        for b in group.buttons:
            el(g, "button", id=f"button_{b.key}", tag=b.key, label=b.label, imageMso=b.icon,
               size="large", screentip=b.screentip, supertip=b.supertip, onAction=CALLBACK)
    ET.indent(root)
    return (DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")
