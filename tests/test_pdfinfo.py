"""workbook.pdfinfo: an entry added to a PDF's document information by an incremental update,
read back by pdfplumber with the pages and the other entries as they were."""
from __future__ import annotations

import pdfplumber

from workbook.pdfinfo import add_entry


def _pdf(info: bool = True) -> bytes:
    """A one-page PDF with a classic cross-reference table, as LibreOffice writes them."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<</Title<FEFF8868>\n/Producer<FEFF004C004F>\n/CreationDate(D:20250101000000Z')>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, b"\n/Info 4 0 R" if info else b"", xref)
    return bytes(out)


def test_an_entry_is_added_and_replaced_keeping_everything_else(tmp_path):
    path = tmp_path / "公开.pdf"
    path.write_bytes(_pdf())
    assert add_entry(path, "budgetbook-working-columns", '{"T3": {"unit_type": {"某中学": "事业"}}}')
    assert add_entry(path, "budgetbook-working-columns", '{"T3": {"unit_type": {"某中学": "行政"}}}')
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 1
        assert pdf.metadata["Title"] == "表" and pdf.metadata["Producer"] == "LO"
        assert pdf.metadata["budgetbook-working-columns"] == '{"T3": {"unit_type": {"某中学": "行政"}}}'


def test_a_pdf_without_document_information_is_left_untouched(tmp_path):
    path = tmp_path / "公开.pdf"
    path.write_bytes(_pdf(info=False))
    assert not add_entry(path, "budgetbook-working-columns", "{}")
    assert path.read_bytes() == _pdf(info=False)
