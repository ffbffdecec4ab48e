"""Surfaces: where a Plan (workbook.plan) is carried out, and what planners may read there.

- `package.PackageSurface`: a workbook file patched in its package (fill, mark and clear: only what
  a plan changes is rewritten; docs/preservation.md);
- `openpyxl_book.OpenpyxlSurface`: a workbook file loaded with openpyxl (the reference in tests);
- `macros_py.surface.XlwingsSurface`: the workbook open in Excel (no xlwings in the core);
- a JSON action list for the WPS add-in and the browser page.
Surfaces carry plans out; they decide nothing.
"""
