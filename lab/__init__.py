"""The lab: trainers, synthetic documents and measurements, run from the repo root.

    python -m lab.train_ranker    the receipt ranker (resources/chooser/receipt.json)
    python -m lab.train_readout   the read-out of the model's states (receipt_lm.json)
    python -m lab.calibrate       a confidence temperature per field (receipt_calibration.json)
    python -m lab.train_router    the type router (resources/router/router.json)
    python -m lab.crossval        the ranker refitted on every fold, evaluated
    python -m lab.corrections     what learning from corrections is worth
    python -m lab.likelihood      the model's likelihoods as features (not shipped)
    python -m lab.sroie           SROIE's test split as an evaluation set
    python -m lab.synth           synthetic documents for the router

Not installed and never imported by the product (``tests/unit/test_layout.py``): the app
only applies the weight files written here. Needs the ``[lab]`` extra (scikit-learn,
OpenCC).
"""
