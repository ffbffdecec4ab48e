"""What a message advises the user to do, said the way the place showing it can do it.

A finding or a sheet that advises an action (fill the totals, take the marks off) names the
action by key; the words are chosen here, once, for where they are read: the command on the
command line, the ribbon button in Excel and WPS, what the drop page offers on the page, and in
a workbook (notes and the 校验结果 sheet, read in Excel or WPS whoever wrote them) the button
with the command beside it. The button labels are workbook/buttons.py's (tests/test_advice.py
compares them): this module sits below the button table and cannot import it.
"""
from __future__ import annotations

from typing import NamedTuple

CLI, EXCEL, WPS, PAGE, WORKBOOK = "cli", "excel", "wps", "page", "workbook"
WHERE = (CLI, EXCEL, WPS, PAGE, WORKBOOK)
TAB = "预算公开"  # the ribbon tab (workbook.buttons.TAB_LABEL)


class Advice(NamedTuple):
    command: str  # as typed on the command line
    button: str  # the ribbon button's label
    does: str  # what it does, after the verb
    page: str = ""  # what the drop page offers instead; "" when it offers nothing


ADVICE = {
    "fill": Advice("budgetbook fill", "填充合计", "自动填写", "点“下载已填合计版”取得已自动填写的工作簿"),
    "clear": Advice("budgetbook clear", "清除标记", "一次去除"),
}


def say(key: str, where: str) -> str:
    """The advice `key` as read `where` (a clause without closing punctuation):
    "可运行 budgetbook fill 自动填写", "可点“填充合计”自动填写", …"""
    advice = ADVICE[key]
    if where == CLI:
        return f"可运行 {advice.command} {advice.does}"
    if where in (EXCEL, WPS):
        return f"可点“{advice.button}”{advice.does}"
    if where == PAGE and advice.page:
        return f"可{advice.page}"
    host = "在 Excel 或 WPS 中" if where == PAGE else ""
    return f"可{host}点“{TAB}”选项卡的“{advice.button}”{advice.does}（命令行：{advice.command}）"
