"""Mutated e-mails and pages (issue 22's fuzzing, a deterministic slice of it): every
mutant is read or refused in the readers' own words, never an unclassified error."""

from __future__ import annotations

import random

import pytest

from strongroom.errors import ReadError
from strongroom.reading import messages, read_bytes
from tests.helpers.documents import make_pdf
from tests.helpers.mail import make_eml, nest

MAIL = make_eml(plain="Dear Ann,\nTotal 12.50 EUR\n", html="<p>Total <b>12.50</b></p>",
                subject="Rechnung für März",
                attachments={"a.pdf": make_pdf(["Total 1.00"]), "n.txt": b"note"}).as_bytes()
NESTED = nest(3)
PAGE = (b"<html><head><meta charset='utf-8'><style>p{}</style></head><body><table><tr><td>"
        b"Total</td><td>3.50</td></tr></table><div hidden>x</div><p>caf\xc3\xa9</p></body>")
#: Every message the readers have.
WORDS = {v for k, v in vars(messages).items() if k.isupper() and isinstance(v, str)}
TOKENS = [b"\r\n", b"--", b":", b";", b"=?utf-8?q?", b"<", b">", b"\"", b"(", b"\x00",
          b"\xff", b"Content-Type: message/rfc822\r\n", b"boundary=", b"<table>", b"<td>"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not out:
            out = bytearray(b"x")
        at = rng.randrange(len(out))
        choice = rng.random()
        if choice < 0.3:
            out[at] = rng.randrange(256)
        elif choice < 0.5:
            del out[at:at + rng.randint(1, 64)]
        elif choice < 0.8:
            out[at:at] = rng.choice(TOKENS)
        else:
            out = out[:at]  # truncated
    return bytes(out)


@pytest.mark.parametrize(("name", "seed_data"), [("m.eml", MAIL), ("fwd.eml", NESTED),
                                                 ("p.html", PAGE)])
def test_mutants_are_read_or_refused_in_words(name, seed_data):
    rng = random.Random(name)
    refused = 0
    for _ in range(80):
        data = mutate(seed_data, rng)
        try:
            doc = read_bytes(name, data)
        except ReadError as exc:
            assert str(exc) in WORDS
            refused += 1
            continue
        assert doc.text.strip()
        for attachment_name, blob in doc.attachments:
            assert "/" not in attachment_name and blob
    assert refused < 80  # most mutants are still a message or a page
