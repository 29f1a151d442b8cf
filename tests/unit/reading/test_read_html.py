"""HTML: the visible text only, tables as rows, encodings, nothing fetched (issue 22)."""

from __future__ import annotations

import random

import pytest

from strongroom import netguard
from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from tests.helpers.documents import CANARY

HIDDEN = ["SCRIPTTEXT", "STYLETEXT", "COMMENTTEXT", "HIDDENATTR", "DISPLAYNONE",
          "INVISIBLE", "TEMPLATETEXT", "NOSCRIPTTEXT", "TITLETEXT", "IMAGEALT"]

PAGE = f"""<!DOCTYPE html>
<html><head><title>TITLETEXT</title>
<meta charset="utf-8">
<style>body {{ color: red }} /* STYLETEXT */</style>
<script>var x = "SCRIPTTEXT";</script>
<link rel="stylesheet" href="https://tracker.example/style.css">
</head><body>
<!-- COMMENTTEXT -->
<h1>Northwind Electricity</h1>
<p>Dear customer,<br>your invoice {CANARY} is ready.</p>
<div hidden>HIDDENATTR</div>
<span style="color: red; DISPLAY : none">DISPLAYNONE</span>
<p style="visibility:hidden">INVISIBLE</p>
<template><p>TEMPLATETEXT</p></template>
<noscript>NOSCRIPTTEXT</noscript>
<img src="https://tracker.example/pixel.gif" alt="IMAGEALT" width="1" height="1">
<iframe src="https://tracker.example/frame.html"></iframe>
<div style="background: url(https://tracker.example/bg.png)">Thank you.</div>
<table>
  <tr><th>Item</th><th>Amount</th></tr>
  <tr><td>Electricity, September</td><td>96.40 EUR</td></tr>
  <tr><td>Total</td><td>96.40 EUR</td></tr>
</table>
</body></html>"""


def test_only_visible_text_reaches_the_document_and_nothing_is_fetched():
    before = netguard.attempts()
    doc = read_bytes("invoice.html", PAGE.encode())
    assert netguard.attempts() == before  # no image, style sheet or frame was fetched
    assert doc.kind == "html" and doc.name == "invoice.html"
    for hidden in HIDDEN:
        assert hidden not in doc.text, hidden
    assert "tracker" not in doc.text
    lines = doc.text.splitlines()
    assert lines[0] == "Northwind Electricity"
    assert "Dear customer," in lines and f"your invoice {CANARY} is ready." in lines
    assert "Thank you." in lines


def test_a_table_becomes_rows_with_a_gap_between_cells():
    doc = read_bytes("invoice.html", PAGE.encode())
    rows = [line for line in doc.text.splitlines() if "EUR" in line or "Item" in line]
    assert [row.split() for row in rows] == [
        ["Item", "Amount"], ["Electricity,", "September", "96.40", "EUR"],
        ["Total", "96.40", "EUR"]]
    total = rows[-1]
    assert total.startswith("Total") and "  96.40 EUR" in total  # cells apart by a gap


def test_block_elements_and_list_items_are_lines():
    doc = read_bytes("a.htm", b"<div>one</div><div>two</div><p>three</p><ul><li>four</li>"
                              b"<li>five</li></ul>")
    assert [line.strip(" *") for line in doc.text.splitlines() if line.strip()] == [
        "one", "two", "three", "four", "five"]


@pytest.mark.parametrize(("encoding", "declared"), [
    ("cp1252", b'<meta charset="windows-1252">'),
    ("iso-8859-1", b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'),
    ("shift_jis", b"<meta charset=shift_jis>"),
    ("utf-8", b""),
])
def test_the_encoding_comes_from_the_meta_charset(encoding, declared):
    words = "領収書 合計三千円" if encoding == "shift_jis" else "Café crème, Größe 12,50"
    data = b"<html><head>" + declared + b"</head><body><p>" + words.encode(encoding) + b"</p>"
    assert read_bytes("page.html", data).text == words


def test_a_bom_wins_and_detection_covers_an_undeclared_page():
    words = "Rechnung für Müller: 12,50 € bezahlt. Café crème à Noël."
    assert read_bytes("p.html", ("<p>" + words).encode("utf-16")).text == words
    # no charset, not UTF-8: the text reader's detector (cp1252 here)
    assert read_bytes("p.html", ("<p>" + words + " " * 40 + words).encode("cp1252")
                      ).text.startswith(words)


def test_a_meta_charset_that_lies_falls_back_to_detection():
    data = '<meta charset="utf-8"><p>Größe 12,50 € für Müller</p>'.encode("cp1252")
    assert read_bytes("p.html", data).text == "Größe 12,50 € für Müller"


def test_an_xml_declaration_is_no_obstacle():
    data = b'<?xml version="1.0" encoding="utf-8"?><html><body><p>Total 3.50</p></body></html>'
    assert read_bytes("p.xhtml", data).text == "Total 3.50"


@pytest.mark.parametrize("data", [
    b"<html><head><title>only a title</title><script>x()</script></head><body></body></html>",
    b"<div hidden>nothing shown</div>",
    b"   ",
])
def test_a_page_with_nothing_visible_says_so(data):
    with pytest.raises(ReadError) as exc:
        read_bytes("empty.html", data)
    assert str(exc.value) == messages.NO_TEXT


def test_random_bytes_named_html_are_refused_in_words():
    junk = random.Random(7).randbytes(8192)
    for name in ("junk.html", "junk.htm"):
        with pytest.raises(ReadError) as exc:
            read_bytes(name, junk)
        assert str(exc.value) == messages.NOT_TEXT


def test_too_many_elements_are_refused_before_rendering(monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_ELEMENTS", 1000)
    with pytest.raises(ReadError) as exc:
        read_bytes("wide.html", b"<p>" + b"<span>x</span>" * 2000)
    assert str(exc.value) == messages.HTML_TOO_BIG
    assert CANARY not in messages.HTML_TOO_BIG


def test_deep_nesting_is_cut_by_the_parser_not_a_crash():
    deep = b"<div>" * 100_000 + b"deep text" + b"</div>" * 100_000
    with pytest.raises(ReadError) as exc:  # libxml2 stops at 256 levels: nothing shown
        read_bytes("deep.html", deep)
    assert str(exc.value) == messages.NO_TEXT
    doc = read_bytes("deep.html", b"<p>Total 3.50</p>" + deep)
    assert doc.text.startswith("Total 3.50")


def test_a_long_run_of_blanks_is_read():
    # Trailing blanks are cut line by line: a pattern for them backtracked here.
    doc = read_bytes("pre.html", b"<pre>Total 3.50" + b" \t" * 200_000 + b"x</pre>")
    assert doc.text.startswith("Total 3.50") and doc.text.endswith("x")
