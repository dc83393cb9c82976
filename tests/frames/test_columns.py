import numpy as np
import pandas as pd
import pytest

from dtale_lite.frames.columns import api_names, describe_columns, kind_of


@pytest.mark.parametrize("labels, names", [
    (["a", "b"], ["a", "b"]),
    (["a", "a", "a"], ["a", "a (2)", "a (3)"]),
    ([0, 1, "1"], ["0", "1", "1 (2)"]),
    ([("x", "y"), ("x", "")], ["x / y", "x"]),
    (["a (2)", "a", "a"], ["a (2)", "a", "a (3)"]),
    ([None, 1.5], ["None", "1.5"]),
])
def test_api_names_are_unique_strings(labels, names):
    assert api_names(labels) == names


@pytest.mark.parametrize("values, kind", [
    (np.array([1, 2]), "int"),
    (pd.array([1, None], dtype="Int64"), "int"),
    (np.array([1.0]), "float"),
    (np.array([True]), "bool"),
    (pd.array([True, None], dtype="boolean"), "bool"),
    (pd.Series(["a"], dtype="str"), "string"),
    (pd.Categorical(["a"]), "category"),
    (pd.to_datetime(["2020-01-01"]), "datetime"),
    (pd.to_datetime(["2020-01-01"]).tz_localize("UTC"), "datetime"),
    (pd.to_timedelta([1], unit="s"), "timedelta"),
    (np.array([object(), 1], dtype=object), "object"),
])
def test_kind_of(values, kind):
    assert kind_of(pd.Series(values).dtype) == kind


def test_describe_columns_keeps_positions_for_duplicate_labels():
    frame = pd.DataFrame([[1, "x", 2.0]], columns=["a", "a", 3])
    cols = describe_columns(frame)
    assert [(c.position, c.name, c.kind) for c in cols] == [
        (0, "a", "int"), (1, "a (2)", "string"), (2, "3", "float")]
