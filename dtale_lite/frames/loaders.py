"""Read data files for the command line, and the built-in demo datasets.

Every failure is a ``LoadError`` whose message names the file and says what to do.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd

COMPRESSIONS = {".gz", ".bz2", ".zip", ".xz", ".zst"}
DEMOS = ("gapminder", "tips", "iris", "stocks", "wind")


class LoadError(Exception):
    pass


def _read_json(path: Path) -> pd.DataFrame:
    try:
        return pd.read_json(path)
    except ValueError:
        # Many ".json" files are really JSON lines (one object per line).
        return pd.read_json(path, lines=True)


def _read_excel(path: Path) -> pd.DataFrame:
    if importlib.util.find_spec("openpyxl") is None and path.suffix != ".xls":
        raise LoadError(f"{path}: reading Excel files needs openpyxl "
                        f"(pip install 'dtale_lite[excel]')")
    return pd.read_excel(path)


READERS = {
    ".csv": ("CSV", pd.read_csv),
    ".tsv": ("TSV", lambda p: pd.read_csv(p, sep="\t")),
    ".tab": ("TSV", lambda p: pd.read_csv(p, sep="\t")),
    ".txt": ("TSV", lambda p: pd.read_csv(p, sep="\t")),
    ".parquet": ("Parquet", pd.read_parquet),
    ".pq": ("Parquet", pd.read_parquet),
    ".json": ("JSON", _read_json),
    ".jsonl": ("JSON lines", lambda p: pd.read_json(p, lines=True)),
    ".ndjson": ("JSON lines", lambda p: pd.read_json(p, lines=True)),
    ".feather": ("Feather", pd.read_feather),
    ".arrow": ("Arrow IPC", pd.read_feather),
    ".ipc": ("Arrow IPC", pd.read_feather),
    ".xlsx": ("Excel", _read_excel),
    ".xlsm": ("Excel", _read_excel),
    ".xls": ("Excel", _read_excel),
}


def file_kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def load_file(path: str | Path) -> pd.DataFrame:
    """The file as a DataFrame; LoadError names the file if it is missing, unsupported or bad."""
    path = Path(path)
    if not path.exists():
        raise LoadError(f"{path}: no such file")
    if path.is_dir():
        raise LoadError(f"{path}: is a folder; give a data file")
    kind = file_kind(path)
    if kind not in READERS:
        supported = ", ".join(sorted(READERS))
        raise LoadError(f"{path}: unsupported file type '{kind or path.name}'; "
                        f"dtale-lite reads {supported} (optionally compressed)")
    label, reader = READERS[kind]
    try:
        frame = reader(path)
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear message
        raise LoadError(f"{path}: could not read it as {label}: {exc}") from exc
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    return frame


def name_for(path: str | Path) -> str:
    """A valid frame name from a file name: 'sales 2024.csv' -> 'sales_2024'."""
    stem = Path(path).name.split(".")[0]
    name = re.sub(r"[^A-Za-z0-9_.\-]", "_", stem)[:64] or "frame"
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"[:64]


def demo_frames(synthetic_rows: int = 1_000_000) -> dict[str, pd.DataFrame]:
    """The demo datasets: the ones plotly ships (gapminder, tips, ...; read from its files,
    plotly is not imported) when plotly is installed, and always a synthetic frame of
    ``synthetic_rows`` rows shaped like the benchmark's, built here with no download."""
    from .benchframe import bench_frame

    frames = {}
    spec = importlib.util.find_spec("plotly")
    if spec is not None and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "datasets"
        for name in DEMOS:
            path = folder / f"{name}.csv.gz"
            if path.exists():
                frames[name] = pd.read_csv(path)
    if synthetic_rows:
        frames["synthetic"] = bench_frame(synthetic_rows)
    return frames
