"""The steps of a DuckDB frame as backends/stepping.py drives them: the first state over
the frame's data, one step applied (``steps.apply``), the backend that serves a state (a query
on the first backend's connection), and a summary."""
from __future__ import annotations

import duckdb

from ...frames.errors import BadRequest
from .backend import DuckDBBackend
from .sql import quote_identifier as q
from .steps import Rel, apply, free_name
from .summaries import summarize as duckdb_summary

__all__ = ["apply", "backend_of", "start", "summarize"]


def start(backend) -> Rel:
    """The data as the first backend reads it, each row with its position."""
    pos = free_name(backend.names, "__dtale_lite_pos")
    columns = "".join(f"{q(n)}, " for n in backend.names)
    return Rel(backend, f"SELECT {columns}{backend.row_sql} AS {q(pos)} FROM {backend._scan}",
               {**backend.scan_params, **backend.row_params}, pos)


def backend_of(rel: Rel, base_backend):
    try:
        return DuckDBBackend.over_query(base_backend, rel.sql, rel.params, rel.pos)
    except duckdb.Error as error:  # e.g. out of disk for a step that drops rows
        raise BadRequest(f"duckdb could not run the steps ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None


def summarize(rel: Rel, body: dict, base_backend):
    return duckdb_summary(rel, body)
