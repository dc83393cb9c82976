"""Closing a DuckDB connection while a call runs on it (a frame killed while a page reads):
DuckDB refuses with "connection is busy"; the backend interrupts the call and closes."""
from __future__ import annotations

import threading
import time

import duckdb
import pytest

from dtale_lite.backends.duckdb.backend import close_connection


def test_a_busy_connection_is_interrupted_and_closed():
    con = duckdb.connect()
    ended = []

    def long_call():
        try:
            con.execute("SELECT count(*) FROM range(100000000000) a").fetchall()
        except duckdb.Error as error:
            ended.append(type(error).__name__)

    thread = threading.Thread(target=long_call)
    thread.start()
    time.sleep(0.3)
    with pytest.raises(duckdb.Error, match="busy"):
        con.close()  # what a kill met before
    close_connection(con)
    thread.join(10)
    assert ended == ["InterruptException"]
    with pytest.raises(duckdb.Error):
        con.execute("SELECT 1")  # closed
