"""The window's side of the one unlock policy (``strongroom.vault.unlock``, #20).

The policy decides which of the vault's locks to try and in what order; this module
only answers its questions with dialogs: the passphrase dialog (whose "Use Recovery
Code…" goes on to the recovery code), the recovery-code dialog (followed by the
offer of a new passphrase). Cancel stops with nothing opened or changed; the
dialogs' "Quit" button says so (``QuitChosen``), so a window locked later closes.

At start the window takes ``STRONGROOM_PASSPHRASE`` like the command line. After a
lock it does not: a lock that the environment or the keychain undoes without the
person typing anything is no lock, so a vault with a passphrase is asked for it
(``use_keychain=False``), and a keychain-only vault reopens from the keychain.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from strongroom.errors import Cancelled
from strongroom.vault import keys
from strongroom.vault.protocol import OpenVault
from strongroom.vault.unlock import ENV_PASSPHRASE, Prompt, unlock

from .passphrase_dialogs import USE_RECOVERY, PassphraseDialog
from .recovery_dialogs import NewPassphraseDialog, RecoveryUnlockDialog

if TYPE_CHECKING:  # what the policy's openers hand back
    from strongroom.vault import Vault


class QuitChosen(Cancelled):
    """The person clicked an unlock dialog's "Quit"."""


def _cancelled(dialog: PassphraseDialog | RecoveryUnlockDialog) -> Cancelled:
    return QuitChosen("Quit was chosen") if dialog.quit_chosen else \
        Cancelled("unlocking was cancelled")


class DialogAsk:
    """``ask`` for the policy: one dialog per question, ``parent`` above them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.chose_recovery = False  # "Use Recovery Code…": that dialog says no reason

    def __call__(self, prompt: Prompt) -> Vault | None:
        """The vault ``prompt.open`` opened (the policy's ``Ask``), ``None`` to go on."""
        if prompt.method == keys.PASSPHRASE:
            return self.passphrase(prompt)
        return self.recovery_code(prompt)

    def passphrase(self, prompt: Prompt) -> Vault | None:
        dialog = PassphraseDialog(prompt.open, self.parent)
        try:
            result = dialog.exec()
            if result == USE_RECOVERY:
                self.chose_recovery = True
                return None  # the policy goes on to the recovery code
            if result != QDialog.DialogCode.Accepted:
                raise _cancelled(dialog)
            vault: Vault = dialog.vault
            return vault
        finally:
            dialog.deleteLater()

    def recovery_code(self, prompt: Prompt) -> Vault:
        reason = "" if self.chose_recovery else prompt.reason
        dialog = RecoveryUnlockDialog(prompt.open, reason, self.parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                raise _cancelled(dialog)
            vault: Vault = dialog.vault
        finally:
            dialog.deleteLater()

        def set_passphrase(passphrase: str) -> Vault:
            vault.change_passphrase(passphrase)
            return vault

        offer = NewPassphraseDialog(set_passphrase, self.parent)
        try:
            offer.exec()  # "Not Now" keeps the vault open
        finally:
            offer.deleteLater()
        return vault


def open_vault(data_dir: Path, parent: QWidget | None = None, *,
               after_lock: bool = False) -> OpenVault | None:
    """The existing vault in ``data_dir`` opened through the one policy, or ``None``
    if the person cancelled (nothing was touched). Raises ``UserError`` when it
    cannot be opened for another reason, and ``QuitChosen`` after a lock when the
    person clicked "Quit" (at start, ``None`` quits already)."""
    from strongroom.vault import Vault

    env: dict[str, str] = {}
    if not after_lock and os.environ.get(ENV_PASSPHRASE):
        env[ENV_PASSPHRASE] = os.environ[ENV_PASSPHRASE]
    use_keychain = not after_lock or keys.PASSPHRASE not in Vault.unlock_methods(data_dir)
    try:
        return unlock(Path(data_dir), DialogAsk(parent), env=env, use_keychain=use_keychain)
    except QuitChosen:
        if after_lock:
            raise
        return None
    except Cancelled:
        return None
