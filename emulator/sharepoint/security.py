"""Principals and permissions: ``siteusers``, ``sitegroups``, ``roledefinitions`` and the
``roleassignments`` of webs, lists, folders and items.

Reading permissions app-only needs full control; the tokens SharePoint accepts
(``Sites.FullControl.All``, or ``Sites.Selected`` on a granted site) all carry it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import principal_not_found, resource_not_found
from emulator.sharepoint.odata import Complex, Int64
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Collection, Nav, Node, Resource
from emulator.tenant import (
    ROLE_DEFINITIONS,
    SHAREPOINT_GROUP,
    USER,
    RoleAssignment,
    RoleDefinition,
    Site,
    SitePrincipal,
)

_ROLE_TEXT = {
    5: ("Has full control.", 1),
    4: ("Can view, add, update, delete, approve, and customize.", 32),
    6: ("Can add, edit and delete lists; can view, add, update and delete list items and "
        "documents.", 48),
    3: ("Can view, add, update, and delete list items and documents.", 64),
    2: ("Can view pages and list items and download documents.", 128),
    1: ("Can view specific lists, document libraries, list items, folders, or documents when "
        "given permissions.", 160),
}


def _name_id(login_name: str) -> str:
    return hashlib.sha256(login_name.lower().encode()).hexdigest()[:16]


def _id_info(name_id: str) -> Complex:
    return Complex("SP.UserIdInfo", {"NameId": name_id,
                                     "NameIdIssuer": "urn:federation:microsoftonline"})


class UserRes(Resource):
    """``SP.User``: a person, or an Entra group (PrincipalType 4) in the user information list."""

    type_name = "SP.User"

    def __init__(self, site: Site, principal: SitePrincipal) -> None:
        self.site, self.principal = site, principal

    def path(self, ctx: Ctx) -> str:
        return f"Web/GetUserById({self.principal.id})"

    def properties(self, ctx: Ctx) -> dict:
        p, person = self.principal, self.principal.principal_type == USER
        user_id = _id_info(_name_id(p.login_name)) if person else None
        member = ctx.tenant.directory.user_by_upn(p.login_name.rsplit("|", 1)[-1])
        return {"Id": p.id, "IsHiddenInUI": False, "LoginName": p.login_name, "Title": p.title,
                "PrincipalType": p.principal_type,
                "AadObjectId": _id_info(member.oid) if person and member else None,
                "Email": p.email, "Expiration": "",
                "IsEmailAuthenticationGuestUser": False, "IsShareByEmailGuestUser": False,
                "IsSiteAdmin": p.is_site_admin, "UserId": user_id,
                "UserPrincipalName": p.email if person and p.email else None}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        def groups() -> list[Resource]:
            return [GroupRes(self.site, g) for g in self.site.principals.values()
                    if g.principal_type == SHAREPOINT_GROUP and self.principal.id in g.members]

        return {"Groups": groups}


class GroupRes(Resource):
    """``SP.Group``: a SharePoint group of the site."""

    type_name = "SP.Group"

    def __init__(self, site: Site, group: SitePrincipal) -> None:
        self.site, self.group = site, group

    def path(self, ctx: Ctx) -> str:
        return f"Web/SiteGroups/GetById({self.group.id})"

    def _owner(self) -> SitePrincipal:
        return next((p for p in self.site.principals.values()
                     if p.principal_type == SHAREPOINT_GROUP and p.title.endswith(" Owners")),
                    self.group)

    def properties(self, ctx: Ctx) -> dict:
        g = self.group
        return {"Id": g.id, "IsHiddenInUI": False, "LoginName": g.login_name, "Title": g.title,
                "PrincipalType": SHAREPOINT_GROUP, "AllowMembersEditMembership": False,
                "AllowRequestToJoinLeave": False, "AutoAcceptRequestToJoinLeave": False,
                "Description": g.description or None, "OnlyAllowMembersViewMembership": False,
                "OwnerTitle": self._owner().title, "RequestToJoinLeaveEmailSetting": ""}

    def members(self) -> list[Resource]:
        """The group's direct members."""
        found = (self.site.principals.get(m) for m in self.group.members)
        return [principal_resource(self.site, p) for p in found if p is not None]

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        return {"Owner": lambda: GroupRes(self.site, self._owner()), "Users": self.members}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        return {"users": lambda seg: _member_of(Principals(self.members()), seg, ctx)}


def principal_resource(site: Site, principal: SitePrincipal) -> Resource:
    """The REST entity of a user, Entra group or SharePoint group."""
    if principal.principal_type == SHAREPOINT_GROUP:
        return GroupRes(site, principal)
    return UserRes(site, principal)


class Principals(Collection):
    """A fixed collection of principals (a group's users)."""

    def __init__(self, members: list[Resource]) -> None:
        self._members = members

    def members(self, ctx: Ctx) -> list[Resource]:
        return list(self._members)

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for member in self._members:
            if member.properties(ctx)["Id"] == value:
                return member
        raise principal_not_found("User")


def _member_of(collection: Collection, seg: Segment, ctx: Ctx) -> Node:
    return collection.by_id(seg.arg("id"), ctx) if seg.called else collection


