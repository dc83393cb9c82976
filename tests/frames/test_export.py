import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.frames.errors import BadRequest
from dtale_lite.frames.export import FORMATS, export_chunks

FORMAT_NAMES = ["csv", "tsv", "json", "parquet"]


def tricky_frame() -> pd.DataFrame:
    frame = pd.DataFrame({
        "a": [1, 2, 3, 4, 5],
        "b": [0.5, np.nan, -1.25, 1e-300, 2.0],
        "c": pd.Series(["plain", 'comma, "quote"', "new\nline", None, "ünïcødé ✓"], dtype="str"),
        "d": pd.to_datetime(["2020-01-01 10:00", None, "2021-06-01 00:00", "1999-12-31 23:59",
                             "2020-03-01 12:30"]).tz_localize("Europe/Paris"),
        "e": pd.to_datetime(["2020-01-01", "2020-01-02", None, "2020-01-04", "2020-01-05"]),
        "f": [True, False, True, True, False],
    })
    # Duplicated and non-string labels: the export must reach columns by position.
    frame.columns = ["a", 7, "a", "d", "e", 7]
    return frame


ROWS = np.array([4, 0, 2, 1], dtype=np.int64)
COLUMNS = [2, 0, 1, 3, 4, 5]
NAMES = ["a (2)", "a", "7", "d", "e", "7 (2)"]


def expected_view(frame, rows, columns, names):
    view = frame.iloc[rows if rows is not None else slice(None), columns]
    view.columns = names
    return view.reset_index(drop=True)


def export(frame, rows, columns, names, fmt, **kwargs) -> bytes:
    return b"".join(export_chunks(frame, rows, columns, names, fmt, **kwargs))


