"""The key envelope: how the vault's data key is kept without ever being stored bare.

The database is encrypted with a random 256-bit *data key*. That key is wrapped
(AES-256-GCM) by a *key-encryption key* that comes either from the OS keychain
(a random secret stored there) or from a passphrase (Argon2id). The wrapped key,
the Argon2id parameters and salt live in ``vault.keys.json`` beside the database.

Why an envelope instead of keying SQLCipher with the passphrase directly: the
GCM tag tells a wrong passphrase apart from a damaged database *before* the
database is touched, and changing the passphrase later only rewrites this small
file. The AAD binds each wrapped key to its vault id, method and format version,
so a blob cannot be moved to another vault or relabelled as another method.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import os
import secrets
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import PassphraseRequired, VaultError, WrongKey
from . import crash

FORMAT = "strongroom-vault-keys"
VERSION = 1
KEY_BYTES = 32  # 256-bit data key, key-encryption keys and keychain secrets
NONCE_BYTES = 12
SALT_BYTES = 16

KEYCHAIN = "keychain"
PASSPHRASE = "passphrase"  # noqa: S105 - a method name, not a secret
RECOVERY = "recovery"  # the recovery code (``recovery.py``), always the last key
METHODS = (KEYCHAIN, PASSPHRASE, RECOVERY)
#: Methods whose key-encryption key comes from Argon2id over something people type.
DERIVED = (PASSPHRASE, RECOVERY)

#: Argon2id floor for new vaults (RFC 9106's second recommended option, with t=3
#: for a little more margin). Stored per vault, so they can be raised later.
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_TIME_COST = 3
ARGON2_PARALLELISM = 1
#: New passphrases raise the time cost above the floor until one derivation takes
#: about this long on this machine (issue 13 asks for 0.5-2 s), never lowering it.
ARGON2_TARGET_SECONDS = 0.75
ARGON2_CALIBRATE = True
#: Upper bounds accepted from a file, so a tampered envelope cannot make opening
#: the vault allocate gigabytes or spin for minutes. Before #20 they were 4 GiB and
#: 64 passes, which the probe showed costs 487 s and 4.26 GB before "not correct".
#: Now near what calibration writes: memory up to 4 x the floor (room to raise the
#: floor later), and no more work (memory x passes) than the most calibration ever
#: writes (the floor's memory, ``_MAX_TIME_COST`` passes: a few seconds). Constants,
#: not the ``ARGON2_*`` values above, which tests lower.
_MAX_TIME_COST = 64
_MAX_MEMORY_KIB = 4 * 64 * 1024
_MAX_WORK_KIB = 64 * 1024 * _MAX_TIME_COST  # memory_kib x time_cost
_MAX_PARALLELISM = 16

_DAMAGED = (
    "The vault's key file (vault.keys.json) is damaged or not a Strongroom key file, "
    "so the vault cannot be opened. Restore it from a backup; nothing was changed."
)
_CHANGED = (
    "The vault's key file (vault.keys.json) is damaged: its contents do not match its "
    "checksum (a changed byte, as from a failing disk or an edit), so it was not tried. "
    "Restore it from a backup; nothing was changed."
)
_TOO_COSTLY = (
    "The vault's key file (vault.keys.json) asks for far more work to open the vault "
    "({mib} MiB of memory, {passes} passes) than Strongroom ever sets, as a damaged or "
    "altered key file would, so it was not tried (it could take minutes and gigabytes). "
    "Restore it from a backup; nothing was changed."
)


def new_key() -> bytes:
    """A fresh random 256-bit key (data key or keychain secret)."""
    return secrets.token_bytes(KEY_BYTES)


def new_vault_id() -> str:
    """A random id naming the vault (keychain user name, AAD). Not secret."""
    return secrets.token_hex(16)


# -- passphrase --------------------------------------------------------------
@dataclass(frozen=True)
class Argon2Params:
    salt: bytes
    memory_kib: int
    time_cost: int
    parallelism: int

    @classmethod
    def fresh(cls) -> Argon2Params:
        """Parameters for a new passphrase, calibrated to this machine: the floor's
        memory and parallelism, the time cost raised until one derivation takes
        ``ARGON2_TARGET_SECONDS`` (module values are read at call time so tests
        can lower them)."""
        floor = cls(salt=secrets.token_bytes(SALT_BYTES), memory_kib=ARGON2_MEMORY_KIB,
                    time_cost=ARGON2_TIME_COST, parallelism=ARGON2_PARALLELISM)
        if not ARGON2_CALIBRATE:
            return floor
        return floor.with_time_cost(calibrated_time_cost(floor, _measure(floor)))

    def with_time_cost(self, time_cost: int) -> Argon2Params:
        return Argon2Params(self.salt, self.memory_kib, time_cost, self.parallelism)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "version": 19,
            "memory_kib": self.memory_kib,
            "time_cost": self.time_cost,
            "parallelism": self.parallelism,
            "salt": _b64(self.salt),
            "normalization": "NFC",
        }

    @classmethod
    def from_json(cls, obj: Any) -> Argon2Params:
        if not isinstance(obj, dict) or obj.get("name") != "argon2id" or obj.get("version") != 19:
            raise VaultError(_DAMAGED)
        memory, time_cost, par = obj.get("memory_kib"), obj.get("time_cost"), obj.get("parallelism")
        if not (_is_int(memory) and _is_int(time_cost) and _is_int(par)):
            raise VaultError(_DAMAGED)
        assert isinstance(memory, int) and isinstance(time_cost, int) and isinstance(par, int)
        if not (memory >= 8 and time_cost >= 1 and 1 <= par <= _MAX_PARALLELISM
                and memory >= 8 * par):
            raise VaultError(_DAMAGED)
        if (memory > _MAX_MEMORY_KIB or time_cost > _MAX_TIME_COST
                or memory * time_cost > _MAX_WORK_KIB):
            raise VaultError(_TOO_COSTLY.format(mib=memory // 1024, passes=time_cost))
        salt = _unb64(obj.get("salt"))
        if len(salt) < SALT_BYTES:
            raise VaultError(_DAMAGED)
        return cls(salt=salt, memory_kib=memory, time_cost=time_cost, parallelism=par)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_passphrase(passphrase: str | None) -> str:
    """Refuse a missing or empty passphrase; return it NFC-normalised.

    NFC so that the same passphrase typed on systems whose input methods produce
    decomposed accents (macOS) still opens the vault.
    """
    if passphrase is None:
        raise PassphraseRequired(
            "This vault is locked with a passphrase. Enter the passphrase to open it."
        )
    if passphrase == "":
        raise PassphraseRequired("The passphrase cannot be empty. Enter a passphrase.")
    return unicodedata.normalize("NFC", passphrase)


def _measure(params: Argon2Params) -> float:
    """Seconds one derivation with ``params`` takes here (a throwaway secret)."""
    start = time.perf_counter()
    hash_secret_raw(secret=b"calibration", salt=params.salt, time_cost=params.time_cost,
                    memory_cost=params.memory_kib, parallelism=params.parallelism,
                    hash_len=KEY_BYTES, type=Type.ID)
    return time.perf_counter() - start


def calibrated_time_cost(floor: Argon2Params, seconds_at_floor: float) -> int:
    """The time cost reaching ``ARGON2_TARGET_SECONDS``, given how long the floor
    took; Argon2's time grows linearly with its passes. Never below the floor,
    never above what an envelope may hold."""
    per_pass = max(seconds_at_floor, 1e-6) / floor.time_cost
    wanted = math.ceil(ARGON2_TARGET_SECONDS / per_pass - 1e-9)  # 15.000000000000002 is 15
    return max(floor.time_cost, min(_MAX_TIME_COST, wanted))


def derive_kek(passphrase: str | None, params: Argon2Params) -> bytes:
    """Argon2id: the key-encryption key for a passphrase (slow on purpose)."""
    return derive_secret_kek(check_passphrase(passphrase).encode("utf-8"), params)


def derive_secret_kek(secret: bytes, params: Argon2Params) -> bytes:
    """Argon2id over ``secret`` (a passphrase's UTF-8 or a recovery code's symbols)."""
    if not secret:
        raise ValueError("an empty secret is never derived")
    return hash_secret_raw(
        secret=secret,
        salt=params.salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


# -- wrapping ----------------------------------------------------------------
@dataclass(frozen=True)
class WrappedKey:
    """The data key wrapped for one unlock method."""

    method: str
    nonce: bytes
    ciphertext: bytes  # AES-256-GCM output: encrypted key + 16-byte tag
    #: keychain: {"service", "backend"}; passphrase, recovery: {"kdf": Argon2Params json}.
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "alg": "AES-256-GCM",
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
            **self.params,
        }

    @classmethod
    def from_json(cls, obj: Any) -> WrappedKey:
        if not isinstance(obj, dict) or obj.get("alg") != "AES-256-GCM":
            raise VaultError(_DAMAGED)
        method = obj.get("method")
        if method not in METHODS:
            raise VaultError(_DAMAGED)
        nonce, ciphertext = _unb64(obj.get("nonce")), _unb64(obj.get("ciphertext"))
        if len(nonce) != NONCE_BYTES or len(ciphertext) != KEY_BYTES + 16:
            raise VaultError(_DAMAGED)
        params = {k: v for k, v in obj.items()
                  if k not in ("method", "alg", "nonce", "ciphertext")}
        if method in DERIVED:
            Argon2Params.from_json(params.get("kdf"))  # validate now, not mid-unlock
        elif not (isinstance(params.get("service"), str) and params["service"]
                  and isinstance(params.get("backend"), str)):
            raise VaultError(_DAMAGED)
        return cls(method=method, nonce=nonce, ciphertext=ciphertext, params=params)


def _aad(vault_id: str, method: str) -> bytes:
    return f"{FORMAT}|v{VERSION}|{vault_id}|{method}".encode("ascii")


def wrap(data_key: bytes, kek: bytes, *, vault_id: str, method: str,
         params: dict[str, Any]) -> WrappedKey:
    _check_len(data_key)
    _check_len(kek)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id, method))
    return WrappedKey(method=method, nonce=nonce, ciphertext=ciphertext, params=params)


def unwrap(wrapped: WrappedKey, kek: bytes, *, vault_id: str, wrong: str) -> bytes:
    """The data key, or ``WrongKey(wrong)`` when the tag does not verify."""
    _check_len(kek)
    try:
        key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext,
                                  _aad(vault_id, wrapped.method))
    except InvalidTag:
        raise WrongKey(wrong) from None
    _check_len(key)
    return key


def _check_len(key: bytes) -> None:
    # Not an assert: asserts vanish under ``python -O``.
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError("a 256-bit key is required")


# -- the envelope file -------------------------------------------------------
@dataclass(frozen=True)
class Envelope:
    vault_id: str
    keys: tuple[WrappedKey, ...]
    cipher_compatibility: int = 4  # SQLCipher major defaults the database was made with

    @property
    def method(self) -> str:
        """The primary unlock method (the first wrapped key)."""
        return self.keys[0].method

    def wrapped_for(self, method: str) -> WrappedKey | None:
        return next((k for k in self.keys if k.method == method), None)

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(k.method for k in self.keys)

    def with_key(self, wrapped: WrappedKey) -> Envelope:
        """This envelope with ``wrapped`` replacing the key of its method in place, or
        added: before the recovery key, which is never the primary method."""
        keys = list(self.keys)
        at = next((i for i, k in enumerate(keys) if k.method == wrapped.method), None)
        if at is not None:
            keys[at] = wrapped
        elif wrapped.method == RECOVERY or keys[-1].method != RECOVERY:
            keys.append(wrapped)
        else:
            keys.insert(len(keys) - 1, wrapped)
        return Envelope(self.vault_id, tuple(keys), self.cipher_compatibility)

    def to_json(self) -> dict[str, Any]:
        body = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "cipher_compatibility": self.cipher_compatibility,
            "keys": [k.to_json() for k in self.keys],
        }
        return {**body, "checksum": checksum(body)}

    @classmethod
    def from_json(cls, obj: Any) -> Envelope:
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise VaultError(_DAMAGED)
        version = obj.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise VaultError(_DAMAGED)
        if version > VERSION:
            raise VaultError(
                "This vault was made by a newer version of Strongroom. "
                "Update Strongroom to open it; nothing was changed."
            )
        # Key files written before #20 have no checksum; it is checked when present.
        if "checksum" in obj and obj["checksum"] != checksum(obj):
            raise VaultError(_CHANGED)
        vault_id, keys = obj.get("vault_id"), obj.get("keys")
        compat = obj.get("cipher_compatibility")
        if not (isinstance(vault_id, str) and len(vault_id) == 32
                and all(c in "0123456789abcdef" for c in vault_id)):
            raise VaultError(_DAMAGED)
        if not isinstance(keys, list) or not keys or compat != 4:
            raise VaultError(_DAMAGED)
        wrapped = tuple(WrappedKey.from_json(k) for k in keys)
        methods = [k.method for k in wrapped]
        # One key per method, and a recovery key alone cannot be the primary method.
        if len(set(methods)) != len(methods) or methods[0] == RECOVERY:
            raise VaultError(_DAMAGED)
        return cls(vault_id=vault_id, keys=wrapped, cipher_compatibility=compat)


def checksum(obj: dict[str, Any]) -> str:
    """SHA-256 over the envelope's canonical JSON, its own ``checksum`` left out.

    Why (#20): AES-GCM cannot tell a wrong passphrase from a flipped byte of the
    wrapped key or a changed vault id (both fail the tag), so damage used to be
    reported as "the passphrase is not correct". An unkeyed checksum tells accidental
    damage and edits apart before any key derivation; it is no defence against
    someone who rewrites it too (the GCM tags are), so it claims damage only.
    """
    body = {k: v for k, v in obj.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def read_envelope(path: Path) -> Envelope:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VaultError(
            f"The vault's key file could not be read ({exc.strerror or exc}). "
            "Check the permissions of the data folder; nothing was changed."
        ) from None
    if len(raw) > 1 << 20:
        raise VaultError(_DAMAGED)
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise VaultError(_DAMAGED) from None
    return Envelope.from_json(obj)


def write_envelope(path: Path, envelope: Envelope) -> None:
    """Write atomically: temp file in the same folder, fsync, ``os.replace``, fsync
    of the folder.

    A crash leaves either the old file or the new one, never half of one: losing
    this file means losing every document in the vault. ``crash.point`` names each point
    a crash can fall between (the kill test in tests/e2e/vault stops the writer at
    every one of them). A temp file left by such a crash is removed by the next write.
    """
    data = json.dumps(envelope.to_json(), indent=2, sort_keys=True).encode("utf-8") + b"\n"
    crash.point("envelope-begin")
    remove_stale_temps(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_TMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        try:
            crash.point("envelope-temp-created")
            view = memoryview(data)
            half = len(data) // 2
            view = view[os.write(fd, view[:half]):]
            crash.point("envelope-temp-half-written")
            while view:
                view = view[os.write(fd, view):]
            crash.point("envelope-temp-written")
            os.fsync(fd)
            crash.point("envelope-temp-synced")
        finally:
            os.close(fd)
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        crash.point("envelope-before-replace")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    crash.point("envelope-replaced")
    fsync_dir(path.parent)
    crash.point("envelope-dir-synced")


#: The named points of ``write_envelope``, in order.
WRITE_STEPS = ("envelope-begin", "envelope-temp-created", "envelope-temp-half-written",
               "envelope-temp-written", "envelope-temp-synced", "envelope-before-replace",
               "envelope-replaced", "envelope-dir-synced")
_TMP_SUFFIX = ".tmp"


def remove_stale_temps(path: Path) -> None:
    """Temp files a killed writer left beside ``path`` (never the file itself)."""
    for stale in path.parent.glob(f".{path.name}.*{_TMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def fsync_dir(path: Path) -> None:
    """Make a rename or new file durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise VaultError(_DAMAGED)
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise VaultError(_DAMAGED) from None
