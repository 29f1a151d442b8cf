"""Generic cues to what a line *is*: a company's name, a heading, an address, a
registration number, the end of an address block.

Words and shapes, never the names of any shop or bank. The rules (``chooser``), the
address finder (``addresses``) and the ranker's features (``ranker``) read the same
cues, so a cue changed here changes all three (and the ranker's training rows: refit
``resources/chooser/receipt.json`` with ``python -m lab.train_ranker``).
"""

from __future__ import annotations

import re

COMPANY_WORDS = re.compile(
    r"\b(sdn\.? ?bhd|bhd|ltd|limited|llc|l\.l\.c|inc|corp|corporation|co\.|company|gmbh|plc|"
    r"pty|s\.a\.|enterprise|enterprises|trading|store|stores|mart|market|supermarket|"
    r"restaurant|cafe|café|bakery|pharmacy|hospital|clinic|medical|health|laboratory|"
    r"laboratories|labs?|bank|hardware|bookstore|station|hotel|services|group|centre|center)\b",
    re.IGNORECASE,
)
HEADING = re.compile(
    r"^\W*(tax invoice|invoice|receipt|official receipt|cash bill|cash sale|simplified tax "
    r"invoice|sales receipt|welcome|thank you|statement|bank statement|payslip|pay slip|"
    r"original|copy|duplicate|page \d+.*|lab(oratory)? report|prescription|clinical note|"
    r"progress note|customer copy|merchant copy|shopping hours|opening hours|thank you.*|"
    r"please come again.*)\W*$",
    re.IGNORECASE,
)
NOT_NAME = re.compile(
    r"\b(tel|phone|fax|email|e-mail|www|http|gst|reg\.? ?no|co\.? ?no|roc|date|time|"
    r"cashier|invoice no|receipt no)\b|@",
    re.IGNORECASE,
)
ADDRESS_WORDS = re.compile(
    r"\b(jalan|jln|taman|lorong|street|st\.?|road|rd\.?|avenue|ave\.?|lane|blvd|boulevard|"
    r"drive|dr\.?|floor|flr|suite|unit|lot|block|blk|no\.?|building|bldg|plaza|"
    r"industrial|park|square|sq|way|highway|po box|p\.o\.|city|town|village|state|"
    r"province|district|county|postcode|zip)\b|\b\d{4,6}\b|,",
    re.IGNORECASE,
)
REGISTRATION = re.compile(
    r"^\(?\s*(?:\d{5,7}-[A-Z]|co\.?\s*(?:reg\.?)?\s*no.*|company no.*|\(?\d{6,12}\)?|"
    r"gst.*|sst.*|roc.*|reg.*|business reg.*)\s*\)?$",
    re.IGNORECASE,
)
STOP_ADDRESS = re.compile(
    r"\b(tel|phone|fax|email|e-mail|www|http|gst|reg\.? ?no|invoice|receipt|date|cashier|"
    r"bill|table|order|counter|member|document|doc no)\b",
    re.IGNORECASE,
)
