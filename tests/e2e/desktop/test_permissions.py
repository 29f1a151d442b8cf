"""The window checks the data folder's modes at start (issue 13): loose modes are
tightened and the person is told, before the window. The real window in its own
process (tests/helpers/window_driver.py); the CLI's and the vault's side of the
same check: tests/unit/cli/test_permissions.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from strongroom import paths
from strongroom.paths import Loose, loose_message
from strongroom.vault import Vault
from tests.conftest import PASSPHRASE
from tests.helpers.paths import HELPERS, REPO
from tests.unit.cli.test_permissions import loosen, mode

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

DRIVER = HELPERS / "window_driver.py"


@pytest.fixture
def vault_dir(tmp_path: Path, cheap_argon2: None) -> Path:
    data_dir = Path(os.environ[paths.ENV_DATA_DIR])
    Vault.create(data_dir, passphrase=PASSPHRASE).close()
    return data_dir


def run_window(data_dir: Path) -> dict[str, object]:
    """The real window (its own process, offscreen) opened on ``data_dir`` and closed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STRONGROOM_PASSPHRASE=PASSPHRASE,
               PYTHONPATH=str(REPO))
    spec = {"launcher_args": ["--data-dir", str(data_dir)]}
    done = subprocess.run([sys.executable, str(DRIVER), json.dumps(spec)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0 and "error" not in report, (report, done.stderr[-2000:])
    return report


@pytest.mark.gui
def test_the_window_tightens_at_start_and_says_so(vault_dir: Path) -> None:
    loosen(vault_dir)
    shown = run_window(vault_dir)
    expected = [Loose(vault_dir, 0o755, True), Loose(vault_dir / "vault.db", 0o644, True),
                Loose(vault_dir / "vault.keys.json", 0o644, True)]
    assert shown["dialogs"] == [loose_message(vault_dir, expected)]  # before the window
    assert (mode(vault_dir), mode(vault_dir / "vault.db"),
            mode(vault_dir / "vault.keys.json")) == (0o700, 0o600, 0o600)
    assert run_window(vault_dir)["dialogs"] == []  # private now: nothing to say
