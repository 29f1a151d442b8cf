"""The end-to-end suite's fixtures: the real bundled model, loaded once per session.

(tests/conftest.py already gives every test private folders, the network guard and
a passphrase; the fake backend for tests that are not about the model is there too.)
"""

from __future__ import annotations

from pathlib import Path

import pytest


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
