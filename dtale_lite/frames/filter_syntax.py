"""The filter language's grammar: text -> tokens -> a syntax tree (:mod:`.filter_tree`).

Filter strings come from a web page, so they are parsed here by hand into a small tree of
frozen dataclasses and never handed to ``eval``, ``DataFrame.query`` or anything else that runs
text (D-Tale's ``query`` path was the subject of remote-code-execution advisories). This module
only knows the syntax; :mod:`dtale_lite.frames.filters` turns a tree into a boolean mask.

The grammar is documented in :mod:`dtale_lite.frames.filters` (its docstring goes in the README).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .errors import FilterError
from .filter_tree import (COMPARISONS, IDENTIFIER, KEYWORDS, STRING_MATCHES, And, Column,
                          Compare, In, IsNull, Literal, Node, Not, Or, StringMatch, canonical,
                          columns_used, literal_text)

# The tree's classes and canonical text are importable from here too: the grammar's users
# parse and print in one import.
__all__ = ["parse", "tokenize", "Token", "MAX_LENGTH", "MAX_DEPTH", "KEYWORDS", "COMPARISONS",
           "STRING_MATCHES", "And", "Column", "Compare", "In", "IsNull", "Literal", "Node", "Not",
           "Or", "StringMatch", "canonical", "columns_used", "literal_text"]

MAX_LENGTH = 10_000
MAX_DEPTH = 100

_IDENT = IDENTIFIER
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]+")
_SPACE = re.compile(r"\s+")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r"}
_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "=")  # longest first
_PUNCTUATION = "()[],"


# --- tokens --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "keyword", "number", "string", "op", "punct" or "end"
    value: object
    position: int
    text: str


def _describe(token: Token) -> str:
    return "the end of the filter" if token.kind == "end" else f"'{token.text}'"


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The string literal opening at ``start`` and the index just past its closing quote."""
    quote, out, i = text[start], [], start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            value = "".join(out)
            try:
                value.encode("utf-8")  # a lone surrogate cannot reach Arrow; say so here
            except UnicodeEncodeError:
                raise FilterError("the string holds an invalid character", start) from None
            return value, i + 1
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= len(text):
            break
        code = text[i + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
        elif code == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[i + 2 : i + 6]):
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise FilterError(
                f"unknown escape '\\{code}' in a string (use \\\\ for a backslash)", i
            )
    raise FilterError("unterminated string", start)


def _read_backquoted(text: str, start: int) -> tuple[str, int]:
    out, i = [], start + 1
    while i < len(text):
        if text[i] == "`":
            if text[i + 1 : i + 2] == "`":  # a doubled backquote is one backquote
                out.append("`")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(text[i])
        i += 1
    raise FilterError("unterminated column name (missing closing `)", start)


def _number(raw: str, position: int) -> int | float:
    if re.fullmatch(r"-?\d+", raw):
        value = int(raw)
        if -(2**63) <= value < 2**63:
            return value
    # Too big for int64: a float keeps every column comparison defined (numpy cannot compare a
    # float column with an int wider than a double).
    value = float(raw)
    if value in (float("inf"), float("-inf")):
        raise FilterError(f"the number {raw} is too large", position)
    return value


