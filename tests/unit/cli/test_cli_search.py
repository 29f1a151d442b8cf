"""`strongroom search` on a real vault: exit codes and exact output (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strongroom.launcher import main
from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault
from tests.conftest import PASSPHRASE


@pytest.fixture
def vault_dir(tmp_path: Path, cheap_argon2: None) -> Path:
    folder = tmp_path / "data"
    with Vault.create(folder, passphrase=PASSPHRASE) as vault:
        for name, text, doc_type, date in [
            ("dental.txt", "Harbour Dental Clinic, root canal", "receipt", "2024-02-14"),
            ("power.txt", "Northwind Electricity", "invoice", "2023-09-17"),
            ("note.txt", "Dental appointment", "letter", None),
        ]:
            vault.add_document(Document(name, "text", text, text.encode(), (0,)),
                               Extraction(doc_type, f"About {name}.", doc_date=date,
                                          fields={"x": FieldValue()}))
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_prints_like_list(capsys, vault_dir: Path) -> None:
    code, out, err = run(capsys, "search", "dental", "--data-dir", str(vault_dir))
    assert code == 0 and err == ""
    assert sorted(out.splitlines()) == [
        "    1  receipt        2024-02-14  dental.txt",
        "    3  letter                     note.txt",
    ]
    code, out, _ = run(capsys, "search", "root", "can", "--data-dir", str(vault_dir))
    assert out == "    1  receipt        2024-02-14  dental.txt\n"


def test_search_json_and_filters(capsys, vault_dir: Path) -> None:
    code, out, _ = run(capsys, "search", "dental", "--type", "receipt", "--from", "2024",
                       "--to", "2024-02", "--json", "--data-dir", str(vault_dir))
    assert code == 0
    [row] = json.loads(out)
    assert {k: row[k] for k in ("id", "name", "doc_type", "date", "summary")} == {
        "id": 1, "name": "dental.txt", "doc_type": "receipt", "date": "2024-02-14",
        "summary": "About dental.txt."}
    code, out, _ = run(capsys, "search", "--type", "invoice", "--json",
                       "--data-dir", str(vault_dir))
    assert [r["name"] for r in json.loads(out)] == ["power.txt"]  # filters only


def test_search_hostile_no_match_and_bad_date(capsys, vault_dir: Path) -> None:
    code, out, err = run(capsys, "search", 'name:"x* OR', "--data-dir", str(vault_dir))
    assert (code, out, err) == (0, "", "strongroom: no documents match.\n")
    code, out, err = run(capsys, "search", "x", "--from", "March", "--data-dir", str(vault_dir))
    assert code == 1 and out == ""
    assert err == ("strongroom: Dates are written as YYYY, YYYY-MM or YYYY-MM-DD "
                   "(for example 2024-03-05).\n")
