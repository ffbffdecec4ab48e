"""The one button table (workbook.buttons) and the Python side of a button press in Excel
(macros_py.dispatch)."""
from __future__ import annotations

import subprocess
import sys
import types

import pytest

import macros_py
from workbook.buttons import BUTTONS, GROUPS


def test_the_buttons_are_the_agreed_ones_in_order():
    assert [(g.label, [b.label for b in g.buttons]) for g in GROUPS] == [
        ("模板", ["新建模板", "从明细生成"]),
        ("计算", ["填充合计"]),
        ("校验", ["校验并标记", "清除标记"]),
        ("输出", ["导出", "邮件草稿", "生成情况说明"]),
    ]
    assert [b.key for b in BUTTONS] == ["new", "build", "fill", "check", "clear", "export", "email", "narrative"]
    for b in BUTTONS:
        # the key travels inside a quoted Python literal written by VBA: letters only
        assert b.key.isascii() and b.key.isalpha() and b.key.islower()
        assert b.icon.isascii() and b.icon.isidentifier()
        assert b.screentip and b.supertip.endswith("。") and b.supertip.count("。") == 1
        assert b.reads in ("strict", "loose", None) and b.start.startswith("正在")


def test_dispatch_presses_the_button_of_the_key(monkeypatch):
    pressed = []
    handlers = types.ModuleType("macros_py.handlers")
    handlers.press = lambda key, book=None: pressed.append((key, book)) or key
    monkeypatch.setitem(sys.modules, "macros_py.handlers", handlers)
    for b in BUTTONS:
        assert macros_py.dispatch(b.key) == b.key
    assert pressed == [(b.key, None) for b in BUTTONS]


def test_an_unknown_key_says_which_keys_exist():
    with pytest.raises(ValueError) as raised:
        macros_py.dispatch("chekc")
    message = str(raised.value)
    assert "'chekc'" in message and all(b.key in message for b in BUTTONS)


def test_the_button_table_needs_no_excel():
    # WPS, the service and the build read the table on machines without xlwings
    code = "import sys, macros_py, workbook.buttons, workbook.serve.app; sys.exit('xlwings' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
