"""The life-situation vocabulary (catalogue/vocabulary.yaml): everyday words → offer words.

A concept fires when every word of one of its phrases is in the query (after analysis, so
word order, inflection and æ/ø/å spellings do not matter). It then adds its words to the query
with a lower weight and lifts offers that carry its taxonomy terms; a crisis concept marks the
search as a crisis. A concept may also fire `with` others: when the query has one of its
`with.words` and another concept that fired carries one of its `with.terms` ("min søn" + hash
→ the person asking is a relative).
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.search.analysis import analyse


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


def matching_concepts(terms: set[str], concepts: tuple[Concept, ...]) -> list[Concept]:
    """The concepts one of whose phrases the query terms contain, then those that fire with them."""
    fired = [c for c in concepts if any(phrase <= terms for phrase in c.phrases)]
    carried = {term for c in fired for term in c.terms}
    fired += [
        c for c in concepts if c not in fired and c.with_words & terms and c.with_terms & carried
    ]
    return fired
