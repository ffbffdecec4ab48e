"""The ribbon buttons, declared once.

Plain data, no Excel or xlwings import: the Excel add-in's customUI (addin/ribbon.py), its VBA
callback, the Python dispatch table (macros_py.dispatch) and later the WPS add-in's ribbon.xml are
all generated from or checked against this list. `icon` is a built-in Office imageMso name.
"""
from __future__ import annotations

from dataclasses import dataclass

TAB_ID = "budgetbookTab"
TAB_LABEL = "预算公开"


@dataclass(frozen=True)
class Button:
    key: str  # what the ribbon passes to macros_py.dispatch; ASCII, it travels through VBA
    handler: str  # the function in macros_py.handlers
    label: str
    icon: str
    screentip: str
    supertip: str


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    buttons: tuple[Button, ...]


GROUPS: tuple[Group, ...] = (
    Group("groupTemplate", "模板", (
        Button("new", "new_template", "新建模板", "FileNew",
               "新建预算公开模板",
               "新建一份空白的 12 张部门预算公开表，浅蓝色单元格由您填写，灰色合计由程序计算。"),
    )),
    Group("groupCompute", "计算", (
        Button("fill", "fill_totals", "填充合计", "AutoSum",
               "计算全部合计数",
               "按各表之间的取数关系计算所有灰色合计单元格，您填写的浅蓝色单元格不会被改动。"),
    )),
    Group("groupCheck", "校验", (
        Button("check", "check_and_mark", "校验并标记", "ErrorChecking",
               "校验勾稽关系并标出问题",
               "检查表内合计、表间勾稽关系和科目编码，把错误标成红色、警告标成黄色并加批注，明细列在「校验结果」表。"),
        Button("clear", "clear_marks", "清除标记", "ClearFormats",
               "清除校验标记",
               "去掉校验留下的颜色、批注和「校验结果」表，恢复您原有的底色和批注。"),
    )),
    Group("groupOutput", "输出", (
        Button("export", "export_files", "导出", "FileSaveAsPdfOrXps",
               "导出公开文件",
               "生成只含 12 张表、纯数值、无批注和宏的公开版 Excel 文件和 PDF；仍有错误时不导出。"),
        Button("email", "email_draft", "邮件草稿", "FileSendAsAttachment",
               "生成报送邮件草稿",
               "把导出的公开文件作为附件生成一封邮件草稿，核对后即可发送给财政局。"),
        Button("narrative", "write_narrative", "生成情况说明", "FileDocumentInspect",
               "生成部门预算情况说明",
               "根据各表数据起草部门预算公开的情况说明文字，供您核对和修改。"),
    )),
)

BUTTONS: tuple[Button, ...] = tuple(b for g in GROUPS for b in g.buttons)


def button(key: str) -> Button:
    """The button with this key; ValueError names the known keys."""
    for b in BUTTONS:
        if b.key == key:
            return b
    known = ", ".join(b.key for b in BUTTONS)
    raise ValueError(f"unknown ribbon button key {key!r}; known keys: {known}")
