"""Build catalogue/thesaurus.tsv from the Danish LibreOffice thesaurus (`make thesaurus`).

    apt-get install mythes-da          # /usr/share/mythes/th_da_DK.dat
    python scripts/build_thesaurus.py [--dat PATH] [--out PATH] [--per-word N] [--meanings N]
                                  [--max-spread N]

The thesaurus ("Stavekontrolden", © 2007 Foreningen for frit tilgængelige sprogværktøjer,
LGPL-2.1 / GPL-2 / MPL-1.1, used here under MPL; see THESAURUS-LICENSE) lists, for each
headword, groups of synonyms, one meaning per line, with narrower words marked
"(underbegreb)". The search only needs a small, safe part of it: single words whose plain
synonyms an offer may use instead ("husvild" → "hjemløs", "narkoman" → "stofmisbruger"). A
wrong synonym costs more than a missing one, so this keeps only

- headwords and synonyms that are lower-case single words of letters (no names, phrases or
  abbreviations), each of which the search's own analysis turns into exactly one term of at
  least MIN_TERM letters that is not a stop word;
- real synonyms: no narrower words, nothing marked vulgar or abusive;
- words with at most MEANINGS meanings: a word with many ("skat": tax, treasure, darling)
  cannot say which one a person means;
- terms only one word gives: after stemming and folding "gæld", "gælde" and "galde" are all
  "gald", so unrelated headwords that share a term are dropped (inflections of one word share
  their synonyms and stay);
- synonyms that are not hubs: a word listed under more than MAX_SPREAD headwords is too
  general to stand in for any of them;
- at most PER_WORD synonyms a word, in the thesaurus's order.

The file is derived data: rebuild it rather than edit it, and after any change to the search's
analysis. Each line holds the word's search term (what the search looks up), the word, and its
synonyms as words, so a person can read it; the search analyses a synonym when it first uses it.
"""

import argparse
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search.analysis import analyse  # noqa: E402  (the project root is on the path now)

DAT = Path("/usr/share/mythes/th_da_DK.dat")
OUT = ROOT / "catalogue" / "thesaurus.tsv"
# Letters only: no phrases, abbreviations, hyphenated or numbered forms.
_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"\s*\(([^()]*)\)\s*$")
# Narrower words are not synonyms; vulgar or abusive words are not what an offer says.
_SKIP_TAGS = frozenset({"underbegreb", "vulgær", "rå/ondsindet"})
# Shorter terms are too often part of unrelated words or ambiguous ("fed", "bo").
MIN_TERM = 4
# A headword with more meanings than this is ambiguous.
MEANINGS = 2
# A synonym listed under more headwords than this is too general to use.
MAX_SPREAD = 20
# Synonyms kept a word.
PER_WORD = 4

HEADER = """\
# Synonyms from the Danish LibreOffice thesaurus (mythes-da, "Stavekontrolden",
# (c) 2007 Foreningen for frit tilgaengelige sprogvaerktoejer), used under MPL-1.1 / MPL-2.0.
# See THESAURUS-LICENSE. Derived data: rebuild with `make thesaurus`, do not edit by hand.
# term<TAB>word<TAB>synonym synonym ...   (term: the word as the search analyses it)
"""


def entries(path: Path) -> Iterator[tuple[str, list[list[str]]]]:
    """(headword, meanings) pairs; a meaning is its list of words, tags still attached."""
    lines = path.read_text(encoding="utf-8").splitlines()
    position = 1  # the first line names the encoding
    while position < len(lines):
        headword, _, count = lines[position].rpartition("|")
        meanings = [line.split("|")[1:] for line in lines[position + 1 : position + 1 + int(count)]]
        position += 1 + int(count)
        yield headword, meanings


def single_term(word: str) -> str | None:
    """The one search term a plain single word gives, or None."""
    word = word.strip()
    # Names of places and people start with a capital letter and are no use here.
    if not _WORD.fullmatch(word) or not word[0].islower():
        return None
    terms = analyse(word)
    if len(terms) != 1 or len(terms[0]) < MIN_TERM:
        return None
    return terms[0]


