"""One document in, one ``Extraction`` out: type → fields → summary.

The type comes from the learned router (no model); the model writes the summary.

``Understander`` is what ``jobs.Processor`` calls. It loads the model lazily,
on the worker thread, the first time a document needs it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from strongroom.errors import Cancelled
from strongroom.model import Backend
from strongroom.reading.base import Document

from . import checks, einvoice, statement
from .chooser import Chooser
from .fields import extract_fields
from .lmstates import LineStates
from .personal import Label, OfferCache, PersonalChooser
from .ranker import RankerChooser, load_lm, load_temperatures
from .ranker import load as load_weights
from .result import Extraction
from .router import Router
from .router import load as load_router
from .schema import schema, user_type
from .summary import MAX_TOKENS, summarize

log = logging.getLogger("strongroom.understanding")


class Understander:
    def __init__(
        self,
        load_backend: Callable[[], Backend],
        *,
        chooser: Chooser | None = None,
        router: Router | None = None,
        summary_tokens: int = MAX_TOKENS,
    ) -> None:
        self._load_backend = load_backend
        self._backend: Backend | None = None
        self._summary_tokens = summary_tokens
        # The learned ranker beat the rules on store-disjoint folds (issue 12).
        self._base = None if chooser else load_weights()
        # ... and weighs the model's read of the first lines where that helped (a
        # chooser given here gets the states if it can weigh them).
        self._lm = load_lm() if chooser is None else getattr(chooser, "lm", None)
        self._chooser = chooser or RankerChooser(load_weights(), lm=self._lm,
                                                 temperatures=load_temperatures())
        self._offers: OfferCache = {}  # personal.fit's cache, kept between fits
        self._labels: Sequence[Label] | None = None  # new labels, not fitted yet
        # The learned router beat the model's label likelihoods (issue 12).
        self._router = router or load_router()
        self._lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        with self._lock:
            if self._backend is None:
                log.info("loading the model")
                self._backend = self._load_backend()
            return self._backend

    def __call__(
        self,
        doc: Document,
        *,
        cancel: threading.Event,
        progress: Callable[[float], None],
    ) -> Extraction:
        backend = self.backend
        progress(0.05)
        # A type from the person's schema files first (its "match" phrases), then the
        # learned router; an invoice that carries its own e-invoice XML is an invoice.
        xml = einvoice.parse(doc.einvoice) if doc.einvoice else None
        doc_type, confidence = user_type(doc.text) or ("invoice" if xml else None), 1.0
        if doc_type is None:
            doc_type, probabilities = self._router.route(doc.text)
            confidence = probabilities[doc_type]
        states = None
        if self._lm is not None and doc_type == "receipt":
            states = LineStates.read(backend, doc.text, cancel)
        fields = extract_fields(doc.text, schema(doc_type), self._current_chooser(),
                                states=states)
        if doc_type == "bank_statement":
            # balances the chooser left empty, where a labelled line or the running
            # balance column prints them (for the balance check, and to be shown)
            fields.update({k: v for k, v in statement.ground(doc.text).items()
                           if fields.get(k) is None or fields[k].value is None})
        names = {f.name for f in schema(doc_type).fields}
        from_xml = {k: v for k, v in einvoice.ground(xml, doc.text).items()
                    if k in names} if xml else {}
        fields = einvoice.mark(checks.assess(schema(doc_type), doc.text,
                                             {**fields, **from_xml}), from_xml)
        if cancel.is_set():
            raise Cancelled
        progress(0.15)
        summary, source = summarize(
            backend, doc.text, doc_type, fields, max_tokens=self._summary_tokens,
            cancel=cancel, on_token=lambda n: progress(0.15 + 0.85 * n / self._summary_tokens),
        )
        dates = (fields[f.name].normalized for f in schema(doc_type).fields if f.kind == "date")
        return Extraction(doc_type=doc_type, summary=summary, summary_source=source,
                          fields=fields, doc_date=next((d for d in dates if d), None),
                          type_confidence=round(confidence, 4))

    def learn(self, labels: Sequence[Label]) -> None:
        """Read the next documents with the user's confirmed fields in mind
        (remembered values, personal weights: ``personal.py``). Called with every
        label in the vault when it opens and again when the user confirms a field;
        a chooser the caller gave is left as it is.

        The fit is left to the worker thread, before its next document: with
        hundreds of labels it reads every labelled document once (then 0.2–0.3 s).
        """
        if self._base is not None:
            self._labels = list(labels)

    def _current_chooser(self) -> Chooser:
        labels, self._labels = self._labels, None
        if labels is not None and self._base is not None:
            self._chooser = PersonalChooser(self._base, labels, cache=self._offers,
                                            lm=self._lm, temperatures=load_temperatures())
        return self._chooser

    def close(self) -> None:
        with self._lock:
            if self._backend is not None:
                self._backend.close()
                self._backend = None
