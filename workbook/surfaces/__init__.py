"""Surfaces: where a Plan (workbook.plan) is carried out, and what planners may read there.

- `openpyxl_book.OpenpyxlSurface`: a workbook file loaded with openpyxl (today's file path);
- `macros_py.surface.XlwingsSurface`: the workbook open in Excel (no xlwings in the core);
- a JSON action list for the WPS add-in and the browser page.
Surfaces carry plans out; they decide nothing.
"""
