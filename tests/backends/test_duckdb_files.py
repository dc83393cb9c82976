"""DuckDB over a directory or glob of Parquet files and over CSV: rows keep their file order
across file boundaries, windows at any offset read only what they need, and threads each get
their own cursor."""
from __future__ import annotations


import polars as pl
import pytest

from dtale_lite.backends.duckdb import DuckDBBackend, resolve_files
from dtale_lite.backends.polars import PolarsBackend
from dtale_lite.frames.errors import BadRequest, Conflict, NotFound
from dtale_lite.frames.filters import parse

from .conftest import in_threads, odd_frame

VIEWS = [(None, ()), ("i > 0", ()), (None, ((1, False),)), ('s != "a"', ((0, True), (2, False))),
         ("f is null or t > \"2021-03-01\"", ((3, False),))]


def frame() -> pl.DataFrame:
    # Repeated so windows cross the files' boundaries; no empty strings (CSV reads them as null).
    return pl.concat([odd_frame().select("i", "f", "s", "t")] * 3).with_columns(
        pl.col("s").fill_null("x"))


def windows(backend, text, keys):
    view = backend.view(None if text is None else parse(text), keys)
    total = view.count().rows
    return total, [view.window(start, 5, [0, 1, 2, 3]) for start in range(0, total + 5, 5)]


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    directory = tmp_path_factory.mktemp("parts")
    data = frame()
    for i, start in enumerate((0, 7, 9)):  # uneven files: 7, 2 and 15 rows
        stop = {0: 7, 1: 9, 2: data.height}[i]
        data.slice(start, stop - start).write_parquet(directory / f"part-{i}.parquet")
    data.write_csv(directory.parent / "frame.csv")
    return directory


@pytest.mark.parametrize("segment_rows, top_k", [(122_880, 1_000), (4, 0), (4, 1_000)])
@pytest.mark.parametrize("source", ["directory", "glob", "csv"])
@pytest.mark.parametrize("text, keys", VIEWS)
def test_files_page_like_one_frame(parts, tmp_path, source, text, keys, segment_rows, top_k):
    """Small segments make a filtered view's pages span segments and files; top_k 0 sends
    every sorted page through the order table."""
    path = {"directory": parts, "glob": str(parts / "part-*.parquet"),
            "csv": parts.parent / "frame.csv"}[source]
    backend = DuckDBBackend(path, memory_limit="256MB", temp_directory=str(tmp_path / "t"))
    backend.segment_rows, backend.top_k_rows = segment_rows, top_k
    try:
        assert windows(backend, text, keys) == windows(PolarsBackend(frame()), text, keys)
    finally:
        backend.close()


def test_threads_each_use_their_own_cursor(parts, tmp_path):
    backend = DuckDBBackend(parts, temp_directory=str(tmp_path / "t"))
    expected = windows(backend, 's != "a"', ((1, True),))
    results, errors = in_threads(lambda: windows(backend, 's != "a"', ((1, True),)), repeats=5)
    backend.close()
    assert not errors and results == [expected] * 20


def test_resolving_paths(parts, tmp_path):
    assert len(resolve_files(parts)[0]) == 3
    assert resolve_files(str(parts / "*-1.parquet"))[0] == [str(parts / "part-1.parquet")]
    with pytest.raises(NotFound):
        resolve_files(tmp_path / "missing.parquet")
    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "a.csv").write_text("x\n1\n")
    frame().write_parquet(tmp_path / "mixed" / "b.parquet")
    with pytest.raises(BadRequest):
        resolve_files(tmp_path / "mixed")


