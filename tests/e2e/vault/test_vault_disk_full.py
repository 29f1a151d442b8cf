"""A full disk: a clear message, and no committed document lost (issue 13).

The real launcher and CLI (``strongroom process``) run in a child under a file
size limit (``RLIMIT_FSIZE``), and, when the tests run as root, on a tmpfs with
little room (ENOSPC). Only the model is swapped for the pipeline without it: the
model has nothing to do with how a refused write is handled.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from strongroom.reading import read_path
from strongroom.vault.db import DB_NAME
from tests.conftest import PASSPHRASE
from tests.helpers import paths
from tests.helpers.crash import SEED, StoredDoc, check_vault, copy_vault, seeded, write_batch

pytestmark = pytest.mark.skipif(os.name != "posix", reason="rlimits and mounts are POSIX")

ROOT = paths.REPO
DISK_FULL = ("The disk is full (or a size limit was reached), so Strongroom could not save the "
             "document. Nothing already in the vault was lost; free some space and try again.")

#: The real launcher and CLI (``strongroom process``), under a file size limit when
#: argv[1] is not 0; only the model is swapped for the pipeline without it.
CLI_CHILD = textwrap.dedent("""
    import resource, sys
    from strongroom import cli, launcher
    from tests.helpers.crash_child import CodeOnly

    limit = int(sys.argv[1])
    if limit:
        resource.setrlimit(resource.RLIMIT_FSIZE,
                           (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    cli.understander = lambda args: CodeOnly()
    sys.exit(launcher.main(sys.argv[2:]))
""")


def run_cli(limit: int, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    return subprocess.run([sys.executable, "-c", CLI_CHILD, str(limit), *argv], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def write_big_batch(folder: Path, rng: random.Random, count: int) -> list[Path]:
    """Documents of ~40 KB each (a long note at the end), so a few fill the room
    left. The note has no numbers: the receipt ranker takes seconds per hundred
    amounts (27 s for a receipt of 400 priced lines, measured)."""
    paths = write_batch(folder, rng, count, "big")
    words = ["tea", "rice", "soap", "oil", "delivered", "kept", "cold", "paper", "bag"]
    for path in paths:
        note = "".join(" ".join(rng.choice(words) for _ in range(8)) + "\n" for _ in range(900))
        path.write_text(path.read_text(encoding="utf-8") + "Notes:\n" + note, encoding="utf-8")
    return paths


def assert_disk_full_run(proc: subprocess.CompletedProcess[str], folder: Path,
                         kept: dict[str, StoredDoc], paths: list[Path]) -> int:
    """The run's output and the vault after it; returns how many were saved."""
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-3000:]
    for jargon in ("Traceback", "database or disk is full", "disk I/O error", "OperationalError:"):
        assert jargon not in out, out[-3000:]
    failed = [line for line in proc.stdout.splitlines() if line.startswith("✗ ")]
    saved = [line for line in proc.stdout.splitlines() if line.startswith("✓ ")]
    assert failed, proc.stdout
    assert all(line.endswith(f": {DISK_FULL}") for line in failed), failed
    assert len(failed) + len(saved) == len(paths)
    state = check_vault(folder, PASSPHRASE)
    assert all(state.docs.get(sha) == doc for sha, doc in kept.items()), "a kept document changed"
    assert len(state.docs) == len(kept) + len(saved)
    return len(saved)


def resume_with_space(folder: Path, batch: Path, kept: dict[str, StoredDoc],
                      paths: list[Path]) -> None:
    proc = run_cli(0, "process", "--data-dir", str(folder), str(batch))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    state = check_vault(folder, PASSPHRASE)
    assert set(state.docs) == set(kept) | {read_path(p).sha256 for p in paths}


@pytest.mark.parametrize("room", [0, 150_000, 400_000])
def test_disk_full_at_a_file_size_limit(room: int, commit_template: Path,
                                        tmp_path: Path) -> None:
    """RLIMIT_FSIZE a little above vault.db's size: writes past it fail with
    EFBIG (CPython ignores SIGXFSZ at start-up, so the kernel's signal does not
    end the process). Each document that does not fit gets the plain message; the
    ones before it and everything committed earlier are intact; with the limit
    gone the same command completes the batch."""
    folder = copy_vault(commit_template, tmp_path / "v")
    kept = check_vault(folder, PASSPHRASE).docs
    paths = write_big_batch(tmp_path / "batch", seeded(SEED, f"disk full {room}"), 5)
    limit = (folder / DB_NAME).stat().st_size + room
    proc = run_cli(limit, "process", "--data-dir", str(folder), str(tmp_path / "batch"))
    saved = assert_disk_full_run(proc, folder, kept, paths)
    assert (saved == 0) == (room == 0)
    print(f"room {room} bytes: {saved} saved, {len(paths) - saved} refused")
    resume_with_space(folder, tmp_path / "batch", kept, paths)


def test_disk_full_on_a_full_file_system(commit_template: Path, tmp_path: Path) -> None:
    """ENOSPC for real: the vault on a tmpfs with ~200 KB to spare (needs root to
    mount; skipped otherwise)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    size = sum(p.stat().st_size for p in commit_template.iterdir()) + 200_000
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size // 4096 * 4096}",
                           "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        folder = copy_vault(commit_template, mount / "v")
        kept = check_vault(folder, PASSPHRASE).docs
        paths = write_big_batch(tmp_path / "batch", seeded(SEED, "enospc"), 5)
        proc = run_cli(0, "process", "--data-dir", str(folder), str(tmp_path / "batch"))
        assert assert_disk_full_run(proc, folder, kept, paths) >= 1
        shutil.copytree(folder, tmp_path / "moved")  # to a disk with room, then resume
    finally:
        subprocess.run(["umount", str(mount)], check=True)
    resume_with_space(tmp_path / "moved", tmp_path / "batch", kept, paths)


def test_disk_full_while_opening_migrates(v1_template: Path, tmp_path: Path) -> None:
    """Opening a version-1 vault migrates it (writes); at a file size limit the
    person should get the same plain message, and the vault stays at version 1."""
    folder = copy_vault(v1_template, tmp_path / "v1")
    before = check_vault(folder, PASSPHRASE)
    proc = run_cli((folder / DB_NAME).stat().st_size, "list", "--data-dir", str(folder))
    after = check_vault(folder, PASSPHRASE)
    assert after.version == 1 and after.docs == before.docs  # holds today: nothing lost
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr.startswith("strongroom: The disk is full (or a size limit was reached)")