def read_back(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data))
    if fmt == "tsv":
        return pd.read_csv(io.BytesIO(data), sep="\t")
    if fmt == "json":
        return pd.DataFrame(json.loads(data))
    return pd.read_parquet(io.BytesIO(data))


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Values in comparable text form: each reader types columns its own way."""
    out = {}
    for name in frame.columns:
        column = frame[name]
        if ptypes_is_datetime(column):
            column = pd.to_datetime(column, utc=True, format="ISO8601")
        out[name] = [None if pd.isna(v) else str(v) for v in column.astype(object)]
    return pd.DataFrame(out)


def ptypes_is_datetime(column: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return True
    texts = column.dropna()
    return len(texts) > 0 and texts.map(lambda v: isinstance(v, str) and
                                        v[:4].isdigit() and v[4:5] == "-").all()


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("chunk_rows", [1, 3, 1000])
def test_round_trip(fmt, chunk_rows):
    frame = tricky_frame()
    data = export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=chunk_rows)
    got = read_back(data, fmt)
    assert list(got.columns) == NAMES
    pd.testing.assert_frame_equal(normalise(got), normalise(expected_view(frame, ROWS, COLUMNS,
                                                                          NAMES)))


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_parquet_and_json_keep_values_exactly(fmt):
    frame = tricky_frame()
    got = read_back(export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=3), fmt)
    expected = expected_view(frame, ROWS, COLUMNS, NAMES)
    assert got["7"].tolist()[0] == 2.0 and pd.isna(got["7"].tolist()[3])
    assert got["7"].tolist()[1] == 0.5
    if fmt == "parquet":
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    else:
        assert got["d"].tolist()[0] == "2020-03-01T12:30:00+01:00"
        assert got["a (2)"].tolist()[3] == "comma, \"quote\""


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_chunk_size_does_not_change_the_file_contents(fmt):
    frame = tricky_frame()
    small = read_back(export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=3), fmt)
    large = read_back(export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=1000), fmt)
    pd.testing.assert_frame_equal(small, large)
    if fmt != "parquet":  # parquet differs only in its row groups
        assert export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=3) == \
            export(frame, ROWS, COLUMNS, NAMES, fmt, chunk_rows=1000)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_all_rows_in_order_when_rows_is_none(fmt):
    frame = tricky_frame()
    got = read_back(export(frame, None, [0, 1], ["a", "7"], fmt, chunk_rows=2), fmt)
    assert got["a"].tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_empty_view_is_a_valid_file(fmt):
    frame = tricky_frame()
    data = export(frame, np.array([], dtype=np.int64), COLUMNS, NAMES, fmt)
    if fmt == "json":
        assert json.loads(data) == []
        return
    got = read_back(data, fmt)
    assert len(got) == 0 and list(got.columns) == NAMES


def test_parquet_of_empty_view_keeps_the_schema():
    got = read_back(export(tricky_frame().iloc[:0], None, COLUMNS, NAMES, "parquet"), "parquet")
    assert str(got["d"].dtype) == str(tricky_frame()["d"].dtype)  # zone and unit kept
    assert got["7"].dtype == np.float64


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("index, expected_name, expected_values", [
    (pd.RangeIndex(3), None, None),
    (pd.RangeIndex(10, 13), "index", [10, 11, 12]),
    (pd.Index(["x", "y", "z"], name="key"), "key", ["x", "y", "z"]),
    (pd.Index(["x", "y", "z"], name="v"), "v (2)", ["x", "y", "z"]),  # clashes with a column
])
def test_index_is_written_only_when_it_is_not_the_default(fmt, index, expected_name,
                                                          expected_values):
    frame = pd.DataFrame({"v": [1, 2, 3]}, index=index)
    got = read_back(export(frame, None, [0], ["v"], fmt, chunk_rows=2), fmt)
    if expected_name is None:
        assert list(got.columns) == ["v"]
    else:
        assert list(got.columns) == [expected_name, "v"]
        assert got[expected_name].tolist() == expected_values


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_mixed_and_nested_objects_do_not_crash(fmt):
    frame = pd.DataFrame({"o": [1, "x", [1, 2], {"k": None}, None, 2.5],
                          "n": [None] * 6, "i": [1, None, 3, 4, 5, 6]})
    frame["i"] = frame["i"].astype(object)
    got = read_back(export(frame, None, [0, 1, 2], ["o", "n", "i"], fmt, chunk_rows=4), fmt)
    assert len(got) == 6
    assert [str(v) for v in got["o"].tolist()[:3]] == ["1", "x", "[1, 2]"]


def test_json_values_follow_the_api_rules():
    frame = pd.DataFrame({"f": [np.inf, -np.inf, np.nan], "t": pd.to_timedelta([1, None, 2],
                                                                             unit="D")})
    rows = json.loads(export(frame, None, [0, 1], ["f", "t"], "json"))
    assert [r["f"] for r in rows] == ["inf", "-inf", None]
    assert rows[0]["t"] == "P1DT0H0M0S" and rows[1]["t"] is None


@pytest.mark.parametrize("fmt", ["xlsx", "", "CSV", "../csv"])
def test_unknown_format_names_the_allowed_ones(fmt):
    with pytest.raises(BadRequest) as error:
        export_chunks(tricky_frame(), None, [0], ["a"], fmt)  # raised before any iteration
    assert all(name in error.value.message for name in FORMATS)


@pytest.mark.parametrize("rows, columns, names", [
    (np.array([0, 5]), [0], ["a"]),
    (np.array([-1]), [0], ["a"]),
    (None, [6], ["x"]),
    (None, [0, 1], ["a"]),
    (None, [0, 1], ["a", "a"]),
])
def test_bad_views_are_rejected_up_front(rows, columns, names):
    with pytest.raises(BadRequest):
        export_chunks(tricky_frame(), rows, columns, names, "csv")


def test_formats_table():
    assert set(FORMATS) == set(FORMAT_NAMES)
    assert all(mime and ext == fmt for fmt, (mime, ext) in FORMATS.items())


class CountsFormatting:
    """A value that counts how often it is turned into text."""

    calls = 0

    def __str__(self):
        CountsFormatting.calls += 1
        return "counted"

    __repr__ = __str__


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_export_is_lazy(fmt):
    # 200 chunks of 50 rows; taking the first chunk must format only about one chunk.
    frame = pd.DataFrame({"o": [CountsFormatting() for _ in range(10_000)],
                          "x": np.arange(10_000)})
    CountsFormatting.calls = 0
    chunks = export_chunks(frame, None, [0, 1], ["o", "x"], fmt, chunk_rows=50)
    assert CountsFormatting.calls == 0
    next(chunks)
    if fmt == "json":
        next(chunks)  # the first piece is the opening bracket
    assert 0 < CountsFormatting.calls <= 2 * 50
    rest = b"".join(chunks)
    assert CountsFormatting.calls >= 10_000
    assert len(rest) > 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 19), max_size=30), st.integers(1, 7),
       st.sampled_from(FORMAT_NAMES))
def test_any_row_order_and_chunking_round_trips(rows, chunk_rows, fmt):
    frame = pd.DataFrame({"n": np.arange(20) * 10, "s": [f"s{i}" for i in range(20)]})
    positions = np.array(rows, dtype=np.int64)
    got = read_back(export(frame, positions, [1, 0], ["s", "n"], fmt, chunk_rows=chunk_rows),
                    fmt)
    if not rows:
        assert len(got) == 0
        return
    assert got["n"].tolist() == [r * 10 for r in rows]
    assert got["s"].tolist() == [f"s{r}" for r in rows]


def test_csv_style():
    frame = tricky_frame()
    lines = export(frame, ROWS, COLUMNS, NAMES, "csv", chunk_rows=3).decode().split("\n")
    assert lines[0] == '"a (2)","a","7","d","e","7 (2)"'
    # Strings quoted, booleans true/false, tz-aware times local with their offset, a column of
    # midnights as dates, missing values empty.
    assert lines[1] == '"ünïcødé ✓",5,2,2020-03-01 12:30:00+0100,2020-01-05,false'
    assert lines[-2] == '"comma, ""quote""",2,,,2020-01-02,false'
    assert lines[-1] == ""


