"""Synthetic benchmark tenants: size, text lengths, permissions, laziness and storage."""

from __future__ import annotations

import io
import pickle
import re
from datetime import timedelta
from pathlib import Path

import docx
import pypdf
import pytest

from emulator import bulk, editing
from emulator import changelog as cl
from emulator.directory import Directory
from emulator.storage import load_tenant, save_tenant
from emulator.synthetic import GeneratedText, build_synthetic_tenant
from emulator.tenant import DOCUMENT_LIBRARY, SECURITY_GROUP, SHAREPOINT_GROUP, ListItem, Tenant

DOCS = 2000


@pytest.fixture(scope="module")
def synthetic() -> Tenant:
    return build_synthetic_tenant(DOCS, seed=7)


@pytest.fixture(scope="module")
def contents(synthetic: Tenant) -> dict[str, bytes]:
    """The bytes of every document, by unique id, each made once."""
    return {item.unique_id: item.current.read() for item in files(synthetic)}


def files(tenant: Tenant) -> list[ListItem]:
    return [item for site in tenant.sites.values() for lst in site.lists.values()
            if lst.base_template == DOCUMENT_LIBRARY
            for item in lst.items.values() if not item.is_folder]


def body_words(content: GeneratedText, data: bytes) -> int:
    """Words in a generated document, its title and markup left out."""
    text = data.decode()
    text = re.sub(r"<h1>.*?</h1>|<title>.*?</title>|<[^>]+>", " ", text)
    return len(text.split()) - (0 if content.fmt == "html" else len(content.title.split()) +
                                (content.fmt == "md"))


def test_the_documents_are_spread_over_the_sites(synthetic: Tenant) -> None:
    per_site = {site.url: sum(not i.is_folder for lst in site.lists.values()
                              if lst.base_template == DOCUMENT_LIBRARY
                              for i in lst.items.values())
                for site in synthetic.sites.values()}

    assert len(files(synthetic)) == DOCS
    assert len(per_site) == 10 and min(per_site.values()) == DOCS // 10
    assert len({item.name for item in files(synthetic)}) == DOCS


def test_about_five_percent_have_unique_permissions(synthetic: Tenant) -> None:
    for site in synthetic.sites.values():
        for lst in site.lists.values():
            for item in lst.items.values():
                if item.has_unique_role_assignments:
                    kinds = {site.principals[a.principal_id].principal_type
                             for a in item.role_assignments}
                    assert kinds == {SECURITY_GROUP, SHAREPOINT_GROUP}
    share = sum(i.has_unique_role_assignments for i in files(synthetic)) / DOCS

    assert 0.045 <= share <= 0.055


def test_generated_documents_have_300_to_1500_words_in_two_languages(
        synthetic: Tenant, contents: dict[str, bytes]) -> None:
    items = [i for i in files(synthetic) if isinstance(i.current.content, GeneratedText)]
    generated = [i.current.content for i in items]
    counts = [body_words(i.current.content, contents[i.unique_id]) for i in items]

    assert len(generated) > DOCS * 0.8
    assert 300 <= min(counts) and max(counts) <= 1500
    assert max(counts) - min(counts) > 900
    assert {"txt", "html", "md"} == {content.fmt for content in generated}
    assert 0.1 < sum(content.english for content in generated) / len(generated) < 0.3


def test_declared_sizes_are_the_sizes_of_the_bytes(synthetic: Tenant,
                                                   contents: dict[str, bytes]) -> None:
    for item in files(synthetic):
        assert item.current.size == len(contents[item.unique_id]), item.file_ref


def test_generated_text_is_small_to_keep_and_the_same_on_every_read(synthetic: Tenant) -> None:
    content = next(i.current.content for i in files(synthetic)
                   if isinstance(i.current.content, GeneratedText))

    assert len(pickle.dumps(content)) < 300
    assert content() == content() == pickle.loads(pickle.dumps(content))()


