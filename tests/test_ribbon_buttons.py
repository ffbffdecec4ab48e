"""The one button list and the Python side of a button press (macros_py.dispatch)."""
from __future__ import annotations

import importlib.util
import keyword
import subprocess
import sys
import types

import pytest

import macros_py
from macros_py.buttons import BUTTONS, GROUPS

HANDLERS = ["new_template", "fill_totals", "check_and_mark", "clear_marks", "export_files",
            "email_draft", "write_narrative"]


def test_the_buttons_are_the_agreed_ones_in_order():
    assert [(g.label, [b.label for b in g.buttons]) for g in GROUPS] == [
        ("模板", ["新建模板"]),
        ("计算", ["填充合计"]),
        ("校验", ["校验并标记", "清除标记"]),
        ("输出", ["导出", "邮件草稿", "生成情况说明"]),
    ]
    assert [b.key for b in BUTTONS] == ["new", "fill", "check", "clear", "export", "email", "narrative"]
    assert [b.handler for b in BUTTONS] == HANDLERS
    for b in BUTTONS:
        # the key travels inside a quoted Python literal written by VBA: letters only
        assert b.key.isascii() and b.key.isalpha() and b.key.islower()
        assert b.handler.isidentifier() and not keyword.iskeyword(b.handler)
        assert b.icon.isascii() and b.icon.isidentifier()
        assert b.screentip and b.supertip.endswith("。") and b.supertip.count("。") == 1


def test_dispatch_runs_the_handler_of_each_button(monkeypatch):
    called = []
    handlers = types.ModuleType("macros_py.handlers")
    for name in HANDLERS:
        setattr(handlers, name, lambda book=None, name=name: called.append((name, book)) or name)
    monkeypatch.setitem(sys.modules, "macros_py.handlers", handlers)
    for b in BUTTONS:
        assert macros_py.dispatch(b.key) == b.handler
    assert called == [(name, None) for name in HANDLERS]


def test_an_unknown_key_says_which_keys_exist():
    with pytest.raises(ValueError) as raised:
        macros_py.dispatch("chekc")
    message = str(raised.value)
    assert "'chekc'" in message and all(b.key in message for b in BUTTONS)


def test_the_handlers_module_has_every_handler():
    if importlib.util.find_spec("macros_py.handlers") is None:
        pytest.skip("macros_py/handlers.py is not on this branch yet")
    from macros_py import handlers

    missing = [b.handler for b in BUTTONS if not callable(getattr(handlers, b.handler, None))]
    assert not missing


def test_the_button_list_needs_no_excel():
    # WPS and the build read the list on machines without xlwings: importing it must not load it
    code = "import sys, macros_py, macros_py.buttons; sys.exit('xlwings' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
