"""The window: a thin PySide6 layer over ``strongroom.jobs`` and ``strongroom.vault``.

Installed as ``strongroom.desktop``; imported only on the window path (see
``strongroom.launcher``), so the core and the command line never load Qt.
"""
