"""The compound-file writer behind vbaProject.bin, read back by olefile (strict mode)."""
from __future__ import annotations

import io

import olefile
from hypothesis import given, settings
from hypothesis import strategies as st

from addin import cfb

RED, BLACK = 0, 1  # MS-CFB colour flags

names = st.text(alphabet="abcXYZ_0123", min_size=1, max_size=31)
sizes = st.one_of(st.integers(0, 200), st.integers(4000, 9000))  # mini stream and big sectors
streams = st.dictionaries(
    st.tuples(st.sampled_from(["", "VBA/", "VBA/Sub/"]), names).map("".join),
    sizes.map(lambda n: bytes(i % 251 for i in range(n))),
    min_size=1, max_size=40,
).filter(lambda d: not any(k + "/" in other for k in d for other in d))  # a name is a stream or a folder


def black_height(entries, sid) -> int:
    """Check the red-black rules below `sid`; the number of black nodes on every path."""
    if sid == olefile.NOSTREAM:
        return 1
    e = entries[sid]
    left, right = black_height(entries, e.sid_left), black_height(entries, e.sid_right)
    assert left == right, "paths with different numbers of black nodes"
    if e.color == RED:
        for child in (e.sid_left, e.sid_right):
            assert child == olefile.NOSTREAM or entries[child].color == BLACK, "red node with a red child"
    return left + (e.color == BLACK)


def in_order(entries, sid) -> list[str]:
    if sid == olefile.NOSTREAM:
        return []
    e = entries[sid]
    return in_order(entries, e.sid_left) + [e.name] + in_order(entries, e.sid_right)


@settings(max_examples=60, deadline=None)
@given(streams)
def test_every_stream_reads_back_and_each_folder_is_a_red_black_search_tree(content):
    data = cfb.write(content)
    assert cfb.write(content) == data
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    for path, body in content.items():
        assert ole.openstream(path).read() == body
    entries = ole.direntries
    for e in entries:
        if e is None or e.entry_type not in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE):
            continue
        if e.sid_child == olefile.NOSTREAM:
            continue
        assert entries[e.sid_child].color == BLACK
        black_height(entries, e.sid_child)
        names_in_order = in_order(entries, e.sid_child)
        assert names_in_order == sorted(names_in_order, key=lambda n: (len(n), n.upper()))
