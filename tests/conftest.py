"""Fixtures for the whole suite (see tests/helpers/ for the shared pieces).

- Every test gets private data, config, cache and temp dirs under tmp_path,
  no keychain unless it asks for one, and a passphrase in the environment.
- The whole session runs under the network guard; the session ends by
  checking that nothing but the one deliberate probe tried the network.
- The real model is loaded once per session (``backend``, ``understander``); tests
  under tests/unit cannot have it (tests/unit/conftest.py).
- ``fake_backend``: a deterministic backend through the real registry, for tests
  that are not about the model.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("GOMP_SPINCOUNT", "10000")

from strongroom import netguard  # noqa: E402
from tests.helpers import network  # noqa: E402

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def _no_network() -> Iterator[None]:
    netguard.install()
    yield
    unexpected = netguard.attempts() - network.deliberate_attempts()
    assert unexpected == 0, f"network attempts during the tests: {netguard.attempt_events()}"


@pytest.fixture(autouse=True)
def _private_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        d = tmp_path / "xdg" / name.lower()
        d.mkdir(parents=True)
        monkeypatch.setenv(name, str(d))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("STRONGROOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STRONGROOM_KEYCHAIN", "off")
    monkeypatch.setenv("STRONGROOM_KEYCHAIN_SERVICE", "Strongroom-tests")
    monkeypatch.setenv("STRONGROOM_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at 1 MiB and one pass, uncalibrated: for tests about something else."""
    from strongroom.vault import keys

    monkeypatch.setattr(keys, "ARGON2_MEMORY_KIB", 1024)
    monkeypatch.setattr(keys, "ARGON2_TIME_COST", 1)
    monkeypatch.setattr(keys, "ARGON2_CALIBRATE", False)


@pytest.fixture(scope="session")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF, assembled and verified once for the session."""
    from strongroom.modelfile import bundled_model

    return bundled_model(tmp_path_factory.mktemp("model-data"))


@pytest.fixture(scope="session")
def backend(model_path: Path):  # type: ignore[no-untyped-def]
    from strongroom.model import backend_class

    b = backend_class("llama.cpp").load(model_path, n_ctx=4096)
    yield b
    b.close()


@pytest.fixture(scope="session")
def understander(backend):  # type: ignore[no-untyped-def]
    """The real pipeline on the session's model; short summaries keep it quick."""
    from strongroom.understanding.pipeline import Understander

    return Understander(lambda: backend, summary_tokens=24)


@pytest.fixture
def fake_model(tmp_path: Path) -> Path:
    """A file to hand ``--model``: backends only ever load an existing local file."""
    path = tmp_path / "fake-model.gguf"
    path.write_bytes(b"GGUF, but not a model")
    return path


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The deterministic ``FakeBackend`` (tests/helpers/fake_backend.py), registered for
    this test through ``strongroom.model.register`` under its own name and in the
    built-in backends' places, so ``backend_class("auto")`` (the CLI, the window)
    loads it and no real model can load. Every load returns this one instance."""
    from strongroom import model
    from tests.helpers.fake_backend import FakeBackend

    instance = FakeBackend()

    class Registered(FakeBackend):
        @classmethod
        def _load(cls, model_path: Path, **options: object) -> FakeBackend:
            instance.calls.append(("load", model_path, options))
            return instance

    monkeypatch.setattr(model, "_registry", dict(model._registry))
    model.register(Registered)
    for builtin in ("llama.cpp", "mlx"):
        monkeypatch.setitem(model._registry, builtin, Registered)
    return instance
