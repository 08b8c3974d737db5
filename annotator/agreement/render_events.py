"""The report's event-structure section (`event_structure.event_structure_section`) as
tables: the terminal and Markdown `Section`s, and the CSV / JSON `ViewTable`s.

Shown when some annotator compared has marked an event mention; the JSON report always
carries the section.
"""

from __future__ import annotations

from typing import Any

from .event_structure_rows import DISAGREEMENT_COLUMNS, FIGURE_COLUMNS, rows_for_table
from .render import CAUTION, DASH, MAX_DISAGREEMENTS, Section, _short, fmt
from .views import ViewTable


def has_mentions(report: dict[str, Any]) -> bool:
    section = report.get("event_structure")
    return bool(section and any(section["triggers"]["mentions"].values()))


def event_structure_sections(report: dict[str, Any]) -> list[Section]:
    """Figures (with their units, ``~`` under the caution threshold) and the listed
    disagreements, each annotator's own version side by side."""
    if not has_mentions(report):
        return []
    section = report["event_structure"]
    figures = Section("Event structure: triggers, arguments, roles, attributes",
                      ["Measure", "Scope", "Value", "n", "Note"])
    for measure, scope, value, n, caution, reason in rows_for_table(section, "figures"):
        shown = fmt(value)
        figures.rows.append([measure, scope, CAUTION + shown if caution else shown, fmt(n),
                             "; ".join(x for x in (reason, caution) if x)])
    mentions = section["triggers"]["mentions"]
    figures.caption = "event mentions: " + ", ".join(f"{a} {n}" for a, n in mentions.items())
    out = [figures]
    rows = rows_for_table(section, "disagreements")
    if rows:
        listing = Section("Event-structure disagreements",
                          ["Document", "Offsets", "Trigger", "Type", "Kind", "Detail",
                           "Versions"])
        for doc_id, start, end, text, typ, kind, detail, versions in rows[:MAX_DISAGREEMENTS]:
            listing.rows.append([str(doc_id), f"{start}–{end}", _short(text or "") or DASH,
                                 typ or DASH, kind, detail or DASH, versions])
        total = section["disagreements_total"]
        kinds = ", ".join(f"{k} {n}" for k, n in section["disagreements_by_kind"].items() if n)
        listing.caption = f"{total} in all ({kinds})"
        if total > len(listing.rows):
            listing.caption += f"; the first {len(listing.rows)} shown"
        out.append(listing)
    return out


def event_structure_tables(report: dict[str, Any]) -> list[ViewTable]:
    """The section's two tables for `--csv` (``event_structure.csv``,
    ``event_structure_disagreements.csv``), values raw."""
    section = report.get("event_structure")
    if not section:
        return []
    return [
        ViewTable("event_structure", "Event structure", FIGURE_COLUMNS,
                  [list(r) for r in rows_for_table(section, "figures")]),
        ViewTable("event_structure_disagreements", "Event-structure disagreements",
                  DISAGREEMENT_COLUMNS,
                  [list(r) for r in rows_for_table(section, "disagreements")]),
    ]
