"""Fuzzing the query language: any string a user types gives a page of results (maybe empty),
a title suggestion list and a "did you mean", never an exception, and never a hidden item.

``FUZZ_EXAMPLES`` sets the number of examples (default 300).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index import SearchIndex
from indexer.query import parse
from indexer.search import Reader

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SECRET = "zebrafusion"
STAFF = frozenset({"everyone", "user:u1"})
SYNTAX = ['"', "-", "OR", "*", "site:", "type:", "author:", 'site:"', "(", ")", ":", "æøå",
          "budget", "budg*", "medarbejder", SECRET, " ", "\x00", "\u202e", "𝔘", "ß", "İ",
          "\ufeff", "word:", "excel", "-\"", "OR OR", "**", "\\", "~", "^2", "AND", "NOT"]
QUERIES = (st.text(max_size=120)
           | st.lists(st.sampled_from(SYNTAX) | st.text(max_size=6), max_size=30).map("".join)
           | st.lists(st.sampled_from(SYNTAX), max_size=30).map(" ".join))
FUZZ = settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def reader(search_index: SearchIndex, make_doc) -> Iterator[Reader]:
    """A reader on a few documents, one of them restricted."""
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget 2026", "Budgettet for skoler og dagtilbud."))
        batch.upsert(make_doc(2, "Medarbejdertilfredshed", "Årets måling blandt ansatte.",
                              file_type="xlsx"))
        batch.upsert(make_doc(3, "Fortrolig", f"Planen {SECRET} er hemmelig.",
                              acl=["group:board"]))
    with Reader(search_index) as opened:
        yield opened


@FUZZ
@given(query=QUERIES)
def test_any_query_gives_a_page_and_never_a_hidden_item(reader, query):
    results = reader.search(query, STAFF)
    assert 0 <= results.total <= 2
    assert all(hit.doc.id != "hr:docs:3" for hit in results.hits)
    newest = reader.search(query, STAFF, {"site_id": query, "file_type": [query]}, "newest", 3)
    assert newest.total <= results.total
    reader.suggest_titles(query, STAFF)
    suggestion = reader.did_you_mean(query, STAFF)
    assert suggestion is None or SECRET not in suggestion


@FUZZ
@given(query=QUERIES)
def test_the_parser_takes_any_string(reader, search_index, query):
    with search_index.searcher() as searcher:
        parsed = parse(query, searcher.reader())
    assert parsed.query is None or parsed.query.is_leaf() or parsed.query.children()
