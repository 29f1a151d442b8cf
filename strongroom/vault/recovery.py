"""The recovery code: a third lock on the data key, shown once when a vault is made.

Form: 26 random Crockford base32 symbols (5 bits each: 130 bits of entropy) and two
check symbols, printed as seven groups of four, e.g. ``7K3M-Q9XA-…``.

Why Crockford base32 rather than a word list: it needs no shipped dictionary (a list
made up offline would be ours to get wrong: homophones, offensive or ambiguous
words), it is case-insensitive, and it leaves out the letters people confuse
(I, L, O, U), reading them back as 1, 1, 0 where that is what was meant. Why check
symbols: a typo is then reported as a typo at once, not as "wrong code" after a
second of Argon2id. They are derived from the random part, so they add no entropy
and take none away.

The code goes through Argon2id exactly like a passphrase (``keys.derive_secret_kek``)
with its own salt and parameters in the envelope; only the 26 random symbols are
the secret. The code itself is never stored anywhere.
"""

from __future__ import annotations

import hashlib
import secrets

from ..errors import WrongKey

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
BODY = 26  # 26 x 5 = 130 random bits (issue 13 asks for at least 128)
CHECK = 2
GROUP = 4
LENGTH = BODY + CHECK
ENTROPY_BITS = BODY * 5

#: What people type for what Crockford means (case is folded first).
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_SEPARATORS = " -\t\n\r"

_BAD_SYMBOL = ("The recovery code holds only the digits 0-9 and the letters printed on it; "
               "check what you typed. Nothing was changed.")
_BAD_LENGTH = ("A recovery code has {n} letters and digits ({groups} groups of {group}); the "
               "one entered has {got}. Check what you typed. Nothing was changed.")
_TYPO = ("The recovery code has a typing mistake (its check letters do not match). "
         "Compare each group with what you wrote down. Nothing was changed.")


def _check(body: str) -> str:
    digest = hashlib.sha256(b"strongroom-recovery-code|" + body.encode("ascii")).digest()
    bits = int.from_bytes(digest[:2], "big") >> (16 - 5 * CHECK)
    return "".join(ALPHABET[(bits >> (5 * (CHECK - 1 - i))) & 31] for i in range(CHECK))


def generate() -> str:
    """A fresh recovery code, formatted for people (groups of four)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY))
    return format_code(body + _check(body))


def format_code(symbols: str) -> str:
    return "-".join(symbols[i:i + GROUP] for i in range(0, len(symbols), GROUP))


def secret_of(code: str | None) -> bytes:
    """The secret Argon2id hashes: the 26 random symbols, canonical upper case.

    Raises ``WrongKey`` with a message saying what is wrong with what was typed
    (missing, bad symbol, length, typo) before any key derivation runs.
    """
    if code is None or not code.strip():
        raise WrongKey("Enter the recovery code. Nothing was changed.")
    folded = [_READ_AS.get(c, c) for c in code.upper() if c not in _SEPARATORS]
    if any(c not in ALPHABET for c in folded):
        raise WrongKey(_BAD_SYMBOL)
    if len(folded) != LENGTH:
        raise WrongKey(_BAD_LENGTH.format(n=LENGTH, groups=LENGTH // GROUP, group=GROUP,
                                          got=len(folded)))
    symbols = "".join(folded)
    body, check = symbols[:BODY], symbols[BODY:]
    if not secrets.compare_digest(_check(body), check):
        raise WrongKey(_TYPO)
    return body.encode("ascii")
