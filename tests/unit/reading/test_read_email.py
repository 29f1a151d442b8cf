"""E-mail (.eml): a header block and the body as the document, attachments handed
on as (name, bytes), nesting and counts capped (issue 22)."""

from __future__ import annotations

import random

import pytest

from strongroom import netguard
from strongroom.errors import ReadError
from strongroom.reading import limits, messages, read_bytes
from tests.helpers.documents import CANARY, make_docx, make_pdf
from tests.helpers.mail import make_eml, nest

PLAIN = f"Dear Ann,\n\nyour invoice INV-2026-12 {CANARY} is attached.\nTotal due: 96.40 EUR\n"
HEAD = ("From: Northwind Electricity <billing@northwind.example>\n"
        "To: Ann Example <ann@example.org>\n"
        "Date: Mon, 07 Dec 2026 10:00:00 +0000\n")


def test_a_plain_message_is_its_header_block_then_its_body():
    doc = read_bytes("invoice.eml", make_eml(plain=PLAIN).as_bytes())
    assert doc.kind == "email" and doc.attachments == ()
    assert doc.text == HEAD + "Subject: Your invoice\n\n" + PLAIN


def test_the_plain_part_wins_over_the_html_one():
    html = "<p>HTML ONLY VERSION</p>"
    doc = read_bytes("m.eml", make_eml(plain=PLAIN, html=html).as_bytes())
    assert "Total due: 96.40 EUR" in doc.text and "HTML ONLY" not in doc.text


def test_an_html_only_message_is_rendered_without_what_is_hidden_or_remote():
    html = ("<html><head><style>p{color:red}</style><script>STEAL()</script></head><body>"
            "<p>Dear Ann,</p><img src='https://tracker.example/open.gif'>"
            "<div style='display:none'>PREHEADER TRICK</div>"
            "<table><tr><td>Total due</td><td>96.40 EUR</td></tr></table></body></html>")
    before = netguard.attempts()
    doc = read_bytes("m.eml", make_eml(html=html).as_bytes())
    assert netguard.attempts() == before
    assert doc.text.startswith(HEAD + "Subject: Your invoice\n\nDear Ann,\n")
    assert "Total due  96.40 EUR" in doc.text
    for hidden in ("STEAL", "color:red", "PREHEADER", "tracker"):
        assert hidden not in doc.text


def test_encoded_headers_and_a_latin1_body_are_decoded():
    message = make_eml(plain="Größe XL, 12,50 € für Müller\n", subject="Rechnung für März")
    message.set_content("Größe XL, 12,50 für Müller\n", charset="iso-8859-1", cte="8bit")
    data = message.as_bytes()
    assert b"=?utf-8?" in data  # the subject went out RFC 2047-encoded
    doc = read_bytes("m.eml", data)
    assert "Subject: Rechnung für März" in doc.text
    assert doc.text.endswith("Größe XL, 12,50 für Müller\n")


def test_attachments_come_back_by_name_with_their_bytes():
    pdf = make_pdf(["Invoice INV-2026-12\nTotal 96.40 EUR"])
    word = make_docx(["Meter reading 4711"])
    message = make_eml(plain=PLAIN, attachments={"invoice.pdf": pdf, "reading.docx": word})
    doc = read_bytes("m.eml", message.as_bytes())
    assert doc.attachments == (("invoice.pdf", pdf), ("reading.docx", word))
    assert doc.text == HEAD + "Subject: Your invoice\n\n" + PLAIN  # no attachment text here


def test_attachment_names_lose_folders_and_control_characters_and_get_a_kind():
    message = make_eml(plain=PLAIN)
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf",
                           filename="../../etc/in\x1bvoice.pdf")
    message.add_attachment(b"%PDF-1.4 again", maintype="application", subtype="pdf")
    names = [name for name, _ in read_bytes("m.eml", message.as_bytes()).attachments]
    assert names == ["invoice.pdf", "attachment-2.pdf"]


def test_a_forwarded_message_is_one_attachment_read_in_its_turn():
    inner = make_eml(plain=PLAIN, attachments={"invoice.pdf": make_pdf(["Total 1.00"])})
    doc = read_bytes("fwd.eml", nest(1, inner))
    assert [name for name, _ in doc.attachments] == ["message-1.eml"]
    assert "Forwarded, level 0." in doc.text and CANARY not in doc.text
    again = read_bytes("message-1.eml", doc.attachments[0][1])
    assert again.text == HEAD + "Subject: Your invoice\n\n" + PLAIN
    assert [name for name, _ in again.attachments] == ["invoice.pdf"]


@pytest.mark.parametrize("depth", [limits.MAX_EMAIL_DEPTH + 1, 50])
def test_a_message_nested_too_deep_gets_a_clear_answer_not_a_crash(depth):
    with pytest.raises(ReadError) as exc:
        read_bytes("deep.eml", nest(depth))
    assert str(exc.value) == messages.EMAIL_TOO_DEEP


