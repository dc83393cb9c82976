"""Box statistics and Pearson correlations on DuckDB, against the pandas path's own figures."""
from __future__ import annotations

import numpy as np
import pytest

from dtale_lite.frames.aggregate import GroupKey
from dtale_lite.backends.duckdb import box as duckdb_box
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.filters import parse

KEYS = [[], [GroupKey(2)], [GroupKey(2), GroupKey(3, freq="month")], [GroupKey(0, bins=5)]]


@pytest.mark.parametrize("keys", KEYS, ids=["none", "text", "text+month", "bins"])
@pytest.mark.parametrize("text", [None, "x > 10", "g is null"])
@pytest.mark.parametrize("column", [0, 1])
def test_box_stats_equal_pandas(charted, keys, text, column):
    node = None if text is None else parse(text)
    want_groups, want = charted["pandas"].view(node).source.box_stats(
        charted["pandas"].view(node).positions(), keys, column)
    got_groups, got = duckdb_box.box_stats(charted["duckdb"].view(node), keys, column)
    assert [[g.label for g in key] for key in got_groups] == \
        [[g.label for g in key] for key in want_groups]
    assert got["count"].tolist() == want["count"].tolist()
    for name in duckdb_box.BOX_FIGURES:
        assert np.allclose(got[name], want[name], rtol=1e-9, equal_nan=True), name


@pytest.mark.parametrize("text", [None, "x > 10", "g == \"p\""])
def test_pearson_equals_pandas(charted, text):
    node = None if text is None else parse(text)
    pandas_view = charted["pandas"].view(node)
    want = pandas_view.source.correlations(pandas_view.positions(), [0, 1, 3], "pearson")
    got = duckdb_box.correlations(charted["duckdb"].view(node), [0, 1, 3], "pearson")
    assert np.allclose(got, want, rtol=1e-9, atol=1e-12, equal_nan=True)


def test_spearman_says_what_to_use_instead(charted):
    with pytest.raises(BadRequest, match="use pearson"):
        duckdb_box.correlations(charted["duckdb"].view(None), [0, 1], "spearman")


def test_a_histogram_over_the_whole_float_range(backends):
    """Found by the engines' OpenAPI fuzzer: hi - lo overflowed, the bin guess was NaN and
    DuckDB refused to cast it (a 500)."""
    import polars as pl

    from dtale_lite.frames.binning import histogram as reference

    frame = pl.DataFrame({"v": [1e308, -1e308, 0.0, 1.5, float("inf"), None, -3.0, 1e307]})
    view = backends("duckdb", frame).view(None)
    for bins in (1, 7, 20):
        edges, counts, groups = view.histogram(0, bins)
        want_edges, want_counts = reference(frame["v"].fill_null(float("nan")).to_numpy(), bins)
        assert np.array_equal(edges, want_edges) and counts.tolist() == want_counts.tolist()
