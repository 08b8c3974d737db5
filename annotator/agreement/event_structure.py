"""Agreement on event structure (issue 13): triggers, arguments given matched triggers,
roles and attributes. Pure: plain data in (`MentionView`s), a JSON-ready dict out.

Input: ``docs[doc][annotator] = [MentionView, ...]`` holding only the annotators who
finished the document (an annotator absent from a document has not finished it; one with
an empty list finished it and marked no event mention). Pairs of annotators follow the
order of ``annotators`` (default: order of first appearance); in a pair "a|b" a is the
reference and b the prediction, as in the rest of the report.

* **Triggers**: precision / recall / F1 on (start, end, type), exact and overlap (same
  type, overlapping ranges, matched one to one as spans are: `spans.overlap_matches`),
  micro and per type, per pair over the documents both finished; with three or more
  annotators the top-level figures are the mean over the pairs. Units (``n``): triggers
  (the reference's plus the prediction's; summed over the pairs for a mean).
  Krippendorff's unitizing alpha over triggers (type as the category) on the documents
  every annotator finished, laid end to end (`unitizing.unitizing_alpha`); its caution
  counts documents.
* **Arguments given matched triggers** (same start, end and type in both): F1 on
  (role, argument start, argument end) per role and micro; units: arguments.
* **Cohen's kappa** (`categorical.cohen_kappa`) on the roles of matched arguments
  (arguments of matched triggers at the same range, paired one to one, equal roles first)
  and on each attribute of matched triggers (both gave a value); units: the pairs.
* **Disagreements** (`event_structure_rows`): one row per difference, each annotator's own
  version side by side.

Every figure carries ``n`` and ``caution`` ("only N units" below ``min_units``; None
otherwise); an undefined figure is None with a ``reason``, never NaN.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.events_model import MentionView

from .categorical import cohen_kappa
from .event_structure_rows import find_disagreements, rows_for_table
from .model import SpanAnn
from .pairs import pair_key, pairs
from .scores import undefined
from .spans import Counts, pair_counts
from .unitizing import unitizing_alpha

Docs = Mapping[Hashable, Mapping[str, Sequence[MentionView]]]
TriggerKey = tuple[int, int, str]  # (start, end, type)

__all__ = ["event_structure_section", "rows_for_table"]


# ----------------------------------------------------------------- small helpers
def _caution(n: int, min_units: int, what: str = "unit") -> str | None:
    if n >= min_units:
        return None
    return f"only {n} {what}" + ("" if n == 1 else "s")


def _f1(c: Counts, n: int, what: str, min_units: int) -> dict[str, Any]:
    out: dict[str, Any] = {"precision": c.precision, "recall": c.recall, "f1": c.f1,
                           "tp": c.tp, "fp": c.fp, "fn": c.fn, "n": n, "reason": None}
    if c.f1 is None:
        out["reason"] = f"undefined: neither annotator marked a {what}"
    elif c.precision is None:
        out["reason"] = f"precision undefined: the second annotator marked no {what}"
    elif c.recall is None:
        out["reason"] = f"recall undefined: the first annotator marked no {what}"
    out["caution"] = _caution(n, min_units) if c.f1 is not None else None
    return out


def _mean_f1(per_pair: Sequence[dict[str, Any]], what: str, min_units: int) -> dict[str, Any]:
    """The mean of the pairs' figures (the pair's own figure when there is one pair)."""

    def mean(key: str) -> float | None:
        vals = [p[key] for p in per_pair if p[key] is not None]
        return sum(vals) / len(vals) if vals else None

    n = sum(p["n"] for p in per_pair)
    out: dict[str, Any] = {
        "precision": mean("precision"), "recall": mean("recall"), "f1": mean("f1"),
        "tp": sum(p["tp"] for p in per_pair), "fp": sum(p["fp"] for p in per_pair),
        "fn": sum(p["fn"] for p in per_pair), "n": n, "pairs": len(per_pair),
        "reason": None,
    }
    if out["f1"] is None:
        out["reason"] = (f"undefined: neither annotator marked a {what}" if per_pair
                         else "undefined: no two annotators finished the same document")
    out["caution"] = _caution(n, min_units) if out["f1"] is not None else None
    return out


def _kappa(a: list[Hashable], b: list[Hashable], min_units: int) -> dict[str, Any]:
    score = cohen_kappa(a, b)
    return {"kappa": score.value, "n": score.n, "reason": score.reason,
            "caution": _caution(score.n, min_units) if score.value is not None else None}


def _mean_kappa(per_pair: Mapping[str, dict[str, Any]], min_units: int) -> dict[str, Any]:
    defined = [p["kappa"] for p in per_pair.values() if p["kappa"] is not None]
    n = sum(p["n"] for p in per_pair.values())
    value = sum(defined) / len(defined) if defined else None
    reason = None
    if value is None:
        reasons = {p["reason"] for p in per_pair.values()}
        reason = (reasons.pop() if len(reasons) == 1 else
                  "undefined: no annotator pair has a defined kappa")
    return {"kappa": value, "n": n, "reason": reason,
            "caution": _caution(n, min_units) if value is not None else None,
            "pairs": {k: p["kappa"] for k, p in per_pair.items()},
            "method": "mean of the pairwise Cohen's kappas that are defined"}


def _hashable(value: Any) -> Hashable:
    if isinstance(value, Hashable):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _by_key(mentions: Sequence[MentionView]) -> dict[TriggerKey, MentionView]:
    return {(m.start, m.end, m.type): m for m in mentions}


def _shared_docs(docs: Docs, a: str, b: str) -> list[Mapping[str, Sequence[MentionView]]]:
    return [work for work in docs.values() if a in work and b in work]


@dataclass
class _Scan:
    """The documents read once: those where an annotator marked a mention (restricted to
    the annotators), how many documents each set of finishers has, and the documents every
    annotator finished, in order. A document without mentions adds nothing to any pair's
    figures: it only counts, and lends alpha_U its length."""

    active: dict[Hashable, dict[str, Sequence[MentionView]]] = field(default_factory=dict)
    finishers: Counter[tuple[str, ...]] = field(default_factory=Counter)
    complete: list[Hashable] = field(default_factory=list)

    def shared(self, a: str, b: str) -> int:
        """The number of documents both a and b finished."""
        return sum(n for who, n in self.finishers.items() if a in who and b in who)


def _scan(docs: Docs, annotators: list[str]) -> _Scan:
    keep, everyone = set(annotators), tuple(annotators)
    scan = _Scan()
    for d, w in docs.items():
        if w.keys() == keep:  # the usual case, quickly
            present, marked = everyone, any(w.values())
        else:
            present = tuple(a for a in annotators if a in w)
            marked = any(w[a] for a in present)
        scan.finishers[present] += 1
        if len(present) == len(annotators):
            scan.complete.append(d)
        if marked:
            scan.active[d] = {a: ms for a, ms in w.items() if a in keep}
    return scan


# ----------------------------------------------------------------------- triggers
def _trigger_pair(docs: Docs, a: str, b: str, n_docs: int, min_units: int) -> dict[str, Any]:
    """``docs``: the documents where someone marked a mention (the others add nothing but
    to ``n_docs``, the number of documents a and b both finished)."""
    shared = _shared_docs(docs, a, b)
    counts = pair_counts(
        ({SpanAnn(m.start, m.end, m.type) for m in w[a]},
         {SpanAnn(m.start, m.end, m.type) for m in w[b]}) for w in shared)
    n_type = Counter(m.type for w in shared for name in (a, b) for m in w[name])
    exact, overlap = Counts(), Counts()
    per_type: dict[str, Any] = {}
    for label in sorted(counts.exact):
        exact.add(counts.exact[label])
        overlap.add(counts.overlap[label])
        per_type[label] = {
            "exact": _f1(counts.exact[label], n_type[label], "trigger", min_units),
            "overlap": _f1(counts.overlap[label], n_type[label], "trigger", min_units),
        }
    total = sum(n_type.values())
    return {"n_docs": n_docs,
            "exact": _f1(exact, total, "trigger", min_units),
            "overlap": _f1(overlap, total, "trigger", min_units),
            "per_type": per_type}


def _trigger_alpha(scan: _Scan, annotators: list[str], texts: Mapping[Hashable, str] | None,
                   min_units: int) -> dict[str, Any]:
    n_docs = len(scan.complete)
    if len(annotators) < 2:
        reason = "undefined: fewer than 2 annotators"
    elif not n_docs:
        reason = "undefined: no document was finished by every annotator"
    else:
        reason = None
    if reason is not None:
        return {"overall": {**undefined(0, reason).to_dict(), "caution": None},
                "per_type": {}, "n_docs": n_docs}
    units: dict[str, list[tuple[int, int, str]]] = {a: [] for a in annotators}
    offset = 0
    for key in scan.complete:
        work = scan.active.get(key)
        text = texts.get(key) if texts is not None else None
        if work is None:  # no mention: the document only lends its length
            offset += len(text) if text is not None else 0
            continue
        length = len(text) if text is not None else max(
            (m.end for a in annotators for m in work[a]), default=0)
        for a in annotators:
            units[a] += [(m.start + offset, m.end + offset, m.type) for m in work[a]]
        offset += length
    result = unitizing_alpha(offset, units)
    doc_caution = _caution(n_docs, min_units, "document")

    def score(s: Any) -> dict[str, Any]:
        return {**s.to_dict(), "caution": doc_caution if s.value is not None else None}

    return {"overall": score(result.overall),
            "per_type": {t: score(s) for t, s in result.per_label.items()},
            "n_docs": n_docs}


# ---------------------------------------------------------------------- arguments
def _role_pairs(args_a: Sequence[Any], args_b: Sequence[Any]) -> list[tuple[str, str]]:
    """Roles of the arguments of two matched triggers at the same range, paired one to one
    (equal roles first, then the rest in name order)."""
    out: list[tuple[str, str]] = []
    spans = {(x.start, x.end) for x in args_a} & {(x.start, x.end) for x in args_b}
    for span in sorted(spans):
        ra = Counter(x.role for x in args_a if (x.start, x.end) == span)
        rb = Counter(x.role for x in args_b if (x.start, x.end) == span)
        same = ra & rb
        out += [(r, r) for r in sorted(same.elements())]
        out += list(zip(sorted((ra - same).elements()), sorted((rb - same).elements()),
                        strict=False))
    return out


def _argument_pair(docs: Docs, a: str, b: str, min_units: int) -> dict[str, Any]:
    per_role: dict[str, Counts] = {}
    n_role: Counter[str] = Counter()
    matched = 0
    roles_a: list[Hashable] = []
    roles_b: list[Hashable] = []
    attrs: dict[str, tuple[list[Hashable], list[Hashable]]] = {}
    for work in _shared_docs(docs, a, b):
        mine, theirs = _by_key(work[a]), _by_key(work[b])
        for key in sorted(mine.keys() & theirs.keys()):
            matched += 1
            ma, mb = mine[key], theirs[key]
            set_a = {(x.role, x.start, x.end) for x in ma.arguments}
            set_b = {(x.role, x.start, x.end) for x in mb.arguments}
            for role in {r for r, _, _ in set_a | set_b}:
                ia = {x for x in set_a if x[0] == role}
                ib = {x for x in set_b if x[0] == role}
                c = per_role.setdefault(role, Counts())
                c.add(Counts(len(ia & ib), len(ib - ia), len(ia - ib)))
                n_role[role] += len(ia) + len(ib)
            for ra, rb in _role_pairs(ma.arguments, mb.arguments):
                roles_a.append(ra)
                roles_b.append(rb)
            for name in sorted(ma.attributes.keys() & mb.attributes.keys()):
                xs, ys = attrs.setdefault(name, ([], []))
                xs.append(_hashable(ma.attributes[name]))
                ys.append(_hashable(mb.attributes[name]))
    micro = Counts()
    for c in per_role.values():
        micro.add(c)
    return {
        "matched_triggers": matched,
        "micro": _f1(micro, sum(n_role.values()), "argument", min_units),
        "per_role": {r: _f1(per_role[r], n_role[r], "argument", min_units)
                     for r in sorted(per_role)},
        "role_kappa": _kappa(roles_a, roles_b, min_units),
        "attributes": {name: _kappa(xs, ys, min_units)
                       for name, (xs, ys) in sorted(attrs.items())},
    }


# ------------------------------------------------------------------------ section
def _annotators(docs: Docs, given: Sequence[str] | None) -> list[str]:
    if given is not None:
        return list(dict.fromkeys(given))
    seen: dict[str, None] = {}
    for work in docs.values():
        for name in work:
            seen.setdefault(name, None)
    return list(seen)


def _mean_per_key(per_pair: Mapping[str, dict[str, Any]], field: str, sub: str | None,
                  what: str, min_units: int) -> dict[str, Any]:
    keys = sorted({k for p in per_pair.values() for k in p[field]})
    out: dict[str, Any] = {}
    for k in keys:
        figures = [p[field][k] if sub is None else p[field][k][sub]
                   for p in per_pair.values() if k in p[field]]
        out[k] = _mean_f1(figures, what, min_units)
    return out


def event_structure_section(
    docs: Docs,
    *,
    min_units: int = 30,
    annotators: Sequence[str] | None = None,
    texts: Mapping[Hashable, str] | None = None,
    max_disagreements: int | None = 1000,
) -> dict[str, Any]:
    """The ``event_structure`` section of the agreement report (see the module doc).

    ``texts`` (document -> text) gives the disagreement rows their text and alpha_U its
    continuum (without it a document's continuum ends at its last trigger, noted)."""
    names = _annotators(docs, annotators)
    scan = _scan(docs, names)
    docs = scan.active
    ordered = pairs(names)
    trig = {pair_key(a, b): _trigger_pair(docs, a, b, scan.shared(a, b), min_units)
            for a, b in ordered}
    args = {pair_key(a, b): _argument_pair(docs, a, b, min_units) for a, b in ordered}
    counts = {a: sum(len(w[a]) for w in docs.values() if a in w) for a in names}
    type_counts = {a: Counter(m.type for w in docs.values() if a in w for m in w[a])
                   for a in names}
    per_type = _mean_per_key(trig, "per_type", "exact", "trigger", min_units)
    per_type_overlap = _mean_per_key(trig, "per_type", "overlap", "trigger", min_units)
    alpha = _trigger_alpha(scan, names, texts, min_units)
    types = sorted(set(per_type) | set(alpha["per_type"]))
    attribute_names = sorted({k for p in args.values() for k in p["attributes"]})
    listed = find_disagreements(docs, names, texts, max_disagreements)
    notes = []
    if len(names) < 2:
        notes.append("fewer than 2 annotators: agreement on event structure is undefined")
    if texts is None:
        notes.append("document texts not given: alpha_U's continuum ends at the last trigger")
    return {
        "annotators": names,
        "min_units": min_units,
        "documents": sum(n for who, n in scan.finishers.items() if len(who) >= 2),
        "triggers": {
            "mentions": counts,
            "exact": _mean_f1([p["exact"] for p in trig.values()], "trigger", min_units),
            "overlap": _mean_f1([p["overlap"] for p in trig.values()], "trigger",
                                min_units),
            "per_type": {t: {
                "exact": per_type.get(t) or _mean_f1([], "trigger", min_units),
                "overlap": per_type_overlap.get(t) or _mean_f1([], "trigger", min_units),
                "unitizing_alpha": alpha["per_type"].get(t) or {
                    **undefined(0, "undefined: type not used in the documents every "
                                   "annotator finished").to_dict(), "caution": None},
                "mentions": {a: type_counts[a][t] for a in names},
            } for t in types},
            "unitizing_alpha": {"overall": alpha["overall"], "n_docs": alpha["n_docs"]},
            "pairwise": trig,
        },
        "arguments": {
            "matched_triggers": sum(p["matched_triggers"] for p in args.values()),
            "micro": _mean_f1([p["micro"] for p in args.values()], "argument", min_units),
            "per_role": _mean_per_key(args, "per_role", None, "argument", min_units),
            "role_kappa": _mean_kappa({k: p["role_kappa"] for k, p in args.items()},
                                      min_units),
            "pairwise": {k: {kk: v for kk, v in p.items() if kk != "attributes"}
                         for k, p in args.items()},
        },
        "attributes": {
            name: _mean_kappa({k: p["attributes"][name] for k, p in args.items()
                               if name in p["attributes"]}, min_units)
            for name in attribute_names
        },
        "disagreements": listed.rows,
        "disagreements_total": listed.total,
        "disagreements_by_kind": listed.by_kind,
        "disagreements_truncated": listed.truncated,
        "notes": notes,
    }
