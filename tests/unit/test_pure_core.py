"""The pure core imports no Textual (and text/bidi/agreement/adjudication no database layer):
every module of each package is imported in a fresh interpreter and sys.modules is checked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "annotator"
NO_UI = ("textual", "annotator.tui")
NO_DB = ("sqlmodel", "sqlalchemy", "annotator.store")
PACKAGES = {
    "annotator.text": NO_UI + NO_DB,
    "annotator.bidi": NO_UI + NO_DB,
    "annotator.agreement": NO_UI + NO_DB,
    "annotator.adjudication": NO_UI + NO_DB,
    "annotator.io": NO_UI,  # exporters read through the store layer, never the UI
}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_package_is_pure(package: str) -> None:
    folder = ROOT / package.split(".", 1)[1]
    modules = [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(folder)])]
    assert len(modules) > 1, f"{package} has no modules"
    forbidden = PACKAGES[package]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.startswith({forbidden!r}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "", f"{package} pulls in {out}"
