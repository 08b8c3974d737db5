"""annotator.text stays pure: no Textual, no database layer."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("textual", "sqlmodel", "sqlalchemy", "annotator.store", "annotator.tui")


def test_text_package_imports_no_ui_or_database() -> None:
    code = (
        "import sys\n"
        "import annotator.text, annotator.text.clean, annotator.text.segment\n"
        "import annotator.text.keys, annotator.text.furniture, annotator.text.title\n"
        f"bad = [m for m in sys.modules if m.startswith({FORBIDDEN!r})]\n"
        "print(','.join(sorted(bad)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
