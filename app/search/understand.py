"""The words a query's concepts are looked up with: what was typed, the parts of its compounds,
and spelling fixes against the vocabulary's words.

The catalogue rarely uses the words people type about their lives ("nyskilt",
"førtidspensionist", "alkaholiker"), but the vocabulary does: a compound is split against the
words of both, else in head and tail against the Danish dictionary ("eneforsørgere" → "ene" +
"forsørgere", app/search/lexicon/words.txt.gz), and a longer word neither knows is corrected to
the closest vocabulary word (one edit for up to eight letters, two for longer words, same first
letter).
"""

from collections.abc import Iterable

from app.search.analysis import AnyOf, analyse, fold, head_and_tail, split_compound
from app.search.lexicon.words import lexicon_terms
from app.search.spelling import Nearby

# Words shorter than this are never corrected: too many short words are one edit apart.
MIN_FIX = 6


class Understanding:
    """The vocabulary's words, ready for splitting and correcting query words."""

    def __init__(self, vocabulary_terms: Iterable[str], forms: Iterable[str] = ()) -> None:
        """:param forms: the vocabulary's words as written (lower-cased): a misspelling is
        often nearer the word than its stem ("ensomhd" is one edit from "ensomhed", two
        from its term "ensom")."""
        self.terms = frozenset(vocabulary_terms)
        self._nearby = Nearby(term for term in self.terms if len(term) >= MIN_FIX - 1)
        self._written = {fold(form): form for form in forms if len(form) >= MIN_FIX}
        self._nearby_written = Nearby(self._written)
        # Read here, at start, not on the first search that needs it.
        self._lexicon = lexicon_terms()

    def concept_terms(
        self, terms: list[str], known: frozenset[str], typed: list[str] | None = None
    ) -> set[str]:
        """The typed terms with the parts of their compounds and their spelling fixes.

        :param typed: the words as typed, one for each term (`analysis.words`).
        """
        words = AnyOf(known, self.terms)
        result = set(terms)
        for number, term in enumerate(terms):
            parts = split_compound(term, words)
            if not parts and term[:2] in words and term[2:] in words and len(term) >= 6:
                # A short first word before a shorter one: "nyskilt", "nyflyttet".
                parts = [term[:2], term[2:]]
            if term not in words or len(parts) > 2:
                # Split against the dictionary: "eneforsørger" is "ene" + "forsørger". In
                # Danish the last part says what a compound is, so two parts with a longer
                # tail beat shorter known pieces ("ene" + "for" + "sorg" is no grief).
                halves = head_and_tail(term, self._lexicon)
                if halves and (
                    not parts or (len(halves) < len(parts) and len(halves[-1]) >= len(parts[-1]))
                ):
                    parts = halves
            result.update(parts)
            if term not in words:
                fixed = self.correction(term)
                if fixed is None and typed is not None and number < len(typed):
                    fixed = self.written_correction(typed[number])
                if fixed is not None:
                    result.add(fixed)
                    result.update(split_compound(fixed, words))
        return result

    def correction(self, term: str) -> str | None:
        """The vocabulary word closest to an unknown word, or None."""
        if len(term) < MIN_FIX:
            return None
        near = self._nearby.within(term, _edits(term), swaps=True)
        return near[0][1] if near else None

    def written_correction(self, word: str) -> str | None:
        """The term of the vocabulary word, as written, closest to a typed word, or None."""
        folded = fold(word)
        if len(folded) < MIN_FIX or folded in self._written:
            return None
        near = self._nearby_written.within(folded, _edits(folded), swaps=True)
        if not near:
            return None
        terms = analyse(self._written[near[0][1]])
        return terms[0] if terms else None


def _edits(word: str) -> int:
    """How many edits a fix may make: one for up to eight letters, two for longer words."""
    return 1 if len(word) <= 8 else 2
