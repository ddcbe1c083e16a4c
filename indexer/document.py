"""The document record: one SharePoint item as the indexer writes it and the portal reads it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

KINDS = ("news", "page", "document")
EVERYONE = "everyone"
_PRINCIPAL_PREFIXES = ("user:", "group:")
_DATETIME_FIELDS = ("created", "modified", "published")
PREVIEW_CHARS = 300


def make_id(site_id: str, list_id: str, unique_id: str) -> str:
    """The stable id of an item: a rename or a move keeps it."""
    parts = (site_id, list_id, unique_id)
    if not all(parts):
        raise ValueError("site id, list id and unique id are all needed for a document id")
    return ":".join(part.strip().strip("{}").lower() for part in parts)


def user_principal(object_id: str) -> str:
    """The principal of one Entra user."""
    return f"user:{object_id.strip().lower()}"


def group_principal(object_id: str) -> str:
    """The principal of one Entra group."""
    return f"group:{object_id.strip().lower()}"


def principals_for(user_id: str, group_ids: Iterable[str]) -> frozenset[str]:
    """Everything a signed-in user holds: everyone, the user and each of their groups."""
    return frozenset([EVERYONE, user_principal(user_id), *map(group_principal, group_ids)])


def normalise_principal(principal: str) -> str:
    """Lower-case a principal and check its form (``everyone``, ``user:…`` or ``group:…``)."""
    value = principal.strip().lower()
    if value == EVERYONE:
        return value
    prefix = next((p for p in _PRINCIPAL_PREFIXES if value.startswith(p)), None)
    rest = value[len(prefix):] if prefix else ""
    if not rest or any(c.isspace() or c == "," for c in rest):
        raise ValueError(f"not a principal: {principal!r}")
    return value


def _utc(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(kw_only=True)
class Document:
    """One SharePoint item: a news post, a modern page or a file in a document library.

    ``acl`` lists the principals allowed to see the item (empty: nobody). ``audiences`` are
    the Entra group ids a news post is targeted at (empty: everyone who may see it).
    ``language`` is ``"da"`` or ``"en"``; ``None`` lets the index detect it.
    ``item_id`` is the SharePoint list item id; ``unique_permissions`` tells whether the item
    has its own permissions (else its acl is inherited and re-derived when a parent changes).
    Datetimes are timezone-aware UTC (naive values are taken as UTC).
    """

    id: str
    kind: str
    title: str
    url: str
    site_id: str
    list_id: str
    modified: datetime
    description: str = ""
    body: str = ""
    html: str = ""
    site_title: str = ""
    site_url: str = ""
    library: str = ""
    path: str = ""
    file_type: str = ""
    size: int = 0
    author: str = ""
    created: datetime | None = None
    published: datetime | None = None
    banner: str = ""
    banner_alt: str = ""
    version: str = ""
    acl: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    extract_error: str | None = None
    language: str | None = None
    item_id: int = 0
    unique_permissions: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if not self.id or self.id.startswith("#"):
            raise ValueError(f"invalid document id {self.id!r}")
        if self.language not in (None, "da", "en"):
            raise ValueError(f"language must be 'da', 'en' or None, not {self.language!r}")
        self.file_type = (self.file_type or ("" if self.kind == "document" else self.kind))
        self.file_type = self.file_type.lower().lstrip(".")
        for name in _DATETIME_FIELDS:
            setattr(self, name, _utc(getattr(self, name)))
        if self.modified is None:
            raise ValueError("modified is required")
        self.acl = sorted({normalise_principal(p) for p in self.acl})
        self.audiences = sorted({a.strip().lower() for a in self.audiences if a.strip()})

    @property
    def preview(self) -> str:
        """A short plain-text preview: the description, else the start of the body."""
        text = " ".join((self.description or self.body).split())
        if len(text) <= PREVIEW_CHARS:
            return text
        return text[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (datetimes as ISO 8601 strings)."""
        data = dataclasses.asdict(self)
        for name in _DATETIME_FIELDS:
            value = data[name]
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Document:
        """The inverse of :meth:`to_dict`; unknown keys are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
