"""The locks on the data key: opening the key envelope with one secret.

``unlock_envelope`` turns a key file and a secret (the keychain's, a passphrase, a
recovery code) into the data key, or a ``WrongKey`` / ``KeyUnavailable`` saying in
words what failed and what else opens the vault; ``wrap_recovery`` makes the
recovery code's lock. Used by ``db.Vault`` (create, open) and ``backup`` (restore);
which secret to try when is ``unlock``'s policy. Before #20 these were private
functions of ``db``, and ``backup`` imported one of them.
"""

from __future__ import annotations

from ..errors import KeyUnavailable, WrongKey
from . import keychain, keys, recovery

_WRONG_PASSPHRASE = "The passphrase is not correct. Nothing was changed."  # noqa: S105
_WRONG_RECOVERY = (
    "The recovery code is not correct for this vault (the check letters match, so it may "
    "belong to another vault, or was replaced by a newer code). Nothing was changed."
)
_NO_RECOVERY = (
    "This vault has no recovery code (it was made before Strongroom had them), so it cannot "
    "be opened with one. Nothing was changed."
)
_KEYCHAIN_WAY_BACK = (
    " If you have this vault's recovery code, open the vault with it (in the window: "
    "\"Use recovery code…\"; on the command line: --recovery-code), then set a passphrase."
)
_KEYCHAIN_NO_WAY_BACK = (
    " This vault has no recovery code, so without its keychain entry it cannot be "
    "recovered. Nothing was deleted."
)
_WRONG_KEYCHAIN = (
    "The key in the system keychain does not open this vault (the entry may belong to "
    "another vault). Restore the keychain from a backup; nothing was changed."
)


def wrap_recovery(data_key: bytes, code: str, vault_id: str) -> keys.WrappedKey:
    """The data key wrapped by Argon2id over the recovery code, like a passphrase."""
    kdf = keys.Argon2Params.fresh()
    kek = keys.derive_secret_kek(recovery.secret_of(code), kdf)
    return keys.wrap(data_key, kek, vault_id=vault_id, method=keys.RECOVERY,
                     params={"kdf": kdf.to_json(), "code": "crockford-base32-26+2"})


def unlock_envelope(envelope: keys.Envelope, passphrase: str | None = None,
                    recovery_code: str | None = None) -> tuple[bytes, str]:
    """The data key and the method that opened it, or WrongKey / KeyUnavailable."""
    if recovery_code is not None:
        by_recovery = envelope.wrapped_for(keys.RECOVERY)
        if by_recovery is None:
            raise KeyUnavailable(_NO_RECOVERY)
        secret = recovery.secret_of(recovery_code)  # typos: before the slow part
        params = keys.Argon2Params.from_json(by_recovery.params["kdf"])
        return keys.unwrap(by_recovery, keys.derive_secret_kek(secret, params),
                           vault_id=envelope.vault_id, wrong=_WRONG_RECOVERY), keys.RECOVERY
    by_passphrase = envelope.wrapped_for(keys.PASSPHRASE)
    by_keychain = envelope.wrapped_for(keys.KEYCHAIN)
    if by_passphrase is not None and (passphrase is not None or by_keychain is None):
        params = keys.Argon2Params.from_json(by_passphrase.params["kdf"])
        kek = keys.derive_kek(passphrase, params)  # PassphraseRequired if None or empty
        return keys.unwrap(by_passphrase, kek, vault_id=envelope.vault_id,
                           wrong=_WRONG_PASSPHRASE), keys.PASSPHRASE
    assert by_keychain is not None  # an envelope's first key is a keychain or passphrase
    try:
        secret = keychain.load_secret(by_keychain.params["backend"],
                                      by_keychain.params["service"], envelope.vault_id)
        return keys.unwrap(by_keychain, secret, vault_id=envelope.vault_id,
                           wrong=_WRONG_KEYCHAIN), keys.KEYCHAIN
    except (KeyUnavailable, WrongKey) as exc:
        # Lost keychain entry (new machine, reinstalled system): name the way back.
        if by_passphrase is not None:
            way_back = " The vault also opens with its passphrase."
        elif envelope.wrapped_for(keys.RECOVERY) is not None:
            way_back = _KEYCHAIN_WAY_BACK
        else:
            way_back = _KEYCHAIN_NO_WAY_BACK
        raise type(exc)(f"{exc}{way_back}") from None
