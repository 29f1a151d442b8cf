"""Word: document order, merged cells, and zip bombs refused before parsing."""

from __future__ import annotations

import io
import time

import docx
import pytest

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from strongroom.reading.sniff import OLE2_MAGIC
from tests.helpers.documents import (
    CANARY,
    make_docx,
    make_docx_bomb,
    make_docx_underdeclared,
    make_zip,
)


def test_paragraphs_and_table_cells_in_document_order():
    data = make_docx(["Invoice INV-2024-0187", CANARY],
                     [["Item", "Amount"], ["Consulting", "2,000.00"], ["Total", "2,340.00"]],
                     ["Thank you."])
    doc = read_bytes("invoice.docx", data)
    assert doc.kind == "docx" and doc.page_starts == (0,) and doc.data == data
    assert doc.text == ("Invoice INV-2024-0187\n" + CANARY + "\n"
                        "Item\tAmount\nConsulting\t2,000.00\nTotal\t2,340.00\nThank you.")


def test_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Header across"
    for c, value in enumerate(["a", "b", "c"]):
        table.cell(1, c).text = value
    out = io.BytesIO()
    document.save(out)
    assert read_bytes("t.docx", out.getvalue()).text == "Header across\na\tb\tc"


def test_a_docx_named_txt_is_read_as_a_docx():
    doc = read_bytes("odd.txt", make_docx(["hello"], [["x"]], []))
    assert doc.kind == "docx" and doc.text == "hello\nx"


def test_zip_bomb_by_ratio_is_refused_quickly():
    bomb = make_docx_bomb(5)  # 5 MB of spaces in word/document.xml, ~5 KB packed
    assert len(bomb) < 100_000
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_bytes("bomb.docx", bomb)
    assert time.perf_counter() - start < 0.5
    assert str(err.value) == messages.DOCX_TOO_BIG


def test_zip_bomb_by_member_size_is_refused_quickly(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_RATIO", 10**9)  # only the size cap is left
    bomb = make_docx_bomb(limits.MAX_ZIP_MEMBER_BYTES // 2**20 + 1)
    start = time.perf_counter()
    with pytest.raises(ReadError) as err:
        read_bytes("bomb.docx", bomb)
    assert time.perf_counter() - start < 0.5
    assert str(err.value) == messages.DOCX_TOO_BIG


@pytest.mark.parametrize(("limit", "value"), [
    ("MAX_ZIP_TOTAL_BYTES", 1000),
    ("MAX_ZIP_MEMBERS", 3),
])
def test_zip_total_and_member_count_caps(monkeypatch, limit, value):
    monkeypatch.setattr(limits, limit, value)
    with pytest.raises(ReadError) as err:
        read_bytes("a.docx", make_docx(["x" * 2000], [["y"]], []))
    assert str(err.value) == messages.DOCX_TOO_BIG


@pytest.mark.parametrize("data", [
    CANARY.encode() * 10,  # not a zip
    make_docx([CANARY], [["x"]], [])[:-200],  # truncated
    make_zip({"[Content_Types].xml": b"<not-xml", "word/document.xml": CANARY.encode()}),
])
def test_damaged_or_not_a_docx(data):
    with pytest.raises(ReadError) as err:
        read_bytes("a.docx", data)
    assert str(err.value) == messages.DOCX_DAMAGED


def test_password_protected_or_legacy_word_file():
    with pytest.raises(ReadError) as err:
        read_bytes("a.docx", OLE2_MAGIC + CANARY.encode() * 100)
    assert str(err.value) == messages.DOCX_LOCKED


def test_a_docx_without_text():
    with pytest.raises(ReadError, match="^The document contains no text.$"):
        read_bytes("a.docx", make_docx(["", "   "], [[""]], []))


def test_a_zip_that_under_declares_sizes_is_refused_without_inflating_it():
    """Its directory says 1,000 bytes; the member inflates to 64 MiB. zipfile's
    one-shot read inflated it all (148 MB traced) before python-docx failed."""
    import tracemalloc

    from strongroom.reading import docx as docx_reader

    bomb = make_docx_underdeclared(64)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as err:
            docx_reader.read(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(err.value) == messages.DOCX_DAMAGED
    assert peak < 8 * 2**20


def test_members_are_inflated_against_the_caps_not_the_declared_sizes(monkeypatch):
    """An honest member bigger than the member cap is refused while it inflates,
    even when the declared-size check lets it through."""
    from strongroom.reading import zipcap

    data = make_docx(["x" * 5000])
    monkeypatch.setattr(zipcap, "_check_declared", lambda *args: None)
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBER_BYTES", 2000)
    with pytest.raises(ReadError) as err:
        read_bytes("big.docx", data)
    assert str(err.value) == messages.DOCX_TOO_BIG


def test_members_compressed_with_bzip2_are_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(ReadError) as err:
        read_bytes("bz.docx", out.getvalue())
    assert str(err.value) == messages.DOCX_DAMAGED
