"""OData v3 ``$filter`` expressions: parse once, then test rows through a field getter.

Supported: ``eq ne gt ge lt le``, ``and or not``, parentheses, string (quotes doubled),
number, ``true``/``false``/``null``, ``datetime'…'`` and ``guid'…'`` literals, and the
functions ``substringof``, ``startswith`` and ``endswith``. Text compares case-insensitively,
as SharePoint's SQL collation does.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from emulator.sharepoint.errors import invalid_expression

Getter = Callable[[str], Any]

_TOKEN = re.compile(r"""\s*(?:
    (?P<open>\() | (?P<close>\)) | (?P<comma>,)
  | (?P<typed>(?:datetime|guid|datetimeoffset)'(?:[^']|'')*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?[LlMmDd]?(?![\w.]))
  | (?P<word>[A-Za-z_][\w./]*)
)""", re.VERBOSE)
_COMPARE = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge,
            "lt": operator.lt, "le": operator.le}
_FUNCTIONS = {"substringof": lambda s, v: s in v, "startswith": lambda v, s: v.startswith(s),
              "endswith": lambda v, s: v.endswith(s)}


@dataclass(frozen=True)
class Field:
    """A column reference such as ``Modified`` or ``Author/Title``."""

    name: str

    def value(self, get: Getter) -> Any:
        return get(self.name)


@dataclass(frozen=True)
class Literal:
    """A constant."""

    constant: Any

    def value(self, get: Getter) -> Any:
        return self.constant


@dataclass(frozen=True)
class Call:
    """A string function such as ``startswith(FileRef, '/sites/a')``."""

    name: str
    args: tuple

    def value(self, get: Getter) -> Any:
        values = [a.value(get) for a in self.args]
        if any(not isinstance(v, str) for v in values):
            return False
        return _FUNCTIONS[self.name](*(v.lower() for v in values))


@dataclass(frozen=True)
class Compare:
    """``left op right``."""

    op: str
    left: Any
    right: Any

    def value(self, get: Getter) -> bool:
        left, right = _coerce(self.left.value(get), self.right.value(get))
        if left is None or right is None:
            return _COMPARE[self.op](left, right) if self.op in ("eq", "ne") else False
        try:
            return _COMPARE[self.op](left, right)
        except TypeError:
            return False


@dataclass(frozen=True)
class Logical:
    """``and``/``or`` of two expressions, or ``not`` of one (``right`` is None)."""

    op: str
    left: Any
    right: Any = None

    def value(self, get: Getter) -> bool:
        if self.op == "not":
            return not self.left.value(get)
        if self.op == "and":
            return bool(self.left.value(get)) and bool(self.right.value(get))
        return bool(self.left.value(get)) or bool(self.right.value(get))


@dataclass(frozen=True)
class Filter:
    """A parsed ``$filter``: test rows with :meth:`matches`; ``fields`` are the columns used."""

    root: Any
    fields: tuple[str, ...]

    def matches(self, get: Getter) -> bool:
        """Whether the row read through ``get`` passes the filter."""
        return bool(self.root.value(get))


def _coerce(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, datetime) and isinstance(right, str):
        right = parse_datetime(right)
    elif isinstance(right, datetime) and isinstance(left, str):
        left = parse_datetime(left)
    elif isinstance(left, bool) != isinstance(right, bool) and {type(left), type(right)} <= {
            bool, int}:
        left, right = int(left), int(right)
    if isinstance(left, str) and isinstance(right, str):
        return left.lower(), right.lower()
    return left, right


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 moment; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.pos, self.fields = text, _tokens(text), 0, []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None, word: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (word and token[1].lower() != word):
            raise invalid_expression(self.text)
        self.pos += 1
        return token

    def at_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() in words

    def expression(self) -> Any:
        node = self.conjunction()
        while self.at_word("or"):
            self.take()
            node = Logical("or", node, self.conjunction())
        return node

    def conjunction(self) -> Any:
        node = self.unary()
        while self.at_word("and"):
            self.take()
            node = Logical("and", node, self.unary())
        return node

    def unary(self) -> Any:
        if self.at_word("not"):
            self.take()
            return Logical("not", self.unary())
        left = self.operand()
        if self.at_word(*_COMPARE):
            op = self.take()[1].lower()
            return Compare(op, left, self.operand())
        return left

    def operand(self) -> Any:
        kind, text = self.take()
        if kind == "open":
            node = self.expression()
            self.take("close")
            return node
        if kind in ("string", "typed", "number"):
            return Literal(_constant(kind, text, self.text))
        if kind != "word":
            raise invalid_expression(self.text)
        lowered = text.lower()
        if lowered in ("true", "false", "null"):
            return Literal(None if lowered == "null" else lowered == "true")
        if lowered in _FUNCTIONS and self.peek() and self.peek()[0] == "open":
            return self.call(lowered)
        self.fields.append(text)
        return Field(text)

    def call(self, name: str) -> Call:
        self.take("open")
        args = [self.operand()]
        while self.peek() and self.peek()[0] == "comma":
            self.take()
            args.append(self.operand())
        self.take("close")
        if len(args) != 2:
            raise invalid_expression(self.text)
        return Call(name, tuple(args))


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        match = _TOKEN.match(text, pos)
        if not match:
            raise invalid_expression(text)
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    return tokens


def _constant(kind: str, text: str, expression: str) -> Any:
    if kind == "string":
        return text[1:-1].replace("''", "'")
    if kind == "number":
        number = text.rstrip("LlMmDd")
        return float(number) if "." in number else int(number)
    prefix, _, quoted = text.partition("'")
    inner = quoted[:-1].replace("''", "'")
    if prefix.lower() == "guid":
        return inner.lower()
    moment = parse_datetime(inner)
    if moment is None:
        raise invalid_expression(expression)
    return moment


def parse_filter(text: str) -> Filter:
    """Parse a ``$filter`` value; raise SharePoint's 400 answer if it is not valid."""
    parser = _Parser(text)
    root = parser.expression()
    if parser.peek() is not None:
        raise invalid_expression(text)
    return Filter(root, tuple(parser.fields))
