"""One running window per vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.desktop.instance import SingleInstance

pytestmark = pytest.mark.gui


def test_a_second_launch_finds_the_first_and_asks_it_forward(qtbot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path / "vault-a")
    assert not first.notify_running()  # nobody there yet
    first.listen()
    try:
        second = SingleInstance(tmp_path / "vault-a")
        with qtbot.wait_signal(first.activation_requested, timeout=5000):
            assert second.notify_running()
        other = SingleInstance(tmp_path / "vault-b")
        assert not other.notify_running()  # another vault is another instance
    finally:
        first.close()
    assert not SingleInstance(tmp_path / "vault-a").notify_running()


def test_the_socket_name_reveals_nothing(tmp_path: Path) -> None:
    inst = SingleInstance(tmp_path / "Cancer treatment notes")
    assert "Cancer" not in inst.name and inst.name.startswith("strongroom-")
