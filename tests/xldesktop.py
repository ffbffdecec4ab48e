"""Desktop Excel without Excel: xlwings' own Windows code (xlwings/_xlwindows.py, as installed)
run over a stand-in of Excel's COM objects that counts every call it receives.

On Windows, xlwings talks to Excel through pywin32: every property read, property write and
method call on a COM object is one IDispatch::Invoke, a round trip into the Excel process
(about a millisecond, more while Excel is busy). The remote engine (tests/xlremote.py) records
xlwings' high-level actions instead, so it cannot show what a handler costs on the desktop. Here
the real `_xlwindows` module is imported with the Windows-only modules it needs at import time
replaced by inert stand-ins (it never reaches them on the paths the handlers take: the pywin32
classes it tests results against, MessageBox for `alert`), and its `Book` is given `Workbook`
below. Each object of the stand-in counts, per call, the kind ("get", "set", "call") and the
member (`Range.Interior`, `Interior.Color`, `Worksheet.Range`); a collection called like a
function (`Worksheets("表六")`) is its `Item`, and an enumeration counts `_NewEnum` and one `Next`
per item, as pywin32 fetches them.

What the stand-in answers follows Excel's documented behaviour (tests/test_desktop_calls.py
checks each path the handlers use against the xlwings code that issues it): a property read over
cells that disagree gives Null (None); `Range("A1:B2,D5")` is a union of areas, an address
string at most 255 characters; `AddComment` on a cell that has one fails; a protected sheet
refuses writes to locked cells (the template's named style `bb-derived` is locked). What is not
known about real Excel is listed in docs/excel-addin.md.

`desktop_book(path)` gives an `xw.Book` over the workbook file's values, fills, named styles,
merges, notes and sheet protection; `book.api.excel.calls` is the list of calls.
"""
from __future__ import annotations

import ctypes
import re
import importlib.util
import sys
import types
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

import xlwings as xw

XL_NONE = -4142  # xlColorIndexNone
WHITE = 16777215


# --- xlwings' Windows implementation, imported on Linux -------------------------------------

class _Dispatch:
    """Stands for pywin32's CDispatch: what xlwings' retry wrapper wraps."""


class ComError(Exception):
    def __init__(self, hresult=-2147352567, text=""):
        super().__init__(hresult, text, None, None)
        self.hresult, self.excepinfo = hresult, (0, "Microsoft Excel", text, None, 0, hresult)


def _stub_modules() -> dict[str, types.ModuleType]:
    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        return m

    com_error = type("com_error", (ComError,), {})
    pywintypes = module("pywintypes", com_error=com_error, error=com_error,
                        TimeType=type("TimeType", (), {}))
    win32com = module("win32com")
    client = module("win32com.client", CDispatch=_Dispatch, CoClassBaseClass=type("CoClassBaseClass", (), {}),
                    DispatchBaseClass=type("DispatchBaseClass", (), {}), Dispatch=None, DispatchEx=None)
    win32com.client = client
    win32con = module("win32con", MB_OK=0, MB_OKCANCEL=1, MB_YESNO=4, MB_YESNOCANCEL=3,
                      MB_ICONINFORMATION=64, MB_ICONWARNING=48)
    return {
        "pywintypes": pywintypes,
        "win32api": module("win32api", MessageBox=lambda hwnd, text, title, style: 1),
        "win32con": win32con,
        "pythoncom": module("pythoncom", __file__="pythoncom", ole_error=com_error, CoInitialize=lambda: None),
        "win32com": win32com, "win32com.client": client,
        "win32gui": module("win32gui", FindWindowEx=lambda *args: 0), "win32timezone": module("win32timezone"),
        "win32process": module("win32process", GetWindowThreadProcessId=lambda hwnd: (1, 4242)),
    }


class _Dll:
    def __getattr__(self, name):
        return _Dll()

    def __call__(self, *args, **kwargs):
        return 0


