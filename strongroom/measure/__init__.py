"""Measurements of the product, run by ``strongroom eval`` and ``strongroom bench``.

``evaluate`` (accuracy on a labelled set), ``bench`` (speed and memory against raw
llama.cpp), ``search_bench`` (search latency on a synthetic vault). They drive the
core as the app does; only the CLI's ``eval`` and ``bench`` import them.
"""
