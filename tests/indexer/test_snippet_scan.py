"""The snippet scan over lowercased text finds exactly what the case-ignoring pattern finds."""

from __future__ import annotations

import random

from indexer.snippets import SNIPPET_SCAN_CHARS, _candidates, candidate_matches, token_terms

QUERY_WORDS = ("budget", "ældrepleje", "medarbejdere", "klima", "sikkerhed", "indsats",
               "strasse", "økonomi", "åbning", "trivsel", "kelvin", "gade")
TEXT_WORDS = ("Budget", "BUDGETTET", "budgetter", "ÆLDREPLEJEN", "Aeldrepleje", "ældre",
              "Medarbejderne", "KLIMA", "Klimaet", "ſikkerhed", "sikkerheden", "İndsats",
              "ındsats", "INDSATS", "STRASSE", "Straße", "STRAẞE", "\u212aelvin", "kelvin",
              "\u212bbning", "Åbning", "Oekonomi", "ØKONOMI", "trivsel", "Gadekær", "og", "i",
              "μ", "Σ", "ς", "café", "naïve", "—", "2026")


def _any_case(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _candidates(terms)[0].finditer(text, 0, SNIPPET_SCAN_CHARS)]


def test_lowercased_scan_matches_the_case_ignoring_scan() -> None:
    rng = random.Random(5)
    fast = hits = 0
    for _ in range(400):
        terms = frozenset().union(*(token_terms(w) for w in rng.sample(QUERY_WORDS, 2)))
        words = rng.choices(TEXT_WORDS, k=rng.randrange(1, 60))
        words = [rng.choice((str.upper, str.lower, str.title, str.swapcase, str))(w)
                 for w in words]
        text = "".join(w + rng.choice((" ", ", ", ".\n", "-")) for w in words)
        found = [m.span() for m in candidate_matches(text, terms)]
        assert found == _any_case(text, terms), (text, terms)
        fast += _candidates(terms)[1] is not None
        hits += bool(found)
    assert fast > 300 and hits > 200  # most scans took the lowercased path, most found words


def test_the_scan_stops_where_the_case_ignoring_scan_stops() -> None:
    terms = token_terms("budget")
    text = "x" * (SNIPPET_SCAN_CHARS - 3) + " BUDGET og budget"
    assert [m.span() for m in candidate_matches(text, terms)] == _any_case(text, terms) == []
    text = "İ " + text[2:]  # a letter that lowers to two: the case-ignoring scan is used
    assert [m.span() for m in candidate_matches(text, terms)] == _any_case(text, terms)
