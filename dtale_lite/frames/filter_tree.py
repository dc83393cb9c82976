"""The filter language's syntax tree and its canonical text.

A parsed filter (:func:`.filter_syntax.parse`) is a small tree of frozen dataclasses; its
canonical text (one spacing, lower-case keywords, double-quoted strings) is what the caches key
on and what the page shows back. Knows nothing of pandas: :mod:`.filters` turns a tree into a
mask, :mod:`.pandas_code` into pandas code, the engines into their own predicates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

KEYWORDS = frozenset(
    {"and", "or", "not", "in", "is", "null", "true", "false", "contains", "startswith", "endswith"}
)
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
STRING_MATCHES = ("contains", "startswith", "endswith")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


# --- syntax tree ---------------------------------------------------------------------------
# Positions are for error messages only; compare=False makes parse("f1>1") == parse(" f1 > 1 ").


@dataclass(frozen=True)
class Column:
    name: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Literal:
    """A value: int, float, str, bool or None (``null``)."""

    value: object
    position: int = field(default=0, compare=False)
    # 1 == True in Python; the type keeps `x == 1` and `x == true` apart as nodes and dict keys.
    type_name: str = field(init=False, repr=False, default="")

    def __post_init__(self):
        object.__setattr__(self, "type_name", type(self.value).__name__)


@dataclass(frozen=True)
class Compare:
    column: Column
    op: str  # one of COMPARISONS; "=" is stored as "=="
    value: Literal
    position: int = field(default=0, compare=False)  # of the operator


@dataclass(frozen=True)
class In:
    column: Column
    values: tuple[Literal, ...]
    negated: bool = False
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class IsNull:
    column: Column
    negated: bool = False
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class StringMatch:
    column: Column
    op: str  # one of STRING_MATCHES
    value: Literal  # always a str value
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    operand: "Node"


@dataclass(frozen=True)
class And:
    operands: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    operands: tuple["Node", ...]


Predicate = Union[Compare, In, IsNull, StringMatch]
Node = Union[Predicate, Not, And, Or]


# --- canonical text ------------------------------------------------------------------------


def column_text(column: Column) -> str:
    name = column.name
    if IDENTIFIER.fullmatch(name) and name.lower() not in KEYWORDS:
        return name
    return "`" + name.replace("`", "``") + "`"


def _string_text(value: str) -> str:
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def literal_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string_text(value)
    return repr(value)  # int or float; repr round-trips exactly through the tokenizer


def canonical(node: Node) -> str:
    """Normalised text for ``node``: one spacing, lower-case keywords, double-quoted strings.

    Equal filters written differently give the same string, and parsing it gives it back, so
    it serves as a cache key.
    """
    if isinstance(node, Compare):
        return f"{column_text(node.column)} {node.op} {literal_text(node.value.value)}"
    if isinstance(node, In):
        items = ", ".join(literal_text(v.value) for v in node.values)
        return f"{column_text(node.column)} {'not in' if node.negated else 'in'} [{items}]"
    if isinstance(node, IsNull):
        return f"{column_text(node.column)} is {'not null' if node.negated else 'null'}"
    if isinstance(node, StringMatch):
        return f"{column_text(node.column)} {node.op} {_string_text(node.value.value)}"
    if isinstance(node, Not):
        inner = canonical(node.operand)
        return f"not ({inner})" if isinstance(node.operand, (And, Or)) else f"not {inner}"
    if isinstance(node, And):
        return " and ".join(
            f"({canonical(o)})" if isinstance(o, Or) else canonical(o) for o in node.operands
        )
    if isinstance(node, Or):
        return " or ".join(canonical(o) for o in node.operands)
    raise TypeError(f"not a filter node: {node!r}")


def columns_used(node: Node) -> set[str]:
    """The names of every column ``node`` reads."""
    if isinstance(node, (Compare, In, IsNull, StringMatch)):
        return {node.column.name}
    if isinstance(node, Not):
        return columns_used(node.operand)
    return set().union(*(columns_used(o) for o in node.operands))
