"""Event-structure disagreements as rows, and the section's figures and disagreements as
plain table rows for the report's renderers (terminal, Markdown, CSV). Pure.

Per document, among the annotators who finished it (two or more):

* triggers every annotator has (same start, end and type) are *matched*; the others,
  grouped when their ranges overlap, give one row: ``trigger-missing`` (some annotator
  has no trigger there), ``type`` (the same ranges, other types) or ``trigger-boundary``
  (overlapping, different ranges);
* on a matched trigger, per argument range: ``argument-missing`` (some annotator has no
  argument there) or ``argument-role`` (all have one, the roles differ); per attribute
  whose values differ: ``attribute``.

Each row carries every annotator's own version (a list: empty when they have nothing
there), in ``versions``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.events_model import MentionView

from .clusters import overlap_clusters

KINDS = ("trigger-missing", "trigger-boundary", "type", "argument-missing", "argument-role",
         "attribute")
_RANK = {k: i for i, k in enumerate(KINDS)}

FIGURE_COLUMNS = ("measure", "scope", "value", "n", "caution", "reason")
DISAGREEMENT_COLUMNS = ("doc_id", "start", "end", "text", "type", "kind", "detail",
                        "versions")
TABLE_COLUMNS = {"figures": FIGURE_COLUMNS, "disagreements": DISAGREEMENT_COLUMNS}


@dataclass
class Listed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    truncated: bool = False


def _doc_id(doc: Hashable) -> str | int:
    return doc if isinstance(doc, (str, int)) else str(doc)


def _cut(text: str | None, start: int, end: int) -> str | None:
    return None if text is None else text[start:end]


def _trigger_rows(doc: Hashable, work: Mapping[str, Sequence[MentionView]],
                  names: list[str], text: str | None) -> list[dict[str, Any]]:
    keys = {a: {(m.start, m.end, m.type) for m in work[a]} for a in names}
    agreed = set.intersection(*keys.values())
    disputed = set().union(*keys.values()) - agreed
    rows = []
    for cluster in overlap_clusters(disputed):
        members = set(cluster)
        versions = {a: [{"start": s, "end": e, "text": _cut(text, s, e), "type": t}
                        for s, e, t in sorted(keys[a] & members)] for a in names}
        if any(not v for v in versions.values()):
            kind = "trigger-missing"
        elif len({frozenset((v["start"], v["end"]) for v in vs)
                  for vs in versions.values()}) > 1:
            kind = "trigger-boundary"
        else:
            kind = "type"
        start, end = min(c[0] for c in cluster), max(c[1] for c in cluster)
        rows.append({"doc_id": _doc_id(doc), "start": start, "end": end,
                     "text": _cut(text, start, end),
                     "type": "/".join(sorted({c[2] for c in cluster})), "kind": kind,
                     "argument": None, "attribute": None, "versions": versions})
    return rows


def _argument_rows(doc: Hashable, mentions: Mapping[str, MentionView], names: list[str],
                   text: str | None) -> list[dict[str, Any]]:
    any_m = next(iter(mentions.values()))
    head = {"doc_id": _doc_id(doc), "start": any_m.start, "end": any_m.end,
            "text": _cut(text, any_m.start, any_m.end), "type": any_m.type}
    rows = []
    ranges = sorted({(x.start, x.end) for m in mentions.values() for x in m.arguments})
    for s, e in ranges:
        versions = {a: [{"role": x.role, "start": x.start, "end": x.end,
                         "text": _cut(text, x.start, x.end), "label": x.label}
                        for x in sorted(mentions[a].arguments, key=lambda x: x.sort_key())
                        if (x.start, x.end) == (s, e)] for a in names}
        if any(not v for v in versions.values()):
            kind = "argument-missing"
        elif len({tuple(sorted(x["role"] for x in v)) for v in versions.values()}) > 1:
            kind = "argument-role"
        else:
            continue
        rows.append({**head, "kind": kind,
                     "argument": {"start": s, "end": e, "text": _cut(text, s, e)},
                     "attribute": None, "versions": versions})
    attrs = sorted({k for m in mentions.values() for k in m.attributes})
    for name in attrs:
        values = {a: mentions[a].attributes.get(name) for a in names}
        if len({repr(v) for v in values.values()}) == 1:
            continue
        rows.append({**head, "kind": "attribute", "argument": None, "attribute": name,
                     "versions": {a: [] if name not in mentions[a].attributes else
                                  [{"value": v}] for a, v in values.items()}})
    return rows


def _doc_rows(doc: Hashable, work: Mapping[str, Sequence[MentionView]], names: list[str],
              text: str | None) -> list[dict[str, Any]]:
    rows = _trigger_rows(doc, work, names, text)
    by_key = {a: {(m.start, m.end, m.type): m for m in work[a]} for a in names}
    agreed = set.intersection(*(set(k) for k in by_key.values()))
    for key in agreed:
        rows += _argument_rows(doc, {a: by_key[a][key] for a in names}, names, text)
    rows.sort(key=lambda r: (r["start"], r["end"], r["type"], _RANK[r["kind"]],
                             (r["argument"] or {}).get("start", -1),
                             (r["argument"] or {}).get("end", -1), r["attribute"] or ""))
    return rows


def find_disagreements(docs: Mapping[Hashable, Mapping[str, Sequence[MentionView]]],
                       names: list[str], texts: Mapping[Hashable, str] | None,
                       limit: int | None) -> Listed:
    """Every difference, documents in input order; at most ``limit`` rows listed (None:
    all), all of them counted."""
    out = Listed(by_kind=dict.fromkeys(KINDS, 0))
    for doc, work in docs.items():
        finishers = [a for a in names if a in work]
        if len(finishers) < 2:
            continue
        text = texts.get(doc) if texts is not None else None
        rows = _doc_rows(doc, work, finishers, text)
        out.total += len(rows)
        for kind, n in Counter(r["kind"] for r in rows).items():
            out.by_kind[kind] += n
        room = len(rows) if limit is None else max(0, limit - len(out.rows))
        out.rows += rows[:room]
        out.truncated |= room < len(rows)
    return out


# ------------------------------------------------------------------------- tables
def _figure(measure: str, scope: str, f: Mapping[str, Any], key: str) -> tuple[Any, ...]:
    return (measure, scope, f.get(key), f.get("n"), f.get("caution"), f.get("reason"))


def figure_rows(section: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """One row per figure: (measure, scope, value, n, caution, reason)."""
    t, arg = section["triggers"], section["arguments"]
    rows = [_figure("trigger F1 exact", "micro", t["exact"], "f1"),
            _figure("trigger F1 overlap", "micro", t["overlap"], "f1"),
            _figure("trigger alpha_U", "overall", t["unitizing_alpha"]["overall"], "value")]
    for typ, v in t["per_type"].items():
        rows += [_figure("trigger F1 exact", typ, v["exact"], "f1"),
                 _figure("trigger F1 overlap", typ, v["overlap"], "f1"),
                 _figure("trigger alpha_U", typ, v["unitizing_alpha"], "value")]
    rows.append(_figure("argument F1", "micro", arg["micro"], "f1"))
    rows += [_figure("argument F1", role, v, "f1") for role, v in arg["per_role"].items()]
    rows.append(_figure("role kappa", "matched arguments", arg["role_kappa"], "kappa"))
    rows += [_figure("attribute kappa", name, v, "kappa")
             for name, v in section["attributes"].items()]
    return rows


def _version(item: Mapping[str, Any]) -> str:
    if "value" in item:
        return str(item["value"])
    where = f"[{item['start']},{item['end']})"
    quoted = f" «{item['text']}»" if item.get("text") is not None else ""
    if "role" in item:
        return f"{item['role']} {item['label']} {where}{quoted}"
    return f"{item['type']} {where}{quoted}"


def versions_text(versions: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """``alice=VISIT [3,9) «زيارة»; bob=—`` (several items of one annotator joined by +)."""
    return "; ".join(f"{a}={' + '.join(_version(x) for x in v) if v else '—'}"
                     for a, v in versions.items())


def _detail(row: Mapping[str, Any]) -> str:
    if row["attribute"] is not None:
        return row["attribute"]
    arg = row["argument"]
    if arg is None:
        return ""
    quoted = f" «{arg['text']}»" if arg.get("text") is not None else ""
    return f"[{arg['start']},{arg['end']}){quoted}"


def disagreement_rows(section: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """One row per listed disagreement, in DISAGREEMENT_COLUMNS order."""
    return [(r["doc_id"], r["start"], r["end"], r["text"], r["type"], r["kind"], _detail(r),
             versions_text(r["versions"])) for r in section["disagreements"]]


def rows_for_table(section: Mapping[str, Any], table: str = "figures") -> list[tuple[Any, ...]]:
    """The rows of one table of the section: ``figures`` (FIGURE_COLUMNS) or
    ``disagreements`` (DISAGREEMENT_COLUMNS); values raw (floats unformatted, None
    where undefined)."""
    if table == "figures":
        return figure_rows(section)
    if table == "disagreements":
        return disagreement_rows(section)
    raise ValueError(f"no table {table!r}: figures or disagreements")