@contextmanager
def _windows_imports():
    saved_modules = {name: sys.modules.get(name) for name in _stub_modules()}
    saved_ctypes = {name: getattr(ctypes, name, None) for name in ("windll", "oledll", "PyDLL")}
    sys.modules.update(_stub_modules())
    ctypes.windll = ctypes.oledll = _Dll()
    ctypes.PyDLL = lambda path: _Dll()
    try:
        yield
    finally:
        for name, value in saved_modules.items():
            if value is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = value
        for name, value in saved_ctypes.items():
            if value is None:
                delattr(ctypes, name)
            else:
                setattr(ctypes, name, value)


def xlwindows():
    """xlwings' Windows implementation module (loaded once, from the installed xlwings)."""
    name = "xlwings._xlwindows"
    if name not in sys.modules:
        path = Path(xw.__file__).parent / "_xlwindows.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        module.WindowsError = OSError  # a builtin on Windows only
        with _windows_imports():
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
        module.com_error = module.pywintypes.com_error
        module.N_COM_ATTEMPTS = 1  # the stand-in is never busy: a failed call is not tried again
    return sys.modules[name]


# --- the counted COM objects ----------------------------------------------------------------

def _raw(obj):
    """The stand-in object behind xlwings' retry wrapper (what pywin32 would pass to Excel)."""
    return object.__getattribute__(obj, "_inner") if type(obj).__name__ == "COMRetryObjectWrapper" else obj


def _counted(kind):
    def wrap(fn):
        name = fn.__name__

        def method(self, *args, **kwargs):
            self._excel.count(kind, type(self).__name__, name)
            return fn(self, *args, **kwargs)

        method.__name__ = name
        return method
    return wrap


method = _counted("call")


def prop(getter=None, setter=None):
    """A COM property: each read and each write is one call."""
    def get(self):
        self._excel.count("get", type(self).__name__, getter.__name__)
        return getter(self)

    def put(self, value):
        self._excel.count("set", type(self).__name__, getter.__name__)
        setter(self, value)

    return property(get, put if setter else None)


class _Unknown:
    """pywin32's answer for a member the object does not have (DISP_E_UNKNOWNNAME)."""

    def GetIDsOfNames(self, lcid, name):
        raise xlwindows().com_error(-2147352570, f"unknown name {name}")


class Com(_Dispatch):
    _oleobj_ = _Unknown()

    def __init__(self, excel: "Excel"):
        object.__setattr__(self, "_excel", excel)

    def __setattr__(self, name, value):
        if not isinstance(getattr(type(self), name, None), property):
            raise xlwindows().com_error(-2147352570, f"{type(self).__name__} has no property {name}")
        object.__setattr__(self, name, value)


class Excel:
    """The process: its calls, the application and its workbooks."""

    def __init__(self):
        self.calls: list[tuple[str, str, str]] = []
        self.application = Application(self)

    def count(self, kind: str, owner: str, member: str) -> None:
        self.calls.append((kind, owner, member))

    def counted(self) -> Counter:
        return Counter(f"{owner}.{member}" for _, owner, member in self.calls)


class Application(Com):
    def __init__(self, excel):
        super().__init__(excel)
        object.__setattr__(self, "state", {"ScreenUpdating": True, "EnableEvents": True, "Calculation": -4105,
                                           "DisplayAlerts": True, "StatusBar": False})
        object.__setattr__(self, "books", [])
        object.__setattr__(self, "selection", None)
        object.__setattr__(self, "opened", [])

    def _setting(name):  # noqa: N805 - builds the properties below
        def getter(self):
            return self.state[name]
        getter.__name__ = name

        def setter(self, value):
            self.state[name] = value
        return prop(getter, setter)

    ScreenUpdating = _setting("ScreenUpdating")
    EnableEvents = _setting("EnableEvents")
    Calculation = _setting("Calculation")
    DisplayAlerts = _setting("DisplayAlerts")
    StatusBar = _setting("StatusBar")
    del _setting

    def Hwnd(self):
        return 1
    Hwnd = prop(Hwnd)

    def Selection(self):
        return self.selection
    Selection = prop(Selection)

    def ActiveWorkbook(self):
        return self.books[0]
    ActiveWorkbook = prop(ActiveWorkbook)

    def Workbooks(self):
        return Workbooks(self._excel)
    Workbooks = prop(Workbooks)


