"""The index schema: one document per public offer.

Text fields hold terms we analysed ourselves (Danish analysis plus compound parts), separated
by spaces, so index and query use exactly the same terms. Facet fields hold codes.
"""

from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

# Field → weight in BM25F: name > taxonomy labels > description (and legal basis, which staff
# search by: "§ 85") > how to start > organisation.
TEXT_FIELDS = {
    "name": 3.0,
    "labels": 2.0,
    "description": 1.0,
    "legal": 1.0,
    "how": 0.6,
    "org": 0.5,
}
FACETS = ("tema", "maalgruppe", "kanal", "adgang", "udbyder", "town")
SCHEMA_VERSION = 3


def build_schema() -> Schema:
    """A fresh schema object (Whoosh schemas are mutable, so never share one)."""
    terms = SpaceSeparatedTokenizer()
    fields = {name: TEXT(analyzer=terms, field_boost=boost) for name, boost in TEXT_FIELDS.items()}
    fields |= {facet: KEYWORD(scorable=False, lowercase=False) for facet in FACETS}
    return Schema(
        id=ID(stored=True, unique=True),
        term_ids=KEYWORD(scorable=False),
        organization_id=ID,
        spell=KEYWORD(scorable=False),
        min_age=NUMERIC(stored=True),
        max_age=NUMERIC(stored=True),
        name_sort=ID(sortable=True),
        updated=NUMERIC(sortable=True, bits=64),
        **fields,
    )
