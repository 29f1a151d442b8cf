"""The real OS keychain (Secret Service on Linux): store, reopen, delete.

The keychain's logic against an in-memory keyring: tests/unit/vault/test_vault_keychain.py."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

import pytest

from strongroom.errors import KeyUnavailable
from strongroom.vault import Vault, keychain, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.helpers.vault import make_doc, make_extraction, snapshot

REAL_SECRET_SERVICE = ("keyring.backends.SecretService.Keyring",
                       "keyring.backends.libsecret.Keyring")
#: CI sets this so a missing Secret Service fails the job instead of skipping quietly.
REQUIRE_ENV = "STRONGROOM_TEST_REQUIRE_KEYCHAIN"
CI_HINT = ("run under: dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock "
           "--components=secrets >/dev/null; python -m pytest -m keychain tests/e2e/vault'")


@pytest.mark.keychain
def test_real_secret_service(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Store in a real Secret Service, reopen with a new Vault object, delete."""
    monkeypatch.delenv("STRONGROOM_KEYCHAIN")
    service = f"Strongroom-test-{secrets.token_hex(4)}"
    monkeypatch.setenv("STRONGROOM_KEYCHAIN_SERVICE", service)
    skip = pytest.fail if os.environ.get(REQUIRE_ENV) == "1" else pytest.skip
    backend, reason = keychain.choose_backend()
    if backend is None or keychain.backend_name(backend) not in REAL_SECRET_SERVICE:
        skip(f"no Secret Service reachable ({reason or backend!r}); {CI_HINT}")
    if not keychain.probe(backend, service):
        skip(f"the Secret Service did not pass the probe (locked?); {CI_HINT}")
    assert backend is not None
    assert Vault.keychain_usable() == (True, "")

    vault_id = None
    try:
        with Vault.create(data_dir) as vault:
            assert vault.key_method == "keychain"
            doc_id = vault.add_document(make_doc(), make_extraction())
        env = keys.read_envelope(data_dir / KEYS_NAME)
        vault_id = env.vault_id
        assert env.keys[0].params["backend"] == keychain.backend_name(backend)
        assert backend.get_password(service, vault_id) is not None
        if os.name == "posix":
            assert stat.S_IMODE((data_dir / DB_NAME).stat().st_mode) == 0o600

        with Vault.open(data_dir) as again:  # a new Vault object reads the keychain again
            assert again.key_method == "keychain"
            assert again.get(doc_id).name == "letter.txt"
            again.delete(doc_id)
            assert again.list_documents() == []

        backend.delete_password(service, vault_id)
        before = snapshot(data_dir)
        with pytest.raises(KeyUnavailable, match="not found in the system keychain"):
            Vault.open(data_dir)
        assert snapshot(data_dir) == before
        assert backend.get_password(service, vault_id) is None  # not re-created
        vault_id = None
    finally:
        if vault_id is not None:
            keychain.delete_secret(backend, service, vault_id)
