"""Vault test fixtures: keychain off and cheap Argon2id unless a test says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.vault import keys


@pytest.fixture(autouse=True)
def _vault_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the person's keychain unless it says so; Argon2id made cheap.

    ``test_real_argon2_parameters`` puts the real parameters back.
    """
    monkeypatch.setenv("STRONGROOM_KEYCHAIN", "off")
    monkeypatch.setenv("STRONGROOM_KEYCHAIN_SERVICE", "Strongroom-tests")
    monkeypatch.setattr(keys, "ARGON2_MEMORY_KIB", 1024)
    monkeypatch.setattr(keys, "ARGON2_TIME_COST", 1)
    monkeypatch.setattr(keys, "ARGON2_CALIBRATE", False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
