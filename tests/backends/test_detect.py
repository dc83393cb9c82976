"""backend_for picks the engine by the object's type, and importing it imports no engine."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from dtale_lite.backends.detect import backend_for
from dtale_lite.frames.errors import BadRequest


@pytest.mark.parametrize("make, name", [
    (lambda p: pd.DataFrame({"a": [1, 2]}), "pandas"),
    (lambda p: pd.Series([1, 2], name="a"), "pandas"),
    (lambda p: pl.DataFrame({"a": [1, 2]}), "polars"),
    (lambda p: pl.DataFrame({"a": [1, 2]}).lazy(), "polars"),
    (lambda p: pa.table({"a": [1, 2]}), "polars"),
    (lambda p: p, "duckdb"),
    (lambda p: str(p), "duckdb"),
])
def test_backend_for(tmp_path, make, name):
    path = tmp_path / "a.parquet"
    pl.DataFrame({"a": [1, 2]}).write_parquet(path)
    backend = backend_for(make(path), **({"temp_directory": str(tmp_path / "t")}
                                         if name == "duckdb" else {}))
    try:
        assert backend.capabilities.name == name
        assert [c.name for c in backend.columns()] == ["a"]
        assert backend.view(None, ((0, False),)).window(0, 5, [0]) == ([1, 0], [[2], [1]])
    finally:
        backend.close()


def test_other_objects_are_a_bad_request():
    with pytest.raises(BadRequest, match="cannot show a builtins.dict"):
        backend_for({"a": [1]})


def test_importing_the_backends_imports_no_engine():
    code = ("import sys, dtale_lite.backends.detect, dtale_lite.backends.base; "
            "print(sorted(m for m in ('polars', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
