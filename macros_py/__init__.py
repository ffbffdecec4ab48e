"""The Excel side of budgetbook: what the ribbon buttons run (through xlwings' RunPython).

The add-in's VBA calls `macros_py.dispatch(key)` with the key of the pressed button.
"""
from __future__ import annotations

import importlib

from workbook.buttons import button


def dispatch(key: str):
    """Run the ribbon button `key` on the workbook Excel has active."""
    button(key)  # an unknown key says which keys exist, before xlwings is loaded
    # imported here, not at the top: the handlers need xlwings, the button list must not
    handlers = importlib.import_module("macros_py.handlers")
    return handlers.press(key)
