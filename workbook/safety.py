"""Hostile and broken input files: refused in one sentence before any reader touches them.

`inspect(path)` is the first thing done to every workbook budgetbook reads (grid.check_xlsx calls
it). Without opening anything that could block or blow up, it:

- stats the path first and refuses a folder, a FIFO, a device or a socket (a FIFO is never
  opened: opening one for reading waits for a writer forever), a missing file, a name too long
  for the file system, an empty file;
- reads the zip's central directory and refuses a workbook whose declared sizes or compression
  ratios pass the limits (a zip bomb), or that uses a compression method Excel never writes;
- inflates every member once, streaming in bounded chunks, and refuses a member that inflates to
  more than it declares or than the limits allow: python-calamine and openpyxl read the zip
  themselves, so they only ever see members whose real size was proven sane here;
- on the way, finds the real extent of each sheet's data (the farthest cell holding a value) and
  refuses a sheet whose data reaches beyond the limits, naming the sheet and the cell: a single
  stray number in XFD1048576 would otherwise make calamine allocate 512 GB (and abort the process)
  and openpyxl walk 17 billion empty cells;
- notes whether any sheet holds a formula (grid.fast_grid picks its reader from that).

The stat taken here is kept, so a caller can tell afterwards whether the file changed while it
was being read (`unchanged`). Limits can be raised for unusual intakes with the environment
variable BUDGETBOOK_LIMITS, e.g. "rows=500000,cells=20000000".

`os_reason(exc)` gives the Chinese words for an OS error (no English strerror reaches the user).
"""
from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import NamedTuple
from operator import itemgetter
from pathlib import Path

from .cells import column_index
from .errors import OTHER_FORMATS, BudgetbookError, damaged, format_sentence, shown

MB = 1 << 20


class Limits(NamedTuple):
    file_bytes: int = 256 * MB  # the .xlsx file itself
    total_bytes: int = 1024 * MB  # all members, inflated
    member_bytes: int = 512 * MB  # one member, inflated
    ratio: int = 100  # inflated / compressed, for a member over ratio_floor (Apache POI's limit)
    ratio_floor: int = 4 * MB
    members: int = 10_000
    rows: int = 200_000  # the farthest row holding a value, per sheet
    cols: int = 1_000  # the farthest column holding a value, per sheet (ALL)
    cells: int = 20_000_000  # rows × columns of a sheet's used area (readers hold it densely)

    @classmethod
    def from_env(cls) -> "Limits":
        text = os.environ.get("BUDGETBOOK_LIMITS", "")
        known = set(cls._fields)
        values = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            if name.strip() in known and value.strip().isdigit():
                values[name.strip()] = int(value)
        return cls(**values)


def unreadable(path: Path, why: str) -> BudgetbookError:
    return BudgetbookError(f"无法读取 {shown(path)}：{why}。")


# OS errors in words live in workbook.errors (every front door uses them); kept here by name
from .errors import memory_sentence, os_reason, os_sentence  # noqa: E402,F401


# --- the file itself ------------------------------------------------------------------------

class Stamp(NamedTuple):
    """Enough of a file's stat to tell that it changed."""

    size: int
    mtime_ns: int
    ino: int
    dev: int

    @classmethod
    def of(cls, st: os.stat_result) -> "Stamp":
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def stat_input(path: Path) -> os.stat_result:
    """stat without opening: refuse what is not a regular file, in one sentence."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise unreadable(path, "文件不存在") from None
    except OSError as exc:
        raise unreadable(path, os_reason(exc)) from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise unreadable(path, "这是一个文件夹")
    if stat.S_ISFIFO(mode):
        raise unreadable(path, "这是一个管道（FIFO），不是工作簿文件")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise unreadable(path, "这是一个设备，不是工作簿文件")
    if stat.S_ISSOCK(mode):
        raise unreadable(path, "这是一个套接字，不是工作簿文件")
    if not stat.S_ISREG(mode):
        raise unreadable(path, "不是普通文件")
    if st.st_size == 0:
        raise unreadable(path, "文件是空的（0 字节）")
    return st


def open_input(path: Path):
    """Open a regular file for reading without ever blocking on a FIFO swapped in after the stat."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise unreadable(Path(path), os_reason(exc)) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise unreadable(Path(path), "不是普通文件")
    return os.fdopen(fd, "rb")


# --- the package ----------------------------------------------------------------------------

