"""General Danish synonyms (catalogue/thesaurus.tsv), for words the vocabulary does not know.

The file is derived from the Danish LibreOffice thesaurus by `make thesaurus`
(catalogue/thesaurus.py). Each line: the word's search term, the word, and a few synonyms as
words. Looking a term up needs no analysis, so loading stays quick; a synonym is analysed, as
the index analyses text, the first time it is used.
"""

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from app.config import DEFAULT_CATALOGUE_DIR
from app.search.analysis import analyse

THESAURUS = DEFAULT_CATALOGUE_DIR / "thesaurus.tsv"


@lru_cache
def load_thesaurus(path: Path = THESAURUS) -> Mapping[str, tuple[str, ...]]:
    """Term → its synonyms as words, best first; an absent file means no synonyms."""
    if not path.exists():
        return {}
    entries: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.count("\t") != 2:
            continue
        term, _, synonyms = line.split("\t")
        entries[term] = entries.get(term, ()) + tuple(synonyms.split())
    return entries


@lru_cache(maxsize=10_000)
def synonyms(term: str, path: Path = THESAURUS) -> tuple[str, ...]:
    """The search terms of a term's synonyms, best first; () when it has none.

    A synonym that is no longer a single term (the analysis changed since the build) is left out.
    """
    found: list[str] = []
    for word in load_thesaurus(path).get(term, ()):
        terms = analyse(word)
        if len(terms) == 1 and terms[0] != term and terms[0] not in found:
            found.append(terms[0])
    return tuple(found)
