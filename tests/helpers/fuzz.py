"""Mutated files for the readers' fuzz tests (issue 22).

Seeds are small valid files of every format ``reading`` reads, made here; a
strategy mutates one: bits flipped, bytes overwritten, cut short, ranges
duplicated, spliced in from another seed, a format's token inserted (as AFL's
dictionaries do: ``/Count 99999``, ``<w:tbl>``, a BOM), and, for a zip (.docx), one member
mutated and the zip rebuilt, so the mutation reaches python-docx and lxml past
the zip's checksums. ``check_outcome`` is the property: a ``Document`` that keeps
its invariants, or a ``ReadError`` whose words are one of ``messages``.

Reproducing: every run uses a seed, printed in the failure report
(``STRONGROOM_FUZZ_SEED=<n>`` runs the same examples again), and Hypothesis also
prints the failing example's ``@reproduce_failure`` blob.
"""

from __future__ import annotations

import functools
import io
import os
import random
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from fpdf import FPDF
from hypothesis import strategies as st

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, quality
from strongroom.reading.base import Document
from tests.helpers.documents import make_docx

ENV_SEED = "STRONGROOM_FUZZ_SEED"
_FIXED_DATE = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
MESSAGES = frozenset(value for key, value in vars(messages).items()
                     if key.isupper() and isinstance(value, str))
#: Names each mutated file may be read under: its own extension decides the
#: reader when its content has no signature left; others test the sniffing.
NAMES = ("doc.txt", "doc.csv", "doc.md", "doc.pdf", "doc.docx", "doc.png", "doc.jpg",
         "doc.tif", "doc")
#: Tokens of the formats, inserted whole: they reach parsers' branches that
#: random bytes rarely spell.
TOKENS = (
    b"%PDF-1.7\n", b"obj", b"endobj", b"stream\n", b"endstream", b"/Count 99999",
    b"/Length 0", b"/Length 99999999", b"/Filter /FlateDecode", b"/Encrypt", b"xref",
    b"trailer", b"<<", b">>", b"[", b"]", b"BT", b"ET", b"Tj", b"(\\", b"/Kids [",
    b"<w:p>", b"</w:p>", b"<w:tbl><w:tr><w:tc>", b"</w:tc></w:tr></w:tbl>", b"<w:t>",
    b"<w:sdt><w:sdtContent>", b"<!DOCTYPE d [<!ENTITY e \"x\">]>", b"&e;", b"]]>",
    b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00",
    b"\r\n", b"\xe6\x94\xb6", b"\x1b[2J", b"\xd8\x00",
    b"IHDR", b"IDAT", b"IEND", b"\xff\xd8\xff", b"\xff\xc0", b"\xff\xda", b"\xff\xd9",
    b"Exif\x00\x00", b"II*\x00", b"MM\x00*",
)


def fuzz_seed() -> int:
    """This run's seed: ``$STRONGROOM_FUZZ_SEED``, else a fresh random one."""
    value = os.environ.get(ENV_SEED)
    return int(value) if value else random.SystemRandom().randrange(1 << 32)


@contextmanager
def seed_reported(seed: int) -> Iterator[None]:
    """On any failure, print how to run the same examples again (pytest shows it)."""
    try:
        yield
    except BaseException:
        print(f"fuzz seed {seed}: rerun with {ENV_SEED}={seed}")
        raise


@functools.cache
def seeds() -> tuple[tuple[str, bytes], ...]:
    """Small valid files, one or more per reader: (name, bytes)."""
    receipt = "Corner Pharmacy\nDate 2024-03-05\nTotal 12.50 EUR\n"
    return (
        ("receipt.txt", receipt.encode()),
        ("note.md", "# Dr. Lee\n\n* Blood pressure 120/80\n* 收据 €5\n".encode()),
        ("utf16.txt", receipt.encode("utf-16")),  # with a BOM
        ("bank.csv", b"date,amount,payee\n2024-03-01,-12.50,Pharmacy\n2024-03-02,100.00,Pay\n"),
        ("two.pdf", _pdf(["Page one: total 7.25 for the order", "Page two: balance 120.00"])),
        ("plain.pdf", _pdf(["Receipt from the corner shop\nTotal 3.50"], compress=False)),
        ("invoice.pdf", _pdf(["Invoice 42\nTotal 10.00 EUR"], attach=b"<Invoice/>")),
        ("locked.pdf", _pdf(["Locked receipt, Total 1.00"], password="pw")),
        ("letter.docx", _rezip(_zip_members(make_docx(
            ["Dear Ms Rossi,", "Your bill"], [["Item", "Price"], ["Tea", "3.50"]])) or [])),
        *_images("Total 12.50"),
    )


