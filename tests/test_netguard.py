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
