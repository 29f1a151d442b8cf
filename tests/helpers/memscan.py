"""Count a canary in another process's memory, the way a memory dump would show it."""

from __future__ import annotations

import re


def count_in_process(pid: int, needles: list[bytes]) -> tuple[dict[bytes, int], int]:
    """(occurrences of each needle in every readable mapping of ``pid``, bytes scanned).

    Linux only: reads ``/proc/PID/maps`` and ``/proc/PID/mem`` (needs the same user
    and a dumpable process, or root). Mappings that cannot be read are skipped.
    """
    counts = dict.fromkeys(needles, 0)
    scanned = 0
    span = re.compile(rb"^([0-9a-f]+)-([0-9a-f]+) r")
    with open(f"/proc/{pid}/maps", "rb") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            m = span.match(line)
            if m is None or line.rstrip().endswith((b"[vvar]", b"[vsyscall]", b"[vvar_vclock]")):
                continue
            start, end = int(m.group(1), 16), int(m.group(2), 16)
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            scanned += len(data)
            for needle in needles:
                counts[needle] += data.count(needle)
    return counts, scanned
