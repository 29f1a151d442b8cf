"""What a lock leaves in memory, measured on the real app in its own process.

The app runs in a child (tests/helpers/lock_driver.py) with the real model and a
real vault; the document it adds carries a random canary in its text and its file
name. This test counts the canary (UTF-8 and UTF-16, as Python and Qt hold text)
in every readable mapping of the child's memory while a document is shown, then
after Lock. Lock replaces the process with a fresh one (``app.relaunch``): the
count after a lock must be zero. Before the relaunch was added, an in-process lock
left 30 of 38 copies behind in freed heap memory (docs/MEASUREMENTS.md).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from strongroom.vault import Vault
from tests.helpers import paths
from tests.helpers.desktop import RECEIPT
from tests.helpers.memscan import count_in_process

pytestmark = [pytest.mark.gui, pytest.mark.model,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]

REPO = paths.REPO
PASSPHRASE = "memory test passphrase"


def test_after_a_lock_no_copy_of_the_document_is_left_in_memory(tmp_path: Path,
                                                                  model_path: Path) -> None:
    canary = "MEMCANARY" + secrets.token_hex(8).upper()
    needles = [canary.encode(), canary.encode("utf-16-le")]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    document = inbox / f"letter-{canary}.txt"
    document.write_text(RECEIPT + f"Member note: {canary}\n", encoding="utf-8")
    data = tmp_path / "data"
    Vault.create(data, passphrase=PASSPHRASE).close()  # cheap Argon2id, kept in the envelope

    env = dict(os.environ, STRONGROOM_PASSPHRASE=PASSPHRASE, STRONGROOM_AUTO_LOCK_MINUTES="0")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.lock_driver", str(data), str(model_path)],
        cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(f"add {document}\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        shown, scanned_before = count_in_process(child.pid, needles)
        child.stdin.write("lock\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "locked"
        left, scanned_after = count_in_process(child.pid, needles)
        child.stdin.write("quit\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
    print(f"\ncanary copies in the app's memory: shown {sum(shown.values())} "
          f"({scanned_before / 1e6:.0f} MB scanned), after lock {sum(left.values())} "
          f"({scanned_after / 1e6:.0f} MB scanned)")
    assert sum(shown.values()) > 0  # the scan sees the document while it is shown
    assert left == dict.fromkeys(needles, 0)
