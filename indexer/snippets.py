"""Search-result snippets: the best passage of a text, HTML-escaped, with the hits marked."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from indexer.analysis import TOKEN_RE, fold, split_compound, stems

SNIPPET_CHARS = 240
SNIPPET_SCAN_CHARS = 100_000
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def token_terms(word: str) -> frozenset[str]:
    """Every index term a surface word stands for: its stems and its compound parts' stems."""
    terms = set(stems(word))
    for part in split_compound(fold(word)):
        terms.update(stems(part))
    return frozenset(terms)


def snippet_html(text: str, terms: set[str], size: int = SNIPPET_CHARS) -> str:
    """The passage of ``text`` with the most query terms, HTML-escaped, hits in <mark>."""
    spans = [(m.start(), m.end()) for m in TOKEN_RE.finditer(text, 0, SNIPPET_SCAN_CHARS)
             if not terms.isdisjoint(token_terms(m.group().lower()))]
    if not spans:
        if len(text) <= size:
            return _plain(text)
        return _plain(text[:max(text.rfind(" ", 0, size), size // 2)]) + " …"
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(spans):
        while last < len(spans) and spans[last][1] <= start + size:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    start = spans[best][0] - size // 5
    start = 0 if start <= 0 else text.rfind(" ", 0, start) + 1
    end = min(len(text), start + size)
    end = len(text) if end >= len(text) else max(text.rfind(" ", start, end), spans[best][1])
    parts = ["… "] if start else []
    position = start
    for span_start, span_end in spans:
        if span_start >= position and span_end <= end:
            parts += [_plain(text[position:span_start]), "<mark>",
                      escape(text[span_start:span_end]), "</mark>"]
            position = span_end
    parts.append(_plain(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts)


def _plain(text: str) -> str:
    return escape(_SPACE.sub(" ", text))
