"""Backends built from one Polars frame: the pandas reference and every engine under test."""
from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from dtale_lite.backends.duckdb import DuckDBBackend
from dtale_lite.backends.pandas import PandasBackend
from dtale_lite.backends.polars import PolarsBackend

ENGINES = ("polars", "polars-lazy", "duckdb", "dask")
DASK_PARTITIONS = 3  # small frames still span several partitions: merges and offsets matter

INJECTION_COLUMN = 'a"; DROP TABLE x; --'


def odd_frame() -> pl.DataFrame:
    """Small, with every kind of missing value, ties, odd text and an injection column name."""
    return pl.DataFrame({
        "i": [3, 1, None, 2, 1, 0, -5, 1],
        "f": [1.5, float("nan"), None, -2.0, float("inf"), float("-inf"), 0.0, 1.5],
        "s": ["b", "a", None, "a'; DROP TABLE x; --", "100%", "a_b", "back\\slash", "über 🎉"],
        "t": [dt.datetime(2021, 1, 1), None, dt.datetime(2021, 6, 1, 12),
              dt.datetime(2020, 12, 31), dt.datetime(2021, 6, 1), dt.datetime(2022, 1, 1),
              dt.datetime(2021, 1, 1), dt.datetime(2021, 3, 15, 8, 30)],
        "b": [True, False, True, True, False, True, False, True],
        "c": pl.Series(["x", "y", None, "x", "z", "y", "x", "x"], dtype=pl.Enum(["x", "y", "z"])),
        INJECTION_COLUMN: [1, 2, 3, 4, 5, 6, 7, 8],
        "quo\"te'd `name`": ["q", "r", "q", None, "r", "q", "q", "r"],
    })


def make_backend(engine: str, frame: pl.DataFrame, directory):
    """A backend of ``engine`` over ``frame``; DuckDB reads it from a Parquet file."""
    if engine == "pandas":
        return PandasBackend(frame.to_pandas())
    if engine == "polars":
        return PolarsBackend(frame)
    if engine == "polars-lazy":
        return PolarsBackend(frame.lazy())
    if engine == "duckdb":
        path = directory / "frame.parquet"
        frame.write_parquet(path)
        return DuckDBBackend(path, memory_limit="256MB", temp_directory=str(directory / "tmp"))
    if engine == "dask":
        import dask.dataframe as dd
        from distributed import get_client

        from dtale_lite.backends.dask import DaskBackend

        # get_client() raises without the session's cluster: never the local scheduler here.
        return DaskBackend(dd.from_pandas(frame.to_pandas(), npartitions=DASK_PARTITIONS),
                           client=get_client())
    raise ValueError(engine)


@pytest.fixture(autouse=True)
def _dask_cluster_for_dask_tests(request):
    """Tests parametrized with engine "dask" get the session's cluster as default client."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("engine") == "dask":
        request.getfixturevalue("dask_client")


class LazyBackends(dict):
    """Backends built on first use, so a module's shared backends start no cluster for
    tests that never ask for the dask one."""

    def __init__(self, frame, directory_for):
        super().__init__()
        self.frame, self.directory_for = frame, directory_for

    def __missing__(self, engine):
        backend = self[engine] = make_backend(engine, self.frame, self.directory_for(engine))
        return backend


@pytest.fixture
def backends(tmp_path):
    made = []

    def build(engine, frame):
        backend = make_backend(engine, frame, tmp_path)
        made.append(backend)
        return backend

    yield build
    for backend in made:
        backend.close()


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    """One backend per engine over odd_frame(), shared by a module's tests (views are
    read-only, so sharing cannot leak state between tests)."""
    made = LazyBackends(odd_frame(),
                        lambda engine: tmp_path_factory.mktemp(engine.replace("-", "")))
    yield made
    for backend in made.values():
        backend.close()


def chart_frame() -> pl.DataFrame:
    """Enough rows that downsampling has to pick points, with ties, NaN, inf and nulls."""
    rng = np.random.default_rng(3)
    n = 400
    x = rng.integers(0, 60, n).astype(float)
    y = rng.integers(-5, 5, n).astype(float)
    x[::37] = np.nan
    y[::41] = np.inf
    return pl.DataFrame({"x": x, "y": y,
                         "g": rng.choice(["p", "q", None], n).tolist(),
                         "t": [dt.datetime(2021, 1, 1) + dt.timedelta(hours=int(h))
                               for h in rng.integers(0, 1000, n)]})


@pytest.fixture(scope="module")
def charted(tmp_path_factory):
    made = LazyBackends(chart_frame(), lambda engine: tmp_path_factory.mktemp("c" + engine[:3]))
    yield made
    for backend in made.values():
        backend.close()


def in_threads(work, threads: int = 4, repeats: int = 3) -> tuple[list, list]:
    """(results, errors) of ``work()`` run ``repeats`` times in each of ``threads`` threads at
    once (a DuckDB connection is not thread-safe: each thread must use its own cursor)."""
    import threading

    results, errors = [], []

    def run():
        try:
            for _ in range(repeats):
                results.append(work())
        except Exception as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return results, errors
