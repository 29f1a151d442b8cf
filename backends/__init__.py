"""Inference backends, each implementing ``strongroom.model.Backend``.

Installed as ``strongroom.backends``; registered through the
``strongroom.backends`` entry-point group so the core never imports them.
"""