class Workbooks(Com):
    def __call__(self, key):  # Workbooks(name): the default member, Item
        self._excel.count("call", "Workbooks", "Item")
        books = self._excel.application.books
        found = books[key - 1] if isinstance(key, int) and 0 < key <= len(books) else next(
            (b for b in books if b.meta["Name"] == key), None)
        if found is None:
            raise xlwindows().com_error(-2147352565, "下标越界。")
        return found

    def Application(self):
        return self._excel.application
    Application = prop(Application)

    @method
    def Open(self, path, *args):
        app = self._excel.application
        book = Workbook.from_file(self._excel, Path(path))
        app.books.insert(0, book)  # Excel shows what it opens: it becomes the active workbook
        app.opened.append(str(path))
        return book

    def Count(self):
        return len(self._excel.application.books)
    Count = prop(Count)


class Workbook(Com):
    def __init__(self, excel, name: str, fullname: str, saved: bool = True):
        super().__init__(excel)
        object.__setattr__(self, "sheets", [])
        object.__setattr__(self, "meta", {"Name": name, "FullName": fullname, "Saved": saved, "active": None})

    @classmethod
    def from_file(cls, excel: Excel, path: Path, *, saved: bool = True) -> "Workbook":
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path)
        book = cls(excel, path.name, str(path), saved)
        for ws, fs in zip(values.worksheets, formulas.worksheets):
            book.sheets.append(Worksheet.from_openpyxl(book, ws, fs))
        book.meta["active"] = book.sheets[values.index(values.active)] if book.sheets else None
        return book

    def Name(self):
        return self.meta["Name"]
    Name = prop(Name)

    def FullName(self):
        return self.meta["FullName"]
    FullName = prop(FullName)

    def Path(self):
        full = self.meta["FullName"]
        return str(Path(full).parent) if "\\" in full or "/" in full else ""
    Path = prop(Path)

    def Saved(self):
        return self.meta["Saved"]
    Saved = prop(Saved)

    def Application(self):
        return self._excel.application
    Application = prop(Application)

    def ActiveSheet(self):
        return self.meta["active"]
    ActiveSheet = prop(ActiveSheet)

    def Worksheets(self):
        return Worksheets(self._excel, self)
    Worksheets = prop(Worksheets)


class Worksheets(Com):
    def __init__(self, excel, book):
        super().__init__(excel)
        object.__setattr__(self, "book", book)

    def __call__(self, key):
        self._excel.count("call", "Worksheets", "Item")
        sheets = self.book.sheets
        if isinstance(key, int):
            return sheets[key - 1]
        for ws in sheets:
            if ws.title == key:
                return ws
        raise xlwindows().com_error(-2147352565, "Subscript out of range")

    def __iter__(self):
        self._excel.count("call", "Worksheets", "_NewEnum")
        for ws in list(self.book.sheets):
            self._excel.count("call", "Worksheets", "Next")
            yield ws

    def Count(self):
        return len(self.book.sheets)
    Count = prop(Count)

    def Parent(self):
        return self.book
    Parent = prop(Parent)

    @method
    def Add(self, Before=None, After=None):
        Before, After = _raw(Before), _raw(After)
        ws = Worksheet(self.book, f"Sheet{len(self.book.sheets) + 1}")
        index = self.book.sheets.index(Before) if Before is not None else len(self.book.sheets)
        self.book.sheets.insert(index, ws)
        self.book.meta["active"] = ws  # Excel activates a sheet it adds
        return ws


