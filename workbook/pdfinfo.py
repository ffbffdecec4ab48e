"""One entry added to a PDF's document information (the Info dictionary), by an incremental update.

The published workbook carries its working columns (表三 单位类型) as a custom document property
(spec.CARRIED_PROPERTY); LibreOffice leaves custom properties out of the PDF it prints, so the
export adds the same entry to the PDF's Info dictionary, and the PDF read back
(workbook.pdfgrid) checks as the workbook does. An incremental update appends a new version of
the Info object, one cross-reference entry and a trailer pointing back to the old one: nothing
LibreOffice wrote is rewritten, and every PDF reader takes the newest version.
"""
from __future__ import annotations

import re
from pathlib import Path

from .atomic import write_atomic

_TRAILER = re.compile(rb"trailer\s*<<(?P<body>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.S)


def add_entry(path: Path, name: str, value: str) -> bool:
    """Add /name (a text string) to the Info dictionary of the PDF at `path`; False, and the file
    untouched, when its last section is not a classic cross-reference table with an Info object
    of plain entries (LibreOffice writes one)."""
    data = Path(path).read_bytes()
    trailer = _TRAILER.search(data, data.rfind(b"trailer"))
    if trailer is None or not re.fullmatch(rb"[A-Za-z0-9_.-]+", name.encode()):
        return False
    body = trailer["body"]
    info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", body)
    if info is None:
        return False
    number, generation = int(info[1]), int(info[2])
    old = re.search(rb"\n%d %d obj\s*<<(?P<entries>[^<>]*(<[0-9A-Fa-f]*>[^<>]*)*)>>\s*endobj" % (number, generation), data)
    if old is None:
        return False
    entry = b"/" + name.encode() + b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"
    entries = re.sub(rb"/" + re.escape(name.encode()) + rb"\s*<[0-9A-Fa-f]*>", b"", old["entries"]).rstrip()
    start = len(data) + 1
    added = b"\n%d %d obj\n<<%s\n%s>>\nendobj\n" % (number, generation, entries, entry)
    xref = len(data) + len(added)
    kept = re.sub(rb"/Prev\s+\d+", b"", body).strip()
    tail = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d %05d n \ntrailer\n<<%s\n/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        number, start, generation, kept, int(trailer["xref"]), xref)
    write_atomic(Path(path), lambda tmp: Path(tmp).write_bytes(data + added + tail))
    return True
