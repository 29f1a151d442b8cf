"""Reading documents into text, a module per format; see ``base.Document``."""
