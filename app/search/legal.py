"""Legal references: the paragraphs an offer's legal basis names, and those a query asks for.

Staff and citizens write one paragraph many ways: "§ 99", "§99", "SEL 99", "serviceloven
paragraf 99", "99 stk. 1", "83a" and "83 a". All become one key, "§99" or "§83a", and with
the law when it is named ("sel§99"), so "SEL 104" prefers Serviceloven § 104 to
Sundhedsloven § 104. A law's name counts for the paragraphs after it in the same sentence.
"""

import re

# Names and abbreviations of the laws offers cite, lower-case → a short key.
_LAWS = {
    "serviceloven": "sel", "servicelovens": "sel", "sel": "sel", "sl": "sel",
    "lov om social service": "sel",
    "sundhedsloven": "sul", "sundhedslovens": "sul", "sul": "sul",
    "barnets lov": "bl", "barnets lovs": "bl", "bl": "bl",
    "lov om aktiv socialpolitik": "las", "aktivloven": "las", "las": "las",
    "lov om en aktiv beskæftigelsesindsats": "lab", "beskæftigelsesloven": "lab", "lab": "lab",
    "almenboligloven": "abl", "abl": "abl",
}  # fmt: skip
_LAW = "|".join(re.escape(name) for name in sorted(_LAWS, key=len, reverse=True))
# A paragraph number with an optional letter: "83a", "83 a" (a–h: "§ 99 i serviceloven" is
# paragraph 99, not 99i).
_NUMBER = r"(\d{1,3})(?:\s?([a-h]))?(?![\w])"
_MARKED = re.compile(
    rf"(?:(?P<law>\b(?:{_LAW}))\s*(?:§{{1,2}}|paragraf(?:ferne)?|paragraph)?|§{{1,2}}|"
    rf"\bparagraf(?:ferne)?|\bparagraph|\bpar\.)\s*{_NUMBER}",
    re.IGNORECASE,
)
# More numbers of one reference: "§§ 81-85", "§ 103 og § 104", "§§ 10 og 12".
_MORE = re.compile(rf"\s*(?:,|og|and|eller|-|–)\s*(?:§\s*)?{_NUMBER}", re.IGNORECASE)
_LAW_ONLY = re.compile(rf"\b(?:{_LAW})\b", re.IGNORECASE)
# Without a marker, a number is a paragraph when "stk." follows or it carries a letter.
_BARE = re.compile(
    r"(?<![\w§])(\d{1,3})(?:\s?([a-h]))?\s*,?\s*stk\b|(?<![\w§])(\d{1,3})([a-h])\b", re.IGNORECASE
)
# Sentences end at a stop, but not at the abbreviations legal texts use ("§ 84, stk. 1 og § 79").
_SENTENCE = re.compile(r"(?<!stk\.)(?<!nr\.)(?<!jf\.)(?<!bl\.)(?<=[.;!?])\s+|\n", re.IGNORECASE)
_MAX_RANGE = 10


def references(text: str) -> set[str]:
    """The paragraph keys a text names: "§99", and "sel§99" when the law is named."""
    keys: set[str] = set()
    for sentence in _SENTENCE.split(text[:20_000]):
        keys |= _sentence_references(sentence)
    return keys


def query_references(text: str) -> set[str]:
    """The paragraph keys a query asks for; a query of only a paragraph number ("85", "83 a")
    asks for that paragraph too."""
    keys = references(text)
    alone = re.fullmatch(r"\s*(\d{1,3})(?:\s?([a-h]))?\s*", text, re.IGNORECASE)
    if alone:
        keys.add(_key(alone.group(1), alone.group(2)))
    return keys


def _sentence_references(sentence: str) -> set[str]:
    keys: set[str] = set()
    law: str | None = None
    position = 0
    for match in _MARKED.finditer(sentence):
        named = _LAW_ONLY.findall(sentence, position, match.start())
        if named:
            law = _LAWS[named[-1].lower()]
        if match.group("law"):
            law = _LAWS[match.group("law").lower()]
        numbers = [(match.group(2), match.group(3))]
        end = match.end()
        while more := _MORE.match(sentence, end):
            numbers.append((more.group(1), more.group(2)))
            end = more.end()
        between = sentence[match.end() : end]
        if len(numbers) == 2 and ("-" in between or "–" in between):
            numbers = _range(numbers)
        for number, letter in numbers:
            key = _key(number, letter)
            keys.add(key)
            if law:
                keys.add(law + key)
        position = end
    for match in _BARE.finditer(sentence):
        number, letter = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        keys.add(_key(number, letter))
    return keys


def _range(numbers: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    (first, _), (last, _) = numbers
    low, high = int(first), int(last)
    if low < high <= low + _MAX_RANGE:
        return [(str(n), None) for n in range(low, high + 1)]
    return numbers


def _key(number: str, letter: str | None) -> str:
    return f"§{int(number)}{(letter or '').lower()}"
