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
from strongroom.desktop.passphrase_dialogs import USE_RECOVERY
from strongroom.reading.base import Document
from strongroom.understanding.result import Extraction, FieldValue
from strongroom.vault import Vault, backup
from tests.helpers import memkeychain

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


# -- restore with the backup's recovery code ----------------------------------------------
def fill_code(qtbot, dialog, code: str) -> str:  # type: ignore[no-untyped-def]
    """Type ``code`` into a recovery dialog, press OK, wait: the error line after."""
    dialog.edit.setText(code)
    dialog.accept()
    qtbot.wait_until(lambda: not dialog.busy)
    return str(dialog.error_label.text()) if dialog.error_label.isVisibleTo(dialog) else ""


def test_restore_with_the_recovery_code(qtbot, make_window, vault, asked, tmp_path,
                                        monkeypatch) -> None:
    """The passphrase the backup was made with is forgotten; its recovery code is not."""
    data_dir = vault.path
    code = vault.take_recovery_code()
    path = tmp_path / "before.srbackup"
    backup.write_backup(vault, path)
    vault.change_passphrase("a passphrase made later", current=PW)  # the backup keeps PW
    vault.delete(vault.list_documents()[0].id)
    with Vault.create(tmp_path / "other", passphrase=PW) as other:
        other_code = other.take_recovery_code()
    window = make_window(vault=vault)
    before = sha_all(data_dir)
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a: path)
    seen: list[str] = []

    def passphrase_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        assert dialog.recovery_button.isVisibleTo(dialog)
        assert dialog.recovery_button.text() == "Use Recovery Code…"
        dialog.recovery_button.click()
        return int(dialog.result())

    def code_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        seen.append(dialog.intro.text())
        seen.append(fill_code(qtbot, dialog, other_code))
        assert sha_all(data_dir) == before  # a wrong code changed nothing
        seen.append(fill_code(qtbot, dialog, code))
        return int(dialog.result())

    monkeypatch.setattr(vaultfiles.BackupPassphraseDialog, "exec", passphrase_exec)
    monkeypatch.setattr(vaultfiles.BackupRecoveryDialog, "exec", code_exec)
    window.act_restore.trigger()
    qtbot.wait_until(lambda: not window.isVisible())
    assert seen[0].startswith("<b>Check the backup with its recovery code.</b><br>Type the "
                              "recovery code the vault had when the backup was made")
    assert seen[1] == ("The recovery code is not correct for this vault (the check letters "
                       "match, so it may belong to another vault, or was replaced by a newer "
                       "code). Nothing was changed.")
    assert seen[2] == ""
    assert asked[-1] == ("inform", "The vault was restored from the backup. Strongroom will "
                         "now close; start it again and open the restored vault with the "
                         "recovery code you entered (then choose a new passphrase).")
    with Vault.open(data_dir, recovery_code=code) as restored:
        assert sorted(r.name for r in restored.list_documents()) == ["dental.txt", "power.txt"]
    Vault.open(data_dir, passphrase=PW).close()  # the backup's key file came back with it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".strongroom")] == []


def test_a_wrong_code_changes_nothing(qtbot, make_window, vault, asked, tmp_path,
                                     monkeypatch) -> None:
    path = tmp_path / "b.srbackup"
    backup.write_backup(vault, path)
    window = make_window(vault=vault)
    before = sha_all(vault.path)
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a: path)
    monkeypatch.setattr(vaultfiles.BackupPassphraseDialog, "exec",
                        lambda dialog: dialog.done(USE_RECOVERY) or dialog.result())
    seen: list[str] = []

    def code_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        seen.append(fill_code(qtbot, dialog, "0000-0000-0000-0000-0000-0000-0000"))
        dialog.reject()
        return int(dialog.result())

    monkeypatch.setattr(vaultfiles.BackupRecoveryDialog, "exec", code_exec)
    window.act_restore.trigger()
    assert seen[0].startswith("The recovery code has a typing mistake")
    assert window.isVisible() and vault.list_documents()
    assert sha_all(vault.path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".strongroom")] == []


def test_keychain_backup_without_its_entry_asks_for_the_code(qtbot, make_window, asked,
                                                            tmp_path, monkeypatch) -> None:
    """A backup of a keychain vault, restored where its keychain entry is missing."""
    memory = memkeychain.install(monkeypatch)
    with Vault.create(tmp_path / "elsewhere") as made:
        code = made.take_recovery_code()
        made.add_document(Document("lab.txt", "text", "HbA1c 5.4", b"HbA1c 5.4", (0,)),
                          Extraction("lab_result", "A lab result.", fields={}))
        path = tmp_path / "keychain.srbackup"
        backup.write_backup(made, path)
    memory.items.clear()  # that computer's keychain entry is not here
    vault = Vault.create(tmp_path / "vault")  # this computer's own keychain vault
    window = make_window(vault=vault)
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a: path)
    seen: list[str] = []

    def code_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        seen.append(dialog.reason_label.text())
        seen.append(fill_code(qtbot, dialog, code))
        return int(dialog.result())

    monkeypatch.setattr(vaultfiles.BackupRecoveryDialog, "exec", code_exec)
    window.act_restore.trigger()
    qtbot.wait_until(lambda: not window.isVisible())
    assert "not found in the system keychain" in seen[0] and seen[1] == ""
    with Vault.open(tmp_path / "vault", recovery_code=code) as restored:
        assert [r.name for r in restored.list_documents()] == ["lab.txt"]
