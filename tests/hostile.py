"""A corpus of hostile and broken inputs, made at test time (no committed binaries), each with the
outcome a user must see: the exit status and a phrase of the one sentence.

`CASES` lists them; `build(case, folder, filled)` makes the files of one case from the filled
example and returns the command line to run. Zip members are written with the standard library,
sizes and flags patched by hand where the case is a lie about them.
"""
from __future__ import annotations

import os
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl


@dataclass
class Case:
    id: str
    make: Callable[[Path, Path], list]  # (folder, filled example) -> command line arguments
    exit: int
    phrase: str  # in stderr for exit 2, else in stdout + stderr
    fills: bool = False  # also refused by fill (same sentence)


def _copy_members(filled: Path, out: Path, change=None, extra=(), method=zipfile.ZIP_DEFLATED) -> Path:
    """The filled example re-zipped, `change(name, data) -> data` applied to each member."""
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if change:
                data = change(info.filename, data)
            dst.writestr(info.filename, data)
        for name, data in extra:
            dst.writestr(name, data)
    return out


# the part of 表一: the template's first sheet is 填表说明, which no reader reads
TABLE_ONE = "xl/worksheets/sheet2.xml"


def _sheet1(change):
    """Change the sheet XML of 表一 (a table every command reads)."""
    def apply(name, data):
        return change(data) if name == TABLE_ONE else data
    return apply


def _add_cell(ref: str, value: bytes = b"<v>1</v>", empty: bool = False):
    row = int("".join(ch for ch in ref if ch.isdigit()))
    cell = f'<c r="{ref}" s="1"/>'.encode() if empty else f'<c r="{ref}">'.encode() + value + b"</c>"
    return _sheet1(lambda d: d.replace(b"</sheetData>", f'<row r="{row}">'.encode() + cell + b"</row></sheetData>", 1))


