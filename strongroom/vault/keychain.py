"""The OS keychain, by allowlist only.

``keyring`` happily falls back to backends that are not keychains at all: the
``keyrings.alt`` file backends keep secrets in a plain (or weakly "encrypted")
file in the home folder, ``null``/``fail`` store nothing. Storing the vault's
wrapping secret there would be no better than storing the key beside the vault,
so only the real OS keychains below are trusted; anything else means
"use a passphrase". A backend is matched by its exact module and class name,
not ``isinstance``, so a subclass from another package is not trusted by accident.
Even an allowlisted backend must pass a store-read-delete probe before use.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import logging
import os
import secrets
import sys
from pathlib import Path

import keyring
import keyring.backend
import keyring.util.platform_
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from ..errors import KeyUnavailable
from .keys import KEY_BYTES

log = logging.getLogger("strongroom.vault")

# keyring imports every backend it ships to ask whether it is viable, and its macOS
# backend's ``api`` module calls ``ctypes.util.find_library`` three times at import,
# which off macOS runs ``ldconfig`` and ``gcc`` (about 40 processes when a vault is
# created, #20). Off macOS that module can only fail, and keyring already treats
# its failure as "not viable"; naming it absent (the import system's own way:
# ``sys.modules[name] = None``) makes it fail at once, without the processes.
if sys.platform != "darwin":
    sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]

ENV_SWITCH = "STRONGROOM_KEYCHAIN"  # "off" disables the keychain
ENV_SERVICE = "STRONGROOM_KEYCHAIN_SERVICE"  # tests use their own service name
DEFAULT_SERVICE = "Strongroom"
FORCE_ENV = "PYTHON_KEYRING_BACKEND"  # keyring's own override; refused

#: Exact ``module.Class`` names of trusted backends -> the name people know them by.
ALLOWED_BACKENDS: dict[str, str] = {
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring, KeePassXC...)",
    "keyring.backends.libsecret.Keyring": "Secret Service (libsecret)",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
}

_NONE_TRUSTED = (
    "No supported system keychain was found (macOS Keychain, Windows Credential Manager, "
    "GNOME Keyring / Secret Service or KDE Wallet). Choose a passphrase instead."
)
_OFF = "The system keychain is turned off (STRONGROOM_KEYCHAIN=off). Choose a passphrase."
_FORCED = (
    "The keychain library is told to use one particular backend ({how}). Strongroom only "
    "keeps its key in a system keychain it finds and checks itself, so it will not use a "
    "forced one. Remove that setting to use the keychain, or choose a passphrase."
)
_PROBE_FAILED = (
    "The system keychain ({name}) did not work: it may be locked or not running. "
    "Unlock it and try again, or choose a passphrase."
)


def backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def display_name(name: str) -> str:
    return ALLOWED_BACKENDS.get(name, "system keychain")


def is_allowed(backend: KeyringBackend) -> bool:
    return backend_name(backend) in ALLOWED_BACKENDS


def disabled() -> bool:
    return os.environ.get(ENV_SWITCH, "").strip().lower() == "off"


def service_name() -> str:
    return os.environ.get(ENV_SERVICE) or DEFAULT_SERVICE


def forced_by() -> str | None:
    """How keyring is told to skip its own choice of backend, or None.

    ``PYTHON_KEYRING_BACKEND`` and ``keyringrc.cfg`` make keyring load any class by
    name, including ones that merely *look* like a keychain; the allowlist would
    catch most, but a forced choice also skips keyring's viability checks, so it is
    refused outright rather than judged.
    """
    if os.environ.get(FORCE_ENV, "").strip():
        return f"{FORCE_ENV} is set"
    cfg = _config_file()
    if cfg is not None:
        parser = configparser.RawConfigParser()
        try:
            parser.read(cfg, encoding="utf-8")
            forced = parser.get("backend", "default-keyring", fallback="").strip()
        except (configparser.Error, OSError, UnicodeDecodeError):
            forced = "?"  # unreadable config: keyring's own behaviour is unclear too
        if forced:
            return f"default-keyring in {cfg}"
    return None


def _config_file() -> Path | None:
    try:
        path = Path(keyring.util.platform_.config_root()) / "keyringrc.cfg"
    except Exception:  # no home directory and the like: nothing is forced
        return None
    return path if path.is_file() else None


def candidates(active: KeyringBackend) -> list[KeyringBackend]:
    """The backends the active one stands for: a chainer's chain, in its order."""
    if isinstance(active, ChainerBackend):
        return list(active.backends)
    return [active]