class Worksheet(Com):
    def __init__(self, book: Workbook, title: str):
        super().__init__(book._excel)
        for name, value in (("book", book), ("title", title), ("values", {}), ("formulas", {}), ("fills", {}),
                            ("styles", {}), ("merges", []), ("comments", {}), ("widths", {}),
                            ("protection", None), ("visible", -1), ("links", {}), ("fonts", {}),
                            ("wrapped", set()), ("shapes", [])):
            object.__setattr__(self, name, value)

    @classmethod
    def from_openpyxl(cls, book, ws, fs) -> "Worksheet":
        sheet = cls(book, ws.title)
        for row in fs.iter_rows():
            for cell in row:
                at = (cell.row, cell.column)
                value = ws.cell(*at).value
                if value is not None:
                    sheet.values[at] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    sheet.formulas[at] = cell.value
                if cell.style and cell.style != "Normal":
                    sheet.styles[at] = cell.style
                if cell.fill is not None and cell.fill.patternType == "solid" and isinstance(cell.fill.fgColor.rgb, str):
                    sheet.fills[at] = cell.fill.fgColor.rgb[-6:]
                if cell.comment is not None:
                    sheet.comments[at] = Comment(sheet, at, cell.comment.text, cell.comment.author or "")
        sheet.merges.extend(tuple(range_boundaries(str(r))) for r in fs.merged_cells.ranges)  # (left, top, right, bottom)
        if fs.protection.sheet:
            sheet._protect_as(fs.protection)
        object.__setattr__(sheet, "visible", {"visible": -1, "hidden": 0, "veryHidden": 2}[ws.sheet_state])
        return sheet

    def _protect_as(self, p) -> None:
        """The file's <sheetProtection> as Excel's Protect options (a flag in the file means "not allowed")."""
        object.__setattr__(self, "protection", {
            "Password": p.password, "DrawingObjects": not p.objects, "Contents": True, "Scenarios": not p.scenarios,
            "UserInterfaceOnly": False, "AllowFormattingCells": not p.formatCells,
            "AllowFormattingColumns": not p.formatColumns, "AllowFormattingRows": not p.formatRows,
            "AllowInsertingColumns": not p.insertColumns, "AllowInsertingRows": not p.insertRows,
            "AllowInsertingHyperlinks": not p.insertHyperlinks, "AllowDeletingColumns": not p.deleteColumns,
            "AllowDeletingRows": not p.deleteRows, "AllowSorting": not p.sort, "AllowFiltering": not p.autoFilter,
            "AllowUsingPivotTables": not p.pivotTables})

    # what the stand-in knows of a cell
    def merge_of(self, r: int, c: int) -> tuple[int, int, int, int]:
        for left, top, right, bottom in self.merges:
            if top <= r <= bottom and left <= c <= right:
                return top, left, bottom, right
        return r, c, r, c

    def locked(self, at) -> bool:
        style = _template_styles().get(self.styles.get(at))
        return style is None or style.protection.locked  # Normal, like any other style, locks

    def refuse_locked(self, cells) -> None:
        if self.protection is not None and any(self.locked(at) for at in cells):
            raise xlwindows().com_error(-2146827284, "您试图更改的单元格或图表位于受保护的工作表中。")

    # members
    def Name(self):
        return self.title

    def _rename(self, value):
        object.__setattr__(self, "title", value)
    Name = prop(Name, _rename)

    def Index(self):
        return self.book.sheets.index(self) + 1
    Index = prop(Index)

    def Parent(self):
        return self.book
    Parent = prop(Parent)

    def Visible(self):
        return self.visible

    def _show(self, value):
        object.__setattr__(self, "visible", {True: -1, False: 0}.get(value, value))
    Visible = prop(Visible, _show)

    def ProtectContents(self):
        return self.protection is not None
    ProtectContents = prop(ProtectContents)

    def _option(name, default):  # noqa: N805 - builds the properties below
        def getter(self):
            return (self.protection or {}).get(name, default)
        getter.__name__ = name
        return prop(getter)

    ProtectDrawingObjects = _option("DrawingObjects", False)
    ProtectScenarios = _option("Scenarios", False)
    ProtectionMode = _option("UserInterfaceOnly", False)
    del _option

    def Protection(self):
        return Protection(self)
    Protection = prop(Protection)

    def UsedRange(self):
        cells = set(self.values) | set(self.styles) | set(self.fills) | set(self.comments)
        bottom = max((r for r, _ in cells), default=1)
        right = max((c for _, c in cells), default=1)
        return Range(self, [(1, 1, bottom, right)])
    UsedRange = prop(UsedRange)

    def Comments(self):
        return Comments(self)
    Comments = prop(Comments)

    def Hyperlinks(self):
        return Hyperlinks(self)
    Hyperlinks = prop(Hyperlinks)

    def Shapes(self):
        return Shapes(self)
    Shapes = prop(Shapes)

    @method
    def Cells(self, row, col):
        return Range(self, [(row, col, row, col)])

    @method
    def Range(self, first, second=None):
        first, second = _raw(first), _raw(second)
        if second is not None:
            a, b = first.areas[0], second.areas[0]
            return Range(self, [(min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))])
        if isinstance(first, Range):
            return first
        if len(first) > 255:
            raise xlwindows().com_error(-2146827284, "Range: address longer than 255 characters")
        areas = []
        for part in first.replace("$", "").split(","):
            left, top, right, bottom = range_boundaries(part if ":" in part else f"{part}:{part}")
            areas.append((top, left, bottom, right))
        return Range(self, areas)

    @method
    def Activate(self):
        self.book.meta["active"] = self
        books = self._excel.application.books  # a sheet of another workbook brings that workbook forward
        books.insert(0, books.pop(books.index(self.book)))

    @method
    def Select(self):
        self.book.meta["active"] = self

    @method
    def Delete(self):
        self.book.sheets.remove(self)

    @method
    def Move(self, Before=None, After=None):
        Before, After = _raw(Before), _raw(After)
        sheets = self.book.sheets
        sheets.remove(self)
        sheets.insert(sheets.index(Before) if Before is not None else sheets.index(After) + 1, self)

    @method
    def Unprotect(self, Password=None):
        if self.protection and self.protection.get("Password") and Password != self.protection["Password"]:
            raise xlwindows().com_error(-2146827284, "密码不正确。")
        object.__setattr__(self, "protection", None)

    @method
    def Protect(self, Password=None, DrawingObjects=True, Contents=True, Scenarios=True, UserInterfaceOnly=False,
                AllowFormattingCells=False, AllowFormattingColumns=False, AllowFormattingRows=False,
                AllowInsertingColumns=False, AllowInsertingRows=False, AllowInsertingHyperlinks=False,
                AllowDeletingColumns=False, AllowDeletingRows=False, AllowSorting=False, AllowFiltering=False,
                AllowUsingPivotTables=False):
        options = dict(locals())
        del options["self"]
        object.__setattr__(self, "protection", options)


