"""The steps of a Polars frame as backends/stepping.py drives them: the first state over
the user's frame, one step applied, the backend that serves a state, and a summary."""
from __future__ import annotations

import polars as pl

from ...frames.errors import BadRequest
from .backend import PolarsBackend
from .steps import Frame, apply_step
from .summaries import summarize as polars_summary


def start(backend) -> Frame:
    return Frame(backend.lazy, eager=backend.eager is not None)


def apply(frame: Frame, step: dict, number: int = 0) -> Frame:
    result = apply_step(frame, step)
    if frame.eager:
        try:
            return Frame(result.lazy.collect().lazy(), eager=True)
        except pl.exceptions.PolarsError as error:
            raise BadRequest(f"{step['op']}: polars refused it ({type(error).__name__}: "
                             f"{str(error)[:200]})") from None
    return result


def backend_of(frame: Frame, base_backend):
    try:
        return PolarsBackend(frame.lazy.collect() if frame.eager else frame.lazy)
    except pl.exceptions.PolarsError as error:
        raise BadRequest(f"polars could not run the steps ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None


def summarize(frame: Frame, body: dict, base_backend):
    return polars_summary(frame, body)
