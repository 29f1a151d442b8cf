"""One data key, several locks: recovery code and passphrase changes (issue 13).

Every refusal is checked byte for byte (``snapshot``); a passphrase change must
leave vault.db's sha256 as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from pathlib import Path

import pytest

from strongroom.errors import KeyUnavailable, PassphraseRequired, VaultError, WrongKey
from strongroom.vault import Vault, keys, recovery
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.helpers.vault import make_doc, make_extraction, snapshot, write_envelope_json
from tests.unit.vault.test_vault_keychain import MemoryKeychain, memory  # noqa: F401 - a fixture

PW = "s3cret passphrase"
NEW = "a brand new passphrase"


def db_sha(folder: Path) -> str:
    return hashlib.sha256((folder / DB_NAME).read_bytes()).hexdigest()


@pytest.fixture
def made(data_dir: Path) -> tuple[Path, str]:
    """A passphrase vault holding one document, and its recovery code."""
    with Vault.create(data_dir, passphrase=PW) as vault:
        code = vault.take_recovery_code()
        assert vault.recovery_code is None  # taken once
        vault.add_document(make_doc(), make_extraction())
    assert code is not None
    return data_dir, code


# -- the code itself -------------------------------------------------------------
def test_code_form_and_entropy() -> None:
    code = recovery.generate()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4] * 7
    assert set(code.replace("-", "")) <= set(recovery.ALPHABET)
    assert not set(code) & set("ILOU")
    assert recovery.ENTROPY_BITS >= 128
    assert len({recovery.generate() for _ in range(200)}) == 200


def test_code_is_read_forgivingly() -> None:
    code = recovery.generate()
    secret = recovery.secret_of(code)
    assert len(secret) == recovery.BODY
    spaced = code.lower().replace("-", " ")
    assert recovery.secret_of(spaced) == secret
    assert recovery.secret_of(f"  {code.replace('-', '')}\n") == secret
    confusable = code.replace("0", "o").replace("1", "l")
    assert recovery.secret_of(confusable) == secret


@pytest.mark.parametrize(("typed", "match"), [
    (None, "Enter the recovery code"),
    ("   ", "Enter the recovery code"),
    ("ABCD-EFGH", "has 28 letters and digits \\(7 groups of 4\\); the one entered has 8"),
    ("UUUU-" * 6 + "UUUU", "holds only the digits"),
    ("é" * 28, "holds only the digits"),
])
def test_code_mistakes_are_named(typed: str | None, match: str) -> None:
    with pytest.raises(WrongKey, match=match):
        recovery.secret_of(typed)


def test_a_typo_is_caught_by_the_check_letters() -> None:
    caught = 0
    for _ in range(50):
        code = recovery.generate()
        i = 0  # change the first symbol to another
        wrong = recovery.ALPHABET[(recovery.ALPHABET.index(code[i]) + 1) % 32] + code[1:]
        try:
            recovery.secret_of(wrong)
        except WrongKey as exc:
            assert "typing mistake" in str(exc)
            caught += 1
    assert caught >= 48  # 10 check bits: a miss is 1 in 1024


# -- create and open ---------------------------------------------------------------
def test_create_gives_a_code_once_and_never_stores_it(made: tuple[Path, str]) -> None:
    folder, code = made
    env = json.loads((folder / KEYS_NAME).read_text())
    assert [k["method"] for k in env["keys"]] == ["passphrase", "recovery"]
    rec = env["keys"][1]
    assert rec["kdf"]["salt"] != env["keys"][0]["kdf"]["salt"]
    assert rec["kdf"]["name"] == "argon2id" and rec["code"] == "crockford-base32-26+2"
    for path in folder.rglob("*"):
        blob = path.read_bytes()
        for form in (code, code.replace("-", ""), recovery.secret_of(code).decode()):
            assert form.encode() not in blob
    assert Vault.unlock_method(folder) == "passphrase"
    assert Vault.unlock_methods(folder) == ("passphrase", "recovery")
    with Vault.open(folder, passphrase=PW) as vault:
        assert vault.recovery_code is None  # only the fresh object had it


def test_open_with_the_recovery_code(made: tuple[Path, str]) -> None:
    folder, code = made
    before = snapshot(folder)
    with Vault.open(folder, recovery_code=code.lower().replace("-", " ")) as vault:
        assert vault.key_method == "recovery"
        assert [r.name for r in vault.list_documents()] == ["letter.txt"]
    assert snapshot(folder) == before
    # the recovery code wins over a (wrong) passphrase given alongside
    Vault.open(folder, passphrase="wrong", recovery_code=code).close()


def test_wrong_recovery_code_changes_nothing(made: tuple[Path, str]) -> None:
    folder, _code = made
    before = snapshot(folder)
    other = recovery.generate()  # well formed, check letters fine: only the tag says no
    for call in (lambda: Vault.open(folder, recovery_code=other),
                 lambda: Vault.open(folder, recovery_code=other[:-1] + "X"),
                 lambda: Vault.open(folder, recovery_code="")):
        with pytest.raises(WrongKey) as info:
            call()
        assert "recovery code" in str(info.value) and "Nothing was changed" in str(info.value)
        assert snapshot(folder) == before
    with pytest.raises(WrongKey, match="recovery code is not correct for this vault"):
        Vault.open(folder, recovery_code=other)


def test_tampered_recovery_blob(made: tuple[Path, str]) -> None:
    folder, code = made
    env = json.loads((folder / KEYS_NAME).read_text())
    ct = bytearray(base64.b64decode(env["keys"][1]["ciphertext"]))
    ct[3] ^= 0x01
    env["keys"][1]["ciphertext"] = base64.b64encode(bytes(ct)).decode()
    write_envelope_json(folder / KEYS_NAME, env)  # tampered, its checksum made to match
    before = snapshot(folder)
    with pytest.raises(WrongKey, match="recovery code is not correct"):
        Vault.open(folder, recovery_code=code)
    assert snapshot(folder) == before
    Vault.open(folder, passphrase=PW).close()  # the passphrase key is its own blob


@pytest.mark.parametrize("damage", ["truncated", "recovery first", "two recovery keys",
                                    "recovery without kdf", "huge memory"])
def test_damaged_envelope_is_refused(made: tuple[Path, str], damage: str) -> None:
    folder, code = made
    raw = (folder / KEYS_NAME).read_text()
    env = json.loads(raw)
    if damage == "truncated":
        text = raw[: len(raw) // 2]
    else:
        if damage == "recovery first":
            env["keys"].reverse()
        elif damage == "two recovery keys":
            env["keys"].append(env["keys"][1])
        elif damage == "recovery without kdf":
            del env["keys"][1]["kdf"]
        else:
            env["keys"][1]["kdf"]["memory_kib"] = 1 << 30
        env.pop("checksum")  # as a key file from before #20: the checks below still hold
        text = json.dumps(env)
    (folder / KEYS_NAME).write_text(text)
    before = snapshot(folder)
    for kw in ({"recovery_code": code}, {"passphrase": PW}):
        expected = ("key file .* asks for far more work" if damage == "huge memory"
                    else "key file .* is damaged")
        with pytest.raises(VaultError, match=expected):
            Vault.open(folder, **kw)
    assert snapshot(folder) == before


# -- changing the passphrase -------------------------------------------------------------
def test_change_passphrase_rewrites_only_the_envelope(made: tuple[Path, str]) -> None:
    folder, code = made
    sha, old_env = db_sha(folder), keys.read_envelope(folder / KEYS_NAME)
    with Vault.open(folder, passphrase=PW) as vault:
        with pytest.raises(PassphraseRequired, match="current passphrase"):
            vault.change_passphrase(NEW)
        with pytest.raises(WrongKey, match="current passphrase is not correct"):
            vault.change_passphrase(NEW, current="not it")
        with pytest.raises(PassphraseRequired, match="cannot be empty"):
            vault.change_passphrase("", current=PW)
        assert keys.read_envelope(folder / KEYS_NAME) == old_env
        vault.change_passphrase(NEW, current=PW)
        assert [r.name for r in vault.list_documents()] == ["letter.txt"]  # still open
    assert db_sha(folder) == sha
    new_env = keys.read_envelope(folder / KEYS_NAME)
    assert new_env.methods == ("passphrase", "recovery")
    assert new_env.keys[1] == old_env.keys[1]  # the recovery key is untouched
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEYS_NAME]  # no temp left
    with pytest.raises(WrongKey, match="passphrase is not correct"):
        Vault.open(folder, passphrase=PW)
    Vault.open(folder, passphrase=NEW).close()
    Vault.open(folder, recovery_code=code).close()
    assert db_sha(folder) == sha


def test_reset_passphrase_after_opening_with_the_code(made: tuple[Path, str]) -> None:
    folder, code = made
    sha = db_sha(folder)
    with Vault.open(folder, recovery_code=code) as vault:
        vault.change_passphrase(NEW)  # the code was the proof
    Vault.open(folder, passphrase=NEW).close()
    assert db_sha(folder) == sha


def test_new_recovery_code_replaces_the_old_one(made: tuple[Path, str]) -> None:
    folder, old_code = made
    with Vault.open(folder, passphrase=PW) as vault:
        with pytest.raises(WrongKey):
            vault.new_recovery_code(current="nope")
        new_code = vault.new_recovery_code(current=PW)
    assert new_code != old_code
    with pytest.raises(WrongKey, match="recovery code is not correct"):
        Vault.open(folder, recovery_code=old_code)
    Vault.open(folder, recovery_code=new_code).close()
    Vault.open(folder, passphrase=PW).close()


def test_closed_vault_refuses(made: tuple[Path, str]) -> None:
    folder, _ = made
    vault = Vault.open(folder, passphrase=PW)
    vault.close()
    with pytest.raises(VaultError, match="closed"):
        vault.change_passphrase(NEW, current=PW)


def test_failed_write_keeps_the_old_envelope(made: tuple[Path, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _ = made
    before = snapshot(folder)

    def full(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(keys.os, "fsync", full)
    with (Vault.open(folder, passphrase=PW) as vault,
          pytest.raises(VaultError, match="could not be written .*old key file is still")):
        vault.change_passphrase(NEW, current=PW)
    assert snapshot(folder) == before
    monkeypatch.undo()
    Vault.open(folder, passphrase=PW).close()


# -- keychain vaults ------------------------------------------------------------------
def test_keychain_vault_gets_a_code_and_a_passphrase(memory: MemoryKeychain,  # noqa: F811
                                                     data_dir: Path) -> None:
    with Vault.create(data_dir) as vault:
        assert vault.key_method == "keychain"
        code = vault.take_recovery_code()
        vault.add_document(make_doc(), make_extraction())
    assert code is not None
    assert Vault.unlock_methods(data_dir) == ("keychain", "recovery")
    sha = db_sha(data_dir)
    with Vault.open(data_dir) as vault:
        vault.change_passphrase(PW)  # keychain opened it: no current passphrase needed
    assert Vault.unlock_methods(data_dir) == ("keychain", "passphrase", "recovery")
    assert Vault.unlock_method(data_dir) == "keychain"  # still the primary lock
    assert db_sha(data_dir) == sha
    with Vault.open(data_dir, passphrase=PW) as vault:
        assert vault.key_method == "passphrase"
    with Vault.open(data_dir) as vault:
        assert vault.key_method == "keychain"


def test_lost_keychain_entry_names_the_recovery_code(memory: MemoryKeychain,  # noqa: F811
                                                     data_dir: Path) -> None:
    with Vault.create(data_dir) as vault:
        code = vault.take_recovery_code()
    memory.items.clear()  # a new machine, a reinstalled system
    before = snapshot(data_dir)
    with pytest.raises(KeyUnavailable) as info:
        Vault.open(data_dir)
    assert "not found in the system keychain" in str(info.value)
    assert "open the vault with it" in str(info.value) and "--recovery-code" in str(info.value)
    assert snapshot(data_dir) == before and memory.items == {}
    with Vault.open(data_dir, recovery_code=code) as vault:
        vault.change_passphrase(NEW)
    Vault.open(data_dir, passphrase=NEW).close()
    assert memory.items == {}  # nothing was minted in the keychain


def test_lost_keychain_entry_without_a_code(memory: MemoryKeychain,  # noqa: F811
                                            data_dir: Path) -> None:
    Vault.create(data_dir).close()
    env = json.loads((data_dir / KEYS_NAME).read_text())
    env["keys"] = env["keys"][:1]  # as a vault made before recovery codes
    write_envelope_json(data_dir / KEYS_NAME, env)
    memory.items.clear()
    before = snapshot(data_dir)
    with pytest.raises(KeyUnavailable, match="no recovery code, so without its keychain entry "
                                             "it cannot be recovered. Nothing was deleted"):
        Vault.open(data_dir)
    with pytest.raises(KeyUnavailable, match="has no recovery code"):
        Vault.open(data_dir, recovery_code=recovery.generate())
    assert snapshot(data_dir) == before


def test_keychain_backup_restores_elsewhere_with_the_code(memory: MemoryKeychain,  # noqa: F811
                                                          data_dir: Path,
                                                          tmp_path: Path) -> None:
    from strongroom.vault import backup

    with Vault.create(data_dir) as vault:
        code = vault.take_recovery_code()
        vault.add_document(make_doc(), make_extraction())
        info = backup.write_backup(vault, tmp_path / "b.srbackup")
    assert "elsewhere with the vault's recovery code" in backup.describe_methods(info)
    memory.items.clear()  # the other machine has no such keychain entry
    target = tmp_path / "elsewhere"
    with pytest.raises(KeyUnavailable, match="recovery code"):
        backup.restore(tmp_path / "b.srbackup", target)
    assert not target.exists()
    backup.restore(tmp_path / "b.srbackup", target, recovery_code=code)
    with Vault.open(target, recovery_code=code) as vault:
        assert [r.name for r in vault.list_documents()] == ["letter.txt"]


# -- the connection stays free while Argon2id runs ---------------------------------------
@pytest.mark.parametrize("change", ["passphrase", "recovery code"])
def test_argon2id_does_not_hold_the_connection(made: tuple[Path, str], change: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A passphrase change or new code takes a second or more of Argon2id; the job
    queue's worker and the window must keep reading and writing meanwhile (issue 13).
    The derivation is held open here until another thread has used the vault."""
    folder, _ = made
    in_kdf, used = threading.Event(), threading.Event()
    real = keys.derive_secret_kek

    def slow(secret: bytes, params: keys.Argon2Params) -> bytes:
        in_kdf.set()
        assert used.wait(10), "the vault was not usable while Argon2id ran"
        return real(secret, params)

    with Vault.open(folder, passphrase=PW) as vault:
        monkeypatch.setattr(keys, "derive_secret_kek", slow)
        if change == "passphrase":
            work = lambda: vault.change_passphrase(NEW, current=PW)  # noqa: E731
        else:
            work = lambda: vault.new_recovery_code(current=PW)  # noqa: E731
        errors: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # reported below
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        assert in_kdf.wait(10)
        vault.add_document(make_doc(name="during.txt", text="added during the change"),
                           make_extraction())
        assert [r.name for r in vault.list_documents()][0] == "during.txt"
        used.set()
        thread.join(10)
        assert not thread.is_alive() and errors == []
    monkeypatch.undo()
    Vault.open(folder, passphrase=NEW if change == "passphrase" else PW).close()
