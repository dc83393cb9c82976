"""Reading a step's parameters from its JSON object: every check raises a BadRequest that
names the parameter, so a page can point at the field that is wrong."""
from __future__ import annotations

import math

from ..columns import Column, describe_columns
from ..errors import BadRequest

MAX_NAME = 200
MAX_LIST = 1_000


def text_of(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class Params:
    """The parameters of one step's body, checked against the frame the step applies to."""

    def __init__(self, body: dict, frame, what: str, columns: list[Column] | None = None):
        """``columns``: the frame's columns when it is not a pandas frame (a Polars or DuckDB
        one: backends/*/steps.py read their parameters with these same checks)."""
        self.body, self.frame, self.what = body, frame, what
        self.columns: list[Column] = describe_columns(frame) if columns is None else columns
        self.by_name = {c.name: c for c in self.columns}
        self.used: set[str] = {"op", "version"}

    def fail(self, name: str, message: str):
        raise BadRequest(f"{self.what}: parameter '{name}' {message}")

    def has(self, name: str) -> bool:
        return self.body.get(name) is not None

    def raw(self, name: str, default=None, required: bool = True):
        self.used.add(name)
        value = self.body.get(name)
        if value is None:
            if required and default is None:
                self.fail(name, "is required")
            return default
        return value

    def column(self, name: str, kinds=None, required: bool = True) -> str | None:
        value = self.raw(name, required=required)
        if value is None:
            return None
        return self._known(name, value, kinds)

    def _known(self, name: str, value, kinds) -> str:
        if not isinstance(value, str):
            self.fail(name, f"must be a column name, not {text_of(value)}")
        column = self.by_name.get(value)
        if column is None:
            self.fail(name, f"names no column: {text_of(value)}")
        if kinds is not None and column.kind not in kinds:
            self.fail(name, f"needs a column of kind {' or '.join(kinds)}; "
                            f"'{value}' is {column.kind}")
        return value

    def column_list(self, name: str, kinds=None, required: bool = True, empty: bool = False):
        value = self.raw(name, required=required)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or (not value and not empty) or len(value) > MAX_LIST:
            self.fail(name, "must be a list of column names")
        names = [self._known(name, v, kinds) for v in value]
        if len(set(names)) != len(names):
            self.fail(name, "names a column twice")
        return names

    def choice(self, name: str, options, default=None):
        value = self.raw(name, default=default)
        if value not in options:
            self.fail(name, f"must be one of {', '.join(map(str, options))}; got {text_of(value)}")
        return value

    def integer(self, name: str, low: int, high: int, default=None, required: bool = True):
        value = self.raw(name, default=default, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low:,} to {high:,}; got "
                            f"{text_of(value)}")
        return value

    def number(self, name: str, default=None):
        value = self.raw(name, default=default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value):
            self.fail(name, f"must be a finite number; got {text_of(value)}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.raw(name, default=default)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false; got {text_of(value)}")
        return value

    def string(self, name: str, default=None, limit: int = 10_000, empty: bool = True) -> str:
        value = self.raw(name, default=default)
        if not isinstance(value, str) or len(value) > limit or (not empty and not value):
            self.fail(name, f"must be text of {'0' if empty else '1'}-{limit:,} characters; "
                            f"got {text_of(value)}")
        return value

    def new_name(self, name: str, replacing: str | None = None) -> str:
        value = self.string(name, limit=MAX_NAME, empty=False)
        if value != replacing and value in self.by_name:
            self.fail(name, f"names a column that exists already: {text_of(value)}")
        return value

    def check_unknown(self) -> None:
        unknown = sorted(set(self.body) - self.used)
        if unknown:
            raise BadRequest(f"{self.what}: unknown parameter '{str(unknown[0])[:50]}'")
