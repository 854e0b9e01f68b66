"""Known words near a misspelt one, found in memory with rapidfuzz.

Whoosh's own `terms_within` walks the term file on disk in small reads: tens of milliseconds
for one long word at 10,000 offers, the slowest part of such a search.
"""

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein


class Nearby:
    """Words grouped by their first letter, which a fix never changes."""

    def __init__(self, words: Iterable[str]) -> None:
        self._by_start: dict[str, list[str]] = {}
        for word in sorted(words):
            self._by_start.setdefault(word[:1], []).append(word)

    def within(self, word: str, distance: int, *, swaps: bool = False) -> list[tuple[int, str]]:
        """(edits, known word) for the words at most `distance` edits away with the same first
        letter, closest first (then in alphabetical order). With `swaps`, two neighbouring
        letters swapped count as one edit."""
        scorer = OSA.distance if swaps else Levenshtein.distance
        choices = self._by_start.get(word[:1], [])
        found = process.extract(word, choices, scorer=scorer, score_cutoff=distance, limit=None)
        return sorted((int(edits), choice) for choice, edits, _ in found)
