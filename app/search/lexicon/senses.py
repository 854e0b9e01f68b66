"""Words kept apart from others that stemming and folding would give the same term.

senses.yaml lists, for a term, the groups of words of one meaning each: the first group keeps
the term, the others get terms of their own ("gald": "gæld" stays "gald", "gælde" becomes
"gald_1"). A group names dictionary words; their forms (from ambiguous.tsv.gz) go with them,
and a form written in a group goes with that group. The same words typed without æ, ø and å
("aeldre") go with them too. The underscore keeps these terms apart from any a text can
produce.
"""

import gzip
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent
SENSES = FOLDER / "senses.yaml"
AMBIGUOUS = FOLDER / "ambiguous.tsv.gz"


@dataclass(frozen=True)
class Reviewed:
    """What people decided about terms that words of different dictionary words reach."""

    apart: dict[str, list[list[str]]]  # term -> groups of words, one meaning each
    same: frozenset[str]  # terms whose words mean one thing


@lru_cache(maxsize=1)
def reviewed() -> Reviewed:
    data = yaml.safe_load(SENSES.read_text(encoding="utf-8")) or {}
    apart = {
        term: [group.split() for group in groups] for term, groups in data.get("apart", {}).items()
    }
    return Reviewed(apart=apart, same=frozenset(data.get("same", [])))


@lru_cache(maxsize=1)
def dictionary_forms() -> dict[str, dict[str, set[str]]]:
    """term -> form -> the dictionary words it is a form of, for terms several words reach."""
    return _read_forms(None)


def _read_forms(terms: frozenset[str] | None) -> dict[str, dict[str, set[str]]]:
    """The dictionary forms of the given terms (None: of all)."""
    forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with gzip.open(AMBIGUOUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            term, form, word = line.rstrip("\n").split("\t")
            if terms is None or term in terms:
                forms[term][form].add(word)
    return forms


@lru_cache(maxsize=1)
def senses() -> dict[str, str]:
    """Each word kept apart -> its own term."""
    apart = reviewed().apart
    # Only the reviewed terms' forms: every process analyses, the whole table is for the check.
    dictionary = _read_forms(frozenset(apart))
    own: dict[str, str] = {}
    for term, groups in apart.items():
        written = {word: set[str]() for group in groups for word in group}
        for form, owners in (written | dictionary.get(term, {})).items():
            number = _group(form, owners, groups)
            if number:  # the first group keeps the plain term
                own[form] = f"{term}_{number}"
                own.setdefault(_typed(form), own[form])
    return own


def _group(form: str, owners: set[str], groups: list[list[str]]) -> int | None:
    """The group a form is written in, else the group of the longest dictionary word it is a
    form of: "holder" is a form of "holde" more than of "hold", which is also the imperative."""
    for number, group in enumerate(groups):
        if form in group:
            return number
    found = [(len(word), -n) for n, group in enumerate(groups) for word in owners & set(group)]
    return -max(found)[1] if found else None


def _typed(word: str) -> str:
    """The word as typed without æ, ø and å ("ældre" → "aeldre")."""
    return word.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
