"""``run``: unlock the vault, show the window, run the event loop."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog

from strongroom.errors import UserError
from strongroom.jobs import Understand

from . import theme
from .errors import show_error
from .unlock import CreatePassphraseDialog, PassphraseDialog
from .window import MainWindow

ENV_PASSPHRASE = "STRONGROOM_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


def application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setApplicationName("Strongroom")
    app.setApplicationDisplayName("Strongroom")
    app.setDesktopFileName("strongroom")
    theme.apply(app)
    return app


def unlock_vault(data_dir: Path) -> Any:
    """The open vault, or ``None`` if the person cancelled (nothing was touched).

    Raises ``UserError`` when the vault cannot be opened for another reason.
    """
    from strongroom.vault import Vault

    env = os.environ.get(ENV_PASSPHRASE) or None
    method = Vault.unlock_method(data_dir)
    if method == "passphrase":
        if env is not None:
            return Vault.open(data_dir, passphrase=env)
        dialog = PassphraseDialog(lambda p: Vault.open(data_dir, passphrase=p))
        return dialog.vault if dialog.exec() == QDialog.DialogCode.Accepted else None
    if method is not None:
        return Vault.open(data_dir, passphrase=env)
    usable, reason = Vault.keychain_usable()
    if usable or env is not None:
        return Vault.create(data_dir, passphrase=None if usable else env)
    dialog = CreatePassphraseDialog(lambda p: Vault.create(data_dir, passphrase=p), reason)
    return dialog.vault if dialog.exec() == QDialog.DialogCode.Accepted else None


def run(data_dir: Path, understand: Understand, *, argv: Sequence[str] | None = None) -> int:
    """Show the window until it is closed; 0 on a normal exit, 1 if the vault failed."""
    app = application(argv)
    try:
        vault = unlock_vault(Path(data_dir))
    except UserError as exc:
        show_error(None, exc, title="Strongroom: vault")
        return 1
    if vault is None:
        return 0
    window = MainWindow(vault, understand)
    window.show()
    try:
        return app.exec()
    finally:
        window.shutdown()
