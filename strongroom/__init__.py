"""Strongroom: a private, offline document assistant (Qt-free core)."""

__version__ = "0.1.0"