class Protection(Com):
    """Worksheet.Protection: the Allow… options of a protected sheet, read-only (set through Protect)."""

    def __init__(self, sheet: Worksheet):
        super().__init__(sheet._excel)
        object.__setattr__(self, "sheet", sheet)

    def __getattr__(self, name):
        if name.startswith("Allow"):
            self._excel.count("get", "Protection", name)
            return (self.sheet.protection or {}).get(name, False)
        raise AttributeError(name)


class Range(Com):
    def __init__(self, sheet: Worksheet, areas):
        super().__init__(sheet._excel)
        object.__setattr__(self, "sheet", sheet)
        object.__setattr__(self, "areas", list(areas))  # (top, left, bottom, right)

    def cells(self):
        for top, left, bottom, right in self.areas:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    yield r, c

    def _common(self, values):
        values = list(values)
        return values[0] if values and all(v == values[0] for v in values) else None

    def Value(self):
        top, left, bottom, right = self.areas[0]
        grid = tuple(tuple(self.sheet.values.get((r, c)) for c in range(left, right + 1))
                     for r in range(top, bottom + 1))
        return grid[0][0] if (top, left) == (bottom, right) else grid

    def _write(self, data):
        top, left, bottom, right = self.areas[0]
        rows = data if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)) else [[data]]
        cells = [(top + i, left + j) for i, row in enumerate(rows) for j, _ in enumerate(row)]
        self.sheet.refuse_locked(cells)
        for (r, c), value in zip(cells, (v for row in rows for v in row)):
            if value in ("", None):
                self.sheet.values.pop((r, c), None)
            else:
                self.sheet.values[r, c] = float(value) if isinstance(value, int) and not isinstance(value, bool) else value
            self.sheet.formulas.pop((r, c), None)
    Value = prop(Value, _write)

    def Formula(self):
        top, left, bottom, right = self.areas[0]

        def text(at):
            if at in self.sheet.formulas:
                return self.sheet.formulas[at]
            value = self.sheet.values.get(at)
            return "" if value is None else str(value)
        grid = tuple(tuple(text((r, c)) for c in range(left, right + 1)) for r in range(top, bottom + 1))
        return grid[0][0] if (top, left) == (bottom, right) else grid

    def _enter(self, data):
        """Formulas typed in: HYPERLINK("#where","text") shows its text and links; others are kept
        as their text (the stand-in calculates nothing else)."""
        top, left, bottom, right = self.areas[0]
        rows = data if isinstance(data, (list, tuple)) and data and isinstance(data[0], (list, tuple)) else [[data]]
        cells = [((top + i, left + j), v) for i, row in enumerate(rows) for j, v in enumerate(row)]
        self.sheet.refuse_locked([at for at, _ in cells])
        for at, text in cells:
            link = re.fullmatch(r'=HYPERLINK\("#((?:[^"]|"")*)","((?:[^"]|"")*)"\)', text or "")
            if link:
                self.sheet.formulas[at] = text
                self.sheet.values[at] = link.group(2).replace('""', '"')
                self.sheet.links[at] = link.group(1).replace('""', '"')
            elif text in ("", None):
                self.sheet.values.pop(at, None)
            else:
                self.sheet.values[at] = text
    Formula = prop(Formula, _enter)

    def Row(self):
        return self.areas[0][0]
    Row = prop(Row)

    def Column(self):
        return self.areas[0][1]
    Column = prop(Column)

    def Rows(self):
        return Count(self._excel, "Rows", self.areas[0][2] - self.areas[0][0] + 1)
    Rows = prop(Rows)

    def Columns(self):
        return Count(self._excel, "Columns", self.areas[0][3] - self.areas[0][1] + 1)
    Columns = prop(Columns)

    def Count(self):
        return sum(1 for _ in self.cells())
    Count = prop(Count)

    def Worksheet(self):
        return self.sheet
    Worksheet = prop(Worksheet)

    def Address(self):
        parts = []
        for top, left, bottom, right in self.areas:
            first = f"${get_column_letter(left)}${top}"
            parts.append(first if (top, left) == (bottom, right) else f"{first}:${get_column_letter(right)}${bottom}")
        return ",".join(parts)
    Address = prop(Address)

    def Interior(self):
        return Interior(self)
    Interior = prop(Interior)

    def Font(self):
        return Font(self)
    Font = prop(Font)

    def Style(self):
        name = self._common(self.sheet.styles.get(at, "Normal") for at in self.cells())
        return None if name is None else Style(self._excel, name)

    def _restyle(self, name):
        style = _template_styles().get(name)
        fill = style.fill if style is not None else None
        for at in self.cells():
            self.sheet.styles[at] = name
            if fill is not None and fill.patternType == "solid":  # a named style brings its own fill
                self.sheet.fills[at] = fill.fgColor.rgb[-6:]
            else:
                self.sheet.fills.pop(at, None)
    Style = prop(Style, _restyle)

    def MergeArea(self):
        top, left, bottom, right = self.sheet.merge_of(*self.areas[0][:2])
        return Range(self.sheet, [(top, left, bottom, right)])
    MergeArea = prop(MergeArea)

    def MergeCells(self):
        return self._common(self.sheet.merge_of(*at)[:2] != self.sheet.merge_of(*at)[2:] for at in self.cells())
    MergeCells = prop(MergeCells)

    def Comment(self):
        return self.sheet.comments.get(self.areas[0][:2])
    Comment = prop(Comment)

    def Hyperlinks(self):
        return Hyperlinks(self.sheet)
    Hyperlinks = prop(Hyperlinks)

    def ColumnWidth(self):
        return self.sheet.widths.get(self.areas[0][1], 8.43)

    def _width(self, value):
        for top, left, bottom, right in self.areas:
            for c in range(left, right + 1):
                self.sheet.widths[c] = value
    ColumnWidth = prop(ColumnWidth, _width)

    def WrapText(self):
        return self._common(at in self.sheet.wrapped for at in self.cells())

    def _wrap(self, value):
        for at in self.cells():
            (self.sheet.wrapped.add if value else self.sheet.wrapped.discard)(at)
    WrapText = prop(WrapText, _wrap)

    def __call__(self, row, col=1):
        self._excel.count("call", "Range", "Item")  # a range called is its default member, Item
        top, left = self.areas[0][:2]
        return Range(self.sheet, [(top + row - 1, left + col - 1, top + row - 1, left + col - 1)])

    @method
    def AddComment(self, text=None):
        at = self.areas[0][:2]
        if len(list(self.cells())) != 1 or at in self.sheet.comments:
            raise xlwindows().com_error(-2146827284, "AddComment: the cell has a note, or is not one cell")
        comment = Comment(self.sheet, at, text or "", "")
        self.sheet.comments[at] = comment
        self.sheet.shapes.append(comment)
        return comment

    @method
    def Select(self):
        object.__setattr__(self._excel.application, "selection", self)


