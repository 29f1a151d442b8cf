"""Readers a test hands ``reading.sandbox.Sandbox`` to run in its child process.

They are module-level functions (the child imports them by name). Each behaves
like ``reading.read_bytes`` unless the file's bytes start with its marker.
"""

from __future__ import annotations

import os
import signal
import socket
import time

from strongroom.errors import ReadError
from strongroom.reading import read_bytes
from strongroom.reading.base import Document

HANG = b"HANG"
SPIN = b"SPIN"
ABORT = b"ABORT"
BUG = b"BUG"
NETWORK = b"NETWORK"
MEMORY = b"MEMORY"
SEGV = b"SEGV"
SURROGATE = b"SURROGATE"
FORGED = b"FORGED"
ATTACHMENTS = b"ATTACHMENTS"  # then the count, as digits
WARNED = b"WARNED"  # a document with a photo warning; WARNED FORGED: one in other words
PAGES = b"PAGES"  # PAGES <n> <seconds>: n pages read by "OCR", each taking seconds


def misbehaving(name: str, data: bytes) -> Document:
    """Sleeps, spins, aborts, crashes, raises a bug or eats memory on its marker."""
    if data.startswith(HANG):
        while True:
            time.sleep(60)
    if data.startswith(SPIN):
        while True:
            pass
    if data.startswith(ABORT):
        os.abort()
    if data.startswith(SURROGATE):
        return Document(name, "text", "lone \ud800 surrogate, \u6536\u636e \x1b", data)
    if data.startswith(FORGED):  # a ReadError in words no reader uses
        raise ReadError(data.decode())
    if data.startswith(ATTACHMENTS):  # a child that hands back more files than any e-mail
        count = int(data[len(ATTACHMENTS):])
        return Document(name, "email", "a message", data,
                        attachments=tuple((f"a{i}.txt", b"x") for i in range(count)))
    if data.startswith(WARNED):
        from strongroom.reading import messages

        said = data.decode() if FORGED in data else messages.PHOTO_BLURRED
        return Document(name, "image", "a photo", data, warnings=(said,))
    if data.startswith(SEGV):
        os.kill(os.getpid(), signal.SIGSEGV)
    if data.startswith(BUG):
        raise KeyError(data.decode())  # the message quotes content: it must not travel
    if data.startswith(PAGES):
        from strongroom.reading import ocr

        _, pages, seconds = data.split()
        for _ in range(int(pages)):
            if ocr.on_page is not None:
                ocr.on_page()
            time.sleep(float(seconds))
        return Document(name, "text", f"{int(pages)} pages read", data)
    if data.startswith(MEMORY):
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
    return read_bytes(name, data)


def network_probe(name: str, data: bytes) -> Document:
    """A text document saying what happened when the child tried the network."""
    try:
        socket.getaddrinfo("example.com", 443)
        outcome = "connected"
    except PermissionError as exc:
        outcome = type(exc).__name__
    except OSError:
        outcome = "no network here, but not refused by the guard"
    secret = os.environ.get("STRONGROOM_PASSPHRASE", "none")
    return Document(name, "text", f"{outcome} {secret}", data)
