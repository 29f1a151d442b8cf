"""Backup to one encrypted file and restore from it, tried hard to break (issue 13).

Every refusal is checked two ways: its own message, and the live vault's bytes
(sha256 of every file in the data folder and beside it) unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
from pathlib import Path

import pytest

from strongroom.errors import VaultError, WrongKey
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault, backup, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME, PLAIN_SQLITE_HEADER, connect
from tests.helpers.vault import make_doc, snapshot

PW = "correct horse battery staple"
CANARY = "QQBACKUPCANARY4471"


def fill(vault: Vault) -> list[int]:
    ids = []
    for i, (name, text, doc_type, date) in enumerate([
        ("dental.txt", f"Harbour Dental Clinic root canal {CANARY}", "receipt", "2024-02-14"),
        ("power.txt", "Northwind Electricity 312 kWh", "invoice", "2023-09-17"),
        ("note.txt", "Dental appointment", "letter", None),
    ]):
        fields = {"total": FieldValue(f"{i}.50", f"{i}.50", (0, 4)),
                  "patient": FieldValue(CANARY, CANARY, (0, len(CANARY)))}
        ids.append(vault.add_document(make_doc(name=name, text=text),
                                      Extraction(doc_type, f"About {name}.", fields=fields,
                                                 doc_date=date)))
    return ids


def content(vault: Vault) -> list[object]:
    """Everything a person can get back: documents, fields, bytes, search hits."""
    docs = [vault.get(r.id) for r in vault.list_documents()]
    return [docs, [vault.original_bytes(d.id) for d in docs],
            [r.id for r in vault.search("dental")], [r.id for r in vault.search(CANARY)]]


@pytest.fixture
def made(tmp_path: Path, data_dir: Path) -> tuple[Path, list[object]]:
    """A vault with three documents and a backup of it: (backup file, content)."""
    with Vault.create(data_dir, passphrase=PW) as vault:
        fill(vault)
        before = content(vault)
        out = tmp_path / "out"
        out.mkdir()
        backup.write_backup(vault, out / "vault.srbackup")
    return out / "vault.srbackup", before


def everything(tmp_path: Path) -> dict[str, str]:
    """sha256 of every file under tmp_path except the backups being tried."""
    return {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("out/")}


def test_round_trip_into_an_empty_folder(tmp_path: Path, made) -> None:
    path, before = made
    target = tmp_path / "elsewhere" / "data"
    info = backup.restore(path, target, passphrase=PW)
    assert info.methods == ("passphrase", "recovery") and info.size > 0
    assert sorted(p.name for p in target.iterdir()) == [DB_NAME, KEYS_NAME]
    assert sorted(p.name for p in target.parent.iterdir()) == ["data"]  # staging gone
    with Vault.open(target, passphrase=PW) as vault:
        assert content(vault) == before
        assert vault.search(CANARY)  # the index came back, not just the rows
    assert stat.S_IMODE((target / DB_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_round_trip_replacing_a_changed_vault(tmp_path: Path, data_dir: Path, made) -> None:
    path, before = made
    with Vault.open(data_dir, passphrase=PW) as vault:
        vault.delete(vault.list_documents()[0].id)
        vault.add_document(make_doc(name="later.txt", text="added after the backup"),
                           Extraction("letter", "Later."))
        assert content(vault) != before
    with pytest.raises(VaultError, match="A vault already exists in .* use --replace"):
        backup.restore(path, data_dir, passphrase=PW)
    backup.restore(path, data_dir, passphrase=PW, replace=True)
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, KEYS_NAME]  # old pair gone
    with Vault.open(data_dir, passphrase=PW) as vault:
        assert content(vault) == before
        assert vault.search("later") == []


def test_restored_database_is_the_backed_up_database(tmp_path: Path, data_dir: Path,
                                                     made) -> None:
    """Page for page the same logical content: a plaintext dump of both compared."""
    path, _ = made
    target = tmp_path / "restored"
    backup.restore(path, target, passphrase=PW)
    dumps = []
    for folder in (data_dir, target):
        env = keys.read_envelope(folder / KEYS_NAME)
        wrapped = env.wrapped_for(keys.PASSPHRASE)
        assert wrapped is not None
        kek = keys.derive_kek(PW, keys.Argon2Params.from_json(wrapped.params["kdf"]))
        conn = connect(folder / DB_NAME, keys.unwrap(wrapped, kek, vault_id=env.vault_id,
                                                     wrong="x"))
        dumps.append(_dump(conn))
        conn.close()
    assert dumps[0] == dumps[1]


def _dump(conn: object) -> str:
    """sha256 of the schema and every row of every real table (FTS5 shadow tables too)."""
    h = hashlib.sha256()
    schema = conn.execute(  # type: ignore[attr-defined]
        "SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    h.update(repr(schema).encode())
    for kind, name, sql in schema:
        if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL"):
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()  # type: ignore[attr-defined]
            h.update(repr((name, sorted(rows, key=repr))).encode())
    return h.hexdigest()


def test_backup_file_holds_no_plaintext(made) -> None:
    path, _ = made
    blob = path.read_bytes()
    assert blob.startswith(backup.MAGIC)
    for needle in (CANARY.encode(), CANARY.lower().encode(), CANARY.encode("utf-16-le"),
                   b"Harbour", b"dental.txt", PLAIN_SQLITE_HEADER, PW.encode()):
        assert needle not in blob
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_never_overwrites_unless_forced(tmp_path: Path, data_dir: Path, made) -> None:
    path, _ = made
    original = path.read_bytes()
    with Vault.open(data_dir, passphrase=PW) as vault:
        with pytest.raises(VaultError, match="already exists.*--force"):
            backup.write_backup(vault, path)
        assert path.read_bytes() == original
        backup.write_backup(vault, path, force=True)
    assert path.read_bytes() != original  # new snapshot (new time, new salt)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp left
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, KEYS_NAME]


def _split(blob: bytes) -> tuple[dict, bytes]:
    n = len(backup.MAGIC)
    (length,) = struct.unpack(">I", blob[n:n + 4])
    return json.loads(blob[n + 4:n + 4 + length]), blob[n + 4 + length:]


def _join(header: dict, payload: bytes, *, fix_sha: bool = True) -> bytes:
    if fix_sha:
        header["payload"] = {"size": len(payload),
                             "sha256": hashlib.sha256(payload).hexdigest()}
    raw = json.dumps(header).encode()
    return backup.MAGIC + struct.pack(">I", len(raw)) + raw + payload


def _other_vault_backup(tmp_path: Path) -> bytes:
    with Vault.create(tmp_path / "other", passphrase=PW) as other:
        other.add_document(make_doc(name="x.txt", text="another vault"), Extraction("letter", "X"))
        backup.write_backup(other, tmp_path / "other.srbackup")
    return (tmp_path / "other.srbackup").read_bytes()


def _flip(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x40]) + blob[at + 1:]


CORRUPTIONS = {
    "flipped payload byte": (lambda b, o: _flip(b, len(b) - 5000),
                             "damaged (its contents do not match its checksum)"),
    "truncated payload": (lambda b, o: b[:-4096], "damaged (it is incomplete: "),
    "truncated header": (lambda b, o: b[:len(backup.MAGIC) + 10], "ends inside its header"),
    "empty file": (lambda b, o: b"", "is not a Strongroom backup"),
    "wrong magic": (lambda b, o: b"SQLite format 3\x00" + b[16:], "is not a Strongroom backup"),
    "junk header": (lambda b, o: backup.MAGIC + struct.pack(">I", 5) + b"{{{{{" + b,
                    "damaged (its header is unreadable)"),
    "newer format": (lambda b, o: _join({**_split(b)[0], "version": 99}, _split(b)[1]),
                     "made by a newer version of Strongroom"),
    "envelope of another vault": (
        lambda b, o: _join({**_split(b)[0], "envelope": _split(o)[0]["envelope"]}, _split(b)[1]),
        "its key section belongs to another vault"),
    "another vault's header and envelope": (
        lambda b, o: _join(_split(o)[0], _split(b)[1]),
        "its database does not open with its key: it belongs to another vault"),
    "page altered, checksum fixed": (
        lambda b, o: _join(_split(b)[0], _flip(_split(b)[1], 3 * 4096 + 100)),
        "1 database page(s) fail their HMAC"),
    "damaged envelope": (
        lambda b, o: _join({**_split(b)[0], "envelope": {"format": "nope"}}, _split(b)[1]),
        "its key section is unreadable"),
}


@pytest.mark.parametrize("replace", [True, False], ids=["over-vault", "empty-target"])
@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_damaged_backup_is_refused_before_anything_is_touched(
        tmp_path: Path, data_dir: Path, made, kind: str, replace: bool) -> None:
    path, _ = made
    other = _other_vault_backup(tmp_path)
    make, message = CORRUPTIONS[kind]
    bad = tmp_path / "out" / "bad.srbackup"
    bad.write_bytes(make(path.read_bytes(), other))
    target = data_dir if replace else tmp_path / "fresh" / "data"
    before = everything(tmp_path)
    with pytest.raises(VaultError) as err:
        backup.restore(bad, target, passphrase=PW, replace=replace)
    assert message in str(err.value)
    assert "Nothing was changed" in str(err.value) or "nothing was changed" in str(err.value)
    assert CANARY not in str(err.value)
    assert everything(tmp_path) == before  # no byte changed, no file left (staging removed)
    if replace:
        with Vault.open(data_dir, passphrase=PW) as vault:
            assert len(vault.list_documents()) == 3


def test_wrong_passphrase_changes_nothing(tmp_path: Path, data_dir: Path, made) -> None:
    path, _ = made
    before = everything(tmp_path)
    with pytest.raises(WrongKey, match="The passphrase is not correct"):
        backup.restore(path, data_dir, passphrase="not the passphrase", replace=True)
    assert everything(tmp_path) == before


def test_a_hot_journal_or_leftover_refuses(tmp_path: Path, data_dir: Path, made) -> None:
    path, _ = made
    journal = data_dir / (DB_NAME + "-journal")
    journal.write_bytes(bytes.fromhex("d9d505f920a163d7") + b"\x00" * 504)  # SQLite's magic
    with pytest.raises(VaultError, match="unfinished write"):
        backup.restore(path, data_dir, passphrase=PW, replace=True)
    journal.unlink()
    leftover = data_dir / (DB_NAME + backup.BEFORE_RESTORE)
    leftover.write_bytes(b"the only good copy")
    before = everything(tmp_path)
    with pytest.raises(VaultError, match="A previous restore .* did not finish"):
        backup.restore(path, data_dir, passphrase=PW, replace=True)
    assert everything(tmp_path) == before


def test_old_vault_comes_back_if_the_restored_one_does_not_open(
        tmp_path: Path, data_dir: Path, made, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = made
    with Vault.open(data_dir, passphrase=PW) as vault:
        vault.add_document(make_doc(name="later.txt", text="after"), Extraction("letter", "L"))
    before = everything(tmp_path)

    def fail(*args: object, **kwargs: object) -> Vault:
        raise VaultError("simulated: could not open")

    monkeypatch.setattr(backup.Vault, "open", fail)
    with pytest.raises(VaultError, match="simulated"):
        backup.restore(path, data_dir, passphrase=PW, replace=True)
    monkeypatch.undo()
    assert everything(tmp_path) == before


def test_backup_and_restore_leave_no_temp_files(tmp_path: Path, data_dir: Path, made) -> None:
    path, _ = made
    backup.restore(path, data_dir, passphrase=PW, replace=True)
    assert sorted(os.listdir(data_dir.parent)) == sorted(["data", "out", "xdg", "tmp"])
    assert os.listdir(tmp_path / "tmp") == []
    info = backup.inspect(path)
    assert info.methods == ("passphrase", "recovery")
    assert "passphrase" in backup.describe_methods(info)
