"""How easy a Danish text is to read: LIX (words per sentence plus the share of long words),
a plain verdict, the longest sentence and the longest words, and what to do about them.

LIX = words / sentences + 100 × long words / words, where a long word has more than six letters.
Danish guides read it as: under 25 very easy, 25–34 easy, 35–44 medium, 45–54 hard, 55 and
over very hard.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n(?=\s*[-•*])")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
LONG = 6
# Checked texts are cut here: the check is live, on every pause in typing.
MAX_TEXT = 20_000


@dataclass(frozen=True)
class Readability:
    lix: int
    level: str  # "very-easy", "easy", "medium", "hard", "very-hard"
    words: int
    sentences: int
    longest_sentence: str
    longest_words: list[str]
    hints: list[str]  # "split-sentences", "shorter-words"
    marked: Markup


def _level(lix: float) -> str:
    if lix < 25:
        return "very-easy"
    if lix < 35:
        return "easy"
    if lix < 45:
        return "medium"
    if lix < 55:
        return "hard"
    return "very-hard"


def check(text: str) -> Readability | None:
    """None for a text without words."""
    text = text[:MAX_TEXT].strip()
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]
    words = _WORD.findall(text)
    if not words:
        return None
    long_words = [w for w in words if len(w) > LONG]
    lix = len(words) / max(1, len(sentences)) + 100 * len(long_words) / len(words)
    longest = max(sentences, key=lambda s: len(_WORD.findall(s)), default="")
    by_length = sorted(set(long_words), key=lambda w: (-len(w), w))
    longest_words = [w for w in by_length if len(w) >= 12][:3]
    hints = []
    if len(_WORD.findall(longest)) > 20 or len(words) / max(1, len(sentences)) > 15:
        hints.append("split-sentences")
    if len(long_words) / len(words) > 0.3 or longest_words:
        hints.append("shorter-words")
    return Readability(
        lix=round(lix),
        level=_level(lix),
        words=len(words),
        sentences=len(sentences),
        longest_sentence=longest,
        longest_words=longest_words,
        hints=hints,
        marked=_mark(text, longest if len(sentences) > 1 else "", set(longest_words)),
    )


def _mark(text: str, sentence: str, words: set[str]) -> Markup:
    """The text escaped, the longest sentence in <mark>, the longest words in <strong>."""

    def words_marked(part: str) -> Markup:
        out: list[Markup] = []
        position = 0
        for match in _WORD.finditer(part):
            if match.group(0) in words:
                out.append(escape(part[position : match.start()]))
                out.append(Markup('<strong class="long-word">{}</strong>').format(match.group(0)))
                position = match.end()
        out.append(escape(part[position:]))
        return Markup("").join(out)

    if sentence and sentence in text:
        before, _, after = text.partition(sentence)
        marked = Markup('<mark class="long-sentence">{}</mark>').format(words_marked(sentence))
        return words_marked(before) + marked + words_marked(after)
    return words_marked(text)
