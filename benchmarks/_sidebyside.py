"""What the D-Tale side-by-side scripts share: D-Tale's own virtualenv, fresh child processes,
modules loaded by path, import timing and the header that says where and when a run ran.

Only the standard library at import time: the D-Tale child imports this module in D-Tale's
virtualenv, where dtale_lite is not installed.
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DTALE_VERSION = "3.22.0"
DEFAULT_VENV = HERE / ".venv-dtale"
SLOW_MS = 5000  # a D-Tale call slower than this is not repeated


def log(tag: str, message: str) -> None:
    print(f"[{tag}] {message}", file=sys.stderr, flush=True)


def load_by_path(name: str, relative: str):
    """A module of this repository by file path, without importing its package: the D-Tale
    child has no dtale_lite on its path, and both of these modules need only numpy and pandas
    (benchframe) or nothing (bench, whose heavy imports sit inside its functions)."""
    spec = importlib.util.spec_from_file_location(name, REPO / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_benchframe():
    return load_by_path("benchframe", "dtale_lite/frames/benchframe.py")


def dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def ensure_venv(venv: Path) -> tuple[Path | None, str]:
    """The virtualenv's python with dtale installed, or (None, why not).

    Pins pandas, numpy and pyarrow to this interpreter's versions so both sides compute with the
    same libraries, and psutil too (the D-Tale child samples its own RSS with it)."""
    import numpy
    import pandas
    import psutil
    import pyarrow

    pins = [f"dtale=={DTALE_VERSION}", f"pandas=={pandas.__version__}",
            f"numpy=={numpy.__version__}", f"pyarrow=={pyarrow.__version__}",
            f"psutil=={psutil.__version__}"]
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; "
             "print(' '.join(f'{d}=={m.version(d)}' for d in "
             "('dtale', 'pandas', 'numpy', 'pyarrow', 'psutil')))"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.split() == pins:
            return python, f"{' '.join(pins)} already in {venv}"
    else:
        log("side_by_side", f"creating {venv}")
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                              text=True)
        if made.returncode != 0:
            return None, f"python -m venv failed: {made.stderr.strip()[-500:]}"
    log("side_by_side", f"installing {' '.join(pins)} in {venv}")
    start = time.perf_counter()
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", *pins],
                             capture_output=True, text=True)
    if install.returncode != 0:
        return None, ("pip install " + " ".join(pins) + " failed: "
                      + install.stderr.strip()[-1500:])
    return python, f"installed {' '.join(pins)} in {time.perf_counter() - start:.0f} s"


def venv_env() -> dict:
    """The environment for a child in D-Tale's virtualenv: without PYTHONPATH, so that
    neither this checkout nor the outer interpreter's packages leak into it."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def run_child(command: list[str], side: str, env=None) -> dict:
    """Runs one child (a fresh process) and returns the JSON of its last stdout line, or
    {"side": side, "failed": why} when it exits badly (its stderr went to ours)."""
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env)
    lines = child.stdout.strip().splitlines()
    if child.returncode != 0 or not lines:
        return {"side": side, "failed": f"the {side} process exited with {child.returncode}"}
    return json.loads(lines[-1])


def import_seconds(python: str, module: str, env=None, runs: int = 3) -> float:
    """Median over fresh interpreters of what ``import module`` adds after ``import pandas``."""
    probe = (f"import pandas, time; t = time.perf_counter(); import {module}; "
             "print(time.perf_counter() - t)")
    return statistics.median(
        float(subprocess.run([python, "-c", probe], capture_output=True, text=True, env=env,
                             check=True).stdout) for _ in range(runs))


def machine_line() -> str:
    import psutil

    return (f"# machine: {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}; load average "
            + " ".join(f"{v:.2f}" for v in os.getloadavg()))


def secs(ms) -> str:
    """Milliseconds, readable: '7.7 ms', '182 ms', '4.70 s'; '-' for None."""
    if ms is None:
        return "-"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms < 1:
        return f"{ms:.2f} ms"
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:.0f} ms"
