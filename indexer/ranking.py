"""Relevance ranking: BM25F with the field boosts of indexer.schema, scored for candidates only.

Whoosh's own collectors score every posting of every query term, which for a common word in
a large index costs seconds. Here the matching documents are already known (a bitmap), so
only they are scored: each query term's postings are read a block at a time and scored for
the candidate documents that hold it (field lengths come from per-generation columns). Each
matching term scores ``boost * (1 + BM25)`` (so any real match of a word scores at least its
field boost) and a compound part scores ``PARTS_SCORE``.

When more than ``SCORE_LIMIT`` visible documents match, the candidates are those that match
in the title or description (the highest boosts), newest first, topped up with the newest of
the rest: an approximation that keeps a broad query's cost bounded.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from math import log

from whoosh.query import And, AndNot, Or, Phrase, Query, Term
from whoosh.reading import IndexReader
from whoosh.scoring import bm25
from whoosh.searching import Searcher

from indexer.bitmaps import Generation, docnums_of, mask_of
from indexer.schema import FIELD_BOOSTS, PARTS_SCORE

SCORE_LIMIT = 2000
BM25_B = 0.75
BM25_K1 = 1.2
_STRONG_FIELDS = ("title", "description")


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
    terms = scoring_terms(query)
    candidates = _candidates(searcher, generation, terms, matches, max(SCORE_LIMIT, limit))
    if not candidates:
        return []
    scores = _scores(searcher, generation, terms, candidates)
    order = {docnum: place for place, docnum in enumerate(candidates)}
    return heapq.nsmallest(limit, candidates, key=lambda d: (-scores.get(d, 0.0), order[d]))


def _candidates(searcher: Searcher, generation: Generation,
                terms: dict[tuple[str, str], float], matches: int, limit: int) -> list[int]:
    """Up to ``limit`` documents to score, newest first."""
    if matches.bit_count() <= limit:
        return generation.newest(searcher, matches, limit)
    strong = matches & field_mask(searcher, generation, terms, _STRONG_FIELDS)
    picked = generation.newest(searcher, strong, limit)
    return picked + generation.newest(searcher, matches & ~strong, limit - len(picked))


def field_mask(searcher: Searcher, generation: Generation,
              terms: dict[tuple[str, str], float], fields: tuple[str, ...]) -> int:
    """The union of the bitmaps of the terms in ``fields``."""
    mask = 0
    for fieldname, text in terms:
        if fieldname in fields:
            mask |= generation.term(searcher, fieldname, text)
    return mask


def _scores(searcher: Searcher, generation: Generation, terms: dict[tuple[str, str], float],
            candidates: list[int]) -> dict[int, float]:
    scores = dict.fromkeys(candidates, 0.0)
    wanted = mask_of(candidates, generation.size)
    leaves = list(searcher.reader().leaf_readers())
    total = searcher.doc_count_all()
    for (fieldname, text), boost in terms.items():
        holders = docnums_of(wanted & generation.term(searcher, fieldname, text))
        if fieldname == "parts":
            for docnum in holders:
                scores[docnum] += PARTS_SCORE
            continue
        if not holders:
            continue
        idf = log(total / (searcher.doc_frequency(fieldname, text) + 1)) + 1
        lengths = generation.column(searcher, f"{fieldname}_len")
        average = generation.mean(searcher, f"{fieldname}_len") or 1.0
        for index, (reader, offset) in enumerate(leaves):
            end = leaves[index + 1][1] if index + 1 < len(leaves) else total
            local = [d - offset for d in holders[bisect_left(holders, offset):
                                                 bisect_left(holders, end)]]
            if not local:  # (and a segment with candidates holding the term has its postings)
                continue
            wanted_here = set(local)
            for docnums, weights in _posting_blocks(reader, fieldname, text, local):
                for docnum, weight in zip(docnums, weights, strict=True):
                    if docnum in wanted_here:
                        length = lengths[docnum + offset]
                        score = bm25(idf, weight, length, average, BM25_B, BM25_K1)
                        scores[docnum + offset] += boost * (1.0 + score)
    return scores


def _posting_blocks(reader: IndexReader, fieldname: str, text: str,
                    wanted: list[int]) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """The (docnums, weights) of the posting blocks of a term in one segment that may hold
    one of the ``wanted`` (sorted) docnums; other blocks are skipped unread.

    This reads the blocks of Whoosh's W3 codec directly (whoosh-reloaded is pinned to 2.7.x):
    the public matcher API costs several Python calls per posting. Deleted documents need no
    filter here, as the candidates come from bitmaps that never hold them.
    """
    matcher = reader.postings(fieldname, text)
    matcher = getattr(matcher, "child", matcher)  # unwrap the deleted-documents filter
    position = 0
    while position < len(wanted) and matcher.is_active():
        last = matcher.block_max_id()
        if wanted[position] <= last:
            matcher._read_ids()
            matcher._read_weights()
            yield matcher._ids, matcher._weights
            position = bisect_right(wanted, last, position)
        matcher._next_block()
