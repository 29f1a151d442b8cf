"""Named points where a crash would hurt, for the kill tests (issue 13).

Code that writes the vault calls ``crash.point("name")`` between steps whose order
matters: inside a document's transaction, between the steps of the key-file
writer, a backup, a migration and a compaction. In the app it does nothing. The
kill tests (``tests/e2e/vault/test_vault_crash.py``, ``test_vault_rewrap_kill.py``)
replace it, in a child process only, with a function that SIGKILLs the process at
one named point (or a measured step after it), then check that the vault is whole.

A module attribute replaced by the test, not an environment switch: nothing in a
person's environment can turn it on. Callers must look it up at call time
(``crash.point(...)``, never ``from .crash import point``) so the replacement is
seen. Names are literal strings, unique across the vault: the kill tests find
them in the source and fail if one has no test.
"""

from __future__ import annotations


def point(name: str) -> None:
    """No-op; see the module docstring."""
