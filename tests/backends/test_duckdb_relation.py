"""show(duckdb_relation): DuckDBBackend.from_relation pages, sorts, filters and describes a
relation like the same rows in Polars, runs nothing at construction, uses a cursor per thread
and leaves the user's connection as it found it."""
from __future__ import annotations


import duckdb
import polars as pl
import pytest

from dtale_lite.backends.duckdb import DuckDBBackend
from dtale_lite.backends.polars import PolarsBackend
from dtale_lite.frames.errors import BadRequest, Conflict
from dtale_lite.frames.filters import parse

from .conftest import in_threads, odd_frame

VIEWS = [(None, ()), ("i > 0", ()), (None, ((1, False),)), ('s != "a"', ((0, True), (2, False))),
         ("f is null or t > \"2021-03-01\"", ((3, False),))]


def frame() -> pl.DataFrame:
    return pl.concat([odd_frame().select("i", "f", "s", "t")] * 3)


def windows(backend, text, keys, size=5):
    view = backend.view(None if text is None else parse(text), keys)
    total = view.count().rows
    got = [view.window(start, size, [0, 1, 2, 3]) for start in range(0, total + size, size)]
    close = getattr(view, "close", None)
    if close:
        close()
    return total, got


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect()
    path = tmp_path / "rows.parquet"
    frame().write_parquet(path)
    # A table the relation reads: ORDER BY k gives the relation a fixed order.
    connection.execute("CREATE TABLE rows AS SELECT row_number() OVER () AS k, * "
                       "FROM read_parquet($p)", {"p": str(path)}).fetchall()
    yield connection
    connection.close()


@pytest.mark.parametrize("top_k", [1_000, 0])
@pytest.mark.parametrize("text, keys", VIEWS)
def test_relation_pages_like_polars(con, tmp_path, text, keys, top_k):
    relation = con.sql("SELECT i, f, s, t FROM rows ORDER BY k")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    backend.top_k_rows = top_k  # 0: every sorted page through the order table
    try:
        assert windows(backend, text, keys) == windows(PolarsBackend(frame()), text, keys)
    finally:
        backend.close()


def test_relation_over_a_pandas_frame_on_the_default_connection(tmp_path):
    data = frame().to_pandas()  # noqa: F841 - DuckDB reads it by its name
    relation = duckdb.sql("SELECT * FROM data WHERE i IS NOT NULL")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    try:
        expected = pl.from_pandas(data).filter(pl.col("i").is_not_null())
        assert backend.view().count().rows == expected.height
        assert [c.name for c in backend.columns()] == expected.columns
        keys = ((0, True), (2, True))
        assert windows(backend, None, keys, 3) == windows(PolarsBackend(expected), None, keys, 3)
        assert backend.view().describe(0)["count"] == expected.height
    finally:
        backend.close()


def test_construction_runs_nothing(con, tmp_path):
    """O(1): a relation that fails when run is accepted; only a page runs it."""
    relation = con.sql("SELECT i, error('ran') AS boom FROM rows")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    try:
        assert [c.name for c in backend.columns()] == ["i", "boom"]
        with pytest.raises(duckdb.Error, match="ran"):
            backend.view().window(0, 1, [0, 1])
    finally:
        backend.close()


def test_close_detaches_and_leaves_the_connection_usable(con, tmp_path):
    before = con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    relation = con.sql("SELECT i, s FROM rows ORDER BY k")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    view = backend.view(None, ((1, True),))
    backend.top_k_rows = 0
    view.window(10, 5, [0, 1])  # makes an order table in the attached database
    backend.close()
    backend.close()  # idempotent
    assert con.execute("SELECT database_name FROM duckdb_databases()").fetchall() == before
    assert list((tmp_path / "t").iterdir()) == []
    assert relation.count("*").fetchall()[0][0] == frame().height  # still the user's
    with pytest.raises(Conflict):
        backend.view().window(0, 1, [0])


def test_threads_each_use_their_own_cursor(con, tmp_path):
    relation = con.sql("SELECT i, f, s, t FROM rows ORDER BY k")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    expected = windows(PolarsBackend(frame()), 's != "a"', ((1, True),))
    results, errors = in_threads(lambda: windows(backend, 's != "a"', ((1, True),)))
    backend.close()
    assert not errors and results == [expected] * 12


def test_relation_with_parameters_is_refused(con, tmp_path):
    relation = con.sql("SELECT i FROM rows WHERE i > $x", params={"x": 0})
    with pytest.raises(BadRequest, match="parameters"):
        DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))


def test_injection_payloads_in_a_relation_filter_stay_values(con, tmp_path):
    relation = con.sql("SELECT i, f, s, t FROM rows ORDER BY k")
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    try:
        for payload in ["a'; DROP TABLE rows; --", 'x" OR 1=1 --', "$p0", "%", "_"]:
            text = 's == "' + payload.replace('"', '\\"') + '"'
            assert backend.view(parse(text)).count().rows == \
                frame().filter(pl.col("s") == payload).height
        assert con.execute("SELECT count(*) FROM rows").fetchall()[0][0] == frame().height
    finally:
        backend.close()


def test_a_relations_column_named_like_sql_is_only_a_name(con, tmp_path):
    name = 'a"; DROP TABLE rows; --'
    relation = con.sql(f'SELECT i AS "{name.replace(chr(34), chr(34) * 2)}", s FROM rows '
                       f'ORDER BY k')
    backend = DuckDBBackend.from_relation(relation, temp_directory=str(tmp_path / "t"))
    backend.top_k_rows = 0
    try:
        assert backend.columns()[0].name == name
        view = backend.view(parse("`" + name + "` >= 1"), ((0, False),))
        expected = frame().filter(pl.col("i") >= 1).sort("i", descending=True, maintain_order=True)
        assert view.window(0, 50, [0])[1] == [[v] for v in expected["i"].to_list()]
        view.close()
        assert con.execute("SELECT count(*) FROM rows").fetchall()[0][0] == frame().height
    finally:
        backend.close()
