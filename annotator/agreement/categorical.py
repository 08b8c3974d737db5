"""Agreement on categorical values: Krippendorff's alpha (any distance), Fleiss' kappa,
Cohen's kappa, percent agreement.

A *unit* is a mapping coder -> value; a coder absent from the mapping (or mapped to None)
did not code that unit (missing value). Values only need to be hashable (frozensets work).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import combinations

import krippendorff
import numpy as np

from .scores import Score, undefined

Unit = Mapping[Hashable, Hashable | None]
Distance = Callable[[Hashable, Hashable], float]

NO_VARIATION = (
    "undefined: every value is the same, so expected disagreement is 0 "
    "(Krippendorff: alpha is not defined without variation)"
)
NO_PAIRABLE = "undefined: no unit was coded by at least two coders"


def nominal_distance(a: Hashable, b: Hashable) -> float:
    return 0.0 if a == b else 1.0


def masi_distance(a: frozenset[str], b: frozenset[str]) -> float:
    """1 - MASI (Passonneau 2006): Jaccard times a monotonicity weight
    (1 identical, 2/3 subset, 1/3 overlapping, 0 disjoint). Two empty sets are identical."""
    if a == b:
        return 0.0
    inter = len(a & b)
    if inter == 0:
        return 1.0
    jaccard = inter / len(a | b)
    weight = 2 / 3 if (a <= b or b <= a) else 1 / 3
    return 1.0 - jaccard * weight


def _values(unit: Unit) -> list[Hashable]:
    return [v for v in unit.values() if v is not None]


def _sort_key(value: Hashable) -> str:
    if isinstance(value, frozenset):
        return repr(sorted(value, key=str))
    return repr(value)


def _weights(units: Sequence[Unit], weights: Sequence[int] | None) -> Sequence[int]:
    """``weights`` (how many times each unit occurs), or 1 for every unit."""
    if weights is None:
        return [1] * len(units)
    if len(weights) != len(units):
        raise ValueError("one weight per unit")
    return weights


def coincidences(
    units: Sequence[Unit], weights: Sequence[int] | None = None
) -> tuple[dict[tuple[Hashable, Hashable], float], int]:
    """Krippendorff's coincidence matrix o[c, k] over the pairable units, and the number of
    pairable values n. A unit with m values contributes each ordered pair of values from
    different coders with weight 1 / (m - 1) (times the unit's weight, if given)."""
    matrix: dict[tuple[Hashable, Hashable], float] = {}
    n_values = 0
    for unit, w in zip(units, _weights(units, weights), strict=True):
        values = _values(unit)
        m = len(values)
        if m < 2:
            continue
        n_values += w * m
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[c, k] = matrix.get((c, k), 0.0) + w * pairs / (m - 1)
    return matrix, n_values


def alpha(
    units: Sequence[Unit],
    distance: Distance = nominal_distance,
    weights: Sequence[int] | None = None,
) -> Score:
    """Krippendorff's alpha = 1 - D_o / D_e from the coincidence matrix, with any distance
    (a metric with d(v, v) = 0). ``n`` is the number of pairable units. ``weights[i]`` says
    how many times unit i occurs (default once)."""
    w = _weights(units, weights)
    n_units = sum(wi for u, wi in zip(units, w, strict=True) if len(_values(u)) >= 2)
    matrix, n = coincidences(units, w)
    if n_units == 0:
        return undefined(0, NO_PAIRABLE)
    marginals: Counter[Hashable] = Counter()
    for (c, _k), o in matrix.items():
        marginals[c] += o
    observed = sum(o * distance(c, k) for (c, k), o in matrix.items()) / n
    expected = sum(
        n_c * n_k * distance(c, k) for c, n_c in marginals.items() for k, n_k in marginals.items()
    ) / (n * (n - 1))
    if expected <= 0:
        return undefined(n_units, NO_VARIATION)
    return Score(1.0 - observed / expected, n_units)


# The krippendorff package builds a units x values x values array; past this many cells
# (e.g. 120,000 sentences x 101 distinct label sets) it would need gigabytes, so the
# coincidence-matrix computation above, which the tests hold equal to it, is used instead.
PACKAGE_CELL_LIMIT = 2_000_000


def alpha_nominal(units: Sequence[Unit]) -> Score:
    """Nominal alpha computed by the ``krippendorff`` package (values encoded as category
    codes, missing as NaN); undefined cases are decided by :func:`alpha` first. Large inputs
    use :func:`alpha` alone (same value, linear memory)."""
    own = alpha(units, nominal_distance)
    if own.value is None:
        return own
    domain = sorted({v for u in units for v in _values(u)}, key=_sort_key)
    if len(units) * len(domain) ** 2 > PACKAGE_CELL_LIMIT:
        return own
    coders = sorted({c for u in units for c, v in u.items() if v is not None}, key=repr)
    code = {v: float(i) for i, v in enumerate(domain)}
    data = np.full((len(coders), len(units)), np.nan)
    row = {c: i for i, c in enumerate(coders)}
    for j, unit in enumerate(units):
        for coder, value in unit.items():
            if value is not None:
                data[row[coder], j] = code[value]
    value = float(
        krippendorff.alpha(
            reliability_data=data,
            value_domain=list(code.values()),
            level_of_measurement="nominal",
        )
    )
    return Score(value, own.n)


def percent_agreement(units: Sequence[Unit], weights: Sequence[int] | None = None) -> Score:
    """Mean over pairable units of the share of agreeing coder pairs (``weights`` as in
    :func:`alpha`)."""
    total = 0.0
    n_units = 0
    for unit, w in zip(units, _weights(units, weights), strict=True):
        values = _values(unit)
        if len(values) < 2:
            continue
        pairs = list(combinations(values, 2))
        total += w * sum(a == b for a, b in pairs) / len(pairs)
        n_units += w
    if not n_units:
        return undefined(0, NO_PAIRABLE)
    return Score(total / n_units, n_units)


def fleiss_kappa(
    ratings: Sequence[Sequence[Hashable]], weights: Sequence[int] | None = None
) -> Score:
    """Fleiss' (1971) kappa. ``ratings[i]`` holds the m ratings of subject i; every subject
    must have the same number m >= 2 of ratings. ``weights[i]``: how many subjects have
    exactly these ratings (default 1)."""
    if not ratings:
        return undefined(0, "undefined: no unit was coded by every coder")
    m = len(ratings[0])
    if any(len(r) != m for r in ratings):
        raise ValueError("every subject needs the same number of ratings")
    if m < 2:
        return undefined(len(ratings), "undefined: fewer than 2 coders")
    w = [1] * len(ratings) if weights is None else weights
    n_subjects = sum(w)
    totals: Counter[Hashable] = Counter()
    p_bar = 0.0
    for subject, wi in zip(ratings, w, strict=True):
        counts = Counter(subject)
        for value, c in counts.items():
            totals[value] += wi * c
        p_bar += wi * (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
    p_bar /= n_subjects
    p_e = sum((t / (n_subjects * m)) ** 2 for t in totals.values())
    if p_e >= 1.0:
        return undefined(n_subjects, NO_VARIATION.replace("alpha", "kappa"))
    return Score((p_bar - p_e) / (1.0 - p_e), n_subjects)


def cohen_kappa(
    a: Sequence[Hashable], b: Sequence[Hashable], weights: Sequence[int] | None = None
) -> Score:
    """Cohen's (1960) kappa of two coders over paired values a[i], b[i] (the pair occurring
    ``weights[i]`` times, default once)."""
    if len(a) != len(b):
        raise ValueError("a and b must be paired")
    w = [1] * len(a) if weights is None else weights
    n = sum(w)
    if n == 0:
        return undefined(0, "undefined: no unit coded by both coders")
    p_o = sum(wi for x, y, wi in zip(a, b, w, strict=True) if x == y) / n
    count_a: Counter[Hashable] = Counter()
    count_b: Counter[Hashable] = Counter()
    for x, y, wi in zip(a, b, w, strict=True):
        count_a[x] += wi
        count_b[y] += wi
    p_e = sum(count_a[v] * count_b[v] for v in count_a) / (n * n)
    if p_e >= 1.0:
        return undefined(n, NO_VARIATION.replace("alpha", "kappa"))
    return Score((p_o - p_e) / (1.0 - p_e), n)
