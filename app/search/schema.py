"""The index schema: one document per public offer.

Text fields hold terms we analysed ourselves (Danish analysis plus compound parts), separated
by spaces, so index and query use exactly the same terms. Facet fields hold codes.
"""

from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, Schema
from whoosh.fields import TEXT as TEXT_TYPE

# Where an offer's words come from, and how many times each source counts: name > taxonomy
# labels > description and legal basis (staff search "§ 85") > how to start and organisation.
# All of them go into one field, repeated by weight: BM25 over one field with a handful of
# terms is several times faster in pure Python than BM25F over six fields, and ranks alike.
TEXT_FIELDS = {
    "name": 3,
    "labels": 2,
    "description": 1,
    "legal": 1,
    "how": 1,
    "org": 1,
}
TEXT = "text"
PARAGRAPHS = "paragraphs"
FACETS = ("tema", "maalgruppe", "kanal", "adgang", "udbyder", "town")
SCHEMA_VERSION = 14


def build_schema() -> Schema:
    """A fresh schema object (Whoosh schemas are mutable, so never share one)."""
    terms = SpaceSeparatedTokenizer()
    fields = {facet: KEYWORD(scorable=False, lowercase=False) for facet in FACETS}
    # Town names hold spaces ("Jerslev Sjælland"): the indexer joins them with commas.
    fields["town"] = KEYWORD(scorable=False, lowercase=False, commas=True)
    return Schema(
        id=ID(stored=True, unique=True),
        term_ids=KEYWORD(scorable=False),
        organization_id=ID,
        spell=KEYWORD(scorable=False),
        min_age=NUMERIC(stored=True),
        max_age=NUMERIC(stored=True),
        name_sort=ID(sortable=True),
        updated=NUMERIC(sortable=True, bits=64),
        # The paragraphs the legal basis and description name ("§85", "sel§85"; legal.py).
        paragraphs=KEYWORD(scorable=False, lowercase=False),
        # The languages one can be helped in (ISO 639-1 codes).
        languages=KEYWORD(scorable=False, lowercase=False),
        text=TEXT_TYPE(analyzer=terms, phrase=False),
        **fields,
    )
