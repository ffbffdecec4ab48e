"""The Excel side of budgetbook: what the ribbon buttons run (through xlwings' RunPython).

The add-in's VBA calls `macros_py.dispatch(key)` with the key of the pressed button.
"""
from __future__ import annotations

import importlib

from .buttons import button


def dispatch(key: str):
    """Run the handler of the ribbon button `key` on the workbook Excel has active."""
    handler = button(key).handler
    # imported here, not at the top: the handlers need xlwings, the button list must not
    handlers = importlib.import_module("macros_py.handlers")
    return getattr(handlers, handler)()
