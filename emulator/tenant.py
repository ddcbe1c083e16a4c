"""SharePoint's side of the tenant: sites, lists, items, versions, principals and permissions.

These are plain records. Changes that SharePoint would log go through ``emulator.editing``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from emulator.changelog import ChangeLog
from emulator.clock import Clock
from emulator.directory import Directory, new_id

# SharePoint principal types.
USER, SECURITY_GROUP, SHAREPOINT_GROUP = 1, 4, 8

# Base templates of the lists the indexer reads.
DOCUMENT_LIBRARY, SITE_PAGES = 101, 119

# Moderation status values (_ModerationStatus).
APPROVED, DENIED, PENDING, DRAFT = 0, 1, 2, 3

EVERYONE_LOGIN = "c:0(.s|true"

Content = bytes | Callable[[], bytes]


@dataclass(frozen=True)
class RoleDefinition:
    """A permission level with its SharePoint ids and masks."""

    id: int
    name: str
    role_type_kind: int
    high: int
    low: int
    hidden: bool = False


ROLE_DEFINITIONS = {
    r.id: r
    for r in (
        RoleDefinition(1073741829, "Full Control", 5, 2147483647, 4294967295),
        RoleDefinition(1073741828, "Design", 4, 432, 1012866047),
        RoleDefinition(1073741830, "Edit", 6, 432, 1011030767),
        RoleDefinition(1073741827, "Contribute", 3, 432, 1011028719),
        RoleDefinition(1073741826, "Read", 2, 176, 138612833),
        RoleDefinition(1073741825, "Limited Access", 1, 48, 134287360, hidden=True),
    )
}
ROLE_BY_NAME = {r.name: r for r in ROLE_DEFINITIONS.values()}


@dataclass
class RoleAssignment:
    """One principal's permission levels on a securable object."""

    principal_id: int
    role_ids: list[int]


@dataclass
class SitePrincipal:
    """An entry of a site's user information list: a user, an Entra group or a SharePoint group."""

    id: int
    login_name: str
    title: str
    principal_type: int
    email: str = ""
    is_site_admin: bool = False
    members: list[int] = field(default_factory=list)
    description: str = ""


@dataclass
class Version:
    """One version of a list item: its field values and, for files, its bytes."""

    major: int
    minor: int
    fields: dict
    created: datetime
    editor_id: int
    content: Content | None = None
    size: int = 0
    moderation_status: int = APPROVED

    @property
    def label(self) -> str:
        """The version label, such as ``"2.0"`` or ``"2.1"``."""
        return f"{self.major}.{self.minor}"

    @property
    def version_id(self) -> int:
        """SharePoint's numeric version id: major * 512 + minor."""
        return self.major * 512 + self.minor

    def read(self) -> bytes:
        """The bytes of this version (empty for items without a file)."""
        if self.content is None:
            return b""
        return self.content() if callable(self.content) else self.content


@dataclass
class ListItem:
    """A file, folder or page in a list, with its version history (oldest first)."""

    id: int
    name: str
    dir: str
    is_folder: bool
    author_id: int
    created: datetime
    versions: list[Version]
    unique_id: str = field(default_factory=new_id)
    content_type_id: str = "0x0101"
    role_assignments: list[RoleAssignment] | None = None

    @property
    def file_ref(self) -> str:
        """Server-relative URL of the file or folder."""
        return f"{self.dir}/{self.name}"

    @property
    def current(self) -> Version:
        """The newest version, which may be a draft."""
        return self.versions[-1]

    @property
    def fields(self) -> dict:
        """Field values of the newest version."""
        return self.current.fields

    @property
    def modified(self) -> datetime:
        """When the newest version was saved."""
        return self.current.created

    @property
    def editor_id(self) -> int:
        """Who saved the newest version."""
        return self.current.editor_id

    @property
    def has_unique_role_assignments(self) -> bool:
        """Whether this item has broken permission inheritance."""
        return self.role_assignments is not None


