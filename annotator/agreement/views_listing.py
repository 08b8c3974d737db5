"""The report's disagreement listings as flat tables (for ``--csv``): one row per span that
differs, and one row per event unit whose labels differ, in the report's order (most
disputed documents first). They hold what the report lists: the first
``max_disagreements`` clusters (``--all-disagreements``: all of them)."""

from __future__ import annotations

from typing import Any

from .views import ViewTable

SPAN_DISAGREEMENT_COLUMNS = (
    "doc_id", "cluster_start", "cluster_end", "start", "end", "text", "label", "kind",
    "marked_by", "not_marked_by",
)
EVENT_DISAGREEMENT_COLUMNS = ("scope", "doc_id", "start", "end", "text", "differ", "labels")
SEP = "; "


def span_disagreement_table(report: dict[str, Any]) -> ViewTable:
    """Each span (offsets and label) some but not all annotators of its document marked;
    ``marked_by`` / ``not_marked_by`` are names joined by ``"; "``."""
    table = ViewTable("disagreements", "Spans that differ", SPAN_DISAGREEMENT_COLUMNS)
    names = report["annotators"]
    for item in report.get("disagreements", []):
        present = [a for a in names if a in item.get("labels", {})]
        for d in item.get("differing", []):
            marked = d.get("marked_by", [])
            table.rows.append([
                item["doc_id"], item["start"], item["end"], d["start"], d["end"], d["text"],
                d["label"], d["kind"], SEP.join(marked),
                SEP.join(a for a in present if a not in marked),
            ])
    return table


def event_disagreement_table(report: dict[str, Any]) -> ViewTable:
    """Each event unit (a document, a sentence) whose label sets differ; ``differ``: the
    labels not everyone gave; ``labels``: ``name=L1+L2`` per annotator, joined by ``"; "``
    (``name=`` when they gave none)."""
    table = ViewTable("event_disagreements", "Event labels that differ",
                      EVENT_DISAGREEMENT_COLUMNS)
    for e in report.get("events_disagreements", []):
        labels = SEP.join(f"{a}={'+'.join(ls)}" for a, ls in e.get("labels", {}).items())
        table.rows.append([e["scope"], e["doc_id"], e.get("start"), e.get("end"),
                           e.get("text", ""), SEP.join(e.get("differ", [])), labels])
    return table
