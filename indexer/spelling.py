"""Spelling candidates for "did you mean": the index's words within a small edit distance.

Whoosh's ``terms_within`` walks a Levenshtein automaton in Python against the term file, which
costs milliseconds per variant of every word. Here one segment's vocabulary of a field is
read once into numpy arrays (sorted, so the words sharing a first letter are one slice): words
are kept by first letter and length, then by a lower bound on the edit distance (one edit
changes the letter counts by at most two), and only the few left are compared letter by letter.
The candidates are exactly those of ``terms_within(field, word, max_distance, prefix=1)``.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import levenshtein

ALPHABET_SIZE = 48  # the most common letters get a count column; the rest only lower the bound


class Vocabulary:
    """The sorted terms of one field, with their lengths and letter counts."""

    def __init__(self, words: list[str]) -> None:
        self.words = sorted(words)
        self._lengths = np.array([len(word) for word in self.words], dtype=np.int64)
        codes = np.frombuffer("".join(self.words).encode("utf-32-le"), dtype=np.uint32)
        letters, frequencies = np.unique(codes, return_counts=True)
        common = letters[np.argsort(-frequencies, kind="stable")[:ALPHABET_SIZE]]
        self._columns = {chr(code): column for column, code in enumerate(common.tolist())}
        self._counts = np.zeros((len(self.words), len(common)), dtype=np.uint8)
        lookup = dict(zip(common.tolist(), range(len(common)), strict=True))
        columns = np.array([lookup.get(code, -1) for code in letters.tolist()], dtype=np.int64)
        column_of = columns[np.searchsorted(letters, codes)]
        rows = np.repeat(np.arange(len(self.words)), self._lengths)[column_of >= 0]
        cells, counts = np.unique(rows * len(common) + column_of[column_of >= 0],
                                  return_counts=True)
        # Counts above 255 are cut to 255: a cut count still bounds the distance from below.
        self._counts.reshape(-1)[cells] = np.minimum(counts, 255)

    @property
    def nbytes(self) -> int:
        """About the memory the vocabulary takes (its arrays and its words)."""
        words = sum(len(word) for word in self.words) + 56 * len(self.words)
        return self._lengths.nbytes + self._counts.nbytes + words

    @classmethod
    def of(cls, reader: IndexReader, fieldname: str) -> Vocabulary:
        """The vocabulary of ``fieldname`` in the reader's index."""
        return cls([text.decode("utf-8") for text in reader.lexicon(fieldname)])

    def _letter_counts(self, word: str) -> np.ndarray:
        counts = np.zeros(len(self._columns), dtype=np.int64)
        for letter in word:
            column = self._columns.get(letter)
            if column is not None:
                counts[column] = min(counts[column] + 1, 255)
        return counts

    def within(self, word: str, max_distance: int) -> list[str]:
        """The words that start with ``word``'s first letter and are at most ``max_distance``
        Levenshtein edits away from it."""
        if not word:
            return []
        start = bisect_left(self.words, word[0])
        end = bisect_left(self.words, chr(ord(word[0]) + 1), start)
        rows = np.arange(start, end)
        rows = rows[np.abs(self._lengths[start:end] - len(word)) <= max_distance]
        if not len(rows):
            return []
        typed = self._letter_counts(word)
        differ = np.abs(self._counts[rows].astype(np.int64) - typed).sum(axis=1)
        near = (self.words[row] for row in rows[differ <= 2 * max_distance].tolist())
        return [w for w in near if levenshtein(w, word, max_distance) <= max_distance]
