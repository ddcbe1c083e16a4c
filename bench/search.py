"""Search latency on the benchmark index, next to SQLite FTS5 over the same texts.

Both engines answer the same fixed queries for the same user in the same process, alternating
query by query so that both see the same noise: the portal's ``Reader.search`` (security
trimming, BM25F ranking, facets and a snippet per shown hit) and FTS5 (``bm25()`` with the same
field weights, ``snippet()``, the acl filtered by a join over the user's principals, the site
and type facets counted over every visible match). Warm-up rounds run first, then the measured
rounds. Type-ahead and "did you mean" (bench.did_you_mean) are timed for the same user. The
compound-word figures compare recall of compound parts with FTS5, which does not decompound,
and report what decompounding costs in the index. ``figures(items, quick)`` runs all of them on
the cached index of that size.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import build_index, synthetic_tenant, texts
from bench.did_you_mean import measure_did_you_mean
from bench.figures import Figure, summary
from indexer.analysis import fold
from indexer.document import principals_for
from indexer.index import SearchIndex
from indexer.query import parse
from indexer.search import Reader

TARGET_MS = 50.0
GROUPS = 20  # a typical user's Entra groups; those no item is shared with are made up
PAGE_SIZE = 10
FTS_WEIGHTS = (5.0, 2.0, 1.0)  # title, description, body: the index's field boosts
FTS_FILE = "fts5.sqlite3"
FTS_BATCH = 2000

WORDS = ("budget", "medarbejdere", "trivsel", "parkering", "sikkerhed", "rekruttering",
         "økonomi", "klima", "recycling", "wellbeing", "kantinen", "visitation")
TWO_WORDS = ("budget skole", "trivsel medarbejdere", "klima energi", "digital security",
             "waste recycling", "sygefravær ledelsen", "høring lokalplan", "library culture")
THREE_WORDS = ("aftale om parkering", "plan for klimaindsatsen", "elderly care services",
               "budget for skolen", "tilsyn med plejecenter", "recruitment of staff")
PHRASES = ('"vej og park"', '"elderly care"', '"waste collection"', '"action plan"',
           '"referat ældreplejen"', '"library services"')
FILTERED = ("budget type:pdf", "trivsel type:docx", "klima -energi")
QUERIES: dict[str, tuple[str, ...]] = {"one word": WORDS, "two or three words": TWO_WORDS
                                       + THREE_WORDS, "phrase": PHRASES, "filtered": FILTERED}
CACHE = Path("var/bench")  # cached corpora (the same place ``python -m bench`` uses)
COMPOUND_PARTS = ("pleje", "plan", "miljø", "møde", "måling", "center", "ordning", "data")


@dataclass(frozen=True)
class Runs:
    """How many rounds over the query set to warm up with and to measure."""

    warm_up: int
    measured: int


def figures(items: int, quick: bool, cache: Path = CACHE) -> list[Figure]:
    """Search, "did you mean" and compound-word figures on the ``items``-item synthetic index
    (built once into ``cache``, then reused)."""
    return measure_search(build_index(items, cache), items, quick)


def measure_search(index_dir: Path, items: int, quick: bool) -> list[Figure]:
    """Search latency figures (Whoosh vs FTS5), "did you mean" latency and compound-word
    figures for the index."""
    runs = Runs(1, 2) if quick else Runs(2, 10)
    principals = typical_user(items)
    database = fts_database(index_dir)
    index = SearchIndex.open(index_dir)
    try:
        cold = _first_searches(index, principals)
        with scratch_copy(index_dir) as scratch:
            after_commit = _searches_after_commit(scratch, principals)
            with Reader(index) as reader:
                figures = _latency(reader, database, principals, runs, cold, after_commit)
                figures.append(_type_ahead(reader, principals, runs))
            figures += measure_did_you_mean(index, principals, runs.warm_up, runs.measured,
                                            scratch, change_one_document)
        figures += compound_figures(index, database)
    finally:
        database.close()
        index.ix.close()
    return figures


@contextmanager
def scratch_copy(index_dir: Path) -> Iterator[SearchIndex]:
    """A copy of the index in a temporary directory, to commit into (the cache stays as built)."""
    with tempfile.TemporaryDirectory(prefix="bench-commits-") as scratch:
        copy = Path(scratch) / "index"
        shutil.copytree(index_dir, copy)
        index = SearchIndex.open(copy)
        try:
            yield index
        finally:
            index.ix.close()


def change_one_document(index: SearchIndex, number: int) -> None:
    """Commit a new version of one document (its title changed), as a typical indexer run
    does: one small segment is added and one document of a big segment is deleted."""
    doc_ids = sorted(index.ids())
    doc = index.get(doc_ids[number * 7919 % len(doc_ids)])
    if doc is None:
        raise LookupError("the scratch index lost a document it listed")
    doc.title = f"{doc.title} (v{number})"
    with index.batch() as batch:
        batch.upsert(doc)


def typical_user(items: int, seed: int = 1) -> frozenset[str]:
    """The principals of the synthetic directory's first user who is in a department group,
    with made-up groups (shared with no item) up to ``GROUPS`` groups."""
    directory = synthetic_tenant(items, seed).directory
    for user in sorted(directory.users.values(), key=lambda u: u.upn):
        groups = sorted(g.id for g in directory.groups_of(user.oid))
        if len(groups) > 1:
            break
    extra = (str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-group-{n}")) for n in range(GROUPS))
    groups += list(extra)[:GROUPS - len(groups)]
    return principals_for(user.oid, groups)


def _searches_after_commit(index: SearchIndex, principals: frozenset[str]) -> list[float]:
    """Milliseconds of each query as the first search after a commit that changed one
    document, in a reader that has answered every query before (as a portal worker has)."""
    queries = [q for found in QUERIES.values() for q in found]
    samples = []
    with Reader(index) as reader:
        for query in queries:
            reader.search(query, principals, page_size=PAGE_SIZE)
        for number, query in enumerate(queries):
            change_one_document(index, number)
            samples.append(_timed(lambda q=query: reader.search(q, principals,
                                                                page_size=PAGE_SIZE)))
    return samples


def _first_searches(index: SearchIndex, principals: frozenset[str]) -> list[float]:
    """Milliseconds of each query as the first search of a new reader, so nothing of the
    index is cached yet (the operating system's file cache aside)."""
    samples = []
    for query in (q for queries in QUERIES.values() for q in queries):
        with Reader(index) as reader:
            samples.append(_timed(lambda q=query, r=reader: r.search(q, principals,
                                                                     page_size=PAGE_SIZE)))
    return samples


def _latency(reader: Reader, database: sqlite3.Connection, principals: frozenset[str],
             runs: Runs, cold: list[float], after_commit: list[float]) -> list[Figure]:
    fts = FtsSearch(database, principals)
    samples: dict[str, dict[str, list[float]]] = {
        kind: {"whoosh": [], "fts5": []} for kind in QUERIES}
    for round_number in range(runs.warm_up + runs.measured):
        for kind, queries in QUERIES.items():
            for query in queries:
                whoosh = _timed(lambda q=query: reader.search(q, principals,
                                                              page_size=PAGE_SIZE))
                sqlite = _timed(lambda q=query: fts.search(q))
                if round_number >= runs.warm_up:
                    samples[kind]["whoosh"].append(whoosh)
                    samples[kind]["fts5"].append(sqlite)
    every = {engine: [s for kind in samples.values() for s in kind[engine]]
             for engine in ("whoosh", "fts5")}
    figures = [_latency_figure("Search latency p95, all queries", every, runs)]
    figures += [_latency_figure(f"Search latency p95, {kind}", found, runs)
                for kind, found in samples.items()]
    first = _latency_figure("Search latency p95, first search after a commit",
                            {"whoosh": after_commit, "fts5": every["fts5"]}, runs,
                            targeted=False)
    first.notes = ("each query once, in a reader that has answered every query before, right "
                   "after a commit that changed one document (postings, columns and "
                   "vocabularies are cached per segment; bitmaps and scores per generation); "
                   "FTS5 baseline as above")
    new = _latency_figure("Search latency p95, new reader (nothing cached)",
                          {"whoosh": cold, "fts5": every["fts5"]}, runs, targeted=False)
    new.notes = "each query once, in a new reader with nothing cached; FTS5 baseline as above"
    return figures + [first, new]


def _type_ahead(reader: Reader, principals: frozenset[str], runs: Runs) -> Figure:
    """Latency of title suggestions for the first three letters of each one-word query."""
    samples = []
    for round_number in range(runs.warm_up + runs.measured):
        for word in WORDS:
            took = _timed(lambda w=word: reader.suggest_titles(w[:3], principals))
            if round_number >= runs.warm_up:
                samples.append(took)
    spread = summary(samples)
    return Figure(name="Type-ahead latency p95", unit="ms", runs=len(samples),
                  value=spread["p95"], spread=spread,
                  notes=f"`Reader.suggest_titles` on 3-letter prefixes of {len(WORDS)} words; "
                        f"{runs.measured} measured rounds after {runs.warm_up} warm-up")


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _latency_figure(name: str, samples: dict[str, list[float]], runs: Runs,
                    targeted: bool = True) -> Figure:
    whoosh, fts5 = summary(samples["whoosh"]), summary(samples["fts5"])
    return Figure(
        name=name, unit="ms", runs=len(samples["whoosh"]), value=whoosh["p95"], spread=whoosh,
        baseline_name="SQLite FTS5 (bm25, snippet), same texts, same process",
        baseline=fts5["p95"], target=f"p95 <= {TARGET_MS:g} ms" if targeted else None,
        met=whoosh["p95"] <= TARGET_MS if targeted else None,
        notes=(f"{runs.measured} measured rounds after {runs.warm_up} warm-up; a user with "
               f"{GROUPS} groups; page of {PAGE_SIZE} with snippets; facets on. FTS5 p50 "
               f"{fts5['median']:.2f} ms, p99 {fts5['p99']:.2f} ms"))


# --- the FTS5 baseline ------------------------------------------------------------------------

def fts_database(index_dir: Path) -> sqlite3.Connection:
    """The FTS5 database of the index's texts, built once next to the index."""
    path = Path(index_dir).parent / FTS_FILE
    if not path.exists():
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        with sqlite3.connect(building) as database:
            _fill(database, texts(index_dir))
        database.close()
        building.rename(path)
    return sqlite3.connect(path)


def _fill(database: sqlite3.Connection, records: Iterable) -> None:
    database.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, description, body, id UNINDEXED,
                                             site_id UNINDEXED, file_type UNINDEXED);
        CREATE TABLE acl (principal TEXT, doc INTEGER, PRIMARY KEY (principal, doc))
            WITHOUT ROWID;
    """)
    rows, grants = [], []
    for rowid, text in enumerate(records, 1):
        rows.append((rowid, text.title, text.description, text.body, text.id, text.site_id,
                     text.file_type))
        grants += [(principal, rowid) for principal in text.acl]
        if len(rows) >= FTS_BATCH:
            _insert(database, rows, grants)
            rows, grants = [], []
    _insert(database, rows, grants)


def _insert(database: sqlite3.Connection, rows: list[tuple], grants: list[tuple]) -> None:
    database.executemany("INSERT INTO docs (rowid, title, description, body, id, site_id, "
                         "file_type) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    database.executemany("INSERT INTO acl VALUES (?, ?)", grants)


class FtsSearch:
    """The FTS5 equivalent of one ``Reader.search``: the visible matches with their site and
    type counts, and the best page with snippets.

    FTS5 finds the matches, and the acl is a filter on them (``+rowid``: an IN-list as a
    rowid constraint would make FTS5 run the full-text query once per visible row).
    """

    def __init__(self, database: sqlite3.Connection, principals: Iterable[str]) -> None:
        self._database = database
        self._principals = sorted(principals)
        marks = ", ".join("?" * len(self._principals))
        self._visible = f"+rowid IN (SELECT doc FROM acl WHERE principal IN ({marks}))"
        self._order = "bm25(docs, " + ", ".join(f"{w:g}" for w in FTS_WEIGHTS) + ")"

    def search(self, query: str) -> tuple[int, list[tuple], dict[str, Counter]]:
        """The total, the page and the facets for a query in the portal's syntax."""
        expression, file_types = fts_query(query)
        if not expression:
            return 0, [], {}
        where = f"docs MATCH ? AND {self._visible}"
        arguments = [expression, *self._principals]
        if file_types:
            where += f" AND file_type IN ({', '.join('?' * len(file_types))})"
            arguments += file_types
        matches = self._database.execute(
            f"SELECT site_id, file_type FROM docs WHERE {where}", arguments).fetchall()
        facets = {"site": Counter(m[0] for m in matches), "type": Counter(m[1] for m in matches)}
        page = self._database.execute(
            f"SELECT id, title, snippet(docs, 2, '<mark>', '</mark>', ' … ', 32) FROM docs "
            f"WHERE {where} ORDER BY {self._order} LIMIT {PAGE_SIZE}", arguments).fetchall()
        return len(matches), page, facets


