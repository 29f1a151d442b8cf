"""Where things are, computed once here so a test that moves keeps finding them."""

from __future__ import annotations

from pathlib import Path

#: The repository (the folder with pyproject.toml).
REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
HELPERS = TESTS / "helpers"
FIXTURES = TESTS / "fixtures"
#: The dev receipts live beside the repository, in ../shared (as in CI); tests that
#: need them skip when the file is absent.
DEV_RECEIPTS = REPO.parent / "shared" / "data" / "dev" / "receipts.jsonl"

assert (REPO / "pyproject.toml").is_file(), REPO
