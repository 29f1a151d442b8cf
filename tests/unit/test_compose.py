"""``compose.Setup``: the data folder, the model file and the understander, built once
for the window and the command line, touching nothing until asked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from strongroom.cli import build_parser
from strongroom.compose import Setup
from strongroom.understanding.pipeline import Understander


def test_the_options_the_parser_reads(tmp_path):
    args = build_parser().parse_args(["list", "--data-dir", str(tmp_path / "d"),
                                      "--model", str(tmp_path / "m.gguf")])
    assert Setup.from_args(args) == Setup(tmp_path / "d", tmp_path / "m.gguf", "auto")
    assert Setup.from_args(build_parser().parse_args([])) == Setup()


def test_nothing_is_touched_until_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("STRONGROOM_DATA_DIR", str(tmp_path / "default"))
    setup = Setup(model_given=tmp_path / "m.gguf")
    assert setup.data_dir_path == tmp_path / "default"
    assert setup.model_file() == tmp_path / "m.gguf"  # given: the data folder is not needed
    assert isinstance(setup.understander(), Understander)  # the model loads on first use
    assert not (tmp_path / "default").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_loose_data_folder_is_made_private_and_reported(tmp_path: Path, capsys):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    assert Setup(folder).data_dir() == folder
    assert folder.stat().st_mode & 0o777 == 0o700
    assert capsys.readouterr().err.startswith(f"strongroom: warning: Strongroom's files in "
                                              f"{folder} were open to other users")
