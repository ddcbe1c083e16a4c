"""Change tokens and GetChanges on sites and lists, as the indexer's incremental sync uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from office365.runtime.client_request_exception import ClientRequestException
from office365.sharepoint.changes.item import ChangeItem
from office365.sharepoint.changes.query import ChangeQuery
from office365.sharepoint.changes.token import ChangeToken

from emulator import changelog as cl
from emulator import editing
from emulator.server import Emulator
from emulator.tenant import Tenant


def _item_query(token: str, **flags: bool) -> ChangeQuery:
    return ChangeQuery(Item=True, Add=True, Update=True, DeleteObject=True, Rename=True,
                       Move=True, RoleAssignmentAdd=True, RoleAssignmentDelete=True,
                       ChangeTokenStart=ChangeToken(StringValue=token), **flags)


def _library(connect):
    ctx = connect("intranet")
    library = ctx.web.lists.get_by_title("Dokumenter").select(
        ["Id", "CurrentChangeToken"]).get().execute_query()
    return ctx, library


def test_editor_changes_appear_after_the_current_token(connect, tenant: Tenant) -> None:
    ctx, library = _library(connect)
    token = library.properties["CurrentChangeToken"].StringValue
    assert token.startswith(f"1;3;{library.id};")
    site = tenant.site_by_url("/sites/intranet")
    docs = site.list_by_title("Dokumenter")
    anna = tenant.directory.user_by_upn("anna@kommune.example")
    note = docs.item_by_url(f"{docs.root_url}/Notat 01.txt")
    editing.save_version(tenant, site, docs, note, anna, content=b"nyt indhold")
    editing.rename_item(tenant, site, docs, note, "Notat 01 rettet.txt")
    editing.delete_item(tenant, site, docs, docs.item_by_url(f"{docs.root_url}/Notat 02.txt"))
    editing.add_file(tenant, site, editing.site_pages(site), "", "Andet.aspx", b"<div></div>",
                     anna)

    changes = library.get_changes(_item_query(token)).execute_query()
    assert [(c.change_type.value, c.properties["ItemId"]) for c in changes] == [
        (cl.UPDATE, note.id), (cl.RENAME, note.id), (cl.DELETE_OBJECT, note.id + 1)]
    assert all(isinstance(c, ChangeItem) for c in changes)
    assert changes[0].properties["UniqueId"] == note.unique_id
    last = changes[-1].change_token.StringValue
    assert library.get_changes(_item_query(last)).execute_query().properties == {}
    assert len(library.get_changes(_item_query(last))) == 0


def test_fetch_limit_and_paging_by_last_token(connect, tenant: Tenant) -> None:
    ctx, library = _library(connect)
    token = library.properties["CurrentChangeToken"].StringValue
    site = tenant.site_by_url("/sites/intranet")
    docs = site.list_by_title("Dokumenter")
    anna = tenant.directory.user_by_upn("anna@kommune.example")
    for number in range(5):
        editing.add_file(tenant, site, docs, "", f"Ny {number}.txt", b"x", anna)
    first = library.get_changes(_item_query(token, FetchLimit="3")).execute_query()
    rest = library.get_changes(
        _item_query(first[-1].change_token.StringValue, FetchLimit="3")).execute_query()
    assert len(first) == 3 and len(rest) == 2


def test_site_changes_include_groups_and_lists(connect, tenant: Tenant) -> None:
    ctx = connect("intranet")
    site_entity = ctx.site.select(["CurrentChangeToken"]).get().execute_query()
    token = site_entity.current_change_token.StringValue
    site = tenant.site_by_url("/sites/intranet")
    editing.add_group_member(tenant, site, "Intranet Visitors",
                             tenant.directory.user_by_upn("bo@kommune.example").login_name)
    editing.add_list(tenant, site, "Arkiv", "Arkiv")
    query = ChangeQuery(Group=True, List=True, GroupMembershipAdd=True, Add=True,
                        ChangeTokenStart=ChangeToken(StringValue=token))
    changes = ctx.site.get_changes(query).execute_query()
    kinds = [(type(c).__name__, c.change_type.value) for c in changes]
    assert kinds == [("ChangeGroup", cl.MEMBER_ADD), ("ChangeList", cl.ADD)]
    assert changes[0].properties["GroupId"] == site.group_by_title("Intranet Visitors").id


@pytest.mark.parametrize("behaviour", ["error", "silent"])
def test_expired_token(connect, tenant: Tenant, behaviour: str) -> None:
    tenant.expired_token_behaviour = behaviour
    ctx, library = _library(connect)
    token = library.properties["CurrentChangeToken"].StringValue
    site = tenant.site_by_url("/sites/intranet")
    tenant.clock.advance(timedelta(days=61))
    editing.add_file(tenant, site, site.list_by_title("Dokumenter"), "", "Sent.txt", b"x",
                     tenant.directory.user_by_upn("anna@kommune.example"))
    if behaviour == "silent":
        assert len(library.get_changes(_item_query(token)).execute_query()) == 0
        return
    with pytest.raises(ClientRequestException) as caught:
        library.get_changes(_item_query(token)).execute_query()
    assert caught.value.response.status_code == 500
    assert caught.value.code == "-2146232832, Microsoft.SharePoint.SPInvalidChangeTokenException"
    assert "before the start of the current change log" in caught.value.message


@pytest.mark.parametrize("behaviour", ["error", "silent"])
def test_token_of_another_list(connect, tenant: Tenant, behaviour: str) -> None:
    tenant.expired_token_behaviour = behaviour
    ctx, library = _library(connect)
    pages = ctx.web.get_list("/sites/intranet/SitePages").select(
        ["CurrentChangeToken"]).get().execute_query()
    foreign = pages.properties["CurrentChangeToken"].StringValue
    if behaviour == "silent":
        assert len(library.get_changes(_item_query(foreign)).execute_query()) == 0
        return
    with pytest.raises(ClientRequestException, match="SPInvalidChangeTokenException"):
        library.get_changes(_item_query(foreign)).execute_query()


def test_malformed_token_is_always_an_error(connect, tenant: Tenant) -> None:
    tenant.expired_token_behaviour = "silent"
    ctx, library = _library(connect)
    with pytest.raises(ClientRequestException, match="SPInvalidChangeTokenException"):
        library.get_changes(_item_query("1;3;not-a-token")).execute_query()


def test_token_as_a_plain_string_is_refused(emu: Emulator, bearer, tenant: Tenant) -> None:
    docs = tenant.site_by_url("/sites/intranet").list_by_title("Dokumenter")
    url = f"{emu.site_url('intranet')}/_api/web/lists(guid'{docs.id}')/GetChanges"
    body = {"query": {"__metadata": {"type": "SP.ChangeQuery"}, "Item": True, "Add": True,
                      "ChangeTokenStart": "1;3;x;1;1"}}
    answer = requests.post(url, json=body, headers=bearer, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"].endswith("InvalidClientQueryException")
    assert requests.get(url, headers=bearer, timeout=10).status_code == 405
