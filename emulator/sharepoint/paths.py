"""The resource path after ``_api/``: segments such as ``GetByTitle('Doc''s')`` or ``items(3)``.

Quoted arguments may hold slashes (``GetFileByServerRelativeUrl('/sites/a/b.docx')``), so the
path is split on ``/`` outside quotes and parentheses only. Arguments are OData literals:
``'text'`` (quotes doubled), ``guid'…'``, numbers, ``true``/``false``/``null`` and ``@alias``
parameters taken from the query string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.sharepoint.errors import invalid_query

_NUMBER = re.compile(r"-?\d+(\.\d+)?[LlMmDd]?$")


@dataclass(frozen=True)
class Segment:
    """One path segment: its name (``key`` is lower-cased) and its arguments, if any."""

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    called: bool = False

    @property
    def key(self) -> str:
        """The name lower-cased: SharePoint matches names case-insensitively."""
        return self.name.lower()

    def arg(self, *names: str) -> Any:
        """The single argument, given by position or as one of the keyword ``names``."""
        if self.args:
            return self.args[0]
        for name in names:
            if name.lower() in self.kwargs:
                return self.kwargs[name.lower()]
        raise invalid_query(f"The expression \"{self.name}\" is not valid.")


def split(path: str, aliases: Mapping[str, str]) -> list[Segment]:
    """Split a decoded ``_api`` path into segments, resolving ``@alias`` arguments."""
    parts, start, depth, quoted = [], 0, 0, False
    for i, char in enumerate(path):
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "/" and depth == 0:
            parts.append(path[start:i])
            start = i + 1
    parts.append(path[start:])
    if quoted or depth:
        raise invalid_query(f'The expression "{path}" is not valid.')
    return [_segment(part, aliases) for part in parts if part]


def _segment(text: str, aliases: Mapping[str, str]) -> Segment:
    if "(" not in text:
        return Segment(text)
    if not text.endswith(")"):
        raise invalid_query(f'The expression "{text}" is not valid.')
    name, _, inner = text[:-1].partition("(")
    args, kwargs = [], {}
    for piece in _split_args(inner):
        key, eq, value = piece.partition("=")
        if eq and not key.startswith("'") and re.fullmatch(r"[A-Za-z_@][\w.@]*", key.strip()):
            kwargs[key.strip().lower()] = literal(value.strip(), aliases)
        else:
            args.append(literal(piece.strip(), aliases))
    return Segment(name, tuple(args), kwargs, called=True)


def _split_args(inner: str) -> list[str]:
    pieces, start, quoted = [], 0, False
    for i, char in enumerate(inner):
        if char == "'":
            quoted = not quoted
        elif char == "," and not quoted:
            pieces.append(inner[start:i])
            start = i + 1
    pieces.append(inner[start:])
    return [p for p in pieces if p.strip()]


def literal(text: str, aliases: Mapping[str, str] | None = None) -> Any:
    """The value of one OData literal in a path or an ``@alias`` parameter."""
    if text.startswith("@") and aliases is not None:
        if text not in aliases:
            raise invalid_query(f"The parameter {text} is not defined.")
        return literal(aliases[text])
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    lowered = text.lower()
    if lowered.startswith("guid'") and text.endswith("'"):
        return text[5:-1].lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _NUMBER.match(text):
        number = text.rstrip("LlMmDd")
        return float(number) if "." in number else int(number)
    raise invalid_query(f'The expression "{text}" is not valid.')