class Count(Com):
    def __init__(self, excel, owner, n):
        super().__init__(excel)
        object.__setattr__(self, "owner", owner)
        object.__setattr__(self, "n", n)

    def Count(self):
        return self.n
    Count = prop(Count)


class Interior(Com):
    def __init__(self, rng: Range):
        super().__init__(rng._excel)
        object.__setattr__(self, "rng", rng)

    def _fills(self):
        return [self.rng.sheet.fills.get(at) for at in self.rng.cells()]

    def ColorIndex(self):
        fills = self._fills()
        if all(f is None for f in fills):
            return XL_NONE
        if any(f is None for f in fills):
            return None
        return self.rng._common(_palette_index(f) for f in fills)

    def _set_index(self, value):
        if value != XL_NONE:
            raise NotImplementedError("only xlColorIndexNone is modelled")
        for at in self.rng.cells():
            self.rng.sheet.fills.pop(at, None)
    ColorIndex = prop(ColorIndex, _set_index)

    def Color(self):
        fills = self._fills()
        colours = [WHITE if f is None else _bgr(f) for f in fills]
        return self.rng._common(colours)

    def _set_colour(self, value):
        rgb = f"{value & 0xFF:02X}{(value >> 8) & 0xFF:02X}{(value >> 16) & 0xFF:02X}"
        for at in self.rng.cells():
            self.rng.sheet.fills[at] = rgb
    Color = prop(Color, _set_colour)


