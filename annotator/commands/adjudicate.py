"""`annotator adjudicate`: --auto takes what all annotators agree on; otherwise the TUI."""

from __future__ import annotations

from annotator.commands.common import open_store, resolve_user
from annotator.store.gold import AutoReport, auto_merge, require_adjudicator
from annotator.tui.layout import check_bidi


def auto_summary(report: AutoReport) -> str:
    return (
        f"{report.documents} documents finished by two or more annotators; "
        f"{report.taken} agreed items taken into gold ({report.spans_taken} spans, "
        f"{report.events_taken} event labels); {report.disagreements_left} disagreements "
        f"left in {report.documents_with_disagreements} documents; "
        f"{report.gold_done} documents gold-done"
    )


def run_adjudicate(db: str | None, *, user: str | None, auto: bool, bidi: str = "app") -> int:
    check_bidi(bidi)
    name = resolve_user(user)
    store, schema = open_store(db)
    try:
        require_adjudicator(store, name, "adjudicate --auto" if auto else "adjudicate")
        # gold always starts from what everyone agrees on, also before interactive work
        report = auto_merge(store)
        if auto:
            print(auto_summary(report))
            return 0
        from annotator.tui.base_app import run_session_app
        from annotator.tui.context import Session
        from annotator.tui.screens.adjudicate import AdjudicateApp

        return run_session_app(AdjudicateApp, Session(store, schema, name, bidi))
    finally:
        store.close()
