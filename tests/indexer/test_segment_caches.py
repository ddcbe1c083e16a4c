"""A Reader kept warm across commits (per-segment caches) answers exactly as a fresh Reader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from indexer import segments
from indexer.document import Document
from indexer.index import SearchIndex
from indexer.search import Reader

MakeDoc = Callable[..., Document]
STAFF = frozenset({"everyone", "user:u1", "group:staff"})
BOARD = STAFF | {"group:board"}
OUTSIDER = frozenset({"user:u9"})
SUBJECTS = ("budget", "ferie", "ældrepleje", "medarbejder", "trafik", "skole", "klima",
            "parkering", "sikkerhed", "økonomi")
QUERIES = ("budget", "ferie medarbejdere", "aeldrepleje", '"budget for"', '"om sikkerhed"',
           '"medarbejder for alle"', '"regnskab for"', '"ferie for"', "budg*",
           "klima OR trafik", "skole -budget", "employee handbook", "sikkerhed økonomi",
           "parkeringen", "regnskab", "fusion")
MISSPELT = ("budgt", "ferei", "aeldreplje", "medarbejdr", "trafk", "regnskb", "fusoin")


def _docs(make_doc: MakeDoc, numbers: range) -> list[Document]:
    """Documents on a few subjects, sites, kinds and ACLs (some for the board only)."""
    docs = []
    for n in numbers:
        first, second = SUBJECTS[n % len(SUBJECTS)], SUBJECTS[(n * 3 + 1) % len(SUBJECTS)]
        extra: dict[str, Any] = {}
        if n % 7 == 0:
            extra = {"kind": "news", "list_id": "news",
                     "published": datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=n),
                     "audiences": ["staff"] if n % 2 else []}
        elif n % 5 == 0:
            extra = {"kind": "page", "list_id": "pages"}
        docs.append(make_doc(
            n, f"{first.capitalize()} {n} og {second}",
            f"Notat om {first} for alle medarbejdere. " * (1 + n % 4) + f"Se også {second}.",
            site_id=("hr", "okonomi", "board")[n % 3],
            site_title=("HR og Løn", "Økonomi", "Direktionen")[n % 3],
            acl=["group:board"] if n % 3 == 2 else ["everyone"],
            file_type=("docx", "pdf", "xlsx")[n % 3], **extra))
    return docs


def _answers(reader: Reader) -> list[Any]:
    """Everything the portal asks a Reader, as plain values."""
    out: list[Any] = []
    for principals in (STAFF, BOARD, OUTSIDER):
        for query in QUERIES:
            for sort, page in (("relevance", 1), ("relevance", 2), ("newest", 1)):
                results = reader.search(query, principals, sort=sort, page=page, page_size=5)
                out.append((query, sort, page, results.total, results.facets,
                            [(hit.doc.id, hit.doc.title, hit.snippet_html)
                             for hit in results.hits]))
            out.append(reader.search(query, principals, filters={
                "site_id": "okonomi", "file_type": ["pdf", "docx"]}).total)
        out.extend(reader.did_you_mean(word, principals) for word in MISSPELT)
        out.append([s.id for s in reader.suggest_titles("bu", principals)])
        out.append(reader.latest_news(principals, limit=20))
        out.append(reader.latest_news(principals, limit=20, targeted=False).total)
        out.append(reader.recent_documents(principals, limit=20, site_id="hr"))
        out.append([reader.get(f"hr:docs:{n}", principals) for n in (3, 6, 9, 41)])
    return out


def test_a_warm_reader_answers_as_a_fresh_one_after_each_commit(
        search_index: SearchIndex, make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        for doc in _docs(make_doc, range(1, 40)):
            batch.upsert(doc)
    search_index.optimize()  # one big segment, which the commits below keep
    with search_index.batch() as batch:
        for doc in _docs(make_doc, range(40, 44)):
            batch.upsert(doc)
    with Reader(search_index) as warm:
        before = _answers(warm)
        commits: list[Callable[[Any], None]] = [
            lambda batch: (batch.delete("hr:docs:3"), batch.delete("okonomi:docs:40")),
            lambda batch: batch.upsert(make_doc(
                6, "Regnskab og fusion", "Regnskab for budgettet, fusion af skoler.",
                acl=["group:staff"], modified=datetime(2026, 11, 25, tzinfo=UTC))),
            lambda batch: batch.upsert(make_doc(
                41, "Ny ferieplan", "Ferie for medarbejdere på skolen.", acl=["group:board"])),
        ]
        for commit in commits:
            with search_index.batch() as batch:
                commit(batch)
            with Reader(search_index) as fresh:
                assert _answers(warm) == _answers(fresh)
        after = _answers(warm)
        assert after != before  # the commits changed answers, and the warm reader saw them
        search_index.optimize()  # every segment merged into a new one
        with Reader(search_index) as fresh:
            assert _answers(warm) == _answers(fresh)  # (deletions purged: new BM25 figures)


def test_lengths_and_dates_read_in_one_piece_are_whoosh_s_values(
        search_index: SearchIndex, make_doc: MakeDoc) -> None:
    # Segments: the new index's metadata (no length columns at all), three documents whose
    # last two have no description (their lengths are the column's default, not stored), and
    # one without a description (an empty column)
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget", "Tal.", description="Budget for skolerne i 2027"))
        batch.upsert(make_doc(2, "Ferie", "Regler for ferie."))
        batch.upsert(make_doc(3, "Klima", ""))
    with search_index.batch() as batch:
        batch.upsert(make_doc(4, "Trafik", "Vejarbejde på Ringvejen."))
    with search_index.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            for fieldname in ("title_len", "description_len", "body_len", "modified",
                              "sort_date"):
                whoosh = list(reader.column_reader(fieldname, translate=False))
                assert segments._segment_column(reader, fieldname).tolist() == whoosh
