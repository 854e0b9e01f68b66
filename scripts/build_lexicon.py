"""Build app/search/lexicon/*.gz from the Danish Hunspell dictionary (`make lexicon`).

    apt-get install hunspell-da hunspell-tools   # /usr/share/hunspell/da_DK.*, unmunch
    python scripts/build_lexicon.py [--dic PATH] [--aff PATH] [--out FOLDER]

The dictionary ("Stavekontrolden", © 2007-2014 Foreningen for frit tilgængelige
sprogværktøjer, LGPL-2.1 / GPL-2 / MPL-1.1, used here under MPL; see LICENSE in the lexicon
folder) lists Danish words with the endings each takes. `unmunch` writes out every form; each
form belongs to the dictionary word it came from, or to the word its `st:` field names
("gælder st:gælde").

words.txt.gz holds the search term of every form: the words compounds are split against when
the catalogue does not know a part ("eneforsørger" is "ene" + "forsørger").

ambiguous.tsv.gz: the search stems and folds words, so forms of different dictionary words can
reach the same search term ("gæld" and "gælder" both reach "gald"). Only those forms are kept:
each line holds a term reached from more than one dictionary word, a form, and the word it
belongs to. The search's collision check (app/search/collisions.py) uses them to find the words
of a catalogue that meet without being forms of one word; app/search/lexicon/senses.yaml says
which of them mean different things.

Both files are derived data: rebuild them rather than edit them, and after any change to the
search's analysis.
"""

import argparse
import gzip
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.search.analysis import plain_key  # noqa: E402
from app.search.lexicon.senses import senses  # noqa: E402

DIC = Path("/usr/share/hunspell/da_DK.dic")
AFF = Path("/usr/share/hunspell/da_DK.aff")
OUT = ROOT / "app" / "search" / "lexicon"
SOURCE = """\
# From the Danish Hunspell dictionary (hunspell-da, "Stavekontrolden", (c) 2007-2014
# Foreningen for frit tilgaengelige sprogvaerktoejer), used under MPL-1.1 / MPL-2.0; see
# LICENSE. Derived data: rebuild with `make lexicon`, do not edit by hand.
"""
AMBIGUOUS = "# term<TAB>form<TAB>word   (only terms that forms of several dictionary words reach)\n"
WORDS = "# the search term of every form, one a line\n"
_STEM = re.compile(r"\bst:(\S+)")


def forms(dic: Path, aff: Path) -> dict[str, set[str]]:
    """Every lower-case form of letters -> the dictionary words it is a form of."""
    done = subprocess.run(["unmunch", str(dic), str(aff)], capture_output=True, check=True)
    owners: dict[str, set[str]] = defaultdict(set)
    word = ""
    for line in done.stdout.decode("utf-8", errors="replace").splitlines():
        form = re.split(r"[/\s]", line, maxsplit=1)[0]
        if not form:
            continue
        if "/" not in line:  # a dictionary word; the forms made from it follow
            stem = _STEM.search(line)
            word = stem.group(1) if stem else form
        if form.isalpha() and form.islower():
            owners[form].add(word)
    return owners


def ambiguous(owners: dict[str, set[str]]) -> list[tuple[str, str, str]]:
    by_term: dict[str, set[str]] = defaultdict(set)
    for form, words in owners.items():
        by_term[plain_key(form)] |= words
    return sorted(
        (term, form, word)
        for form, words in owners.items()
        if len(by_term[term := plain_key(form)]) > 1
        for word in words
    )


def _write(path: Path, header: str, lines: list[str]) -> None:
    # mtime=0: the same dictionary gives the same bytes.
    with gzip.GzipFile(path, "wb", mtime=0) as out:
        out.write((SOURCE + header).encode())
        out.write("".join(f"{line}\n" for line in lines).encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dic", type=Path, default=DIC)
    parser.add_argument("--aff", type=Path, default=AFF)
    parser.add_argument("--out", type=Path, default=OUT, help="the folder to write into")
    args = parser.parse_args()
    if not args.dic.exists():
        sys.exit(f"{args.dic} is missing: apt-get install hunspell-da hunspell-tools")
    owners = forms(args.dic, args.aff)
    lines = ambiguous(owners)
    _write(args.out / "ambiguous.tsv.gz", AMBIGUOUS, ["\t".join(line) for line in lines])
    apart = senses()
    terms = sorted({apart.get(form) or plain_key(form) for form in owners})
    _write(args.out / "words.txt.gz", WORDS, terms)
    sys.stdout.write(
        f"{args.out}: {len(terms)} terms, {len({t for t, _, _ in lines})} of them ambiguous "
        f"({len(lines)} forms)\n"
    )


if __name__ == "__main__":
    main()
