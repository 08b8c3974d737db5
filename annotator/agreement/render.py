"""Renderers of a report built by :func:`annotator.agreement.report.build_report`.

Both renderers share one tabular layout (:func:`sections`): Rich tables for the terminal,
pipe tables for Markdown. Undefined values print as an em dash with the reason alongside; a
figure on fewer units than the report's ``min_units`` prints marked ``~`` (dimmed in the
terminal) with its caution alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.bidi.cell import table_cell

DASH = "—"
CAUTION = "~"
MAX_DISAGREEMENTS = 30
MAX_TEXT = 40


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    caption: str = ""


def fmt(value: Any) -> str:
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def fmt_measure(score: dict[str, Any], key: str = "value") -> str:
    """A measure's value, marked ``~`` when it carries a caution."""
    text = fmt(score[key])
    return CAUTION + text if score.get("caution") else text


def _note(score: dict[str, Any]) -> str:
    return "; ".join(n for n in (score.get("reason"), score.get("caution")) if n)


def _has_caution(node: Any) -> bool:
    if isinstance(node, dict):
        if node.get("caution"):
            return True
        return any(_has_caution(v) for v in node.values() if isinstance(v, dict))
    return False


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _summary(report: dict[str, Any]) -> Section:
    docs = report["documents"]
    sec = Section("Summary", ["Item", "Value"])
    sec.rows.append(["Annotators", ", ".join(report["annotators"]) or DASH])
    sec.rows.append(
        [
            "Documents compared (finished by 2+)",
            f"{docs['finished_by_two_or_more']} of {docs['count']}",
        ]
    )
    for name, n in docs["finished"].items():
        sec.rows.append([f"Documents finished by {name}", str(n)])
    unused = report.get("unused_labels", {})
    for kind in ("spans", "events"):
        if unused.get(kind):
            sec.rows.append([f"Unused {kind[:-1]} labels", ", ".join(unused[kind])])
    if _has_caution(report["events"]) or _has_caution(report["spans"]):
        min_units = report.get("min_units")
        sec.rows.append(
            [
                "Caution",
                f"{CAUTION} marks a figure on fewer than {min_units} units: read it with care",
            ]
        )
    for note in report.get("notes", []):
        sec.rows.append(["Note", note])
    return sec


def _score_row(name: str, score: dict[str, Any], key: str = "value") -> list[str]:
    return [name, fmt_measure(score, key), str(score["n"]), _note(score)]


def _events(scope: str, ev: dict[str, Any]) -> list[Section]:
    units = ev["units"]
    title = f"Event labels, {scope} scope ({units} unit{'' if units == 1 else 's'})"
    main = Section(title, ["Measure", "Value", "n", "Note"])
    main.rows += [
        _score_row("Krippendorff α (nominal, label sets)", ev["alpha_nominal"]),
        _score_row("Krippendorff α (MASI)", ev["alpha_masi"]),
        _score_row("Fleiss κ (units all finished)", ev["fleiss_kappa"]),
        _score_row("Percent agreement", ev["percent_agreement"]),
    ]
    out = [main]
    if ev["cohen_kappa"]:
        pairs = Section(f"Cohen κ per pair, {scope} scope", ["Pair", "κ", "% agree", "n", "Note"])
        for key, v in ev["cohen_kappa"].items():
            pairs.rows.append(
                [
                    key,
                    fmt_measure(v, "kappa"),
                    fmt(v["percent_agreement"]),
                    str(v["n"]),
                    _note(v),
                ]
            )
        out.append(pairs)
    if ev["per_label"]:
        labels = Section(
            f"Per event label, {scope} scope (binary presence, Krippendorff α)",
            ["Label", "α", "% agree", "n", "Note"],
        )
        for label, v in ev["per_label"].items():
            labels.rows.append(
                [
                    label,
                    fmt_measure(v, "alpha"),
                    fmt(v["percent_agreement"]),
                    str(v["n"]),
                    _note(v),
                ]
            )
        out.append(labels)
    return out


