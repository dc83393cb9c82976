"""The filter language compiled to Polars expressions and to SQL means what the numpy masks
mean (dtale_lite.frames.filters, the reference), and no filter text ever reaches SQL as code."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.frames.errors import FilterError
from dtale_lite.frames.filter_syntax import Compare, Column, In, Literal, StringMatch
from dtale_lite.frames.filters import parse
from dtale_lite.backends.duckdb.sql import SqlColumn, compile_where, quote_identifier
from dtale_lite.frames.source import PandasSource

from .conftest import ENGINES, INJECTION_COLUMN, odd_frame

FILTERS = [
    "i > 1", "i >= 1", "i == 1", "i != 1", "i < 0", "i <= 2.5", "i == 1.0", "i in [1, 3]",
    "i not in [1, 3]", "i in [1, null]", "i not in [null]", "i in []", "i not in []",
    "i is null", "i is not null", "i == null", "i != null",
    "f > 0", "f < 0", "f == 1.5", "f != 1.5", "f >= -1e308", "f in [1.5, 0]", "f is null",
    "f is not null", "f > 1e300 or f < -1e300", "f == 0",
    's == "a"', 's != "a"', 's > "a"', 's <= "b"', 's in ["a", "b", null]', 's not in ["a"]',
    's contains "a"', 's startswith "a"', 's endswith "b"', 's contains ""', 's contains "%"',
    's contains "_"', 's == "a_b"', 's contains "\\\\"', 's == "back\\\\slash"',
    's contains "\'; DROP TABLE x; --"', 's == "a\'; DROP TABLE x; --"', 's contains "🎉"',
    's startswith "über"', 's contains "%%"', 's contains "a%"', 's is null',
    't > "2021-01-01"', 't >= "2021-01-01"', 't == "2021-01-01"', 't != "2021-01-01"',
    't < "2021-06-01 12:00"', 't in ["2021-01-01", "2022-01-01"]', 't is null',
    "b == true", "b != true", "b == false", "b in [false]",
    'c == "x"', 'c != "x"', 'c in ["y", "z"]', 'c not in ["y", null]', 'c > "x"',
    'c contains "y"', "c is null",
    "`" + INJECTION_COLUMN + "` > 4", "`" + INJECTION_COLUMN + "` in [1, 8]",
    '`quo"te\'d ``name``` == "q"', '`quo"te\'d ``name``` != "q"',
    "not (i > 1 and f > 0)", "i > 1 or s contains \"a\"", "not i is null and not f is null",
    '(s == "a" or s == "b") and not (i == 1)',
]

BAD = [
    "nope > 1", 'i > "a"', "s > 1", "t > 5", 't > "not a date"', 's > true', 'b == 1',
    'i contains "a"', "f startswith \"1\"", 't contains "2021"',
]


def reference_rows(frame, text: str) -> list[int]:
    source = PandasSource(frame.to_pandas())
    mask = source.filter_mask(parse(text))
    return np.flatnonzero(mask).tolist()


def view_rows(backend, node) -> list[int]:
    view = backend.view(node)
    labels, _ = view.window(0, 1000, [])
    assert view.count().rows == len(labels)
    return labels


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", FILTERS)
def test_filter_matches_pandas(odd, engine, text):
    assert view_rows(odd[engine], parse(text)) == reference_rows(odd_frame(), text)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", BAD)
def test_bad_filter_is_a_filter_error_as_in_pandas(odd, engine, text):
    with pytest.raises(FilterError) as expected:
        reference_rows(odd_frame(), text)
    backend = odd[engine]
    with pytest.raises(FilterError) as got:
        backend.view(parse(text)).count()
    assert got.value.status == 400
    assert got.value.message == expected.value.message


PAYLOADS = [
    "'", '"', "';", "'; DROP TABLE x; --", '"; DROP TABLE x; --', "%", "_", "%_%", "\\",
    "\\'", "' OR '1'='1", "a' || (SELECT 1) || '", "$p0", "?", ":name", "x); DELETE FROM x; --",
    "\u202e", "日本語", "🎉", "\t\n", "NULL", "' UNION SELECT * FROM x --",
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_are_plain_values(odd, engine, payload):
    """Payloads as values, built as nodes so no escaping of ours is involved, match exactly what
    pandas matches, and the table they aim at is untouched."""
    frame = odd_frame()
    backend = odd[engine]
    if engine == "duckdb":
        backend.cursor().execute("CREATE OR REPLACE TABLE x AS SELECT 42 AS answer")
    source = PandasSource(frame.to_pandas())
    for node in (Compare(Column("s"), "==", Literal(payload)),
                 Compare(Column("s"), ">", Literal(payload)),
                 In(Column("s"), (Literal(payload), Literal("a"))),
                 StringMatch(Column("s"), "contains", Literal(payload)),
                 StringMatch(Column("s"), "startswith", Literal(payload)),
                 StringMatch(Column(INJECTION_COLUMN.replace("a", payload, 1)), "contains",
                             Literal(payload))):
        try:
            expected = np.flatnonzero(source.filter_mask(node)).tolist()
        except FilterError as error:
            with pytest.raises(FilterError) as got:
                backend.view(node).count()
            assert got.value.message == error.message
            continue
        assert view_rows(backend, node) == expected
    if engine == "duckdb":
        assert backend.cursor().execute("SELECT answer FROM x").fetchall() == [(42,)]


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_injection_column_name_is_a_column(odd, engine):
    """A column literally named like SQL reads as that column, in filters, sorts and pages."""
    frame = odd_frame()
    backend = odd[engine]
    position = frame.columns.index(INJECTION_COLUMN)
    assert backend.columns()[position].name == INJECTION_COLUMN
    view = backend.view(parse("`" + INJECTION_COLUMN + "` >= 7"), ((position, False),))
    assert view.window(0, 10, [position]) == ([7, 6], [[8], [7]])


@given(value=st.text(max_size=30), name=st.text(min_size=1, max_size=20).filter(
    lambda n: "\x00" not in n))
@settings(max_examples=100, deadline=None)
def test_sql_text_never_depends_on_a_value(value, name):
    """The SQL of a predicate is the same text whatever the value: values only ever travel as
    bound parameters, and a column name only as one quoted identifier."""
    def resolve(wanted):
        return SqlColumn(quote_identifier(wanted), "string") if wanted == name else None

    for make in (lambda v: Compare(Column(name), "<=", Literal(v)),
                 lambda v: In(Column(name), (Literal(v), Literal(v)), negated=True),
                 lambda v: StringMatch(Column(name), "endswith", Literal(v))):
        sql, params = compile_where(make(value), resolve)
        plain, _ = compile_where(make("plain"), resolve)
        assert sql == plain
        assert set(params.values()) == {value}
        assert sql.count(quote_identifier(name)) >= 1
