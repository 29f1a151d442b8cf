"""``run``: unlock the vault, show the window, run the event loop."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from strongroom import netguard
from strongroom.errors import UserError
from strongroom.jobs import Understand
from strongroom.paths import loose_message, make_private
from strongroom.vault.protocol import OpenVault
from strongroom.vault.unlock import ENV_PASSPHRASE  # defined once (#20)

from . import theme
from .error_dialog import show_error
from .instance import SingleInstance
from .passphrase_dialogs import CreatePassphraseDialog
from .recovery_dialogs import show_code_once
from .unlocking import open_vault
from .window import MainWindow

#: Set by a lock for the fresh process that replaces the locked one (see ``relaunch``).
ENV_RELAUNCH_LOCKED = "STRONGROOM_RELAUNCH_LOCKED"
ENV_RELAUNCH_GEOMETRY = "STRONGROOM_RELAUNCH_GEOMETRY"


def application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("Strongroom")
    app.setApplicationDisplayName("Strongroom")
    app.setDesktopFileName("strongroom")
    theme.apply(app)
    return app


def unlock_vault(data_dir: Path) -> OpenVault | None:
    """The open vault, or ``None`` if the person cancelled (nothing was touched).

    An existing vault opens through the one unlock policy (``unlocking.open_vault``);
    with none yet, one is created. Raises ``UserError`` when the vault cannot be
    opened for another reason.
    """
    from strongroom.vault import Vault

    if Vault.unlock_methods(data_dir):
        return open_vault(data_dir)
    env = os.environ.get(ENV_PASSPHRASE) or None
    usable, reason = Vault.keychain_usable()
    if usable or env is not None:
        vault = Vault.create(data_dir, passphrase=None if usable else env)
    else:
        dialog = CreatePassphraseDialog(lambda p: Vault.create(data_dir, passphrase=p), reason)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        vault = dialog.vault
    show_code_once(vault)  # issue 13: once, right after creation
    return vault


def check_data_dir(data_dir: Path) -> None:
    """Make the data folder and the vault's files private before anything else, and
    say so when another tool or a copy had left them open to other users. A folder
    not there yet is left to ``Vault.create``: cancelling creation leaves nothing."""
    loose = make_private(data_dir) if data_dir.exists() else []
    if loose:
        QMessageBox.warning(None, "Vault files", loose_message(data_dir, loose))


def run(data_dir: Path, understand: Understand, *, argv: Sequence[str] | None = None) -> int:
    """Show the window until it is closed; 0 on a normal exit, 1 if the vault failed."""
    app = application(argv)
    instance = SingleInstance(Path(data_dir))
    if instance.notify_running():
        print("Strongroom is already open for this vault; its window was brought to the front.",
              file=sys.stderr)
        return 0
    instance.listen()
    # Until the main window exists, a second launch brings the unlock dialog forward.
    instance.activation_requested.connect(_raise_active_window)
    try:
        locked_reason = os.environ.pop(ENV_RELAUNCH_LOCKED, None)
        geometry = os.environ.pop(ENV_RELAUNCH_GEOMETRY, "")
        vault = None
        if locked_reason is None:  # a normal start; after a lock, the window asks
            try:
                check_data_dir(Path(data_dir))
                vault = unlock_vault(Path(data_dir))
            except UserError as exc:
                show_error(None, exc, title="Vault")
                return 1
            if vault is None:
                return 0
        window = MainWindow(vault, understand, data_dir=Path(data_dir),
                            locked_reason=locked_reason or "")
        if geometry:
            window.restoreGeometry(QByteArray.fromHex(geometry.encode("ascii")))
        window.relaunch = lambda reason: relaunch(window, instance, reason)
        window.show()
        instance.activation_requested.connect(lambda: _bring_forward(window))
        try:
            return app.exec()
        finally:
            window.shutdown()
    finally:
        instance.close()


def relaunch_command() -> list[str]:
    """The command line that started this process, to start it again."""
    if getattr(sys, "frozen", False):  # a packaged app: the executable is the app
        return [sys.executable, *sys.argv[1:]]
    return [sys.executable, *sys.orig_argv[1:]]  # keeps "-m strongroom" and options


def relaunch(window: QWidget, instance: SingleInstance, reason: str) -> None:
    """Replace this process with a fresh one that starts locked.

    After ``exec`` nothing of this process's memory exists any more: not the
    Python objects, not Qt's copies of the text the window showed, not the model's
    KV cache, not freed heap blocks (measured in tests/e2e/desktop/test_lock_memory.py).
    The new process shows the locked window where this one was. Only the lock's
    reason and the window's geometry are passed on (they hold no document data).
    """
    os.environ[ENV_RELAUNCH_LOCKED] = reason
    os.environ[netguard.ENV_CARRIED] = str(netguard.attempts())
    os.environ[ENV_RELAUNCH_GEOMETRY] = bytes(window.saveGeometry().toHex().data()).decode()
    instance.close()
    window.hide()
    sys.stdout.flush()
    sys.stderr.flush()
    command = relaunch_command()
    os.execv(command[0], command)  # noqa: S606 - our own command line, no shell


def _bring_forward(widget: QWidget) -> None:
    if widget.isMinimized():
        widget.showNormal()
    widget.raise_()
    widget.activateWindow()


def _raise_active_window() -> None:
    modal = QApplication.activeModalWidget()
    if modal is not None:
        _bring_forward(modal)
