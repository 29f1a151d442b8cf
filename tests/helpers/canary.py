"""Scan files for canary strings, the way an attacker with the disk would.

A canary is looked for in every file's name and bytes, in the forms software
writes text in: UTF-8, UTF-16 (little and big endian: QSettings stores QVariants
as UTF-16-BE), percent-encoded (file URLs in QSettings and recently-used.xbel),
JSON ``\\u`` escapes, and in any letter case. A canary with a non-ASCII letter is
also looked for by its longest ASCII run, which survives escapes the list above
misses (XML entities, QSettings' ``%U00D8`` keys). Compressed, base64 or
encrypted copies are not found: a control with each form shows what is.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
MIN_CORE = 8  # an ASCII run this long is unique enough to stand for the canary


def written_forms(text: str) -> dict[str, bytes]:
    """``text`` as each encoding writes it (for controls: one file per form)."""
    forms = {enc: text.encode(enc) for enc in ENCODINGS}
    forms["percent"] = quote(text, safe="").encode()
    forms["json-escape"] = json.dumps(text)[1:-1].encode()
    forms["upper"] = text.upper().encode()
    forms["lower"] = text.lower().encode()
    return forms


def ascii_core(canary: str) -> str | None:
    """The canary's longest ASCII letters-and-digits run, if it is not the whole."""
    runs = re.findall(r"[A-Za-z0-9]+", canary)
    core = max(runs, key=len, default="")
    return core if len(core) >= MIN_CORE and core != canary else None


def needles(canary: str) -> list[bytes]:
    """Byte strings whose presence in a lower-cased file means the canary is there."""
    texts = {canary, canary.lower(), canary.upper()}
    core = ascii_core(canary)
    if core:
        texts.add(core)
    out = set()
    for text in texts:
        out.update(written_forms(text).values())
    return sorted({n.lower() for n in out})


def encodings(canary: str) -> list[bytes]:
    """Kept for older tests: the plain forms (UTF-8, UTF-16-LE, upper case)."""
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.upper().encode()]


@dataclass(frozen=True)
class Hit:
    path: Path
    canary: str
    where: str  # "name" (a file or folder name) or "content"


@dataclass
class Scan:
    """What a scan read, and where it found canaries."""

    files: int = 0
    bytes: int = 0
    folders: int = 0
    others: int = 0  # sockets, pipes, symlinks: names checked, nothing read
    unreadable: list[Path] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    per_location: dict[str, tuple[int, int]] = field(default_factory=dict)  # files, bytes

    def hit_paths(self) -> set[Path]:
        return {h.path for h in self.hits}


class Finder:
    """Which canaries a name or a file's bytes hold."""

    def __init__(self, canaries: Iterable[str]) -> None:
        self.table = {c: needles(c) for c in canaries}

    def __call__(self, path: Path, data: bytes, where: str) -> list[Hit]:
        low = data.lower()
        return [Hit(path, c, where) for c, ns in self.table.items() if any(n in low for n in ns)]


def scan_tree(roots: Iterable[Path], canaries: Iterable[str], *,
              locations: Mapping[str, Path] | None = None) -> Scan:
    """Every file, folder and link name under ``roots`` (folders or single files)
    and every regular file's bytes, searched for every canary. ``locations`` name
    sub-trees to count files and bytes for (a file counts for the deepest one)."""
    find = Finder(canaries)
    places = sorted((locations or {}).items(), key=lambda kv: -len(kv[1].parts))
    result = Scan(per_location={name: (0, 0) for name, _ in places})

    def visit(path: Path) -> None:
        result.hits += find(path, os.fsencode(path.name), "name")
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode):
                result.others += 1
                if stat.S_ISLNK(st.st_mode):
                    result.hits += find(path, os.fsencode(os.readlink(path)), "name")
                return
            data = path.read_bytes()
        except FileNotFoundError:  # a temp file that came and went
            return
        except OSError:
            result.unreadable.append(path)
            return
        result.files += 1
        result.bytes += len(data)
        result.hits += find(path, data, "content")
        for place, where in places:
            if path.is_relative_to(where):
                n, b = result.per_location[place]
                result.per_location[place] = (n + 1, b + len(data))
                break

    for root in map(Path, roots):
        if not root.is_dir():  # a single file
            visit(root)
            continue
        for dirpath, dirs, files in os.walk(root):
            here = Path(dirpath)
            for d in dirs:
                result.folders += 1
                result.hits += find(here / d, os.fsencode(d), "name")
            for name in files:
                visit(here / name)
    return result


class Watch:
    """Scans ``root`` again and again on a thread while programs run, so that files
    which exist only for a while (journals, temp copies, sockets) are searched too:
    "at rest" includes a temp file deleted later, whose blocks stay on the disk.
    Each new version of a file (size or mtime changed) is read once."""

    def __init__(self, root: Path, canaries: Iterable[str], interval: float = 0.01) -> None:
        self.root, self.find, self.interval = root, Finder(canaries), interval
        self.hits: list[Hit] = []
        self.versions = 0  # file versions read
        self.seen: dict[Path, tuple[int, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="canary-watch", daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sweep()

    def gone(self) -> list[Path]:
        """Files seen while running that are no longer there."""
        return sorted(p for p in self.seen if not p.exists())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sweep()

    def _sweep(self) -> None:
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(dirpath) / name
                try:
                    st = path.lstat()
                    key = (st.st_size, st.st_mtime_ns)
                    if self.seen.get(path) == key:
                        continue
                    self.seen[path] = key
                    self.hits += self.find(path, os.fsencode(name), "name")
                    if stat.S_ISREG(st.st_mode):
                        self.hits += self.find(path, path.read_bytes(), "content")
                        self.versions += 1
                except OSError:  # gone between the listing and the read
                    continue


def scan(roots: list[Path], canary: str) -> tuple[list[Path], int]:
    """(files whose name or bytes hold the canary, files scanned): for older tests."""
    result = scan_tree([r for r in roots if r.exists()], [canary])
    return sorted(result.hit_paths()), result.files + result.others + len(result.unreadable)
