"""Which words of a text a query matched, found with the same analysis the index uses.

So "gæld" marks "Gældsrådgivning" (a compound of a matched word) and "gaeld" marks "gæld".
Callers get character ranges; turning them into markup is theirs.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from app.search.analysis import MAX_TERM, TOKEN, analyse, negation_terms, split_compound

# The tokens the analyser sees: runs of letters and digits in any script.
_WORD = re.compile(TOKEN)
# Only this much of a text is searched for matches (a summary shows far less).
MAX_HIGHLIGHT = 20_000


@lru_cache(maxsize=50_000)
def _term(word: str) -> str | None:
    """A word's index term (None for a stop word); offers' words repeat, so keep them."""
    analysed = analyse(word)
    return analysed[0] if analysed else None


@dataclass(frozen=True)
class Highlighter:
    """The analysed terms of one query, and the catalogue's words to split compounds with."""

    terms: frozenset[str]
    known: frozenset[str]

    @classmethod
    def for_query(cls, text: str, known: frozenset[str]) -> "Highlighter":
        terms: set[str] = set()
        for term in analyse(text):
            terms.add(term)
            terms.update(split_compound(term, known))
        # A negation matters to what matches, but marking every "ikke" would show nothing.
        return cls(terms=frozenset(terms - negation_terms()), known=known)

    def matches(self, word: str) -> bool:
        """Whether a word of an offer's text is one the query asked for, or contains one."""
        if not self.terms:
            return False
        # The analyser reads only a word's first MAX_TERM letters; marks may add a few more.
        term = _term(word[: 4 * MAX_TERM])
        if term is None:
            return False
        return term in self.terms or any(
            part in self.terms for part in split_compound(term, self.known)
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) character ranges of the matched words, in order."""
        if not self.terms:
            return []
        words = _WORD.finditer(text, 0, MAX_HIGHLIGHT)
        return [m.span() for m in words if self.matches(m.group(0))]