class SiteUsers(Collection):
    """``/_api/web/siteusers``: people and Entra groups known to the site."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def members(self, ctx: Ctx) -> list[Resource]:
        return [UserRes(self.site, p) for p in self.site.principals.values()
                if p.principal_type != SHAREPOINT_GROUP]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        found = self.site.principals.get(value) if isinstance(value, int) else None
        if found is None or found.principal_type == SHAREPOINT_GROUP:
            raise principal_not_found("User")
        return UserRes(self.site, found)

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_login(seg: Segment) -> Node:
            found = self.site.principal_by_login(str(seg.arg("loginName")))
            if found is None or found.principal_type == SHAREPOINT_GROUP:
                raise principal_not_found("User")
            return UserRes(self.site, found)

        return super().routes(ctx) | {"getbyloginname": by_login}


class SiteGroups(Collection):
    """``/_api/web/sitegroups``: the site's SharePoint groups."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def members(self, ctx: Ctx) -> list[Resource]:
        return [GroupRes(self.site, p) for p in self.site.principals.values()
                if p.principal_type == SHAREPOINT_GROUP]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        found = self.site.principals.get(value) if isinstance(value, int) else None
        if found is None or found.principal_type != SHAREPOINT_GROUP:
            raise principal_not_found("Group")
        return GroupRes(self.site, found)

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_name(seg: Segment) -> Node:
            found = self.site.group_by_title(str(seg.arg("name")))
            if found is None:
                raise principal_not_found("Group")
            return GroupRes(self.site, found)

        return super().routes(ctx) | {"getbyname": by_name}


class RoleDefRes(Resource):
    """``SP.RoleDefinition``: a permission level."""

    type_name = "SP.RoleDefinition"

    def __init__(self, role: RoleDefinition) -> None:
        self.role = role

    def path(self, ctx: Ctx) -> str:
        return f"Web/RoleDefinitions({self.role.id})"

    def properties(self, ctx: Ctx) -> dict:
        r = self.role
        description, order = _ROLE_TEXT.get(r.role_type_kind, ("", 0))
        permissions = Complex("SP.BasePermissions", {"High": Int64(r.high), "Low": Int64(r.low)})
        return {"BasePermissions": permissions, "Description": description,
                "Hidden": r.hidden, "Id": r.id, "Name": r.name, "Order": order,
                "RoleTypeKind": r.role_type_kind}


class RoleDefinitions(Collection):
    """``/_api/web/roledefinitions``."""

    def members(self, ctx: Ctx) -> list[Resource]:
        return [RoleDefRes(r) for r in ROLE_DEFINITIONS.values()]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        if value not in ROLE_DEFINITIONS:
            raise resource_not_found(str(value))
        return RoleDefRes(ROLE_DEFINITIONS[value])

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_name(seg: Segment) -> Node:
            wanted = str(seg.arg("name")).lower()
            role = next((r for r in ROLE_DEFINITIONS.values() if r.name.lower() == wanted), None)
            if role is None:
                raise resource_not_found(seg.name)
            return RoleDefRes(role)

        def by_type(seg: Segment) -> Node:
            kind = seg.arg("roleType")
            role = next((r for r in ROLE_DEFINITIONS.values() if r.role_type_kind == kind), None)
            if role is None:
                raise resource_not_found(seg.name)
            return RoleDefRes(role)

        return super().routes(ctx) | {"getbyname": by_name, "getbytype": by_type}


class RoleAssignmentRes(Resource):
    """``SP.RoleAssignment``: one principal's permission levels on a securable object."""

    type_name = "SP.RoleAssignment"

    def __init__(self, site: Site, owner_path: str, assignment: RoleAssignment) -> None:
        self.site, self.owner_path, self.assignment = site, owner_path, assignment

    def path(self, ctx: Ctx) -> str:
        return f"{self.owner_path}/RoleAssignments/GetByPrincipalId({self.assignment.principal_id})"

    def properties(self, ctx: Ctx) -> dict:
        return {"PrincipalId": self.assignment.principal_id}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        def member() -> Resource | None:
            found = self.site.principals.get(self.assignment.principal_id)
            return principal_resource(self.site, found) if found else None

        def bindings() -> list[Resource]:
            return [RoleDefRes(ROLE_DEFINITIONS[r]) for r in self.assignment.role_ids
                    if r in ROLE_DEFINITIONS]

        return {"Member": member, "RoleDefinitionBindings": bindings}


class RoleAssignments(Collection):
    """The role assignments in force on a web, list, folder or item."""

    def __init__(self, site: Site, owner_path: str, assignments: list[RoleAssignment]) -> None:
        self.site, self.owner_path, self.assignments = site, owner_path, assignments

    def members(self, ctx: Ctx) -> list[Resource]:
        return [RoleAssignmentRes(self.site, self.owner_path, a) for a in self.assignments]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for assignment in self.assignments:
            if assignment.principal_id == value:
                return RoleAssignmentRes(self.site, self.owner_path, assignment)
        raise principal_not_found("User")

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        return {"getbyprincipalid": lambda seg: self.by_id(seg.arg("principalId"), ctx)}


def role_assignments(site: Site, owner_path: str, assignments: list[RoleAssignment],
                     ctx: Ctx) -> Callable[[], list[Resource]]:
    """The ``RoleAssignments`` navigation of a securable object."""
    return lambda: RoleAssignments(site, owner_path, assignments).members(ctx)
