"""Documents made at test time (nothing is checked in): PDFs, Word and Excel files,
zips, OFX bank exports."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence

import docx
import openpyxl
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
              paragraphs_after: Sequence[str] = ()) -> bytes:
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
    return _padded(make_docx(["Hello"], [["a"]], []), "word/document.xml", b"<w:body>",
                   uncompressed_mb)


def _padded(office: bytes, member_name: str, after: bytes, uncompressed_mb: int) -> bytes:
    """The zip ``office`` with ``uncompressed_mb`` MB of whitespace written into
    ``member_name`` right after ``after``."""
    real = zipfile.ZipFile(io.BytesIO(office))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in real.infolist():
            data = real.read(info.filename)
            if info.filename != member_name:
                archive.writestr(info.filename, data)
                continue
            with archive.open(member_name, "w", force_zip64=True) as member:
                head, _, tail = data.partition(after)
                member.write(head + after)
                chunk = b" " * (1024 * 1024)
                for _ in range(uncompressed_mb):
                    member.write(chunk)
                member.write(tail)
    return out.getvalue()


def _zeros_zlib(mib: int) -> bytes:
    """A zlib stream that inflates to ``mib`` MiB of zero bytes, built in
    milliseconds: one flushed 1 MiB deflate block repeated (a full flush makes
    each block independent), with the Adler-32 of that many zeros."""
    block = 1 << 20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()
    n = mib * block
    adler = ((n % 65521) << 16) | 1  # for zeros: a stays 1, b grows by 1 a byte
    return b"\x78\xda" + first + again * (mib - 1) + end + struct.pack(">I", adler)


def make_pdf_bomb(inflated_mib: int) -> bytes:
    """A one-page PDF whose content stream is ~1 KB per MiB on disk and inflates
    (FlateDecode) to ``inflated_mib`` MiB: a decompression bomb for pdfium."""
    stream = _zeros_zlib(inflated_mib)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def make_docx_underdeclared(inflated_mib: int, declared: int = 1000,
                            name: bytes = b"[Content_Types].xml") -> bytes:
    """A zip whose one member, ``name`` (by default the first part python-docx
    reads; ``word/document.xml`` makes it a Word file by its members), inflates to
    ``inflated_mib`` MiB while its local header and the central directory declare
    ``declared`` bytes: under every declared-size and ratio cap."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = 1 << 20
    first = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(bytes(block)) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = first + again * (inflated_mib - 1) + deflate.flush()
    crc = zlib.crc32(bytes(declared))
    fields = struct.pack("<HHHHHIIIH", 20, 0, 8, 0, 33, crc, len(body), declared, len(name))
    local = b"PK\x03\x04" + fields + b"\x00\x00" + name
    central = (b"PK\x01\x02" + struct.pack("<H", 20) + fields
               + struct.pack("<HHHHII", 0, 0, 0, 0, 0, 0) + name)
    offset = len(local) + len(body)
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), offset, 0)
    return local + body + central + end


def make_xlsx(sheets: dict[str, list[list[object]]], *,
              formats: dict[tuple[str, int, int], str] | None = None) -> bytes:
    """An .xlsx written by openpyxl: a sheet per entry, rows of values; ``formats``
    gives a cell's number format by (sheet, row, column), 1-based."""
    workbook = openpyxl.Workbook()
    for empty in list(workbook.worksheets):
        workbook.remove(empty)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for (title, r, c), number_format in (formats or {}).items():
        workbook[title].cell(r, c).number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_xlsx_bomb(uncompressed_mb: int) -> bytes:
    """A real .xlsx whose first sheet is padded with ``uncompressed_mb`` MB of
    whitespace: tiny on disk, huge once inflated."""
    return _padded(make_xlsx({"Sheet": [["Date", "Amount"]]}), "xl/worksheets/sheet1.xml",
                   b"<sheetData>", uncompressed_mb)


#: One statement's transactions: (date YYYYMMDD, amount, name, memo).
Transaction = tuple[str, str, str, str]


def make_ofx_sgml(transactions: Sequence[Transaction], *, ledger: str, opening: str | None,
                  account: str = "XXXXXX4321", currency: str = "EUR") -> bytes:
    """An OFX 1.02 (SGML) bank statement, written as banks write them: no end tags
    on elements, a plain-text header."""
    rows = "".join(
        f"<STMTTRN><TRNTYPE>{'CREDIT' if not amount.startswith('-') else 'DEBIT'}"
        f"<DTPOSTED>{day}<TRNAMT>{amount}<FITID>{n}<NAME>{name}<MEMO>{memo}</STMTTRN>\n"
        for n, (day, amount, name, memo) in enumerate(transactions, 1))
    ballist = (f"<BALLIST><BAL><NAME>Opening balance<DESC>Balance at the start"
               f"<BALTYPE>DOLLAR<VALUE>{opening}<DTASOF>20240101</BAL></BALLIST>\n"
               if opening is not None else "")
    body = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20240201120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
        f"<STMTRS><CURDEF>{currency}\n"
        f"<BANKACCTFROM><BANKID>12030000<ACCTID>{account}<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
        "<BANKTRANLIST><DTSTART>20240101<DTEND>20240131\n" + rows + "</BANKTRANLIST>\n"
        f"<LEDGERBAL><BALAMT>{ledger}<DTASOF>20240131</LEDGERBAL>\n"
        f"<AVAILBAL><BALAMT>{ledger}<DTASOF>20240131</AVAILBAL>\n" + ballist
        + "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")
    return body.encode("cp1252")


def make_ofx_xml(transactions: Sequence[Transaction], *, ledger: str,
                 account: str = "****9876", currency: str = "USD") -> bytes:
    """An OFX 2.2 (XML) credit card statement."""
    rows = "".join(
        f"<STMTTRN><TRNTYPE>{'CREDIT' if not amount.startswith('-') else 'DEBIT'}</TRNTYPE>"
        f"<DTPOSTED>{day}120000.000[-5:EST]</DTPOSTED><TRNAMT>{amount}</TRNAMT>"
        f"<FITID>{n}</FITID><NAME>{name}</NAME><MEMO>{memo}</MEMO></STMTTRN>\n"
        for n, (day, amount, name, memo) in enumerate(transactions, 1))
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" '
        'NEWFILEUID="NONE"?>\n'
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY>"
        "</STATUS><DTSERVER>20240301</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS>"
        "</SIGNONMSGSRSV1>\n<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>0</TRNUID>"
        "<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>\n"
        f"<CCSTMTRS><CURDEF>{currency}</CURDEF><CCACCTFROM><ACCTID>{account}</ACCTID>"
        "</CCACCTFROM>\n<BANKTRANLIST><DTSTART>20240201</DTSTART><DTEND>20240229</DTEND>\n"
        + rows + "</BANKTRANLIST>\n"
        f"<LEDGERBAL><BALAMT>{ledger}</BALAMT><DTASOF>20240229</DTASOF></LEDGERBAL>\n"
        "</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n")
    return body.encode("utf-8")
