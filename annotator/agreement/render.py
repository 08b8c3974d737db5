"""Renderers of a report built by :func:`annotator.agreement.report.build_report`.

Both renderers share one tabular layout (:func:`sections`): Rich tables for the terminal,
pipe tables for Markdown. Undefined values print as an em dash with the reason alongside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from annotator.bidi.cell import table_cell

DASH = "—"
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


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _summary(report: dict[str, Any]) -> Section:
    docs = report["documents"]
    sec = Section("Summary", ["Item", "Value"])
    sec.rows.append(["Annotators", ", ".join(report["annotators"]) or DASH])
    sec.rows.append(["Documents", str(docs["count"])])
    sec.rows.append(["Finished by two or more", str(docs["finished_by_two_or_more"])])
    for name, n in docs["finished"].items():
        sec.rows.append([f"Finished by {name}", str(n)])
    for note in report.get("notes", []):
        sec.rows.append(["Note", note])
    return sec


def _score_row(name: str, score: dict[str, Any], key: str = "value") -> list[str]:
    return [name, fmt(score[key]), str(score["n"]), score.get("reason") or ""]


def _events(scope: str, ev: dict[str, Any]) -> list[Section]:
    title = f"Event labels, {scope} scope ({ev['units']} units)"
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
                [key, fmt(v["kappa"]), fmt(v["percent_agreement"]), str(v["n"]), v["reason"] or ""]
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
                    fmt(v["alpha"]),
                    fmt(v["percent_agreement"]),
                    str(v["n"]),
                    v["reason"] or "",
                ]
            )
        out.append(labels)
    return out


def _prf(block: dict[str, Any]) -> str:
    return " / ".join(fmt(block[k]) for k in ("precision", "recall", "f1"))


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
                f"{fmt(p['macro']['exact']['f1'])} / {fmt(p['macro']['overlap']['f1'])}",
                f"{fmt(tk['all_tokens']['kappa'])} / {fmt(tk['marked_tokens']['kappa'])}",
                fmt(p["unitizing_alpha"]["overall"]["value"]),
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
                fmt(v["exact"]["f1"]),
                fmt(v["overlap"]["f1"]),
                fmt(v["unitizing_alpha"]["value"]),
            ]
        )
    overall = Section("Spans overall", ["Measure", "Value", "n", "Note"])
    tk = spans["token_kappa"]
    overall.rows.append(
        [
            "Token κ, all tokens (mean over pairs)",
            fmt(tk["all_tokens"]["kappa"]),
            str(tk["all_tokens"]["n"]),
            tk["all_tokens"]["reason"] or "",
        ]
    )
    overall.rows.append(
        [
            "Token κ, marked tokens only (mean over pairs)",
            fmt(tk["marked_tokens"]["kappa"]),
            str(tk["marked_tokens"]["n"]),
            tk["marked_tokens"]["reason"] or "",
        ]
    )
    ua = spans["unitizing_alpha"]
    row = _score_row("Krippendorff α_U (characters, docs all finished)", ua["overall"])
    docs = "doc" if ua["n_docs"] == 1 else "docs"
    row[2] = f"{row[2]} chars, {ua['n_docs']} {docs}"
    overall.rows.append(row)
    return [s for s in (pairs, labels, overall) if s.rows]


def _disagreement_caption(report: dict[str, Any], shown: int) -> str:
    """Total and per-kind counts, and where the rows not shown are."""
    listed = len(report["disagreements"])
    total = report.get("disagreements_total", listed)
    kinds = report.get("disagreements_by_kind", {})
    caption = f"{total} in all"
    if kinds:
        caption += " (" + ", ".join(f"{kind} {n}" for kind, n in kinds.items()) + ")"
    if total > shown:
        caption += f"; {total - shown} more in the JSON report"
        if listed < total:
            caption += f", which lists the first {listed}"
    return caption


def _disagreements(report: dict[str, Any]) -> Section | None:
    items = report["disagreements"]
    if not items:
        return None
    names = report["annotators"]
    sec = Section(
        "Span disagreements (most disputed documents first)",
        ["Doc", "Offsets", "Text", "Kind", *names],
    )
    for d in items[:MAX_DISAGREEMENTS]:
        labels = d["labels"]
        sec.rows.append(
            [d["doc_id"], f"{d['start']}–{d['end']}", _short(d["text"]), d["kind"]]
            + [fmt(labels[a]) if a in labels else "(not finished)" for a in names]
        )
    sec.caption = _disagreement_caption(report, min(len(items), MAX_DISAGREEMENTS))
    return sec


def sections(report: dict[str, Any]) -> list[Section]:
    out = [_summary(report)]
    for scope, ev in report["events"].items():
        out += _events(scope, ev)
    out += _spans(report["spans"])
    dis = _disagreements(report)
    if dis is not None:
        out.append(dis)
    return out


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
            table.add_row(*(Text(table_cell(cell, terminal)) for cell in row))
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
