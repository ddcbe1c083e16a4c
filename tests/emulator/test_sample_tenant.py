"""The sample tenant: Sundby Kommune's people, sites, permissions, and repeatable builds."""

from __future__ import annotations

import pickle
import uuid

import pytest
from sample_support import library, readers, text_of, version_text

from emulator.sample import build_sample_tenant
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.tenant import DOCUMENT_LIBRARY, Tenant


@pytest.fixture(scope="module")
def sundby(sample_tenant_bytes: bytes) -> Tenant:
    """The session's sample tenant, shared read-only by this module's tests."""
    return pickle.loads(sample_tenant_bytes)


# --- people and groups -----------------------------------------------------------------------

def test_people_have_danish_names_and_the_roles_the_portal_needs(sundby: Tenant) -> None:
    users = {u.upn: u for u in sundby.directory.users.values()}
    titles = [u.job_title for u in users.values()]

    assert len(users) >= 6 and all(upn.isascii() for upn in users)
    assert titles.count("Lærer") == 2
    assert {"Social- og sundhedshjælper", "Driftstekniker", "HR-konsulent", "IT-administrator",
            "Skoleleder", "Kommunikationsmedarbejder"} <= set(titles)
    assert users[p.CARE_WORKER].name == "Birgitte Sørensen"
    assert sundby.name == "sundby" and sundby.directory.domain == "sundby.onmicrosoft.com"
    assert sundby.directory.tenant_id == str(uuid.uuid5(uuid.NAMESPACE_DNS, p.DOMAIN))


def test_groups_hold_the_right_people(sundby: Tenant) -> None:
    directory = sundby.directory
    members = {g.name: {directory.users[oid].upn for oid in g.members}
               for g in directory.groups.values()}

    assert members[p.ALL_STAFF] == {u.upn for u in directory.users.values()}
    assert members[p.TEACHERS] == {p.TEACHER, p.TEACHER_2}
    assert members[p.ADMINISTRATION] == {p.HR}
    assert members[p.IT] == {p.IT_ADMIN}
    assert members[p.MANAGERS] == {p.MANAGER, p.MANY_GROUPS}
    assert members[p.COMMUNICATION] == {p.EDITOR}


def test_one_user_is_in_more_than_200_groups(sundby: Tenant) -> None:
    directory = sundby.directory
    counts = {u.upn: len(directory.groups_of(u.oid)) for u in directory.users.values()}

    assert counts[p.MANY_GROUPS] > 200
    assert max(n for upn, n in counts.items() if upn != p.MANY_GROUPS) < 5


# --- sites -----------------------------------------------------------------------------------

def test_four_sites_with_their_libraries(sundby: Tenant) -> None:
    assert set(sundby.sites) == set(c.SITE_URLS)
    assert sundby.site_by_url(c.INTRANET).template == "SITEPAGEPUBLISHING#0"
    assert library(sundby, c.INTRANET, c.SITE_ASSETS)[1].root_url == "/sites/intranet/SiteAssets"
    for site_url, title in ((c.HR_SITE, c.POLICIES), (c.HR_SITE, c.PERSONNEL_FILES),
                            (c.SCHOOLS, c.TEACHING), (c.IT_SITE, c.GUIDES)):
        assert library(sundby, site_url, title)[1].base_template == DOCUMENT_LIBRARY


def test_who_may_see_each_site(sundby: Tenant) -> None:
    everyone = {u.upn for u in sundby.directory.users.values()}
    seen = {url: readers(sundby, site) for url, site in sundby.sites.items()}

    assert seen[c.INTRANET] == everyone and seen[c.IT_SITE] == everyone
    assert seen[c.HR_SITE] == {p.HR, p.MANAGER, p.MANY_GROUPS}
    assert seen[c.SCHOOLS] == {p.TEACHER, p.TEACHER_2, p.MANAGER, p.MANY_GROUPS}


# --- permissions -----------------------------------------------------------------------------

