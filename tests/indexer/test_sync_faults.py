"""Throttling, broken connections, one indexer at a time, and what an incremental pass costs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from emulator import editing
from emulator.announce import tenant_settings
from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.synthetic import build_synthetic_tenant
from emulator.tenant import Tenant
from indexer.cli import make_client
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.listsync import utc_now
from indexer.runlock import AlreadyRunning, RunLock
from indexer.settings import load_settings
from indexer.sync import Syncer


def _syncer(emulator: Emulator, index_dir: Path, extractor: Extractor,
            now: Callable[[], datetime] = utc_now) -> Syncer:
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    client = make_client(settings, sleep=lambda seconds: None)
    return Syncer(settings, SearchIndex.open_or_create(index_dir), client, extractor, now)


def _records(syncer: Syncer) -> list[dict]:
    return [doc.to_dict() for doc in syncer.index.all_documents()]


def test_a_throttling_storm_and_broken_connections_end_in_the_right_index(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    faults = emulator.state.faults
    faults.add("throttle", status=429, retry_after=2, probability=0.25, seed=3)
    faults.add("throttle", status=503, retry_after_date=True, retry_after=1, probability=0.05,
               seed=4)
    faults.add("drop", probability=0.05, seed=5)
    faults.add("truncate", probability=0.05, seed=6)
    stormy = _syncer(emulator, tmp_path / "stormy", extractor)
    assert stormy.run().exit_code == 0
    injected = faults.injected()
    assert injected.get("throttle", 0) > 10 and injected.get("drop", 0) > 0
    faults.clear()
    calm = _syncer(emulator, tmp_path / "calm", extractor)
    assert calm.run().exit_code == 0
    assert _records(stormy) == _records(calm)
    assert stormy.client.stats.throttled > 10


def test_a_site_that_refuses_is_skipped_and_keeps_its_records(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    syncer = _syncer(emulator, tmp_path / "index", extractor)
    assert syncer.run().exit_code == 0
    before = {d.id for d in syncer.index.all_documents() if "/sites/hr/" in d.path}
    app = emulator.tenant.directory.apps[emulator.registration.client_id]
    app.sharepoint_access = "selected"
    app.granted_sites = {catalogue.INTRANET, catalogue.SCHOOLS, catalogue.IT_SITE}
    emulator.state.faults.add("revoke_tokens", count=1)  # the next token carries the new grant
    report = syncer.run()
    assert report.exit_code == 1
    assert list(report.failed_sites) == [emulator.site_url("hr")]
    assert before and before <= {d.id for d in syncer.index.all_documents()}


def test_a_second_indexer_refuses_with_a_clear_message(tmp_path: Path):
    with RunLock(tmp_path / "index"), pytest.raises(AlreadyRunning, match="already running"):
        with RunLock(tmp_path / "index"):
            pass


def _requests_for_one_pass(emulator: Emulator, syncer: Syncer) -> list[str]:
    """The paths of the SharePoint REST requests of one pass."""
    emulator.state.requests.clear()
    assert syncer.run().exit_code == 0
    return [entry.path.split("?", 1)[0].lower()
            for entry in emulator.state.requests.matching("/_api/")]


def _stopped_clock() -> Callable[[], datetime]:
    """The indexer's clock, stopped: how long a slow machine takes changes nothing here."""
    moment = utc_now()
    return lambda: moment


def test_an_idle_pass_asks_each_site_once_and_one_change_costs_four_requests_more(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    syncer = _syncer(emulator, tmp_path / "index", extractor, _stopped_clock())
    assert syncer.run().exit_code == 0
    idle = _requests_for_one_pass(emulator, syncer)
    assert sorted(idle) == sorted(f"{url}/_api/site/getchanges" for url in emulator.tenant.sites)
    site = emulator.tenant.site_by_url(catalogue.IT_SITE)
    documents = site.list_by_title(catalogue.DOCUMENTS)
    editor = emulator.tenant.directory.user_by_upn(people.IT_ADMIN)
    with emulator.tenant.lock:
        editing.add_file(emulator.tenant, site, documents, "", "Ny printerpolitik.txt",
                         b"Alle printere flyttes.", editor)
    one_change = _requests_for_one_pass(emulator, syncer)
    extra = sorted(set(one_change) - set(idle))
    assert len(one_change) == len(idle) + 4  # the list's changes, the item, its acl, its bytes
    assert [path.rsplit("/", 1)[-1] for path in extra] == [
        "$value", "getchanges", f"items({max(documents.items)})", "roleassignments"]


def test_an_incremental_pass_costs_what_changed_not_the_tenant_size(
        tmp_path: Path, serve: Callable[[Tenant], Emulator], extractor: Extractor):
    tenant = build_synthetic_tenant(1200, sites=2)
    emulator = serve(tenant)
    syncer = _syncer(emulator, tmp_path / "index", extractor, _stopped_clock())
    assert syncer.run().exit_code == 0
    idle = _requests_for_one_pass(emulator, syncer)
    site = next(iter(tenant.sites.values()))
    library = next(lst for lst in site.lists.values() if lst.title == catalogue.DOCUMENTS)
    editor = next(iter(tenant.directory.users.values()))
    with tenant.lock:
        editing.add_file(tenant, site, library, "", "Ny vejledning.txt",
                         b"Ny vejledning om ferie.", editor)
    one_change = _requests_for_one_pass(emulator, syncer)
    assert len(idle) == len(tenant.sites) == 2  # one change query per site
    assert len(one_change) == len(idle) + 4  # the list's changes, the item, its acl, its bytes
