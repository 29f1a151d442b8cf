"""An in-memory stand-in for an allowlisted OS keychain, for vault and window tests."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest

from strongroom.vault import keychain


class MemoryKeychain:
    """Stands in for an allowlisted OS keychain (added to the allowlist per test).

    Deliberately not a ``KeyringBackend`` subclass: that would register it with
    keyring for every later test in the process.
    """

    def __init__(self, *, broken: bool = False) -> None:
        self.items: dict[tuple[str, str], str] = {}
        self.broken = broken
        self.calls: list[str] = []

    def set_password(self, service: str, user: str, value: str) -> None:
        self.calls.append("set")
        if self.broken:
            raise keyring.errors.KeyringLocked("locked")
        self.items[(service, user)] = value

    def get_password(self, service: str, user: str) -> str | None:
        self.calls.append("get")
        return self.items.get((service, user))

    def delete_password(self, service: str, user: str) -> None:
        self.calls.append("delete")
        del self.items[(service, user)]


MEMORY_NAME = f"{MemoryKeychain.__module__}.MemoryKeychain"


def install(monkeypatch: pytest.MonkeyPatch) -> MemoryKeychain:
    """Make a fresh ``MemoryKeychain`` the usable system keychain for one test."""
    kc = MemoryKeychain()
    monkeypatch.delenv("STRONGROOM_KEYCHAIN", raising=False)
    monkeypatch.setitem(keychain.ALLOWED_BACKENDS, MEMORY_NAME, "test keychain")
    monkeypatch.setattr(keyring, "get_keyring", lambda: kc)
    monkeypatch.setattr(keyring.backend, "get_all_keyring", lambda: [])
    return kc
