"""Categorical measures against published worked examples."""

import math
import random

import krippendorff
import numpy as np
import pytest

from annotator.agreement.categorical import (
    alpha,
    alpha_nominal,
    cohen_kappa,
    fleiss_kappa,
    masi_distance,
    nominal_distance,
    percent_agreement,
)

# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units, None = missing value.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def k2011_units():
    return [{c: row[u] for c, row in enumerate(K2011) if row[u] is not None} for u in range(12)]


# Fleiss (1971), table 1: 30 subjects, 6 ratings each, 5 categories.
FLEISS1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]  # fmt: skip

# Cohen (1960), p. 45: 200 subjects, 3 categories; cell (row=A, col=B) -> count.
COHEN1960 = {
    (1, 1): 88, (1, 2): 14, (1, 3): 18,
    (2, 1): 10, (2, 2): 40, (2, 3): 10,
    (3, 1): 2, (3, 2): 6, (3, 3): 12,
}  # fmt: skip


def test_krippendorff_2011_nominal_own_implementation():
    score = alpha(k2011_units(), nominal_distance)
    assert score.value == pytest.approx(0.743, abs=5e-4)
    assert score.n == 11  # unit 12 has a single value: not pairable
    assert score.reason is None


def test_krippendorff_2011_nominal_via_package():
    score = alpha_nominal(k2011_units())
    assert score.value == pytest.approx(0.743, abs=5e-4)
    assert score.n == 11


def test_own_alpha_equals_package_nominal_on_random_data():
    rng = random.Random(7)
    for _ in range(40):
        coders, n_units = rng.randint(2, 5), rng.randint(3, 25)
        data = [
            [rng.choice([None, "a", "b", "c", "d"]) if rng.random() < 0.9 else None
             for _ in range(n_units)]
            for _ in range(coders)
        ]  # fmt: skip
        units = [{c: data[c][u] for c in range(coders) if data[c][u]} for u in range(n_units)]
        own = alpha(units, nominal_distance)
        if own.value is None:
            continue
        code = {"a": 0, "b": 1, "c": 2, "d": 3}
        matrix = np.array([[code[v] if v else np.nan for v in row] for row in data], dtype=float)
        expected = krippendorff.alpha(
            reliability_data=matrix, value_domain=[0, 1, 2, 3], level_of_measurement="nominal"
        )
        assert own.value == pytest.approx(expected, abs=1e-12)
        assert alpha_nominal(units).value == pytest.approx(expected, abs=1e-12)


def test_alpha_with_label_sets_as_values():
    units = [
        {"a": frozenset({"MEET"}), "b": frozenset({"MEET"})},
        {"a": frozenset({"MEET", "VISIT"}), "b": frozenset({"MEET"})},
        {"a": frozenset(), "b": frozenset()},
        {"a": frozenset({"ATTACK"}), "b": frozenset({"ATTACK"})},
    ]
    nominal = alpha_nominal(units)
    masi = alpha(units, masi_distance)
    assert nominal.value is not None and masi.value is not None
    # a partial overlap costs MASI less than nominal does
    assert masi.value > nominal.value
    assert nominal.n == masi.n == 4


def test_masi_distance_values():
    assert masi_distance(frozenset(), frozenset()) == 0.0
    assert masi_distance(frozenset({"A"}), frozenset()) == 1.0
    assert masi_distance(frozenset({"A"}), frozenset({"B"})) == 1.0
    # subset: Jaccard 1/2 x 2/3
    assert masi_distance(frozenset({"A"}), frozenset({"A", "B"})) == pytest.approx(1 - 1 / 3)
    # overlap without subset: Jaccard 1/3 x 1/3
    assert masi_distance(frozenset({"A", "B"}), frozenset({"B", "C"})) == pytest.approx(1 - 1 / 9)
    assert masi_distance(frozenset({"A", "B"}), frozenset({"B", "A"})) == 0.0


def test_fleiss_1971():
    score = fleiss_kappa(FLEISS1971)
    assert score.value == pytest.approx(0.430, abs=5e-4)
    assert score.n == 30


def test_fleiss_1971_item_agreement_is_percent_agreement():
    units = [dict(enumerate(r)) for r in FLEISS1971]
    score = percent_agreement(units)
    # Fleiss's observed agreement P-bar = 0.5556
    assert score.value == pytest.approx(0.5556, abs=5e-4)
    assert percent_agreement([units[1]]).value == pytest.approx(0.4)


def test_cohen_1960_from_table():
    a, b = [], []
    for (row, col), count in COHEN1960.items():
        a += [row] * count
        b += [col] * count
    score = cohen_kappa(a, b)
    assert score.n == 200
    assert score.value == pytest.approx(0.492, abs=5e-4)


def test_everyone_agrees_without_variation_is_undefined():
    units = [{"a": "X", "b": "X"}, {"a": "X", "b": "X", "c": "X"}]
    for score in (alpha(units), alpha_nominal(units), fleiss_kappa([["X", "X"], ["X", "X"]]),
                  cohen_kappa(["X", "X"], ["X", "X"])):  # fmt: skip
        assert score.value is None
        assert "expected disagreement is 0" in score.reason
    assert percent_agreement(units).value == 1.0


def test_everyone_agrees_with_variation_is_one():
    units = [{"a": "X", "b": "X"}, {"a": "Y", "b": "Y"}]
    assert alpha_nominal(units).value == pytest.approx(1.0)
    sets = [{c: frozenset(v) for c, v in u.items()} for u in units]
    assert alpha(sets, masi_distance).value == pytest.approx(1.0)
    assert cohen_kappa(["X", "Y"], ["X", "Y"]).value == pytest.approx(1.0)
    assert fleiss_kappa([["X", "X"], ["Y", "Y"]]).value == pytest.approx(1.0)


@pytest.mark.parametrize(
    "units",
    [[], [{"a": "X"}], [{"a": "X"}, {"b": "Y"}], [{"a": None, "b": "Y"}]],
)
def test_no_pairable_unit_is_undefined(units):
    for score in (alpha(units), alpha_nominal(units), percent_agreement(units)):
        assert score.value is None
        assert score.n == 0
        assert score.reason


def test_single_unit_and_empty_inputs_never_nan():
    single = [{"a": "X", "b": "Y"}]
    score = alpha(single)
    assert score.value is None or math.isfinite(score.value)
    assert score.n == 1
    assert fleiss_kappa([]).value is None
    assert fleiss_kappa([["X"], ["Y"]]).reason == "undefined: fewer than 2 coders"
    assert cohen_kappa([], []).value is None
    assert cohen_kappa(["X"], ["Y"]).value == pytest.approx(0.0)
