"""``strongroom``: the window without a command, the CLI with one.

The only module that knows both sides (as Electrum's ``run_electrum``); both get
their data folder and understander from ``compose.Setup``. PySide6 is imported
only on the window path. Built-in backends register via the
``strongroom.backends`` entry point, so nothing here imports one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence

# Before llama.cpp's OpenMP runtime can load: don't spin-wait against the window.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GOMP_SPINCOUNT", "10000")  # see backends/llama_cpp.py


PR_SET_DUMPABLE = 4  # linux/prctl.h


def harden_process() -> None:
    """No core dumps: a crash while unlocked must not write decrypted pages to disk.

    RLIMIT_CORE 0 stops the kernel's core file; on Linux "not dumpable" also stops
    core-dump helpers (systemd-coredump ignores the limit) and other processes of
    the same user from attaching a debugger to read the vault's key.
    """
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def main(argv: Sequence[str] | None = None) -> int:
    import multiprocessing

    # First: in a frozen app, a reader's child process (reading/sandbox.py) starts
    # as this executable, and freeze_support runs it instead of the app.
    multiprocessing.freeze_support()
    from . import netguard
    from .cli import build_parser, run
    from .compose import Setup

    netguard.install()
    harden_process()
    logging.basicConfig(level=os.environ.get("STRONGROOM_LOG", "WARNING"),
                        format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.command:
        return run(args)
    from .errors import UserError

    try:
        from .desktop.app import run as run_window

        setup = Setup.from_args(args)
        return int(run_window(setup.data_dir_path, setup.understander()))  # checked there
    except UserError as exc:
        print(f"strongroom: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
