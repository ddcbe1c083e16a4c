"""Permissions over REST, and SharePoint's answers to missing, bad and insufficient tokens."""

from __future__ import annotations

import time

import pytest
import requests
from office365.runtime.client_request_exception import ClientRequestException
from office365.sharepoint.client_context import ClientContext

from emulator.directory import App
from emulator.server import Emulator
from emulator.tenant import Tenant


def test_web_role_assignments_with_members_and_levels(connect) -> None:
    ctx = connect("intranet")
    assignments = ctx.web.role_assignments.expand(
        ["Member/Users", "RoleDefinitionBindings"]).get().execute_query()
    by_group = {a.member.title: a for a in assignments}
    assert set(by_group) == {"Intranet Owners", "Intranet Members", "Intranet Visitors"}
    visitors = by_group["Intranet Visitors"]
    assert visitors.member.properties["PrincipalType"].value == 8
    [binding] = visitors.role_definition_bindings
    assert binding.properties["RoleTypeKind"] == 2 and binding.name == "Read"
    staff = visitors.member.properties["Users"][0]
    assert staff["PrincipalType"] == 4
    assert staff["LoginName"].startswith("c:0t.c|tenant|")


def test_unique_item_permissions_in_one_round_trip(connect, tenant: Tenant) -> None:
    ctx = connect("intranet")
    items = ctx.web.lists.get_by_title("Dokumenter").items.select(
        ["Id", "HasUniqueRoleAssignments", "RoleAssignments/Member/LoginName",
         "RoleAssignments/Member/PrincipalType",
         "RoleAssignments/RoleDefinitionBindings/RoleTypeKind"]).expand(
        ["RoleAssignments", "RoleAssignments/Member", "RoleAssignments/RoleDefinitionBindings"]
    ).get_all(page_size=50).execute_query()
    by_id = {i.id: i for i in items}
    secret, inherited = by_id[2], by_id[14]
    assert secret.properties["HasUniqueRoleAssignments"] is True
    assert inherited.properties["HasUniqueRoleAssignments"] is False
    leaders = next(g for g in tenant.directory.groups.values() if g.name == "Ledere")
    [grant] = secret.role_assignments
    assert grant.member.properties["LoginName"] == leaders.login_name
    assert grant.role_definition_bindings[0].properties["RoleTypeKind"] == 2
    assert {a.member.properties["LoginName"] for a in inherited.role_assignments} == {
        leaders.login_name}
    assert len(by_id[3].role_assignments) == 3


def test_role_definitions_groups_and_users(connect) -> None:
    ctx = connect("intranet")
    definitions = ctx.web.role_definitions.get().execute_query()
    read = next(d for d in definitions if d.name == "Read")
    assert read.properties["BasePermissions"].Low == 138612833
    groups = ctx.web.site_groups.get().execute_query()
    owners = next(g for g in groups if g.title == "Intranet Owners")
    users = ctx.web.site_groups.get_by_id(owners.id).users.get().execute_query()
    assert [u.properties["UserPrincipalName"] for u in users] == ["anna@kommune.example"]
    anna = ctx.web.get_user_by_id(users[0].id).get().execute_query()
    assert anna.properties["Email"] == "anna@kommune.example"
    site_users = ctx.web.site_users.get().execute_query()
    assert {u.properties["PrincipalType"].value for u in site_users} == {1, 4}


def test_no_token_is_challenged(emu: Emulator, tenant: Tenant) -> None:
    answer = requests.get(f"{emu.site_url('intranet')}/_api/web", timeout=10,
                          headers={"Accept": "application/json;odata=verbose"})
    assert answer.status_code == 401
    challenge = answer.headers["WWW-Authenticate"]
    realm = tenant.directory.tenant_id
    assert challenge.startswith(f'Bearer realm="{realm}",client_id="00000003-0000-0ff1-ce00')
    assert "error_description" in answer.json()


def _app_claims(emu: Emulator, tenant: Tenant, **extra) -> dict:
    tenant_id = tenant.directory.tenant_id
    return {"tid": tenant_id, "iss": f"https://sts.windows.net/{tenant_id}/",
            "appid": emu.registration.client_id, "idtyp": "app", "appidacr": "2",
            "aud": emu.sharepoint_url, "roles": ["Sites.FullControl.All"]} | extra


def test_bad_tokens_are_refused(emu: Emulator, tenant: Tenant) -> None:
    signer = emu.state.signer
    url = f"{emu.site_url('intranet')}/_api/web"
    graph = signer.sign(_app_claims(emu, tenant, aud="https://graph.microsoft.com"))
    answer = requests.get(url, headers={"Authorization": f"Bearer {graph}"}, timeout=10)
    assert answer.status_code == 401
    assert "Invalid audience Uri" in answer.headers["x-ms-diagnostics"]
    expired = signer.sign(_app_claims(emu, tenant), lifetime=-60)
    answer = requests.get(url, headers={"Authorization": f"Bearer {expired}"}, timeout=10)
    assert answer.status_code == 401
    assert answer.headers["x-ms-diagnostics"].startswith("3000002;")
    assert answer.json()["error_description"].startswith("The access token has expired.")


def test_revoked_tokens_are_refused(emu: Emulator, connect) -> None:
    ctx = connect("intranet")
    ctx.web.get().execute_query()
    emu.state.tokens_revoked_before = time.time() + 5
    with pytest.raises(ClientRequestException) as caught:
        ctx.web.lists.get().execute_query()
    assert caught.value.response.status_code == 401


def test_sites_selected_app_sees_only_its_sites(emu: Emulator, tenant: Tenant,
                                                token_source) -> None:
    certificate = emu.registration.certificate
    app = App("7f1c2b3a-0000-4000-8000-00000000abcd", "Selected", sharepoint_access="selected",
              granted_sites={"/sites/hr"})
    app.certificates[certificate.thumbprint] = certificate.cert_pem
    tenant.directory.apps[app.client_id] = app
    acquire = token_source(app.client_id)
    hr = ClientContext(emu.site_url("hr")).with_access_token(acquire)
    assert hr.web.get().execute_query().title == "HR"
    intranet = ClientContext(emu.site_url("intranet")).with_access_token(acquire)
    with pytest.raises(ClientRequestException) as caught:
        intranet.web.get().execute_query()
    assert caught.value.response.status_code == 403
    assert caught.value.code == "-2147024891, System.UnauthorizedAccessException"


def test_an_app_without_a_sharepoint_role_is_forbidden(emu: Emulator, tenant: Tenant) -> None:
    token = emu.state.signer.sign(_app_claims(emu, tenant, roles=["Sites.Read.All"]))
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json;odata=verbose"}
    denied = requests.get(f"{emu.site_url('intranet')}/_api/web", headers=headers, timeout=10)
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "-2147024891, System.UnauthorizedAccessException"
