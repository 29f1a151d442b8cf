"""One unlock policy (``strongroom.vault.unlock``), as the command line uses it (#20).

Before #20, ``cli.open_vault`` asked for a passphrase only when it was the vault's
first method: a keychain vault that also has a passphrase, its keychain entry
unavailable, could not be opened with ``STRONGROOM_PASSPHRASE=… strongroom list``
("The vault also opens with its passphrase", exit 1) and a terminal got no prompt.
Now every method the vault has is tried: keychain, passphrase, recovery code.

The keychain here is the in-memory stand-in (tests/helpers/memkeychain.py): these
tests are about the policy when the keychain fails. The real Secret Service case:
``tests/e2e/cli/test_cli_unlock.py`` (marked ``keychain``).
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from strongroom.errors import Cancelled, WrongKey
from strongroom.launcher import main
from strongroom.vault import Vault, unlock
from tests.conftest import PASSPHRASE
from tests.helpers import memkeychain, paths
from tests.helpers.vault import make_doc, make_extraction, snapshot

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def memory(monkeypatch: pytest.MonkeyPatch) -> memkeychain.MemoryKeychain:
    return memkeychain.install(monkeypatch)


def _keychain_vault(folder: Path, *, passphrase: bool) -> str:
    """A keychain vault with a document (and a passphrase); its recovery code."""
    with Vault.create(folder) as vault:
        code = vault.take_recovery_code()
        vault.add_document(make_doc(), make_extraction())
        if passphrase:
            vault.change_passphrase(PASSPHRASE)
    assert code is not None
    return code


@dataclass
class Terminal:
    """What the person types (``answers``), and the prompts they were shown."""

    answers: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def getpass(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    t = Terminal()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", t.getpass)
    return t


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("prompted"))


LOST = ("strongroom: This vault's key was not found in the system keychain (test keychain, "
        "entry 'Strongroom-tests' / '{vault_id}'). It may have been deleted, or you are signed "
        "in as another user. Restore the keychain from a backup; nothing was changed. The vault "
        "also opens with its passphrase.")


def _vault_id(folder: Path) -> str:
    from strongroom.vault import keys

    return keys.read_envelope(folder / "vault.keys.json").vault_id


@pytest.mark.parametrize("unavailable", ["entry lost", "keychain turned off"])
def test_keychain_unavailable_the_passphrase_from_the_environment_opens(
        memory: memkeychain.MemoryKeychain, data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, unavailable: str) -> None:
    _keychain_vault(data_dir, passphrase=True)
    if unavailable == "entry lost":
        memory.items.clear()
    else:
        monkeypatch.setenv("STRONGROOM_KEYCHAIN", "off")
    _no_terminal(monkeypatch)
    before = snapshot(data_dir)
    code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert (code, err) == (0, "")
    assert "letter.txt" in out
    assert snapshot(data_dir) == before


def test_keychain_lost_a_terminal_is_asked_for_the_passphrase(
        memory: memkeychain.MemoryKeychain, data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, terminal: Terminal) -> None:
    _keychain_vault(data_dir, passphrase=True)
    memory.items.clear()
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    terminal.answers.append(PASSPHRASE)
    code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert code == 0 and "letter.txt" in out
    assert err == LOST.format(vault_id=_vault_id(data_dir)) + "\n"  # why it asks
    assert terminal.prompts == ["Vault passphrase: "]


def test_keychain_lost_no_terminal_no_variable_says_how(
        memory: memkeychain.MemoryKeychain, data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _keychain_vault(data_dir, passphrase=True)
    memory.items.clear()
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    _no_terminal(monkeypatch)
    before = snapshot(data_dir)
    code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert (code, out) == (1, "")
    assert err == (LOST.format(vault_id=_vault_id(data_dir)) + " To use its passphrase, set "
                   "STRONGROOM_PASSPHRASE or run in a terminal.\n")
    assert snapshot(data_dir) == before


def test_keychain_lost_a_wrong_passphrase_changes_nothing(
        memory: memkeychain.MemoryKeychain, data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _keychain_vault(data_dir, passphrase=True)
    memory.items.clear()
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", "not the passphrase")
    _no_terminal(monkeypatch)
    before = snapshot(data_dir)
    code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert (code, out, err) == (1, "", "strongroom: The passphrase is not correct. Nothing was "
                                       "changed.\n")
    assert snapshot(data_dir) == before


def test_keychain_lost_without_a_passphrase_a_terminal_is_asked_for_the_code(
        memory: memkeychain.MemoryKeychain, data_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, terminal: Terminal) -> None:
    code = _keychain_vault(data_dir, passphrase=False)
    memory.items.clear()
    terminal.answers.append(code)
    status, out, _ = run(capsys, "list", "--data-dir", str(data_dir))
    assert status == 0 and "letter.txt" in out
    assert terminal.prompts == ["Recovery code: "]


def test_a_working_keychain_asks_nothing(memory: memkeychain.MemoryKeychain, data_dir: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _keychain_vault(data_dir, passphrase=True)
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("prompted"))
    code, out, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert (code, err) == (0, "") and "letter.txt" in out


def test_a_passphrase_vault_prompts_at_a_terminal(data_dir: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  terminal: Terminal) -> None:
    Vault.create(data_dir, passphrase=PASSPHRASE).close()
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    terminal.answers.append(PASSPHRASE)
    code, _, err = run(capsys, "list", "--data-dir", str(data_dir))
    assert (code, err) == (0, "")
    assert terminal.prompts == ["Vault passphrase: "]


# -- the policy itself, as the window will call it ----------------------------------------
def test_after_a_lock_the_passphrase_is_asked_even_with_a_keychain(
        memory: memkeychain.MemoryKeychain, data_dir: Path) -> None:
    """``use_keychain=False``: the window's re-open after a lock; a lock a click
    undoes is no lock."""
    _keychain_vault(data_dir, passphrase=True)
    asked: list[unlock.Prompt] = []

    def ask(prompt: unlock.Prompt) -> Vault | None:
        asked.append(prompt)
        with pytest.raises(WrongKey):  # a dialog shows this and lets the person retry
            prompt.open("not it")
        return prompt.open(PASSPHRASE)

    with unlock.unlock(data_dir, ask, env={}, use_keychain=False) as vault:
        assert vault.key_method == "passphrase"
    assert [(p.method, p.reason) for p in asked] == [("passphrase", "")]
    with unlock.unlock(data_dir, ask, env={}) as vault:  # at start: the keychain, no question
        assert vault.key_method == "keychain"
    assert len(asked) == 1


def test_cancelling_stops_and_none_goes_on(memory: memkeychain.MemoryKeychain,
                                           data_dir: Path) -> None:
    code = _keychain_vault(data_dir, passphrase=True)
    memory.items.clear()

    def cancel(prompt: unlock.Prompt) -> Vault | None:
        raise Cancelled

    with pytest.raises(Cancelled):
        unlock.unlock(data_dir, cancel, env={})
    methods: list[str] = []

    def code_instead(prompt: unlock.Prompt) -> Vault | None:  # "Use recovery code…"
        methods.append(prompt.method)
        return None if prompt.method == "passphrase" else prompt.open(code)

    with unlock.unlock(data_dir, code_instead, env={}) as vault:
        assert vault.key_method == "recovery"
    assert methods == ["passphrase", "recovery"]


def test_a_passphrase_vault_without_a_terminal_says_how(data_dir: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    Vault.create(data_dir, passphrase=PASSPHRASE).close()
    monkeypatch.delenv("STRONGROOM_PASSPHRASE")
    _no_terminal(monkeypatch)
    assert run(capsys, "list", "--data-dir", str(data_dir)) == (
        1, "", "strongroom: This vault is locked with a passphrase: set STRONGROOM_PASSPHRASE "
               "or run in a terminal.\n")


def test_the_passphrase_variable_is_named_once() -> None:
    """#20: it was defined in cli.py and desktop/app.py; now in vault/unlock.py only."""
    root = paths.REPO
    defined = [str(p.relative_to(root)) for folder in ("strongroom", "desktop")
               for p in sorted((root / folder).rglob("*.py"))
               if '= "STRONGROOM_PASSPHRASE"' in p.read_text(encoding="utf-8")]
    assert defined == ["strongroom/vault/unlock.py"]
