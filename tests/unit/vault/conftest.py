"""Vault test fixtures: keychain off and cheap Argon2id unless a test says otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _vault_env(cheap_argon2: None) -> None:
    """Argon2id made cheap (tests/conftest.py already keeps the person's keychain out).

    ``test_real_argon2_parameters`` (tests/e2e/vault) puts the real parameters back.
    """


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
