"""Composition: the data folder, the model file and the understander, from the options.

The window and the command line start from the same three choices (``--data-dir``,
``--model``, ``--backend``, or their defaults). ``Setup`` turns them into what both
run on, so neither builds it: ``launcher`` hands the data folder and the understander
to the window, ``cli`` to its commands, and the lab's commands use it too. Nothing is
loaded or touched until asked for: the model file is located (and assembled on the
first run) only when the worker first needs the model.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import default_data_dir, loose_message, make_private

if TYPE_CHECKING:
    from .model import Backend
    from .understanding.pipeline import Understander


@dataclass(frozen=True)
class Setup:
    """The global options: a data folder and a model file given, or None for the
    defaults (``STRONGROOM_DATA_DIR`` or the user data dir; the bundled Gemma 3 270M),
    and the inference backend's name."""

    data_dir_given: Path | None = None
    model_given: Path | None = None
    backend: str = "auto"

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Setup:
        """From ``cli.build_parser()``'s options (absent ones are defaults)."""
        return cls(getattr(args, "data_dir", None), getattr(args, "model", None),
                   getattr(args, "backend", "auto"))

    @property
    def data_dir_path(self) -> Path:
        """The data folder named or the default; not touched."""
        return Path(self.data_dir_given or default_data_dir())

    def data_dir(self) -> Path:
        """The data folder, made private (see ``paths.make_private``); loose modes
        that had to be tightened are reported on stderr (the first call finds them)."""
        path = self.data_dir_path
        loose = make_private(path)
        if loose:
            print(f"strongroom: warning: {loose_message(path, loose)}", file=sys.stderr)
        return path

    def model_file(self) -> Path:
        """The GGUF given, else the bundled one (assembled into the data folder)."""
        if self.model_given is not None:
            return Path(self.model_given)
        from .modelfile import bundled_model

        return bundled_model(self.data_dir())

    def load_backend(self) -> Backend:
        """The backend, with the model file loaded."""
        from .model import backend_class

        return backend_class(self.backend).load(self.model_file())

    def understander(self) -> Understander:
        """The pipeline the jobs run; the model is loaded by the worker, when first needed."""
        from .understanding.pipeline import Understander

        return Understander(self.load_backend)
