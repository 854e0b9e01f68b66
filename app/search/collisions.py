"""The collision check: words that stemming and folding give one term though they are not forms
of one dictionary word ("gæld" and "gælder"), and that nobody has reviewed in senses.yaml."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from app.search.analysis import plain_key, words
from app.search.lexicon.senses import dictionary_forms, reviewed


@dataclass(frozen=True, order=True)
class Collision:
    term: str
    first: str
    second: str


def collisions(texts: Iterable[str]) -> list[Collision]:
    """Every unreviewed pair of distinct words of the texts that still share a term.

    Only words the dictionary knows as written count: a misspelling has no meaning to keep
    apart. A term in senses.yaml is reviewed: its words mean one thing (`same`) or its groups
    say which go together (`apart`).
    """
    forms, review = dictionary_forms(), reviewed()
    met: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for word in {w for text in texts for w in words(text)}:
        plain = plain_key(word)
        owners = forms.get(plain, {}).get(word)
        if owners and plain not in review.same and plain not in review.apart:
            # A dictionary word is first itself: "gæld" is the debt before it is the
            # imperative of "gælde".
            met[plain][word] = {word} if word in owners else owners
    found = []
    for term, owned in met.items():
        for first, second in combinations(sorted(owned), 2):
            if not owned[first] & owned[second]:
                found.append(Collision(term, first, second))
    return sorted(found)
