"""A kill at any point of a passphrase change leaves a vault that opens with the old
or the new passphrase, never neither, and vault.db untouched (issue 13).

A child process opens the vault and changes the passphrase; the ``crash.point``
hook is replaced so that it SIGKILLs itself at one named point (deterministic, unlike
killing after a random delay). Points: the re-wrap's own three and every step of the
atomic envelope writer (``keys.WRITE_STEPS``).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from strongroom.errors import WrongKey
from strongroom.vault import Vault, keys
from strongroom.vault.db import DB_NAME, KEYS_NAME
from tests.helpers.vault import make_doc, make_extraction

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

OLD = "the old passphrase"
NEW = "the new passphrase"
POINTS = ("rewrap-begin", "rewrap-wrapped", *keys.WRITE_STEPS, "rewrap-written")
#: From this point on the new envelope is in place (os.replace has happened).
FIRST_NEW = POINTS.index("envelope-replaced")

CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from strongroom.vault import Vault, crash, keys

    keys.ARGON2_MEMORY_KIB, keys.ARGON2_TIME_COST, keys.ARGON2_CALIBRATE = 1024, 1, False
    target = sys.argv[2]

    def crash_point(name):
        if name == target:
            sys.stdout.write("killing at " + name + "\\n")
            sys.stdout.flush()
            os.kill(os.getpid(), signal.SIGKILL)

    crash.point = crash_point
    old, new = os.environ["KILL_TEST_OLD"], os.environ["KILL_TEST_NEW"]
    with Vault.open(Path(sys.argv[1]), passphrase=old) as vault:
        vault.change_passphrase(new, current=old)
    print("finished")
""")


def test_points_are_many_and_in_order() -> None:
    assert len(POINTS) >= 10 and len(set(POINTS)) == len(POINTS)
    assert POINTS[FIRST_NEW - 1] == "envelope-before-replace"


def _opens(folder: Path, passphrase: str) -> bool:
    try:
        Vault.open(folder, passphrase=passphrase).close()
    except WrongKey:
        return False
    return True


@pytest.mark.parametrize("point", POINTS)
def test_kill_during_passphrase_change(point: str, data_dir: Path, tmp_path: Path) -> None:
    with Vault.create(data_dir, passphrase=OLD) as vault:
        code = vault.take_recovery_code()
        vault.add_document(make_doc(), make_extraction())
    db_sha = hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest()
    script = tmp_path / "rewrap_child.py"
    script.write_text(CHILD)
    env = {**os.environ, "KILL_TEST_OLD": OLD, "KILL_TEST_NEW": NEW,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, str(script), str(data_dir), point], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert proc.stdout == f"killing at {point}\n"

    old_opens, new_opens = _opens(data_dir, OLD), _opens(data_dir, NEW)
    assert old_opens or new_opens, f"killed at {point}: neither passphrase opens the vault"
    expect_new = POINTS.index(point) >= FIRST_NEW
    assert (old_opens, new_opens) == (not expect_new, expect_new), point
    assert hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest() == db_sha
    Vault.open(data_dir, recovery_code=code).close()  # the recovery key rode along
    leftovers = sorted(p.name for p in data_dir.iterdir() if p.name not in (DB_NAME, KEYS_NAME))
    assert all(name.startswith(f".{KEYS_NAME}.") and name.endswith(".tmp")
               for name in leftovers), leftovers

    # The next change goes through and sweeps a temp file the killed writer left.
    current = NEW if new_opens else OLD
    with Vault.open(data_dir, passphrase=current) as vault:
        vault.change_passphrase("third passphrase", current=current)
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME, KEYS_NAME]
    assert _opens(data_dir, "third passphrase")
    assert hashlib.sha256((data_dir / DB_NAME).read_bytes()).hexdigest() == db_sha
