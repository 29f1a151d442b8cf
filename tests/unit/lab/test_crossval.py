"""``python -m lab.crossval``: the ranker refitted per fold (was ``strongroom eval
--chooser ranker-fit``), on the made-up set of ``tests/unit/measure/test_evaluate.py``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.measure.test_evaluate import MAPLE, ROWS


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    (tmp_path / "c.txt").write_text(MAPLE, encoding="utf-8")
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_crossval_refits_the_ranker_per_fold(dataset, capsys):
    pytest.importorskip("sklearn")  # the [lab] extra
    from lab.crossval import main

    code = main([str(dataset), "--no-model", "--group-by", "merchant", "--folds", "2", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["chooser"] == "ranker-fit"
    assert report["grounding_rate"] == 1.0 and report["seen"]["date"]["n"] >= 1
