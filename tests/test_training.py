"""The shipped chooser weights are reproducible from the dev set by the repo's command."""

import json
from pathlib import Path

import pytest

from strongroom.resources import path as resource_path

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev" / "receipts.jsonl"


@pytest.mark.skipif(not DEV.is_file(), reason="the dev set lives in ../shared (as in CI)")
def test_retraining_reproduces_the_shipped_weights(tmp_path):
    pytest.importorskip("sklearn")
    from strongroom.training.chooser import main

    out = tmp_path / "receipt.json"
    assert main([str(DEV), "--out", str(out)]) == 0
    shipped = json.loads(resource_path("chooser", "receipt.json").read_text())
    assert json.loads(out.read_text())["sha256"] == shipped["sha256"]
