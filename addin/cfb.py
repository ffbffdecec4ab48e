"""A minimal writer of Compound File Binary files (MS-CFB version 3, 512-byte sectors).

Enough for a vbaProject.bin: storages and streams given as a dict of paths, streams under
4096 bytes in the mini stream, no timestamps or class ids, so the same input gives the same
bytes. olefile only reads; the PyPI writers are young, so the container is written here.
"""
from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
MINI_CUTOFF = 4096
ENTRY = 128
FREE, END, FAT_MARK, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        if len(name) > 31:
            raise ValueError(f"CFB entry name longer than 31 characters: {name}")
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.left = self.right = self.child = NONE
        self.start, self.size = END, 0
        self.colour = _BLACK if kind else _RED  # an unused entry is all zeros
        self.sid = self.depth = 0  # directory index; depth in its storage's tree


def _key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB 2.6.4: shorter names sort first, then a case-insensitive comparison
    return len(entry.name), entry.name.upper()


def write(streams: dict[str, bytes]) -> bytes:
    """The compound file holding `streams`, keyed by path ("VBA/dir"); storages are implied."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in sorted(streams.items()):
        parent = root
        *folders, leaf = path.split("/")
        for folder in folders:
            found = [c for c in parent.children if c.name == folder and c.kind == _STORAGE]
            parent = found[0] if found else _add(parent, _Entry(folder, _STORAGE))
        _add(parent, _Entry(leaf, _STREAM, bytes(data)))
    entries = _number(root)

    # the mini stream: small streams packed in 64-byte mini sectors, chained in the mini FAT
    mini_stream, mini_fat = bytearray(), []
    big = []
    for e in entries:
        if e.kind != _STREAM:
            continue
        e.size = len(e.data)
        if e.size >= MINI_CUTOFF:
            big.append(e)
        elif e.size:
            e.start = len(mini_stream) // MINI
            count = -(-e.size // MINI)
            mini_fat += [e.start + i + 1 for i in range(count - 1)] + [END]
            mini_stream += e.data.ljust(count * MINI, b"\x00")

    dir_sectors = -(-len(entries) * ENTRY // SECTOR)
    minifat_sectors = -(-len(mini_fat) * 4 // SECTOR)
    ministream_sectors = -(-len(mini_stream) // SECTOR)
    data_sectors = sum(-(-e.size // SECTOR) for e in big)
    fixed = dir_sectors + minifat_sectors + ministream_sectors + data_sectors
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fixed + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("CFB: more than 109 FAT sectors would need DIFAT sectors")

    fat: list[int] = [FAT_MARK] * fat_sectors
    body = bytearray()

    def place(data: bytes) -> int:
        """Append `data` in whole sectors chained in the FAT; the first sector's number."""
        first = len(fat)
        count = -(-len(data) // SECTOR)
        fat.extend([first + i + 1 for i in range(count - 1)] + [END])
        body.extend(bytes(data).ljust(count * SECTOR, b"\x00"))
        return first

    # directory entries point at sectors, so place the data first and the directory last
    minifat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat)) if mini_fat else END
    if mini_stream:
        root.start, root.size = place(bytes(mini_stream)), len(mini_stream)
    for e in big:
        e.start = place(e.data)
    unused = _pack(_Entry("", 0)) * (dir_sectors * SECTOR // ENTRY - len(entries))
    directory_start = place(b"".join(_pack(e) for e in entries) + unused)
    if len(fat) != fat_sectors + fixed:
        raise AssertionError("CFB sector count mismatch")
    fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(fat))

    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\x00" * 16,
        0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
        0, fat_sectors, directory_start, 0, MINI_CUTOFF,
        minifat_start, minifat_sectors, END, 0,
    ) + struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + bytes(body)


def _add(parent: _Entry, child: _Entry) -> _Entry:
    parent.children.append(child)
    return child


def _number(root: _Entry) -> list[_Entry]:
    """Directory order (root first) with each storage's children as a balanced search tree."""
    entries = [root]

    def visit(storage: _Entry) -> None:
        ordered = sorted(storage.children, key=_key)
        for child in ordered:
            child.sid = len(entries)
            entries.append(child)
        storage.child = _tree(ordered)
        _colour(ordered)
        for child in ordered:
            if child.kind == _STORAGE:
                visit(child)

    visit(root)
    return entries


def _tree(ordered: list[_Entry], depth: int = 0) -> int:
    """Link a sorted run as a balanced binary search tree; the id of its root.

    Split at the middle, every empty link lies at depth h or h + 1: colouring the nodes on the
    deepest, incomplete level red and all others black makes it a valid red-black tree."""
    if not ordered:
        return NONE
    mid = len(ordered) // 2
    node = ordered[mid]
    node.depth = depth
    node.left, node.right = _tree(ordered[:mid], depth + 1), _tree(ordered[mid + 1:], depth + 1)
    return node.sid


def _colour(ordered: list[_Entry]) -> None:
    if not ordered:
        return
    deepest = max(e.depth for e in ordered)
    full = len(ordered) == 2 ** (deepest + 1) - 1
    for e in ordered:
        e.colour = _RED if e.depth == deepest and deepest > 0 and not full else _BLACK


def _pack(e: _Entry) -> bytes:
    # an unused entry is all zeros but for the three links, which say "none"
    name = e.name.encode("utf-16-le") + b"\x00\x00" if e.kind else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), e.kind, e.colour, e.left, e.right, e.child,
        b"\x00" * 16, 0, 0, 0, e.start if e.kind != _STORAGE else 0, e.size,
    )