class Font(Com):
    def __init__(self, rng):
        super().__init__(rng._excel)
        object.__setattr__(self, "rng", rng)

    def _font(name):  # noqa: N805
        def getter(self):
            return self.rng._common(self.rng.sheet.fonts.get((at, name)) for at in self.rng.cells())
        getter.__name__ = name

        def setter(self, value):
            for at in self.rng.cells():
                self.rng.sheet.fonts[(at, name)] = value
        return prop(getter, setter)

    Bold = _font("Bold")
    Color = _font("Color")
    Size = _font("Size")
    Underline = _font("Underline")
    del _font


class Style(Com):
    def __init__(self, excel, name):
        super().__init__(excel)
        object.__setattr__(self, "name", name)

    def Name(self):
        return self.name
    Name = prop(Name)


class Comment(Com):
    def __init__(self, sheet, at, text, author):
        super().__init__(sheet._excel)
        for name, value in (("sheet", sheet), ("at", at), ("text", text), ("author", author),
                            ("size", [None, None])):
            object.__setattr__(self, name, value)

    @method
    def Text(self, Text=None, Start=None, Overwrite=None):
        if Text is not None:
            object.__setattr__(self, "text", Text)
        return self.text

    def Author(self):
        return self.author
    Author = prop(Author)

    def Parent(self):
        return Range(self.sheet, [(*self.at, *self.at)])
    Parent = prop(Parent)

    def Shape(self):
        return CommentShape(self)
    Shape = prop(Shape)

    @method
    def Delete(self):
        del self.sheet.comments[self.at]
        self.sheet.shapes.remove(self)


