"""Danish text analysis for the index and for queries.

Words are lower-cased, Danish stop words dropped, stemmed with Whoosh's Danish Snowball stemmer,
then folded so the ways people type æ, ø and å meet: "gæld", "gaeld" and "gald" all become
"gald"; "bostøtte" and "bostotte" both become "bostot". Compounds are split against the words
the catalogue itself uses, so "gåfællesskab" is also indexed as "fællesskab".

Text is normalised first (NFKC, invisible characters removed), so a word typed decomposed,
in fullwidth letters or with a soft hyphen inside finds the same offers. The work is bounded
whatever the text: only the first MAX_TERM characters of a word and the first MAX_TOKENS words
of a field are analysed, and a compound split looks up at most MAX_SPLIT_LOOKUPS candidates.
"""

import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from functools import lru_cache
from itertools import islice

from whoosh.analysis import (
    STOP_WORDS,
    Composable,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
    Token,
)
from whoosh.lang import stemmer_for_language, stopwords_for_language

from app.search.lexicon.senses import senses

# Runs of letters and digits in any script (æ, ø and å included), with the combining marks
# and invisible characters a word may carry before normalisation.
_MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
TOKEN = rf"(?:[^\W_]|[{_MARKS}\u00ad\u200b-\u200d\u2060])+"
# Longer "words" (a URL, a hash, a hostile string) are analysed only up to this length; no real
# Danish compound is longer.
MAX_TERM = 40
# Words analysed per field: a 20,000-character description has about 3,000.
MAX_TOKENS = 5_000
MAX_SPLIT_LOOKUPS = 150
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_FOLDS = (("æ", "a"), ("ø", "o"), ("å", "a"), ("ä", "a"), ("ö", "o"), ("ü", "u"), ("é", "e"))
# Transliterations people type when a keyboard lacks æ, ø and å.
_ASCII = re.compile(r"ae|oe|aa")
_ASCII_MAP = {"ae": "a", "oe": "o", "aa": "a"}
MIN_PART = 3
_ENGLISH_QUESTION_WORDS = frozenset(
    {"how", "what", "where", "who", "why", "which", "could", "should", "would", "please", "really"}
)
# Filler words people use when they describe a situation, on top of Whoosh's Danish and
# English stop words (newcomers search in English).
_MORE_STOP_WORDS = frozenset(
    {"så", "få", "får", "fik", "fået", "kan", "kunne", "vil", "skal", "må", "lidt", "meget",
     "rigtig", "bare", "lige", "gerne", "helt", "hele", "hver", "hvert", "altid", "aldrig", "tit",
     "ofte", "godt", "nok", "også",
     # Question words: "hvordan kan jeg hjælpe hende" asks about the help, not the "hvordan".
     "hvordan", "hvem", "hvilken", "hvilke", "hvilket", "hvornår", "hvorfor"}
) | _ENGLISH_QUESTION_WORDS  # fmt: skip


# Negations stay in the index and in queries: "vil ikke leve mere" must not match "vil gerne
# leve mere sundt". They are still no topic: nothing is marked or summarised around them.
_NEGATIONS = frozenset({"ikke", "not", "no", "never"})
_STOP_WORDS = (stopwords_for_language("da") | STOP_WORDS | _MORE_STOP_WORDS) - _NEGATIONS


def normalise(text: str) -> str:
    """Text as the analyser reads it: NFKC (fullwidth letters, ligatures and decomposed
    letters become their plain forms) without invisible characters.

    >>> normalise("pa\u030arørende"), normalise("ｇæｌｄ"), normalise("gæl\u00add")
    ('pårørende', 'gæld', 'gæld')
    """
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def fold(word: str) -> str:
    """Fold Danish letters and their ASCII spellings to one form.

    >>> fold("gæld"), fold("gaeld"), fold("gald")
    ('gald', 'gald', 'gald')
    """
    for letter, plain in _FOLDS:
        word = word.replace(letter, plain)
    return _ASCII.sub(lambda m: _ASCII_MAP[m.group(0)], word)


class CapFilter(Filter):  # type: ignore[misc]
    """Cuts every token to MAX_TERM characters and stops after MAX_TOKENS tokens."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in islice(tokens, MAX_TOKENS):
            if len(token.text) > MAX_TERM:
                token.text = token.text[:MAX_TERM]
            yield token


# Whoosh's own stem cache is not thread-safe; functools' is.
_stem = lru_cache(maxsize=50_000)(stemmer_for_language("da"))


def plain_key(word: str) -> str:
    """A lower-case word's term by stemming and folding alone ("gælder" → "gald")."""
    return fold(_stem(word))


