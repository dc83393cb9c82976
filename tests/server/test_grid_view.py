"""The grid's view back in Python (issue 7): the view route, Instance.view() and .code().

Every code test RUNS the code on the frame and compares its result with ``view()``.
"""
from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtale_lite import BadRequest, FilterError, NotFound
from dtale_lite.hosts.hosted import Hosted

from tests.conftest import KEY, odd_frame, run_view_code, small_frame

HEADERS = {"X-Dtale-Lite-Key": KEY}


@pytest.fixture
def hosted():
    return Hosted(key=KEY)


@pytest.fixture
def http(hosted):
    return hosted.app.test_client()


def report(http, frame, **view):
    return http.post(f"/api/frames/{frame}/view", json=view, headers=HEADERS)


def expected_view(frame, mask=None, by=None, ascending=True, columns=None):
    """What the grid shows, written with plain pandas by hand."""
    out = frame if mask is None else frame[mask]
    if by:
        out = out.sort_values(by, ascending=ascending, kind="stable", na_position="last")
    return out if columns is None else out[columns]


# -- the route -------------------------------------------------------------------------------
def test_a_reported_view_is_stored_and_read_back(hosted, http):
    inst = hosted.show(small_frame(), "small")
    assert http.get("/api/frames/small/view", headers=HEADERS).get_json()["view"] is None
    assert inst.grid_view is None
    body = report(http, "small", filter="f1 > 0", sort=[["s_lo", "desc"]], columns=["f1", "id"],
                  page="tab-1", seq=1).get_json()
    assert body["ok"] and body["stored"]
    got = http.get("/api/frames/small/view", headers=HEADERS).get_json()["view"]
    assert {k: got[k] for k in ("filter", "sort", "columns", "page", "seq")} == {
        "filter": "f1 > 0", "sort": [["s_lo", "desc"]], "columns": ["f1", "id"],
        "page": "tab-1", "seq": 1}
    assert inst.grid_view["filter"] == "f1 > 0"


@pytest.mark.parametrize("body, status, message", [
    ('"f1 > 0"', 400, "must be a JSON object"),
    ("not json", 400, "must be a JSON object"),
    (json.dumps({"filter": 3}), 400, "'filter' must be text"),
    (json.dumps({"filter": "f1 >"}), 400, "expected a value"),
    (json.dumps({"filter": "nope > 1"}), 400, "unknown column 'nope'"),
    (json.dumps({"filter": "s_lo > 1"}), 400, "cannot be compared with 1"),
    (json.dumps({"sort": [["nope", "asc"]]}), 400, "sort: unknown column 'nope'"),
    (json.dumps({"sort": [["f1", "up"]]}), 400, "each sort item must be"),
    (json.dumps({"sort": "f1"}), 400, "must be a JSON list"),
    # A falsy wrong value is still wrong (was read as no sort / no filter; found by the fuzzer)
    (json.dumps({"sort": {}}), 400, "must be a JSON list"),
    (json.dumps({"sort": ""}), 400, "must be a JSON list"),
    (json.dumps({"filter": False}), 400, "'filter' must be text"),
    (json.dumps({"filter": []}), 400, "'filter' must be text"),
    (json.dumps({"columns": ["id", "nope"]}), 400, "columns: unknown column 'nope'"),
    (json.dumps({"columns": "id"}), 400, "must be a JSON list of column names"),
    (json.dumps({"page": 7}), 400, "'page' must be a page id"),
    (json.dumps({"seq": -1}), 400, "'seq' must be a whole number"),
    (json.dumps({"rows": 5}), 400, "unknown field 'rows'"),
])
def test_a_malformed_view_is_a_400_and_changes_nothing(hosted, http, body, status, message):
    hosted.show(small_frame(), "small")
    assert report(http, "small", filter="id < 5").status_code == 200
    response = http.post("/api/frames/small/view", data=body, headers=HEADERS,
                         content_type="application/json")
    error = response.get_json()
    assert response.status_code == status
    assert error["ok"] is False and error["status"] == status and message in error["error"]
    assert http.get("/api/frames/small/view", headers=HEADERS).get_json()["view"]["filter"] == \
        "id < 5"