def plain(word: str) -> str | None:
    """The word without a usage tag, or None when its tag rules it out."""
    tag = _TAG.search(word)
    if tag is None:
        return word.strip()
    if tag.group(1) in _SKIP_TAGS:
        return None
    return word[: tag.start()].strip()


def meanings_of(path: Path) -> tuple[dict[str, list[list[tuple[str, str]]]], dict[str, str]]:
    """Term → the meanings of every headword that gives it, as (word, term) lists; and
    term → its first headword."""
    found: dict[str, list[list[tuple[str, str]]]] = defaultdict(list)
    names: dict[str, str] = {}
    for headword, meanings in entries(path):
        head = single_term(headword)
        if head is None:
            continue
        names.setdefault(head, headword.strip())
        for meaning in meanings:
            if all(plain(item) is None for item in meaning):
                continue  # only narrower or ruled-out words: not a meaning of its own
            kept = []
            for item in meaning:
                word = plain(item)
                term = single_term(word) if word else None
                if word and term and term != head:
                    kept.append((word, term))
            found[head].append(kept)
    return found, names


def ambiguous(path: Path) -> set[str]:
    """Terms that different, unrelated headwords fold to ("gæld", "gælde", "galde" → "gald").

    The search cannot tell which one a person typed, so none of their synonyms are safe.
    Inflections of one word share a synonym and stay.
    """
    by_term: dict[str, list[set[str]]] = defaultdict(list)
    for headword, meanings in entries(path):
        head = single_term(headword)
        if head is None:
            continue
        synonyms = {single_term(plain(item) or "") for meaning in meanings for item in meaning}
        by_term[head].append({t for t in synonyms if t})
    return {
        term
        for term, groups in by_term.items()
        if len(groups) > 1 and any(not (a & b) for a in groups for b in groups if a is not b)
    }


def build(
    path: Path, per_word: int = PER_WORD, meanings_max: int = MEANINGS, spread_max: int = MAX_SPREAD
) -> dict[str, list[str]]:
    """Headword → its few best synonyms (words)."""
    meanings, names = meanings_of(path)
    spread: dict[str, set[str]] = defaultdict(set)
    for head, groups in meanings.items():
        for group in groups:
            for _, term in group:
                spread[term].add(head)
    unsafe = ambiguous(path)
    result: dict[str, list[str]] = {}
    for head, groups in meanings.items():
        if head in unsafe or len(groups) > meanings_max:
            continue
        seen = {head}
        chosen: list[str] = []
        for group in groups:
            for word, term in group:
                usable = term not in unsafe and len(spread[term]) <= spread_max
                if usable and term not in seen and len(chosen) < per_word:
                    seen.add(term)
                    chosen.append(word)
        if chosen:
            result[names[head]] = chosen
    return result


def write(result: dict[str, list[str]], out: Path) -> None:
    rows = [
        f"{analyse(word)[0]}\t{word}\t{' '.join(synonyms)}\n"
        for word, synonyms in sorted(result.items())
    ]
    out.write_text(HEADER + "".join(rows), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dat", type=Path, default=DAT, help="the mythes .dat file")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--per-word", type=int, default=PER_WORD)
    parser.add_argument("--meanings", type=int, default=MEANINGS)
    parser.add_argument("--max-spread", type=int, default=MAX_SPREAD)
    args = parser.parse_args()
    if not args.dat.exists():
        sys.exit(f"{args.dat} is missing: apt-get install mythes-da")
    result = build(args.dat, args.per_word, args.meanings, args.max_spread)
    write(result, args.out)
    counts = Counter(len(s) for s in result.values())
    sys.stdout.write(
        f"{args.out}: {len(result)} words, {sum(k * v for k, v in counts.items())} synonyms, "
        f"{args.out.stat().st_size // 1024} KiB\n"
    )


if __name__ == "__main__":
    main()
