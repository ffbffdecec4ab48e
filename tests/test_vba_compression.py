"""The MS-OVBA compressor that stores the add-in's VBA, checked against oletools' decompressor.

A wrong token here turns into garbled or empty modules in Excel, so every input must come back
exactly, whatever its length (several 4096-byte chunks), repetitiveness or content.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import olefile
import xlwings
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from addin.compression import CHUNK, compress, raw_chunks

XLWINGS = Path(xlwings.__file__).parent

VBA_WORDS = [
    "Sub ", "End Sub", "Function ", "Dim ", " As String", " As Long", "If ", " Then", "Else",
    "End If", "    ", "'", "RunPython ", '"import macros_py; macros_py.dispatch(\'check\')"', "\r\n",
    "control.Tag", " & ", "For i = 1 To 10", "Next i", "#If Mac Then", "#End If", "=", "(", ")",
]
vba_text = st.one_of(st.integers(0, 50), st.integers(600, 3000)).flatmap(  # short, and several chunks
    lambda n: st.lists(st.sampled_from(VBA_WORDS), min_size=n, max_size=n)).map("".join).map(str.encode)
repetitive = st.builds(
    lambda unit, times, tail: unit * times + tail,
    st.binary(min_size=1, max_size=7), st.integers(1, 3000), st.binary(max_size=50),
)


def roundtrip(data: bytes) -> bytes:
    return decompress_stream(bytearray(compress(data)))


@settings(max_examples=150, deadline=None)
@given(st.one_of(vba_text, repetitive, st.text(alphabet="ab \r\n", min_size=5000, max_size=12000).map(str.encode)))
def test_text_comes_back_exactly_and_every_chunk_is_compressed(data):
    container = compress(data)
    assert decompress_stream(bytearray(container)) == data
    assert raw_chunks(container) == 0


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=100), st.binary(min_size=CHUNK - 300, max_size=3 * CHUNK + 100)))
def test_random_bytes_come_back(data):
    out = roundtrip(data)
    # a chunk that does not compress is stored raw, and a raw chunk always holds 4096 bytes:
    # only then may zeros follow the data, never anything else
    assert out[:len(data)] == data
    assert not out[len(data):].strip(b"\x00") and len(out) - len(data) < CHUNK


def test_the_xlwings_module_comes_back_and_compresses_like_excel():
    source = (XLWINGS / "xlwings_custom_addin.bas").read_bytes()
    assert len(source) > 10 * CHUNK
    assert roundtrip(source) == source
    # xlwings' template holds the same module as Excel compressed it (source only, no p-code)
    with zipfile.ZipFile(XLWINGS / "quickstart_addin_ribbon.xlam") as z:
        excel = olefile.OleFileIO(z.read("xl/vbaProject.bin")).openstream("VBA/xlwings").read()
    text = decompress_stream(bytearray(excel))
    assert roundtrip(text) == text
    assert len(compress(text)) <= len(excel) * 1.02


def test_the_specification_examples():
    # MS-OVBA 3.2.1-3.2.3; Office breaks some ties between equally long matches differently,
    # so the normal example is compared by size and content, the other two byte for byte
    assert compress(b"abcdefghijklmnopqrstuv.").hex(" ").upper() == (
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
    assert compress(b"a" * 73).hex(" ").upper() == "01 03 B0 02 61 45 00"
    normal = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    office = bytes.fromhex(
        "012FB000236161616263646582660070616768696A013808616B6C00306D6E6F"
        "700671027004107273747576107778797A003C"
    )
    assert decompress_stream(bytearray(office)) == normal
    assert roundtrip(normal) == normal and len(compress(normal)) == len(office)