def test_view_routes_answer_404_for_an_unknown_frame(http):
    for response in (http.get("/api/frames/9/view", headers=HEADERS), report(http, "9")):
        assert response.status_code == 404 and response.get_json()["status"] == 404


def test_the_last_report_wins_but_one_page_never_goes_back(hosted, http):
    inst = hosted.show(small_frame(), "small")
    report(http, "small", filter="id < 10", page="a", seq=2)
    report(http, "small", filter="id < 20", page="b", seq=1)  # another tab: it wins
    assert inst.grid_view["filter"] == "id < 20"
    late = report(http, "small", filter="id < 30", page="b", seq=1).get_json()  # b's old one
    assert late["stored"] is False and inst.grid_view["filter"] == "id < 20"
    report(http, "small", filter="id < 40", page="b", seq=2)
    assert len(inst.view()) == 40


def test_an_empty_report_is_the_whole_frame(hosted, http):
    inst = hosted.show(small_frame(), "small")
    report(http, "small", filter="id < 10")
    assert http.post("/api/frames/small/view", headers=HEADERS).status_code == 200
    pd.testing.assert_frame_equal(inst.view(), small_frame())


def test_update_keeps_the_view_for_the_same_columns_and_drops_it_for_others(hosted, http):
    inst = hosted.show(small_frame(), "small")
    report(http, "small", filter="id < 10", sort=[["id", "desc"]])
    inst.update(small_frame(300, seed=1))
    assert list(inst.view()["id"]) == list(range(9, -1, -1))
    inst.update(small_frame().rename(columns={"id": "ident"}))
    assert inst.grid_view is None and len(inst.view()) == 200
    report(http, "small", filter="ident < 3")
    inst.update(small_frame().rename(columns={"id": "ident"}).astype({"ident": str}))
    assert inst.grid_view is None  # same name, another kind: "ident < 3" no longer fits


def test_a_killed_frame_has_no_view(hosted, http):
    inst = hosted.show(small_frame(), "small")
    report(http, "small", filter="id < 10")
    inst.kill()
    with pytest.raises(NotFound):
        inst.view()
    assert http.get("/api/frames/small/view", headers=HEADERS).status_code == 404


# -- view() and code() -----------------------------------------------------------------------
SMALL = small_frame()
SMALL_VIEWS = [
    ({}, expected_view(SMALL)),
    ({"filter": "f1 > 0"}, expected_view(SMALL, SMALL.f1 > 0)),
    ({"filter": "f1 != 0.5"}, expected_view(SMALL, SMALL.f1 != 0.5)),  # keeps NaN rows
    ({"sort": [["f1", "desc"]]}, expected_view(SMALL, by="f1", ascending=False)),
    ({"sort": [["s_lo", "asc"], ["f1", "desc"]]},
     expected_view(SMALL, by=["s_lo", "f1"], ascending=[True, False])),
    ({"filter": 'cat in ["region_1", "region_3"] and flag == false', "sort": [["ts", "desc"]],
      "columns": ["ts", "cat", "id"]},
     expected_view(SMALL, SMALL.cat.isin(["region_1", "region_3"]) & ~SMALL.flag, "ts", False,
                   ["ts", "cat", "id"])),
    ({"filter": 's_lo startswith "cat_0" and s_lo != "cat_02" or s_lo is null'},
     expected_view(SMALL, (SMALL.s_lo.str.startswith("cat_0").fillna(False)
                           & (SMALL.s_lo != "cat_02")) | SMALL.s_lo.isna())),
    ({"filter": 'ts >= "2021-06-01" and i_small not in [1, 2, 3]', "columns": ["i_small"]},
     expected_view(SMALL, (SMALL.ts >= "2021-06-01") & ~SMALL.i_small.isin([1, 2, 3]),
                   columns=["i_small"])),
    ({"filter": "id > 1000"}, expected_view(SMALL, SMALL.id > 1000)),  # no rows at all
    ({"columns": ["flag", "id"], "sort": [["flag", "asc"]]},
     expected_view(SMALL, by="flag", columns=["flag", "id"])),
]


