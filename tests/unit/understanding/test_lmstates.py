"""The model's states as a ranker feature: the shipped read-out is data (reading live
states with the real model: tests/e2e/understanding/test_lmstates.py)."""

import json

from strongroom.resources import path as resource_path
from strongroom.understanding import artifact, ranker


def test_the_shipped_read_out_is_numbers_only_and_trusted():
    data = json.loads(resource_path("chooser", "receipt_lm.json").read_text())
    weights = artifact.read(resource_path("chooser", "receipt_lm.json"), "chooser weights")
    assert set(weights) == {"ranker", "lm"}
    assert set(weights["lm"]) == set(weights["ranker"]) == {"merchant", "merchant_address"}
    for field, lm in weights["lm"].items():
        assert set(lm) == {"bias", "vector"} and len(lm["vector"]) == 3 * 640
        assert all(isinstance(x, float) for x in lm["vector"])
        assert weights["ranker"][field]["lm"] > 0.5  # the ranker leans on the read-out
    # no words in it but feature names: no shop names, no addresses
    base = ranker.load()
    for field, w in weights["ranker"].items():
        assert set(w) <= set(base[field]) | {"lm"} | set(w) & {"bias"}, field
    assert len(json.dumps(data)) < 200_000