def choose_backend() -> tuple[KeyringBackend | None, str]:
    """The first allowlisted backend keyring would use, or ``(None, reason)``.

    Nothing is written here; see ``usable`` for the probe.
    """
    if disabled():
        return None, _OFF
    how = forced_by()
    if how is not None:
        log.info("keychain refused: backend forced (%s)", how)
        return None, _FORCED.format(how=how)
    try:
        active = keyring.get_keyring()
        chain = candidates(active)
    except Exception as exc:  # a broken keyring config must not stop the app
        log.warning("keyring backend resolution failed: %s", type(exc).__name__)
        return None, _NONE_TRUSTED
    for backend in chain:
        if is_allowed(backend):
            return backend, ""
    log.info("keychain refused: %s", ", ".join(backend_name(b) for b in chain))
    return None, _NONE_TRUSTED


def probe(backend: KeyringBackend, service: str) -> bool:
    """Store, read back and delete a throwaway secret: does the keychain really work?"""
    user = f"probe-{secrets.token_hex(8)}"
    value = secrets.token_urlsafe(24)
    try:
        backend.set_password(service, user, value)
        try:
            ok = backend.get_password(service, user) == value
        finally:
            backend.delete_password(service, user)
        return ok and backend.get_password(service, user) is None
    except Exception as exc:
        log.warning("keychain probe failed: %s", type(exc).__name__)
        return False


def usable() -> tuple[KeyringBackend | None, str]:
    """An allowlisted backend that passed the probe, or ``(None, reason for people)``."""
    backend, reason = choose_backend()
    if backend is None:
        return None, reason
    name = backend_name(backend)
    if not probe(backend, service_name()):
        return None, _PROBE_FAILED.format(name=display_name(name))
    return backend, ""


def find_backend(name: str) -> KeyringBackend | None:
    """The viable backend named ``name`` (as recorded in the envelope), if allowlisted.

    Looked up by name rather than through ``get_keyring()``: the keychain that holds
    the secret is the one recorded at creation, whatever keyring would pick today.
    """
    if name not in ALLOWED_BACKENDS or disabled():
        return None
    try:
        active = keyring.get_keyring()
        pool = candidates(active) + list(keyring.backend.get_all_keyring())
    except Exception as exc:
        log.warning("keyring backend lookup failed: %s", type(exc).__name__)
        return None
    return next((b for b in pool if backend_name(b) == name), None)


def store_secret(backend: KeyringBackend, service: str, user: str, secret: bytes) -> None:
    """Store and read back; raises ``KeyUnavailable`` if the keychain does not keep it."""
    value = base64.b64encode(secret).decode("ascii")
    try:
        backend.set_password(service, user, value)
        ok = backend.get_password(service, user) == value
    except Exception as exc:
        log.warning("keychain store failed: %s", type(exc).__name__)
        ok = False
    if not ok:
        raise KeyUnavailable(_PROBE_FAILED.format(name=display_name(backend_name(backend))))


def load_secret(name: str, service: str, user: str) -> bytes:
    """The wrapping secret stored for vault ``user``; never creates or replaces one."""
    shown = display_name(name)
    if disabled():
        raise KeyUnavailable(
            f"This vault's key is kept in the system keychain ({shown}), but the keychain "
            "is turned off (STRONGROOM_KEYCHAIN=off). Turn it back on to open the vault."
        )
    backend = find_backend(name)
    if backend is None:
        raise KeyUnavailable(
            f"This vault's key is kept in the system keychain ({shown}), which is not "
            "available now. Start or unlock the keychain and try again; nothing was changed."
        )
    try:
        value = backend.get_password(service, user)
    except Exception as exc:
        log.warning("keychain read failed: %s", type(exc).__name__)
        raise KeyUnavailable(
            f"The system keychain ({shown}) could not be read; it may be locked. "
            "Unlock it and try again; nothing was changed."
        ) from None
    if value is None:
        raise KeyUnavailable(
            f"This vault's key was not found in the system keychain ({shown}, entry "
            f"'{service}' / '{user}'). It may have been deleted, or you are signed in as "
            "another user. Restore the keychain from a backup; nothing was changed."
        )
    try:
        secret = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise KeyUnavailable(
            f"The keychain entry for this vault ('{service}' / '{user}') is damaged. "
            "Restore the keychain from a backup; nothing was changed."
        )
    return secret


def delete_secret(backend: KeyringBackend, service: str, user: str) -> None:
    """Best effort: only used to undo a vault creation that failed half way."""
    try:
        backend.delete_password(service, user)
    except Exception as exc:
        log.warning("keychain cleanup failed: %s", type(exc).__name__)
