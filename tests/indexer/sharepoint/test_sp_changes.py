"""Change tracking: current tokens, GetChanges looped past the fetch limit, expired tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from emulator import bulk, editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.constants import CHANGE_FETCH_LIMIT
from indexer.sharepoint.errors import ChangeTokenExpired


def test_current_change_tokens_of_site_and_list(emulator: Emulator,
                                                client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    documents = intranet.list_by_title(catalogue.DOCUMENTS)

    assert client.change_token().startswith(f"1;1;{intranet.id};")
    assert client.change_token(documents.id).startswith(f"1;3;{documents.id};")


def test_changes_are_read_past_the_fetch_limit(emulator: Emulator,
                                               client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    documents = intranet.list_by_title(catalogue.DOCUMENTS)
    token = client.change_token(documents.id)
    editor = emulator.tenant.directory.user_by_upn(people.EDITOR)
    now = datetime.now(UTC)
    added = bulk.add_files(emulator.tenant, intranet, documents, [
        bulk.NewFile("", f"Referat {n:04d}.txt", b"referat", editor, now)
        for n in range(CHANGE_FETCH_LIMIT + 234)])
    emulator.state.requests.clear()

    changes = client.list_changes(documents.id, token)

    assert [c.item_id for c in changes] == [item.id for item in added]
    assert {(c.kind, c.change_type, c.list_id) for c in changes} == {("item", "add",
                                                                       documents.id)}
    assert changes[0].unique_id == added[0].unique_id
    assert len(emulator.state.requests.matching("/getChanges")) == 2
    assert client.list_changes(documents.id, changes[-1].token) == []


def test_changes_name_renames_and_deletions(emulator: Emulator,
                                            client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    documents = intranet.list_by_title(catalogue.DOCUMENTS)
    token = client.change_token(documents.id)
    renamed, deleted = [i for i in documents.items.values() if not i.is_folder][:2]
    editing.rename_item(emulator.tenant, intranet, documents, renamed, "Nyt navn.docx")
    editing.delete_item(emulator.tenant, intranet, documents, deleted)

    changes = client.list_changes(documents.id, token)

    assert [(c.change_type, c.item_id) for c in changes] == [("rename", renamed.id),
                                                             ("delete", deleted.id)]
    assert changes[-1].unique_id == deleted.unique_id


def test_the_site_changes_name_groups_lists_and_items_of_every_list(
        emulator: Emulator, client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    documents = intranet.list_by_title(catalogue.DOCUMENTS)
    token = client.change_token()
    teacher = emulator.tenant.directory.user_by_upn(people.TEACHER)
    editing.add_group_member(emulator.tenant, intranet, "Intranet Members", teacher.login_name)
    archive = editing.add_list(emulator.tenant, intranet, "Arkiv", "Arkiv")
    added = editing.add_file(emulator.tenant, intranet, documents, "", "Referat.txt", b"referat",
                             teacher)

    changes = client.site_changes(token)

    members = intranet.group_by_title("Intranet Members")
    assert [(c.kind, c.change_type, c.group_id, c.list_id, c.item_id) for c in changes] == [
        ("group", "member_add", members.id, "", 0), ("list", "add", 0, archive.id, 0),
        ("item", "add", 0, documents.id, added.id)]


def test_an_expired_change_token_is_named(emulator: Emulator,
                                          client: SharePointClient) -> None:
    documents = emulator.tenant.site_by_url(catalogue.INTRANET).list_by_title(catalogue.DOCUMENTS)
    token = client.change_token(documents.id)
    emulator.state.faults.add("expire_change_tokens", count=1)

    with pytest.raises(ChangeTokenExpired):
        client.list_changes(documents.id, token)


def test_a_token_older_than_the_change_log_is_expired(emulator: Emulator,
                                                      client: SharePointClient) -> None:
    documents = emulator.tenant.site_by_url(catalogue.INTRANET).list_by_title(catalogue.DOCUMENTS)
    token = client.change_token(documents.id)
    emulator.tenant.clock.advance(timedelta(days=emulator.tenant.change_retention_days + 1))

    with pytest.raises(ChangeTokenExpired):
        client.list_changes(documents.id, token)