def test_some_documents_are_real_office_files(synthetic: Tenant) -> None:
    office = [i for i in files(synthetic) if i.name.endswith((".docx", ".pdf"))]
    word = next(i for i in office if i.name.endswith(".docx"))
    pdf = next(i for i in office if i.name.endswith(".pdf"))

    assert DOCS * 0.1 < len(office) < DOCS * 0.2
    assert len(docx.Document(io.BytesIO(word.current.read())).paragraphs) > 3
    assert len(pypdf.PdfReader(io.BytesIO(pdf.current.read())).pages[0].extract_text()) > 500


def test_the_intranet_has_published_news(synthetic: Tenant) -> None:
    pages = list(synthetic.site_by_url("/sites/intranet").list_by_title("Webstedssider")
                 .items.values())

    assert len(pages) == 5 + DOCS // 200
    assert all(p.fields["PromotedState"] == 2 and p.current.label == "1.0" for p in pages)
    assert all("data-sp-canvascontrol" in p.fields["CanvasContent1"] for p in pages)


def test_the_same_seed_builds_the_same_tenant() -> None:
    def summary(built: Tenant) -> list[tuple]:
        return [(i.unique_id, i.file_ref, i.current.read()) for i in files(built)]

    assert summary(build_synthetic_tenant(300, seed=3)) == summary(
        build_synthetic_tenant(300, seed=3))


def test_a_saved_tenant_loads_whole_and_stays_editable(
        synthetic: Tenant, contents: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "synthetic.synthetic"
    save_tenant(synthetic, path)
    loaded = load_tenant(path)

    assert [(i.unique_id, i.file_ref, i.current.size) for i in files(loaded)] == [
        (i.unique_id, i.file_ref, i.current.size) for i in files(synthetic)]
    assert all(item.current.read() == contents[item.unique_id]
               for item in files(loaded)[::25])
    site = loaded.site_by_url("/sites/intranet")
    last = max(s.changes.last_number() for s in loaded.sites.values())
    with loaded.lock:
        docs = site.list_by_title("Dokumenter")
        editing.add_file(loaded, site, docs, "", "ny.txt", b"Ny fil",
                         next(iter(loaded.directory.users.values())))
    assert site.changes.last_number() > last
    moment = loaded.clock.now()
    loaded.clock.advance(timedelta(days=1))
    assert loaded.clock.now() - moment >= timedelta(days=1)


def test_load_refuses_a_file_that_is_not_a_tenant(tmp_path: Path) -> None:
    path = tmp_path / "other.pickle"
    path.write_bytes(pickle.dumps({"not": "a synthetic"}))

    with pytest.raises(TypeError, match="not a Tenant"):
        load_tenant(path)


def test_bulk_upload_logs_each_file_and_refuses_clashes_and_missing_folders() -> None:
    directory = Directory("0a9e5a55-0000-4000-8000-000000000001", "bulk.test")
    anna = directory.add_user("anna", "Anna Andersen")
    small = Tenant("bulk", directory)
    site = editing.create_site(small, "docs", "Docs", owners=[anna.login_name])
    lst = site.list_by_title("Dokumenter")
    editing.add_folder(small, site, lst, "Arkiv", anna)
    now = small.clock.now()
    last = site.changes.last_number()

    added = bulk.add_files(small, site, lst, [bulk.NewFile("", "a.txt", b"A", anna, now),
                                              bulk.NewFile("Arkiv", "b.txt", b"BB", anna, now)])

    assert [(c.change_type, c.item_id) for c in site.changes.since(last)] == [
        (cl.ADD, added[0].id), (cl.ADD, added[1].id)]
    assert [i.file_ref for i in added] == ["/sites/docs/Shared Documents/a.txt",
                                           "/sites/docs/Shared Documents/Arkiv/b.txt"]
    assert added[1].current.size == 2 and added[1].current.label == "1.0"
    with pytest.raises(editing.EditError, match="already exists"):
        bulk.add_files(small, site, lst, [bulk.NewFile("", "A.TXT", b"", anna, now)])
    with pytest.raises(editing.EditError, match="no folder"):
        bulk.add_files(small, site, lst, [bulk.NewFile("Mangler", "c.txt", b"", anna, now)])


def test_a_tenant_needs_a_site() -> None:
    with pytest.raises(ValueError, match="at least one site"):
        build_synthetic_tenant(10, sites=0)