class KeyFilter(Filter):  # type: ignore[misc]
    """Stems and folds every token, except words that would meet a word of another meaning
    (app/search/lexicon/senses.yaml): they get a term of their own ("gælder" → "gald_1")."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        apart = senses()
        for token in tokens:
            token.text = apart.get(token.text) or plain_key(token.text)
            yield token


# "for meget", "for mange", "too much": stop words each, together they say "more than is good"
# ("drikker for meget", "spiller for mange penge væk"), so the pair becomes one word of its own.
_EXCESS = {
    **dict.fromkeys([("for", "meget"), ("for", "mange"), ("too", "much"), ("too", "many")],
                    "formeget"),
    **dict.fromkeys([("for", "lidt"), ("for", "få"), ("too", "little")], "forlidt"),
}  # fmt: skip
# Fixed expressions whose meaning their words lose apart: "røre sig" is to exercise (the "sig"
# is a stop word, and "røre" alone also stirs a pot).
_FIXED = {
    (verb, pronoun): "motionere" for verb in ("røre", "rører") for pronoun in ("sig", "mig", "dig")
}
_JOINS = {**_EXCESS, **_FIXED}
_JOIN_FIRST = frozenset(first for first, _ in _JOINS)


@lru_cache(maxsize=1)
def excess_terms() -> frozenset[str]:
    """The index terms of "for meget" and "for lidt": they qualify a word, they are no topic."""
    return frozenset(t for joined in set(_EXCESS.values()) for t in analyse(joined))


# "mere end godt er", "mere end jeg har godt af": more than is good, said in a longer way.
_MORE_THAN_GOOD = ("mere", "end")
_GOOD_WITHIN = 4
_STARTS = _JOIN_FIRST | {_MORE_THAN_GOOD[0]}


class ExcessFilter(Filter):  # type: ignore[misc]
    """Joins "for meget" and its kind (lower-cased tokens) into one token (see _EXCESS), and
    fixed expressions into the plain word they mean (_FIXED);
    "mere end … godt" becomes the same token as "for meget"."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        held: list[Token] = []
        for token in tokens:
            if not held and token.text not in _STARTS:
                yield token
                continue
            # Tokens are reused by the tokenizer: keep copies while looking ahead.
            held.append(token.copy())
            while held:
                verdict = self._verdict(held)
                if verdict == "wait":
                    break
                if verdict is None:
                    yield held.pop(0)
                    continue
                first = held[0]
                first.text = verdict
                held.clear()
                yield first
        yield from held

    @staticmethod
    def _verdict(held: list[Token]) -> str | None:
        """The joined word for the held tokens, None when the first one joins nothing, or
        "wait" while more tokens could still make a join."""
        words = [t.text for t in held]
        if len(words) == 1:
            return "wait" if words[0] in _STARTS else None
        if words[0] in _JOIN_FIRST:
            return _JOINS.get((words[0], words[1]))
        if words[0] == _MORE_THAN_GOOD[0] and words[1] == _MORE_THAN_GOOD[1]:
            if words[-1] == "godt":
                return _EXCESS[("for", "meget")]
            return "wait" if len(words) < 2 + _GOOD_WITHIN else None
        return None


def _words() -> Composable:
    """Tokenise, lower-case, join "for meget", drop stop words: the words that get a term."""
    return (
        RegexTokenizer(r"[^\W_]+")
        | CapFilter()
        | LowercaseFilter()
        | ExcessFilter()
        | StopFilter(minsize=2, stoplist=_STOP_WORDS)
    )


def danish_analyzer() -> Composable:
    """Tokenise, lower-case, drop stop words, stem, fold.

    >>> [t.text for t in danish_analyzer()("Gældsrådgivning for familier")]
    ['galdsradgivning', 'famili']
    """
    return _words() | KeyFilter()


@lru_cache(maxsize=1)
def _analyzer() -> Composable:
    return danish_analyzer()


@lru_cache(maxsize=1)
def _word_analyzer() -> Composable:
    return _words()


def words(text: str) -> list[str]:
    """The words of a text that get a term, lower-cased, before stemming and folding."""
    return [token.text for token in _word_analyzer()(normalise(text))]


def analyse(text: str) -> list[str]:
    """The index terms of a text, in order.

    >>> analyse("Jeg er så alene")
    ['alen']
    """
    return [token.text for token in _analyzer()(normalise(text))]


@lru_cache(maxsize=1)
def negation_terms() -> frozenset[str]:
    """The index terms of the negations ("ikke" → "ikk")."""
    return frozenset(t for word in _NEGATIONS for t in analyse(word))


# Words for the people around the one asking ("min nabo", "min kollega", "jeg er pårørende",
# "en af mine borgere"):
# they say who asks, not what about, so beside a topic they count little.
_ROLE_WORDS = (
    "nabo naboer kollega kollegaer ven venner veninde kammerat mor far forælder forældre søn "
    "datter mand kone kæreste partner bror søster svigermor svigerfar bedstemor bedstefar "
    "mormor farmor morfar farfar onkel tante nevø niece barnebarn pårørende "
    # Staff asking for someone: "mine borgere", "min elev".
    "borger borgere elev elever klient klienter pædagog "
    "neighbour neighbor colleague friend mother mom mum father dad parent son daughter husband "
    "wife boyfriend girlfriend partner brother sister grandmother grandfather relative relatives"
)


