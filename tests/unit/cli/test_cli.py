"""The command line's vault paths without a model: the fake backend reads the
documents (tests/helpers/fake_backend.py); the real model's CLI runs are in
tests/e2e/cli/test_cli.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

from strongroom.launcher import main
from strongroom.resources import path as resource_path

RECEIPT = resource_path("samples", "receipt.txt")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_wrong_passphrase_fails_cleanly_and_changes_nothing(tmp_path, capsys, fake_backend,
                                                             fake_model, monkeypatch,
                                                             cheap_argon2):
    data = tmp_path / "data"
    m = ["--data-dir", str(data), "--model", str(fake_model)]
    assert run_cli(capsys, "process", str(RECEIPT), *m)[0] == 0
    assert fake_backend.calls[0][:2] == ("load", fake_model)  # the CLI's backend was the fake
    before = digest_tree(data)
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", "not the passphrase")
    for args in (["list"], ["show", "1"], ["process", str(RECEIPT)]):
        code, out, err = run_cli(capsys, *args, *m)
        assert code == 1 and out == ""
        assert err == "strongroom: The passphrase is not correct. Nothing was changed.\n"
    assert digest_tree(data) == before


def test_list_without_a_vault_says_what_to_do(tmp_path, capsys):
    code, out, err = run_cli(capsys, "list", "--data-dir", str(tmp_path / "none"))
    assert code == 1
    assert "There is no vault" in err and "strongroom process PATH" in err
    assert not (tmp_path / "none" / "vault.db").exists()
