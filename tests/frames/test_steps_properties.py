"""Property: for random step sequences on random frames, the generated pandas code run on the
original frame gives exactly what the steps give, and the original is never changed (values,
index, dtypes, labels, order)."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite.frames.columns import describe_columns
from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.steps import model
from dtale_lite.frames.steps.history import StepHistory

WORDS = ["a", "b", "B ", "x y", "", "10", "1.5", "true", "no", "2021-03-04"]


@st.composite
def frames(draw):
    n = draw(st.integers(0, 12))
    columns = {}
    if draw(st.booleans()):
        columns["i"] = draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    columns["f"] = pd.Series(draw(st.lists(st.one_of(st.none(), st.floats(-100, 100)),
                                           min_size=n, max_size=n)), dtype="float64")
    columns["s"] = pd.Series(draw(st.lists(st.one_of(st.none(), st.sampled_from(WORDS)),
                                           min_size=n, max_size=n)), dtype="str")
    if draw(st.booleans()):
        columns["b"] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    if draw(st.booleans()):
        days = draw(st.lists(st.one_of(st.none(), st.integers(0, 2000)), min_size=n, max_size=n))
        columns["t"] = pd.to_datetime([None if d is None else pd.Timestamp("2020-01-01")
                                       + pd.Timedelta(hours=7 * d) for d in days])
    if draw(st.booleans()):
        columns["c"] = pd.Categorical(draw(st.lists(st.sampled_from(["u", "v", "w"]),
                                                    min_size=n, max_size=n)))
    frame = pd.DataFrame({k: (pd.Series(v) if not isinstance(v, pd.Series) else v)
                          for k, v in columns.items()})
    if draw(st.booleans()):  # a non-default index, with repeats
        frame.index = pd.Index(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
                               name="key")
    if draw(st.booleans()) and frame.shape[1] >= 2:  # labels that are not unique strings
        labels = list(frame.columns)
        labels[-1] = labels[0]
        frame.columns = labels
    return frame


VALUES = {"int": 3, "float": 2.5, "string": "a", "bool": True, "datetime": "2021-01-02",
          "category": "u", "object": "a", "timedelta": "1 day"}


def step_for(draw, frame, origin=None):
    """One step drawn to mostly fit ``frame`` (some do not: they must be refused cleanly)."""
    cols = describe_columns(frame)
    names = [c.name for c in cols]
    kinds = {c.name: c.kind for c in cols}
    of = lambda *ks: [n for n in names if kinds[n] in ks] or names  # noqa: E731
    name = st.sampled_from(names)
    op = draw(st.sampled_from(list(model.OPS)))
    new = draw(st.sampled_from([n for n in ("n1", "n2", "n3", "n4") if n not in names] or
                               ["n5"]))
    if op == "add_column":
        kind = draw(st.sampled_from(list(model.ADD_KINDS)))
        params = {
            "arithmetic": lambda: {"left": draw(st.sampled_from(of("int", "float"))),
                                   "operator": draw(st.sampled_from(model.OPERATORS)),
                                   "right": draw(st.one_of(st.sampled_from(of("int", "float")),
                                                           st.integers(-3, 3)))},
            "datetime_part": lambda: {"column": draw(st.sampled_from(of("datetime"))),
                                      "part": draw(st.sampled_from(model.DATETIME_PARTS))},
            "string": lambda: draw(st.one_of(
                st.builds(lambda c, s: {"columns": c, "sep": s},
                          st.lists(name, min_size=1, max_size=2, unique=True),
                          st.sampled_from(["", "-"])),
                st.builds(lambda c, t: {"column": c, "transform": t,
                                        **({"start": 1} if t == "slice" else {})},
                          st.sampled_from(of("string", "category")),
                          st.sampled_from(model.TRANSFORMS)))),
            "bins": lambda: {"column": draw(st.sampled_from(of("float", "int"))),
                             **draw(st.sampled_from([{"bins": 3}, {"bins": [-50, 0, 50]},
                                                     {"quantiles": 2}]))},
            "cumulative": lambda: {"column": draw(st.sampled_from(of("float", "int"))),
                                   "function": draw(st.sampled_from(model.CUMULATIVE)),
                                   **draw(st.sampled_from([{}, {"group": [draw(name)]}]))},
            "standardize": lambda: {"column": draw(st.sampled_from(of("float", "int"))),
                                    "method": draw(st.sampled_from(model.STANDARDIZE))},
            "condition": lambda: {"filter": draw(st.sampled_from(
                [f"`{n}` is null" for n in names] + ["f > 0", "s == 'a' or i < 2",
                                                     "c in ['u', 'w']", "s contains 'a'"]))},
            "copy": lambda: {"column": draw(name)},
        }[kind]()
        return {"op": op, "name": new, "kind": kind, **params}
    if op == "convert":
        return {"op": op, "column": draw(name), "to": draw(st.sampled_from(model.CONVERT_TO)),
                "errors": draw(st.sampled_from(model.ERRORS))}
    if op == "rename":
        return {"op": op, "column": draw(name), "to": new}
    if op == "drop":
        return {"op": op, "columns": [draw(name)]}
    if op == "move":
        return {"op": op, "column": draw(name), "to": draw(st.integers(0, len(names) - 1))}
    if op == "edit":
        rows = list(range(len(frame))) if origin is None else list(origin)
        column = draw(name)
        return {"op": op, "row": draw(st.sampled_from(rows or [0])), "column": column,
                "value": draw(st.sampled_from([None, VALUES[kinds[column]]]))}
    if op == "replace":
        return {"op": op, "column": draw(name),
                "values": [[draw(st.sampled_from([1, 0.5, "a", True])),
                            draw(st.sampled_from([None, 2, "b", False]))]]}
    if op == "fill_missing":
        return {"op": op, "column": draw(name), **draw(st.sampled_from(
            [{"method": m} for m in model.FILL_METHODS] + [{"value": 0}, {"value": "z"}]))}
    if op in ("drop_missing", "drop_duplicates"):
        chosen = draw(st.one_of(st.none(), st.lists(name, min_size=1, max_size=2, unique=True)))
        extra = {"how": draw(st.sampled_from(model.HOW))} if op == "drop_missing" else {
            "keep": draw(st.sampled_from(model.KEEP))}
        return {"op": op, **({} if chosen is None else {"columns": chosen}), **extra}
    return {"op": op, "filter": draw(st.sampled_from(["", "f > 0", "f is not null"])),
            "sort": draw(st.sampled_from([[], [[draw(name), "desc"]],
                                          [[draw(name), "asc"], [draw(name), "desc"]]]))}


def assert_unchanged(frame, before):
    pd.testing.assert_frame_equal(frame, before, check_exact=True)
    assert list(frame.columns) == list(before.columns)
    assert frame.index.equals(before.index) and frame.index.name == before.index.name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frame=frames(), data=st.data())
def test_code_gives_what_the_steps_give_and_the_original_is_unchanged(frame, data):
    before = copy.deepcopy(frame)
    history = StepHistory(frame)
    for _ in range(data.draw(st.integers(1, 6))):
        if history.frame.shape[1] == 0:
            break
        step = step_for(data.draw, history.frame, history.state.origin)
        shown = history.frame
        try:
            history.apply(step)
        except BadRequest:
            assert history.frame is shown  # nothing applied
    assert_unchanged(frame, before)
    namespace = {"df": frame}
    exec(history.code(), namespace)  # noqa: S102 - the code under test, on test data
    pd.testing.assert_frame_equal(namespace["df"], history.frame, check_exact=True)
    assert_unchanged(frame, before)
    # Undo all the way gives the original back.
    while history.steps:
        history.undo()
    pd.testing.assert_frame_equal(history.frame, frame)
