"""Permissions: who may view a web, a list or an item, as a set of principal strings.

``everyone`` is any member of the organisation, ``user:<entra object id>`` one user and
``group:<entra object id>`` an Entra group. SharePoint groups are expanded into their members,
and site collection admins, who see everything, are always included. Anything that cannot be
mapped (guests without an Entra object id, owners-only claims, unknown claims) grants nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from office365.runtime.client_object import ClientObject
from office365.runtime.paths.v3.entity import EntityPath
from office365.sharepoint.client_context import ClientContext
from office365.sharepoint.principal.groups.group import Group

from indexer.sharepoint.constants import (
    EVERYONE,
    EVERYONE_LOGINS,
    GROUP_LOGIN_PREFIXES,
    GROUP_OWNERS_SUFFIX,
    ROLE_ASSIGNMENT_EXPAND,
    SHAREPOINT_GROUP,
    USER_LOGIN_PREFIX,
    VIEW_LIST_ITEMS,
    VIEW_ROLE_KINDS,
)
from indexer.sharepoint.items import item_object
from indexer.sharepoint.values import plain

log = logging.getLogger(__name__)

Principals = frozenset[str]


def grants_view(binding: dict) -> bool:
    """Whether a role definition lets its holder view items.

    Reader … Reviewer (RoleTypeKind 2–7) do; a custom role (0) does when its BasePermissions
    hold ViewListItems; Limited Access (1) and the restricted kinds never do.
    """
    kind = int(binding.get("RoleTypeKind") or 0)
    if kind:
        return kind in VIEW_ROLE_KINDS
    low = (binding.get("BasePermissions") or {}).get("Low") or 0
    return bool(int(low) & VIEW_LIST_ITEMS)


def principal_of(member: dict) -> str | None:
    """The principal string of a user or claim (not a SharePoint group), or None."""
    login = (member.get("LoginName") or "").lower()
    if login.startswith(EVERYONE_LOGINS):
        return EVERYONE
    for prefix in GROUP_LOGIN_PREFIXES:
        if login.startswith(prefix):
            group_id = login.removeprefix(prefix)
            return None if group_id.endswith(GROUP_OWNERS_SUFFIX) else f"group:{group_id}"
    if login.startswith(USER_LOGIN_PREFIX):
        object_id = (member.get("AadObjectId") or {}).get("NameId")
        if object_id:
            return f"user:{object_id.lower()}"
        log.debug("no AadObjectId for %s: it grants nothing", login)
    return None


class PermissionResolver:
    """Reads role assignments of one site; caches its groups and admins for one pass."""

    def __init__(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self._groups: dict[int, Principals] = {}
        self._admins: Principals | None = None

    def for_web(self) -> Principals:
        """Who may view the web (and what inherits from it)."""
        return self._viewers(self._ctx.web)

    def for_list(self, list_id: str) -> Principals:
        """Who may view a list (its own permissions, or the web's it inherits)."""
        return self._viewers(self._ctx.web.lists.get_by_id(list_id))

    def for_item(self, list_id: str, item_id: int) -> Principals:
        """Who may view an item (its own permissions, or those it inherits)."""
        return self._viewers(item_object(self._ctx, list_id, item_id))

    def admins(self) -> Principals:
        """The site collection admins, who may view everything."""
        if self._admins is None:
            users = self._ctx.web.site_users.filter("IsSiteAdmin eq true").get()
            self._ctx.execute_query()
            self._admins = self._resolve(u for u in plain(users) if u.get("IsSiteAdmin"))
        return self._admins

    def _viewers(self, securable: ClientObject) -> Principals:
        assignments = securable.role_assignments.expand(list(ROLE_ASSIGNMENT_EXPAND)).get()
        self._ctx.execute_query()
        members = [a.get("Member") or {} for a in plain(assignments)
                   if any(grants_view(b) for b in a.get("RoleDefinitionBindings") or ())]
        return self.admins() | self._resolve(members)

    def _resolve(self, members: Iterable[dict]) -> Principals:
        principals: set[str] = set()
        for member in members:
            if member.get("PrincipalType") == SHAREPOINT_GROUP:
                principals |= self._group(int(member["Id"]), member.get("Users"))
            elif (principal := principal_of(member)) is not None:
                principals.add(principal)
        return frozenset(principals)

    def _group(self, group_id: int, users: list[dict] | None) -> Principals:
        """A SharePoint group's members: ``users`` if expanded, else ``sitegroups(id)/users``."""
        if group_id not in self._groups:
            self._groups[group_id] = frozenset()  # a group inside itself adds nothing
            if users is None:
                groups = self._ctx.web.site_groups.resource_path
                group = Group(self._ctx, EntityPath(group_id, groups))
                found = group.users.get()
                self._ctx.execute_query()
                users = plain(found)
            self._groups[group_id] = self._resolve(users)
        return self._groups[group_id]
