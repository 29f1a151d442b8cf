"""What Strongroom finds in, and leaves in, the data folder (#20's smaller holes).

- a hot journal with no vault beside it is not Strongroom's: never deleted (it was,
  by the failed creation over it);
- an all-zero journal (a crash, zero-filled blocks after a power cut) is empty:
  it no longer blocks opening;
- a read-only data folder or ``vault.db`` is refused in words, never made writable
  (the start-up permission check used to chmod it back to 0700/0600);
- a killed backup's encrypted copy is swept at the next start, not only by the
  next backup; a backup still running elsewhere keeps its copy;
- finding the keychain starts no process (keyring's macOS backend used to run
  ``ldconfig``/``gcc`` through ``find_library`` on Linux).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from strongroom import cli
from strongroom.errors import VaultError
from strongroom.vault import Vault, scratch
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.crash import run_child
from tests.helpers.crash_child import Kill
from tests.helpers.vault import JOURNAL, crash_mid_commit, make_doc, make_extraction, snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, SIGKILL: POSIX")


@pytest.fixture
def vault_dir(data_dir: Path) -> Path:
    with Vault.create(data_dir, passphrase=PASSPHRASE) as vault:
        for i in range(3):
            text = f"Invoice {i} dated 2024-03-0{i + 1}. Total 1{i}.50 EUR " + "lorem " * 40
            vault.add_document(make_doc(name=f"doc{i}.txt", text=text), make_extraction(text))
    return data_dir


def _names(folder: Path) -> list[str]:
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        return sorted(r.name for r in vault.list_documents())


# -- a stray hot journal ------------------------------------------------------------
def test_a_stray_journal_without_a_vault_is_kept(vault_dir: Path, tmp_path: Path) -> None:
    crash_mid_commit(vault_dir, PASSPHRASE, tmp_path)  # a real hot journal
    folder = tmp_path / "elsewhere"
    folder.mkdir(mode=0o700)
    shutil.copy(vault_dir / JOURNAL, folder / JOURNAL)
    before = snapshot(folder)
    for call in (Vault.create, Vault.open_or_create):
        with pytest.raises(VaultError) as caught:
            call(folder, passphrase=PASSPHRASE)
        assert str(caught.value) == (
            f"vault.db-journal is in {folder} without a vault beside it (it may come from an "
            "incomplete copy of a vault). Strongroom did not create a new vault over it. Move "
            "vault.db-journal out of the folder (keep it: with its vault.db and "
            "vault.keys.json it may be needed), then start again; nothing was changed.")
        assert snapshot(folder) == before


# -- an all-zero journal ------------------------------------------------------------------
@pytest.mark.parametrize("size", [28, 512, 3 * 4096 + 28])
def test_an_all_zero_journal_does_not_block_opening(vault_dir: Path, size: int) -> None:
    names = _names(vault_dir)
    (vault_dir / JOURNAL).write_bytes(bytes(size))
    os.chmod(vault_dir / JOURNAL, 0o600)
    assert _names(vault_dir) == names
    with Vault.open(vault_dir, passphrase=PASSPHRASE) as vault:  # and writes go on
        vault.add_document(make_doc(name="after.txt", text="after"), make_extraction("after"))
    assert len(_names(vault_dir)) == len(names) + 1


def test_a_zero_header_with_pages_after_it_is_still_refused(vault_dir: Path) -> None:
    """Only a journal that is zero throughout is empty: zeros then bytes are not ours."""
    (vault_dir / JOURNAL).write_bytes(bytes(512) + b"\x01" * 4096)
    with pytest.raises(VaultError, match="is not a journal Strongroom's database wrote"):
        Vault.open(vault_dir, passphrase=PASSPHRASE)


# -- read-only --------------------------------------------------------------------------
@pytest.mark.parametrize("what", ["folder", "vault.db"])
def test_read_only_is_refused_in_words_and_stays_read_only(
        what: str, vault_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = vault_dir if what == "folder" else vault_dir / DB_NAME
    mode = 0o500 if what == "folder" else 0o400
    os.chmod(path, mode)
    try:
        before = snapshot(vault_dir)
        assert cli.main(["list", "--data-dir", str(vault_dir)]) == 1
        out, err = capsys.readouterr()
        shown = f"The data folder {vault_dir}" if what == "folder" else f"vault.db in {vault_dir}"
        assert (out, err) == ("", (
            f"strongroom: {shown} is read-only (mode {mode:04o}), and Strongroom writes to the "
            "vault when it opens it. If it was made read-only on purpose, open a copy of the "
            "vault elsewhere; otherwise make it writable again (for example: chmod u+w "
            f"\"{path}\") and try again. Nothing was changed.\n"))
        assert os.stat(path).st_mode & 0o777 == mode
        assert snapshot(vault_dir) == before
    finally:
        os.chmod(path, 0o700 if what == "folder" else 0o600)
    assert len(_names(vault_dir)) == 3  # made writable by the person: it opens


# -- a killed backup's copy ---------------------------------------------------------------
def _copies(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".backup-"))


def test_a_killed_backups_copy_is_swept_at_the_next_start(vault_dir: Path,
                                                          tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    run = run_child("write_backup", vault_dir, PASSPHRASE, tmp_path / "out" / "b.srbackup",
                    kill=Kill("backup-copied"))
    assert run.killed
    [copy] = _copies(vault_dir)
    assert (vault_dir / copy).stat().st_size > 4096  # the whole vault, encrypted
    Vault.open(vault_dir, passphrase=PASSPHRASE).close()  # a start, not a backup
    assert _copies(vault_dir) == []
    assert sorted(p.name for p in vault_dir.iterdir()) == [DB_NAME, KEYS_NAME]


def test_a_running_backups_copy_is_left_alone(vault_dir: Path) -> None:
    copy, fd = scratch.new_copy(vault_dir)  # as a backup in another window holds it
    try:
        Vault.open(vault_dir, passphrase=PASSPHRASE).close()
        assert _copies(vault_dir) == [copy.name]
    finally:
        copy.unlink()
        os.close(fd)


# -- no processes from keyring ----------------------------------------------------------
PROBE = textwrap.dedent("""
    import sys
    from pathlib import Path
    spawned = []
    sys.addaudithook(lambda event, args: spawned.append(event) if event in (
        "subprocess.Popen", "os.posix_spawn", "os.exec", "os.fork", "os.system") else None)
    from strongroom.vault import Vault, keys
    keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_CALIBRATE = 1024, 1, False
    usable, _ = Vault.keychain_usable()
    Vault.create(Path(sys.argv[1]), passphrase="a passphrase for the probe").close()
    print(usable, len(spawned), sorted(set(spawned)))
""")


def test_creating_a_vault_starts_no_process(tmp_path: Path) -> None:
    """In a fresh interpreter (keyring loads its backends once per process), with the
    keychain switched on and none running, as on a Linux desktop without one."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("STRONGROOM_KEYCHAIN", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(HOME=str(tmp_path / "home"), PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "data")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "False 0 []\n"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [DB_NAME, KEYS_NAME]
