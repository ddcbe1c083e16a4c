"""Judged queries: what a person types, and the items that must come first, on an index of
the whole sample tenant (Sundby Kommune) synced through the emulator by the real indexer."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.announce import tenant_settings
from emulator.directory import Directory
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.analysis import TOKEN_RE, fold, split_compound, stems
from indexer.backend import SearchReader, open_index, open_reader
from indexer.cli import make_client
from indexer.document import Document, principals_for
from indexer.extract import Extractor
from indexer.settings import load_settings
from indexer.sync import Syncer
from tests.indexer.pg.backends import BACKENDS

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Judgement:
    """``query`` by ``user`` must give ``first`` (in any order) within the top ``within``
    results (the first ``len(first)`` places unless told), and never any of ``absent``."""

    query: str
    first: tuple[str, ...]
    within: int = 0
    user: str = p.HR
    absent: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        return self.within or len(self.first)


def _title(name: str) -> str:
    return name.rsplit(".", 1)[0]


NEW_STARTERS = tuple(_title(name) for name in c.INFLECTED_DOCUMENTS.values())
SURVEY = _title(c.SURVEY_DOCUMENT)
SATISFACTION = _title(c.SATISFACTION_DOCUMENT)
COMPOUND = _title(c.COMPOUND_DOCUMENT)
HANDBOOK = _title(c.SHARED_WITH_EVERYONE)
STAFF_POLICY = "Staff policy - English summary"
TOWN_HALL = ("Parking at the town hall", "New parking rules at the town hall")

JUDGEMENTS = [
    # Danish inflections: every form finds every other form
    Judgement("medarbejdere", (*NEW_STARTERS, "Sommerfest for alle medarbejdere")),
    Judgement("medarbejder", NEW_STARTERS, within=4),
    Judgement("medarbejderne", NEW_STARTERS, within=4),
    Judgement("elbil", ("Hjemmeplejen kører nu i elbiler",)),
    Judgement("nulstil adgangskode", ("Sådan nulstiller du din adgangskode",)),
    Judgement("lønforhandling", ("Lønforhandlingerne 2026 er gået i gang",)),
    # English inflections
    Judgement("policies", (STAFF_POLICY,)),
    Judgement("employees", (STAFF_POLICY,)),
    Judgement("working from home", (STAFF_POLICY,)),
    Judgement("awards", ("Sundby wins national award for green transition",)),
    Judgement("international staff", ("Welcome guide for international staff",)),
    # æ, ø and å typed as ae, oe and aa
    Judgement("personalehaandbog", (HANDBOOK, "Personalehåndbogen er opdateret")),
    Judgement("moedelokaler", ("Mødelokaler på rådhuset",)),
    Judgement("printeropsaetning", ("Printeropsætning på rådhuset",)),
    Judgement("aarsplan dansk", ("Årsplan dansk 7. klasse",), user=p.TEACHER),
    Judgement("undersoegelse", (SURVEY,)),
    # Compounds: found by their parts, never above the word on its own
    Judgement("undersøgelse", (SURVEY,)),
    Judgement("tilfredshed", (SATISFACTION, COMPOUND)),
    Judgement(c.COMPOUND_WORD, (COMPOUND,)),
    Judgement("hygiejne", ("Hygiejnevejledning hjemmeplejen",)),
    Judgement("sikkerhed", ("Sikkerhed i faglokalet",), user=p.TEACHER),
    Judgement("sygefravær", ("Sygefravær pr. afdeling 2025", "Sygefraværspolitik"),
              within=5),
    # Phrases, -exclude and OR
    Judgement('"nye medarbejdere"', ("Introduktion for nye medarbejdere",)),
    Judgement('"town hall"', TOWN_HALL),
    Judgement('"personalehåndbog 2026"', (HANDBOOK,)),
    Judgement("hjemmearbejde -ordning", ("Politik for hjemmearbejde",),
              absent=("Ny ordning for hjemmearbejde",)),
    Judgement("politik -ryge", ("Politik for hjemmearbejde",), within=3,
              absent=("Rygepolitik",)),
    Judgement("vpn OR mfa", ("VPN guide", "Opsætning af MFA")),
    Judgement("hjemmearbejde OR rygning", ("Politik for hjemmearbejde", "Rygepolitik"),
              within=3),
    # Filters: site:, type: and author:
    Judgement("site:IT vpn", ("VPN guide",)),
    Judgement("site:HR ferie", ("Ferieregler",)),
    Judgement("site:skoler skema 7.A", ("Skema 7.A",), user=p.TEACHER),
    Judgement("type:pdf politik", ("IT-sikkerhedspolitik", "Rygepolitik",
                                   "Sygefraværspolitik")),
    Judgement("type:news ferie", ("Nye regler for ferieplanlægning",)),
    Judgement("type:excel fravær", ("Sygefravær pr. afdeling 2025", "Fraværsoversigt 2025")),
    Judgement("author:Rasmus phishing", ("Phishing - sådan genkender du det",)),
    Judgement('author:"Jens Møller" printer', ("Printer troubleshooting",
                                               "Printeropsætning på rådhuset")),
    # Prefixes
    Judgement("phish*", ("Phishing - sådan genkender du det",)),
    Judgement("sygefrav*", ("Sygefraværspolitik",), within=3),
    Judgement("budget*", ("Budget 2026 - hovedoversigt",), within=3),
    Judgement("lejrsko*", ("8. årgang på lejrskole på Bornholm",), user=p.TEACHER),
]

DID_YOU_MEAN = [
    ("medarbejdr", "medarbejder"),
    ("persnalehåndbog", "personalehåndbog"),
    ("feriplanlægning", "ferieplanlægning"),
    ("vacination", "vaccination"),
    ("parking -news", None),  # an excluded word is kept as typed
    ("medarbejdere", None),
]


def principals(directory: Directory, upn: str) -> frozenset[str]:
    """What a sample user holds when signed in: everyone, the user and their groups."""
    oid = directory.user_by_upn(upn).oid
    return principals_for(oid, [group.id for group in directory.groups_of(oid)])


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
        settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir),
                                                               "INDEX_URL": index_url})
        with Extractor(timeout=30) as extractor:
            writer = open_index(index_url, index_dir, create=True)
            syncer = Syncer(settings, writer, make_client(settings), extractor)
            assert syncer.run(full=True).exit_code == 0
            writer.close()
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
    results = reader.search(judgement.query, principals(directory, judgement.user),
                            page_size=50)
    titles = [hit.doc.title for hit in results.hits]
    assert set(judgement.first) <= set(titles[:judgement.depth]), titles[:judgement.depth + 3]
    assert not set(judgement.absent) & set(titles)


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
