"""The bundled model: assembled once into the data dir, verified by SHA-256."""

import os
import shutil

import pytest

from strongroom.modelfile import MODEL_FILE, bundled_model


@pytest.mark.model
def test_assembled_verified_and_reassembled_when_damaged(tmp_path, model_path):
    data = tmp_path / "data"
    target = data / "models" / MODEL_FILE
    target.parent.mkdir(parents=True)
    shutil.copyfile(model_path, target)  # as if assembled before, but never verified here
    assert bundled_model(data) == target
    assert (target.parent / (MODEL_FILE + ".verified")).is_file()

    with open(target, "r+b") as f:  # damage one byte, keep the size
        f.seek(1_000_000)
        byte = f.read(1)
        f.seek(1_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    os.utime(target, ns=(0, 0))  # a changed file, as the stamp sees it
    assert bundled_model(data) == target
    assert target.read_bytes() == model_path.read_bytes()  # put back from the package
    assert not (target.parent / (MODEL_FILE + ".partial")).exists()
