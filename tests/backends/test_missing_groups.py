"""Missing values as a group of their own (``GroupKey(missing=True)``, issue 17 #3) on every
engine, against the pandas reference: values, top-N, bins and periods, in group aggregates,
histograms, box statistics and downsampled lines."""
from __future__ import annotations

import numpy as np
import pytest

from dtale_lite.backends.chart_source import ViewChartSource
from dtale_lite.charts.figure import build_chart, decode
from dtale_lite.charts.spec import ChartSpec
from dtale_lite.frames.aggregate import MISSING, GroupKey
from dtale_lite.frames.filters import parse
from dtale_lite.frames.source import PandasSource

from tests.backends.conftest import ENGINES, chart_frame

# odd_frame: 0 "i" int with a null, 1 "f" float with NaN/None/inf, 2 "s" text with a null,
# 3 "t" datetime with a null, 4 "b" bool (none missing), 5 "c" enum with a null.
KEYS = [GroupKey(2, missing=True), GroupKey(2, top=2, missing=True),
        GroupKey(5, missing=True), GroupKey(0, missing=True), GroupKey(4, missing=True),
        GroupKey(1, bins=3, missing=True), GroupKey(3, freq="month", missing=True)]
MEASURES = [(None, "count"), (1, "mean"), (0, "max"), (2, "distinct")]


def labels(groups):
    return [[g.label for g in key] for key in groups]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", KEYS, ids=str)
@pytest.mark.parametrize("text", [None, "s is not null"])
def test_missing_group_equals_pandas(odd, engine, key, text):
    node = None if text is None else parse(text)
    view, reference = odd[engine].view(node), odd["pandas"].view(node)
    groups, results = view.group_aggregate([key, GroupKey(4)], MEASURES)
    e_groups, e_results = reference.group_aggregate([key, GroupKey(4)], MEASURES)
    assert groups == e_groups
    for got, expected in zip(results, e_results):
        np.testing.assert_allclose(got, expected, rtol=1e-9, equal_nan=True)
    _, counts, hist_groups = view.histogram(0, 4, None, key)
    _, e_counts, e_hist_groups = reference.histogram(0, 4, None, key)
    assert hist_groups == e_hist_groups and counts.tolist() == e_counts.tolist()
    box_groups, stats = view.box_stats([key], 0)
    e_box_groups, e_stats = reference.source.box_stats(reference.positions(), [key], 0)
    assert box_groups == e_box_groups
    for name, values in e_stats.items():
        np.testing.assert_allclose(stats[name], values, rtol=1e-9, equal_nan=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_row_is_in_a_group_when_missing_is_a_group(odd, engine):
    (groups,), (counts,) = odd[engine].view().group_aggregate([GroupKey(2, missing=True)],
                                                                [(None, "count")])
    assert groups[-1].label == MISSING and groups[-1].is_missing
    assert counts.tolist()[-1] == 1 and counts.sum() == 8  # "s" has one null in 8 rows
    # A key without missing rows gets no missing group.
    (groups,), _ = odd[engine].view(parse("s is not null")).group_aggregate(
        [GroupKey(2, missing=True)], [(None, "count")])
    assert not any(g.is_missing for g in groups)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_downsampled_line_per_group_has_a_missing_line(charted, engine):
    key = GroupKey(2, missing=True)
    got_groups, got = charted[engine].view().downsample(0, 1, 5, None, key)
    e_groups, expected = charted["pandas"].view().downsample(0, 1, 5, None, key)
    assert got_groups == e_groups and got_groups[-1].is_missing
    for (gx, gy, gn), (ex, ey, en) in zip(got, expected):
        np.testing.assert_array_equal(gx, ex)
        np.testing.assert_array_equal(gy, ey)
        assert gn == en


CHARTS = [
    ChartSpec(type="bar", x="g"), ChartSpec(type="bar", x="g", dropna=True),
    ChartSpec(type="bar", x="t", group="g"),  # counts: means may differ in the last bit
    ChartSpec(type="bar", x="x", y=("y",), group="g", dropna=True),
    ChartSpec(type="pie", x="g", y=("y",)), ChartSpec(type="heatmap", x="g", y=("t",)),
    ChartSpec(type="box", x="g", y=("y",)), ChartSpec(type="box", x="g", y=("x",), dropna=True),
    ChartSpec(type="histogram", x="x", group="g"),
    ChartSpec(type="histogram", x="x", group="g", dropna=True),
    ChartSpec(type="line", x="x", y=("y",), group="g", dropna=True),
    ChartSpec(type="scatter", x="x", y=("y",), group="g"), ChartSpec(type="density", x="x", y=("y",)),
]


def built(backend, spec):
    if backend == "pandas":  # the reference: the pandas chart path itself
        return build_chart(PandasSource(chart_frame().to_pandas()), None, spec)
    return build_chart(ViewChartSource(backend, backend.view()), None, spec)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("spec", CHARTS, ids=lambda s: f"{s.type}-{s.x}-{s.group}-{s.dropna}")
def test_missing_marks_and_notes_equal_pandas(charted, engine, spec):
    """The same "(missing)" marks and the same note on every engine as on pandas."""
    got, expected = built(charted[engine], spec), built("pandas", spec)
    assert got.figure["data"] == expected.figure["data"]
    assert got.note == expected.note


def test_a_bar_of_counts_shows_the_rows_without_a_value(charted):
    frame = chart_frame().to_pandas()
    missing = int(frame.g.isna().sum())
    shown = built("pandas", ChartSpec(type="bar", x="g"))
    trace = shown.figure["data"][0]
    assert trace["x"] == ["p", "q", MISSING] and decode(trace["y"]).tolist()[-1] == missing
    assert trace["customdata"][-1] == "g is null"  # "Show these rows" opens them
    dropped = built("pandas", ChartSpec(type="bar", x="g", dropna=True))
    assert dropped.figure["data"][0]["x"] == ["p", "q"]
    assert dropped.note == f"{missing} rows with no g left out"
    # Rows with no x or y on a scatter are counted too.
    scatter = built("pandas", ChartSpec(type="scatter", x="x", y=("y",)))
    assert scatter.note == f"{int((frame.x.isna() | frame.y.isna()).sum())} rows with no x or " \
                           f"y left out"
