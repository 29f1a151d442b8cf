"""The fast loop: no real model, no long-running processes (tests/e2e has those).

Readers run in-process here (``STRONGROOM_READ_IN_PROCESS``): starting a reader's
child process per batch would double the loop's time. tests/e2e/reading runs the
real child, and the e2e CLI and window tests run the app as shipped.

A unit test that asks for the real model -- the ``model_path``, ``backend`` or
``understander`` fixture, the bundled model file, or a ``model``/``slow``/``keychain``
marker -- fails here with what to do instead.
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
def _read_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from strongroom.reading import sandbox

    monkeypatch.setenv(sandbox.ENV_IN_PROCESS, "1")


@pytest.fixture(autouse=True)
def _no_real_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from strongroom import modelfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a unit test asked for the bundled model: use the fake_backend "
                             "fixture and pass --model fake_model, or move it to tests/e2e/")

    monkeypatch.setattr(modelfile, "bundled_model", refuse)


def _refused(name: str) -> object:
    @pytest.fixture(name=name)
    def refused() -> None:
        pytest.fail(f"tests/unit has no real model ({name}): use the fake_backend fixture "
                    "or move the test to tests/e2e/")
    return refused


model_path = _refused("model_path")
backend = _refused("backend")
understander = _refused("understander")
