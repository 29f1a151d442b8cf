"""The network guard catches a deliberate attempt (so its zero elsewhere means something)."""

import socket

import pytest

from strongroom import netguard
from tests.helpers import network


def test_the_guard_catches_and_refuses_a_deliberate_connection(tmp_path):
    before = netguard.attempts()
    network.expect_attempts(2)  # the session-end check subtracts these two
    with pytest.raises(netguard.NetworkBlocked), socket.socket() as s:
        s.connect(("127.0.0.1", 9))
    with pytest.raises(netguard.NetworkBlocked):
        socket.getaddrinfo("example.com", 443)
    assert netguard.attempts() == before + 2


def test_local_unix_sockets_stay_allowed(tmp_path):
    """The OS keychain talks D-Bus over a Unix socket; that is not the network."""
    path = str(tmp_path / "sock")
    before = netguard.attempts()
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen(1)
        client.connect(path)
    assert netguard.attempts() == before


def test_a_relaunched_process_keeps_counting_from_the_old_count():
    """A lock replaces the window's process; "attempts since start" must not reset."""
    import os
    import subprocess
    import sys

    code = ("import os, socket\nfrom strongroom import netguard\nnetguard.install()\n"
            "try:\n    socket.getaddrinfo('example.com', 443)\nexcept PermissionError:\n    pass\n"
            f"print(netguard.attempts(), os.environ.get({netguard.ENV_CARRIED!r}))\n")
    env = dict(os.environ, **{netguard.ENV_CARRIED: "2"})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["3", "None"]  # 2 carried + 1 new; the variable is not passed further
