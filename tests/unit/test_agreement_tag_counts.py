"""Token kappa from counts merged batch by batch equals kappa on all the tags at once."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.categorical import cohen_kappa
from annotator.agreement.tokens import TagCounts, code_kappa, counts_kappa, tag_counts

LABELS = ["GPE", "ORG", "PERS"]
NAMES = ["O", "B-GPE", "I-GPE", "B-ORG", "I-ORG", "B-PERS", "I-PERS"]
pairs_of_codes = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(pairs_of_codes, max_size=5))
def test_counts_merged_over_batches_give_the_kappa_of_the_whole(batches):
    whole, marked = TagCounts(), TagCounts()
    for batch in batches:
        # each batch numbers its own labels: a batch without ORG shifts PERS's codes
        used = sorted({NAMES[c][2:] for pair in batch for c in pair if c})
        local = ["O", *(f"{p}-{x}" for x in used for p in "BI")]
        a = np.array([local.index(NAMES[x]) for x, _ in batch], dtype=np.int64)
        b = np.array([local.index(NAMES[y]) for _, y in batch], dtype=np.int64)
        w, m = tag_counts(a, b, local)
        whole.merge(w)
        marked.merge(m)
    flat = [pair for batch in batches for pair in batch]
    a = np.array([x for x, _ in flat], dtype=np.int64)
    b = np.array([y for _, y in flat], dtype=np.int64)
    assert counts_kappa(whole, marked) == code_kappa(a, b)


def test_kappa_from_counts_is_cohens_kappa():
    a = [0, 1, 2, 0, 0, 3, 4, 0]
    b = [0, 1, 2, 0, 3, 3, 0, 0]
    got = code_kappa(np.array(a), np.array(b))["all_tokens"]
    want = cohen_kappa(a, b, [1] * len(a))
    assert got["kappa"] == want.value and got["n"] == 8
    assert got["percent_agreement"] == 6 / 8
