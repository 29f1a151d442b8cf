"""The command line end to end: real model, real SQLCipher vault, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from strongroom.reading import read_path
from strongroom.resources import path as resource_path
from tests.helpers.canary import scan
from tests.helpers.documents import make_docx
from tests.unit.cli.test_cli import run_cli

pytestmark = pytest.mark.model

RECEIPT = resource_path("samples", "receipt.txt")
KEYS = {"path", "ok", "error", "doc_type", "type_confidence", "summary", "fields", "warnings"}




def test_extract_json_on_a_folder_with_good_and_bad_files(tmp_path, capsys, model_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "receipt.txt").write_bytes(RECEIPT.read_bytes())
    (folder / "invoice.docx").write_bytes(
        make_docx(resource_path("samples", "invoice.txt").read_text().splitlines()))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "photo.xyz").write_bytes(b"whatever")

    code, out, _ = run_cli(capsys, "extract", str(folder), "--json", "--model", str(model_path))
    rows = {Path(r["path"]).name: r for r in map(json.loads, out.splitlines())}
    assert code == 2  # some documents failed; each is reported
    assert set(rows) == {"receipt.txt", "invoice.docx", "empty.txt", "junk.txt", "photo.xyz"}
    assert all(set(r) == KEYS for r in rows.values())

    r = rows["receipt.txt"]
    assert r["ok"] and r["error"] is None and r["doc_type"] == "receipt"
    assert 0 < r["type_confidence"] <= 1 and rows["junk.txt"]["type_confidence"] is None
    assert r["summary"]
    text = read_path(folder / "receipt.txt").text
    for name, fv in r["fields"].items():
        assert set(fv) >= {"value", "normalized", "span"}
        if fv["span"] is not None:
            start, end = fv["span"]
            assert text[start:end] == fv["value"], name
    assert r["fields"]["date"]["normalized"] == "2024-03-12"
    assert r["fields"]["total"]["normalized"] == "7.25"
    assert r["fields"]["currency"]["normalized"] == "GBP"

    inv = rows["invoice.docx"]
    assert inv["ok"] and inv["doc_type"] == "invoice"
    assert inv["fields"]["invoice_number"]["value"] == "INV-2024-0187"
    assert inv["fields"]["total"]["normalized"] == "2340.00"

    assert rows["empty.txt"] == {"path": str(folder / "empty.txt"), "ok": False,
                                 "error": "The file is empty.", "doc_type": None,
                                 "type_confidence": None, "summary": None, "fields": {},
                                 "warnings": []}
    assert not rows["junk.txt"]["ok"] and "text" in rows["junk.txt"]["error"]
    assert not rows["photo.xyz"]["ok"] and "not supported" in rows["photo.xyz"]["error"]


def test_extract_an_email_and_its_attachment_with_the_real_model(tmp_path, capsys,
                                                                 model_path):
    """Issue 22: the message is a document, its Word attachment another, each
    understood on its own (the attachment exactly as the same file alone)."""
    from tests.helpers.mail import make_eml

    word = make_docx(resource_path("samples", "invoice.txt").read_text().splitlines())
    mail = tmp_path / "invoice.eml"
    mail.write_bytes(make_eml(plain=RECEIPT.read_text(), subject="Your receipt and invoice",
                              attachments={"invoice.docx": word}).as_bytes())

    code, out, _ = run_cli(capsys, "extract", str(mail), "--json", "--model", str(model_path))
    assert code == 0
    message, attachment = map(json.loads, out.splitlines())
    assert message["path"] == str(mail) and message["ok"]
    assert message["fields"]["total"]["normalized"] == "7.25"  # the receipt in the body
    assert attachment["path"] == str(mail / "invoice.docx") and attachment["ok"]
    assert attachment["doc_type"] == "invoice"
    assert attachment["fields"]["invoice_number"]["value"] == "INV-2024-0187"
    assert attachment["fields"]["total"]["normalized"] == "2340.00"


def test_process_list_show_and_the_canary_stays_in_the_vault(tmp_path, capsys, model_path):
    canary = "ZQXCANARY7731"
    src = tmp_path / "src"
    src.mkdir()
    doc = src / f"lab-{canary}.txt"
    doc.write_text(resource_path("samples", "lab_report.txt").read_text()
                   .replace("Helen Fischer", f"Helen {canary}"))
    data = tmp_path / "data"
    m = ["--data-dir", str(data), "--model", str(model_path)]

    code, out, err = run_cli(capsys, "process", str(doc), *m)
    assert code == 0, err
    assert out.startswith(f"✓ {doc} → #1 [lab_report]")

    code, out, _ = run_cli(capsys, "list", "--json", *m)
    [row] = json.loads(out)
    assert row["id"] == 1 and row["name"] == doc.name and row["doc_type"] == "lab_report"

    code, out, _ = run_cli(capsys, "show", "1", "--json", *m)
    shown = json.loads(out)
    assert canary in shown["text"] and shown["fields"]["patient"]["value"] == f"Helen {canary}"

    # Processing the same file again stores nothing new.
    code, out, _ = run_cli(capsys, "process", str(doc), *m)
    assert code == 0 and "already in the vault as #1" in out

    doc.unlink()  # the original is gone; only the vault may know the canary now
    roots = [data, tmp_path / "tmp", tmp_path / "xdg"]
    hits, scanned = scan(roots, canary)
    assert hits == []
    assert scanned >= 2 and (data / "vault.db").exists()  # the scan did see the vault
    assert not (data / "vault.db").read_bytes().startswith(b"SQLite format 3\0")


def test_installed_entry_point_runs(tmp_path, model_path):
    env = {**os.environ, "STRONGROOM_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run(
        [sys.executable, "-m", "strongroom", "extract", str(RECEIPT), "--json",
         "--model", str(model_path)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["doc_type"] == "receipt"


def test_extract_reads_a_phone_photo_of_the_sample_receipt(tmp_path, capsys, model_path):
    """OCR in the reader's child, then the same understanding: the fields are
    grounded in the OCR'd text, whose words have boxes on the photo."""
    from tests.helpers.scans import draw, encode, photo

    image, _ = draw(RECEIPT.read_text(encoding="utf-8").splitlines(), width=620, size=24)
    path = tmp_path / "IMG_2041.jpg"
    path.write_bytes(encode(photo(image, angle=2.5), "JPEG", quality=85))
    code, out, _ = run_cli(capsys, "extract", str(path), "--json", "--model", str(model_path))
    row = json.loads(out)
    assert code == 0 and row["ok"] and row["doc_type"] == "receipt", row
    assert row["fields"]["total"]["normalized"] == "7.25"
    assert row["fields"]["date"]["normalized"] == "2024-03-12"
    doc = read_path(path)
    assert doc.kind == "image" and doc.boxes
    start, end = row["fields"]["total"]["span"]
    assert doc.text[start:end] == row["fields"]["total"]["value"]
    assert any(a <= start < z for a, z, *_ in doc.boxes)  # the total has its box
