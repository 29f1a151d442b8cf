"""A damaged or altered key file is named as such, and never costs minutes (#20).

The probe raised a key file's Argon2id settings to the largest then accepted
(4 GiB, 64 passes): 487 s and 4.26 GB before "The passphrase is not correct". And a
flipped byte of the wrapped key or a changed vault id was reported as a wrong
passphrase. Now settings above a ceiling near what calibration writes are refused
before any derivation, and a key file whose checksum does not match is reported as
damaged before any derivation.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from strongroom.errors import VaultError, WrongKey
from strongroom.vault import Vault, keys
from strongroom.vault.db import KEYS_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.vault import snapshot, write_envelope_json


@pytest.fixture
def made(data_dir: Path) -> tuple[Path, str]:
    with Vault.create(data_dir, passphrase=PASSPHRASE) as vault:
        code = vault.take_recovery_code()
    assert code is not None
    return data_dir, code


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every Argon2id derivation's memory (KiB), recorded; the real one still runs."""
    calls: list[int] = []
    real = keys.hash_secret_raw

    def spy(**kw: Any) -> bytes:
        calls.append(kw["memory_cost"])
        return real(**kw)

    monkeypatch.setattr(keys, "hash_secret_raw", spy)
    return calls


def _env(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / KEYS_NAME).read_text()))


@pytest.mark.parametrize("method", [0, 1], ids=["passphrase", "recovery"])
@pytest.mark.parametrize("settings", [(4 * 1024 * 1024, 64), (1024 * 1024, 3), (64 * 1024, 65),
                                      (256 * 1024, 17)],
                         ids=["the probe's 4 GiB x 64", "1 GiB", "65 passes", "256 MiB x 17"])
def test_costly_settings_are_refused_before_deriving(
        made: tuple[Path, str], derivations: list[int], method: int,
        settings: tuple[int, int]) -> None:
    folder, code = made
    env = _env(folder)
    kdf = env["keys"][method]["kdf"]
    kdf["memory_kib"], kdf["time_cost"] = settings
    write_envelope_json(folder / KEYS_NAME, env)  # altered on purpose: checksum matches
    before = snapshot(folder)
    started = time.perf_counter()
    for kw in ({"passphrase": PASSPHRASE}, {"recovery_code": code}):
        with pytest.raises(VaultError) as caught:
            Vault.open(folder, **kw)
        assert str(caught.value) == (
            f"The vault's key file (vault.keys.json) asks for far more work to open the vault "
            f"({settings[0] // 1024} MiB of memory, {settings[1]} passes) than Strongroom ever "
            "sets, as a damaged or altered key file would, so it was not tried (it could take "
            "minutes and gigabytes). Restore it from a backup; nothing was changed.")
    assert derivations == []
    assert time.perf_counter() - started < 5
    assert snapshot(folder) == before


@pytest.mark.parametrize("settings", [(64 * 1024, 64), (256 * 1024, 16), (64 * 1024, 20)],
                         ids=["calibration's most", "4 x the floor's memory", "fixture v2"])
def test_what_calibration_writes_is_still_accepted(settings: tuple[int, int]) -> None:
    memory, passes = settings
    params = keys.Argon2Params.from_json(
        {"name": "argon2id", "version": 19, "memory_kib": memory, "time_cost": passes,
         "parallelism": 1, "salt": base64.b64encode(bytes(16)).decode()})
    assert (params.memory_kib, params.time_cost) == settings
    fastest_machine = keys.calibrated_time_cost(keys.Argon2Params(bytes(16), 64 * 1024, 3, 1),
                                                1e-6)
    assert fastest_machine == 64  # the ceiling is the most calibration can write


def _flip_ciphertext(env: dict[str, Any], index: int) -> None:
    ct = bytearray(base64.b64decode(env["keys"][index]["ciphertext"]))
    ct[5] ^= 0x10
    env["keys"][index]["ciphertext"] = base64.b64encode(bytes(ct)).decode()


@pytest.mark.parametrize("damage", ["flipped passphrase key", "flipped recovery key",
                                    "changed vault id"])
def test_damage_is_named_as_damage_not_a_wrong_passphrase(
        made: tuple[Path, str], derivations: list[int], damage: str) -> None:
    folder, code = made
    env = _env(folder)
    if damage == "changed vault id":
        env["vault_id"] = "0" * 32
    else:
        _flip_ciphertext(env, 0 if damage == "flipped passphrase key" else 1)
    (folder / KEYS_NAME).write_text(json.dumps(env, indent=2))  # the checksum as it was
    before = snapshot(folder)
    for kw in ({"passphrase": PASSPHRASE}, {"recovery_code": code}):
        with pytest.raises(VaultError) as caught:
            Vault.open(folder, **kw)
        assert not isinstance(caught.value, WrongKey)
        assert str(caught.value) == (
            "The vault's key file (vault.keys.json) is damaged: its contents do not match its "
            "checksum (a changed byte, as from a failing disk or an edit), so it was not tried. "
            "Restore it from a backup; nothing was changed.")
    assert derivations == []
    assert snapshot(folder) == before


def test_the_checksum_does_not_depend_on_layout(made: tuple[Path, str]) -> None:
    """Re-indented or re-ordered (a person's editor, a sync tool) is not damage."""
    folder, _ = made
    env = _env(folder)
    (folder / KEYS_NAME).write_text(json.dumps(dict(reversed(list(env.items())))))
    Vault.open(folder, passphrase=PASSPHRASE).close()


def test_a_key_file_from_before_the_checksum_opens(made: tuple[Path, str]) -> None:
    """Key files written before #20 have none (the fixtures too: test_vault_fixtures)."""
    folder, _ = made
    env = _env(folder)
    del env["checksum"]
    (folder / KEYS_NAME).write_text(json.dumps(env))
    Vault.open(folder, passphrase=PASSPHRASE).close()
    with pytest.raises(WrongKey, match="The passphrase is not correct"):
        Vault.open(folder, passphrase="not it")