@dataclass
class SPList:
    """A document library or the Site Pages library."""

    id: str
    title: str
    base_template: int
    entity_type_name: str
    root_url: str
    created: datetime
    description: str = ""
    enable_minor_versions: bool = False
    enable_moderation: bool = False
    hidden: bool = False
    items: dict[int, ListItem] = field(default_factory=dict)
    next_item_id: int = 1
    role_assignments: list[RoleAssignment] | None = None
    last_item_modified: datetime | None = None

    @property
    def has_unique_role_assignments(self) -> bool:
        """Whether this list has broken permission inheritance."""
        return self.role_assignments is not None

    def item_by_url(self, server_relative_url: str) -> ListItem | None:
        """Find a file or folder by its server-relative URL, case-insensitively."""
        wanted = server_relative_url.rstrip("/").lower()
        return next((i for i in self.items.values() if i.file_ref.lower() == wanted), None)


@dataclass
class Site:
    """A site collection with its root web."""

    id: str
    web_id: str
    url: str
    title: str
    template: str
    created: datetime
    description: str = ""
    language: int = 1030
    hub_site_id: str | None = None
    is_hub_site: bool = False
    principals: dict[int, SitePrincipal] = field(default_factory=dict)
    next_principal_id: int = 1
    role_assignments: list[RoleAssignment] = field(default_factory=list)
    lists: dict[str, SPList] = field(default_factory=dict)
    changes: ChangeLog = field(default_factory=ChangeLog)

    @property
    def name(self) -> str:
        """The last segment of the site URL, such as ``intranet``."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    def list_by_url(self, server_relative_url: str) -> SPList | None:
        """Find a list by its root folder URL, case-insensitively."""
        wanted = server_relative_url.rstrip("/").lower()
        return next((lst for lst in self.lists.values() if lst.root_url.lower() == wanted), None)

    def list_by_title(self, title: str) -> SPList | None:
        """Find a list by title, case-insensitively."""
        return next((x for x in self.lists.values() if x.title.lower() == title.lower()), None)

    def principal_by_login(self, login_name: str) -> SitePrincipal | None:
        """Find a principal by claims login name, case-insensitively."""
        wanted = login_name.lower()
        return next((p for p in self.principals.values() if p.login_name.lower() == wanted), None)

    def group_by_title(self, title: str) -> SitePrincipal | None:
        """Find a SharePoint group by title."""
        return next((p for p in self.principals.values()
                     if p.principal_type == SHAREPOINT_GROUP and p.title == title), None)

    def ensure_principal(self, login_name: str, title: str, principal_type: int,
                         email: str = "") -> SitePrincipal:
        """Return the site's principal for ``login_name``, adding it if it is new."""
        found = self.principal_by_login(login_name)
        if found:
            return found
        principal = SitePrincipal(self.next_principal_id, login_name, title, principal_type, email)
        self.principals[principal.id] = principal
        self.next_principal_id += 1
        return principal

    def effective_role_assignments(self, lst: SPList | None = None,
                                   item: ListItem | None = None) -> list[RoleAssignment]:
        """The role assignments in force on a web, list or item, following inheritance."""
        if item is not None and lst is not None:
            node: ListItem | None = item
            while node is not None:
                if node.role_assignments is not None:
                    return node.role_assignments
                node = lst.item_by_url(node.dir) if node.dir != lst.root_url else None
        if lst is not None and lst.role_assignments is not None:
            return lst.role_assignments
        return self.role_assignments


@dataclass
class Tenant:
    """Everything the emulator serves: the directory, the sites and the clock."""

    name: str
    directory: Directory
    clock: Clock = field(default_factory=Clock)
    sites: dict[str, Site] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    change_retention_days: int = 60
    expired_token_behaviour: str = "error"  # "error" (documented) or "silent" (SPO bug)

    def __getstate__(self) -> dict:
        """Pickle everything but the lock."""
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state: dict) -> None:
        """Restore a pickled tenant with a fresh lock."""
        self.__dict__.update(state)
        self.lock = threading.RLock()

    def site_by_url(self, server_relative_url: str) -> Site | None:
        """Find the site collection at ``/sites/<name>``, case-insensitively."""
        return self.sites.get(server_relative_url.rstrip("/").lower())

    def site_by_id(self, site_id: str) -> Site | None:
        """Find a site collection by its id."""
        return next((s for s in self.sites.values() if s.id == site_id), None)
