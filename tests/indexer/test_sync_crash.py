"""kill -9 at many points of ``indexer sync``, then a new run: the index ends as after a clean run.

Each test runs the real command against an emulator and kills its process group -9 at chosen
requests (see indexer_runs.RequestTrap): a chain of runs, each killed further on, then one
run to the end. The kill points are spread over the requests that an uninterrupted run
makes, so they land during sign-in, in every site, inside a list, and between two commit
batches of a large list. The result must equal the index of a clean full sync.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from indexer_runs import IndexerCommand, Outcome
from whoosh import index as whoosh_index

from emulator import editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.tenant import Tenant
from indexer.index import SearchIndex
from indexer.listsync import BATCH_SIZE
from indexer.runlock import RunLock
from indexer.schema import build_schema

ARCHIVE_FOLDERS = 5
ARCHIVE_FILES = BATCH_SIZE + 30  # one full commit batch and a part of a second
SPREAD = 4  # kill points spread evenly over a run, besides the named ones
SIGN_IN = 2  # a kill point while the indexer fetches its token

pytestmark = pytest.mark.slow


def _note(number: int) -> str:
    return f"Notat {number:03}.txt"


def _add_archive(tenant: Tenant) -> None:
    """A library in folders, larger than one commit batch, in the last site synced."""
    with tenant.lock:
        site = tenant.site_by_url(catalogue.IT_SITE)
        author = tenant.directory.user_by_upn(people.IT_ADMIN)
        archive = editing.add_list(tenant, site, "Arkiv", "Arkiv")
        for year in range(ARCHIVE_FOLDERS):
            editing.add_folder(tenant, site, archive, f"År {2020 + year}", author)
        for number in range(ARCHIVE_FILES):
            editing.add_file(tenant, site, archive, f"År {2020 + number % ARCHIVE_FOLDERS}",
                             _note(number), f"Arkivnotat nummer {number}.".encode(), author)


def _edit_everything(tenant: Tenant) -> None:
    """Every kind of editor change, in several sites, as a later incremental pass sees them."""
    with tenant.lock:
        directory = tenant.directory
        it_admin = directory.user_by_upn(people.IT_ADMIN)
        editor = directory.user_by_upn(people.EDITOR)
        teacher = directory.user_by_upn(people.TEACHER)
        it = tenant.site_by_url(catalogue.IT_SITE)
        documents = it.list_by_title(catalogue.DOCUMENTS)
        files = [i for i in documents.items.values() if not i.is_folder]
        editing.add_file(tenant, it, documents, "", "Ny printerpolitik.txt",
                         b"Alle printere flyttes til kaelderen.", it_admin)
        editing.save_version(tenant, it, documents, files[0], it_admin, content=b"Ny udgave.")
        editing.rename_item(tenant, it, documents, files[1], "Omdoebt vejledning.txt")
        editing.delete_item(tenant, it, documents, files[2])
        intranet = tenant.site_by_url(catalogue.INTRANET)
        shared = intranet.list_by_title(catalogue.DOCUMENTS)
        folder = next(i for i in shared.items.values() if i.is_folder)
        editing.rename_item(tenant, intranet, shared, folder, f"{folder.name} (arkiv)")
        pages = editing.site_pages(intranet)
        news = next(i for i in pages.items.values()
                    if i.fields.get("Title") == catalogue.TEACHERS_NEWS_TITLE)
        editing.save_version(tenant, intranet, pages, news, editor,
                             fields={"Title": "Pædagogisk dag flyttes til fredag"})
        editing.add_page(tenant, intranet, "kantine.aspx", "Kantinen holder lukket",
                         "<div><p>Kantinen holder lukket i uge 30.</p></div>", editor)
        editing.add_group_member(tenant, intranet, "Intranet Members", teacher.login_name)
        hr = tenant.site_by_url(catalogue.HR_SITE)
        hr_documents = hr.list_by_title(catalogue.DOCUMENTS)
        loose = next(i for i in hr_documents.items.values()
                     if not i.is_folder and i.dir == hr_documents.root_url)
        editing.move_to_library(tenant, hr, hr_documents, loose,
                                hr.list_by_title(catalogue.POLICIES), editor)
        schools = tenant.site_by_url(catalogue.SCHOOLS)
        teaching = schools.list_by_title(catalogue.TEACHING)
        lesson = next(i for i in teaching.items.values() if not i.is_folder)
        editing.break_inheritance(tenant, schools, teaching, lesson, copy=False)
        editing.grant(tenant, schools, teaching, lesson, teacher.login_name, "Read")


def _spread(total: int) -> list[int]:
    """Request counts spread evenly over a run of ``total`` requests."""
    return [total * i // (SPREAD + 1) for i in range(1, SPREAD + 1)]


def _kill_repeatedly(command: IndexerCommand, points: list[int | str]) -> Iterator[Outcome]:
    """Run ``sync`` again and again, killing it -9 at each point in turn; yield after each.

    A number counts requests from the first of these runs on (a point already passed is
    left out); a string kills at the first request whose path holds it. Every kill is
    checked for what a crash must never leave behind.
    """
    start = command.trap.count
    for point in points:
        done = command.trap.count - start
        if isinstance(point, int) and point <= done:
            continue
        outcome = command.run("sync", kill_at=point if isinstance(point, str) else point - done)
        assert outcome.killed, f"the run meant to be killed at {point!r} ended: {outcome}"
        _check_nothing_stale(command.index_dir)
        yield outcome


def _check_nothing_stale(index_dir: Path) -> None:
    """The dead indexer's run lock and Whoosh's write lock are free, and the index opens."""
    with RunLock(index_dir):
        index = SearchIndex.open(index_dir)
        with index.batch(lock_timeout=0) as batch:
            assert not batch


def _list_ids(index: SearchIndex) -> set[str]:
    return {key.removeprefix("list:") for key in index.checkpoints() if key.startswith("list:")}


def test_a_first_full_sync_killed_at_many_points_ends_in_the_clean_index(
        emulator: Emulator, tmp_path: Path):
    _add_archive(emulator.tenant)
    clean = IndexerCommand(emulator, tmp_path / "clean" / "index")
    whole = clean.run("sync")
    assert whole.returncode == 0, whole.stderr
    expected = clean.records()
    by_id = {doc.id: doc for doc in expected}
    crashed = IndexerCommand(emulator, tmp_path / "crashed" / "index")
    after_first_batch = _note(BATCH_SIZE)  # the first download after the first batch commit

    synced_lists: list[int] = []
    points = [SIGN_IN, *_spread(whole.requests), after_first_batch]
    for _ in _kill_repeatedly(crashed, points):
        index = SearchIndex.open(crashed.index_dir)
        records = list(index.all_documents())
        assert all(doc == by_id.get(doc.id) for doc in records), "a record no clean run has"
        for list_id in _list_ids(index):  # a list's checkpoint comes with all its records
            assert index.ids(list_id) == {d.id for d in expected if d.list_id == list_id}
        synced_lists.append(len(_list_ids(index)))
    assert len(set(synced_lists)) >= 3, f"kills did not spread over the run: {synced_lists}"
    archive = {doc.list_id for doc in expected if doc.library == "Arkiv"}.pop()
    assert archive not in _list_ids(index)
    assert len(index.ids(archive)) == BATCH_SIZE  # killed between two batches of one list

    final = crashed.run("sync")
    assert final.returncode == 0, final.stderr
    assert crashed.records() == expected


def test_an_incremental_pass_killed_at_many_points_ends_in_the_clean_index(
        emulator: Emulator, tmp_path: Path):
    crashed = IndexerCommand(emulator, tmp_path / "crashed" / "index")
    assert crashed.run("sync").returncode == 0
    before = crashed.records()
    _edit_everything(emulator.tenant)
    clean = IndexerCommand(emulator, tmp_path / "clean" / "index")
    assert clean.run("sync").returncode == 0
    expected = clean.records()
    assert expected != before

    shutil.copytree(crashed.index_dir, tmp_path / "uninterrupted" / "index")
    uninterrupted = IndexerCommand(emulator, tmp_path / "uninterrupted" / "index")
    whole = uninterrupted.run("sync")
    assert whole.returncode == 0, whole.stderr
    assert uninterrupted.records() == expected

    kills = list(_kill_repeatedly(crashed, _spread(whole.requests)))
    assert len(kills) == SPREAD
    final = crashed.run("sync")
    assert final.returncode == 0, final.stderr
    assert crashed.records() == expected


@pytest.mark.parametrize("leftover", ["schema only", "half-written table of contents"])
def test_an_index_whose_creation_was_killed_is_created_again(tmp_path: Path, leftover: str):
    path = tmp_path / "index"
    path.mkdir()
    whoosh_index.create_in(str(path), build_schema())  # killed before the first commit
    if leftover != "schema only":
        (path / "_MAIN_0.toc").rename(path / "_MAIN_0.toc.1764360000.123")
    index = SearchIndex.open_or_create(path)
    assert index.doc_count() == 0
    assert SearchIndex.open(path).doc_count() == 0
