"""``strongroom process`` on an e-mail: a line for the message and one for each
attachment, each its own document linked to the message (issue 22). The fake backend
reads the documents (tests/helpers/fake_backend.py)."""

from __future__ import annotations

import json
from pathlib import Path

from strongroom.reading import messages
from tests.helpers.documents import make_pdf
from tests.helpers.mail import make_eml, nest
from tests.unit.cli.test_cli import run_cli


def test_process_an_email_stores_its_attachment_linked_to_it(
        tmp_path: Path, capsys, fake_backend, fake_model, cheap_argon2) -> None:  # type: ignore[no-untyped-def]
    mail = tmp_path / "bill.eml"
    mail.write_bytes(make_eml(plain="Dear Ann,\nyour bill is attached.\n",
                              attachments={"bill.pdf": make_pdf(["Total 12.50 EUR"])}
                              ).as_bytes())
    deep = tmp_path / "deep.eml"
    deep.write_bytes(nest(50))
    m = ["--data-dir", str(tmp_path / "data"), "--model", str(fake_model)]

    code, out, _ = run_cli(capsys, "process", str(mail), str(deep), *m)
    assert code == 2  # the deep one failed, in words; the rest was stored
    lines = out.splitlines()
    assert lines[0].startswith(f"✓ {mail} → #1 [")
    assert any(line.startswith(f"✓ {mail / 'bill.pdf'} → #2 [") for line in lines)
    assert lines[-1] == f"✗ {deep}: {messages.EMAIL_TOO_DEEP}"

    code, out, _ = run_cli(capsys, "show", "2", "--json", *m)
    shown = json.loads(out)
    assert shown["name"] == "bill.pdf" and shown["parent_id"] == 1
    assert "Total 12.50 EUR" in shown["text"]
    code, out, _ = run_cli(capsys, "show", "2", *m)
    assert out.startswith("#2 bill.pdf [") and "(attached to #1)" in out.splitlines()[0]

    code, out, _ = run_cli(capsys, "extract", str(mail), "--json", *m[2:])
    rows = [json.loads(line) for line in out.splitlines()]
    assert [Path(r["path"]).name for r in rows] == ["bill.eml", "bill.pdf"]
    assert all(r["ok"] for r in rows)


def test_pdf_password_opens_a_locked_attachment_too(
        tmp_path: Path, capsys, monkeypatch, fake_backend, fake_model, cheap_argon2) -> None:  # type: ignore[no-untyped-def]
    password = "mail-pw-90ad"  # noqa: S105 - a test's password
    mail = tmp_path / "clinic.eml"
    mail.write_bytes(make_eml(plain="Dear Ann,\nthe letter is attached.\n", attachments={
        "letter.pdf": make_pdf(["Harbour Clinic, total 40.00 EUR"], user_password=password)}
    ).as_bytes())
    m = ["--data-dir", str(tmp_path / "data"), "--model", str(fake_model)]

    code, out, err = run_cli(capsys, "process", str(mail), *m)
    assert code == 2 and out.splitlines()[-1] == (
        f"✗ {mail / 'letter.pdf'}: {messages.PDF_LOCKED}")

    monkeypatch.setenv("STRONGROOM_PDF_PASSWORD", password)
    code, out, err = run_cli(capsys, "process", str(mail), "--pdf-password", *m)
    assert password not in out + err
    # the message is in the vault already: it brings the attachment the vault lacks
    assert code == 0 and out.splitlines()[0] == f"= {mail}: already in the vault as #1"
    assert out.splitlines()[1].startswith(f"✓ {mail / 'letter.pdf'} → #2 [")
    code, out, _ = run_cli(capsys, "show", "2", *m)
    assert "(attached to #1)" in out.splitlines()[0]
