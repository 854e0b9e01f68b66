"""Our taxonomies (catalogue/taxonomy.yaml): reading them and keeping the database in step.

Ids follow the rule in the file, so every installation gives a term the same HSDS id:
taxonomy id = uuid5(namespace, "taxonomy/<taxonomy>"),
term id = uuid5(namespace, "term/<taxonomy>/<code>").
"""

import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlmodel import Session, select

from app.models import Taxonomy, TaxonomyTerm


@dataclass(frozen=True)
class TermDef:
    """One of our terms, with its fixed id."""

    id: str
    taxonomy: str
    code: str
    da: str
    en: str
    position: int

    def label(self, language: str) -> str:
        """The term's name in a UI language (Danish unless English is asked for)."""
        return self.en if language == "en" else self.da


@dataclass(frozen=True)
class TaxonomyDef:
    """One of our taxonomies, with its terms in file order."""

    id: str
    name: str
    da: str
    en: str
    description_da: str
    description_en: str
    terms: tuple[TermDef, ...]

    def label(self, language: str) -> str:
        """The taxonomy's name in a UI language (Danish unless English is asked for)."""
        return self.en if language == "en" else self.da


@dataclass(frozen=True)
class Vocabulary:
    """All of our taxonomies, keyed by name."""

    taxonomies: dict[str, TaxonomyDef]

    def term(self, taxonomy: str, code: str) -> TermDef | None:
        found = self.taxonomies.get(taxonomy)
        if found is None:
            return None
        return next((t for t in found.terms if t.code == code), None)

    def codes(self, taxonomy: str) -> list[str]:
        return [t.code for t in self.taxonomies[taxonomy].terms]


@lru_cache
def load_vocabulary(path: Path) -> Vocabulary:
    """Read taxonomy.yaml and derive the ids of every taxonomy and term."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    namespace = uuid.UUID(data["id_namespace"])
    taxonomies: dict[str, TaxonomyDef] = {}
    for spec in data["taxonomies"]:
        name = spec["id"]
        terms = tuple(
            TermDef(
                id=str(uuid.uuid5(namespace, f"term/{name}/{term['code']}")),
                taxonomy=name,
                code=term["code"],
                da=term["da"],
                en=term["en"],
                position=position,
            )
            for position, term in enumerate(data["terms"].get(name, []))
        )
        taxonomies[name] = TaxonomyDef(
            id=str(uuid.uuid5(namespace, f"taxonomy/{name}")),
            name=name,
            da=spec["name"]["da"],
            en=spec["name"]["en"],
            description_da=spec["description"]["da"],
            description_en=spec["description"]["en"],
            terms=terms,
        )
    return Vocabulary(taxonomies=taxonomies)


def sync_vocabulary(*, session: Session, vocabulary: Vocabulary) -> None:
    """Insert or update our taxonomies and terms in the database."""
    existing = {t.id: t for t in session.exec(select(TaxonomyTerm)).all()}
    for spec in vocabulary.taxonomies.values():
        taxonomy = session.get(Taxonomy, spec.id) or Taxonomy(id=spec.id, name=spec.name)
        taxonomy.name = spec.name
        taxonomy.label_da = spec.da
        taxonomy.label_en = spec.en
        taxonomy.description = spec.description_da
        taxonomy.is_ours = True
        session.add(taxonomy)
        for term in spec.terms:
            row = existing.get(term.id) or TaxonomyTerm(id=term.id, taxonomy_id=spec.id, name="")
            row.taxonomy_id = spec.id
            row.code = term.code
            row.name = term.da
            row.name_en = term.en
            row.description = term.en
            row.language = "da"
            row.position = term.position
            session.add(row)
    session.flush()
