"""MS-OVBA 2.4.1 compression: the LZ77 variant that stores VBA source and the `dir` stream.

Written from the specification because the published `ms_ovba_compression` corrupts any input
longer than about 650 bytes. Each copy token takes the longest earlier match (the nearest among
equally long ones), found through a chain of earlier positions with the same first three bytes
instead of a scan of the whole window. Office sometimes picks a farther match of the same length
(MS-OVBA 3.2.2's example): the bytes differ, the decompressed text and the size do not.
"""
from __future__ import annotations

import struct

CHUNK = 4096  # decompressed bytes per chunk
_SIGNATURE = 0b011 << 12


def compress(data: bytes) -> bytes:
    """A CompressedContainer: signature byte 0x01, then one chunk per 4096 input bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _chunk(data[start:start + CHUNK])
    return bytes(out)


def raw_chunks(container: bytes) -> int:
    """How many chunks of a container are stored uncompressed (flag 0)."""
    count, at = 0, 1
    while at < len(container):
        (header,) = struct.unpack_from("<H", container, at)
        count += not header & 0x8000
        at += (header & 0x0FFF) + 3
    return count


def _chunk(chunk: bytes) -> bytes:
    body = _tokens(chunk)
    if len(body) <= CHUNK:
        return struct.pack("<H", 0x8000 | _SIGNATURE | (len(body) + 2 - 3)) + body
    # incompressible: a raw chunk always holds exactly 4096 bytes (2.4.1.3.10), so a short last
    # chunk is padded with zeros, which a reader then sees as trailing NUL bytes
    return struct.pack("<H", _SIGNATURE | (CHUNK + 2 - 3)) + chunk.ljust(CHUNK, b"\x00")


def _tokens(chunk: bytes) -> bytearray:
    """TokenSequences: a flag byte, then up to 8 tokens (literal byte or 2-byte copy token)."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # first three bytes -> earlier positions, oldest first
    pos, end = 0, len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            length, offset = _match(chunk, pos, heads)
            if length:
                out += struct.pack("<H", _copy_token(pos, offset, length))
                out[flag_at] |= 1 << bit
                step = length
            else:
                out.append(chunk[pos])
                step = 1
            for p in range(pos, min(pos + step, end - 2)):
                heads.setdefault(chunk[p:p + 3], []).append(p)
            pos += step
    return out


def _bit_count(pos: int) -> int:
    """Bits of a copy token that hold the offset: ceil(log2(pos)), at least 4 (2.4.1.3.19.1)."""
    return max((pos - 1).bit_length(), 4)


def _match(chunk: bytes, pos: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    """(length, offset) of the longest earlier match of at least 3 bytes, or (0, 0)."""
    candidates = heads.get(chunk[pos:pos + 3])
    if not candidates:
        return 0, 0
    limit = min((0xFFFF >> _bit_count(pos)) + 3, len(chunk) - pos)
    best_length, best_offset = 0, 0
    for start in reversed(candidates):  # nearest first: among equal lengths the nearest wins
        length = 3
        # the copy may overlap the bytes it produces, exactly as the decompressor replays it
        while length < limit and chunk[start + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_length, best_offset = length, pos - start
            if length == limit:
                break
    return (best_length, best_offset) if best_length >= 3 else (0, 0)


def _copy_token(pos: int, offset: int, length: int) -> int:
    bits = _bit_count(pos)
    return ((offset - 1) << (16 - bits)) | (length - 3)
