"""Corrupted vault, right key: every kind of damage is refused in its own words, with
every file in the data folder unchanged and none deleted or created (issue 13).

Each case damages a copy of one small vault (5 documents, 13 pages of 4096 bytes);
then ``Vault.open``, ``Vault.open_or_create`` and ``strongroom list`` must all refuse
with the case's message. What SQLCipher 4.19 on SQLite 3.53 did with each when
Strongroom's checks (``strongroom.vault.integrity``) were switched off, and what is
said now:

- empty file: opens as a new, empty database (user_version 0, "not a vault").
  Now ``check_files``: "is empty (0 bytes)".
- cut inside page 1, cut at a page boundary: "not a database". Now ``explain``:
  "cut short (1000 bytes, less than its first page)", "(it holds 6 of its 13 pages)".
- cut inside the last page: opens, all 5 documents read. Now ``check_pages``: "not a
  whole number of 4096-byte pages".
- junk in page 1: "not a database". Now ``explain``: "page 1 fails its checksum".
- junk in the salt, a random file, another vault's database: "not a database". Now
  ``explain``: "not a Strongroom vault or is damaged" (no page fits the key).
- junk in a middle page: opens; reading one document fails. Junk in an IV or the
  last page: opens, all 5 documents read (the damage waits in the search index).
  Junk in an HMAC: opens; listing fails. Now ``check_pages``: "page N fails its
  checksum", at open.
- plain SQLite file: "not a database". Now ``check_files``: "unencrypted SQLite".
- newer schema: refused by ``migrate`` (unchanged): "newer version of Strongroom".
- garbage ``-wal``: opens (in WAL mode, whatever the header says); the ``-wal`` is
  DELETED on close. Garbage ``-shm``: left alone. Now ``check_files`` (since #20 the
  vault writes both, so their structure is read, ``strongroom.vault.wal``): "not a
  file Strongroom's database wrote".
- garbage ``-journal`` (first byte not zero, so "hot"): played back (nothing to
  undo), then DELETED. Now ``check_files``: "not a journal Strongroom's database
  wrote".
- another vault's hot ``-journal``: its pages are written into vault.db (the vault
  is lost), the journal deleted. Now ``journal_matches``: "belongs to another vault".
- a hot journal with one page copy damaged (between the bytes its checksum samples):
  played back, the damaged page lands silently in vault.db. Now ``journal_matches``:
  "is damaged (its copy of page N does not match the vault)".
- crash mid-commit, journal deleted (half a commit in vault.db): opens, every page's
  HMAC is valid; listing fails. Now ``check_pages`` (``quick_check``): "its pages are
  intact but do not fit together".

A genuine hot journal (SIGKILL in the middle of a commit whose pages spilled into
vault.db) is still rolled back by SQLite: the control case opens with the 5
documents and passes every check.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom import cli
from strongroom.errors import VaultError
from strongroom.paths import make_private
from strongroom.vault import Vault, db, integrity
from strongroom.vault.db import DB_NAME
from tests.conftest import PASSPHRASE
from tests.helpers.vault import (
    JOURNAL,
    crash_mid_commit,
    make_doc,
    make_extraction,
    snapshot,
    writer_mid_commit,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

PAGE = integrity.PAGE
NOT_A_VAULT = "is not a Strongroom vault or is damaged"

def _make_vault(folder: Path) -> None:
    with Vault.create(folder, passphrase=PASSPHRASE) as vault:
        for i in range(5):
            text = f"Invoice {i} dated 2024-03-0{i + 1}. Total 1{i}.50 EUR " + "lorem " * 60
            vault.add_document(make_doc(name=f"doc{i}.txt", text=text), make_extraction(text))


@dataclass(frozen=True)
class Template:
    good: Path  # a vault with 5 documents
    crashed: Path  # the same vault killed in the middle of a commit: half db + hot journal
    other_db: Path  # another vault's database (its own key)
    other_journal: Path  # a hot journal of that other vault


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    root = tmp_path_factory.mktemp("corrupted-template")
    with pytest.MonkeyPatch.context() as mp:  # cheap_argon2, for a module-wide fixture
        from strongroom.vault import keys

        mp.setattr(keys, "ARGON2_MEMORY_KIB", 1024)
        mp.setattr(keys, "ARGON2_TIME_COST", 1)
        mp.setattr(keys, "ARGON2_CALIBRATE", False)
        mp.setenv("STRONGROOM_KEYCHAIN", "off")
        t = Template(root / "good", root / "crashed", root / "other.db",
                     root / "other" / JOURNAL)
        _make_vault(t.good)
        shutil.copytree(t.good, t.crashed)
        crash_mid_commit(t.crashed, PASSPHRASE, root)
        _make_vault(t.other_journal.parent)
        shutil.copy(t.other_journal.parent / DB_NAME, t.other_db)
        crash_mid_commit(t.other_journal.parent, PASSPHRASE, root)
    yield t


# -- the damage classes ------------------------------------------------------------------
def _pages(folder: Path) -> int:
    return (folder / DB_NAME).stat().st_size // PAGE


def _junk(folder: Path, offset: int, length: int = 24, name: str = DB_NAME) -> None:
    """Overwrite ``length`` bytes at ``offset`` with other bytes (same file size)."""
    path = folder / name
    data = bytearray(path.read_bytes())
    data[offset:offset + length] = bytes(b ^ 0xA5 for b in data[offset:offset + length])
    path.write_bytes(bytes(data))


def _cut(folder: Path, size: int) -> None:
    path = folder / DB_NAME
    path.write_bytes(path.read_bytes()[:size])


def _middle(folder: Path) -> int:
    return _pages(folder) // 2 + 1


def empty_file(f: Path, t: Template) -> str:
    (f / DB_NAME).write_bytes(b"")
    return r"vault\.db in .* is empty \(0 bytes\), so it holds no vault\."


def cut_inside_page_1(f: Path, t: Template) -> str:
    _cut(f, 1000)
    return r"is cut short \(1000 bytes, less than its first page\)"


def cut_at_a_page_boundary(f: Path, t: Template) -> str:
    pages = _pages(f)
    _cut(f, (pages // 2) * PAGE)
    return rf"is cut short \(it holds {pages // 2} of its {pages} pages\)"


def cut_inside_the_last_page(f: Path, t: Template) -> str:
    size = (f / DB_NAME).stat().st_size
    _cut(f, size - 100)
    return rf"is cut short \({size - 100} bytes, not a whole number of 4096-byte pages\)"


def junk_in_page_1(f: Path, t: Template) -> str:
    _junk(f, 2000)
    return r"is damaged: page 1 fails its checksum"


def junk_in_the_salt(f: Path, t: Template) -> str:
    _junk(f, 0, 16)
    return NOT_A_VAULT  # the salt keys every page's HMAC: no page is recognisable


def junk_in_a_middle_page(f: Path, t: Template) -> str:
    page = _middle(f)
    _junk(f, (page - 1) * PAGE + 1500)
    return rf"is damaged: page {page} fails its checksum"


def junk_in_a_page_iv(f: Path, t: Template) -> str:
    _junk(f, 3 * PAGE - integrity.RESERVE + 4, 8)  # page 3's IV
    return r"is damaged: page 3 fails its checksum"


def junk_in_a_page_hmac(f: Path, t: Template) -> str:
    _junk(f, 4 * PAGE - 30, 8)  # page 4's HMAC
    return r"is damaged: page 4 fails its checksum"


def junk_in_the_last_page(f: Path, t: Template) -> str:
    pages = _pages(f)
    _junk(f, (pages - 1) * PAGE + 700)
    return rf"is damaged: page {pages} fails its checksum"


def random_file_named_like_the_vault(f: Path, t: Template) -> str:
    (f / DB_NAME).write_bytes(os.urandom((f / DB_NAME).stat().st_size))
    return NOT_A_VAULT


def other_vaults_database(f: Path, t: Template) -> str:
    shutil.copy(t.other_db, f / DB_NAME)
    return NOT_A_VAULT


def plain_sqlite_file(f: Path, t: Template) -> str:
    (f / DB_NAME).unlink()
    plain = sqlite3.connect(f / DB_NAME)
    plain.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY)")
    plain.commit()
    plain.close()
    return r"is an unencrypted SQLite database, not a Strongroom vault"


def newer_schema(f: Path, t: Template) -> str:
    with Vault.open(f, passphrase=PASSPHRASE) as vault:
        vault._conn.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    return r"made by a newer version of Strongroom\. Update Strongroom"


def garbage_wal(f: Path, t: Template) -> str:
    (f / (DB_NAME + "-wal")).write_bytes(os.urandom(9000))
    return r"vault\.db-wal is beside the vault in .*, but it is not a file Strongroom's database"


def garbage_shm(f: Path, t: Template) -> str:
    (f / (DB_NAME + "-shm")).write_bytes(os.urandom(32768))
    return r"vault\.db-shm is beside the vault in .*, but it is not a file Strongroom's database"


def garbage_journal(f: Path, t: Template) -> str:
    (f / JOURNAL).write_bytes(b"\x13" + os.urandom(20000))
    return r"vault\.db-journal beside the vault in .* is not a journal Strongroom's database"


def another_vaults_journal(f: Path, t: Template) -> str:
    shutil.copy(t.other_journal, f / JOURNAL)
    return r"vault\.db-journal beside .* belongs to another vault \(none of the pages in it match"


def damaged_hot_journal(f: Path, t: Template) -> str:
    _copy_crashed(f, t)
    # Inside the first page copy, between the bytes SQLite's journal checksum samples
    # (every 200th from the end): only the HMAC can tell.
    sector = int.from_bytes((f / JOURNAL).read_bytes()[20:24], "big")
    pgno = int.from_bytes((f / JOURNAL).read_bytes()[sector:sector + 4], "big")
    _junk(f, sector + 4 + 1000, 16, name=JOURNAL)
    return rf"vault\.db-journal beside .* is damaged \(its copy of page {pgno} does not match"


def hot_journal_deleted(f: Path, t: Template) -> str:
    _copy_crashed(f, t)
    (f / JOURNAL).unlink()
    return r"its pages are intact but do not fit together, as after a crash whose journal"


def _copy_crashed(f: Path, t: Template) -> None:
    for name in (DB_NAME, JOURNAL):
        shutil.copy(t.crashed / name, f / name)


CASES: list[Callable[[Path, Template], str]] = [
    empty_file, cut_inside_page_1, cut_at_a_page_boundary, cut_inside_the_last_page,
    junk_in_page_1, junk_in_the_salt, junk_in_a_middle_page, junk_in_a_page_iv,
    junk_in_a_page_hmac, junk_in_the_last_page, random_file_named_like_the_vault,
    other_vaults_database, plain_sqlite_file, newer_schema, garbage_wal, garbage_shm,
    garbage_journal, another_vaults_journal, damaged_hot_journal, hot_journal_deleted,
]


@pytest.fixture
def damaged(request: pytest.FixtureRequest, template: Template,
            data_dir: Path) -> tuple[Path, str]:
    """A copy of the good vault, damaged by the case; and the message it must get."""
    shutil.copytree(template.good, data_dir)
    case: Callable[[Path, Template], str] = request.param
    expected = case(data_dir, template)
    make_private(data_dir)  # as the files were: the start-up permission check stays quiet
    return data_dir, expected


# -- the suite -----------------------------------------------------------------------------
def test_at_least_twelve_distinct_classes() -> None:
    assert len(CASES) >= 12 and len({c.__name__ for c in CASES}) == len(CASES)


@pytest.mark.parametrize("damaged", CASES, ids=[c.__name__ for c in CASES], indirect=True)
def test_damage_is_refused_in_words_and_nothing_changes(
        damaged: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    folder, expected = damaged
    before = snapshot(folder)
    for call in (Vault.open, Vault.open_or_create):
        with pytest.raises(VaultError, match=expected) as caught:
            call(folder, passphrase=PASSPHRASE)
        assert "nothing was changed" in str(caught.value).lower()
        assert snapshot(folder) == before
    code = cli.main(["list", "--data-dir", str(folder)])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("strongroom: ") and err.count("\n") == 1 and re.search(expected, err)
    assert snapshot(folder) == before


def _names(folder: Path) -> list[str]:
    with Vault.open(folder, passphrase=PASSPHRASE) as vault:
        return [r.name for r in vault.list_documents()]


@pytest.mark.parametrize("spill", [True, False], ids=["half-in-vault.db", "journal-only"])
def test_a_real_crash_journal_is_still_rolled_back(spill: bool, template: Template,
                                                   data_dir: Path, tmp_path: Path) -> None:
    """The control: SQLite's crash recovery is untouched by the checks, whether the
    kill came after part of the commit reached vault.db (a hot journal, played back)
    or before (the journal's header not written yet: SQLite leaves it alone)."""
    if spill:
        shutil.copytree(template.crashed, data_dir)
    else:
        shutil.copytree(template.good, data_dir)
        crash_mid_commit(data_dir, PASSPHRASE, tmp_path, spill=False)
    assert (data_dir / JOURNAL).exists()
    assert _names(data_dir) == _names(template.good)
    with Vault.open(data_dir, passphrase=PASSPHRASE) as vault:
        assert vault._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        vault.add_document(make_doc(name="after.txt", text="after the crash"),  # writes go on
                           make_extraction("after the crash"))
    assert len(_names(data_dir)) == len(_names(template.good)) + 1
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, db.KEYS_NAME]


