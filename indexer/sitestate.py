"""What a pass remembers of a site between passes, and what a site's changes call for.

A site's checkpoint (``site:<site id>``) holds its change token and a copy of the site and of
the lists mirrored from it. An incremental pass asks one site-level ``GetChanges`` and reads
the site and its lists again only when a list, the web or the site changed, or when the copy
is older than ``STRUCTURE_MAX_AGE``; it asks per-list changes only of the lists that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from indexer.sharepoint.changes import Change
from indexer.sharepoint.constants import SECURITY_CHANGE_TYPES
from indexer.sharepoint.libraries import Library
from indexer.sharepoint.sites import SiteInfo

# How long a stored copy of a site, its lists and a hub's sites is trusted without a change.
STRUCTURE_MAX_AGE = timedelta(minutes=15)

SITE_PREFIX = "site:"
HUB_KEY = "hub"


def _older_than(stamp: str, age: timedelta, now: datetime) -> bool:
    return not stamp or now - datetime.fromisoformat(stamp) > age


@dataclass
class SiteState:
    """A site's checkpoint: its change token and the site and lists it was last seen with.

    ``requested_url`` is the URL the site was asked for (from the settings or the hub), ``url``
    and ``title`` are the web's own; ``site`` holds the :class:`SiteInfo` fields and ``lists``
    the :class:`Library` fields of each mirrored list plus its ``kind``.
    """

    requested_url: str
    url: str = ""
    title: str = ""
    token: str = ""
    token_obtained: str = ""
    refreshed: str = ""
    site: dict = field(default_factory=dict)
    lists: list[dict] = field(default_factory=list)

    @classmethod
    def find(cls, checkpoints: dict[str, dict], requested_url: str) -> SiteState | None:
        """The stored state of the site asked for at ``requested_url``, if there is one."""
        wanted = requested_url.rstrip("/").lower()
        for key, value in checkpoints.items():
            if (key.startswith(SITE_PREFIX) and value.get("site")
                    and value.get("requested_url", "").lower() == wanted):
                return cls(**value)
        return None

    @property
    def key(self) -> str:
        """The checkpoint key."""
        return SITE_PREFIX + self.site["id"]

    @property
    def info(self) -> SiteInfo:
        """The site as last read."""
        return SiteInfo(**self.site)

    def libraries(self) -> list[tuple[Library, str]]:
        """The mirrored lists as last read, each with its kind (``documents`` or ``pages``)."""
        return [(Library(**{k: v for k, v in entry.items() if k != "kind"}), entry["kind"])
                for entry in self.lists]

    def remember(self, info: SiteInfo, lists: Sequence[tuple[Library, str]],
                 now: datetime) -> None:
        """Keep the site and its lists as just read."""
        self.site, self.url, self.title = asdict(info), info.url, info.title
        self.lists = [asdict(library) | {"kind": kind} for library, kind in lists]
        self.refreshed = now.isoformat()

    def stale(self, now: datetime) -> bool:
        """Whether the copy of the site and its lists is too old to trust."""
        return not self.site or _older_than(self.refreshed, STRUCTURE_MAX_AGE, now)

    def token_older_than(self, days: float, now: datetime) -> bool:
        """Whether the change token is missing or older than ``days``."""
        return not self.token or _older_than(self.token_obtained, timedelta(days=days), now)


@dataclass(frozen=True)
class SiteChanges:
    """What a site's changes since its token call for."""

    lists: frozenset[str]  # ids (lower case) of lists with item changes
    structure: bool  # a list, the web or the site changed: read them again
    security: bool  # groups, users or permissions changed: resolve acls again

    @classmethod
    def of(cls, changes: Sequence[Change]) -> SiteChanges:
        """Sort a site's changes by what they call for."""
        items = [c for c in changes if c.kind == "item"]
        others = [c for c in changes if c.kind != "item"]
        security = [c for c in others
                    if c.kind in ("group", "user") or c.change_type in SECURITY_CHANGE_TYPES]
        return cls(lists=frozenset(c.list_id.lower() for c in items),
                   structure=any(c not in security for c in others), security=bool(security))


@dataclass
class HubState:
    """The sites found associated with the hub site, stored as the ``hub`` checkpoint."""

    url: str
    hub_site_id: str = ""
    sites: list[str] = field(default_factory=list)
    refreshed: str = ""

    @classmethod
    def find(cls, checkpoints: dict[str, dict], url: str) -> HubState | None:
        """The stored state of the hub at ``url``, if there is one."""
        value = checkpoints.get(HUB_KEY)
        if value and value.get("url", "").lower() == url.rstrip("/").lower():
            return cls(**value)
        return None

    def stale(self, now: datetime) -> bool:
        """Whether the hub's sites should be searched for again."""
        return not self.hub_site_id or _older_than(self.refreshed, STRUCTURE_MAX_AGE, now)
