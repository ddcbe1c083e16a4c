"""The read API: Danish and English matching, ranking, query syntax and security trimming."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from indexer.backend import IndexBackend, SearchReader, open_reader
from indexer.document import Document
from indexer.index import IndexUnavailable, SearchIndex
from indexer.search import SearchResults
from indexer.snippets import snippet_html

MakeDoc = Callable[..., Document]
STAFF = frozenset({"everyone", "user:u1", "group:staff"})
BOARD = STAFF | {"group:board"}
SECRET = "zebrafusion"


@pytest.fixture
def search_index(backend: IndexBackend) -> IndexBackend:
    """Every test here runs on both backends: Whoosh and PostgreSQL."""
    return backend


@pytest.fixture
def reader(search_index: SearchIndex, make_doc: MakeDoc) -> Iterator[SearchReader]:
    """A reader on a small Danish and English intranet with one restricted site."""
    docs = [
        make_doc(1, "Medarbejdertilfredshedsundersøgelse 2025",
                 "Resultaterne af årets måling blandt alle ansatte i kommunen."),
        make_doc(2, "Ny undersøgelse af trafikken",
                 "En undersøgelse viser at trafikken på Ringvejen stiger."),
        make_doc(3, "Ældrepleje i Sundby",
                 "Kommunens økonomi og ældreplejen. Medarbejderen har travlt på plejecentret."),
        make_doc(4, "Employee handbook", "The policies for employees of the council.",
                 file_type="pdf", author="John Smith"),
        make_doc(5, "Budget 2026", "Budgettet for skoler og dagtilbud i Aarhus.",
                 description="Vedtaget budget", site_id="okonomi", site_title="Økonomi"),
        make_doc(6, "Bestyrelsens fusionsplan", f"Planen {SECRET} er fortrolig indtil videre.",
                 site_id="board", site_title="Direktionen", acl=["group:board"]),
        make_doc(7, "Uden adgang", f"Ingen kan se {SECRET}, ingen adgang.", acl=[]),
        make_doc(8, "Julefrokost på rådhuset", "Alle er velkomne til julefrokost.",
                 kind="news", list_id="news", published=datetime(2026, 11, 19, 12)),
        make_doc(9, "Ny leder i HR", "Vi byder velkommen til vores nye leder.", kind="news",
                 list_id="news", published=datetime(2026, 11, 18, 12), audiences=["hr"]),
        make_doc(10, "Politik for hjemmearbejde", "Medarbejderne må arbejde hjemme.",
                 kind="page", list_id="pages", html="<p>Medarbejderne må arbejde hjemme.</p>"),
    ]
    with search_index.batch() as batch:
        for doc in docs:
            batch.upsert(doc)
        batch.set_checkpoint("hr/docs", {"token": SECRET})
    with open_reader(search_index) as reader:
        yield reader


def ids(results: SearchResults) -> list[str]:
    return [hit.doc.id for hit in results.hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("medarbejdere", "hr:docs:3"),  # finds "Medarbejderen"
    ("aeldrepleje", "hr:docs:3"),  # finds "Ældrepleje"
    ("oekonomi", "hr:docs:3"),  # finds "økonomi"
    ("paa", "hr:docs:2"),  # finds "på"
    ("århus", "okonomi:docs:5"),  # finds the old spelling "Aarhus"
    ("policy", "hr:docs:4"),
    ("employee", "hr:docs:4"),
    ("budgetterne", "okonomi:docs:5"),
    ("ÆLDREPLEJEN", "hr:docs:3"),
])
def test_danish_and_english_word_forms_match(reader: SearchReader, query: str,
                                             expected: str) -> None:
    assert expected in ids(reader.search(query, STAFF))


def test_a_compound_is_found_by_its_parts_but_ranks_below_the_word(reader: SearchReader) -> None:
    assert ids(reader.search("undersøgelse", STAFF)) == ["hr:docs:2", "hr:docs:1"]
    assert ids(reader.search("undersøgelser", STAFF)) == ["hr:docs:2", "hr:docs:1"]
    assert ids(reader.search("tilfredshed", STAFF)) == ["hr:docs:1"]


def test_a_title_match_ranks_above_a_body_match(search_index: SearchIndex,
                                                 make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Referat", "Mødet handlede om vejledning til ferieplanlægning "
                                            "og om ferie for alle medarbejdere i året."))
        batch.upsert(make_doc(2, "Ferie", "Regler for fravær."))
        batch.upsert(make_doc(3, "Ferieregler", "Ferie, ferie og ferie hele året."))
    with open_reader(search_index) as reader:
        assert ids(reader.search("ferie", STAFF))[0] == "hr:docs:2"


def test_restricted_words_leak_nowhere(reader: SearchReader) -> None:
    staff = reader.search(SECRET, STAFF)
    assert (staff.total, staff.hits) == (0, [])
    assert staff.facets.get("site", []) == []
    assert reader.search("fusionsplan", STAFF).total == 0
    assert reader.search("site:direktionen", STAFF).total == 0
    assert reader.suggest_titles("bestyr", STAFF) == []
    assert reader.did_you_mean(SECRET[:-1] + "x", STAFF) is None
    assert reader.get("board:docs:6", STAFF) is None

    board = reader.search(SECRET, BOARD)
    assert ids(board) == ["board:docs:6"]
    assert "<mark>zebrafusion</mark>" in board.hits[0].snippet_html
    assert [(f.key, f.label, f.count) for f in board.facets["site"]] == [
        ("board", "Direktionen", 1)]
    assert [s.title for s in reader.suggest_titles("bestyr", BOARD)] == ["Bestyrelsens fusionsplan"]
    assert reader.did_you_mean(SECRET[:-1] + "x", BOARD) == SECRET


def test_restricted_documents_are_not_counted_in_facets(reader: SearchReader) -> None:
    everything = reader.search("i OR er OR og OR alle", BOARD)
    staff_sites = {f.key: f.count for f in reader.search("i OR er OR og OR alle",
                                                         STAFF).facets["site"]}
    assert "board" not in staff_sites
    assert {f.key for f in everything.facets["site"]} >= {"board", "hr"}


def test_an_empty_acl_is_visible_to_nobody(reader: SearchReader) -> None:
    everybody = BOARD | {"user:admin", "group:everyone"}
    assert ids(reader.search("adgang", everybody)) == []
    assert reader.get("hr:docs:7", everybody) is None
    assert reader.search("anything", frozenset()).total == 0


def test_checkpoints_are_never_found(reader: SearchReader) -> None:
    assert reader.search("token", BOARD).total == 0
    assert reader.get("#checkpoint:hr/docs", BOARD) is None


@pytest.mark.parametrize("query", [
    '"unbalanced quote', "*", "a*", "ab*", "OR", "AND", "-", "--", "- -", "NOT", "x" * 10_000,
    "\x00\x1f", "\x00medarbejdere\x1f", "site:", "type:", "author:", "site:\"", "(", ")",
    '""', "-*", "OR OR OR", "ældre OR", "OR ældre", "title:budget", "medarb* " * 200,
    "\u200b\ufeff", "😀", "a" * 600 + "*", "type:pdf OR", '-"', ":", "::", "%s%n",
])
def test_hostile_queries_never_raise(reader: SearchReader, query: str) -> None:
    results = reader.search(query, STAFF)
    assert results.total >= 0
    reader.did_you_mean(query, STAFF)
    reader.suggest_titles(query, STAFF)


def test_broken_syntax_degrades_to_the_plain_words(reader: SearchReader) -> None:
    assert ids(reader.search('"ældrepleje', STAFF)) == ["hr:docs:3"]
    assert ids(reader.search("ældrepleje OR", STAFF)) == ["hr:docs:3"]
    assert ids(reader.search("- ældrepleje -", STAFF)) == ["hr:docs:3"]


def test_query_syntax(reader: SearchReader) -> None:
    assert ids(reader.search('"trafikken paa ringvejen"', STAFF)) == ["hr:docs:2"]
    assert ids(reader.search('"trafikken stiger"', STAFF)) == []
    assert ids(reader.search("undersøgelse -trafik", STAFF)) == ["hr:docs:1"]
    assert set(ids(reader.search("trafik OR ældrepleje", STAFF))) == {"hr:docs:2", "hr:docs:3"}
    assert ids(reader.search("type:pdf", STAFF)) == ["hr:docs:4"]
    assert set(ids(reader.search("type:news", STAFF))) == {"hr:news:8", "hr:news:9"}
    assert ids(reader.search("site:økonomi budget", STAFF)) == ["okonomi:docs:5"]
    assert ids(reader.search("site:okonomi", STAFF)) == ["okonomi:docs:5"]
    assert ids(reader.search("author:smith", STAFF)) == ["hr:docs:4"]
    assert ids(reader.search("employ*", STAFF)) == ["hr:docs:4"]
    assert "hr:docs:3" in ids(reader.search("medarb*", STAFF))
    assert ids(reader.search("em*", STAFF)) == []  # too short to expand: the word "em"


def test_prefix_expansion_is_capped(search_index: SearchIndex, make_doc: MakeDoc,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Liste", " ".join(f"plan{n}" for n in range(100))))
    monkeypatch.setattr("indexer.query.MAX_PREFIX_TERMS", 5)
    with open_reader(search_index) as reader:
        results = reader.search("plan*", STAFF)
    assert results.total == 1
    assert results.hits[0].snippet_html.count("<mark>") <= 3 * 5


def test_filters_and_facets(reader: SearchReader, now: datetime) -> None:
    results = reader.search("i OR og OR er", STAFF)
    sites = {f.key: (f.label, f.count) for f in results.facets["site"]}
    assert sites["okonomi"] == ("Økonomi", 1)
    types = {f.key: f.count for f in results.facets["type"]}
    assert types["news"] >= 1
    modified = {f.key: f.count for f in results.facets["modified"]}
    assert modified["week"] <= modified["month"] <= modified["year"] <= results.total
    assert ids(reader.search("budget", STAFF, filters={"site_id": "okonomi"})) == [
        "okonomi:docs:5"]
    assert reader.search("budget", STAFF, filters={"site_id": "hr"}).total == 0
    assert ids(reader.search("medarbejdere", STAFF, filters={"kind": "page"})) == [
        "hr:pages:10"]
    assert ids(reader.search("employees", STAFF, filters={"file_type": ["pdf", "xlsx"]})) == [
        "hr:docs:4"]
    recent = reader.search("i OR og", STAFF, filters={"modified_since": now - timedelta(days=3)})
    assert {hit.doc.id for hit in recent.hits} <= {"hr:docs:1", "hr:docs:2", "hr:docs:3"}


def test_an_updated_document_is_counted_once_by_its_new_date(search_index: SearchIndex,
                                                              make_doc: MakeDoc) -> None:
    today = datetime.now(UTC)  # the date facets count back from the real now
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget", modified=today - timedelta(days=2)))
    with search_index.batch() as batch:  # the old version stays in its segment, deleted
        batch.upsert(make_doc(1, "Budget", modified=today - timedelta(days=200)))
    with open_reader(search_index) as reader:
        results = reader.search("budget", STAFF)
        assert {f.key: f.count for f in results.facets["modified"]} == {
            "week": 0, "month": 0, "year": 1}
        assert reader.search("budget", STAFF, filters={
            "modified_since": today - timedelta(days=30)}).total == 0
        assert reader.search("budget", STAFF, filters={
            "modified_since": today - timedelta(days=300)}).total == 1


def test_site_ids_match_whatever_their_case(search_index: SearchIndex,
                                             make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget", site_id="Site-ABC", site_title="Økonomi"))
    with open_reader(search_index) as reader:
        assert reader.search("budget", STAFF, filters={"site_id": "Site-ABC"}).total == 1
        assert reader.search("budget site:site-abc", STAFF).total == 1
        assert reader.recent_documents(STAFF, site_id="SITE-abc").total == 1
        assert [f.key for f in reader.search("budget", STAFF).facets["site"]] == ["site-abc"]


def test_a_vanished_index_is_unavailable(search_index: SearchIndex, make_doc: MakeDoc) -> None:
    if not isinstance(search_index, SearchIndex):
        pytest.skip("PostgreSQL going away is tested in tests/indexer/pg/test_pg_failures.py")
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget"))
    with open_reader(search_index) as reader:
        assert reader.search("budget", STAFF).total == 1
        shutil.rmtree(search_index.path)
        with pytest.raises(IndexUnavailable):
            reader.search("budget", STAFF)


def test_sort_newest_and_pages(reader: SearchReader) -> None:
    newest = reader.search("i OR og OR er OR the", STAFF, sort="newest", page_size=2)
    dates = [hit.doc.published or hit.doc.modified for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)
    page2 = reader.search("i OR og OR er OR the", STAFF, sort="newest", page=2, page_size=2)
    assert not set(ids(newest)) & set(ids(page2))
    assert page2.total == newest.total
    assert reader.search("i", STAFF, page=10_000, page_size=10_000).page_size == 50


def test_every_match_is_ranked_not_only_the_newest(search_index: SearchIndex,
                                                    make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        for number in range(1, 3001):  # newer than the title match, mentioning it in passing
            batch.upsert(make_doc(number, f"Referat {number}", "Mødet nævnte en undersøgelse."))
        batch.upsert(make_doc(5000, "Undersøgelse af trivsel", "Resultaterne er klar."))
    with open_reader(search_index) as reader:
        results = reader.search("undersøgelse", STAFF)
        assert results.total == 3001
        assert ids(results)[0] == "hr:docs:5000"
        assert ids(results)[1:] == [f"hr:docs:{n}" for n in range(1, 10)]  # ties: newest first


def test_snippets_are_escaped_and_marked() -> None:
    html = snippet_html("Kære <b>kolleger</b> & venner: ældreplejen er vigtig.", {"aeldreplej"})
    assert html == ("Kære &lt;b&gt;kolleger&lt;/b&gt; &amp; venner: <mark>ældreplejen</mark> "
                    "er vigtig.")
    long_text = "Indledning. " * 100 + "Her står ældreplejen midt i teksten. " + "Slut. " * 100
    snippet = snippet_html(long_text, {"aeldreplej"})
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>ældreplejen</mark>" in snippet and len(snippet) < 300
    assert snippet_html("Ingen træf her.", {"budget"}) == "Ingen træf her."
    assert "<mark>Medarbejdertilfredshedsundersøgelsen</mark>" in snippet_html(
        "Medarbejdertilfredshedsundersøgelsen er klar.", {"undersoeg"})


def test_latest_news_with_audiences(reader: SearchReader) -> None:
    front = reader.latest_news(STAFF)
    assert [d.id for d in front.docs] == ["hr:news:8"]
    hr = reader.latest_news(STAFF | {"group:hr"})
    assert [d.id for d in hr.docs] == ["hr:news:8", "hr:news:9"]
    archive = reader.latest_news(STAFF, targeted=False)
    assert (archive.total, [d.id for d in archive.docs]) == (2, ["hr:news:8", "hr:news:9"])
    assert [d.id for d in reader.latest_news(STAFF, targeted=False, offset=1).docs] == [
        "hr:news:9"]
    assert reader.latest_news(STAFF, site_id="okonomi").total == 0


def test_recent_documents(reader: SearchReader) -> None:
    recent = reader.recent_documents(STAFF, limit=2)
    assert [d.id for d in recent.docs] == ["hr:docs:1", "hr:docs:2"]
    assert recent.total == 5
    assert reader.recent_documents(BOARD).total == 6


def test_suggest_titles_and_did_you_mean(reader: SearchReader) -> None:
    assert [s.title for s in reader.suggest_titles("ælD", STAFF)] == ["Ældrepleje i Sundby"]
    assert [s.title for s in reader.suggest_titles("ny und", STAFF)] == [
        "Ny undersøgelse af trafikken"]
    assert reader.suggest_titles("x", STAFF) == []
    assert reader.did_you_mean("aeldreplje", STAFF) == "ældrepleje"
    assert reader.did_you_mean("trafik ringvjen", STAFF) == "trafik ringvejen"
    assert reader.did_you_mean("trafiken", STAFF) is None  # stemming finds it already
    assert reader.did_you_mean("budget", STAFF) is None
    assert reader.did_you_mean("qqqqqqq", STAFF) is None


def test_get_returns_the_whole_visible_document(reader: SearchReader) -> None:
    page = reader.get("hr:pages:10", STAFF)
    assert page is not None and page.html == "<p>Medarbejderne må arbejde hjemme.</p>"
    assert reader.get("missing", STAFF) is None


def test_a_reader_sees_each_new_commit(search_index: SearchIndex, make_doc: MakeDoc) -> None:
    with open_reader(search_index) as reader:
        _check_sees_each_commit(reader, search_index, make_doc)


def _check_sees_each_commit(reader: SearchReader, search_index: SearchIndex,
                            make_doc: MakeDoc) -> None:
    assert reader.search("budget", STAFF).total == 0
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget"))
        batch.upsert(make_doc(2, "Budget igen"))
    assert reader.search("budget", STAFF).total == 2
    with search_index.batch() as batch:
        batch.delete("hr:docs:1")
        batch.upsert(make_doc(2, "Regnskab"))
    search_index.optimize()
    assert reader.search("budget", STAFF).total == 0
    assert ids(reader.search("regnskab", STAFF)) == ["hr:docs:2"]


def test_threads_search_while_the_indexer_commits(search_index: SearchIndex,
                                                   make_doc: MakeDoc) -> None:
    with open_reader(search_index) as reader:
        _check_threads(reader, search_index, make_doc)


def _check_threads(reader: SearchReader, search_index: SearchIndex, make_doc: MakeDoc) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            try:
                results = reader.search("budget", STAFF, page_size=50)
                assert results.total == len(results.hits)
            except BaseException as exc:  # noqa: BLE001 - reported to the test thread
                errors.append(exc)
                return

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for number in range(15):
        with search_index.batch() as batch:
            batch.upsert(make_doc(number, f"Budget {number}"))
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert reader.search("budget", STAFF).total == 15
