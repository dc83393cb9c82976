"""How much memory a shown frame holds, as cheaply as its engine can say (the instances page).

Never a deep scan: O(columns), read from buffer sizes the engine already knows.
- pandas: ``DataFrame.memory_usage(index=True, deep=False)``: the columns' and index's buffers;
  for object columns that is 8 bytes a row (the pointers), not the Python strings they point to;
- Polars DataFrame: ``estimated_size()``, its Arrow buffers; an Arrow table: ``nbytes``;
- a Polars LazyFrame, a DuckDB relation or files, a Dask frame: ``None``, since the data is
  not held by this process (it is read where it is, or lives on the cluster).
"""
from __future__ import annotations

from .detect import engine_of

MEASURES = {
    "pandas": "pandas memory_usage(deep=False): column and index buffers; object columns "
              "count their pointers, not the strings",
    "polars": "Polars estimated_size(): the Arrow buffers",
    "arrow": "Arrow nbytes: the buffers",
    None: "not held in this process: the engine reads the data where it is",
}


def memory_estimate(source) -> tuple[int | None, str]:
    """(bytes or None, what the figure measures) for a registry source."""
    frame = getattr(source, "frame", None)  # a PandasSource
    if frame is not None and engine_of(frame) == "pandas":
        return int(frame.memory_usage(index=True, deep=False).sum()), MEASURES["pandas"]
    data = getattr(source, "data", None)  # a BackendSource: the object the user showed
    engine, kind = engine_of(data), type(data).__name__
    if engine == "pandas":
        usage = data.memory_usage(index=True, deep=False)
        return int(getattr(usage, "sum", lambda: usage)()), MEASURES["pandas"]
    if engine == "polars" and kind in ("DataFrame", "Series"):
        return int(data.estimated_size()), MEASURES["polars"]
    if engine == "arrow":
        return int(data.nbytes), MEASURES["arrow"]
    return None, MEASURES[None]
