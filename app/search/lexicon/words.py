"""The search terms of every form of the Danish Hunspell dictionary (words.txt.gz, derived
data; see LICENSE): what a compound is split against when the catalogue lacks a part."""

import gzip
from functools import lru_cache
from pathlib import Path

WORDS = Path(__file__).resolve().parent / "words.txt.gz"


@lru_cache(maxsize=1)
def lexicon_terms() -> frozenset[str]:
    """About 127,000 terms, some 10 MB in memory; read once a process."""
    with gzip.open(WORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if not line.startswith("#"))
