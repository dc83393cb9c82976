"""Correlations as a person reads them: a value that rounds to zero has no sign (issue 17,
defect 6: "-0.00" on the correlations page)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dtale_lite.charts.correlations import correlation_figure, correlation_result, rounded
from dtale_lite.frames.columns import Column


@pytest.mark.parametrize("value, digits, text", [
    (-0.0001, 2, "0.00"), (-0.004999, 2, "0.00"), (-0.0, 2, "0.00"), (0.0, 2, "0.00"),
    (-0.005001, 2, "-0.01"), (-0.0004, 3, "0.000"), (-0.0006, 3, "-0.001"),
    (0.25, 2, "0.25"), (-1.0, 2, "-1.00"), (None, 2, ""),
])
def test_rounded_has_no_sign_when_it_rounds_to_zero(value, digits, text):
    assert rounded(value, digits) == text


def test_heatmap_text_and_hover_never_show_minus_zero():
    result = {"columns": ["a", "b"], "matrix": [[1.0, -0.0001], [-0.0001, 1.0]], "rows": 10,
              "method": "pearson", "note": None}
    trace = correlation_figure(result)["data"][0]
    assert trace["text"] == [["1.00", "0.00"], ["0.00", "1.00"]]
    assert [[cell[2] for cell in row] for row in trace["customdata"]] == [
        ["1.000", "0.000"], ["0.000", "1.000"]]
    assert trace["customdata"][0][1][:2] == ["b", "a"]  # the pair (x, y) opens its scatter
    # Plotly's own number format would print "-0.000": the hover shows the text instead.
    assert "%{z" not in trace["hovertemplate"] and "%{customdata[2]}" in trace["hovertemplate"]


class _Source:
    """Two numeric columns whose correlation is a tiny negative number."""

    def columns(self):
        return [Column(0, "a", "float64", "float"), Column(1, "b", "float64", "float")]

    def row_count(self):
        return 3

    def correlations(self, positions, columns, method):
        return np.array([[1.0, -1e-14], [-1e-14, 1.0]])


def test_the_route_matrix_has_no_negative_zero():
    matrix = correlation_result(_Source(), None, "pearson")["matrix"]
    assert matrix[0][1] == 0.0 and math.copysign(1.0, matrix[0][1]) == 1.0