@pytest.mark.parametrize("view, expected", SMALL_VIEWS)
def test_view_is_what_the_grid_shows_and_code_derives_it(hosted, http, view, expected):
    inst = hosted.show(SMALL, "small")
    assert report(http, "small", **view).status_code == 200
    pd.testing.assert_frame_equal(inst.view(), expected)
    pd.testing.assert_frame_equal(run_view_code(inst.code(), SMALL), expected)
    # ... and the rows route, which the page itself reads, shows the same rows in that order.
    params = {"limit": 10_000, "filter": view.get("filter", ""),
              "sort": json.dumps(view.get("sort", []))}
    rows = http.get("/api/frames/small/rows", query_string=params, headers=HEADERS).get_json()
    assert rows["total"] == len(expected) and rows["index"] == list(expected.index)


ODD = odd_frame()
ODD_VIEWS = [
    {"filter": "nullable_int != 3"},  # <NA> passes '!=' as NaN does
    {"filter": "nullable_int in [1, null]", "sort": [["nullable_int", "desc"]]},
    {"filter": "nullable_bool == true or nullable_bool is null"},
    {"filter": 'cat != "a"'},  # the missing category passes '!='
    {"filter": 'cat < "b"', "sort": [["cat", "desc"]]},  # unordered categories compare by value
    {"filter": 'cat not in ["b", null]'},
    {"filter": 'cat contains "a"'},
    {"filter": 'mixed == "two" or mixed > 2'},
    {"filter": 'mixed in ["two", 1, null]', "sort": [["mixed", "asc"]]},
    {"filter": 'mixed contains "o" or decimal < 0'},
    {"filter": 'nat < "2021-03-15"', "sort": [["nat", "desc"], ["nan_inf", "asc"]]},
    {"filter": 'tz >= "2021-01-01 10:00"'},  # a naive date is read in the column's zone
    {"filter": 'td > "2 seconds"', "sort": [["td", "desc"]]},
    {"filter": "nan_inf > 0", "sort": [["nan_inf", "desc"]], "columns": ["nan_inf", "nat"]},
    {"sort": [["decimal", "asc"]], "columns": ["decimal", "huge"]},
    {"filter": 'huge == ""'},
]


@pytest.mark.parametrize("view", ODD_VIEWS)
def test_code_on_odd_data_gives_exactly_the_view(hosted, http, view):
    inst = hosted.show(ODD, "odd")
    assert report(http, "odd", **view).status_code == 200, view
    got = inst.view()
    pd.testing.assert_frame_equal(run_view_code(inst.code(), ODD), got)
    mask = http.get("/api/frames/odd/rows", query_string={"filter": view.get("filter", ""),
                    "sort": json.dumps(view.get("sort", []))}, headers=HEADERS).get_json()
    assert [str(i) for i in got.index] == [str(i) for i in mask["index"]]


LABELS = pd.DataFrame([[3, "b", 1.0, 4], [1, "a", np.nan, 5], [2, "c", 0.5, 6]],
                      columns=pd.Index(["a", "a", np.int64(7), np.nan], dtype=object),
                      index=["x", "y", "x"])
MULTI = pd.DataFrame([[1, 2.5], [3, np.nan]], columns=pd.MultiIndex.from_tuples(
    [("p", "x"), ("p", "y")]))


@pytest.mark.parametrize("view", [
    {"filter": "`a (2)` != \"a\"", "sort": [["a", "asc"]], "columns": ["7", "a (2)"]},
    {"sort": [["a (2)", "desc"], ["7", "asc"]]},
    {"filter": "`7` > 0.7 or a > 2", "columns": ["a", "7"]},
])
def test_duplicate_and_number_labels_and_a_repeated_index(hosted, http, view):
    inst = hosted.show(LABELS, "labels")
    assert report(http, "labels", **view).status_code == 200
    pd.testing.assert_frame_equal(run_view_code(inst.code(), LABELS), inst.view())
    assert "df[7]" in inst.code(filter="`7` > 0.7") and ".iloc[:, 3]" in inst.code(sort="nan")


