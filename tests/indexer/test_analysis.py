"""Folding, stemming, compound splitting and language guessing."""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.analysis import (
    detect_language,
    fold,
    parts_analyzer,
    parts_frequencies,
    positions_by_term,
    prefix_analyzer,
    spelling_analyzer,
    spelling_frequencies,
    split_compound,
    stems,
    terms_by_position,
    text_analyzer,
)


@pytest.mark.parametrize(("typed", "written"), [
    ("aeldrepleje", "Ældrepleje"), ("oekonomi", "økonomi"), ("paa", "på"),
    ("aarhus", "Århus"), ("cafe", "café"), ("oe", "ö"), ("ae", "ä"),
])
def test_fold_matches_the_keyboard_spelling(typed: str, written: str) -> None:
    assert fold(typed) == fold(written)


@pytest.mark.parametrize("word", [
    "bazaar", "aardvark", "canoe", "aerial", "poem", "does", "goes", "heroes", "aesthetic",
    "israel", "michael", "maestro", "phoenix", "toe",
])
def test_folding_never_changes_an_english_word(word: str) -> None:
    # English has no æ, ø or å, so folding leaves every English word, and its stems, alone.
    assert fold(word) == word
    assert stems(word) == stems(word.upper())


def test_folding_to_two_letters_keeps_for_and_foer_apart() -> None:
    # ø → "oe" (not "o"), so the very common "for" never meets "før".
    assert stems("for") != stems("før")


@pytest.mark.parametrize(("query", "text"), [
    ("medarbejdere", "medarbejder"), ("medarbejderne", "medarbejder"),
    ("undersøgelser", "undersøgelse"), ("kommunen", "kommuner"),
    ("policy", "policies"), ("employees", "employee"), ("Ældreplejen", "aeldrepleje"),
])
def test_an_inflected_word_shares_a_term_with_its_other_forms(query: str, text: str) -> None:
    assert set(stems(query)) & set(stems(text))


def test_danish_and_english_stems_share_one_position() -> None:
    tokens = [(t.text, t.pos) for t in text_analyzer()("Medarbejdere på plejecentret",
                                                       positions=True)]
    assert ("medarbejd", 0) in tokens
    assert ("medarbejder", 0) in tokens
    assert ("paa", 1) in tokens
    assert {pos for _, pos in tokens} == {0, 1, 2}
    assert terms_by_position("Medarbejdere på plejecentret")[0] == ("medarbejd", "medarbejder")


@pytest.mark.parametrize(("word", "parts"), [
    ("medarbejdertilfredshedsundersøgelse", ("medarbejder", "tilfredshed", "undersoegelse")),
    ("medarbejdertilfredshedsundersøgelsen", ("medarbejder", "tilfredshed", "undersoegelse")),
    ("kommunalbestyrelsesmøde", ("kommunal", "bestyrelse", "moede")),
    ("ældreplejecenter", ("aeldre", "pleje", "center")),
    ("sagsbehandler", ("sag", "behandler")),
    ("hjemmesiden", ("hjemme", "side")),
    ("børneundersøgelse", ()),  # "børne" is not in the vocabulary: no split at all
])
def test_split_compound(word: str, parts: tuple[str, ...]) -> None:
    assert split_compound(fold(word)) == parts


@pytest.mark.parametrize("word", [
    "undersøgelse", "undersøgelserne", "medarbejdere", "vejledningen", "forhandling",
    "halvdelen", "generelt", "bilagene", "søndagen",
])
def test_a_plain_word_is_not_split(word: str) -> None:
    assert split_compound(fold(word)) == ()


def test_parts_field_holds_only_stemmed_parts_of_compounds() -> None:
    terms = {t.text for t in parts_analyzer()("Medarbejdertilfredshedsundersøgelsen og rapport")}
    assert set(stems("undersøgelse")) <= terms
    assert set(stems("tilfredshed")) <= terms
    assert not set(stems("rapport")) & terms


def test_spelling_and_prefix_analyzers() -> None:
    assert [t.text for t in spelling_analyzer()("Ældreplejen 2024 i Sundby")] == [
        "ældreplejen", "sundby"]
    grams = {t.text for t in prefix_analyzer()("Ældre Pleje")}
    assert {"ae", "aeld", "aeldre", "pl", "pleje"} <= grams


@pytest.mark.parametrize(("text", "language"), [
    ("Kommunen har besluttet at alle medarbejdere skal have en ny vejledning.", "da"),
    ("The council has decided that all employees will get new guidelines.", "en"),
    ("Ældrepleje", "da"),
    ("", "da"),
    ("Budget 2025", "da"),
])
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


BULK_TEXTS = [
    "Medarbejdertilfredshedsundersøgelsen 2025: Medarbejdere og medarbejderne i ÆLDREPLEJEN.",
    "The council's policies for employees, version 2.1.3 (see www.sundby.dk); policy v2.",
    "Ældreplejecentret, sagsbehandleren og hjemmesiden. Plejecenter plejecentre plejecenter!",
    "",
    "Ærø Åbenrå øresund café naïve Straße ÅRHUS aarhus 42 x_y __init__ 3.14",
]


@pytest.mark.parametrize("text", BULK_TEXTS)
def test_bulk_counting_gives_exactly_the_analyzers_terms(text: str) -> None:
    """Indexing counts terms in bulk; queries and highlights use the analyzers: they agree."""
    positions: dict[str, list[int]] = {}
    for token in text_analyzer()(text, positions=True):
        positions.setdefault(token.text, []).append(token.pos)
    assert positions_by_term(text) == positions
    assert spelling_frequencies(text) == Counter(t.text for t in spelling_analyzer()(text))
    assert parts_frequencies(text) == Counter(t.text for t in parts_analyzer()(text))
