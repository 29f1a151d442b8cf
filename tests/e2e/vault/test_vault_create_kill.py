"""A kill during the very first start never bricks the data folder (#20).

Before #20, ``Vault.create`` wrote ``vault.db``, migrated it, and only then wrote
``vault.keys.json``: the probe's kills in that gap left a folder where every later
start said "The vault's key file is missing ... Restore the key file from a backup".
Now (``strongroom.vault.creating``) a kill anywhere leaves either a whole vault or
an unfinished creation that is recognised, said in words, and cleared by the next
creation: it never held a document.

Each kill is a real SIGKILL of a child process (``tests.helpers.crash.run_child``): at
every named point of the creation, and at random moments measured from the start.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from strongroom import cli
from strongroom.errors import VaultError
from strongroom.vault import Vault, creating, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.crash import run_child, seeded
from tests.helpers.crash_child import Kill
from tests.helpers.vault import make_doc, make_extraction, snapshot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")

#: The creation's own points, in order (the key file writer's and the migrations'
#: points are killed here too, as they run inside a creation).
CREATE_POINTS = ("create-marked", "create-files-synced", "create-finished")
POINTS = ("create-marked", *keys.WRITE_STEPS, "migration-version", "migration-committed",
          "create-files-synced", "create-finished")
TIMED_KILLS = 24


def _after_the_kill(folder: Path, how: str) -> str:
    """What the kill left: "whole" (opens), "unfinished" or "nothing"; never half
    a vault. Then the person's next start succeeds and the vault works."""
    if folder.exists() and creating.unfinished(folder) is not None:
        state = "unfinished"
        assert Vault.unlock_method(folder) is None, how  # no vault yet: the window creates one
        with pytest.raises(VaultError, match="creating one was interrupted before it held any "
                                             "document"):
            Vault.open(folder, passphrase=PASSPHRASE)
    elif Vault.unlock_method(folder) is not None:  # raises the "missing" errors of old
        state = "whole"
    else:
        state = "nothing"
    vault = (Vault.open(folder, passphrase=PASSPHRASE) if state == "whole"
             else Vault.create(folder, passphrase=PASSPHRASE))
    with vault:
        vault.add_document(make_doc(), make_extraction())
        assert [r.name for r in vault.list_documents()] == ["letter.txt"], how
    names = sorted(p.name for p in folder.iterdir())
    assert names == [DB_NAME, KEYS_NAME], f"{how}: {names}"
    return state


@pytest.mark.parametrize("point", POINTS)
def test_kill_at_each_step_of_the_first_start(point: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    run = run_child("create_vault", folder, PASSPHRASE, kill=Kill(point))
    assert run.killed, f"{point}: exit {run.exitcode}, {run.messages}"
    state = _after_the_kill(folder, point)
    assert state == ("whole" if point == "create-finished" else "unfinished"), point


def test_kill_at_random_moments_of_the_first_start(tmp_path: Path) -> None:
    """The probe's kind of kill: a timer from the parent, anywhere in the creation
    (its length measured first, here, with the same cheap Argon2id)."""
    rng = seeded(20, "create")
    probe = run_child("create_vault", tmp_path / "timing", PASSPHRASE)
    assert probe.exitcode == 0
    started = time.perf_counter()
    run_child("create_vault", tmp_path / "timing2", PASSPHRASE)
    length = time.perf_counter() - started
    states: dict[str, int] = {}
    for rep in range(TIMED_KILLS):
        folder = tmp_path / f"rep{rep}"
        delay = rng.uniform(0, length)
        run = run_child("create_vault", folder, PASSPHRASE, kill_after=delay)
        how = f"killed {delay * 1000:.1f} ms after the start (exit {run.exitcode})"
        state = _after_the_kill(folder, how)
        states[state] = states.get(state, 0) + 1
    print(f"creation {length * 1000:.1f} ms; {states}")


def test_the_cli_starts_fresh_after_an_interrupted_first_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data"
    assert run_child("create_vault", folder, PASSPHRASE,
                     kill=Kill("migration-committed")).killed
    assert cli.main(["list", "--data-dir", str(folder)]) == 1
    _, err = capsys.readouterr()
    assert err == (f"strongroom: There is no vault in {folder} yet. Add documents with "
                   "`strongroom process PATH` first.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")  # fails before the model is needed; the vault is made first
    assert cli.main(["process", str(empty), "--data-dir", str(folder)]) == 2
    _, err = capsys.readouterr()
    assert "A new vault was created" in err
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME, KEYS_NAME]
    Vault.open(folder, passphrase=PASSPHRASE).close()


def _unfinished_with(tmp_path: Path, what: str) -> Path:
    """An interrupted creation (killed before its database), then ``what`` changed."""
    folder = tmp_path / "data"
    assert run_child("create_vault", folder, PASSPHRASE,
                     kill=Kill("envelope-dir-synced")).killed
    if what == "another vault's key file":
        other = tmp_path / "other"
        Vault.create(other, passphrase=PASSPHRASE).close()
        (folder / KEYS_NAME).write_bytes((other / KEYS_NAME).read_bytes())
    elif what == "a database without its key file":
        (folder / KEYS_NAME).unlink()
        (folder / DB_NAME).write_bytes(os.urandom(8192))
    return folder


@pytest.mark.parametrize("what", ["another vault's key file", "a database without its key file"])
def test_a_fresh_start_never_deletes_what_it_did_not_make(what: str, tmp_path: Path) -> None:
    folder = _unfinished_with(tmp_path, what)
    before = snapshot(folder)
    with pytest.raises(VaultError, match="Strongroom did not clear it. Move the vault's files"):
        Vault.create(folder, passphrase=PASSPHRASE)
    assert snapshot(folder) == before


def test_a_creation_still_running_is_not_cleared(tmp_path: Path) -> None:
    """Two first starts at once (the window and the command line): the second sees
    the first's marker, locked while it runs, and leaves it alone."""
    folder = tmp_path / "data"
    folder.mkdir()
    fd = creating.begin(folder, keys.new_vault_id())
    try:
        before = snapshot(folder)
        with pytest.raises(VaultError, match="being created .* by another Strongroom right now"):
            Vault.create(folder, passphrase=PASSPHRASE)
        assert snapshot(folder) == before
    finally:
        creating.end(folder, fd)
    Vault.create(folder, passphrase=PASSPHRASE).close()  # the marker gone: it goes through
