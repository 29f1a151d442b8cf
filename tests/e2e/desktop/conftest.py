"""End-to-end window tests: keychain off, no passphrase in the environment, cheap Argon2id.

(tests/conftest.py already gives each test private XDG folders and offscreen Qt;
the fixtures ``docs`` and ``make_window`` live in tests/helpers/desktop.py.)
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers.desktop import desktop_env, docs, make_window  # noqa: E402, F401 - fixtures
