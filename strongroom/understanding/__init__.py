"""Turning a document's text into a type, grounded fields and a summary."""