def _prf(block: dict[str, Any]) -> str:
    text = " / ".join(fmt(block[k]) for k in ("precision", "recall", "f1"))
    return CAUTION + text if block.get("caution") else text


def _pair(a: dict[str, Any], b: dict[str, Any], key: str) -> str:
    text = f"{fmt(a[key])} / {fmt(b[key])}"
    return CAUTION + text if a.get("caution") or b.get("caution") else text


def _spans(spans: dict[str, Any]) -> list[Section]:
    pairs = Section(
        "Spans per pair (first annotator = reference)",
        [
            "Pair",
            "Docs",
            "Exact P / R / F1",
            "Overlap P / R / F1",
            "Macro F1 exact / overlap",
            "Token κ all / marked",
            "α_U",
        ],
    )
    for key, p in spans["pairwise"].items():
        tk = p["token_kappa"]
        pairs.rows.append(
            [
                key,
                str(p["n_docs"]),
                _prf(p["exact"]),
                _prf(p["overlap"]),
                _pair(p["macro"]["exact"], p["macro"]["overlap"], "f1"),
                _pair(tk["all_tokens"], tk["marked_tokens"], "kappa"),
                fmt_measure(p["unitizing_alpha"]["overall"]),
            ]
        )
    labels = Section(
        "Spans per label (pooled over pairs)",
        ["Label", "Spans per annotator", "Exact F1", "Overlap F1", "α_U"],
    )
    for label, v in spans["per_label"].items():
        counts = ", ".join(f"{a} {n}" for a, n in v["spans"].items())
        labels.rows.append(
            [
                label,
                counts,
                fmt_measure(v["exact"], "f1"),
                fmt_measure(v["overlap"], "f1"),
                fmt_measure(v["unitizing_alpha"]),
            ]
        )
    overall = Section("Spans overall", ["Measure", "Value", "n", "Note"])
    tk = spans["token_kappa"]
    overall.rows.append(
        _score_row("Token κ, all tokens (mean over pairs)", tk["all_tokens"], "kappa")
    )
    overall.rows.append(
        _score_row("Token κ, marked tokens only (mean over pairs)", tk["marked_tokens"], "kappa")
    )
    ua = spans["unitizing_alpha"]
    row = _score_row("Krippendorff α_U (characters, docs all finished)", ua["overall"])
    docs = "doc" if ua["n_docs"] == 1 else "docs"
    row[2] = f"{row[2]} chars, {ua['n_docs']} {docs}"
    overall.rows.append(row)
    return [s for s in (pairs, labels, overall) if s.rows]


def _disagreement_caption(report: dict[str, Any], shown: int) -> str:
    """Spans that differ per kind, the places they are in, and where the rows not shown are."""
    listed = len(report["disagreements"])
    total = report.get("disagreements_total", listed)
    caption = ""
    if "spans_differing" in report:
        n = report["spans_differing"]
        caption = f"{n} span{'' if n == 1 else 's'} differ"
        kinds = report.get("spans_differing_by_kind", {})
        if kinds:
            caption += " (" + ", ".join(f"{kind} {k}" for kind, k in kinds.items()) + ")"
        caption += f" in {total} place{'' if total == 1 else 's'}"
    else:
        caption = f"{total} in all"
        kinds = report.get("disagreements_by_kind", {})
        if kinds:
            caption += " (" + ", ".join(f"{kind} {k}" for kind, k in kinds.items()) + ")"
    if total > shown:
        caption += f"; {total - shown} more places in the JSON report"
        if listed < total:
            caption += f", which lists the first {listed}"
    return caption


def _labels_cell(labels: dict[str, Any], name: str) -> str:
    if name not in labels:
        return "(not finished)"
    value = labels[name]
    if isinstance(value, list):
        return ", ".join(value) or DASH
    return fmt(value)