@dataclass
class Extent:
    rows: int = 0
    cols: int = 0
    far_row: str = ""  # the cell holding the farthest row
    far_col: str = ""  # the cell holding the farthest column
    merged: list[str] = field(default_factory=list)  # merged ranges, "B8:D8"
    odd: list[tuple[str, str]] = field(default_factory=list)  # (cell, "#REF!" / "NaN"): not a number
    at_row: int = 0  # where the scan is: the row being read and the column of its last cell, for
    at_col: int = 0  # a cell or row without `r` (the readers put it next to the previous one)
    count: int = 0  # cells holding something

    @property
    def sparse(self) -> bool:
        """Whether the used area is far larger than the cells in it (one stray value at CV200000
        behind a table of 40 cells): then the sheet is read cell by cell, not as a grid."""
        return self.rows * self.cols > 4 * self.count + 10_000


@dataclass
class Inspection:
    path: Path
    stamp: Stamp
    formulas: bool = False
    extents: dict[str, Extent] = field(default_factory=dict)  # sheet name -> extent of its data


_CHUNK = 256 * 1024
# what Excel, LibreOffice, openpyxl and xlsxwriter write: r first, double-quoted, a well-formed
# reference; a self-closed "<c … />" is empty. A window with anything else takes the full scan.
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:[^>]*[^/>])?>')
_ODD = re.compile(rb'<(?:[\w.-]+:(?:c|row)|c(?! r="[A-Z]{1,3}[0-9]{1,7}")|row(?! r="[0-9]{1,7}"))[\s/>]')
# the full scan: any prefix, attributes quoted either way (a ">" inside quotes does not end the tag)
_TAG = re.compile(rb"""<(/?)(?:[\w.-]+:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(r"^\s*\$?([A-Za-z]+)\$?([0-9]+)\s*$")
# a cell whose value is an error (#REF!, #N/A …: calamine reads it as blank) or NaN/INF (openpyxl
# cannot load it): kept so that the readers show it and export refuses it at its cell
_ODD_VALUE = re.compile(rb"""<(?:[\w.-]+:)?c\s[^>]*?\br=["']([A-Za-z]{1,3}[0-9]{1,7})["'][^>]*>\s*"""
                        rb"""<(?:[\w.-]+:)?v>\s*(#[A-Z0-9/!?]+|[+-]?(?:NaN|nan|INF|inf|Infinity|infinity))\s*<""")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="([A-Z]{1,3}[0-9]{1,8}:[A-Z]{1,3}[0-9]{1,8})"')
_TAIL = 1 * MB  # an unfinished tag at the end of a chunk is kept for the next; longer: refused
_SIGNATURE = struct.Struct("<IHHHHHIIIHH")  # a local file header
_UTF8 = ("utf-8", "utf8", "us-ascii", "ascii")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_XML_SUFFIXES = (".xml", ".rels", ".vml")


_cache: dict[tuple, Inspection] = {}


def inspect(path: Path, limits: Limits | None = None) -> Inspection:
    """Everything above, once per file version (cached by path, size, mtime and inode)."""
    path = Path(path)
    st = stat_input(path)
    if path.suffix.lower() in OTHER_FORMATS:  # an .ods or .xlsb is a zip too: said by its format
        raise BudgetbookError(format_sentence(path))
    limits = limits or Limits.from_env()
    key = (os.path.realpath(path), Stamp.of(st), limits)
    if key in _cache:
        return _cache[key]
    if st.st_size > limits.file_bytes:
        raise unreadable(path, f"文件有 {st.st_size // MB} MB，超过了 {limits.file_bytes // MB} MB 的上限")
    with open_input(path) as fh:
        head = fh.read(4)
        if head != b"PK\x03\x04":
            fh.seek(0)
            _not_a_workbook(path, fh.read(1 << 16))
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise unreadable(path, "不是 .xlsx 格式的 Excel 工作簿，或文件已损坏（压缩包结构无法识别）") from None
        with archive:
            found = _inspect_package(path, fh, archive, limits)
    found.stamp = Stamp.of(st)
    if len(_cache) > 64:
        _cache.clear()
    _cache[key] = found
    return found


def _not_a_workbook(path: Path, head: bytes):
    if "EncryptedPackage".encode("utf-16-le") in head:  # an .xlsx saved with a password
        raise unreadable(path, "工作簿设置了打开密码，请在 Excel 中取消密码后再试")
    raise unreadable(path, "不是 .xlsx 格式的 Excel 工作簿（旧版 .xls 请先在 Excel 中另存为 .xlsx）")


def _bomb(path: Path, what: str) -> BudgetbookError:
    return unreadable(path, f"{what}，可能是损坏或恶意构造的文件，已拒绝打开")


def _inspect_package(path: Path, fh, archive: zipfile.ZipFile, limits: Limits) -> Inspection:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise _bomb(path, f"压缩包内有 {len(infos)} 个部件，超过了 {limits.members} 个的上限")
    declared = 0
    for info in infos:
        _check_member_name(path, info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise unreadable(path, f"压缩包部件 {info.filename} 使用了 Excel 不使用的压缩方式，文件可能已损坏")
        if info.flag_bits & 0x1:
            raise unreadable(path, "压缩包部件经过加密，无法读取")
        _check_declared(path, info, limits)
        declared += info.file_size
        if declared > limits.total_bytes:
            raise _bomb(path, f"解压后超过 {limits.total_bytes // MB} MB")
    if "xl/workbook.xml" not in archive.NameToInfo:  # every reader looks for it there
        raise damaged(path)
    sheets = _sheet_parts(archive)
    result = Inspection(path, Stamp(0, 0, 0, 0))
    inflated = 0
    for info in infos:
        sheet = sheets.get(info.filename)
        xml = info.filename.lower().endswith(_XML_SUFFIXES)
        scan = _XmlScan(path, info.filename, sheet, Extent()) if xml else None
        inflated += _inflate(path, fh, info, limits, scan)
        if inflated > limits.total_bytes:
            raise _bomb(path, f"解压后超过 {limits.total_bytes // MB} MB")
        # a sheet wherever it lies: the readers find sheets through the relationships, not by name
        if scan and (sheet is not None or info.filename.startswith("xl/worksheets/") or scan.sheet_data):
            result.formulas = result.formulas or scan.formula
            name = sheet or info.filename
            result.extents[name] = scan.extent
            _check_extent(path, name, scan.extent, limits)
    return result


def _check_member_name(path: Path, name: str) -> None:
    """A member named "/etc/…", "C:\\…" or "../…" is never in a workbook Office wrote; refused
    rather than passed on to the copies fill and --mark write."""
    parts = re.split(r"[/\\]", name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        shown = "".join(ch if ch.isprintable() else "?" for ch in name)[:80]
        raise _bomb(path, f"压缩包部件的名称“{shown}”指向压缩包以外的位置")


def _check_declared(path: Path, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.member_bytes:
        raise _bomb(path, f"压缩包部件 {info.filename} 解压后有 {info.file_size // MB} MB，超过了上限")
    if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(1, info.compress_size):
        raise _bomb(path, f"压缩包部件 {info.filename} 的压缩比超过 {limits.ratio}:1")


def _inflate(path: Path, fh, info: zipfile.ZipInfo, limits: Limits, scan: "_XmlScan | None") -> int:
    """Inflate one member in bounded chunks, feeding an XML member to `scan`; its real size (never
    more than it declares)."""
    fh.seek(info.header_offset)
    header = fh.read(_SIGNATURE.size + 4)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise unreadable(path, f"压缩包部件 {info.filename} 已损坏")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    allowed = min(info.file_size, limits.member_bytes)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    size = crc = 0

    def take(data: bytes) -> None:
        nonlocal size, crc
        size += len(data)
        if size > allowed:
            raise _bomb(path, f"压缩包部件 {info.filename} 实际解压后比声明的大小（{info.file_size} 字节）更大")
        crc = zlib.crc32(data, crc)
        if scan is not None and data:
            scan.feed(data)

    while left > 0:
        chunk = fh.read(min(_CHUNK, left))
        if not chunk:
            raise unreadable(path, f"压缩包部件 {info.filename} 不完整，文件可能已损坏或未复制完")
        left -= len(chunk)
        if inflater is None:
            take(chunk)
            continue
        try:
            data = inflater.decompress(chunk, _CHUNK)
            take(data)
            while inflater.unconsumed_tail:
                take(inflater.decompress(inflater.unconsumed_tail, _CHUNK))
        except zlib.error:
            raise unreadable(path, f"压缩包部件 {info.filename} 已损坏，无法解压") from None
    if inflater is not None:
        take(inflater.flush())
    if size != info.file_size or crc != info.CRC:
        raise unreadable(path, f"压缩包部件 {info.filename} 已损坏（大小或校验和与记录不符）")
    if scan is not None:
        scan.close()
    return size


def _encoding(head: bytes) -> str | None:
    """The encoding an XML parser would read `head` in (byte-order mark, then the declaration);
    None for UTF-8, the only one Office writes."""
    for mark, name in ((b"\xef\xbb\xbf", None), (b"\xff\xfe\0\0", "utf-32"), (b"\0\0\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"<\0\0\0", "utf-32-le"),
                       (b"\0\0\0<", "utf-32-be"), (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"),
                       (b"\x4c\x6f\xa7\x94", "cp037")):
        if head.startswith(mark):
            return name
    declared = _DECLARED.match(head)
    if declared and declared[1].decode("ascii").lower() not in _UTF8:
        return declared[1].decode("ascii").lower()
    return None


class _XmlScan:
    """One XML member, fed in chunks as it inflates: decoded by its byte-order mark or declaration,
    refused with a DTD (Office never writes one: entity definitions are how XML bombs and file
    reads work) or in an encoding other than UTF-8 (python-calamine reads a UTF-16 sheet as empty),
    and its cells found (`extent`) the way the readers place them."""

    def __init__(self, path: Path, name: str, sheet: str | None, extent: Extent):
        self.path, self.name, self.sheet, self.extent = path, name, sheet, extent
        self.encoding: str | None = None
        self.decoder = None
        self.started = False
        self.before = b""  # the end of the previous chunk, so that "<!DOCTYPE" cut in two is seen
        self.tail = b""  # the last tag of the previous chunk, scanned whole with the next
        self.formula = False
        self.sheet_data = False

    @property
    def part(self) -> str:
        return f"工作表“{self.sheet}”（{self.name}）" if self.sheet else f"压缩包部件 {self.name}"

    def feed(self, data: bytes) -> None:
        if not self.started:
            self.started = True
            self.encoding = _encoding(data[:256])
            if self.encoding:
                import codecs

                try:
                    self.decoder = codecs.getincrementaldecoder(self.encoding)("replace")
                except LookupError:
                    raise unreadable(self.path, f"{self.part}使用了无法识别的编码 {self.encoding}") from None
        if self.decoder is not None:
            data = self.decoder.decode(data).encode("utf-8", "replace")
        self._text(data)

    def close(self) -> None:
        if self.decoder is not None:
            self._text(self.decoder.decode(b"", True).encode("utf-8", "replace"))
        self._cells(b"", final=True)
        if self.encoding:
            raise unreadable(self.path, f"{self.part}以 {self.encoding.upper()} 编码保存，budgetbook 无法可靠地读取；"
                                        f"请在 Excel、WPS 或 LibreOffice 中打开后另存为 .xlsx 再试")

    def _text(self, data: bytes) -> None:
        seen = self.before + data[:16]
        if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _bomb(self.path, f"{self.part}含有 XML 实体定义（DOCTYPE）")
        self.before = data[-16:]
        self._cells(data)

    def _cells(self, data: bytes, final: bool = False) -> None:
        window = self.tail + data
        cut = -1 if final else window.rfind(b"<")
        whole, self.tail = (window[:cut], window[cut:]) if cut >= 0 else (window, b"")
        if len(self.tail) > _TAIL:  # no tag Office writes is that long; its end could hide a cell
            raise _bomb(self.path, f"{self.part}中有超过 {_TAIL // MB} MB 的 XML 标记")
        if not whole:
            return
        if not self.formula and _FORMULA.search(whole):
            self.formula = True
        if not self.sheet_data and (b"<sheetData" in whole or b":sheetData" in whole):
            self.sheet_data = True
        _scan_cells(whole, self.extent)
        if b"<v>#" in whole or b"NaN" in whole or b"INF" in whole or b"nan<" in whole or b"inf" in whole:
            self.extent.odd += [(ref.decode().upper(), value.decode()) for ref, value in _ODD_VALUE.findall(whole)]
        if b"mergeCell" in whole:  # a figure hidden under one is reported (reader.read)
            self.extent.merged += [m.decode() for m in _MERGE.findall(whole)]


def _scan_cells(window: bytes, extent: Extent) -> None:
    """Widen `extent` to the cells of `window` that hold something. The usual XML takes C-level
    loops only (a sheet of 100,000 cells costs a few milliseconds); anything else is walked tag by
    tag as the readers walk it: a cell without `r` is the one after the previous cell of its row, a
    row without `r` the one after the previous row, attributes quoted either way."""
    if not _ODD.search(window):
        _widen(extent, _FAST_CELL.findall(window))
        row_at, cell_at = window.rfind(b'<row r="'), window.rfind(b'<c r="')
        if row_at >= 0:
            extent.at_row, extent.at_col = int(window[row_at + 8:window.index(b'"', row_at + 8)]), 0
        if cell_at > row_at:
            ref = window[cell_at + 6:window.index(b'"', cell_at + 6)].decode()
            extent.at_col = column_index(ref.rstrip("0123456789"))
        return
    for tag in _TAG.finditer(window):
        if tag[1]:  # a closing tag
            continue
        attrs = tag[3]
        found = _R_ATTR.search(attrs)
        value = None if found is None else (found[1] if found[1] is not None else found[2])
        if tag[2] == b"row":
            number = _number(value)
            extent.at_row, extent.at_col = (number if number is not None else extent.at_row + 1), 0
            continue
        if value is None:
            col, row = extent.at_col + 1, extent.at_row
        else:
            ref = _REF.match(_attr_text(value))
            if ref is None:  # the readers refuse such a cell
                continue
            col, row = column_index(ref[1]), int(ref[2])
        extent.at_col = col
        if row >= 1 and not attrs.rstrip().endswith(b"/"):
            _widen_one(extent, col, row)


def _attr_text(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    if "&" in text:  # "&#88;FD1" is XFD1 to an XML parser
        import html

        text = html.unescape(text)
    return text


def _number(value: bytes | None) -> int | None:
    text = _attr_text(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def _widen(extent: Extent, cells: list[tuple[bytes, bytes]]) -> None:
    if not cells:
        return
    extent.count += len(cells)
    row = max(map(int, map(itemgetter(1), cells)))
    if row > extent.rows:
        letters = next(c for c, r in cells if int(r) == row)
        extent.rows, extent.far_row = row, f"{letters.decode()}{row}"
    widest = max(set(map(itemgetter(0), cells)), key=lambda c: (len(c), c))
    col = column_index(widest.decode())
    if col > extent.cols:
        where = next(r for c, r in cells if c == widest)
        extent.cols, extent.far_col = col, f"{widest.decode()}{int(where)}"


def _widen_one(extent: Extent, col: int, row: int) -> None:
    extent.count += 1
    if row > extent.rows:
        extent.rows, extent.far_row = row, f"{_letters(col)}{row}"
    if col > extent.cols:
        extent.cols, extent.far_col = col, f"{_letters(col)}{row}"


def _letters(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _check_extent(path: Path, sheet: str, extent: Extent, limits: Limits) -> None:
    if extent.rows > limits.rows:
        cell = extent.far_row
    elif extent.cols > limits.cols:
        cell = extent.far_col
    elif extent.rows * extent.cols > limits.cells:
        cell = extent.far_row if extent.rows >= extent.cols else extent.far_col
    else:
        return
    raise BudgetbookError(
        f"无法读取 {shown(path)}：工作表“{sheet}”的 {cell} 单元格有内容，数据范围超出了可处理的大小"
        f"（最多 {limits.rows} 行、{limits.cols} 列）；请删除该处多余的内容后再试。")


_REL = re.compile(rb'<(?:\w+:)?Relationship\s[^>]*>')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\s[^>]*>')


def _attr(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb'(?:^|\s)(?:\w+:)?' + name + rb'="([^"]*)"', tag)
    return _unescape(match[1].decode("utf-8", "replace")) if match else None


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships (read bounded: both
    were size-checked above and are small)."""
    try:
        book = _small(archive, "xl/workbook.xml")
        rels = _small(archive, "xl/_rels/workbook.xml.rels")
    except (KeyError, ValueError):
        return {}
    targets = {}
    for tag in _REL.findall(rels):
        rid, target = _attr(tag, b"Id"), _attr(tag, b"Target")
        if rid and target:
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rid] = os.path.normpath(target).replace(os.sep, "/")
    parts = {}
    for tag in _SHEET.findall(book):
        name, rid = _attr(tag, b"name"), _attr(tag, b"id")
        if name and rid in targets:
            parts[targets[rid]] = name
    return parts


def _small(archive: zipfile.ZipFile, name: str, limit: int = 16 * MB) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise ValueError(name)
    with archive.open(info) as member:
        return member.read(limit + 1)


def odd_values(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Per sheet, the cells holding an error value or NaN/INF (see _ODD_VALUE)."""
    return {sheet: extent.odd for sheet, extent in inspect(Path(path)).extents.items() if extent.odd}


def unchanged(inspection: Inspection) -> None:
    """Refuse a file that changed since it was inspected (saved or copied over while being read)."""
    path = inspection.path
    try:
        now = Stamp.of(os.stat(path))
    except OSError:
        now = None
    if now != inspection.stamp:
        raise BudgetbookError(f"{shown(path)} 在读取过程中被修改或替换（可能正在保存或复制），结果不可靠；请等文件保存完后再试。")