def _images(text: str) -> tuple[tuple[str, bytes], ...]:
    """``text`` drawn small (Pillow's own font: the same pixels everywhere) as PNG,
    JPEG (with an EXIF orientation) and LZW TIFF of a few kilobytes: the image reader
    (Pillow's decoders, EXIF, the OCR's pages) fuzzed too."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (200, 48), "white")
    ImageDraw.Draw(image).text((8, 10), text, font=ImageFont.load_default(22), fill="black")
    exif = Image.Exif()
    exif[0x0112] = 1  # orientation: upright
    out = []
    for name, fmt, options in (("scan.png", "PNG", {}),
                               ("photo.jpg", "JPEG", {"quality": 80, "exif": exif}),
                               ("scan.tif", "TIFF", {"compression": "tiff_lzw"})):
        buf = io.BytesIO()
        image.save(buf, format=fmt, **options)
        out.append((name, buf.getvalue()))
    return tuple(out)


def _pdf(pages: list[str], *, compress: bool = True, attach: bytes | None = None,
         password: str | None = None) -> bytes:
    """A PDF made the same to the byte every time (a fixed date; RC4 for a password,
    which draws no random bytes), so a seed replays the same files. Uncompressed,
    mutations reach pdfium's content parser; ``attach``: a Factur-X XML."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(_FIXED_DATE)
    pdf.set_compression(compress)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 14, text)
    if attach is not None:
        pdf.embed_file(bytes=attach, basename="factur-x.xml", compress=True,
                       creation_date=_FIXED_DATE, modification_date=_FIXED_DATE)
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def _zip_members(data: bytes) -> list[tuple[str, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception:
        return None


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:  # a fixed date: the same bytes every time
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE.timetuple()[:6])
            archive.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


Mutate = Callable[[st.DataObject, bytes], bytes]


def _position(data: st.DataObject, blob: bytes) -> int:
    return data.draw(st.integers(0, max(len(blob) - 1, 0)))


def _flip(data: st.DataObject, blob: bytes) -> bytes:
    if not blob:
        return blob
    at, bit = _position(data, blob), data.draw(st.integers(0, 7))
    return blob[:at] + bytes([blob[at] ^ (1 << bit)]) + blob[at + 1:]


def _overwrite(data: st.DataObject, blob: bytes) -> bytes:
    at = _position(data, blob)
    new = data.draw(st.binary(min_size=1, max_size=16))
    return blob[:at] + new + blob[at + len(new):]


def _truncate(data: st.DataObject, blob: bytes) -> bytes:
    return blob[:_position(data, blob)]


def _duplicate(data: st.DataObject, blob: bytes) -> bytes:
    start = _position(data, blob)
    end = data.draw(st.integers(start, min(len(blob), start + 4096)))
    times = data.draw(st.integers(1, 8))
    return blob[:end] + blob[start:end] * times + blob[end:]


def _delete(data: st.DataObject, blob: bytes) -> bytes:
    start = _position(data, blob)
    end = data.draw(st.integers(start, min(len(blob), start + 512)))
    return blob[:start] + blob[end:]


def _splice(data: st.DataObject, blob: bytes) -> bytes:
    _, other = data.draw(st.sampled_from(seeds()))
    at, start = _position(data, blob), _position(data, other)
    end = data.draw(st.integers(start, min(len(other), start + 2048)))
    return blob[:at] + other[start:end] + blob[at:]


def _insert_token(data: st.DataObject, blob: bytes) -> bytes:
    at = data.draw(st.integers(0, len(blob)))
    token = data.draw(st.sampled_from(TOKENS))
    return blob[:at] + token * data.draw(st.integers(1, 3)) + blob[at:]


def _mutate_member(data: st.DataObject, blob: bytes) -> bytes:
    """One member of a zip mutated, the zip rebuilt (valid checksums)."""
    members = _zip_members(blob)
    if not members:
        return _flip(data, blob)
    index = data.draw(st.integers(0, len(members) - 1))
    name, body = members[index]
    for _ in range(data.draw(st.integers(1, 3))):
        body = data.draw(st.sampled_from(_BYTE_MUTATIONS))(data, body)
    members[index] = (name, body)
    return _rezip(members)


_BYTE_MUTATIONS: tuple[Mutate, ...] = (_flip, _overwrite, _truncate, _duplicate, _delete,
                                       _splice, _insert_token, _insert_token)
MUTATIONS: tuple[Mutate, ...] = (*_BYTE_MUTATIONS, _mutate_member, _mutate_member)


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(name, bytes): a seed with one to four mutations, under some file name."""
    data = draw(st.data())
    name, blob = draw(st.sampled_from(seeds()))
    for _ in range(draw(st.integers(1, 4))):
        blob = draw(st.sampled_from(MUTATIONS))(data, blob)
    if draw(st.booleans()):
        name = draw(st.sampled_from(NAMES))
    return name, blob


def check_outcome(read: Callable[[str, bytes], Document], name: str, blob: bytes) -> str:
    """Read ``blob`` as ``name``: a sound ``Document``, or a ``ReadError`` in the
    readers' own words. Anything else propagates and fails the test. Returns
    "ok" or the message (for the run's tally)."""
    try:
        doc = read(name, blob)
    except ReadError as exc:
        assert str(exc) in MESSAGES, "a reader refused a file in words not from messages"
        assert exc.__cause__ is None or not str(exc.__cause__), "a cause leaks its text"
        return str(exc)
    assert doc.kind in ("text", "pdf", "docx", "image")
    assert isinstance(doc.text, str) and doc.text.strip()
    assert len(doc.text) <= limits.MAX_TEXT_CHARS
    assert doc.data == blob
    assert set(doc.warnings) <= set(quality.WARNINGS)
    starts = list(doc.page_starts)
    assert starts == sorted(starts) and all(0 <= s <= len(doc.text) for s in starts)
    return "ok"