def tokenize(text: str) -> Iterator[Token]:
    """Tokens of ``text``, read lazily so the first problem in reading order is reported."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        space = _SPACE.match(text, i)
        if space:
            i = space.end()
            continue
        if ch in "\"'":
            value, end = _read_quoted(text, i)
            yield Token("string", value, i, text[i:end])
        elif ch == "`":
            value, end = _read_backquoted(text, i)
            yield Token("name", value, i, text[i:end])
        elif _NUMBER.match(text, i):
            end = _NUMBER.match(text, i).end()
            tail = _NUMBER_TAIL.match(text, end)
            if tail:
                raise FilterError(f"invalid number '{text[i:tail.end()]}'", i)
            yield Token("number", _number(text[i:end], i), i, text[i:end])
        elif _IDENT.match(text, i):
            end = _IDENT.match(text, i).end()
            word = text[i:end]
            if word.lower() in KEYWORDS:
                yield Token("keyword", word.lower(), i, word)
            else:
                yield Token("name", word, i, word)
        elif ch in _PUNCTUATION:
            end = i + 1
            yield Token("punct", ch, i, ch)
        else:
            op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
            if op is None:
                hint = " (use != for 'not equal')" if ch == "!" else ""
                raise FilterError(f"unexpected character '{ch}'{hint}", i)
            end = i + len(op)
            yield Token("op", "==" if op == "=" else op, i, op)
        i = end
    yield Token("end", None, n, "")


# --- parser --------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.token = next(self.tokens)
        self.depth = 0

    def advance(self) -> Token:
        token = self.token
        if token.kind != "end":
            self.token = next(self.tokens)
        return token

    def at(self, kind: str, value: object = None) -> bool:
        t = self.token
        return t.kind == kind and (value is None or t.value == value)

    def nest(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"the filter nests deeper than {MAX_DEPTH} levels", position)

    def parse(self) -> Node:
        if self.at("end"):
            raise FilterError("the filter is empty", 0)
        node = self.parse_or()
        if not self.at("end"):
            t = self.token
            if t.kind == "punct" and t.value == ")":
                raise FilterError("unexpected ')' with no '(' to close", t.position)
            raise FilterError(
                f"unexpected {_describe(t)}; expected 'and', 'or' or the end of the filter",
                t.position,
            )
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.at("keyword", "or"):
            self.advance()
            operands.append(self.parse_and())
        return _join(Or, operands)

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.at("keyword", "and"):
            self.advance()
            operands.append(self.parse_not())
        return _join(And, operands)

    def parse_not(self) -> Node:
        if self.at("keyword", "not"):
            t = self.advance()
            self.nest(t.position)
            operand = self.parse_not()
            self.depth -= 1
            return Not(operand)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        t = self.token
        if t.kind == "punct" and t.value == "(":
            self.advance()
            self.nest(t.position)
            node = self.parse_or()
            self.depth -= 1
            if not self.at("punct", ")"):
                raise FilterError(
                    f"expected ')' to close the '(' at character {t.position}, "
                    f"found {_describe(self.token)}",
                    self.token.position,
                )
            self.advance()
            return node
        if t.kind == "name":
            self.advance()
            return self.parse_predicate(Column(t.value, t.position))
        if t.kind == "keyword":
            raise FilterError(
                f"expected a column name, found the keyword '{t.text}' "
                f"(write `{t.text}` for a column of that name)",
                t.position,
            )
        if t.kind == "punct" and t.value == ")":
            raise FilterError("unexpected ')'; expected a column name or '('", t.position)
        raise FilterError(f"expected a column name, found {_describe(t)}", t.position)

    def parse_predicate(self, column: Column) -> Node:
        t = self.advance()
        if t.kind == "op":
            value = self.parse_value(f"after '{t.text}'")
            if value.value is None:
                if t.value not in ("==", "!="):
                    raise FilterError(
                        f"null can only follow == or != (use 'is null'), not '{t.text}'",
                        value.position,
                    )
                return IsNull(column, negated=t.value == "!=", position=t.position)
            return Compare(column, t.value, value, t.position)
        if t.kind == "keyword" and t.value == "in":
            return In(column, self.parse_list(), False, t.position)
        if t.kind == "keyword" and t.value == "not":
            if not self.at("keyword", "in"):
                raise FilterError(
                    f"expected 'in' after 'not', found {_describe(self.token)}",
                    self.token.position,
                )
            self.advance()
            return In(column, self.parse_list(), True, t.position)
        if t.kind == "keyword" and t.value == "is":
            negated = self.at("keyword", "not")
            if negated:
                self.advance()
            if not self.at("keyword", "null"):
                raise FilterError(
                    f"expected 'null' or 'not null' after 'is', found {_describe(self.token)}",
                    self.token.position,
                )
            self.advance()
            return IsNull(column, negated, t.position)
        if t.kind == "keyword" and t.value in STRING_MATCHES:
            value = self.token
            if value.kind != "string":
                raise FilterError(
                    f"expected a quoted string after '{t.text}', found {_describe(value)}",
                    value.position,
                )
            self.advance()
            return StringMatch(column, t.value, Literal(value.value, value.position), t.position)
        raise FilterError(
            f"expected an operator after column '{column.name}' (==, !=, <, <=, >, >=, in, "
            f"not in, is null, is not null, contains, startswith, endswith), "
            f"found {_describe(t)}",
            t.position,
        )

    def parse_value(self, where: str) -> Literal:
        t = self.token
        if t.kind in ("number", "string"):
            self.advance()
            return Literal(t.value, t.position)
        if t.kind == "keyword" and t.value in ("true", "false", "null"):
            self.advance()
            return Literal({"true": True, "false": False, "null": None}[t.value], t.position)
        found = "" if t.kind == "end" else f", found {_describe(t)}"
        hint = " (quote text values)" if t.kind == "name" else ""
        raise FilterError(f"expected a value {where}{found}{hint}", t.position)

    def parse_list(self) -> tuple[Literal, ...]:
        t = self.token
        if not self.at("punct", "["):
            raise FilterError(f"expected '[' to start a list, found {_describe(t)}", t.position)
        self.advance()
        values: list[Literal] = []
        if self.at("punct", "]"):
            self.advance()
            return ()
        while True:
            values.append(self.parse_value("in the list"))
            if self.at("punct", "]"):
                self.advance()
                return tuple(values)
            if not self.at("punct", ","):
                raise FilterError(
                    f"expected ',' or ']' in the list, found {_describe(self.token)}",
                    self.token.position,
                )
            self.advance()


def _join(kind, operands: list[Node]) -> Node:
    """One And/Or over ``operands``, flattening nested ones so equal filters print alike."""
    if len(operands) == 1:
        return operands[0]
    flat: list[Node] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, kind) else (operand,))
    return kind(tuple(flat))


def parse(text: str) -> Node:
    """The syntax tree of ``text``. Raises FilterError saying what is wrong and where."""
    if not isinstance(text, str):
        raise FilterError("the filter must be text")
    if len(text) > MAX_LENGTH:
        raise FilterError(
            f"the filter is {len(text)} characters long; the limit is {MAX_LENGTH}", MAX_LENGTH
        )
    return _Parser(text).parse()
