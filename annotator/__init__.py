"""annotator: build a labelled gold corpus from Arabic news in the terminal."""

__version__ = "0.1.0"
