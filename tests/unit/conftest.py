"""The fast loop: no real model, no long-running processes (tests/e2e has those).

A unit test that reaches for the bundled model fails here with what to do instead;
the real model's fixtures (``model_path``, ``backend``, ``understander``) exist only
in tests/e2e/conftest.py.
"""

from __future__ import annotations

import pytest

NOT_HERE = ("model", "slow", "keychain")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marks = {m.name for m in item.iter_markers()} & set(NOT_HERE)
        if marks and "tests/unit/" in item.nodeid.replace("\\", "/"):
            raise pytest.UsageError(
                f"{item.nodeid} is marked {', '.join(sorted(marks))}: move it to tests/e2e/")


@pytest.fixture(autouse=True)
def _no_real_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from strongroom import modelfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a unit test asked for the bundled model: use the fake_backend "
                             "fixture and pass --model fake_model, or move it to tests/e2e/")

    monkeypatch.setattr(modelfile, "bundled_model", refuse)
