"""Judged queries (emulator/sample/judgements.py): what a person types, and the items that must
come first, on an index of the whole sample tenant (Sundby Kommune) synced through the emulator
by the real indexer (bench.judged.sync_sample, as the benchmark syncs it)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.judged import principals, sync_sample, titles
from emulator.directory import Directory
from emulator.sample import people as p
from emulator.sample.judgements import JUDGEMENTS, Judgement
from emulator.server import Emulator
from indexer.analysis import TOKEN_RE, fold, split_compound, stems
from indexer.backend import SearchReader, open_index, open_reader
from indexer.document import Document
from tests.indexer.pg.backends import BACKENDS

pytestmark = pytest.mark.slow


DID_YOU_MEAN = [
    ("medarbejdr", "medarbejder"),
    ("persnalehåndbog", "personalehåndbog"),
    ("feriplanlægning", "ferieplanlægning"),
    ("vacination", "vaccination"),
    ("parking -news", None),  # an excluded word is kept as typed
    ("medarbejdere", None),
]


@pytest.fixture(scope="module", params=BACKENDS)
def sample(request: pytest.FixtureRequest, sample_tenant_bytes: bytes, credentials_dir: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchReader, Directory]]:
    """A reader of the whole sample tenant, synced once, and the tenant's directory (on both
    backends: Whoosh and PostgreSQL)."""
    index_url = ""
    if request.param == "postgres":
        index_url = request.getfixturevalue("postgres").new_database("judged")
    tenant = pickle.loads(sample_tenant_bytes)
    data_dir = tmp_path_factory.mktemp("judged-emulator")
    (data_dir / "credentials").symlink_to(credentials_dir, target_is_directory=True)
    index_dir = tmp_path_factory.mktemp("judged-index")
    with Emulator(tenant, data_dir) as emulator:
        sync_sample(emulator, index_url, index_dir)
    index = open_index(index_url, index_dir)
    with open_reader(index) as reader:
        yield reader, tenant.directory
    index.close()


def test_there_are_enough_judgements_in_both_languages():
    assert len(JUDGEMENTS) >= 25
    assert len({j.query for j in JUDGEMENTS}) == len(JUDGEMENTS)


@pytest.mark.parametrize("judgement", JUDGEMENTS, ids=lambda j: j.query)
def test_judged_query(sample: tuple[SearchReader, Directory], judgement: Judgement) -> None:
    reader, directory = sample
    found = titles(reader, directory, judgement)
    assert judgement.holds(found), found[:judgement.depth + 3]


def _words(doc: Document) -> list[str]:
    return TOKEN_RE.findall(f"{doc.title} {doc.description} {doc.body}")


def _holds_alone(doc: Document, word: str) -> bool:
    """Whether the document has ``word`` (any inflection) as a word of its own."""
    return any(set(stems(word)) & set(stems(w.lower())) for w in _words(doc))


def _holds_in_compound(doc: Document, word: str) -> bool:
    """Whether the document has ``word`` as a part of a compound word."""
    return any(set(stems(word)) & {s for part in split_compound(fold(w)) for s in stems(part)}
               for w in _words(doc))


@pytest.mark.parametrize(("word", "user"), [
    ("undersøgelse", p.HR), ("tilfredshed", p.HR), ("sikkerhed", p.TEACHER),
    ("vejledning", p.HR), ("pleje", p.HR), ("miljø", p.HR),
])
def test_a_compound_never_outranks_the_word_on_its_own(sample, word, user):
    reader, directory = sample
    docs = [hit.doc for hit in reader.search(word, principals(directory, user),
                                             page_size=50).hits]
    alone = [_holds_alone(doc, word) for doc in docs]
    assert True in alone and False in alone, "needs both kinds of match"
    ranked = list(zip(docs, alone, strict=True))
    assert alone == sorted(alone, reverse=True), [(d.title, a) for d, a in ranked]
    assert all(_holds_in_compound(d, word) for d, a in ranked if not a)


@pytest.mark.parametrize(("query", "expected"), DID_YOU_MEAN)
def test_did_you_mean(sample, query, expected):
    reader, directory = sample
    assert reader.did_you_mean(query, principals(directory, p.HR)) == expected
