"""The OS keychain: allowlisted backends only, probed, never re-created on a miss."""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.util.platform_
import pytest
from keyring.backends import chainer, fail, null
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

from strongroom.errors import KeyUnavailable, PassphraseRequired, VaultError, WrongKey
from strongroom.vault import Vault, keychain, keys
from strongroom.vault.db import KEYS_NAME
from tests.helpers.memkeychain import MEMORY_NAME, MemoryKeychain, install
from tests.helpers.vault import make_doc, make_extraction, snapshot, write_envelope_json

SERVICE = "Strongroom-tests"


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeychain:
    return install(monkeypatch)


def _spied(backend: Any) -> list[str]:
    """Record any write to ``backend`` (instance attributes shadow the methods)."""
    calls: list[str] = []

    def spy(name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            calls.append(name)
            raise AssertionError(f"{name} called on a refused keychain")
        return record

    for name in ("set_password", "get_password", "delete_password"):
        setattr(backend, name, spy(name))
    return calls


def _bare(cls: type) -> Any:
    # EncryptedKeyring's __init__ needs pycryptodome; the class is what is judged.
    return cls.__new__(cls)


def _chain_of(monkeypatch: pytest.MonkeyPatch, backends: list[Any]) -> Any:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", backends)
    return chainer.ChainerBackend()


REFUSED = {
    "null": lambda: null.Keyring(),
    "fail": lambda: fail.Keyring(),
    "plaintext": lambda: _bare(PlaintextKeyring),
    "encrypted": lambda: _bare(EncryptedKeyring),
}


@pytest.mark.parametrize("kind", [*REFUSED, "chainer"])
def test_refused_backends(kind: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRONGROOM_KEYCHAIN")
    if kind == "chainer":
        members = [make() for make in REFUSED.values()]
        calls = [c for b in members for c in _spied(b)]
        active = _chain_of(monkeypatch, members)
    else:
        active = REFUSED[kind]()
        calls = _spied(active)
    monkeypatch.setattr(keyring, "get_keyring", lambda: active)
    usable, reason = Vault.keychain_usable()
    assert not usable and "No supported system keychain" in reason
    with pytest.raises(PassphraseRequired, match="Choose a passphrase"):
        Vault.create(data_dir)
    assert calls == [] and not data_dir.exists()


@pytest.mark.parametrize("forced", ["keyring.backends.SecretService.Keyring",
                                    "keyrings.alt.file.PlaintextKeyring"])
@pytest.mark.parametrize("how", ["env", "config"])
def test_forced_backend_refused(memory: MemoryKeychain, data_dir: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, how: str, forced: str) -> None:
    """A backend forced through PYTHON_KEYRING_BACKEND or keyringrc.cfg is refused,
    even an allowlisted one: forcing skips keyring's own viability checks."""
    config_home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    if how == "env":
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", forced)
    else:
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        cfg = Path(keyring.util.platform_.config_root()) / "keyringrc.cfg"
        assert cfg.is_relative_to(config_home)
        cfg.parent.mkdir(parents=True)
        cfg.write_text(f"[backend]\ndefault-keyring = {forced}\n")
    usable, reason = Vault.keychain_usable()
    assert not usable
    assert ("PYTHON_KEYRING_BACKEND is set" if how == "env" else "keyringrc.cfg") in reason
    with pytest.raises(PassphraseRequired, match="will not use a forced one"):
        Vault.create(data_dir)
    assert memory.calls == [] and not data_dir.exists()
    with Vault.create(data_dir, passphrase="a passphrase instead") as vault:
        assert vault.key_method == "passphrase"
    assert memory.items == {}


def test_forcing_noticed_only_when_set(memory: MemoryKeychain, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    assert keychain.forced_by() is None
    cfg = Path(keyring.util.platform_.config_root()) / "keyringrc.cfg"
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[backend]\nkeyring-path = /nowhere\n")  # a config that forces nothing
    assert keychain.forced_by() is None
    assert Vault.keychain_usable() == (True, "")


def test_chainer_uses_first_allowlisted(memory: MemoryKeychain, data_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _bare(PlaintextKeyring)
    calls = _spied(plain)
    active = _chain_of(monkeypatch, [plain, memory])
    monkeypatch.setattr(keyring, "get_keyring", lambda: active)
    assert Vault.keychain_usable() == (True, "")
    Vault.create(data_dir).close()
    assert calls == []
    assert len(memory.items) == 1


def test_keychain_off_switch(memory: MemoryKeychain, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRONGROOM_KEYCHAIN", "off")
    assert Vault.keychain_usable()[0] is False
    assert memory.calls == []


def test_keychain_round_trip(memory: MemoryKeychain, data_dir: Path) -> None:
    assert Vault.keychain_usable() == (True, "")
    assert memory.items == {}  # the probe cleaned up after itself
    with Vault.create(data_dir) as vault:
        assert vault.key_method == "keychain"
        doc_id = vault.add_document(make_doc(), make_extraction())
    env = json.loads((data_dir / KEYS_NAME).read_text())
    wrapped, recovery_key = env["keys"]
    assert recovery_key["method"] == "recovery"
    assert wrapped["backend"] == MEMORY_NAME and wrapped["service"] == SERVICE
    [(service, user)] = memory.items
    assert (service, user) == (SERVICE, env["vault_id"])
    assert len(base64.b64decode(memory.items[(service, user)])) == 32
    assert memory.items[(service, user)] not in (data_dir / KEYS_NAME).read_text()
    assert Vault.unlock_method(data_dir) == "keychain"
    with Vault.open(data_dir, passphrase="ignored for a keychain vault") as vault:
        assert vault.key_method == "keychain"
        assert vault.get(doc_id).name == "letter.txt"


def test_missing_keychain_entry(memory: MemoryKeychain, data_dir: Path) -> None:
    Vault.create(data_dir).close()
    memory.items.clear()
    before = snapshot(data_dir)
    for call in (Vault.open, Vault.open_or_create):
        with pytest.raises(KeyUnavailable, match="not found in the system keychain"):
            call(data_dir)
    assert snapshot(data_dir) == before
    assert memory.items == {}  # nothing re-created


def test_wrong_keychain_entry(memory: MemoryKeychain, data_dir: Path) -> None:
    Vault.create(data_dir).close()
    [entry] = memory.items
    memory.items[entry] = base64.b64encode(secrets.token_bytes(32)).decode()
    before = snapshot(data_dir)
    with pytest.raises(WrongKey, match="does not open this vault"):
        Vault.open(data_dir)
    assert snapshot(data_dir) == before


def test_recorded_keychain_gone(memory: MemoryKeychain, data_dir: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.create(data_dir).close()
    monkeypatch.setattr(keyring, "get_keyring", lambda: null.Keyring())
    before = snapshot(data_dir)
    with pytest.raises(KeyUnavailable, match="not available now"):
        Vault.open(data_dir)
    assert snapshot(data_dir) == before


def test_envelope_naming_a_refused_backend(memory: MemoryKeychain, data_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.create(data_dir).close()
    env = json.loads((data_dir / KEYS_NAME).read_text())
    env["keys"][0]["backend"] = "keyrings.alt.file.PlaintextKeyring"
    write_envelope_json(data_dir / KEYS_NAME, env)
    plain = _bare(PlaintextKeyring)
    calls = _spied(plain)
    monkeypatch.setattr(keyring, "get_keyring", lambda: _chain_of(monkeypatch, [plain]))
    with pytest.raises(KeyUnavailable, match="not available now"):
        Vault.open(data_dir)
    assert calls == []


def test_locked_keychain_falls_back_to_passphrase(memory: MemoryKeychain, data_dir: Path) -> None:
    memory.broken = True
    usable, reason = Vault.keychain_usable()
    assert not usable and "locked" in reason
    with pytest.raises(PassphraseRequired):
        Vault.create(data_dir)
    with Vault.create(data_dir, passphrase="fallback") as vault:
        assert vault.key_method == "passphrase"


@pytest.mark.parametrize("method", ["keychain", "passphrase"])
def test_failed_create_leaves_nothing(memory: MemoryKeychain, data_dir: Path,
                                      monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    def boom(path: Path, envelope: keys.Envelope) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keys, "write_envelope", boom)
    with pytest.raises(VaultError, match="could not be created"):
        Vault.create(data_dir, passphrase=None if method == "keychain" else "pw")
    assert snapshot(data_dir) == {}
    assert memory.items == {}
