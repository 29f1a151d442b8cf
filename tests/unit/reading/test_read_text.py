"""Text and Markdown: encodings, newlines, and binary data refused."""

from __future__ import annotations

import random

import pytest

from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from tests.helpers.documents import CANARY

LATIN = f"Rechnung Nr. 42 für Müller – Größe XL, 12,50 € bezahlt. Café crème à Noël. {CANARY}"
JAPANESE = ("領収書：東京都千代田区の店舗でお買い上げいただき"
            "ありがとうございます。合計金額は三千円です。")
JUNK = random.Random(1).randbytes(4096).replace(b"\x00", b"\x01")  # no NUL byte
CHINESE = "收据：感谢您在北京市朝阳区商店购物。总金额为人民币三百元整，请妥善保管本收据。"


@pytest.mark.parametrize(("encoding", "text"), [
    ("utf-8", LATIN + " ✓ 😀"),
    ("utf-8-sig", LATIN),
    ("utf-16", LATIN + " 😀"),  # with a BOM, as Python writes it
    ("utf-16-le", LATIN),  # no BOM
    ("utf-16-be", LATIN),
    ("utf-32", LATIN),
    ("cp1252", LATIN),
    ("shift_jis", JAPANESE),
    ("gbk", CHINESE),
])
def test_common_encodings_decode_exactly(encoding, text):
    doc = read_bytes("note.txt", text.encode(encoding))
    assert doc.text == text
    assert doc.kind == "text" and doc.page_starts == (0,) and doc.name == "note.txt"


def test_newlines_become_lf_and_the_original_bytes_are_kept():
    data = b"one\r\ntwo\rthree\nfour"
    doc = read_bytes("note.md", data)
    assert doc.text == "one\ntwo\nthree\nfour"
    assert doc.data == data


@pytest.mark.parametrize("name", ["a.txt", "a.TXT", "a.text", "a.md", "a.markdown", "a.csv",
                                  "a.tsv"])
def test_text_extensions(name):
    assert read_bytes(name, b"date,total\n2024-03-12,7.25\n").kind == "text"


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # NULs
    JUNK,
    b"\x01\x02\x03\x04hello",
])
def test_binary_data_named_txt_is_refused(data):
    with pytest.raises(ReadError) as err:
        read_bytes("notes.txt", data)
    assert str(err.value) == messages.NOT_TEXT
    assert "does not look like a text file" in str(err.value)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"looks like text after the signature " * 20,
    b"\xff\xd8\xff\xe0" + b"JFIF text-ish tail " * 20,
])
def test_an_image_named_txt_goes_to_the_image_reader_never_decoded_as_text(data):
    """Content decides: a photo named .txt is read as a photo (these are broken ones)."""
    with pytest.raises(ReadError) as err:
        read_bytes("notes.txt", data)
    assert str(err.value) == messages.IMAGE_DAMAGED
    from strongroom.reading import text

    with pytest.raises(ReadError) as err:  # and the text decoder alone refuses them
        text.read(data)
    assert str(err.value) == messages.NOT_TEXT


def test_a_few_stray_control_characters_are_tolerated():
    text = "Invoice\x0c\n" + "line of ordinary text\n" * 20 + "\x1b[0m end"
    assert read_bytes("a.txt", text.encode()).text == text


def test_whitespace_only_has_no_text():
    with pytest.raises(ReadError, match="^The document contains no text.$"):
        read_bytes("a.txt", b"  \r\n\t\n")


def test_text_over_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10)
    with pytest.raises(ReadError) as err:
        read_bytes("a.txt", f"{CANARY} and more".encode())
    assert str(err.value) == messages.TOO_MUCH_TEXT
