"""Editor operations on sites and libraries: deleting a library, hub sites and joining them."""

from __future__ import annotations

import pytest
from office365.sharepoint.changes.query import ChangeQuery
from office365.sharepoint.changes.token import ChangeToken
from office365.sharepoint.changes.type import ChangeType

from emulator import editing
from emulator.server import Emulator
from emulator.tenant import Tenant


def _hub_rows(connect, hub_id: str) -> set[str]:
    result = connect("intranet").search.query(
        f"DepartmentId:{{{hub_id}}} contentclass:STS_Site", select_properties=["SPSiteUrl"],
        row_limit=500).execute_query()
    return {row.as_dict()["SPSiteUrl"] for row in result.value.rows}


def test_a_deleted_library_is_gone_and_its_deletion_is_logged_for_the_site(
        emu: Emulator, connect, tenant: Tenant) -> None:
    ctx = connect("intranet")
    token = ctx.site.select(["CurrentChangeToken"]).get().execute_query()
    start = token.properties["CurrentChangeToken"].StringValue
    site = tenant.site_by_url("/sites/intranet")
    documents = site.list_by_title("Dokumenter")

    editing.delete_list(tenant, site, documents)

    titles = [lst.title for lst in ctx.web.lists.get().execute_query()]
    assert "Dokumenter" not in titles and "Webstedssider" in titles
    changes = ctx.site.get_changes(ChangeQuery(
        List=True, Item=True, DeleteObject=True,
        ChangeTokenStart=ChangeToken(StringValue=start))).execute_query()
    assert [(type(c).__name__, c.properties["ChangeType"], c.properties["ListId"])
            for c in changes] == [("ChangeList", ChangeType.DeleteObject, documents.id)]
    with pytest.raises(editing.EditError):
        editing.delete_list(tenant, site, documents)


def test_a_site_that_joins_a_hub_is_found_by_the_hub_search(
        emu: Emulator, connect, tenant: Tenant) -> None:
    intranet, hr = tenant.site_by_url("/sites/intranet"), tenant.site_by_url("/sites/hr")
    hr.hub_site_id = None
    editing.register_hub_site(tenant, intranet)
    assert _hub_rows(connect, intranet.id) == {emu.site_url("intranet")}

    editing.join_hub_site(tenant, hr, intranet)

    assert _hub_rows(connect, intranet.id) == {emu.site_url("intranet"), emu.site_url("hr")}
    site = connect("hr").site.select(["HubSiteId"]).get().execute_query()
    assert site.properties["HubSiteId"] == intranet.id
    editing.join_hub_site(tenant, hr, None)
    assert _hub_rows(connect, intranet.id) == {emu.site_url("intranet")}


def test_only_a_hub_site_can_be_joined(tenant: Tenant) -> None:
    intranet, hr = tenant.site_by_url("/sites/intranet"), tenant.site_by_url("/sites/hr")
    editing.register_hub_site(tenant, intranet)
    with pytest.raises(editing.EditError, match="not a hub site"):
        editing.join_hub_site(tenant, intranet, hr)
    with pytest.raises(editing.EditError, match="a hub site itself"):
        editing.join_hub_site(tenant, intranet, intranet)
