"""The learned type router retrained from scratch reproduces the shipped one (a
training run: tens of seconds). The router itself: tests/unit/understanding/test_router.py.
"""

from __future__ import annotations

import json

import pytest

from strongroom.resources import path as resource_path


def test_retraining_reproduces_the_shipped_router(tmp_path):
    pytest.importorskip("sklearn")  # the [train] extra
    pytest.importorskip("opencc")
    from lab.train_router import main

    out = tmp_path / "router.json"
    assert main(["--out", str(out)]) == 0
    shipped = json.loads(resource_path("router", "router.json").read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8"))["sha256"] == shipped["sha256"]