@pytest.mark.parametrize("values, expected", [
    (pd.to_datetime(["2020-01-01 10:00", None]), "2020-01-01 10:00:00"),
    (pd.to_datetime(["2020-01-01 10:00:00.5", None]), "2020-01-01 10:00:00.500"),
    (pd.to_datetime(["2020-01-01 10:00:00.000001", None]).as_unit("ns"),
     "2020-01-01 10:00:00.000001"),
    (pd.to_datetime(["2020-01-01", None]).as_unit("ns"), "2020-01-01"),
    (pd.to_datetime(["2020-01-01", None]).tz_localize("UTC"), "2020-01-01 00:00:00Z"),
    (pd.to_timedelta(["1 days 10:00:00", None]), '"1 days 10:00:00"'),
    (pd.Categorical(["x", None]), '"x"'),
    (pd.Categorical([3, None]), "3"),
    (pd.array([3, None], dtype="Int64"), "3"),
    (pd.array([True, None], dtype="boolean"), "true"),
    ([__import__("decimal").Decimal("1.10"), None], '"1.10"'),
    ([2**70, None], f'"{2**70}"'),
    ([1 + 2j, None], '"(1+2j)"'),
    (pd.period_range("2020-01", periods=2, freq="M"), '"2020-01"'),
])
def test_csv_writes_each_kind_of_column_readably(values, expected):
    frame = pd.DataFrame({"x": values})
    lines = export(frame, None, [0], ["x"], "csv").decode().split("\n")
    assert lines[1] == expected
    if frame["x"].dtype.kind != "c" and "period" not in str(frame["x"].dtype):
        assert lines[2] == ""  # missing is an empty field (complex None is nan+0j, a value)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_csv_style_is_decided_for_the_whole_column(fmt):
    # Chunk 1 holds only midnights / whole numbers; chunk 2 does not. Both chunks must be written
    # the same way, or a reader would see two formats in one column.
    frame = pd.DataFrame({"t": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03 10:00"],
                                              format="ISO8601"),
                          "o": [1, 2, "x"]})
    data = export(frame, None, [0, 1], ["t", "o"], fmt, chunk_rows=2)
    if fmt == "csv":
        assert data.decode().split("\n")[1] == '2020-01-01 00:00:00,"1"'
    got = read_back(data, fmt)
    assert pd.to_datetime(got["t"], format="ISO8601").tolist() == frame["t"].tolist()
    assert [str(v) for v in got["o"]] == ["1", "2", "x"]


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_long_strings_are_exported_whole(fmt):
    # The API cuts strings for the page; an export must not.
    long = "x" * 50_000
    frame = pd.DataFrame({"s": [long, None], "o": [[long], None]})
    got = read_back(export(frame, None, [0, 1], ["s", "o"], fmt), fmt)
    assert got["s"].tolist()[0] == long
    assert got["o"].tolist()[0] == repr([long])


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_ints_beyond_int64_and_complex_numbers_do_not_crash(fmt):
    frame = pd.DataFrame({"big": [2**70, 1, None], "c": [1 + 2j, 3j, 0j]})
    got = read_back(export(frame, None, [0, 1], ["big", "c"], fmt), fmt)
    assert [str(v) for v in got["big"].tolist()[:2]] == [str(2**70), "1"]
    assert [str(v) for v in got["c"]] == ["(1+2j)", "3j", "0j"]
