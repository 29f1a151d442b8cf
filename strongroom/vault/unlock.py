"""One unlock policy for the command line and the window (#20).

Before #20 unlocking was written three times (``cli.open_vault``, the window's
``app.unlock_vault`` and ``lock.reopen_vault``), each trying a different subset of
the vault's methods: a keychain vault that also has a passphrase could not be
opened from the command line when the keychain was unavailable, even with
``STRONGROOM_PASSPHRASE`` set, and a terminal got no prompt.

The policy, given the data folder: try every method the vault's key file lists, in
this order, until one opens it:

1. the recovery code first and only, when the person asked for it (``--recovery-code``,
   "Use recovery code…");
2. the system keychain (no secret to type), unless the caller skips it: after a lock,
   a vault that has a passphrase asks for it (a lock a click undoes is no lock);
3. the passphrase: ``STRONGROOM_PASSPHRASE`` if set (a wrong one is an error, never a
   prompt: scripts must not hang), else the caller's ``ask``;
4. the recovery code: ``STRONGROOM_RECOVERY_CODE`` if set, else ``ask``.

``ask`` is how the caller gets a secret from the person: the CLI's terminal prompt,
the window's dialog. It is handed a ``Prompt`` whose ``open`` tries a secret (and
raises ``WrongKey`` for a wrong one: a dialog shows it and lets the person try
again; the CLI lets it end the command), and returns the open vault, or ``None``
to go on to the next method (no terminal; "use the recovery code instead"). To
stop altogether it raises ``Cancelled``.

When no method opens the vault, the error says why the first one failed (e.g. the
keychain entry is lost, and what else opens the vault) and, when a secret could not
be asked for, how to give it (``cannot_ask``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KeyUnavailable, PassphraseRequired, VaultError, WrongKey

if TYPE_CHECKING:  # loaded when used: the CLI imports the names above at start
    from .db import Vault

ENV_PASSPHRASE = "STRONGROOM_PASSPHRASE"  # noqa: S105 - a variable name, not a secret
ENV_RECOVERY = "STRONGROOM_RECOVERY_CODE"


@dataclass(frozen=True)
class Prompt:
    """One request for a secret: which method, why now (the reason an earlier
    method failed, or ""), and how to try what the person typed."""

    method: str  # keys.PASSPHRASE | keys.RECOVERY
    reason: str
    open: Callable[[str], Vault]


Ask = Callable[[Prompt], "Vault | None"]


def unlock(data_dir: Path, ask: Ask | None = None, *, env: Mapping[str, str] | None = None,
           recovery_only: bool = False, use_keychain: bool = True,
           cannot_ask: Callable[[str], str] | None = None) -> Vault:
    """The vault in ``data_dir``, opened by the first method that works (see the
    module docstring). ``cannot_ask(method)``: words telling the person how to give
    that secret when ``ask`` could not, as a clause (the CLI: "set $VAR or run in a
    terminal")."""
    from . import keys
    from .db import Vault

    data_dir = Path(data_dir)
    env = os.environ if env is None else env
    methods = Vault.unlock_methods(data_dir)
    if not methods:
        raise VaultError(f"No vault was found in {data_dir}.")
    order = [keys.RECOVERY] if recovery_only else [
        m for m in (keys.KEYCHAIN, keys.PASSPHRASE, keys.RECOVERY)
        if m in methods and (use_keychain or m != keys.KEYCHAIN)]
    first: VaultError | None = None  # why the first method tried did not open it
    unasked: list[str] = []
    for method in order:
        if method == keys.KEYCHAIN:
            try:
                return Vault.open(data_dir)
            except (KeyUnavailable, WrongKey) as exc:  # lost or locked: the other locks
                first = first or exc
            continue
        opener = _opener(data_dir, method)
        given = env.get(ENV_PASSPHRASE if method == keys.PASSPHRASE else ENV_RECOVERY)
        if given:
            return opener(given)
        vault = ask(Prompt(method, str(first) if first else "", opener)) if ask else None
        if vault is not None:
            return vault
        unasked.append(method)
    raise _nothing_opened(first, unasked, cannot_ask)


def _opener(data_dir: Path, method: str) -> Callable[[str], Vault]:
    from . import keys
    from .db import Vault

    if method == keys.PASSPHRASE:
        return lambda secret: Vault.open(data_dir, passphrase=secret)
    return lambda secret: Vault.open(data_dir, recovery_code=secret)


def _nothing_opened(first: VaultError | None, unasked: list[str],
                    cannot_ask: Callable[[str], str] | None) -> VaultError:
    from . import keys

    how = cannot_ask(unasked[0]) if cannot_ask and unasked else ""
    if first is not None:  # e.g. the keychain entry lost: its words, then how to go on
        words = {keys.PASSPHRASE: "passphrase", keys.RECOVERY: "recovery code"}
        more = f" To use its {words[unasked[0]]}, {how}." if how else ""
        return type(first)(f"{first}{more}")
    if keys.PASSPHRASE in unasked:
        return PassphraseRequired("This vault is locked with a passphrase"
                                  + (f": {how}." if how else "."))
    return PassphraseRequired("Enter the vault's recovery code" + (f": {how}." if how else "."))