_FTS_CLAUSE = re.compile(r'(-?)(?:(type|site|author):(\S+)|"([^"]*)"|(\S+))')


def fts_query(query: str) -> tuple[str, list[str]]:
    """The portal's query syntax (words, phrases, ``-word``, ``type:``) as an FTS5 query and
    the file types it is filtered to."""
    required, excluded, file_types = [], [], []
    for minus, name, value, phrase, word in _FTS_CLAUSE.findall(query):
        words = re.findall(r"\w+", phrase or word)
        if name == "type":
            file_types.append(value.lower())
        elif words and not name:
            (excluded if minus else required).append('"' + " ".join(words) + '"')
    expression = " AND ".join(required)
    if required and excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression, file_types


# --- compound words -----------------------------------------------------------------------------

def compound_figures(index: SearchIndex, database: sqlite3.Connection) -> list[Figure]:
    """Recall of compound parts (Whoosh, which decompounds, vs FTS5) and the cost in postings."""
    bodies = {row[0]: f"{row[1]}\n{row[2]}\n{row[3]}" for row in database.execute(
        "SELECT id, title, description, body FROM docs")}
    recalls, fts_recalls = [], []
    with index.searcher() as searcher:
        ids = searcher.reader().column_reader("id")
        for part in COMPOUND_PARTS:
            truth = _holders(bodies, part)
            parsed = parse(part, searcher.reader())
            found = {ids[d] for d in searcher.docs_for_query(parsed.query)}
            fts = {row[0] for row in database.execute(
                "SELECT id FROM docs WHERE docs MATCH ?", [f'"{part}"'])}
            recalls.append(len(found & truth) / len(truth) * 100)
            fts_recalls.append(len(fts & truth) / len(truth) * 100)
        share = _postings_share(searcher, "parts")
    recall = summary(recalls)
    return [
        Figure(name="Compound recall: items holding a word part, found by the part", unit="%",
               runs=len(recalls), value=recall["median"], spread=recall,
               baseline_name="SQLite FTS5 (unicode61, no decompounding)",
               baseline=summary(fts_recalls)["median"],
               notes=f"median over the parts {', '.join(COMPOUND_PARTS)}; an item holds a part "
                     "when one of its words contains it"),
        Figure(name="Decompounding cost: postings of compound parts", unit="% of postings",
               runs=1, value=share,
               notes="the parts field's share of every posting in the index"),
    ]


def _holders(bodies: dict[str, str], part: str) -> set[str]:
    """The ids of the texts with a word that contains ``part`` (folded or as written)."""
    pattern = re.compile(rf"\w*(?:{re.escape(part)}|{re.escape(fold(part))})\w*",
                         re.IGNORECASE)
    return {doc_id for doc_id, body in bodies.items() if pattern.search(body)}


def _postings_share(searcher, fieldname: str) -> float:
    reader = searcher.reader()
    total = sum(reader.doc_frequency(f, t) for f, t in reader.all_terms())
    mine = sum(reader.doc_frequency(fieldname, t) for t in reader.lexicon(fieldname))
    return mine / total * 100
