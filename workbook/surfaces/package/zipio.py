"""The zip container: members read raw, and written back with untouched members copied as the
very bytes they were stored as (same compression, same compressed data).

Python's zipfile cannot copy a member without recompressing it, so writing is done here: local
headers, data, central directory, end record (no zip64: an .xlsx of 4 GB is refused).
"""
from __future__ import annotations

import struct
import time
import zipfile
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_LIMIT = 0xFFFFFFFF


class ZipTooLarge(Exception):
    pass


@dataclass
class Deflated:
    """New content already compressed (large parts are kept this way until written)."""

    payload: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, chunks) -> "Deflated":
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        out, crc, size = [], 0, 0
        for chunk in chunks:
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            out.append(compressor.compress(chunk))
        out.append(compressor.flush())
        return cls(b"".join(out), crc, size)

    def data(self) -> bytes:
        return zlib.decompress(self.payload, -15)


@dataclass
class Member:
    """A member to write: either a raw copy of an input member or new content."""

    name: str
    info: zipfile.ZipInfo | None = None  # raw copy from the input
    data: "bytes | Deflated | None" = None  # new content
    date_time: tuple = (1980, 1, 1, 0, 0, 0)


class Archive:
    """An input .xlsx/.xlsm opened once: names in order, content, raw stored bytes."""

    def __init__(self, path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.infos = [i for i in self.zip.infolist() if not i.is_dir()]
        self.by_lower = {i.filename.lower(): i for i in self.infos}
        self._fh = open(path, "rb")

    def name(self, name: str) -> str | None:
        """The member's name as stored (part names are case-insensitive)."""
        info = self.by_lower.get(name.lower())
        return info.filename if info else None

    def read(self, name: str) -> bytes:
        return self.zip.read(self.by_lower[name.lower()])

    def raw(self, info: zipfile.ZipInfo) -> bytes:
        """The member's stored (compressed) bytes."""
        self._fh.seek(info.header_offset)
        header = self._fh.read(_LOCAL.size)
        fields = _LOCAL.unpack(header)
        if fields[0] != b"PK\x03\x04":
            raise zipfile.BadZipFile(info.filename)
        self._fh.seek(info.header_offset + _LOCAL.size + fields[10] + fields[11])
        return self._fh.read(info.compress_size)

    def close(self) -> None:
        self.zip.close()
        self._fh.close()


def _dos(date_time) -> tuple[int, int]:
    y, m, d, hh, mm, ss = date_time
    return (hh << 11) | (mm << 5) | (ss // 2), ((max(y, 1980) - 1980) << 9) | (m << 5) | d


def write(target, archive: Archive, members: list[Member]) -> None:
    """Write `members` in order to the file path `target`."""
    central = []
    with open(target, "wb") as out:
        for member in members:
            name = member.name.encode("utf-8")
            flags = 0x800 if not member.name.isascii() else 0
            if member.info is not None:
                info = member.info
                payload = archive.raw(info)
                method, crc, usize = info.compress_type, info.CRC, info.file_size
                flags |= info.flag_bits & 0x06  # deflate option bits; no data descriptor
                dostime, dosdate = _dos(info.date_time)
                attrs = info.external_attr
            else:
                packed = member.data if isinstance(member.data, Deflated) else Deflated.of([member.data])
                payload, crc, usize = packed.payload, packed.crc, packed.size
                method = zipfile.ZIP_DEFLATED
                dostime, dosdate = _dos(member.date_time)
                attrs = 0o600 << 16
            offset = out.tell()
            if max(len(payload), usize, offset) >= _LIMIT or len(members) >= 0xFFFF:
                raise ZipTooLarge(member.name)
            version = 20
            out.write(_LOCAL.pack(b"PK\x03\x04", version, 0, flags, method, dostime, dosdate, crc,
                                  len(payload), usize, len(name), 0))
            out.write(name)
            out.write(payload)
            central.append(_CENTRAL.pack(b"PK\x01\x02", version, 3, version, 0, flags, method, dostime,
                                         dosdate, crc, len(payload), usize, len(name), 0, 0, 0, 0,
                                         attrs, offset) + name)
        start = out.tell()
        for entry in central:
            out.write(entry)
        size = out.tell() - start
        if start >= _LIMIT:
            raise ZipTooLarge("central directory")
        out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))


def now() -> tuple:
    return time.localtime()[:6]
