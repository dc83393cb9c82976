"""Shared fixtures: a fresh registry and app per test, small odd frames, a live server."""
from __future__ import annotations

import decimal
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

from dtale_lite import create_app
from dtale_lite.server.registry import Registry

# CI runs the same examples every time (a red run must be reproducible, not a roll of the
# dice); locally Hypothesis explores new ones on each run.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

KEY = "test-key"


@pytest.fixture(scope="session")
def dask_client():
    """A real distributed cluster on loopback (two worker processes), started once and shared by
    tests/backends and the API contract on every engine (test_engines_api.py)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(host="127.0.0.1", dashboard_address=None, n_workers=2,
                           threads_per_worker=1, processes=True)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def registry():
    return Registry()


@pytest.fixture
def app(registry):
    return create_app(registry, key=KEY)


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_X_DTALE_LITE_KEY"] = KEY
    return client


@pytest.fixture
def anon_client(app):
    """A client that sends no key."""
    return app.test_client()


def small_frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    """A seeded frame shaped like the benchmark frame, with missing values everywhere."""
    rng = np.random.default_rng(seed)
    f1 = rng.standard_normal(n)
    f1[rng.random(n) < 0.1] = np.nan
    s_lo = pd.Series([f"cat_{k:02d}" for k in rng.integers(0, 5, n)], dtype="str")
    s_lo[rng.random(n) < 0.05] = None
    return pd.DataFrame({
        "id": np.arange(n),
        "i_small": rng.integers(0, 10, n),
        "f1": f1,
        "s_lo": s_lo,
        "cat": pd.Categorical([f"region_{k}" for k in rng.integers(0, 4, n)]),
        "ts": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 10**8, n), unit="s"),
        "flag": rng.random(n) < 0.3,
    })


def odd_frame() -> pd.DataFrame:
    """Everything that tends to break viewers, in one frame."""
    return pd.DataFrame({
        "nan_inf": [np.nan, np.inf, -np.inf, 1.5],
        "nat": pd.to_datetime(["2021-01-01", None, "2021-03-01", "2021-04-01"]),
        "tz": pd.to_datetime(["2021-01-01 10:00"] * 4).tz_localize("Europe/Paris"),
        "mixed": [1, "two", 3.0, None],
        "nested": [[1, 2], {"a": 1}, (3,), None],
        "decimal": [decimal.Decimal("1.10"), None, decimal.Decimal("-2"), decimal.Decimal("0")],
        "huge": ["x" * 20_000, "short", "", None],
        "nullable_int": pd.array([1, None, 3, 4], dtype="Int64"),
        "nullable_bool": pd.array([True, None, False, True], dtype="boolean"),
        "td": pd.to_timedelta([1, None, 3, 4], unit="s"),
        "cat": pd.Categorical(["a", None, "b", "a"]),
    })


@pytest.fixture
def frames(registry):
    """Register the standard test frames and return their entries by name."""
    return {
        "small": registry.add(small_frame(), "small"),
        "odd": registry.add(odd_frame(), "odd"),
    }


def run_code(code: str, frame) -> dict:
    """Run exported chart code on ``frame`` (as ``df``); returns its namespace (``fig``).

    The code ends with ``fig.show()`` for its reader; a test only needs the figure, and showing
    it would hand it to a renderer (a browser).
    """
    assert code.rstrip().endswith("fig.show()")
    namespace = {"df": frame}
    body = code.rstrip()[: -len("fig.show()")]
    exec(compile(body, "<exported chart code>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace


def run_view_code(code: str, frame):
    """Run ``Instance.code()``'s output on ``frame`` (as ``df``); returns its ``view``."""
    namespace = {"df": frame}
    exec(compile(code, "<grid view code>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace["view"]