def _patch_sizes(path: Path, name: str, *, size: int | None = None, crc: int | None = None,
                 flags: int | None = None, method: int | None = None, packed: int | None = None) -> Path:
    """Rewrite what the local header and the central directory say about one member."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    local = data.find(b"PK\x03\x04" + b"")
    while local >= 0:
        n, e = struct.unpack_from("<HH", data, local + 26)
        if bytes(data[local + 30:local + 30 + n]) == encoded:
            _patch(data, local, size, crc, flags, method, packed, local=True)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + n]) == encoded:
            _patch(data, central, size, crc, flags, method, packed, local=False)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def _patch(data, at, size, crc, flags, method, packed, *, local):
    o = 0 if local else 2  # the central directory has "version made by" first
    if flags is not None:
        struct.pack_into("<H", data, at + 6 + o, flags)
    if method is not None:
        struct.pack_into("<H", data, at + 8 + o, method)
    if crc is not None:
        struct.pack_into("<I", data, at + 14 + o, crc)
    if packed is not None:
        struct.pack_into("<I", data, at + 18 + o, packed)
    if size is not None:
        struct.pack_into("<I", data, at + 22 + o, size)


def _deflate_member(out: Path, name: str, payload: bytes, filled: Path) -> Path:
    return _copy_members(filled, out, extra=[(name, payload)])


# --- the cases ---------------------------------------------------------------------------------

def _missing(folder, filled):
    return ["check", folder / "没有这个文件.xlsx"]


def _directory(folder, filled):
    (folder / "文件夹.xlsx").mkdir()
    return ["fill", folder / "文件夹.xlsx", "-o", folder / "out.xlsx"]


def _fifo(folder, filled):
    os.mkfifo(folder / "管道.xlsx")
    return ["check", folder / "管道.xlsx"]


def _fifo_fill(folder, filled):
    os.mkfifo(folder / "管道.xlsx")
    return ["fill", folder / "管道.xlsx", "-o", folder / "out.xlsx"]


def _device(folder, filled):
    return ["check", Path(os.devnull)]


def _socket(folder, filled):
    path = folder / "s.xlsx"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()
    return ["check", path]


def _empty(folder, filled):
    (folder / "空.xlsx").write_bytes(b"")
    return ["check", folder / "空.xlsx"]


def _long_name(folder, filled):
    return ["check", folder / ("预" * 100 + ".xlsx")]


def _long_output(folder, filled):
    return ["fill", filled, "-o", folder / ("预" * 100 + ".xlsx")]


def _not_a_folder(folder, filled):
    return ["check", filled / "x.xlsx"]


def _loop(folder, filled):
    (folder / "a.xlsx").symlink_to(folder / "b.xlsx")
    (folder / "b.xlsx").symlink_to(folder / "a.xlsx")
    return ["check", folder / "a.xlsx"]


def _dangling(folder, filled):
    (folder / "link.xlsx").symlink_to(folder / "gone.xlsx")
    return ["check", folder / "link.xlsx"]


def _text(folder, filled):
    (folder / "t.xlsx").write_text("部门预算", "utf-8")
    return ["check", folder / "t.xlsx"]


def _xls(folder, filled):
    (folder / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    return ["check", folder / "old.xlsx"]


def _encrypted(folder, filled):
    (folder / "pw.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
                                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100)
    return ["fill", folder / "pw.xlsx", "-o", folder / "out.xlsx"]


def _truncated(folder, filled):
    data = filled.read_bytes()
    (folder / "half.xlsx").write_bytes(data[: len(data) // 2])
    return ["check", folder / "half.xlsx"]


def _garbage_zip(folder, filled):
    (folder / "g.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(2000))
    return ["check", folder / "g.xlsx"]


def _other_zip(folder, filled):
    with zipfile.ZipFile(folder / "z.xlsx", "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    return ["check", folder / "z.xlsx"]


def _declared_huge(folder, filled):
    path = _copy_members(filled, folder / "bomb.xlsx", extra=[("xl/media/big.bin", b"0" * 1000)])
    _patch_sizes(path, "xl/media/big.bin", size=0xF0000000)
    return ["check", path]


def _declared_total(folder, filled):
    extra = [(f"xl/media/part{i}.bin", b"0" * 1000) for i in range(3)]
    path = _copy_members(filled, folder / "total.xlsx", extra=extra)
    for name, _ in extra:
        _patch_sizes(path, name, size=400 << 20, packed=300 << 20)  # a sane ratio, a huge total
    return ["check", path]


def _ratio(folder, filled):
    return ["check", _deflate_member(folder / "ratio.xlsx", "xl/media/zeros.bin", b"\0" * (12 << 20), filled)]


def _lying(folder, filled):
    payload = b"\0" * (8 << 20)
    path = _deflate_member(folder / "liar.xlsx", "xl/media/liar.bin", payload, filled)
    _patch_sizes(path, "xl/media/liar.bin", size=100, crc=zlib.crc32(payload[:100]))
    return ["check", path]


def _bad_crc(folder, filled):
    path = _copy_members(filled, folder / "crc.xlsx")
    _patch_sizes(path, "xl/worksheets/sheet2.xml", crc=0x12345678)
    return ["check", path]


def _bzip2(folder, filled):
    return ["check", _copy_members(filled, folder / "bz.xlsx", method=zipfile.ZIP_BZIP2)]


def _encrypted_member(folder, filled):
    path = _copy_members(filled, folder / "enc.xlsx")
    _patch_sizes(path, "xl/worksheets/sheet3.xml", flags=0x1)
    return ["check", path]


def _many_members(folder, filled):
    extra = [(f"customXml/item{i}.xml", b"<a/>") for i in range(10_001)]
    return ["check", _copy_members(filled, folder / "many.xlsx", extra=extra)]


def _stray(ref):
    def make(folder, filled):
        return ["check", _copy_members(filled, folder / "stray.xlsx", _add_cell(ref))]
    return make


FAR = "CV200000"  # inside the size limits (200,000 rows; 100 × 200,000 = the 20 million cells)


def far_stray(filled: Path, out: Path, sheet: str = "表十", ref: str = FAR, xml: bytes = b"<v>123.45</v>") -> Path:
    """`filled` with one number far out on `sheet`, inside the size limits (表十!CV200000): read
    densely, it made `check` take 20 million cells and `export` 5 GB."""
    from workbook.safety import _sheet_parts

    with zipfile.ZipFile(filled) as archive:
        part = next(p for p, name in _sheet_parts(archive).items() if name == sheet)
    row = int("".join(ch for ch in ref if ch.isdigit()))
    cell = f'<row r="{row}"><c r="{ref}">'.encode() + xml + b"</c></row></sheetData>"
    return _copy_members(filled, out, lambda name, data: data.replace(b"</sheetData>", cell, 1) if name == part else data)


def native_crash(filled: Path, out: Path) -> Path:
    """A file that kills the process reading it, once the size limits are raised: a value in
    XFD1048576 on a sheet that python-calamine reads whole (a sheet holding NaN, which openpyxl's
    streaming reader cannot take), so calamine asks for 512 GB and Rust aborts under a memory limit."""
    nan = _add_cell("A1048575", b"<v>NaN</v>")
    return _copy_members(filled, out, lambda name, data: _add_cell("XFD1048576")(name, nan(name, data)))


def _far_check(folder, filled):
    return ["check", far_stray(filled, folder / "far.xlsx")]


def _far_out(command: str):
    def make(folder, filled):
        return [command, far_stray(filled, folder / "far.xlsx"), "-o", folder / "out.xlsx"]
    return make


def _stray_fill(folder, filled):
    path = _copy_members(filled, folder / "stray.xlsx", _add_cell("XFD1048576"))
    return ["fill", path, "-o", folder / "out.xlsx"]


def _raw_rows(name: str, xml: bytes):
    """Rows of raw sheet XML appended to 表一, as a hand-made or hostile writer puts them."""
    def make(folder, filled):
        change = _sheet1(lambda d: d.replace(b"</sheetData>", xml + b"</sheetData>", 1))
        return ["check", _copy_members(filled, folder / name, change)]
    return make


def _raw_rows_fill(name: str, xml: bytes):
    def make(folder, filled):
        args = _raw_rows(name, xml)(folder, filled)
        return ["fill", args[1], "-o", folder / "out.xlsx"]
    return make


def _area(folder, filled):
    def change(d):
        d = _add_cell("ZZ2")(TABLE_ONE, d)
        return d.replace(b"</sheetData>", b'<row r="150000"><c r="A150000"><v>1</v></c></row></sheetData>', 1)
    return ["check", _copy_members(filled, folder / "area.xlsx", _sheet1(change))]


def _styled_far(folder, filled):
    return ["check", _copy_members(filled, folder / "styled.xlsx", _add_cell("XFD1048576", empty=True))]


def _styled_far_fill(folder, filled):
    path = _copy_members(filled, folder / "styled.xlsx", _add_cell("XFD1048576", empty=True))
    return ["fill", path, "-o", folder / "out.xlsx"]


def _dimension(folder, filled):
    import re

    change = _sheet1(lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', d))
    return ["check", _copy_members(filled, folder / "dim.xlsx", change)]


def _utf16_sheet(doctype: bytes = b""):
    """表一 saved as UTF-16 (LibreOffice and openpyxl read it; python-calamine sees nothing)."""
    def make(folder, filled):
        def change(d):
            body = d[d.index(b"<worksheet"):].decode("utf-8")
            head = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>' + doctype.decode()
            return (head + body).encode("utf-16")
        return ["check", _copy_members(filled, folder / "utf16.xlsx", _sheet1(change))]
    return make


def _member_named(name: str):
    def make(folder, filled):
        return ["fill", _copy_members(filled, folder / "names.xlsx", extra=[(name, b"x")]), "-o", folder / "out.xlsx"]
    return make


def _other_format(source: str, out: str | None, command: str = "fill"):
    """An .ods, .xlsb, .xls or .csv given or asked for: one sentence, the same either way."""
    def make(folder, filled):
        import shutil

        given = Path(shutil.copy(filled, folder / source)) if source.endswith((".xlsx", ".ods", ".xlsb")) else \
            folder / source
        if not given.exists():
            given.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        if command == "check":
            return ["check", given] + (["--mark", folder / out] if out else [])
        return [command, given, "-o", folder / out]
    return make


def _odd_value(value: str, kind: str = "", command: str = "check"):
    """表二!B5 (a typed figure) holding an error value or NaN/INF stored without a formula."""
    def make(folder, filled):
        import re

        def change(name, data):
            if name != "xl/worksheets/sheet3.xml":
                return data
            cell = re.search(rb'<c r="B5"[^>]*?(?:/>|>.*?</c>)', data)[0]
            kind_attr = f' t="{kind}"' if kind else ""
            return data.replace(cell, f'<c r="B5"{kind_attr}><v>{value}</v></c>'.encode(), 1)
        path = _copy_members(filled, folder / "odd.xlsx", change)
        return ["check", path] if command == "check" else ["export", path, "--out", folder, "--force"]
    return make


def _no_tables(folder, filled):
    book = openpyxl.Workbook()
    book.active["A1"] = "工资表"
    book.save(folder / "other.xlsx")
    return ["check", folder / "other.xlsx"]


def _text_money(folder, filled):
    book = openpyxl.load_workbook(filled)
    book["表二"]["B5"] = "八百九十九"
    book.save(folder / "t.xlsx")
    return ["fill", folder / "t.xlsx", "-o", folder / "out.xlsx"]


def _formula(folder, filled):
    book = openpyxl.load_workbook(filled)
    book["表二"]["B5"] = "=800+99.2"
    book.save(folder / "f.xlsx")
    return ["check", folder / "f.xlsx"]


def _huge_number(folder, filled):
    book = openpyxl.load_workbook(filled)
    book["表二"]["B5"] = 1e308
    book.save(folder / "h.xlsx")
    return ["check", folder / "h.xlsx"]


def _entities(folder, filled):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
              + b"]>")
    change = _sheet1(lambda d: laughs + d[d.index(b"<worksheet"):].replace(
        b"</sheetData>", b'<row r="70"><c r="A70" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>', 1))
    return ["check", _copy_members(filled, folder / "laughs.xlsx", change)]


def _external_entity(folder, filled):
    head = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    change = _sheet1(lambda d: head + d[d.index(b"<worksheet"):].replace(
        b"</sheetData>", b'<row r="70"><c r="A70" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>', 1))
    return ["fill", _copy_members(filled, folder / "xxe.xlsx", change), "-o", folder / "out.xlsx"]


def _outside_target(folder, filled):
    def change(name, data):
        if name == "xl/_rels/workbook.xml.rels":
            target = "/" + TABLE_ONE
            return data.replace(f'Target="{target}"'.encode(), b'Target="../../../../etc/passwd"', 1)
        return data
    return ["check", _copy_members(filled, folder / "rel.xlsx", change)]


def _broken_xml(folder, filled):
    return ["check", _copy_members(filled, folder / "xml.xlsx", _sheet1(lambda d: d[: len(d) // 2]))]


def _missing_workbook_part(folder, filled):
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(folder / "nowb.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/workbook.xml":
                dst.writestr(info.filename, src.read(info.filename))
    return ["check", folder / "nowb.xlsx"]


def _output_folder_missing(folder, filled):
    return ["fill", filled, "-o", folder / "nope" / "out.xlsx"]


def _read_only_output(folder, filled):
    path = Path(folder / "ro.xlsx")
    path.write_bytes(filled.read_bytes())
    path.chmod(0o444)
    return ["fill", path, "--in-place"]


def _nonsense_state(folder, filled):
    import shutil

    from workbook import jobs

    marked = folder / "marked.xlsx"
    jobs.check_and_mark_file(Path(shutil.copy(filled, folder / "in.xlsx")), marked)
    book = openpyxl.load_workbook(marked)
    state = book["_budgetbook_marks"]
    state["A3"], state["B3"] = 12345, "not a cell"
    state["B4"], state["G4"], state["H4"] = "ZZZZ99999999", "宽", -1e308
    state["A5"] = "=1/0"
    book.save(marked)
    return ["clear", marked, "-o", folder / "clean.xlsx"]


def _state_header_nonsense(folder, filled):
    import shutil

    from workbook import jobs

    marked = folder / "marked.xlsx"
    jobs.check_and_mark_file(Path(shutil.copy(filled, folder / "in.xlsx")), marked)
    book = openpyxl.load_workbook(marked)
    state = book["_budgetbook_marks"]
    state["B1"], state["C1"] = "版本九", 12
    book.save(marked)
    return ["clear", marked, "-o", folder / "clean.xlsx"]


def _batch_mixed(folder, filled):
    import shutil

    tree = folder / "各部门"
    (tree / "乡镇").mkdir(parents=True)
    shutil.copy(filled, tree / "甲.xlsx")
    shutil.copy(filled, tree / "乡镇" / "乙.xlsx")
    os.mkfifo(tree / "管道.xlsx")
    _copy_members(filled, tree / "乡镇" / "stray.xlsx", _add_cell("XFD1048576"))
    (tree / "~$甲.xlsx").write_bytes(b"\x04user")  # Excel's owner file: skipped
    return ["check", tree, "--no-progress"]


MISSING = "文件不存在"
DAMAGED = "已损坏或不是 Excel 工作簿"
NOT_XLSX = "不是 .xlsx 格式"
FORMATS = "只读写 .xlsx 和 .xlsm 工作簿"

CASES = [
    Case("missing-file", _missing, 2, MISSING),
    Case("directory", _directory, 2, "这是一个文件夹"),
    Case("fifo", _fifo, 2, "管道（FIFO）"),
    Case("fifo-fill", _fifo_fill, 2, "管道（FIFO）"),
    Case("device", _device, 2, "这是一个设备"),
    Case("socket", _socket, 2, "套接字"),
    Case("empty-file", _empty, 2, "文件是空的"),
    Case("name-too-long", _long_name, 2, "文件名或路径太长"),
    Case("output-name-too-long", _long_output, 2, "文件名或路径太长"),
    Case("path-through-a-file", _not_a_folder, 2, "路径中有一部分不是文件夹"),
    Case("link-loop", _loop, 2, "循环"),
    Case("dangling-link", _dangling, 2, MISSING),
    Case("plain-text", _text, 2, NOT_XLSX),
    Case("old-xls", _xls, 2, NOT_XLSX),
    Case("password", _encrypted, 2, "设置了打开密码"),
    Case("truncated", _truncated, 2, "压缩包结构无法识别"),
    Case("garbage-after-signature", _garbage_zip, 2, "压缩包结构无法识别"),
    Case("zip-not-a-workbook", _other_zip, 2, DAMAGED),
    Case("declared-huge-member", _declared_huge, 2, "解压后有"),
    Case("declared-total", _declared_total, 2, "解压后超过 1024 MB"),
    Case("ratio-bomb", _ratio, 2, "压缩比超过 100:1"),
    Case("size-lie", _lying, 2, "实际解压后比声明的大小"),
    Case("bad-crc", _bad_crc, 2, "校验和"),
    Case("bzip2", _bzip2, 2, "压缩方式"),
    Case("encrypted-member", _encrypted_member, 2, "加密"),
    Case("too-many-members", _many_members, 2, "个部件"),
    Case("stray-XFD1048576", _stray("XFD1048576"), 2, "XFD1048576 单元格有内容"),
    Case("stray-XFD1048576-fill", _stray_fill, 2, "XFD1048576 单元格有内容"),
    Case("stray-A1048576", _stray("A1048576"), 2, "A1048576 单元格有内容"),
    Case("stray-BAA1", _stray("BAA1"), 2, "BAA1 单元格有内容"),
    Case("area", _area, 2, "A150000 单元格有内容"),
    Case("stray-single-quoted", _raw_rows("q.xlsx", b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>"),
         2, "XFD1048576 单元格有内容"),
    Case("stray-single-quoted-fill", _raw_rows_fill(
        "q.xlsx", b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>"), 2, "XFD1048576 单元格有内容"),
    Case("stray-cell-without-r", _raw_rows("nor.xlsx", b'<row r="90"><c r="XFC90"/><c><v>1</v></c></row>'),
         2, "XFD90 单元格有内容"),
    Case("stray-row-without-r", _raw_rows("norow.xlsx", b'<row r="1048575"/><row><c><v>1</v></c></row>'),
         2, "A1048576 单元格有内容"),
    Case("stray-many-cells-without-r", _raw_rows("wide.xlsx", b'<row r="91">' + b"<c><v>1</v></c>" * 1200 + b"</row>"),
         2, "ATD91 单元格有内容"),
    Case("stray-r-after-quoted-gt", _raw_rows("gt.xlsx", b'<row r="92"><c s="0" x=">" r="XFD92"><v>1</v></c></row>'),
         2, "XFD92 单元格有内容"),
    Case("stray-r-as-character-reference", _raw_rows("ref.xlsx", b'<row r="93"><c r="&#88;FD93"><v>1</v></c></row>'),
         2, "XFD93 单元格有内容"),
    Case("stray-r-spaced", _raw_rows("sp.xlsx", b'<row r="94"><c\n r = "XFD94"><v>1</v></c></row>'),
         2, "XFD94 单元格有内容"),
    Case("utf16-sheet", _utf16_sheet(), 2, "UTF-16 编码保存"),
    Case("utf16-sheet-doctype", _utf16_sheet(b'<!DOCTYPE w [<!ENTITY a "aaaa">]>'), 2, "含有 XML 实体定义"),
    Case("member-named-dotdot", _member_named("../../evil.txt"), 2, "指向压缩包以外的位置"),
    Case("member-named-absolute", _member_named("/tmp/evil.txt"), 2, "指向压缩包以外的位置"),
    Case("fill-ods-to-xlsx", _other_format("f.ods", "o.xlsx"), 2, FORMATS),
    Case("fill-xlsx-to-ods", _other_format("f.xlsx", "o.ods"), 2, FORMATS),
    Case("fill-xls-to-xlsx", _other_format("f.xls", "o.xlsx"), 2, FORMATS),
    Case("clear-xlsb-to-xlsx", _other_format("f.xlsb", "o.xlsx", "clear"), 2, FORMATS),
    Case("mark-ods", _other_format("f.ods", "o.xlsx", "check"), 2, FORMATS),
    Case("check-xlsb", _other_format("f.xlsb", None, "check"), 2, FORMATS),
    Case("error-value-REF", _odd_value("#REF!", "e"), 1, "表二!B5 是 Excel 错误值 #REF!"),
    Case("error-value-NA", _odd_value("#N/A", "e"), 1, "表二!B5 是 Excel 错误值 #N/A"),
    Case("nan-value", _odd_value("NaN"), 1, "表二!B5 存的是非数字值 NaN，不是金额"),
    Case("inf-value", _odd_value("-INF"), 1, "表二!B5 存的是负无穷大，不是金额"),
    Case("export-force-REF", _odd_value("#REF!", "e", "export"), 2, "表二!B5 是错误值 #REF!，不能公开"),
    Case("export-force-DIV0", _odd_value("#DIV/0!", "e", "export"), 2, "表二!B5 是错误值 #DIV/0!，不能公开"),
    Case("export-force-NaN", _odd_value("NaN", "", "export"), 2, "B5 单元格的值是 NaN，不是数字"),
    Case("far-stray-inside-limits", _far_check, 1, "表十!CV200000"),
    Case("far-stray-inside-limits-fill", _far_out("fill"), 0, "已保存"),
    Case("styled-empty-far-cell", _styled_far, 1, "错误 1 处"),
    Case("styled-empty-far-cell-fill", _styled_far_fill, 0, "已保存"),
    Case("dimension-lie", _dimension, 1, "错误 1 处"),
    Case("no-tables", _no_tables, 2, "没有找到部门预算公开表"),
    Case("text-in-money", _text_money, 2, "表二!B5"),
    Case("formula-without-result", _formula, 1, "F.not-number"),
    Case("huge-number", _huge_number, 1, "表二!B5"),
    Case("entity-expansion", _entities, 2, "含有 XML 实体定义"),
    Case("external-entity", _external_entity, 2, "含有 XML 实体定义"),
    Case("relationship-outside", _outside_target, 2, DAMAGED),
    Case("broken-sheet-xml", _broken_xml, 2, DAMAGED),
    Case("no-workbook-part", _missing_workbook_part, 2, DAMAGED),
    Case("output-folder-missing", _output_folder_missing, 2, "不存在"),
    Case("read-only-output", _read_only_output, 2, "只读"),
    Case("nonsense-marks-state", _nonsense_state, 0, "无法识别"),
    Case("nonsense-state-header", _state_header_nonsense, 0, "已清除"),
    Case("batch-fifo-stray-owner-file", _batch_mixed, 2, "共检查 4 个工作簿"),
]