class CommentShape(Com):
    def __init__(self, comment):
        super().__init__(comment._excel)
        object.__setattr__(self, "comment", comment)

    def Width(self):
        return self.comment.size[0]

    def _width(self, value):
        self.comment.size[0] = value
    Width = prop(Width, _width)

    def Height(self):
        return self.comment.size[1]

    def _height(self, value):
        self.comment.size[1] = value
    Height = prop(Height, _height)


class Comments(Com):
    def __init__(self, sheet):
        super().__init__(sheet._excel)
        object.__setattr__(self, "sheet", sheet)

    def __iter__(self):
        self._excel.count("call", "Comments", "_NewEnum")
        for comment in sorted(self.sheet.comments.values(), key=lambda c: (c.at[1], c.at[0])):
            self._excel.count("call", "Comments", "Next")
            yield comment

    def Count(self):
        return len(self.sheet.comments)
    Count = prop(Count)


class Shapes(Com):
    """The sheet's drawing layer: every note is a shape, in the order they were added."""

    def __init__(self, sheet):
        super().__init__(sheet._excel)
        object.__setattr__(self, "sheet", sheet)

    def Count(self):
        return len(self.sheet.shapes)
    Count = prop(Count)

    @method
    def Range(self, indexes):
        shapes = self.sheet.shapes
        return ShapeRange(self.sheet, [shapes[i - 1] for i in indexes])


class ShapeRange(Com):
    def __init__(self, sheet, comments):
        super().__init__(sheet._excel)
        object.__setattr__(self, "comments", comments)

    def Width(self):
        return None

    def _width(self, value):
        for comment in self.comments:
            comment.size[0] = value
    Width = prop(Width, _width)

    def Height(self):
        return None

    def _height(self, value):
        for comment in self.comments:
            comment.size[1] = value
    Height = prop(Height, _height)


class Hyperlinks(Com):
    def __init__(self, sheet):
        super().__init__(sheet._excel)
        object.__setattr__(self, "sheet", sheet)

    @method
    def Add(self, Anchor, Address, SubAddress=None, ScreenTip=None, TextToDisplay=None):
        self.sheet.links[_raw(Anchor).areas[0][:2]] = SubAddress or Address


def _bgr(rgb: str) -> int:
    return int(rgb[0:2], 16) + int(rgb[2:4], 16) * 256 + int(rgb[4:6], 16) * 65536


def _palette_index(rgb: str) -> int:
    return 1 + _bgr(rgb) % 55  # any fill has some palette index; equal colours, equal indexes


def _template_styles() -> dict:
    from workbook.styles import STYLES

    return {style.name: style for style in STYLES.values()}


def desktop_book(path: Path, *, saved: bool = True, excel: Excel | None = None) -> xw.Book:
    """An xlwings Book on xlwings' Windows implementation over a counting stand-in of Excel
    holding the workbook `path`."""
    impl = xlwindows()
    excel = excel or Excel()
    book = Workbook.from_file(excel, Path(path), saved=saved)
    excel.application.books.insert(0, book)
    active = book.meta["active"]
    if active is not None:
        object.__setattr__(excel.application, "selection", Range(active, [(1, 1, 1, 1)]))
    return xw.Book(impl=impl.Book(xl=impl.COMRetryObjectWrapper(book)))


def calls_of(book: xw.Book) -> list[tuple[str, str, str]]:
    return book.impl.xl._inner._excel.calls


def sheet_of(book: xw.Book, name: str) -> Worksheet:
    return next(ws for ws in book.impl.xl._inner.sheets if ws.title == name)


def address(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


def cell(addr: str) -> tuple[int, int]:
    return coordinate_to_tuple(addr)
