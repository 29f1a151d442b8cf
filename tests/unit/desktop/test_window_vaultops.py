"""Compact and back up while the job queue's worker is saving documents: the one
vault connection is shared through ``Vault._locked``; nothing deadlocks, nothing is
lost, the file stays sound (issue 13). Real SQLCipher vault, real worker thread,
real Qt events."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from strongroom.desktop import filedialogs, vaultfiles
from strongroom.vault import Vault, backup
from tests.helpers.desktop import understand_slowly
from tests.helpers.vault import make_doc, make_extraction

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

PW = "compact while busy"
DOCS = 40


@pytest.fixture
def big_vault(tmp_path: Path) -> Vault:
    """A vault with enough in it (and freed space) for VACUUM to take a while."""
    vault = Vault.create(tmp_path / "vault", passphrase=PW)
    ids = [vault.add_document(make_doc(name=f"old-{i}.txt", text=f"old document {i}",
                                       data=os.urandom(64_000)), make_extraction())
           for i in range(120)]
    for doc_id in ids[::2]:
        vault.delete(doc_id)
    return vault


def test_compact_and_back_up_while_documents_are_saved(qtbot, make_window, big_vault,
                                                      tmp_path, monkeypatch) -> None:
    vault = big_vault
    folder = tmp_path / "incoming"
    folder.mkdir()
    for i in range(DOCS):
        (folder / f"note-{i}.txt").write_text(f"Clinic note {i}\nBlood pressure 12{i % 10}/80\n")

    compacting: list[tuple[float, float]] = []  # when each compact held the vault
    saving: list[float] = []  # when the worker asked to save a document
    real_compact, real_add = vault.compact, vault.add_document

    def compact() -> tuple[int, int]:
        start = time.monotonic()
        try:
            return real_compact()
        finally:
            compacting.append((start, time.monotonic()))

    def add_document(doc, extraction, **link):  # type: ignore[no-untyped-def]
        saving.append(time.monotonic())
        assert threading.current_thread() is not threading.main_thread()
        return real_add(doc, extraction, **link)

    monkeypatch.setattr(vault, "compact", compact)
    monkeypatch.setattr(vault, "add_document", add_document)
    window = make_window(understand=understand_slowly(0.01), vault=vault)
    window.add_paths([folder])
    qtbot.wait_until(lambda: bool(window.model.running_job_ids()), timeout=5000)

    monkeypatch.setattr(vaultfiles, "inform", lambda *a: None)
    for i in range(6):  # compact, and twice a backup (VACUUM INTO), back to back
        window.act_compact.trigger()
        qtbot.wait_until(lambda: window.act_compact.isEnabled(), timeout=30_000)
        if i < 2:
            target = tmp_path / f"during-{i + 1}.srbackup"
            monkeypatch.setattr(filedialogs, "ask_save_path",
                                lambda *a, t=target: (t, vaultfiles.BACKUP_FILTER))
            window.act_backup.trigger()
            qtbot.wait_until(lambda: window.act_compact.isEnabled(), timeout=30_000)
    qtbot.wait_until(lambda: not window.model.running_job_ids(), timeout=60_000)
    qtbot.wait_until(lambda: window.act_compact.isEnabled(), timeout=30_000)

    # The race was real: the worker asked for the vault while a compact held it.
    assert any(start < t < end for t in saving for start, end in compacting), \
        (compacting, saving[:3])
    assert len(saving) == DOCS
    window.close()

    with Vault.open(vault.path, passphrase=PW) as reopened:
        names = [r.name for r in reopened.list_documents()]
        assert sorted(n for n in names if n.startswith("note-")) == \
            sorted(f"note-{i}.txt" for i in range(DOCS))
        assert len(names) == DOCS + 60
        with reopened._locked("check") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
            conn.execute("INSERT INTO search (search) VALUES ('integrity-check')")
        assert [r.name for r in reopened.search("clinic note 7")] == ["note-7.txt"]
    for i in (1, 2):  # each backup restores to a sound vault
        backup.restore(tmp_path / f"during-{i}.srbackup", tmp_path / f"restored-{i}",
                       passphrase=PW)
