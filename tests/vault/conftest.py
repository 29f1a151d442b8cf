"""Vault test fixtures: keychain off and cheap Argon2id unless a test says otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _vault_env(cheap_argon2: None) -> None:
    """Argon2id made cheap (tests/conftest.py already keeps the person's keychain out).

    ``test_real_argon2_parameters`` puts the real parameters back.
    """


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# -- the kill tests (test_vault_crash*.py, test_vault_disk_full.py) ----------------------
@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for a module's template vaults, made with cheap Argon2id (their
    key files keep it, so every open in a child is cheap too)."""
    from strongroom.vault import keys

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "ARGON2_MEMORY_KIB", 1024)
        mp.setattr(keys, "ARGON2_TIME_COST", 1)
        mp.setattr(keys, "ARGON2_CALIBRATE", False)
        yield tmp_path_factory.mktemp("templates")


@pytest.fixture(scope="module")
def commit_template(templates: Path) -> Path:
    """A vault with two documents, copied before each kill (never killed itself)."""
    from crash_support import SEED, make_template, new_docs, seeded

    return make_template(templates / "commit", new_docs(seeded(SEED), 2, "kept"))
