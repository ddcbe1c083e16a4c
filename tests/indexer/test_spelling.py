"""The spelling vocabulary finds exactly the words Whoosh's Levenshtein automaton finds."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh import fields, index

from indexer.segments import within
from indexer.spelling import ALPHABET_SIZE, Vocabulary

WORDS = ("medarbejder", "medarbejdere", "medbestemmelse", "ældrepleje", "ældre", "økonomi",
         "budget", "budgetter", "bud", "budgettet", "klima", "klimaet", "kilma", "sikkerhed",
         "sikker", "parkering", "parkeringen", "trivsel", "wellbeing", "welfare", "abc", "ab",
         "a", "åbning", "åben", "zebra")


def whoosh_vocabulary(directory: Path, words: list[str]) -> index.Index:
    """A real Whoosh index whose ``words`` field holds ``words``."""
    ix = index.create_in(str(directory), fields.Schema(words=fields.KEYWORD))
    with ix.writer() as writer:
        for word in words:
            writer.add_document(words=word)
    return ix


def misspellings(words: list[str], rng: random.Random) -> list[str]:
    """Each word with one or two random edits (insert, delete, substitute, swap)."""
    out = []
    for word in words:
        for _ in range(3):
            typed = list(word)
            for _ in range(rng.choice((1, 2))):
                at = rng.randrange(1, max(2, len(typed)))
                edit = rng.choice("idst")
                if edit == "i":
                    typed.insert(at, rng.choice("aeiknrtæø"))
                elif edit == "d" and len(typed) > 2:
                    del typed[at:at + 1]
                elif edit == "s" and at < len(typed):
                    typed[at] = rng.choice("aeiknrtæø")
                elif at < len(typed):
                    typed[at - 1], typed[at] = typed[at], typed[at - 1]
            out.append("".join(typed))
    return out


def test_within_matches_whoosh_terms_within(tmp_path: Path) -> None:
    ix = whoosh_vocabulary(tmp_path, list(WORDS))
    asked = [*WORDS, *misspellings(list(WORDS), random.Random(7)), "x", "medarbeider"]
    with ix.searcher() as searcher:
        reader = searcher.reader()
        vocabulary = Vocabulary.of(reader, "words")
        found = 0
        for word in asked:
            for max_distance in (1, 2):
                expected = set(reader.terms_within("words", word, max_distance, prefix=1))
                assert set(vocabulary.within(word, max_distance)) == expected, word
                found += len(expected)
    assert found > len(asked)  # the comparison is not one of empty sets


def test_letters_outside_the_alphabet_still_match() -> None:
    letters = [chr(0x100 + n) for n in range(ALPHABET_SIZE + 12)]  # more than get a column
    words = [f"a{letter}b" for letter in letters]
    vocabulary = Vocabulary(words)
    assert sorted(vocabulary.within(f"a{letters[-1]}b", 1)) == sorted(words)
    assert vocabulary.within(f"a{letters[-1]}c", 1) == [f"a{letters[-1]}b"]
    assert vocabulary.within("", 2) == []


def test_vocabularies_per_segment_find_what_the_whole_index_finds(tmp_path: Path) -> None:
    ix = whoosh_vocabulary(tmp_path, list(WORDS[:12]))
    for words in (WORDS[8:20], WORDS[20:]):  # two more segments, some words in several
        with ix.writer(merge=False) as writer:
            for word in words:
                writer.add_document(words=word)
    with ix.writer(merge=False) as writer:
        writer.delete_by_term("words", "budget")  # deleted words stay in the vocabulary
    with ix.searcher() as searcher:  # (a multi-segment terms_within is Damerau-Levenshtein)
        reader = searcher.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 3
        vocabularies = [Vocabulary.of(leaf, "words") for leaf in leaves]
        whole = Vocabulary.of(reader, "words")  # the index's vocabulary, read in one piece
        found = 0
        for word in [*WORDS, *misspellings(list(WORDS), random.Random(3))]:
            for max_distance in (1, 2):
                expected = whole.within(word, max_distance)
                assert within(vocabularies, word, max_distance) == expected, word
                assert set(expected) == {w for leaf in leaves for w in leaf.terms_within(
                    "words", word, max_distance, prefix=1)}
                found += len(expected)
        assert found > len(WORDS)
