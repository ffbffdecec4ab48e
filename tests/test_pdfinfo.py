"""workbook.pdfinfo: an entry added to a PDF's document information by an incremental update,
read back by pdfplumber with the pages and the other entries as they were."""
from __future__ import annotations

import pdfplumber

from tinypdf import one_page_pdf
from workbook.pdfinfo import add_entry


_INFO = b"<</Title<FEFF8868>\n/Producer<FEFF004C004F>\n/CreationDate(D:20250101000000Z')>>"


def _pdf(info: bool = True) -> bytes:
    return one_page_pdf(_INFO if info else None)


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
