"""Inter-annotator agreement: pure functions over plain data (no Textual, no database).

Build :class:`DocumentUnit` objects, call :func:`build_report`, then render the result with
:func:`render_rich` or :func:`render_markdown`, or ``json.dumps`` it.
"""

from .categorical import (
    alpha,
    alpha_nominal,
    cohen_kappa,
    fleiss_kappa,
    masi_distance,
    nominal_distance,
    percent_agreement,
)
from .model import AnnotatorWork, DocumentUnit, SpanAnn
from .render import render_markdown, render_rich
from .report import build_report
from .scores import Score
from .tokens import bio_tags
from .unitizing import UnitizingAlpha, unitizing_alpha

__all__ = [
    "AnnotatorWork",
    "DocumentUnit",
    "Score",
    "SpanAnn",
    "UnitizingAlpha",
    "alpha",
    "alpha_nominal",
    "bio_tags",
    "build_report",
    "cohen_kappa",
    "fleiss_kappa",
    "masi_distance",
    "nominal_distance",
    "percent_agreement",
    "render_markdown",
    "render_rich",
    "unitizing_alpha",
]
