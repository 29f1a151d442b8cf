"""The vault's kill, damage and real-keychain tests: keychain off and cheap Argon2id
unless a test says otherwise, and the template vaults the kill tests copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import FIXTURES


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
    from tests.helpers.crash import SEED, make_template, new_docs, seeded

    return make_template(templates / "commit", new_docs(seeded(SEED), 2, "kept"))


@pytest.fixture(scope="module")
def v1_template(templates: Path) -> Path:
    """The kept version-1 vault (tests/fixtures/vaults/v1), its database untouched;
    its key file re-made with cheap Argon2id for the suite's passphrase (the
    fixture's own costs seconds per open)."""
    import shutil

    from strongroom.vault import keys
    from strongroom.vault.db import KEYS_NAME
    from strongroom.vault.locks import unlock_envelope
    from tests.conftest import PASSPHRASE

    folder = templates / "v1"
    shutil.copytree(FIXTURES / "vaults" / "v1", folder,
                    ignore=shutil.ignore_patterns("README.md"))
    envelope = keys.read_envelope(folder / KEYS_NAME)
    data_key, _ = unlock_envelope(envelope, "strongroom fixture v1")
    kdf = keys.Argon2Params.fresh()
    wrapped = keys.wrap(data_key, keys.derive_kek(PASSPHRASE, kdf), vault_id=envelope.vault_id,
                        method=keys.PASSPHRASE, params={"kdf": kdf.to_json()})
    keys.write_envelope(folder / KEYS_NAME, keys.Envelope(envelope.vault_id, (wrapped,)))
    return folder
