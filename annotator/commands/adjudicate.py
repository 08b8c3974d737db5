"""`annotator adjudicate`: --auto takes what all annotators agree on; otherwise the TUI."""

from __future__ import annotations

import sys

from annotator.commands.common import open_store, resolve_user
from annotator.store.gold import AutoReport, auto_merge, require_adjudicator
from annotator.store.service import Store
from annotator.tui.layout import check_bidi


def auto_summary(report: AutoReport) -> str:
    return (
        f"{report.documents} documents finished by two or more annotators; "
        f"{report.taken} agreed items taken into gold ({report.spans_taken} spans, "
        f"{report.events_taken} event labels"
        + (f", {report.mentions_taken} event-mention items" if report.mentions_taken else "")
        + f"); {report.disagreements_left} disagreements "
        f"left in {report.documents_with_disagreements} documents; "
        f"{report.gold_done} documents gold-done"
    )


def run_adjudicate(db: str | None, *, user: str | None, auto: bool, bidi: str = "app") -> int:
    check_bidi(bidi)
    name = resolve_user(user)
    store, schema = open_store(db)
    try:
        require_adjudicator(store, name, "adjudicate --auto" if auto else "adjudicate")
        if auto:
            print(auto_summary(_auto_with_progress(store, name)))
            return 0
        # the screen takes what everyone agrees on document by document, as it opens them
        from annotator.tui.base_app import run_session_app
        from annotator.tui.context import Session
        from annotator.tui.screens.adjudicate import AdjudicateApp

        return run_session_app(AdjudicateApp, Session(store, schema, name, bidi))
    finally:
        store.close()


def _auto_with_progress(store: Store, name: str) -> AutoReport:
    """`auto_merge`, one short transaction per document, with a progress bar on a
    terminal's stderr (a killed run is resumed by running it again)."""
    if not sys.stderr.isatty():
        return auto_merge(store, by=name)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("auto-merge", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("auto-merge", total=None)
        return auto_merge(store, by=name,
                          progress=lambda done, total: bar.update(task, completed=done,
                                                                  total=total))
