"""Surfaces: where a Plan (workbook.plan) is carried out, and what planners may read there.

The protocol every button runs on is `surface.Surface` (grid, looks, apply, finish, and the
host's part: progress, the saved file, opening a new workbook, printing a PDF). Implemented by:
- `package.PackageSurface`: a workbook file patched in its package (fill, mark and clear: only what
  a plan changes is rewritten; docs/preservation.md);
- `macros_py.surface.XlwingsSurface`: the workbook open in Excel (no xlwings in the core);
- `serve.snapshot.Snapshot`: the workbook open in WPS, its plan sent back as the JSON action list
  of `actions`.
`openpyxl_book.OpenpyxlSurface` (a file loaded with openpyxl) is the reference in tests.
Surfaces carry plans out; they decide nothing.
"""
