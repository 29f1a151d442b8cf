"""Process hardening done by the launcher before any vault is opened."""

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux prctl and rlimits")
def test_no_core_dumps_and_not_dumpable():
    code = (
        "import ctypes, resource\n"
        "from strongroom.launcher import harden_process\n"
        "harden_process()\n"
        "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0), resource.getrlimit(resource.RLIMIT_CORE))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "0 (0, 0)"  # PR_GET_DUMPABLE = 3 → 0: not dumpable