def test_memory_limit_and_temp_directory_are_set(parts, tmp_path):
    backend = DuckDBBackend(parts, memory_limit="300MB", temp_directory=str(tmp_path / "spill"))
    try:
        settings = dict(backend.cursor().execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('memory_limit', 'temp_directory')").fetchall())
    finally:
        backend.close()
    assert settings["temp_directory"] == str(tmp_path / "spill")
    assert settings["memory_limit"].startswith(("286", "300"))  # MiB or MB, as DuckDB prints


def test_nan_outside_parquet_statistics_is_missing(tmp_path):
    """Parquet's min/max statistics leave NaN out; NaN must still read as missing."""
    values = [float("nan"), 1.0, 2.0, float("nan"), 3.0]
    pl.DataFrame({"x": values}).write_parquet(tmp_path / "nan.parquet")
    backend = DuckDBBackend(tmp_path / "nan.parquet", temp_directory=str(tmp_path / "t"))
    try:
        assert backend.view(parse("x is null")).window(0, 10, [])[0] == [0, 3]
        assert backend.view(parse("x > 0")).count().rows == 3
        assert backend.view(None, ((0, False),)).window(0, 10, [0])[1] == \
            [[3.0], [2.0], [1.0], [None], [None]]
        assert backend.view().describe(0)["missing"] == 2
    finally:
        backend.close()


def test_close_leaves_a_given_temp_directory_as_it_was(parts, tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    (spill / "mine.txt").write_text("keep")
    backend = DuckDBBackend(parts, temp_directory=str(spill))
    backend.view(None, ((1, True),)).order_table()
    backend.close()
    backend.close()  # idempotent
    assert sorted(p.name for p in spill.iterdir()) == ["mine.txt"]
    with pytest.raises(Conflict):  # a request holding a closed source: ask again
        backend.view().window(0, 1, [0])


@pytest.mark.parametrize("names", [("file_row_number",), ("filename",),
                                   ("file_row_number", "filename"), ("__dtale_lite_file",)])
@pytest.mark.parametrize("split", [False, True])
def test_columns_named_like_duckdbs_own(tmp_path, names, split):
    """A Parquet column named file_row_number or filename (DuckDB's virtual columns) is the
    user's column, and paging stays exact."""
    data = frame().with_columns([pl.col("i").alias(n) if k == 0 else pl.col("s").alias(n)
                                 for k, n in enumerate(names)])
    directory = tmp_path / "clash"
    directory.mkdir()
    if split:
        data.slice(0, 10).write_parquet(directory / "a.parquet")
        data.slice(10).write_parquet(directory / "b.parquet")
    else:
        data.write_parquet(directory / "a.parquet")
    backend = DuckDBBackend(directory, temp_directory=str(tmp_path / "t"))
    backend.segment_rows = 4
    try:
        assert [c.name for c in backend.columns()] == data.columns
        reference = PolarsBackend(data)
        for text, keys in VIEWS + [(None, ((4, False),)), (f"{names[0]} > 0", ((4, True),))]:
            assert windows(backend, text, keys) == windows(reference, text, keys)
            wide = backend.view(None if text is None else parse(text), keys)
            assert wide.window(0, 30, list(range(len(data.columns)))) == \
                reference.view(None if text is None else parse(text), keys).window(
                    0, 30, list(range(len(data.columns))))
    finally:
        backend.close()


def _tables(backend) -> int:
    return backend.cursor().execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'dl_view_%'").fetchall()[0][0]


def test_closing_a_view_drops_its_order_table(parts, tmp_path):
    backend = DuckDBBackend(parts, temp_directory=str(tmp_path / "t"))
    try:
        view = backend.view(parse("i > 0"), ((1, True),))
        other = backend.view(None, ((0, False),))
        view.order_table()
        other.order_table()
        assert _tables(backend) == 2
        view.close()
        view.close()  # idempotent
        assert _tables(backend) == 1
        with pytest.raises(Conflict):
            view.window(0, 5, [0])
        assert other.window(3, 5, [0]) == \
            PolarsBackend(frame()).view(None, ((0, False),)).window(3, 5, [0])  # still pages
    finally:
        backend.close()


def test_closing_a_view_while_its_order_builds_leaves_no_table(parts, tmp_path):
    backend = DuckDBBackend(parts, temp_directory=str(tmp_path / "t"))
    try:
        for _ in range(5):
            view = backend.view(None, ((2, True),))
            view.window(0, 5, [0])  # the top-k page starts the full order in the background
            view.close()
        backend.join_background()
        assert _tables(backend) == 0
    finally:
        backend.close()


def test_a_sorted_views_order_is_built_after_its_first_page(parts, tmp_path):
    backend = DuckDBBackend(parts, temp_directory=str(tmp_path / "t"))
    try:
        view = backend.view(parse('s != "a"'), ((3, False),))
        first = view.window(0, 5, [0, 1, 2, 3])
        backend.join_background()
        assert view.order_ready()
        backend.top_k_rows = 0  # now through the order table: the same rows
        assert view.window(0, 5, [0, 1, 2, 3]) == first
    finally:
        backend.close()


@pytest.mark.parametrize("text", [None, "i > 0"])
def test_describe_past_the_exact_limit_samples_and_says_so(parts, tmp_path, text):
    """Past exact_describe_rows, describe reads unique/top/quartiles/histogram approximately
    and names them; the other figures stay exact. With segments small enough that the sample
    covers every row, the approximate figures equal the exact ones too."""
    exact = DuckDBBackend(parts, temp_directory=str(tmp_path / "e"))
    sampled = DuckDBBackend(parts, temp_directory=str(tmp_path / "s"))
    sampled.exact_describe_rows, sampled.segment_rows = 0, 4  # 24 rows: 6 segments, all read
    try:
        for column in range(4):
            want = exact.view(None if text is None else parse(text)).describe(column)
            got = sampled.view(None if text is None else parse(text)).describe(column)
            assert want.pop("approximate") == []
            named = got.pop("approximate")
            assert "unique" in named and "top" in named
            assert ("q50" in named) == (column in (0, 1))
            assert ("histogram" in named) == (column in (0, 1, 3))
            assert abs(got.pop("unique") - want.pop("unique")) <= 1
            for name in ("std", "mean"):  # summed in another order: equal to rounding
                assert got.pop(name, None) == pytest.approx(want.pop(name, None))
            assert got == want
    finally:
        exact.close()
        sampled.close()


def test_sampled_describe_reads_part_of_the_rows(tmp_path):
    """Many segments: the sample reads 16 of them, and the exact figures stay exact."""
    data = pl.DataFrame({"x": list(range(1000)), "s": [f"v{k % 7}" for k in range(1000)]})
    data.write_parquet(tmp_path / "x.parquet")
    backend = DuckDBBackend(tmp_path / "x.parquet", temp_directory=str(tmp_path / "t"))
    backend.exact_describe_rows, backend.segment_rows = 0, 10  # 100 segments, 16 read
    try:
        got = backend.view().describe(0)
        assert (got["count"], got["min"], got["max"], got["mean"]) == (1000, 0, 999, 499.5)
        assert sum(got["histogram"]["counts"]) == pytest.approx(1000, abs=20)
        assert 150 < got["q25"] < 350 and 650 < got["q75"] < 850
        top = backend.view().describe(1)["top"]
        assert {t["value"] for t in top} == {f"v{k}" for k in range(7)}
        assert sum(t["count"] for t in top) == pytest.approx(1000, abs=20)
    finally:
        backend.close()
