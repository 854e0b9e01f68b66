"""The life-situation vocabulary (catalogue/vocabulary.yaml): everyday words → offer words.

A concept fires when every word of one of its phrases is in the query (after analysis, so
word order, inflection and æ/ø/å spellings do not matter). It then adds its words to the query
with a lower weight and lifts offers that carry its taxonomy terms; a crisis concept marks the
search as a crisis. A concept may also fire `with` others: when the query has one of its
`with.words` and another concept that fired carries one of its `with.terms` ("min søn" + hash
→ the person asking is a relative).
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.search.analysis import analyse, negation_terms


@dataclass(frozen=True)
class Concept:
    """One life situation, analysed."""

    id: str
    phrases: tuple[frozenset[str], ...]
    words: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]
    crisis: bool = False
    role: bool = False
    with_words: frozenset[str] = frozenset()
    with_terms: frozenset[tuple[str, str]] = frozenset()


@lru_cache
def load_concepts(path: Path) -> tuple[Concept, ...]:
    """Every concept of the file; an absent file means no concepts."""
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    concepts = []
    for entry in data.get("concepts", []):
        phrases = tuple(
            frozenset(analysed)
            for phrase in entry.get("phrases", [])
            if (analysed := analyse(phrase))
        )
        words = tuple(dict.fromkeys(t for word in entry.get("words", []) for t in analyse(word)))
        terms = tuple(_pair(pair) for pair in entry.get("terms", []))
        together = entry.get("with") or {}
        concepts.append(
            Concept(
                id=entry["id"],
                phrases=phrases,
                words=words,
                terms=terms,
                crisis=bool(entry.get("crisis", False)),
                role=bool(entry.get("role", False)),
                with_words=frozenset(t for w in together.get("words", []) for t in analyse(w)),
                with_terms=frozenset(_pair(pair) for pair in together.get("terms", [])),
            )
        )
    return tuple(concepts)


def _pair(value: str) -> tuple[str, str]:
    taxonomy, _, code = value.partition("/")
    return taxonomy, code


# A phrase also fires when the query has most of it: the words it shares with the query carry
# at least this share of the phrase's information ("får ikke sovet om natten" has the telling
# words of "sover dårligt om natten"); two words of it at least.
PARTIAL = 0.75
# At most this many concepts fire on part of a phrase, the closest first.
MAX_PARTIAL = 3


def matching_concepts(terms: set[str], concepts: tuple[Concept, ...]) -> list[Concept]:
    """The concepts one of whose phrases the query terms contain (or most of one, see PARTIAL),
    then those that fire with them."""
    fired = [c for c in concepts if any(phrase <= terms for phrase in c.phrases)]
    fired += _partly(terms, concepts, fired)
    carried = {term for c in fired for term in c.terms}
    fired += [
        c for c in concepts if c not in fired and c.with_words & terms and c.with_terms & carried
    ]
    return fired


def _partly(terms: set[str], concepts: tuple[Concept, ...], fired: list[Concept]) -> list[Concept]:
    """Concepts not yet fired with most of a phrase of several words in the query."""
    spread = _spread(concepts)
    close: list[tuple[float, int, Concept]] = []
    for index, concept in enumerate(concepts):
        if concept in fired or concept.role:
            continue
        best = 0.0
        for phrase in concept.phrases:
            shared = phrase & terms
            # "vil ikke leve mere" is the opposite of "vil gerne leve mere": a negation must
            # be there.
            if len(shared) < 2 or (phrase - shared) & negation_terms():
                continue
            weight = sum(_information(t, spread, len(concepts)) for t in phrase)
            share = sum(_information(t, spread, len(concepts)) for t in shared) / weight
            best = max(best, share)
        if best >= PARTIAL:
            close.append((-best, index, concept))
    return [concept for _, _, concept in sorted(close)[:MAX_PARTIAL]]


def _information(term: str, spread: dict[str, int], count: int) -> float:
    """How telling a phrase word is: rarer among the concepts' phrases, more telling."""
    return math.log(1 + count / max(1, spread.get(term, 0)))


@lru_cache(maxsize=4)
def _spread(concepts: tuple[Concept, ...]) -> dict[str, int]:
    """For every phrase word, how many concepts use it in a phrase."""
    spread: dict[str, int] = {}
    for concept in concepts:
        for term in {t for phrase in concept.phrases for t in phrase}:
            spread[term] = spread.get(term, 0) + 1
    return spread