def test_multiindex_columns_are_read_by_their_tuples(hosted):
    inst = hosted.show(MULTI, "multi")
    code = inst.code(filter="`p / y` is not null", sort=[("p / x", "desc")])
    assert "df[('p', 'y')]" in code
    pd.testing.assert_frame_equal(run_view_code(code, MULTI), MULTI.iloc[[0]])


def test_a_shown_series_is_a_one_column_view(hosted, http):
    series = pd.Series([3.0, np.nan, 1.0, 2.0], name="price")
    inst = hosted.show(series, "s")
    report(http, "s", filter="price > 1", sort=[["price", "asc"]])
    expected = series.to_frame().iloc[[3, 0]]
    pd.testing.assert_frame_equal(inst.view(), expected)
    pd.testing.assert_frame_equal(run_view_code(inst.code(), series), expected)


def test_without_a_report_view_is_the_whole_frame_and_code_is_df(hosted):
    inst = hosted.show(SMALL, "small")
    pd.testing.assert_frame_equal(inst.view(), SMALL)
    assert inst.code().rstrip().endswith("view = df")
    view = inst.view()
    view.iloc[0, 0] = -1  # the result is the user's to change: the shown frame stays
    assert SMALL.iloc[0, 0] == 0


def test_overrides_replace_parts_of_the_reported_view(hosted, http):
    inst = hosted.show(SMALL, "small")
    report(http, "small", filter="id < 50", sort=[["f1", "asc"]], columns=["f1", "id"])
    got = inst.view(sort=[("id", "desc")])
    pd.testing.assert_frame_equal(got, expected_view(SMALL, SMALL.id < 50, "id", False,
                                                     ["f1", "id"]))
    pd.testing.assert_frame_equal(inst.view(filter="", sort="id", columns=["id"]),
                                  SMALL[["id"]])
    pd.testing.assert_frame_equal(run_view_code(inst.code(sort=[]), SMALL),
                                  expected_view(SMALL, SMALL.id < 50, columns=["f1", "id"]))
    assert inst.grid_view["sort"] == [["f1", "asc"]]  # overrides never change the stored view


@pytest.mark.parametrize("override, error", [
    ({"filter": "f1 >"}, FilterError),
    ({"filter": "s_lo > 1"}, FilterError),
    ({"sort": ["nope"]}, BadRequest),
    ({"sort": [("id", "down")]}, BadRequest),
    ({"columns": ["id", "nope"]}, BadRequest),
])
def test_bad_overrides_raise_value_errors(hosted, override, error):
    inst = hosted.show(SMALL, "small")
    with pytest.raises(error):
        inst.view(**override)
    with pytest.raises(ValueError):
        inst.code(**override)


# -- the property: for any view of odd data, the code gives exactly view() -------------------
POOLS = {
    "f": ([np.nan, 0.5, -1.0, 2.0, np.inf, 0.5], "float64"),
    "i": ([0, 1, 2, -3, 1], "int64"),
    "s": (["a", "b", "ab", None, "", "b"], "str"),
    "c": (["x", "y", "z", None], "category:z,x,y"),
    "t": (["2021-01-01", "2021-06-01", None, "2021-06-01"], "datetime64[ns]"),
    "b": ([True, False], "bool"),
    "o": ([1, "two", 3.5, None, True, "1", "b"], "object"),
    "n": ([1, None, 2, 1], "Int64"),
    "a": (["a", None, "b"], "string[pyarrow]"),
    "z": (["2021-01-01 10:00", None, "2021-01-01 12:00"], "datetime64[ns, Europe/Paris]"),
    "d": (["1s", "2s", None, "2s"], "timedelta64[ns]"),
}
NUMBERS = ["0", "0.5", "1", "-1", "2"]
LITERALS = {"f": NUMBERS, "i": NUMBERS, "n": NUMBERS, "s": ['"a"', '"b"', '""', '"ab"'],
            "c": ['"x"', '"y"', '"z"'], "t": ['"2021-01-01"', '"2021-03-01"', '"2021-06-01"'],
            "b": ["true", "false"], "o": ['"two"', '"1"', "1", "3.5", "true", '"b"'],
            "a": ['"a"', '"b"'], "d": ['"1 second"', '"2s"'],
            "z": ['"2021-01-01 10:00"', '"2021-01-01 11:00+00:00"', '"2021-01-01 12:30"']}
