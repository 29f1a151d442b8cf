"""A vault is never overwritten, re-created or changed by a failed open.

Damage to vault.db and the files beside it: test_vault_corrupted.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from strongroom.errors import KeyUnavailable, PassphraseRequired, VaultError, WrongKey
from strongroom.vault import Vault, db, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.helpers.vault import make_doc, make_extraction, snapshot, write_envelope_json

PW = "s3cret passphrase"


@pytest.fixture
def vault_dir(data_dir: Path) -> Path:
    with Vault.create(data_dir, passphrase=PW) as vault:
        vault.add_document(make_doc(), make_extraction())
    return data_dir


def _refused(folder: Path, exc: type[Exception], match: str, **kw: object) -> None:
    """Opening (and open_or_create, and create) fail and change nothing at all."""
    before = snapshot(folder)
    for call in (Vault.open, Vault.open_or_create):
        with pytest.raises(exc, match=match):
            call(folder, **kw)
        assert snapshot(folder) == before
    with pytest.raises(VaultError):
        Vault.create(folder, passphrase=PW)
    assert snapshot(folder) == before


def test_wrong_passphrase_changes_nothing(vault_dir: Path) -> None:
    _refused(vault_dir, WrongKey, "passphrase is not correct", passphrase="wrong")
    with Vault.open(vault_dir, passphrase=PW) as vault:  # still opens
        assert len(vault.list_documents()) == 1


def test_missing_or_empty_passphrase(vault_dir: Path) -> None:
    _refused(vault_dir, PassphraseRequired, "locked with a passphrase")
    _refused(vault_dir, PassphraseRequired, "cannot be empty", passphrase="")


def test_empty_passphrase_refused_on_create(data_dir: Path) -> None:
    with pytest.raises(PassphraseRequired, match="cannot be empty"):
        Vault.create(data_dir, passphrase="")
    assert not data_dir.exists()


def test_no_keychain_and_no_passphrase_asks_for_one(data_dir: Path) -> None:
    usable, reason = Vault.keychain_usable()
    assert not usable and "STRONGROOM_KEYCHAIN=off" in reason
    with pytest.raises(PassphraseRequired, match="passphrase"):
        Vault.create(data_dir)
    assert not data_dir.exists()


def test_create_never_overwrites(vault_dir: Path) -> None:
    before = snapshot(vault_dir)
    with pytest.raises(VaultError, match="already exists"):
        Vault.create(vault_dir, passphrase="another one")
    assert snapshot(vault_dir) == before


def test_open_without_vault_creates_nothing(data_dir: Path) -> None:
    with pytest.raises(VaultError, match="No vault was found"):
        Vault.open(data_dir, passphrase=PW)
    assert not data_dir.exists()


@pytest.mark.parametrize("missing", [KEYS_NAME, DB_NAME])
def test_half_a_vault_is_refused(vault_dir: Path, missing: str) -> None:
    (vault_dir / missing).unlink()
    with pytest.raises(VaultError, match=f"\\({missing}\\) is missing"):
        Vault.unlock_method(vault_dir)
    _refused(vault_dir, VaultError, f"\\({missing}\\) is missing", passphrase=PW)
    assert not (vault_dir / missing).exists()


def test_newer_envelope_refused_untouched(vault_dir: Path) -> None:
    env = json.loads((vault_dir / KEYS_NAME).read_text())
    env["version"] = keys.VERSION + 1
    write_envelope_json(vault_dir / KEYS_NAME, env)
    _refused(vault_dir, VaultError, "newer version of Strongroom", passphrase=PW)


def test_damaged_envelope_refused_untouched(vault_dir: Path) -> None:
    (vault_dir / KEYS_NAME).write_text("{not json")
    _refused(vault_dir, VaultError, "key file .* is damaged", passphrase=PW)


def test_swapped_method_label_fails_tag(vault_dir: Path) -> None:
    """The AAD binds the method: relabelling a wrapped key does not verify."""
    env = keys.read_envelope(vault_dir / KEYS_NAME)
    wrapped = env.keys[0]
    kek = keys.derive_kek(PW, keys.Argon2Params.from_json(wrapped.params["kdf"]))
    assert len(keys.unwrap(wrapped, kek, vault_id=env.vault_id, wrong="x")) == 32
    with pytest.raises(WrongKey):
        keys.unwrap(wrapped, kek, vault_id="0" * 32, wrong="x")
    relabelled = keys.WrappedKey(keys.KEYCHAIN, wrapped.nonce, wrapped.ciphertext, {})
    with pytest.raises(WrongKey):
        keys.unwrap(relabelled, kek, vault_id=env.vault_id, wrong="x")


def test_keychain_vault_with_keychain_off(vault_dir: Path) -> None:
    env = json.loads((vault_dir / KEYS_NAME).read_text())
    w = env["keys"][0]
    env["keys"] = [{"method": "keychain", "alg": w["alg"], "nonce": w["nonce"],
                    "ciphertext": w["ciphertext"], "service": "Strongroom-tests",
                    "backend": "keyring.backends.SecretService.Keyring"}]
    write_envelope_json(vault_dir / KEYS_NAME, env)
    assert Vault.unlock_method(vault_dir) == "keychain"
    _refused(vault_dir, KeyUnavailable, "keychain is turned off")


@pytest.mark.parametrize("bad_key", [None, b"", b"short", b"\x00" * 31, b"\x00" * 33,
                                     "0" * 64, bytearray(32)])
def test_bad_key_never_reaches_connect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       bad_key: object) -> None:
    calls: list[object] = []
    monkeypatch.setattr(sqlcipher, "connect", lambda *a, **k: calls.append(a))
    with pytest.raises(ValueError, match="32 bytes"):
        db.connect(tmp_path / "x.db", bad_key)  # type: ignore[arg-type]
    assert calls == []
    assert not (tmp_path / "x.db").exists()


def test_connect_never_creates_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(sqlcipher.OperationalError):
        db.connect(folder / "absent.db", keys.new_key())
    assert list(folder.iterdir()) == []
