"""OpenPrice's test receipts: Tesseract OCR text of real Canadian till receipts.

Reads EricCheung3/op-backend at COMMIT: every ``*.txt`` under TESTFILES (photos of
receipts from about 40 chains in Edmonton and Calgary, 2014-2015, OCR'd by the
project). The source is the chain: the chain code a test asserts for the file
(``assertEquals("walmart", receipt.getChainCode())``), else the first folder under
TESTFILES, but for the few in folders named after something else (FOLDER_CHAIN:
``generic/`` holds a Subway receipt, ``sears/walmart_use_sears_card/`` a Walmart one, paid
with a Sears card). Left out: ``instruction.txt`` (notes to
the labellers) and two hand-edited copies of receipts (the chain's name removed).

Gold comes from the project's own parser tests (``parser-stores/src/test/java``): a
test loads one file and asserts ``verifyParsedField(fieldValues, ReceiptFieldType.X,
"value", line)``. ``Total`` is kept when its value is printed on that line. ``Date`` is
asserted normalised (``2015/10/8``): the printed date is the date-like text on that
line that reads as the same day (``OCT.08'15``). Commented-out asserts are ignored; a
file whose tests disagree gets no gold for that field. The merchant is asserted only
as a chain code, never as printed, so there is no merchant gold.

The same photo OCR'd twice (file names differing only in who ran the OCR) is kept
once, and so is any repeated text.

    python -m lab.collect.openprice --mirror /work/.mirror/EricCheung3+op-backend/repo
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path, PurePosixPath

from . import mirror_text as mt

COLLECTION = "openprice"
COMMIT = "98015bb31c18354759044de653c4b97430a6682a"
TESTFILES = "parser-stores/src/test/resources/testfiles/"
TESTS = "parser-stores/src/test/java/"
FOLDER_CHAIN = {"generic/2015_10_10_14_53_18": "subway",
                "sears/walmart_use_sears_card/": "walmart",
                "sears/nofrills_use_sears_card/": "nofrills"}
EXCLUDED = ("futureshop/instruction.txt",
            "generic/2015_05_02_21_56_44.jpg.momingzhen160_removeChainName.txt",
            "winners/yuanMarch2_nowinners.txt")

_RESOURCE = re.compile(r'@Value\("classpath:/(test[Ff]iles/[^"]+)"\)\s*private\s+Resource\s+(\w+)')
_TEST = re.compile(r"@Test\b")
_LOAD = re.compile(r"^\s*TextResourceUtils\.loadFromTextResource\((\w+)", re.M)
_CHAIN = re.compile(r'^\s*assertEquals\("(\w+)"\s*,\s*receipt\.getChainCode\(\)\)', re.M)
_VERIFY = re.compile(r'^\s*verifyParsedField\(\s*fieldValues\s*,\s*ReceiptFieldType\.(Total|Date)'
                     r'\s*,\s*"([^"]*)"\s*,\s*(-?\d+)\s*\)', re.M)

_MONTHS = {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
_NUMERIC = re.compile(r"(?<!\d)(\d{1,4})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{2,4})(?!\d)")
_MONTH_FIRST = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s?(\d{1,2})\s?[,'’]?\s?['’]?"
                          r"(\d{4}|\d{2})(?!\d)")
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s?[-/ ]?\s?([A-Za-z]{3})[a-z]*\.?[-/ ]?\s?['’]?"
                        r"(\d{4}|\d{2})(?!\d)")


def expectations(java: str) -> list[tuple[str, str, str, int]]:
    """(resource path, field, value, line) for each active assert of a test class; the
    chain code asserted is field ``Chain``, line -1."""
    resources = {var: path for path, var in _RESOURCE.findall(java)}
    found: list[tuple[str, str, str, int]] = []
    for body in _TEST.split(java)[1:]:
        loads = _LOAD.findall(body)
        if len(loads) != 1 or loads[0] not in resources:
            continue
        for field, value, line in _VERIFY.findall(body):
            found.append((resources[loads[0]], field, value, int(line)))
        found.extend((resources[loads[0]], "Chain", code, -1) for code in _CHAIN.findall(body))
    return found


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _readings(a: str, b: str, c: str) -> set[tuple[int, int, int]]:
    """The (year, month, day) a numeric date a/b/c can mean: year first, month first
    or day first."""
    if len(a) == 4:
        return {(int(a), int(b), int(c))}
    return {(_year(c), int(a), int(b)), (_year(c), int(b), int(a)), (_year(a), int(b), int(c))}


def printed_date(line: str, normalised: str) -> str | None:
    """The text on ``line`` that is the date ``normalised`` (``2015/10/8``), as printed."""
    try:
        want = tuple(int(x) for x in normalised.split("/"))
    except ValueError:
        return None
    for m in _NUMERIC.finditer(line):
        if want in _readings(*m.groups()):
            return m.group(0).strip()
    for pattern, month_at in ((_MONTH_FIRST, 0), (_DAY_FIRST, 1)):
        for m in pattern.finditer(line):
            parts = m.groups()
            month = _MONTHS.get(parts[month_at].casefold())
            day = parts[1 - month_at]
            if month and (_year(parts[2]), month, int(day)) == want:
                return m.group(0).strip()
    return None


def gold_for(lines: list[str], asserts: list[tuple[str, str, int]]) -> dict[str, str]:
    """Gold total and date of one receipt from its tests' (field, value, line) asserts:
    a field is kept when every assert of it finds the same printed value."""
    values: dict[str, set[str]] = {}
    for field, value, number in asserts:
        if field not in ("Total", "Date"):
            continue
        line = lines[number] if 0 <= number < len(lines) else ""
        printed: str | None = None
        if field == "Total" and value and value in line:
            printed = value
        elif field == "Date" and value:
            printed = printed_date(line, value)
        values.setdefault(field.lower(), set()).add(printed or "")
    return {k: min(v) for k, v in values.items() if len(v) == 1 and "" not in v}


def chain(rel: str, asserts: list[tuple[str, str, int]]) -> str:
    """The chain a receipt is from: the one its tests assert, else its first folder."""
    codes = {value for field, value, _ in asserts if field == "Chain"}
    if len(codes) == 1:
        return codes.pop()
    return next((c for f, c in FOLDER_CHAIN.items() if rel.startswith(f)), rel.split("/")[0])


def photo(path: str) -> str:
    """The photo a file is the OCR of: its name up to ``.jpg`` (the time it was taken)."""
    return PurePosixPath(path).name.split(".jpg")[0]


def build(mirror: Path) -> list[mt.Row]:
    files = [p for p in mt.list_files(mirror, COMMIT, TESTFILES) if p.endswith(".txt")]
    tests = [p for p in mt.list_files(mirror, COMMIT, TESTS) if p.endswith(".java")]
    asserts: dict[str, list[tuple[str, str, int]]] = {}
    for java in mt.read_blobs(mirror, COMMIT, tests).values():
        for resource, field, value, line in expectations(java.decode("utf-8", "replace")):
            asserts.setdefault(resource.casefold(), []).append((field, value, line))
    rows: list[mt.Row] = []
    photos: set[str] = set()
    for path, data in mt.read_blobs(mirror, COMMIT, files).items():
        if photo(path) in photos or path.removeprefix(TESTFILES) in EXCLUDED:
            continue
        photos.add(photo(path))
        text = mt.app_text(PurePosixPath(path).name, data)
        if text is None:
            continue
        rel = path[len(TESTFILES):]
        key = ("testfiles/" + rel).casefold()
        tested = asserts.get(key, [])
        rows.append(mt.row(COLLECTION, rel.removesuffix(".txt"), chain(rel, tested), "receipt",
                           "en", text, gold_for(text.split("\n"), tested)))
    return mt.dedupe(rows)


if __name__ == "__main__":
    raise SystemExit(mt.main(COLLECTION, build, __doc__ or ""))
