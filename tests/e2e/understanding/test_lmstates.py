"""The model's states as a ranker feature, read by the real model (the shipped read-out
as data: tests/unit/understanding/test_lmstates.py)."""

import numpy as np
import pytest

from strongroom.understanding import ranker
from strongroom.understanding.fields import extract_fields
from strongroom.understanding.lmstates import MAX_LINES, LineStates, head
from strongroom.understanding.schema import schema
from tests.unit.understanding.test_fields import RECEIPT


@pytest.mark.model
def test_hidden_states_cover_the_text_and_leave_the_generation_cache(backend):
    text = "Greenleaf Grocers Ltd\n12 Mill Lane, Leeds LS1 4AB\n店名：福满多 €5\n\nTOTAL 7.25"
    prompt = "Receipt:\nTOTAL 7.25\nSummary:"
    first = list(backend.generate(prompt, max_tokens=3))[-1]
    hs = backend.hidden_states(text)
    assert "".join(text[a:z] for a, z in hs.spans) == text  # every character, in order
    assert hs.vectors.shape == (len(hs.spans), 640) and np.isfinite(hs.vectors).all()
    again = backend.hidden_states(text)
    assert np.array_equal(hs.vectors, again.vectors)  # deterministic
    later = list(backend.generate(prompt, max_tokens=3))[-1]
    assert later.text == first.text
    # the cache survived: all but the last prompt token (re-read for its logits) reused
    assert later.prompt_cached == first.prompt_cached + first.prompt_tokens - 1
    states = LineStates.of(text, hs)
    assert states.mean.shape == (5, 640)
    assert not states.mean[3].any() and states.mean[4].any()  # a blank line has no state


@pytest.mark.model
def test_states_read_without_the_logits_are_those_of_a_full_pass(backend):
    """The states context stops llama.cpp before the 262k-row output matrix; the
    states must be those of a pass that computes it (a llama.cpp that orders or
    names its nodes otherwise would show here)."""
    from backends.llama_cpp import _StatesContext

    llm = backend._llm
    tokens = llm.tokenize("TOTAL 7.25\n店名：福满多 €5".encode(), add_bos=True, special=False)
    fast, full = _StatesContext(llm, 2), _StatesContext(llm, 2, skip_logits=False)
    try:
        assert np.array_equal(fast.read(tokens), full.read(tokens))
        assert fast.stops == 1 and full.stops == 0  # the logits were skipped
    finally:
        fast.close()
        full.close()


@pytest.mark.model
def test_the_read_out_of_live_states_finds_addresses(backend):
    """The app's states, read now, against the read-out trained on states read by the
    training command: the read-out alone must rank the real address run first on
    most dev-style receipts, and a scrambled read-out must not."""
    from strongroom.understanding.lmstates import Stack
    from strongroom.understanding.personal import offered

    lm = ranker.load_lm()
    assert lm is not None
    docs = [RECEIPT, "SHOP ONE ENTERPRISE\n(002345-K)\nNO 5, JALAN MAJU 3,\nTAMAN SERI,\n"
            "43000 KAJANG, SELANGOR.\nTEL: 03-8736 1234\nINVOICE NO: 1182\nDATE: 02/03/2018\n"
            "ITEM 2 X 3.50 7.00\nTOTAL: 7.00\nCASH 10.00\nCHANGE 3.00"]
    want = ["NO. 5, JALAN MAWAR 2,\nTAMAN INDAH, 81100 JOHOR BAHRU",
            "NO 5, JALAN MAJU 3,\nTAMAN SERI,\n43000 KAJANG, SELANGOR."]
    rng = np.random.default_rng(0)
    scrambled = Stack(lm.stack.bias, {f: rng.permutation(v) for f, v in lm.stack.vectors.items()})
    hits = scrambled_hits = 0
    for text, gold in zip(docs, want, strict=True):
        states = LineStates.read(backend, text)
        assert states is not None
        spec, cands, ctx, _ = offered(text, "receipt", "merchant_address",
                                      ranker.RankerChooser(ranker.load()))
        for stack, _count in ((lm.stack, "real"), (scrambled, "scrambled")):
            best = max(cands, key=lambda c, s=stack: s.score("merchant_address", states, c))
            ok = best.text == gold
            if stack is lm.stack:
                hits += ok
            else:
                scrambled_hits += ok
    assert hits == 2 and scrambled_hits < 2


@pytest.mark.model
def test_the_pipeline_reads_states_for_receipts_only(backend, monkeypatch):
    from strongroom.reading.base import Document
    from strongroom.understanding.pipeline import Understander

    read = []
    real = backend.hidden_states

    def spy(text, **kw):
        read.append(text)
        return real(text, **kw)

    monkeypatch.setattr(backend, "hidden_states", spy)
    u = Understander(lambda: backend, summary_tokens=4)
    import threading

    ex = u(Document(name="r", kind="text", text=RECEIPT, data=b""), cancel=threading.Event(),
           progress=lambda _f: None)
    assert ex.doc_type == "receipt" and read == [head(RECEIPT)]
    for fv in ex.fields.values():  # still grounded
        assert fv.span is None or RECEIPT[fv.span[0] : fv.span[1]] == fv.value
    plain = extract_fields(RECEIPT, schema("receipt"), ranker.RankerChooser(ranker.load()))
    assert ex.fields["merchant"].value == plain["merchant"].value
    note = ("Riverside Clinic\nPatient: Ana Ruiz\nDate of visit: 03/04/2024\n"
            "Assessment: viral URTI.\nPlan: fluids, rest.")
    read.clear()
    u(Document(name="n", kind="text", text=note, data=b""), cancel=threading.Event(),
      progress=lambda _f: None)
    assert read == []  # no read-out for clinical notes: the states would cost and not count
    assert MAX_LINES == 20


@pytest.mark.model
def test_with_the_states_a_torn_receipt_has_no_address(backend):
    """The state-reading ranker keeps the address of an intact receipt and answers
    none for the same receipt with its address lines torn off (live states)."""
    lm = ranker.load_lm()
    chooser = ranker.RankerChooser(ranker.load(), lm=lm)
    torn = "\n".join(ln for i, ln in enumerate(RECEIPT.split("\n")) if i not in (2, 3))
    got = {}
    for name, text in (("whole", RECEIPT), ("torn", torn)):
        states = LineStates.read(backend, text)
        got[name] = extract_fields(text, schema("receipt"), chooser, states=states)
    assert got["whole"]["merchant_address"].value.startswith("NO. 5, JALAN MAWAR 2,")
    assert got["torn"]["merchant_address"].value is None
    assert got["torn"]["merchant"].value == got["whole"]["merchant"].value
