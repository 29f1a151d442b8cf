"""Documents made at test time (nothing is checked in): PDFs, Word files, zips."""

from __future__ import annotations

import io
import zipfile

import docx
from fpdf import FPDF

#: Put in every generated document: no error message may ever contain it.
CANARY = "ZQXCANARY7731"


def make_pdf(pages: list[str], *, user_password: str | None = None,
             page_size_pt: tuple[float, float] | None = None) -> bytes:
    """A PDF with one page per string (a blank page for ""), in Helvetica."""
    pdf = FPDF(unit="pt", format=page_size_pt or "A4")
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 14, text)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-" + user_password, user_password=user_password)
    return bytes(pdf.output())


def make_einvoice_pdf(page: str, xml: bytes, *, name: str = "factur-x.xml") -> bytes:
    """A one-page PDF carrying ``xml`` as an embedded file, as ZUGFeRD / Factur-X do."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 14, page)
    pdf.embed_file(bytes=xml, basename=name, compress=True)
    return bytes(pdf.output())


def make_scanned_pdf() -> bytes:
    """A page with only drawings on it: what a scan without OCR looks like to pdfium."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for i in range(10):
        pdf.rect(50, 50 + 30 * i, 400, 12, style="F")
    return bytes(pdf.output())


def make_docx(paragraphs_before: list[str], table: list[list[str]] | None = None,
              paragraphs_after: list[str] = ()) -> bytes:
    """A Word document: paragraphs, a table (if any), more paragraphs."""
    document = docx.Document()
    for text in paragraphs_before:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    for text in paragraphs_after:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_docx_bomb(uncompressed_mb: int) -> bytes:
    """A real .docx whose word/document.xml is padded with ``uncompressed_mb`` MB
    of whitespace: tiny on disk, huge once inflated."""
    real = zipfile.ZipFile(io.BytesIO(make_docx(["Hello"], [["a"]], [])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in real.infolist():
            data = real.read(info.filename)
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, data)
                continue
            with archive.open("word/document.xml", "w", force_zip64=True) as member:
                head, _, tail = data.partition(b"<w:body>")
                member.write(head + b"<w:body>")
                chunk = b" " * (1024 * 1024)
                for _ in range(uncompressed_mb):
                    member.write(chunk)
                member.write(tail)
    return out.getvalue()
