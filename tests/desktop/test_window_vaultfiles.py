"""File ▸ Export…, Vault ▸ Back Up Vault…, Restore from Backup… on a real vault (issue 13).

Dialogs are replaced by recorders (what was asked, in which order); the files and
the vault are real. The work runs as ``VaultOp``s, so each test waits for its outcome.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from strongroom.desktop import filedialogs, vaultfiles
from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

PW = "vault files test"


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    vault = Vault.create(tmp_path / "vault", passphrase=PW)
    for name, total in [("dental.txt", "480.00"), ("power.txt", "96.40")]:
        vault.add_document(Document(name, "text", f"{name} total {total}", name.encode(), (0,)),
                           Extraction("receipt", "A receipt.",
                                      fields={"total": FieldValue(total, total, (0, 1))}))
    return vault  # closed by the window


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every dialog, in order; confirmations say yes unless ``answers`` says no."""
    log: list[tuple[str, str]] = []

    def confirm(parent, title, text, info, ok, **kw) -> bool:  # type: ignore[no-untyped-def]
        log.append(("confirm", f"{text} {info}"))
        return True

    monkeypatch.setattr(vaultfiles, "confirm", confirm)
    monkeypatch.setattr(vaultfiles, "inform", lambda p, title, text: log.append(("inform", text)))
    monkeypatch.setattr(vaultfiles, "show_error",
                        lambda p, exc: log.append(("error", str(exc))))
    return log


def sha_all(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_export_warns_before_the_save_dialog(qtbot, make_window, vault, asked, tmp_path,
                                             monkeypatch) -> None:
    dest = tmp_path / "fields"

    def save(parent, caption, name, filters):  # type: ignore[no-untyped-def]
        asked.append(("save", caption))
        return dest, vaultfiles.CSV_FILTER

    monkeypatch.setattr(filedialogs, "ask_save_path", save)
    window = make_window(vault=vault)
    window.act_export.trigger()
    qtbot.wait_until(lambda: window.statusBar().currentMessage() ==
                     "Exported 2 documents. The file is not encrypted.")
    assert [kind for kind, _ in asked] == ["confirm", "save"]
    assert "NOT encrypted" in asked[0][1]
    assert asked[1][1] == "Export fields (not encrypted)"
    out = tmp_path / "fields.csv"
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "id,name,type,date,summary,field:total"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_export_declined_asks_nothing_more(qtbot, make_window, vault, asked,
                                           monkeypatch) -> None:
    monkeypatch.setattr(vaultfiles, "confirm", lambda *a, **k: False)
    monkeypatch.setattr(filedialogs, "ask_save_path",
                        lambda *a: pytest.fail("save dialog shown after Cancel"))
    make_window(vault=vault).act_export.trigger()


def test_back_up_then_restore_replaces_and_closes(qtbot, make_window, vault, asked, tmp_path,
                                                  monkeypatch) -> None:
    data_dir = vault.path
    monkeypatch.setattr(filedialogs, "ask_save_path",
                        lambda *a: (tmp_path / "mine", vaultfiles.BACKUP_FILTER))
    window = make_window(vault=vault)
    window.act_backup.trigger()
    path = tmp_path / "mine.srbackup"
    qtbot.wait_until(lambda: bool(asked))
    assert asked[-1][0] == "inform"
    assert asked[-1][1].startswith("The vault was saved to mine.srbackup (")
    assert "encrypted like the vault itself" in asked[-1][1]

    vault.delete(vault.list_documents()[0].id)  # a change the restore must undo
    window.refresh_documents()
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a: path)

    def exec_(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.edit.setText(PW)
        dialog.accept()
        qtbot.wait_until(lambda: not dialog.busy)
        return int(dialog.result())

    monkeypatch.setattr(vaultfiles.BackupPassphraseDialog, "exec", exec_)
    window.act_restore.trigger()
    qtbot.wait_until(lambda: not window.isVisible())
    kinds = [kind for kind, _ in asked]
    assert kinds[-2:] == ["confirm", "inform"], asked
    assert "Every document now in the vault is replaced" in asked[-2][1]
    assert asked[-1][1].startswith("The vault was restored from the backup.")
    assert not window.isVisible() and vault._conn is None  # closed before the swap
    with Vault.open(data_dir, passphrase=PW) as restored:
        assert sorted(r.name for r in restored.list_documents()) == ["dental.txt", "power.txt"]


def test_a_damaged_backup_leaves_the_window_and_vault_as_they_were(
        qtbot, make_window, vault, asked, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.srbackup"
    monkeypatch.setattr(filedialogs, "ask_save_path",
                        lambda *a: (bad, vaultfiles.BACKUP_FILTER))
    window = make_window(vault=vault)
    window.act_backup.trigger()
    qtbot.wait_until(lambda: bool(asked))
    blob = bytearray(bad.read_bytes())
    blob[-10] ^= 0xFF
    bad.write_bytes(bytes(blob))
    before = sha_all(vault.path)
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a: bad)
    shown: list[str] = []

    def exec_(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.edit.setText(PW)
        dialog.accept()
        qtbot.wait_until(lambda: not dialog.busy)
        shown.append(dialog.error_label.text())
        return int(dialog.result())

    monkeypatch.setattr(vaultfiles.BackupPassphraseDialog, "exec", exec_)
    window.act_restore.trigger()
    # The dialog shows the refusal in place (it stays open for another try): not accepted.
    assert shown == [f"The backup {bad} is damaged (its contents do not match its checksum), "
                     "so it cannot be restored. Use another copy of the backup; nothing was "
                     "changed."]
    assert window.isVisible()
    assert vault.list_documents()  # still open and working
    assert sha_all(vault.path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".strongroom")] == []


def test_restore_is_refused_while_documents_are_processed(qtbot, make_window, vault, asked,
                                                         monkeypatch) -> None:
    window = make_window(vault=vault)
    monkeypatch.setattr(window.model, "running_job_ids", lambda: [1])
    monkeypatch.setattr(filedialogs, "ask_open_path",
                        lambda *a: pytest.fail("asked for a file while busy"))
    window.act_restore.trigger()
    assert asked == [("inform", "Documents are still being processed. Wait until they "
                                "finish, or cancel them, then restore.")]
