"""Full and incremental sync of the sample tenant, as a reader of the index would notice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sync_support import Mirror

from emulator import editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from indexer.extract import Extractor


def _site_and_list(emulator: Emulator, site_url: str, title: str):
    site = emulator.tenant.site_by_url(site_url)
    return site, site.list_by_title(title)


def _oid(emulator: Emulator, upn: str) -> str:
    return emulator.tenant.directory.user_by_upn(upn).oid


def test_full_sync_mirrors_published_content_and_no_draft(mirror: Mirror):
    records = mirror.records()
    kinds = {d.kind for d in records}
    assert kinds == {"news", "page", "document"}
    assert sum(d.kind == "document" for d in records) >= 80
    text = " ".join(f"{d.title} {d.description} {d.body}" for d in records)
    assert catalogue.DRAFT_WORD not in text
    assert catalogue.NEVER_PUBLISHED_WORD not in text
    assert mirror.by_title(catalogue.NEVER_PUBLISHED_TITLE) is None
    assert mirror.by_title(catalogue.DRAFT_ONLY_TITLE) is None
    assert mirror.by_title(catalogue.NEWS_WITH_DRAFT_TITLE).kind == "news"
    assert mirror.by_title(catalogue.PAGE_TITLE).kind == "page"
    assert all(d.title != catalogue.DRAFT_DOCUMENT.rsplit(".", 1)[0] for d in records)
    assert not any("/SiteAssets/" in d.path for d in records)


def test_permissions_and_audiences_are_mirrored(mirror: Mirror, emulator: Emulator):
    secret = mirror.by_path(catalogue.SECRET_PATH)
    assert f"user:{_oid(emulator, catalogue.SECRET_USER)}" in secret.acl
    assert f"user:{_oid(emulator, people.TEACHER)}" not in secret.acl
    assert "everyone" not in secret.acl
    assert "everyone" in mirror.by_path(catalogue.SHARED_WITH_EVERYONE_PATH).acl
    teachers_news = mirror.by_title(catalogue.TEACHERS_NEWS_TITLE)
    teachers = next(g for g in emulator.tenant.directory.groups.values()
                    if g.name == people.TEACHERS)
    assert teachers_news.audiences == [teachers.id]


def test_unreadable_files_are_indexed_by_metadata_with_the_reason(mirror: Mirror):
    corrupt = next(d for d in mirror.records() if d.path.endswith(catalogue.CORRUPT_FILE))
    empty = next(d for d in mirror.records() if d.path.endswith(catalogue.EMPTY_FILE))
    assert corrupt.extract_error and corrupt.body == ""
    assert empty.extract_error == "file is empty"


def test_a_new_and_an_edited_document_appear_after_one_pass(mirror: Mirror, emulator: Emulator):
    site, documents = _site_and_list(emulator, catalogue.IT_SITE, catalogue.DOCUMENTS)
    editor = emulator.tenant.directory.user_by_upn(people.IT_ADMIN)
    added = mirror.edit(editing.add_file, site, documents, "", "Nyt printerdirektiv.txt",
                        "Alle printere flyttes til kælderen.".encode(), editor)
    assert mirror.sync() == 0
    assert "kælderen" in mirror.by_path(added.file_ref).body
    mirror.edit(editing.save_version, site, documents, added, editor,
                content="Printerne bliver på første sal.".encode())
    assert mirror.sync() == 0
    assert "første sal" in mirror.by_path(added.file_ref).body


def test_a_draft_edit_keeps_the_published_news(mirror: Mirror, emulator: Emulator):
    site = emulator.tenant.site_by_url(catalogue.INTRANET)
    pages = editing.site_pages(site)
    editor = emulator.tenant.directory.user_by_upn(people.EDITOR)
    news = next(i for i in pages.items.values() if i.fields["Title"] == catalogue.PAGE_TITLE)
    mirror.edit(editing.save_version, site, pages, news, editor,
                fields={"Title": "Kladde til ny titel"}, publish=False)
    assert mirror.sync() == 0
    assert mirror.by_title(catalogue.PAGE_TITLE) is not None
    assert mirror.by_title("Kladde til ny titel") is None
    mirror.edit(editing.publish, site, pages, news, editor)
    assert mirror.sync() == 0
    assert mirror.by_title("Kladde til ny titel") is not None


def test_renames_moves_and_deletes_leave_no_stale_record(mirror: Mirror, emulator: Emulator):
    site, documents = _site_and_list(emulator, catalogue.IT_SITE, catalogue.DOCUMENTS)
    files = [i for i in documents.items.values() if not i.is_folder]
    renamed, deleted = files[0], files[1]
    old_path, deleted_path = renamed.file_ref, deleted.file_ref
    mirror.edit(editing.rename_item, site, documents, renamed, "Omdøbt dokument.txt")
    mirror.edit(editing.delete_item, site, documents, deleted)
    assert mirror.sync() == 0
    assert mirror.by_path(old_path) is None
    assert mirror.by_path(f"{renamed.dir}/Omdøbt dokument.txt") is not None
    assert mirror.by_path(deleted_path) is None
    assert len(mirror.index.ids()) == len({d.id for d in mirror.records()})


def test_a_permission_change_updates_the_acl(mirror: Mirror, emulator: Emulator):
    site, documents = _site_and_list(emulator, catalogue.IT_SITE, catalogue.DOCUMENTS)
    item = next(i for i in documents.items.values() if not i.is_folder)
    technician = emulator.tenant.directory.user_by_upn(people.TECHNICIAN)
    mirror.edit(editing.break_inheritance, site, documents, item, copy=False)
    mirror.edit(editing.grant, site, documents, item, technician.login_name, "Read")
    assert mirror.sync() == 0
    acl = mirror.by_path(item.file_ref).acl
    assert f"user:{technician.oid}" in acl and "everyone" not in acl


def test_an_expired_change_token_leads_to_a_correct_resync(mirror: Mirror, emulator: Emulator):
    site, documents = _site_and_list(emulator, catalogue.IT_SITE, catalogue.DOCUMENTS)
    gone = next(i for i in documents.items.values() if not i.is_folder)
    mirror.edit(editing.delete_item, site, documents, gone)
    emulator.tenant.clock.advance(timedelta(days=61))
    assert mirror.sync() == 0
    assert mirror.by_path(gone.file_ref) is None
    assert mirror.by_title(catalogue.PAGE_TITLE) is not None


def test_incremental_passes_end_in_the_index_a_full_sync_gives(
        mirror: Mirror, emulator: Emulator, tmp_path: Path, extractor: Extractor):
    site, documents = _site_and_list(emulator, catalogue.SCHOOLS, catalogue.TEACHING)
    editor = emulator.tenant.directory.user_by_upn(people.TEACHER)
    mirror.edit(editing.add_file, site, documents, "", "Årsplan dansk 7. klasse.md",
                b"# Arsplan\nLaesning og skrivning.", editor)
    victim = next(i for i in documents.items.values() if not i.is_folder)
    mirror.edit(editing.delete_item, site, documents, victim)
    assert mirror.sync() == 0
    fresh = Mirror(emulator, tmp_path / "fresh", extractor)
    assert fresh.sync(full=True) == 0
    assert [d.to_dict() for d in mirror.records()] == [d.to_dict() for d in fresh.records()]
