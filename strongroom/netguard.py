"""No network, ever: an audit hook that refuses and counts network attempts.

``sys.addaudithook`` sees every socket connect, name lookup and send made from
Python. Internet-family attempts are refused (the call raises) and counted;
local Unix sockets stay allowed, because the OS keychain speaks D-Bus over one.
The window shows the count ("network attempts since start: 0"); a lock's relaunch
(desktop/app.py) hands the count on to the fresh process in ``ENV_CARRIED``.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from typing import Any

_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                     "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"})
_lock = threading.Lock()
_attempts: list[str] = []
_installed = False
_carried = 0  # attempts made before a relaunch replaced the process
ENV_CARRIED = "STRONGROOM_NETWORK_ATTEMPTS_BEFORE"


class NetworkBlocked(PermissionError):
    """Raised inside the offending call: Strongroom never talks to a network."""


def _is_local(event: str, args: tuple[Any, ...]) -> bool:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg") and args:
        sock = args[0]
        family = getattr(sock, "family", None)
        return family == getattr(socket, "AF_UNIX", object())
    return False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or _is_local(event, args):
        return
    with _lock:
        _attempts.append(event)
    raise NetworkBlocked(f"network access refused ({event}): Strongroom works offline")


def install() -> None:
    """Install the hook once per process (audit hooks cannot be removed)."""
    global _installed, _carried
    with _lock:
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True
            raw = os.environ.pop(ENV_CARRIED, "")
            _carried = int(raw) if raw.isdigit() else 0


def attempts() -> int:
    """Attempts refused since the app started (across lock relaunches)."""
    with _lock:
        return len(_attempts) + _carried


def attempt_events() -> list[str]:
    with _lock:
        return list(_attempts)
