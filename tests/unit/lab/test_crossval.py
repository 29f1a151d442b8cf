"""``python -m lab.crossval``: the ranker refitted per fold (was ``strongroom eval
--chooser ranker-fit``), on the made-up set of ``tests/unit/measure/test_evaluate.py``."""

from __future__ import annotations

import json

import pytest

from tests.unit.measure import test_evaluate

dataset = test_evaluate.dataset  # the same made-up set, as a fixture here too


def test_crossval_refits_the_ranker_per_fold(dataset, capsys):
    pytest.importorskip("sklearn")  # the [lab] extra
    from lab.crossval import main

    code = main([str(dataset), "--no-model", "--group-by", "merchant", "--folds", "2", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["chooser"] == "ranker-fit"
    assert report["grounding_rate"] == 1.0 and report["seen"]["date"]["n"] >= 1