def test_a_live_writer_is_not_taken_for_damage(template: Template, data_dir: Path,
                                               tmp_path: Path) -> None:
    """Another process in the middle of a write (its journal beside the vault, not
    hot while it holds its lock): a second opener reads the last committed state."""
    shutil.copytree(template.good, data_dir)
    with writer_mid_commit(data_dir, PASSPHRASE, tmp_path, spill=False):
        assert _names(data_dir) == _names(template.good)


@pytest.mark.parametrize("case", [garbage_journal, another_vaults_journal, garbage_wal],
                         ids=lambda c: c.__name__)
def test_sqlite_alone_changes_the_folder(case: Callable[[Path, Template], str],
                                         template: Template, data_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the checks exist (and that the suite would notice them gone): with them
    switched off, SQLite deletes the garbage journal or ``-wal`` and writes another
    vault's pages into this one."""
    shutil.copytree(template.good, data_dir)
    case(data_dir, template)
    monkeypatch.setattr(integrity, "check_files", lambda path: None)
    monkeypatch.setattr(integrity, "journal_matches", lambda path, key: True)
    before = snapshot(data_dir)
    with contextlib.suppress(VaultError):  # it may open, or fail after the harm is done
        Vault.open(data_dir, passphrase=PASSPHRASE).close()
    after = snapshot(data_dir)
    assert after != before
    if case is another_vaults_journal:
        assert after[DB_NAME] != before[DB_NAME]
    else:
        assert set(after) < set(before)  # the file beside the vault was deleted


def test_the_real_command_line_refuses_too(template: Template, data_dir: Path) -> None:
    """``strongroom list`` as a person runs it (a new process, the launcher)."""
    shutil.copytree(template.good, data_dir)
    expected = garbage_journal(data_dir, template)
    before = snapshot(data_dir)
    proc = subprocess.run([sys.executable, "-m", "strongroom", "list", "--data-dir",
                           str(data_dir)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert (proc.returncode, proc.stdout) == (1, "")
    assert re.search(expected, proc.stderr) and "Nothing was changed." in proc.stderr
    assert snapshot(data_dir) == before
