"""Read data files for the command line and for uploads from the grid, and the built-in demo
datasets.

Every failure is a ``LoadError`` (a BadRequest: a 400 through the API) whose message names the
file and says what to do.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd

from .errors import BadRequest

COMPRESSIONS = {".gz", ".bz2", ".zip", ".xz", ".zst"}
DEMOS = ("gapminder", "tips", "iris", "stocks", "wind")


class LoadError(BadRequest):
    pass


def _read_json(source) -> pd.DataFrame:
    try:
        return pd.read_json(source)
    except ValueError:
        # Many ".json" files are really JSON lines (one object per line).
        if hasattr(source, "seek"):
            source.seek(0)
        return pd.read_json(source, lines=True)


def _read_excel(source) -> pd.DataFrame:
    return pd.read_excel(source)


def excel_missing() -> bool:
    """Whether openpyxl (the ``excel`` extra, which reads .xlsx) is missing."""
    return importlib.util.find_spec("openpyxl") is None


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
    return read_data(path, file_kind(path), str(path))


def read_data(source, kind: str, where: str) -> pd.DataFrame:
    """``source`` (a path, or a seekable binary stream) read as the file type ``kind`` (a
    suffix of READERS, such as ".csv"). Raises LoadError naming ``where`` for an unsupported
    type, a missing optional reader, or a file its reader refuses."""
    if kind not in READERS:
        supported = ", ".join(sorted(READERS))
        raise LoadError(f"{where}: unsupported file type '{kind or where}'; "
                        f"dtale-lite reads {supported}")
    label, reader = READERS[kind]
    if label == "Excel" and kind != ".xls" and excel_missing():
        raise LoadError(f"{where}: reading Excel files needs openpyxl, which is not installed "
                        f"on the server (pip install 'dtale_lite[excel]')")
    try:
        frame = reader(source)
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes one clear message
        reason = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise LoadError(f"{where}: could not read it as {label}: {reason}") from exc
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    return frame


# The formats the grid's Load data dialog offers, by the name a request may give.
UPLOAD_FORMATS = {"csv": ".csv", "tsv": ".tsv", "parquet": ".parquet", "json": ".json",
                  "jsonl": ".jsonl", "excel": ".xlsx", "xlsx": ".xlsx", "xls": ".xls"}


def upload_kind(filename: str, fmt: str | None = None) -> str:
    """The READERS suffix of an uploaded file: from ``fmt`` (a key of UPLOAD_FORMATS) when
    given, else from the file's name. Raises LoadError for an unknown format or a compressed
    file (an upload is read as it comes, so a .gz would be read as garbage)."""
    if fmt:
        if fmt.lower() not in UPLOAD_FORMATS:
            raise LoadError(f"unknown format '{fmt[:20]}'; use one of "
                            f"{', '.join(UPLOAD_FORMATS)}")
        return UPLOAD_FORMATS[fmt.lower()]
    suffixes = [s.lower() for s in Path(filename).suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        raise LoadError(f"{filename}: compressed files are not read from an upload; "
                        f"upload the file itself")
    return file_kind(Path(filename))


def read_upload(stream, filename: str, kind: str) -> pd.DataFrame:
    """An uploaded file (a seekable binary stream) as a DataFrame, by pandas; LoadError
    naming ``filename`` if it cannot be read (see read_data)."""
    return read_data(stream, kind, filename or "the upload")


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
