"""How the API names a frame's columns and what kind each one is.

Frames in the wild have column labels that are not unique strings: ints, tuples from a
MultiIndex, duplicates. The API always addresses a column by a unique string name and the data
layer always reaches it by position, so the user's frame is never relabelled.

Naming rule (documented in the README):
- a string label is its own name; a tuple (MultiIndex) is its non-empty parts joined with
  " / "; anything else is ``str(label)``;
- when a name is taken already, the later column gets " (2)", " (3)", ... appended.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.api import types as ptypes

KINDS = ("int", "float", "bool", "string", "category", "datetime", "timedelta", "object")


@dataclass(frozen=True)
class Column:
    position: int
    name: str
    dtype: str
    kind: str

    def to_dict(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "kind": self.kind}


def label_to_name(label: object) -> str:
    if isinstance(label, str):
        return label
    if isinstance(label, tuple):
        parts = [str(p) for p in label if not (p is None or p == "")]
        return " / ".join(parts) if parts else str(label)
    return str(label)


def api_names(labels) -> list[str]:
    """Unique string names for ``labels``, in order (see the module docstring)."""
    names: list[str] = []
    taken: set[str] = set()
    for label in labels:
        base = label_to_name(label)
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        names.append(name)
    return names


def kind_of(dtype) -> str:
    """One of KINDS for a pandas/numpy dtype."""
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if ptypes.is_bool_dtype(dtype):
        return "bool"
    if ptypes.is_integer_dtype(dtype):
        return "int"
    if ptypes.is_float_dtype(dtype) or ptypes.is_complex_dtype(dtype):
        return "float"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if ptypes.is_timedelta64_dtype(dtype):
        return "timedelta"
    if ptypes.is_string_dtype(dtype) and not ptypes.is_object_dtype(dtype):
        return "string"
    return "object"


def describe_columns(frame: pd.DataFrame) -> list[Column]:
    names = api_names(frame.columns)
    dtypes = frame.dtypes.tolist()
    return [
        Column(position=i, name=name, dtype=str(dtype), kind=kind_of(dtype))
        for i, (name, dtype) in enumerate(zip(names, dtypes))
    ]
