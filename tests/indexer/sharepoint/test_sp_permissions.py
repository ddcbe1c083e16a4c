"""Who may view: role assignments mapped to principals, SharePoint groups expanded."""

from __future__ import annotations

import pytest

from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.tenant import USER
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.permissions import grants_view, principal_of

GUID = "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5"


def user(emulator: Emulator, upn: str) -> str:
    """The principal string of a directory user."""
    return f"user:{emulator.tenant.directory.user_by_upn(upn).oid}"


def group(emulator: Emulator, name: str) -> str:
    """The principal string of an Entra group."""
    found = next(g for g in emulator.tenant.directory.groups.values() if g.name == name)
    return f"group:{found.id}"


def test_the_intranet_is_open_to_everyone(emulator: Emulator, client: SharePointClient) -> None:
    viewers = client.web_viewers()

    # Owners: the IT admin; Members: Kommunikation; Visitors: everyone except external users
    assert viewers == {user(emulator, people.IT_ADMIN), group(emulator, people.COMMUNICATION),
                       "everyone"}


def test_a_library_with_its_own_permissions(emulator: Emulator,
                                            client: SharePointClient) -> None:
    hr = client.for_site(emulator.site_url("hr"))
    [files] = hr.document_libraries([catalogue.PERSONNEL_FILES])

    viewers = hr.list_viewers(files.id)

    # Administration (Edit) and the "HR Owners" SharePoint group, whose member is the HR user
    assert viewers == {group(emulator, people.ADMINISTRATION), user(emulator, people.HR)}


def test_an_item_only_one_user_may_see(emulator: Emulator, client: SharePointClient) -> None:
    hr = client.for_site(emulator.site_url("hr"))
    secret = emulator.tenant.site_by_url(catalogue.HR_SITE).list_by_title(
        catalogue.PERSONNEL_FILES)
    item = secret.item_by_url(catalogue.SECRET_PATH)

    assert hr.item_viewers(secret.id, item.id) == {user(emulator, catalogue.SECRET_USER)}


def test_site_collection_admins_see_everything(emulator: Emulator,
                                               client: SharePointClient) -> None:
    hr_site = emulator.tenant.site_by_url(catalogue.HR_SITE)
    admin = emulator.tenant.directory.user_by_upn(people.IT_ADMIN)
    hr_site.ensure_principal(admin.login_name, admin.name, USER, admin.upn).is_site_admin = True
    hr = client.for_site(emulator.site_url("hr"))
    secret = hr_site.list_by_title(catalogue.PERSONNEL_FILES)
    item = secret.item_by_url(catalogue.SECRET_PATH)

    assert hr.item_viewers(secret.id, item.id) == {user(emulator, catalogue.SECRET_USER),
                                                   user(emulator, people.IT_ADMIN)}


def test_sharepoint_groups_are_read_once_per_site(emulator: Emulator,
                                                  client: SharePointClient) -> None:
    first = client.web_viewers()
    emulator.state.requests.clear()

    assert client.web_viewers() == first
    assert emulator.state.requests.matching("/siteusers") == []
    assert client.for_site(client.site_url).web_viewers() == first  # a new pass reads again


@pytest.mark.parametrize(("member", "principal"), [
    ({"LoginName": "i:0#.f|membership|mette@sundby.dk", "AadObjectId": {"NameId": GUID}},
     f"user:{GUID}"),
    ({"LoginName": "i:0#.f|membership|gaest@example.com", "AadObjectId": None}, None),
    ({"LoginName": f"c:0o.c|federateddirectoryclaimprovider|{GUID}"}, f"group:{GUID}"),
    ({"LoginName": f"c:0o.c|federateddirectoryclaimprovider|{GUID}_o"}, None),
    ({"LoginName": f"c:0t.c|tenant|{GUID.upper()}"}, f"group:{GUID}"),
    ({"LoginName": f"c:0-.f|rolemanager|spo-grid-all-users/{GUID}"}, "everyone"),
    ({"LoginName": "c:0(.s|true"}, "everyone"),
    ({"LoginName": "c:0u.c|tenant|something-else"}, None),
    ({"LoginName": "SHAREPOINT\\system"}, None),
])
def test_login_names_map_to_principals(member: dict, principal: str | None) -> None:
    assert principal_of(member) == principal


@pytest.mark.parametrize(("binding", "grants"), [
    ({"RoleTypeKind": 2}, True),  # Read
    ({"RoleTypeKind": 5}, True),  # Full Control
    ({"RoleTypeKind": 7}, True),  # Reviewer
    ({"RoleTypeKind": 1, "BasePermissions": {"Low": "134287360"}}, False),  # Limited Access
    ({"RoleTypeKind": 0, "BasePermissions": {"Low": "1", "High": "0"}}, True),  # custom, view
    ({"RoleTypeKind": 0, "BasePermissions": {"Low": "2", "High": "0"}}, False),
    ({"RoleTypeKind": 8, "BasePermissions": {"Low": "1"}}, False),  # a restricted kind
])
def test_which_roles_grant_view(binding: dict, grants: bool) -> None:
    assert grants_view(binding) is grants