def test_a_message_nested_2000_deep_is_refused_before_parsing():
    with pytest.raises(ReadError) as exc:  # its "--" lines give it away first
        read_bytes("deep.eml", nest(2000))
    assert str(exc.value) == messages.EMAIL_TOO_MANY_PARTS


def test_deep_header_comments_are_no_crash():
    data = (b"From: x@example.org\r\nTo: " + b"(" * 5000 + b"x" + b")" * 5000
            + b"\r\nSubject: s\r\n\r\nTotal 3.50\r\n")
    doc = read_bytes("m.eml", data)  # the To: line is kept as its raw, cut text
    assert doc.text.endswith("Subject: s\n\nTotal 3.50\n")


@pytest.mark.parametrize(("header", "message"), [
    (b"Content-Type: text/plain; " + b"; ".join(b"a%d=b" % i for i in range(60)),
     messages.EMAIL_DAMAGED),  # more parameters than any real header
    (b"Content-Type: text/plain; name=" + b"a" * 2000, messages.EMAIL_DAMAGED),
])
def test_mime_headers_no_real_message_has_are_refused_before_parsing(header, message):
    data = b"From: x@example.org\r\n" + header + b"\r\n\r\nTotal 3.50\r\n"
    with pytest.raises(ReadError) as exc:
        read_bytes("m.eml", data)
    assert str(exc.value) == message


def test_a_long_to_line_is_cut_not_parsed_whole():
    addresses = b", ".join(b"a%d@example.org" % i for i in range(20_000))
    data = (b"From: x@example.org\r\nTo: " + addresses + b"\r\nSubject: s\r\n\r\nhi\r\n")
    to_line = read_bytes("m.eml", data).text.splitlines()[1]
    assert to_line.startswith("To: a0@example.org, a1@example.org")
    assert len(to_line) <= limits.MAX_EMAIL_HEADER_CHARS + len("To: ")


def test_nesting_up_to_the_limit_is_read():
    doc = read_bytes("deep.eml", nest(limits.MAX_EMAIL_DEPTH))
    assert len(doc.attachments) == 1


def test_too_many_attachments_or_bytes_are_refused(monkeypatch):
    message = make_eml(plain=PLAIN, attachments={f"n{i}.txt": b"note %d" % i for i in range(5)})
    monkeypatch.setattr(limits, "MAX_EMAIL_ATTACHMENTS", 4)
    with pytest.raises(ReadError) as exc:
        read_bytes("m.eml", message.as_bytes())
    assert str(exc.value) == messages.EMAIL_TOO_MANY_PARTS
    monkeypatch.setattr(limits, "MAX_EMAIL_ATTACHMENTS", 100)
    monkeypatch.setattr(limits, "MAX_EMAIL_ATTACHMENT_BYTES", 20)
    with pytest.raises(ReadError) as exc:
        read_bytes("m.eml", message.as_bytes())
    assert str(exc.value) == messages.EMAIL_TOO_MANY_PARTS
    monkeypatch.setattr(limits, "MAX_EMAIL_ATTACHMENT_BYTES", 10_000)
    monkeypatch.setattr(limits, "MAX_EMAIL_PARTS", 3)
    with pytest.raises(ReadError) as exc:
        read_bytes("m.eml", message.as_bytes())
    assert str(exc.value) == messages.EMAIL_TOO_MANY_PARTS


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_named_eml_are_refused_in_words(seed):
    junk = random.Random(seed).randbytes(8192)
    with pytest.raises(ReadError) as exc:
        read_bytes("junk.eml", junk)
    assert str(exc.value) in (messages.EMAIL_DAMAGED, messages.NOT_TEXT, messages.NO_TEXT)


def test_text_that_is_not_mail_is_refused():
    with pytest.raises(ReadError) as exc:
        read_bytes("note.eml", b"Just a note, no headers at all.\nTotal 3.50\n")
    assert str(exc.value) == messages.EMAIL_DAMAGED


def test_messages_never_carry_the_content():
    for message in (messages.EMAIL_DAMAGED, messages.EMAIL_TOO_DEEP,
                    messages.EMAIL_TOO_MANY_PARTS, messages.HTML_TOO_BIG):
        assert CANARY not in message and "invoice" not in message


def test_an_html_body_with_nothing_visible_leaves_the_headers():
    doc = read_bytes("m.eml", make_eml(html="<p hidden>tracking only</p>").as_bytes())
    assert doc.text == HEAD + "Subject: Your invoice\n"


def test_an_html_body_too_big_to_render_refuses_the_message(monkeypatch):
    monkeypatch.setattr(limits, "MAX_HTML_ELEMENTS", 50)
    with pytest.raises(ReadError) as exc:
        read_bytes("m.eml", make_eml(html="<p>" + "<b>x</b>" * 100).as_bytes())
    assert str(exc.value) == messages.HTML_TOO_BIG
