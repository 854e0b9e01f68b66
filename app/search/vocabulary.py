"""The life-situation vocabulary (catalogue/vocabulary.yaml): everyday words → offer words.

A concept fires when every word of one of its phrases is in the query (after analysis, so
word order, inflection and æ/ø/å spellings do not matter). It then adds its words to the query
with a lower weight and lifts offers that carry its taxonomy terms; a crisis concept marks the
search as a crisis. A concept may also fire `with` others: when the query has one of its
`with.words` and another concept that fired carries one of its `with.terms` ("min søn" + hash
→ the person asking is a relative).
"""

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from app.search.analysis import analyse, excess_terms, negation_terms, split_compound
from app.search.analysis import words as written_words


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
    # The phrases' words as written, lower-cased: for spelling fixes.
    forms: tuple[str, ...] = ()


@lru_cache
def load_concepts(path: Path) -> tuple[Concept, ...]:
    """Every concept of the file; an absent file means no concepts."""
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    qualifiers = excess_terms() | negation_terms()
    concepts = []
    for entry in data.get("concepts", []):
        phrases = tuple(
            frozenset(analysed)
            for phrase in entry.get("phrases", [])
            # A phrase of qualifiers alone ("for meget") would fire on any query with one.
            if (analysed := analyse(phrase)) and not set(analysed) <= qualifiers
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
                forms=tuple(
                    dict.fromkeys(
                        w for phrase in entry.get("phrases", []) for w in written_words(phrase)
                    )
                ),
            )
        )
    return _with_parts(tuple(concepts))


# Parts of a one-word phrase that stand for it when typed apart are at least this long.
_MIN_PART = 4


def _with_parts(concepts: tuple[Concept, ...]) -> tuple[Concept, ...]:
    """Each one-word compound phrase also as the phrase of its parts, where the vocabulary
    knows them: "spilafhængighed" fires on "afhængig af spil", "familieterapi" on "terapi for
    familien"."""
    known = {t for c in concepts for p in c.phrases if len(p) == 1 for t in p}
    known |= {t for c in concepts for t in c.words}
    result = []
    for concept in concepts:
        extra = []
        for phrase in concept.phrases:
            if len(phrase) != 1:
                continue
            parts = split_compound(next(iter(phrase)), known)
            if len(parts) > 1 and all(len(part) >= _MIN_PART for part in parts):
                extra.append(frozenset(parts))
        new = tuple(p for p in dict.fromkeys(extra) if p not in concept.phrases)
        result.append(replace(concept, phrases=concept.phrases + new) if new else concept)
    return tuple(result)


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
    phrases = _phrases(concepts)
    shared: dict[int, int] = {}
    for term in terms:
        for number in phrases.by_term.get(term, ()):
            shared[number] = shared.get(number, 0) + 1
    matched: dict[int, list[frozenset[str]]] = {}
    for number, count in shared.items():
        if count == phrases.size[number]:
            matched.setdefault(phrases.concept[number], []).append(phrases.words[number])
    whole = _unshadowed(matched, concepts)
    fired = [concepts[i] for i in sorted(whole)]
    # A shadowed concept does not come back on part of a phrase either.
    fired += _partly(terms, concepts, phrases, shared, set(matched))
    carried = {term for c in fired for term in c.terms}
    fired += [
        c for c in concepts if c not in fired and c.with_words & terms and c.with_terms & carried
    ]
    return fired


def _unshadowed(
    matched: dict[int, list[frozenset[str]]], concepts: tuple[Concept, ...]
) -> set[int]:
    """The concepts fired, without those whose every phrase lies inside a longer phrase of
    another topic (negations aside): in "ikke et sted at sove i nat" the person needs a bed
    ("sted at sove"), they do not sleep badly ("kan ikke sove"). A concept sharing a taxonomy
    term with the longer one narrows it and stays ("min søn ryger hash" beside "hash"), and a
    word that alone names a topic is never shadowed: it is what the person said."""
    negations = negation_terms()
    about = {index: topics(concepts[index]) for index in matched}
    kept = set()
    for index, own in matched.items():
        longer = [
            phrase
            for other, theirs in matched.items()
            if other != index and not about[index] & about[other]
            for phrase in theirs
        ]
        if not all(len(p) > 1 and any(p - negations < q for q in longer) for p in own):
            kept.add(index)
    return kept


def topics(concept: Concept) -> set[tuple[str, str]]:
    """A concept's themes and target groups: what it is about, not how offers are reached
    (every crisis concept carries "akut")."""
    return {t for t in concept.terms if t[0] in ("tema", "maalgruppe")}


def _partly(
    terms: set[str],
    concepts: tuple[Concept, ...],
    phrases: "_Phrases",
    shared: dict[int, int],
    whole: set[int],
) -> list[Concept]:
    """Concepts not yet fired with most of a phrase of several words in the query."""
    best: dict[int, float] = {}
    for number, count in shared.items():
        index = phrases.concept[number]
        if count < 2 or index in whole or concepts[index].role:
            continue
        phrase = phrases.words[number]
        # "vil ikke leve mere" is the opposite of "vil gerne leve mere": a negation must be
        # there.
        if (phrase - terms) & negation_terms():
            continue
        share = sum(phrases.information[t] for t in phrase & terms) / phrases.weight[number]
        best[index] = max(best.get(index, 0.0), share)
    close = sorted((-share, index) for index, share in best.items() if share >= PARTIAL)
    return [concepts[index] for _, index in close[:MAX_PARTIAL]]


@dataclass(frozen=True)
class _Phrases:
    """Every phrase of the concepts, numbered, with what matching needs at hand."""

    words: list[frozenset[str]]
    concept: list[int]  # phrase number -> index of its concept
    size: list[int]
    weight: list[float]  # the phrase's information, summed over its words
    by_term: dict[str, list[int]]  # word -> numbers of the phrases that have it
    information: dict[str, float]  # how telling a phrase word is


@lru_cache(maxsize=4)
def _phrases(concepts: tuple[Concept, ...]) -> _Phrases:
    # For every phrase word, how many concepts use it: rarer among them, more telling.
    spread: dict[str, int] = {}
    for concept in concepts:
        for term in {t for phrase in concept.phrases for t in phrase}:
            spread[term] = spread.get(term, 0) + 1
    information = {t: math.log(1 + len(concepts) / n) for t, n in spread.items()}
    numbered = [(i, p) for i, c in enumerate(concepts) for p in c.phrases]
    by_term: dict[str, list[int]] = {}
    for number, (_, phrase) in enumerate(numbered):
        for term in phrase:
            by_term.setdefault(term, []).append(number)
    return _Phrases(
        words=[p for _, p in numbered],
        concept=[i for i, _ in numbered],
        size=[len(p) for _, p in numbered],
        weight=[sum(information[t] for t in p) for _, p in numbered],
        by_term=by_term,
        information=information,
    )
