"""General Danish synonyms (thesaurus.tsv in the catalogue folder), for words the vocabulary
does not know.

The file is derived from the Danish LibreOffice thesaurus by `make thesaurus`
(scripts/build_thesaurus.py). Each line: the word's search term, the word, and a few synonyms
as words. Looking a term up needs no analysis, so loading stays quick; a synonym is analysed, as
the index analyses text, the first time it is used.
"""

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from app.search.analysis import analyse


class Thesaurus:
    """Synonyms by search term; an empty one knows none."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.entries: Mapping[str, tuple[str, ...]] = entries or {}
        # Bounded: every new word a person types is looked up once.
        self.synonyms = lru_cache(maxsize=10_000)(self._synonyms)

    def __len__(self) -> int:
        return len(self.entries)

    def _synonyms(self, term: str) -> tuple[str, ...]:
        """The search terms of a term's synonyms, best first; () when it has none.

        A synonym that is no longer a single term (the analysis changed since the build) is
        left out.
        """
        found: list[str] = []
        for word in self.entries.get(term, ()):
            terms = analyse(word)
            if len(terms) == 1 and terms[0] != term and terms[0] not in found:
                found.append(terms[0])
        return tuple(found)


@lru_cache
def load_thesaurus(path: Path) -> Thesaurus:
    """The thesaurus in a file; an absent file means no synonyms."""
    if not path.exists():
        return Thesaurus()
    entries: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.count("\t") != 2:
            continue
        term, _, synonyms = line.split("\t")
        entries[term] = entries.get(term, ()) + tuple(synonyms.split())
    return Thesaurus(entries)
