"""The judged queries (emulator/sample/judgements.py) on both search backends.

The whole sample tenant is synced through the emulator by the real indexer (``Syncer``, full
sync with text extraction) into a Whoosh index and into PostgreSQL (``BENCH_INDEX_URL``'s
database, emptied first, else a throwaway server), and every judgement runs on both. The
judged-query tests build their indexes with :func:`sync_sample` too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.figures import Figure, summary
from bench.pg_search import database
from emulator.announce import tenant_settings
from emulator.directory import Directory
from emulator.sample import build_sample_tenant
from emulator.sample.judgements import JUDGEMENTS, Judgement
from emulator.server import Emulator
from indexer.backend import SearchReader, open_index, open_reader
from indexer.cli import make_client
from indexer.document import principals_for
from indexer.extract import Extractor
from indexer.settings import load_settings
from indexer.sync import Syncer

PAGE_SIZE = 50  # results read per judgement


def principals(directory: Directory, upn: str) -> frozenset[str]:
    """What a sample user holds when signed in: everyone, the user and their groups."""
    oid = directory.user_by_upn(upn).oid
    return principals_for(oid, [group.id for group in directory.groups_of(oid)])


def sync_sample(emulator: Emulator, index_url: str, index_dir: Path) -> None:
    """A full sync of the emulator's tenant by the real indexer into the index that
    ``index_url`` names (PostgreSQL), else the Whoosh index in ``index_dir``."""
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir),
                                                           "INDEX_URL": index_url})
    with Extractor(timeout=30) as extractor:
        writer = open_index(index_url, index_dir, create=True)
        try:
            outcome = Syncer(settings, writer, make_client(settings), extractor).run(full=True)
        finally:
            writer.close()
    if outcome.exit_code != 0:
        raise RuntimeError(f"the full sync of the sample tenant exited {outcome.exit_code}")


def titles(reader: SearchReader, directory: Directory, judgement: Judgement) -> list[str]:
    """The titles of the judgement's query's results for its user, best first."""
    results = reader.search(judgement.query, principals(directory, judgement.user),
                            page_size=PAGE_SIZE)
    return [hit.doc.title for hit in results.hits]


def failures(index_url: str, index_dir: Path, directory: Directory) -> list[str]:
    """The queries of the judgements that the index fails."""
    index = open_index(index_url, index_dir)
    try:
        with open_reader(index) as reader:
            return [j.query for j in JUDGEMENTS if not j.holds(titles(reader, directory, j))]
    finally:
        index.close()


def figures() -> list[Figure]:
    """Judged queries passed on Whoosh and on PostgreSQL, each index synced from the sample
    tenant."""
    tenant = build_sample_tenant(1)
    failed: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-judged-") as temp:
        root = Path(temp)
        (root / "emulator").mkdir()
        with Emulator(tenant, root / "emulator") as emulator, database() as url:
            for backend, index_url in (("Whoosh", ""), ("PostgreSQL", url)):
                index_dir = root / backend
                sync_sample(emulator, index_url, index_dir)
                failed[backend] = failures(index_url, index_dir, tenant.directory)
    return [judged_figure(backend, queries) for backend, queries in failed.items()]


def judged_figure(backend: str, failed: list[str]) -> Figure:
    passed = len(JUDGEMENTS) - len(failed)
    notes = (f"{len(JUDGEMENTS)} judged queries (Danish and English: inflections, æ/ø/å typed "
             "as ae/oe/aa, compounds, phrases, -exclude, OR, site:/type:/author:, prefixes) on "
             "the sample tenant synced through the emulator by the real indexer; failed: "
             + (", ".join(f"`{q}`" for q in failed) or "none"))
    return Figure(f"judged queries passed, {backend}", "queries", len(JUDGEMENTS), passed,
                  summary([passed]), target=f"all {len(JUDGEMENTS)}",
                  met=not failed, notes=notes)
