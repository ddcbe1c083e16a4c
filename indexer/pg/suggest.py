""""Did you mean" over PostgreSQL: pg_trgm finds candidate spellings in the vocabulary of all
items, and a candidate is kept only if an item the user may see holds it (so the vocabulary of
restricted items never reaches anyone who may not see them)."""

from __future__ import annotations

import psycopg
from whoosh.support.levenshtein import distance

TRIGRAM_THRESHOLD = "0.2"
MAX_CANDIDATES = 50


def keyboard_variants(word: str) -> list[str]:
    """The word with "ae", "oe" and "aa" also read as æ, ø and å (a keyboard without them)."""
    variants = {word}
    for typed, letter in (("ae", "æ"), ("oe", "ø"), ("aa", "å")):
        variants |= {v.replace(typed, letter) for v in variants}
    return sorted(variants)


def correction(conn: psycopg.Connection, principals: list[str], word: str) -> str | None:
    """The closest visible word to ``word`` (one edit under six letters, else two; the same
    first letter); more visible items win ties."""
    max_distance = 1 if len(word) < 6 else 2
    conn.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                 (TRIGRAM_THRESHOLD,))
    near: dict[str, int] = {}
    for variant in keyboard_variants(word):
        rows = conn.execute(
            "SELECT word FROM vocabulary WHERE word %% %s AND left(word, 1) = left(%s, 1) "
            "ORDER BY similarity(word, %s) DESC LIMIT %s",
            (variant, variant, variant, MAX_CANDIDATES))
        for (candidate,) in rows:
            gap = distance(candidate, variant)
            if candidate != word and gap <= max_distance:
                near[candidate] = min(gap, near.get(candidate, gap))
    if not near:
        return None
    counts = dict(conn.execute(
        "SELECT w, count(*) FROM unnest(%s::text[]) AS w JOIN documents "
        "ON documents.words @> ARRAY[w] WHERE documents.acl && %s GROUP BY w",
        (sorted(near), principals)).fetchall())
    ranked = sorted((near[w], -n, w) for w, n in counts.items() if n)
    return ranked[0][2] if ranked else None
