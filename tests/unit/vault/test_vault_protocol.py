"""``OpenVault``, the one typed interface to an open vault (#20), and how a stand-in
is checked against it (mypy checks ``db.Vault`` statically: ``vault/protocol.py``)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from strongroom.vault import Vault
from strongroom.vault.protocol import OpenVault
from strongroom.vault.store import DocumentStore
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def protocol_gaps(cls: type) -> list[str]:
    """What ``cls`` lacks of ``OpenVault``, or has with another signature (names
    and parameters; annotations are mypy's job). Empty: it stands in for a vault."""
    gaps = []
    for name, member in vars(OpenVault).items():
        if name.startswith("_") or not callable(member):
            continue
        mine = getattr(cls, name, None)
        if mine is None:
            gaps.append(f"{name}: missing")
            continue
        want = [(p.name, p.kind, p.default) for p in inspect.signature(member).parameters.values()]
        have = [(p.name, p.kind, p.default) for p in inspect.signature(mine).parameters.values()]
        if want != have:
            gaps.append(f"{name}: {inspect.signature(mine)} is not {inspect.signature(member)}")
    return gaps


def test_the_vault_is_an_open_vault(tmp_path: Path) -> None:
    assert protocol_gaps(Vault) == []
    with Vault.create(tmp_path / "data", passphrase=PASSPHRASE) as vault:
        assert isinstance(vault, OpenVault)


def test_the_check_sees_a_stand_in_that_drifted() -> None:
    class Drifted:
        path = Path("x")
        key_method = "passphrase"

        def delete(self, doc_id: int, *, force: bool = False) -> None: ...

    gaps = protocol_gaps(Drifted)
    assert [g for g in gaps if g.startswith("delete: ")] == [
        "delete: (self, doc_id: 'int', *, force: 'bool' = False) -> 'None' is not "
        "(self, doc_id: 'int') -> 'None'"]
    assert "search: missing" in gaps


def test_the_store_holds_no_key() -> None:
    """The split (#20): documents in ``store.DocumentStore``, the key lifecycle in
    ``db.Vault``; the store has nothing to do with secrets."""
    store_names = {n for n in vars(DocumentStore) if not n.startswith("__")}
    assert not store_names & {"change_passphrase", "new_recovery_code", "key_methods",
                              "take_recovery_code", "open", "create", "_data_key"}
    assert {"add_document", "search", "compact", "copy_into"} <= store_names
    assert Vault.__mro__[1] is DocumentStore
