"""Relevance ranking: BM25F with the field boosts of indexer.schema, over every match.

Whoosh's own collectors score posting by posting in Python, which for a common word in a large
index costs seconds. Here the matching documents are already known (a bitmap), and each query
term's postings and its score per posting are cached per generation as arrays
(indexer.bitmaps), so a query's scores are one ``bincount`` over its terms' postings: each
matching term scores ``boost * (1 + BM25)`` (so any real match of a word scores at least its
field boost) and a compound part scores ``PARTS_SCORE``. Ties go to the newer document. The
arithmetic is done in float64 in the order of the scalar formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import log

import numpy as np
from whoosh.query import And, AndNot, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from indexer.bitmaps import Generation, Postings, docnums_of
from indexer.schema import FIELD_BOOSTS, PARTS_SCORE

BM25_B = 0.75
BM25_K1 = 1.2


def scoring_terms(query: Query) -> dict[tuple[str, str], float]:
    """The scored terms of a query with their boosts (excluded and filter terms left out)."""
    terms: dict[tuple[str, str], float] = {}
    for fieldname, text, boost in _walk(query):
        if fieldname in FIELD_BOOSTS or fieldname == "parts":
            terms[fieldname, text] = max(boost, terms.get((fieldname, text), 0.0))
    return terms


def _walk(query: Query) -> Iterator[tuple[str, str, float]]:
    if isinstance(query, Term):
        yield query.fieldname, query.text, query.boost
    elif isinstance(query, Phrase):
        yield from ((query.fieldname, word, query.boost) for word in query.words)
    elif isinstance(query, AndNot):
        yield from _walk(query.a)
    elif isinstance(query, (And, Or)):
        for subquery in query.subqueries:
            yield from _walk(subquery)


def top_documents(searcher: Searcher, generation: Generation, query: Query, matches: int,
                  limit: int) -> list[int]:
    """The ``limit`` best of the documents in ``matches`` (a bitmap), best first."""
    if not matches or limit <= 0:
        return []
    docnums = docnums_of(matches, generation.size)
    scores = _scores(searcher, generation, scoring_terms(query))[docnums]
    if len(docnums) > limit:  # keep the best, with every document tied with the last of them
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= cut
        docnums, scores = docnums[keep], scores[keep]
    best = np.lexsort((generation.rank(searcher)[docnums], -scores))[:limit]
    return docnums[best].tolist()


def _scores(searcher: Searcher, generation: Generation,
            terms: dict[tuple[str, str], float]) -> np.ndarray:
    """Every document's score for the terms (zero for documents holding none of them).

    One ``bincount`` adds every posting's score in term order, as adding term by term would.
    """
    docnums: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for (fieldname, text), boost in terms.items():
        postings = generation.postings(searcher, fieldname, text)
        if not len(postings.docnums):
            continue
        docnums.append(postings.docnums)
        if fieldname == "parts":
            scores.append(np.full(len(postings.docnums), PARTS_SCORE))
            continue
        scores.append(generation.scored(
            (fieldname, text, boost),
            lambda f=fieldname, p=postings, b=boost: _term_scores(searcher, generation, f, p, b)))
    if not docnums:
        return np.zeros(generation.size)
    return np.bincount(np.concatenate(docnums), weights=np.concatenate(scores),
                       minlength=generation.size)


def _term_scores(searcher: Searcher, generation: Generation, fieldname: str,
                 postings: Postings, boost: float) -> np.ndarray:
    """One term's score in each document of its postings (cached per generation).

    The postings hold every document of the term (deleted ones too), as Whoosh's document
    frequency counts them, so their length is the frequency the idf needs.
    """
    idf = log(searcher.doc_count_all() / (len(postings.docnums) + 1)) + 1
    frequency = postings.weights.astype(np.float64)
    norm = _length_norm(searcher, generation, fieldname)[postings.docnums]
    return boost * (1.0 + idf * ((frequency * (BM25_K1 + 1)) / (frequency + norm)))


def _length_norm(searcher: Searcher, generation: Generation, fieldname: str) -> np.ndarray:
    """BM25's ``K1 * ((1 - B) + B * length / average length)`` for every document."""
    lengths = generation.column(searcher, f"{fieldname}_len")
    average = generation.mean(searcher, f"{fieldname}_len") or 1.0
    return generation.derived(("norm", fieldname),
                             lambda: BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average))