OPS = ["==", "!=", "<", "<=", ">", ">="]


@st.composite
def predicates(draw):
    column = draw(st.sampled_from(sorted(POOLS)))
    literals = LITERALS[column]
    form = draw(st.sampled_from(["compare", "in", "null", "match"]))
    if form == "null":
        return f"{column} is {draw(st.sampled_from(['null', 'not null']))}"
    if form == "in":
        values = draw(st.lists(st.sampled_from(literals + ["null"]), max_size=3))
        return f"{column} {draw(st.sampled_from(['in', 'not in']))} [{', '.join(values)}]"
    if form == "match" and column in ("s", "c", "o", "a"):
        op = draw(st.sampled_from(["contains", "startswith", "endswith"]))
        text = draw(st.sampled_from(['"a"', '"b"', '"w"', '"1"']))
        return f"{column} {op} {text}"
    op = draw(st.sampled_from(OPS))
    return f"{column} {op} {draw(st.sampled_from(literals))}"


filters = st.recursive(
    predicates(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        inner.map(lambda f: f"not ({f})")),
    max_leaves=4)


@st.composite
def odd_frames(draw):
    n = draw(st.integers(0, 12))
    data = {}
    for name, (pool, dtype) in POOLS.items():
        values = pd.Series(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)),
                           dtype=object)
        if dtype.startswith("datetime64[ns, "):
            values = pd.to_datetime(values).dt.tz_localize(dtype[len("datetime64[ns, "):-1])
        elif dtype.startswith("timedelta"):
            values = pd.to_timedelta(values)
        if dtype.startswith("category:"):
            dtype = pd.CategoricalDtype(dtype[len("category:"):].split(","))
        data[name] = values if dtype == "object" else values.astype(dtype)
    # Repeated index labels: the code's boolean masks must line up by position all the same.
    index = draw(st.lists(st.sampled_from(["r0", "r1", "r2"]), min_size=n, max_size=n))
    return pd.DataFrame(data).set_axis(pd.Index(index, dtype=object))


PROPERTY_HOST = Hosted(key=KEY)  # one app for every example (building one costs ~25 ms)


# GRID_VIEW_EXAMPLES=3000 runs a longer hunt (3,000 examples passed when this was written).
@settings(max_examples=int(os.environ.get("GRID_VIEW_EXAMPLES", 100)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(frame=odd_frames(), text=st.one_of(st.just(""), filters),
       sort=st.lists(st.tuples(st.sampled_from(sorted(POOLS)), st.sampled_from(["asc", "desc"])),
                     max_size=3, unique_by=lambda p: p[0]),
       columns=st.one_of(st.none(), st.permutations(sorted(POOLS)).flatmap(
           lambda names: st.integers(1, len(names)).map(lambda k: names[:k]))))
def test_code_gives_exactly_view_for_any_filter_sort_and_columns(frame, text, sort, columns):
    inst = PROPERTY_HOST.show(frame, "prop")  # replaces the last example's frame
    got = inst.view(filter=text, sort=sort, columns=columns)
    code = inst.code(filter=text, sort=sort, columns=columns)
    pd.testing.assert_frame_equal(run_view_code(code, frame), got, obj=code)
    assert list(got.columns) == (columns or list(frame.columns))