@lru_cache(maxsize=1)
def role_terms() -> frozenset[str]:
    """The index terms of words for the people around the one asking."""
    return frozenset(analyse(_ROLE_WORDS))


class AnyOf:
    """Words known to any of several sets, without building their union for every query."""

    def __init__(self, *sets: Container[str]) -> None:
        self.sets = sets

    def __contains__(self, word: object) -> bool:
        return any(word in known for known in self.sets)


def split_compound(term: str, known: Container[str]) -> list[str]:
    """The known words a compound term is made of, longest first; [] when it is no compound.

    Parts are at least three letters (a two-letter first part, like "gå", only before a long
    word); a linking "s" or "e" between them is allowed.

    >>> split_compound("sorggrup", {"sorg", "grup"})
    ['sorg', 'grup']
    """
    return _split(term[:MAX_TERM], known, [MAX_SPLIT_LOOKUPS])


def _split(term: str, known: Container[str], budget: list[int]) -> list[str]:
    for cut in range(len(term) - MIN_PART, MIN_PART - 2, -1):
        head, tail = term[:cut], term[cut:]
        budget[0] -= 1
        if budget[0] < 0:
            return []
        if tail not in known:
            continue
        shortest = MIN_PART - 1 if len(tail) >= 2 * MIN_PART else MIN_PART
        for stem in (head, head[:-1] if head[-1:] in "se" else None):
            budget[0] -= 1
            if stem and len(stem) >= shortest and stem in known:
                return [stem, tail]
            if stem and len(stem) >= 2 * MIN_PART:
                inner = _split(stem, known, budget)
                if inner:
                    return [*inner, tail]
    return []


def head_and_tail(term: str, lexicon: Container[str]) -> list[str]:
    """A compound split in two against a large word list, the longest tail first: in Danish
    the last part says what it is ("førtidspensionist" is "førtid" + "pensionist", not
    "førtidspension" + "ist"). [] when no head and tail are both words; a linking "s" or "e"
    after the head is allowed, and read as such when both readings are words
    ("selvmordstank" is "selvmord" + "tank", not + "stank").

    >>> head_and_tail("eneforsorg", {"ene", "for", "sorg", "forsorg"})
    ['ene', 'forsorg']
    """
    term = term[:MAX_TERM]
    for cut in range(MIN_PART - 1, len(term) - MIN_PART + 1):
        head, tail = term[:cut], term[cut:]
        if tail not in lexicon:
            continue
        for stem in (head, head[:-1] if head[-1:] in "se" else None):
            if stem and len(stem) >= MIN_PART - 1 and stem in lexicon:
                linked = tail[1:]
                if tail[0] in "se" and len(linked) >= MIN_PART and linked in lexicon:
                    return [stem, linked]
                return [stem, tail]
    return []


def known_tail(term: str, known: Container[str]) -> str | None:
    """The longest known word a longer unknown word ends with ("strikkeklub" → "klub").

    In Danish the last part of a compound says what it is; the first part only narrows it.
    """
    term = term[:MAX_TERM]
    for cut in range(MIN_PART, len(term) - MIN_PART - 1):
        tail = term[cut:]
        if len(tail) >= MIN_PART + 1 and tail in known:
            return tail
    return None


def with_compound_parts(terms: Iterable[str], known: Container[str]) -> list[str]:
    """The terms followed by the parts of those that are compounds."""
    result = []
    for term in terms:
        result.append(term)
        result.extend(split_compound(term, known))
    return result


# Stop words of one language and not the other tell which one a query is written in.
_ENGLISH_WORDS = STOP_WORDS | _ENGLISH_QUESTION_WORDS | {"my", "me", "need", "want", "am"}
_ENGLISH_ONLY = _ENGLISH_WORDS - stopwords_for_language("da")
# "i" is Danish "in" and English "I".
_DANISH_ONLY = stopwords_for_language("da") - _ENGLISH_WORDS - {"i"}
_DANISH_LETTERS = re.compile("[æøå]", re.IGNORECASE)


def in_english(text: str) -> bool:
    """Whether a query reads as English: an English stop word, no Danish one, no æ, ø or å
    ("feeling depressed and lonely", "where can I learn Danish")."""
    if _DANISH_LETTERS.search(text):
        return False
    tokens = set(re.findall(r"[a-z']+", normalise(text).lower()))
    return bool(tokens & _ENGLISH_ONLY) and not tokens & _DANISH_ONLY
