"""A pass asked for by webhook notifications: only the lists they name are read."""

from __future__ import annotations

from sync_support import Mirror

from emulator import editing
from emulator.sample import catalogue, people
from emulator.server import Emulator

NOT_MIRRORED = "00000000-0000-4000-8000-000000000000"


def _add_files(mirror: Mirror, emulator: Emulator) -> tuple[str, str, str]:
    """A new file in the IT site's documents and one in the schools' documents; returns the
    IT library's id and both paths."""
    editor = emulator.tenant.directory.user_by_upn(people.TECHNICIAN)
    paths = []
    for site_url in (catalogue.IT_SITE, catalogue.SCHOOLS):
        site = emulator.tenant.site_by_url(site_url)
        library = site.list_by_title(catalogue.DOCUMENTS)
        item = mirror.edit(editing.add_file, site, library, "", "Notified.txt",
                           b"Ny vejledning om skrivebordsprinteren.", editor)
        paths.append(item.file_ref)
    it_library = emulator.tenant.site_by_url(catalogue.IT_SITE).list_by_title(catalogue.DOCUMENTS)
    return it_library.id, paths[0], paths[1]


def test_a_notified_pass_reads_only_the_list_it_names(mirror: Mirror, emulator: Emulator):
    list_id, it_path, schools_path = _add_files(mirror, emulator)
    assert mirror.sync_lists(list_id.upper()) == 0
    assert mirror.by_path(it_path) is not None
    assert mirror.by_path(schools_path) is None  # its list was not named
    paths = [r.path.lower() for r in emulator.state.requests.matching("/_api/")]
    assert not any("/_api/site/" in p for p in paths), paths  # no site-level GetChanges
    assert len(paths) <= 4, paths  # the list's changes, the item, its viewers, its file

    assert mirror.sync() == 0  # the regular pass still finds the rest
    assert mirror.by_path(schools_path) is not None
    assert mirror.requests("/$value") == 1  # and does not read the notified file again


def test_a_notified_list_no_pass_has_mirrored_makes_a_pass_of_every_site(
        mirror: Mirror, emulator: Emulator):
    _, it_path, schools_path = _add_files(mirror, emulator)
    assert mirror.sync_lists(NOT_MIRRORED) == 0
    assert mirror.by_path(it_path) is not None
    assert mirror.by_path(schools_path) is not None