def _disagreements(report: dict[str, Any]) -> Section | None:
    items = report["disagreements"]
    if not items:
        return None
    names = report["annotators"]
    sec = Section(
        "Span disagreements (most disputed documents first; one row per range that differs, "
        "each annotator's label on exactly that range)",
        ["Doc", "#", "Offsets", "Text", "Kind", *names],
    )
    for number, d in enumerate(items[:MAX_DISAGREEMENTS], 1):
        rows = d.get("rows") or [d]  # a report without rows: the cluster itself
        for row in rows:
            sec.rows.append(
                [
                    d["doc_id"],
                    str(number),
                    f"{row['start']}–{row['end']}",
                    _short(row["text"]),
                    row["kind"],
                ]
                + [_labels_cell(row["labels"], a) for a in names]
            )
    sec.caption = _disagreement_caption(report, min(len(items), MAX_DISAGREEMENTS))
    return sec


def _event_disagreements(report: dict[str, Any]) -> Section | None:
    items = report.get("events_disagreements")
    if not items:
        return None
    names = report["annotators"]
    sec = Section(
        "Event-label disagreements (per scope; a sentence with its text)",
        ["Scope", "Doc", "Offsets", "Sentence", "Differ", *names],
    )
    for d in items[:MAX_DISAGREEMENTS]:
        offsets = DASH if d["start"] is None else f"{d['start']}–{d['end']}"
        sec.rows.append(
            [
                d["scope"],
                d["doc_id"],
                offsets,
                _short(d["text"]) or DASH,
                ", ".join(d.get("differ", [])),
            ]
            + [_labels_cell(d["labels"], a) for a in names]
        )
    total = report.get("events_disagreements_total", len(items))
    sec.caption = f"{total} in all (a unit where the annotators' label sets differ)"
    if total > min(len(items), MAX_DISAGREEMENTS):
        sec.caption += f"; the first {min(len(items), MAX_DISAGREEMENTS)} shown"
    return sec


def sections(report: dict[str, Any]) -> list[Section]:
    out = [_summary(report)]
    for scope, ev in report["events"].items():
        out += _events(scope, ev)
    out += _spans(report["spans"])
    for extra in (_disagreements(report), _event_disagreements(report)):
        if extra is not None:
            out.append(extra)
    from .render_events import event_structure_sections  # it builds on this module

    return out + event_structure_sections(report)


def render_rich(report: dict[str, Any], *, terminal: bool = False) -> Group:
    """Rich tables of the report, as one renderable (``console.print(render_rich(r))``).

    ``terminal``: the output is a terminal, so cells holding Arabic (a disputed span's text,
    an annotator's name) are laid out right to left and shaped by the app's bidi engine;
    otherwise (a pipe, a file) every cell stays in logical order.
    """
    tables = []
    for sec in sections(report):
        table = Table(title=sec.title, title_justify="left", caption=sec.caption or None)
        for i, col in enumerate(sec.columns):
            table.add_column(
                table_cell(col, terminal),
                justify="left"
                if i == 0
                else "right"
                if col in {"Value", "n", "κ", "α", "% agree", "Docs", "α_U"}
                else "left",
            )
        for row in sec.rows:
            table.add_row(
                *(
                    Text(table_cell(cell, terminal), style="dim" if cell[:1] == CAUTION else "")
                    for cell in row
                )
            )
        tables.append(table)
    return Group(*tables)


def _md_cell(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: dict[str, Any]) -> str:
    lines = ["# Inter-annotator agreement", ""]
    for sec in sections(report):
        lines += [f"## {sec.title}", ""]
        lines.append("| " + " | ".join(_md_cell(c) for c in sec.columns) + " |")
        lines.append("|" + "|".join("---" for _ in sec.columns) + "|")
        for row in sec.rows:
            lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        if sec.caption:
            lines += ["", f"_{sec.caption}_"]
        lines.append("")
    return "\n".join(lines)
