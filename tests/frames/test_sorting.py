"""The fast stable sort order equals pandas' stable sort_values, for any numeric input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dtale_lite.frames.sorting import reverse_stable, stable_argsort


def pandas_order(values: np.ndarray, ascending: bool) -> np.ndarray:
    ordered = pd.Series(values).sort_values(kind="stable", ascending=ascending,
                                            na_position="last")
    return ordered.index.to_numpy(dtype=np.int64)


# Few distinct values so that ties (the part a non-stable sort gets wrong) are common.
floats = hnp.arrays(np.float64, st.integers(0, 60),
                    elements=st.sampled_from([0.0, -0.0, 1.5, -2.0, np.nan, np.inf, -np.inf,
                                              1e308, -1e-308]))
ints = hnp.arrays(np.int64, st.integers(0, 60),
                  elements=st.sampled_from([0, 1, -1, 7, 2**63 - 1, -(2**63)]))
uints = hnp.arrays(np.uint64, st.integers(0, 60), elements=st.sampled_from([0, 1, 2**64 - 1]))


@settings(max_examples=300, deadline=None)
@given(values=st.one_of(floats, ints, uints, hnp.arrays(np.float32, st.integers(0, 40))),
       ascending=st.booleans())
def test_equals_pandas_stable_sort(values, ascending):
    assert np.array_equal(stable_argsort(values, ascending), pandas_order(values, ascending))


@settings(max_examples=300, deadline=None)
@given(values=st.one_of(floats, ints, uints, hnp.arrays(np.float32, st.integers(0, 40))))
def test_descending_from_the_ascending_order_equals_pandas(values):
    derived = reverse_stable(values, stable_argsort(values, True))
    assert np.array_equal(derived, pandas_order(values, False))


@pytest.mark.parametrize("ascending", [True, False])
def test_large_random_column_with_missing_values(ascending):
    rng = np.random.default_rng(3)
    values = rng.integers(0, 500, 200_000).astype(np.float64)
    values[rng.random(values.size) < 0.05] = np.nan
    assert np.array_equal(stable_argsort(values, ascending), pandas_order(values, ascending))


def test_refuses_other_dtypes():
    with pytest.raises(TypeError):
        stable_argsort(np.array(["a", "b"], dtype=object))
