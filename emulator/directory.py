"""Entra ID's side of the tenant: users, groups and registered applications."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class User:
    """A member of the organisation."""

    oid: str
    upn: str
    name: str
    job_title: str = ""

    @property
    def login_name(self) -> str:
        """The SharePoint claims login name of this user."""
        return f"i:0#.f|membership|{self.upn}"


@dataclass
class Group:
    """An Entra security group or Microsoft 365 group."""

    id: str
    name: str
    members: set[str] = field(default_factory=set)
    microsoft365: bool = False

    @property
    def login_name(self) -> str:
        """The SharePoint claims login name of this group."""
        if self.microsoft365:
            return f"c:0o.c|federateddirectoryclaimprovider|{self.id}"
        return f"c:0t.c|tenant|{self.id}"


@dataclass
class App:
    """An app registration.

    ``certificates`` maps a SHA-1 thumbprint (hex) to the PEM public certificate that
    client assertions must be signed with; ``secrets`` are client secrets, which Entra
    accepts for sign-in and Graph but never for the SharePoint resource.
    ``sharepoint_access`` is ``"all"`` for Sites.FullControl.All, ``"selected"`` for
    Sites.Selected (then ``granted_sites`` lists the site paths) or ``"none"``.
    """

    client_id: str
    name: str
    redirect_uris: list[str] = field(default_factory=list)
    post_logout_redirect_uris: list[str] = field(default_factory=list)
    certificates: dict[str, bytes] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    sharepoint_access: str = "none"
    granted_sites: set[str] = field(default_factory=set)


def new_id() -> str:
    """A fresh GUID in SharePoint's lower-case form."""
    return str(uuid.uuid4())


@dataclass
class Directory:
    """All identities of one tenant."""

    tenant_id: str
    domain: str
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)

    def add_user(self, upn: str, name: str, job_title: str = "", oid: str | None = None) -> User:
        """Register a user; ``upn`` may be given without the domain."""
        if "@" not in upn:
            upn = f"{upn}@{self.domain}"
        user = User(oid=oid or new_id(), upn=upn, name=name, job_title=job_title)
        self.users[user.oid] = user
        return user

    def add_group(self, name: str, members: list[User] = (), microsoft365: bool = False,
                  gid: str | None = None) -> Group:
        """Register a group with its direct members."""
        group = Group(id=gid or new_id(), name=name, members={u.oid for u in members},
                      microsoft365=microsoft365)
        self.groups[group.id] = group
        return group

    def user_by_upn(self, upn: str) -> User | None:
        """Find a user by user principal name, case-insensitively."""
        upn = upn.lower()
        return next((u for u in self.users.values() if u.upn.lower() == upn), None)

    def groups_of(self, oid: str) -> list[Group]:
        """The groups a user is a direct member of."""
        return [g for g in self.groups.values() if oid in g.members]

    @property
    def everyone_login_name(self) -> str:
        """SharePoint's "Everyone except external users" claim for this tenant."""
        return f"c:0-.f|rolemanager|spo-grid-all-users/{self.tenant_id}"
