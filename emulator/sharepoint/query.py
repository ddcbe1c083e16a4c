"""OData query options: ``$select``, ``$expand``, ``$filter``, ``$orderby``, ``$top``, ``$skip``
and ``$skiptoken``; option names match case-insensitively, unknown options are ignored (the
library's misspelt ``$order_by`` is silently dropped by SharePoint too)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode

from emulator.sharepoint.errors import invalid_expression, invalid_query
from emulator.sharepoint.filters import Filter, parse_filter


@dataclass
class Tree:
    """A ``$select`` or ``$expand`` level: named children, and whether all properties count."""

    all: bool = False
    children: dict[str, tuple[str, Tree]] = field(default_factory=dict)

    def child(self, name: str) -> Tree | None:
        """The subtree under ``name`` (case-insensitive), if it was named."""
        found = self.children.get(name.lower())
        return found[1] if found else None

    def add(self, path: str) -> None:
        """Add one ``A/B/C`` path."""
        node = self
        for part in path.split("/"):
            part = part.strip()
            if part == "*":
                node.all = True
                return
            if not part:
                raise invalid_query(f'The expression "{path}" is not valid.')
            entry = node.children.setdefault(part.lower(), (part, Tree()))
            node = entry[1]
        if not node.children:
            node.all = True


def _tree(text: str | None, everything: bool) -> Tree:
    tree = Tree(all=everything)
    for path in (text or "").split(","):
        if path.strip():
            tree.add(path.strip())
    return tree


@dataclass(frozen=True)
class Order:
    """One ``$orderby`` key."""

    field: str
    descending: bool = False


@dataclass
class Options:
    """The query options of one request."""

    select: Tree
    expand: Tree
    filter: Filter | None
    orderby: list[Order]
    top: int | None
    skip: int
    skiptoken: dict[str, str]
    raw: dict[str, str]

    def next_link(self, base_url: str, token: str) -> str:
        """The absolute URL of the next page: these options with a new ``$skiptoken``."""
        params = {k: v for k, v in self.raw.items() if k.lower() != "$skiptoken"}
        params = {"$skiptoken": token} | params
        return f"{base_url}?{urlencode(params, quote_via=quote, safe='')}"


def _orderby(text: str | None) -> list[Order]:
    keys = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise invalid_expression(text)
        keys.append(Order(words[0], len(words) == 2 and words[1].lower() == "desc"))
    return keys


def _number(text: str | None, name: str) -> int | None:
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError as exc:
        raise invalid_query(f"Invalid {name} value '{text}'.") from exc
    if value < 0:
        raise invalid_query(f"Invalid {name} value '{text}'.")
    return value


def parse_options(args: Mapping[str, str]) -> Options:
    """Read the query options from the request's query string."""
    raw = {k: v for k, v in args.items() if k.startswith("$")}
    lowered = {k.lower(): v for k, v in raw.items()}
    selection = lowered.get("$select", "")
    everything = not selection.strip() or selection.strip() == "*"
    text = lowered.get("$filter")
    return Options(
        select=_tree(None if everything else selection, everything),
        expand=_tree(lowered.get("$expand"), False),
        filter=parse_filter(text) if text and text.strip() else None,
        orderby=_orderby(lowered.get("$orderby")),
        top=_number(lowered.get("$top"), "$top"),
        skip=_number(lowered.get("$skip"), "$skip") or 0,
        skiptoken=dict(parse_qsl(lowered.get("$skiptoken", ""), keep_blank_values=True)),
        raw=raw,
    )
