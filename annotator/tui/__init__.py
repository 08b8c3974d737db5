"""The Textual annotation TUI (annotator annotate)."""
