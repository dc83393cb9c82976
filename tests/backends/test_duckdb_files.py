"""DuckDB over a directory or glob of Parquet files and over CSV: rows keep their file order
across file boundaries, windows at any offset read only what they need, and threads each get
their own cursor."""
from __future__ import annotations

import threading

import polars as pl
import pytest

from dtale_lite.backends.duckdb import DuckDBBackend, resolve_files
from dtale_lite.backends.polars import PolarsBackend
from dtale_lite.errors import BadRequest, Conflict, NotFound
from dtale_lite.filters import parse

from .conftest import odd_frame

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


@pytest.mark.parametrize("source", ["directory", "glob", "csv"])
@pytest.mark.parametrize("text, keys", VIEWS)
def test_files_page_like_one_frame(parts, tmp_path, source, text, keys):
    path = {"directory": parts, "glob": str(parts / "part-*.parquet"),
            "csv": parts.parent / "frame.csv"}[source]
    backend = DuckDBBackend(path, memory_limit="256MB", temp_directory=str(tmp_path / "t"))
    try:
        assert windows(backend, text, keys) == windows(PolarsBackend(frame()), text, keys)
    finally:
        backend.close()


def test_threads_each_use_their_own_cursor(parts, tmp_path):
    backend = DuckDBBackend(parts, temp_directory=str(tmp_path / "t"))
    expected = windows(backend, 's != "a"', ((1, True),))
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(windows(backend, 's != "a"', ((1, True),)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
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
