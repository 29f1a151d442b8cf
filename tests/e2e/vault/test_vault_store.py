"""The real Argon2id parameters (a second or more per vault on purpose; the rest of the
store: tests/unit/vault/test_vault_store.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strongroom.vault import Vault, keys
from strongroom.vault.db import KEYS_NAME
from tests.helpers.vault import REAL_ARGON2

PW = "correct horse battery staple"


def test_real_argon2_parameters(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New vaults get Argon2id m=64 MiB, t≥3 (calibrated to this machine), p=1 and a
    16-byte salt (the fixture lowers them), stored beside the wrapped key."""
    assert REAL_ARGON2 == (64 * 1024, 3, 1)
    monkeypatch.setattr(keys, "ARGON2_MEMORY_KIB", REAL_ARGON2[0])
    monkeypatch.setattr(keys, "ARGON2_TIME_COST", REAL_ARGON2[1])
    monkeypatch.setattr(keys, "ARGON2_CALIBRATE", True)
    Vault.create(data_dir, passphrase=PW).close()
    for wrapped in json.loads((data_dir / KEYS_NAME).read_text())["keys"]:  # passphrase, code
        kdf = wrapped["kdf"]
        assert (kdf["name"], kdf["memory_kib"], kdf["parallelism"]) == ("argon2id", 65536, 1)
        assert 3 <= kdf["time_cost"] <= 64
        assert len(keys._unb64(kdf["salt"])) == 16
    Vault.open(data_dir, passphrase=PW).close()
