"""Krippendorff's unitizing alpha (alpha_U)."""

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement import unitizing
from annotator.agreement.unitizing import unitizing_alpha

# Krippendorff (2004, Content Analysis 2nd ed., p. 254), as in DKPro Agreement's unit test:
# continuum begins at 150 and is 300 long; (offset, length, category) per observer.
K2004 = {
    "i": [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
    "j": [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
}


def k2004():
    coders = {c: [(o, o + n, cat) for o, n, cat in units] for c, units in K2004.items()}
    return unitizing_alpha(300, coders, begin=150)


def test_krippendorff_2004_overall():
    result = k2004()
    assert result.overall.value == pytest.approx(0.8591, abs=5e-4)
    assert result.overall.n == 300


def test_krippendorff_2004_per_category():
    result = k2004()
    assert result.observed["c"] == pytest.approx(0.0144, abs=1e-4)
    assert result.expected["c"] == pytest.approx(0.0532, abs=1e-4)
    assert result.per_label["c"].value == pytest.approx(0.7286, abs=1e-4)
    assert result.observed["k"] == 0.0
    assert result.expected["k"] == pytest.approx(0.0490, abs=1e-4)
    assert result.per_label["k"].value == pytest.approx(1.0)


def test_shifting_the_continuum_changes_nothing():
    coders = {c: [(o + 1000, o + n + 1000, cat) for o, n, cat in u] for c, u in K2004.items()}
    shifted = unitizing_alpha(300, coders, begin=1150)
    assert shifted.overall.value == pytest.approx(k2004().overall.value)


def test_identical_unitizations_give_one():
    units = [(0, 5, "A"), (10, 12, "B"), (20, 30, "A")]
    result = unitizing_alpha(40, {"a": units, "b": list(units), "c": list(units)})
    assert result.overall.value == pytest.approx(1.0)
    assert set(result.per_label) == {"A", "B"}


def test_disagreement_lowers_alpha_and_missing_unit_counts():
    full = unitizing_alpha(40, {"a": [(0, 5, "A"), (20, 30, "A")], "b": [(0, 5, "A")]})
    assert full.overall.value is not None
    assert full.overall.value < 1.0
    assert full.observed["A"] > 0


def test_adjacent_units_of_one_coder_are_not_compared_across_the_boundary():
    # b's second unit starts where a's first ends: only the matching unit overlaps.
    result = unitizing_alpha(20, {"a": [(0, 5, "A")], "b": [(0, 5, "A"), (5, 8, "A")]})
    # the only disagreement is b's [5, 8) lying in a's gap [5, 20): 3^2
    assert result.observed["A"] == pytest.approx(2 * 9 / (2 * 1 * 20 * 20))


def test_overlapping_units_of_one_coder_are_merged():
    nested = unitizing_alpha(20, {"a": [(0, 10, "A"), (2, 4, "A")], "b": [(0, 10, "A")]})
    assert nested.observed["A"] == 0.0
    assert nested.overall.value == pytest.approx(1.0)


def test_coder_without_units_still_counts():
    result = unitizing_alpha(20, {"a": [(0, 10, "A")], "b": []})
    assert result.overall.value is not None
    assert result.overall.value < 0.5


@pytest.mark.parametrize(
    ("length", "coders", "reason"),
    [
        (10, {"a": [(0, 5, "A")]}, "fewer than 2 coders"),
        (0, {"a": [], "b": []}, "empty continuum"),
        (10, {"a": [], "b": []}, "no coder marked any unit"),
        (1, {"a": [(0, 1, "A")], "b": [(0, 1, "A")]}, "expected disagreement is 0"),
    ],
)
def test_undefined_cases_have_reasons(length, coders, reason):
    result = unitizing_alpha(length, coders)
    assert result.overall.value is None
    assert reason in result.overall.reason


def test_exact_integer_sums_either_way(monkeypatch):
    # the gaps' sums go through float64 while exact; past 2**53 they are summed as integers
    coders = {
        "a": [(0, 5, "A"), (3, 9, "A"), (20, 24, "B"), (30, 31, "A"), (60, 70, "B")],
        "b": [(1, 5, "A"), (20, 25, "B"), (28, 33, "A"), (62, 70, "B"), (90, 99, "A")],
        "c": [(0, 9, "A"), (19, 24, "B"), (61, 71, "B")],
    }
    fast = unitizing_alpha(100, coders)
    monkeypatch.setattr(unitizing, "FLOAT_EXACT", 0)
    slow = unitizing_alpha(100, coders)
    assert fast.observed == slow.observed and fast.expected == slow.expected
    assert fast.overall.value == slow.overall.value


units_of_coder = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("ABC")),
    max_size=8,
).map(lambda xs: [(s, min(s + n, 50), label) for s, n, label in xs])


@settings(max_examples=200, deadline=None)
@given(st.lists(units_of_coder, min_size=2, max_size=4))
def test_one_continuum_gives_every_coder_set_the_alpha_it_gives_alone(coders):
    """`Continuum` merges each coder's units once for every coder set; a set's figures are
    those the set gets on its own, labels that only others used included."""
    labels = ["C", "A", "B"]  # unsorted on purpose: names index this list
    arrays = {
        i: unitizing.CoderUnits(
            np.array([s for s, _, _ in us], dtype=np.int64),
            np.array([e for _, e, _ in us], dtype=np.int64),
            np.array([labels.index(x) for _, _, x in us], dtype=np.int64))
        for i, us in enumerate(coders)
    }
    continuum = unitizing.Continuum(50, arrays, labels)
    for size in range(2, len(coders) + 1):
        for chosen in combinations(range(len(coders)), size):
            alone = unitizing_alpha(50, {i: coders[i] for i in chosen})
            shared = continuum.alpha(list(chosen))
            assert shared == alone
