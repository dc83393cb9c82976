"""DuckDB's memory limit and threads for files read in place (issue 14): the rule that chooses
them from the files and the machine, and that what the user gives wins over it."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtale_lite.backends.duckdb import DuckDBBackend
from dtale_lite.backends.duckdb.resources import (
    CEILING,
    FLOOR,
    Machine,
    MiB,
    Resources,
    choose,
    machine,
)
from dtale_lite.backends.files import file_source

GiB = 1024 * MiB
BIG_MACHINE = Machine(available_bytes=24 * GiB, cores=2)


@pytest.mark.parametrize("file_bytes, rows, box, expected", [
    # 10M rows of the benchmark frame (746 MB): a quarter of the file, a thread per core
    (746_301_897, 10_000_000, BIG_MACHINE, Resources(746_301_897 // 4, 2)),
    # 100M rows (7.55 GB): the ceiling, whatever the file's size past 4 GiB
    (7_554_320_756, 100_000_000, BIG_MACHINE, Resources(CEILING, 2)),
    (75 * 2**30, 1_000_000_000, BIG_MACHINE, Resources(CEILING, 2)),
    # a small file: the floor, and one thread (one row group)
    (1_000_000, 1_000, BIG_MACHINE, Resources(FLOOR, 1)),
    # rows unknown (CSV): threads from the cores and the limit only
    (1_000_000, None, BIG_MACHINE, Resources(FLOOR, 2)),
    # a machine with 1 GiB free: a quarter of what is available
    (7_554_320_756, 100_000_000, Machine(1 * GiB, 2), Resources(256 * MiB, 2)),
    # less than the floor free: the floor still (DuckDB's operators need it to run at all)
    (7_554_320_756, 100_000_000, Machine(200 * MiB, 2), Resources(FLOOR, 2)),
    # many cores, a small limit: a thread per 64 MiB of it
    (746_301_897, 10_000_000, Machine(24 * GiB, 16), Resources(746_301_897 // 4, 2)),
    (7_554_320_756, 100_000_000, Machine(24 * GiB, 64), Resources(CEILING, 16)),
    # two row groups, eight cores: two threads
    (5_000_000, 200_000, Machine(24 * GiB, 8), Resources(FLOOR, 2)),
])
def test_the_rule(file_bytes, rows, box, expected):
    assert choose(file_bytes, rows, box) == expected


@settings(max_examples=300, deadline=None)
@given(file_bytes=st.integers(0, 2**45), rows=st.none() | st.integers(0, 10**10),
       available=st.integers(0, 2**40), cores=st.integers(1, 256))
def test_the_rule_stays_in_its_bounds(file_bytes, rows, available, cores):
    chosen = choose(file_bytes, rows, Machine(available, cores))
    assert FLOOR <= chosen.memory_limit <= max(min(CEILING, available // 4), FLOOR)
    assert chosen.memory_limit <= max(file_bytes // 4, FLOOR)
    assert 1 <= chosen.threads <= cores
    bigger = choose(file_bytes * 2 + 1, rows, Machine(available, cores))
    assert bigger.memory_limit >= chosen.memory_limit  # never less for more data


def test_the_machine_is_read():
    here = machine()
    assert here.available_bytes > 0 and here.cores >= 1


@pytest.mark.parametrize("limit", [FLOOR, 177 * MiB + 12_345, CEILING])
def test_the_limit_reads_back_from_duckdb(limit):
    """The text handed to DuckDB means the bytes chosen (to the MiB)."""
    con = duckdb.connect(config={"memory_limit": Resources(limit, 1).memory_setting})
    (shown,), = con.execute("SELECT current_setting('memory_limit')").fetchall()
    assert shown == f"{limit // MiB}.0 MiB" or shown == f"{limit / GiB:.1f} GiB"


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.parquet"
    pd.DataFrame({"id": range(1000), "v": [i / 7 for i in range(1000)]}).to_parquet(path)
    return path


def settings_of(backend) -> dict:
    """What the backend's connection says, not what the backend says it set."""
    return dict(backend._con.cursor().execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'threads')"
    ).fetchall())


def test_a_file_gets_the_chosen_settings_not_2gb(small_file, tmp_path):
    backend = DuckDBBackend(small_file, temp_directory=str(tmp_path / "t"))
    try:
        assert settings_of(backend) == {"memory_limit": "128.0 MiB", "threads": "1"}
        assert backend.settings == {"memory_limit": "128.0 MiB", "threads": 1}
    finally:
        backend.close()


@pytest.mark.parametrize("options, expected", [
    ({"memory_limit": "300MB"}, {"memory_limit": "286.1 MiB", "threads": "1"}),
    ({"threads": 2}, {"memory_limit": "128.0 MiB", "threads": "2"}),
    ({"memory_limit": "1GB", "threads": 3}, {"memory_limit": "953.6 MiB", "threads": "3"}),
])
def test_what_the_user_gives_wins(small_file, tmp_path, options, expected):
    source = file_source(small_file, temp_directory=str(tmp_path / "t"), **options)
    try:
        assert settings_of(source.backend) == expected
    finally:
        source.close()