def test_personnel_files_are_for_administration_only(sundby: Tenant) -> None:
    site, lst = library(sundby, c.HR_SITE, c.PERSONNEL_FILES)

    assert lst.has_unique_role_assignments
    assert readers(sundby, site, lst) == {p.HR}


def test_exactly_one_user_may_see_the_secret_document(sundby: Tenant) -> None:
    site, lst = library(sundby, c.HR_SITE, c.PERSONNEL_FILES)
    secret = lst.item_by_url(c.SECRET_PATH)

    assert readers(sundby, site, lst, secret) == {c.SECRET_USER}
    assert c.SECRET_WORD in text_of(secret.name, secret.current.read())


def test_the_secret_word_occurs_in_no_other_item(sundby: Tenant) -> None:
    holders = {item.file_ref for site in sundby.sites.values() for lst in site.lists.values()
               for item in lst.items.values() for version in item.versions
               if c.SECRET_WORD.lower() in version_text(item, version).lower()}

    assert holders == {c.SECRET_PATH}


def test_a_document_shared_with_everyone_inside_the_hr_site(sundby: Tenant) -> None:
    site, lst = library(sundby, c.HR_SITE, c.DOCUMENTS)
    shared = lst.item_by_url(c.SHARED_WITH_EVERYONE_PATH)

    assert readers(sundby, site, lst, shared) == {u.upn for u in sundby.directory.users.values()}
    assert readers(sundby, site) == {p.HR, p.MANAGER, p.MANY_GROUPS}


def test_folders_with_unique_permissions_pass_them_to_their_files(sundby: Tenant) -> None:
    for site_url, folder_url, owner in ((c.HR_SITE, c.MANAGERS_FOLDER_PATH, p.HR),
                                        (c.SCHOOLS, c.SCHOOL_MANAGERS_FOLDER_PATH, p.MANAGER)):
        site, lst = library(sundby, site_url, c.DOCUMENTS)
        inside = [i for i in lst.items.values() if i.file_ref.startswith(folder_url + "/")]

        assert lst.item_by_url(folder_url).has_unique_role_assignments
        assert len(inside) >= 2 and not any(i.has_unique_role_assignments for i in inside)
        for item in inside:
            assert readers(sundby, site, lst, item) == {p.MANAGER, p.MANY_GROUPS, owner}


def test_exam_papers_are_hidden_from_the_school_visitors(sundby: Tenant) -> None:
    site, lst = library(sundby, c.SCHOOLS, c.TEACHING)
    exams = next(i for i in lst.items.values() if i.name.startswith("Prøveopgaver"))

    assert readers(sundby, site, lst, exams) == {p.TEACHER, p.TEACHER_2, p.MANAGER}


# --- repeatability ---------------------------------------------------------------------------

def snapshot(tenant: Tenant) -> list[tuple]:
    """Ids, names, titles, version labels, bytes and dates (relative to the newest) of all."""
    items = [(site, lst, item) for site in tenant.sites.values() for lst in site.lists.values()
             for item in lst.items.values()]
    newest = max(item.modified for _, _, item in items)
    return [(site.id, site.web_id, lst.id, item.unique_id, item.file_ref, item.fields["Title"],
             [v.label for v in item.versions], [v.read() for v in item.versions],
             newest - item.created, newest - item.modified) for site, lst, item in items]


def test_the_same_seed_builds_the_same_tenant(sundby: Tenant) -> None:
    again = build_sample_tenant(1)

    assert snapshot(again) == snapshot(sundby)
    assert {u.oid for u in again.directory.users.values()} == {
        u.oid for u in sundby.directory.users.values()}


def test_another_seed_builds_other_ids_and_dates(sundby: Tenant) -> None:
    other = snapshot(build_sample_tenant(2))
    mine = snapshot(sundby)

    assert {row[3] for row in other}.isdisjoint({row[3] for row in mine})
    assert [row[8] for row in other] != [row[8] for row in mine]
    assert [row[4] for row in other] == [row[4] for row in mine]
