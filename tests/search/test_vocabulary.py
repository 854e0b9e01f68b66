"""The life-situation vocabulary (catalogue/vocabulary.yaml) is well-formed data.

Staff extend the file by hand; these checks catch the slips a reviewer would miss: a taxonomy
code that does not exist, a duplicate id, a phrase that analyses to nothing (it could never
fire) or one that is only a stop word away from firing on everything.
"""

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.config import Settings
from app.search.analysis import analyse, excess_terms, negation_terms
from app.search.vocabulary import load_concepts, matching_concepts

# The product's own search vocabulary and taxonomy (configuration, not demo offers).
_PRODUCT = Settings(_env_file=None)  # type: ignore[call-arg]
VOCABULARY = _PRODUCT.concepts_path
TAXONOMY = _PRODUCT.taxonomy_path
KEYS = {"id", "phrases", "words", "terms", "crisis", "role", "with"}


def _entries() -> list[dict[str, Any]]:
    data = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["concepts"]
    return entries


def _codes() -> set[str]:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    return {
        f"{taxonomy}/{term['code']}" for taxonomy, terms in data["terms"].items() for term in terms
    }


def _fired(text: str) -> list[str]:
    """The ids of the concepts the product's vocabulary fires for a text."""
    concepts = load_concepts(Path(VOCABULARY))
    return [c.id for c in matching_concepts(set(analyse(text)), concepts)]


def test_ids_are_unique_and_entries_use_known_keys() -> None:
    entries = _entries()
    counts = Counter(entry["id"] for entry in entries)
    assert [cid for cid, n in counts.items() if n > 1] == []
    for entry in entries:
        assert set(entry) <= KEYS, entry["id"]


def test_every_concept_has_phrases_words_and_real_taxonomy_terms() -> None:
    codes = _codes()
    for entry in _entries():
        assert entry.get("phrases"), entry["id"]
        assert entry.get("words"), entry["id"]
        for term in entry.get("terms", []):
            assert term in codes, f"{entry['id']}: {term}"
        for term in (entry.get("with") or {}).get("terms", []):
            assert term in codes, f"{entry['id']} with: {term}"


def test_every_phrase_and_word_survives_analysis() -> None:
    # A phrase made only of stop words ("det hele er for meget") could never fire.
    for entry in _entries():
        for text in [*entry["phrases"], *entry["words"]]:
            assert isinstance(text, str), f"{entry['id']}: {text!r}"
            assert analyse(text), f"{entry['id']}: {text!r} analyses to nothing"
            # The loader drops a phrase of qualifiers alone ("det hele bliver for meget").
            qualifiers = excess_terms() | negation_terms()
            assert not set(analyse(text)) <= qualifiers, f"{entry['id']}: {text!r}"


def test_no_phrase_is_listed_twice_in_a_concept() -> None:
    for entry in _entries():
        repeated = [p for p, n in Counter(entry["phrases"]).items() if n > 1]
        assert repeated == [], entry["id"]


@pytest.mark.parametrize(
    "word",
    [
        *("hjælp", "dag", "tid", "god", "ikke", "penge", "job", "syg", "far", "mor", "møde"),
        *("komme", "andre", "ny", "bo", "gå", "spille", "arbejde", "sted", "hjem", "familie"),
        *("mad", "snakke", "sammen", "liv", "weekend", "help", "need", "home", "people"),
        *("for meget", "too much", "for lidt", "drikker", "spiser", "sover"),
    ],
)
def test_common_words_alone_fire_no_topic(word: str) -> None:
    # A one-word phrase fires whenever that word is typed; everyday words must not be one,
    # or every query that mentions them would be pulled towards one topic.
    concepts = load_concepts(Path(VOCABULARY))
    fired = matching_concepts(set(analyse(word)), concepts)
    assert [c.id for c in fired if not c.role] == []


def test_crisis_concepts_fire_on_plain_descriptions() -> None:
    concepts = load_concepts(Path(VOCABULARY))
    for text in [
        *("jeg har tanker om selvmord", "min mand slår mig", "I want to die"),
        *("jeg orker ikke at leve længere", "min mand truer med at slå mig ihjel"),
        *("jeg bliver tævet af min kæreste", "jeg har taget for mange piller"),
        *("har ingen steder at sove i nat", "smidt ud i aften"),
    ]:
        fired = matching_concepts(set(analyse(text)), concepts)
        assert any(c.crisis for c in fired), text
    for text in [
        *("jeg vil gerne leve mere sundt", "jeg tager piller for min depression"),
        *("min mor er ved at dø", "kan ikke mere med min gæld", "jeg skal i banken"),
        *("vil gerne gøre en ende på min ensomhed", "har ikke et sted at bo"),
    ]:
        calm = matching_concepts(set(analyse(text)), concepts)
        assert not any(c.crisis for c in calm), text


def test_a_threat_to_kill_is_violence_not_suicide() -> None:
    # "slå mig ihjel" is part of "slå mig selv ihjel"; the longer threat is what is said.
    fired = _fired("han truer med at slå mig ihjel")
    assert "vold-akut" in fired
    assert "selvmordstanker" not in fired


def test_roles_and_with_rules_carry_taxonomy_terms() -> None:
    # Beside a topic a role only lifts offers by its terms, so a role without terms does
    # nothing there; a `with` rule needs both the words and the terms to fire at all.
    for entry in _entries():
        if entry.get("role"):
            assert entry.get("terms"), entry["id"]
        together = entry.get("with")
        if together:
            assert together.get("words") and together.get("terms"), entry["id"]


def test_a_young_person_beside_an_addiction_brings_youth_offers() -> None:
    assert {"alkohol", "unge-rusmidler"} <= set(_fired("ung og drikker for meget øl"))


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("min nabo drikker for meget", "alkohol"),
        ("he drinks too much", "alkohol"),
        ("min søn spiller for mange penge op", "ludomani"),
        ("hun spiser for lidt", "spiseforstyrrelse"),
    ],
)
def test_too_much_of_something_is_a_topic_and_the_thing_alone_is_not(
    text: str, concept: str
) -> None:
    """ "For meget" is two stop words, but "drikker for meget" means drinking too much;
    "drikker kaffe" means coffee."""
    assert concept in _fired(text)
    plain = text.replace("for meget", "kaffe").replace("too much", "coffee")
    plain = plain.replace("for mange penge op", "fodbold").replace("for lidt", "frokost")
    assert concept not in _fired(plain)


def test_a_longer_phrase_of_another_topic_shadows_a_shorter_one() -> None:
    # A bed for the night, not sleeping badly; yet sleeping badly when that is what is said.
    assert "noedovernatning" in _fired("har ikke et sted at sove i nat")
    assert "soevnproblemer" not in _fired("har ikke et sted at sove i nat")
    assert "soevnproblemer" in _fired("kan ikke sove om natten")
    # A narrower concept of the same topic leaves the wider one; a word alone stays.
    assert {"hash", "foraeldre-hash"} <= set(_fired("min søn ryger hash"))


def test_a_compound_phrase_fires_on_its_parts_typed_apart() -> None:
    # "spilafhængighed" is a phrase; "afhængig af spil" says the same in three words.
    assert "ludomani" in _fired("min bror er blevet afhængig af spil")
    assert "ludomani" not in _fired("min bror er blevet afhængig")
