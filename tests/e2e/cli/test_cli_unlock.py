"""One unlock policy on a real OS keychain (#20): the keychain entry lost, the
passphrase from the environment opens the vault (the policy itself:
tests/unit/cli/test_cli_unlock.py, on an in-memory keychain)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from strongroom.vault import keychain
from tests.unit.cli.test_cli_unlock import _keychain_vault, _no_terminal, _vault_id, run

pytestmark = pytest.mark.usefixtures("cheap_argon2")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.mark.keychain
def test_real_keychain_lost_then_the_passphrase(data_dir: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's case on a real Secret Service: the entry deleted, then
    ``STRONGROOM_PASSPHRASE=… strongroom list`` opens the vault."""
    monkeypatch.delenv("STRONGROOM_KEYCHAIN")
    service = f"Strongroom-test-{secrets.token_hex(4)}"
    monkeypatch.setenv("STRONGROOM_KEYCHAIN_SERVICE", service)
    backend, reason = keychain.choose_backend()
    if backend is None or not keychain.probe(backend, service):
        (pytest.fail if os.environ.get("STRONGROOM_TEST_REQUIRE_KEYCHAIN") == "1"
         else pytest.skip)(f"no Secret Service reachable ({reason})")
    assert backend is not None
    _keychain_vault(data_dir, passphrase=True)
    vault_id = _vault_id(data_dir)
    try:
        backend.delete_password(service, vault_id)  # the entry lost (a new login keyring)
        _no_terminal(monkeypatch)
        code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
        assert (code, err) == (0, "") and "letter.txt" in out
    finally:
        keychain.delete_secret(backend, service, vault_id)
