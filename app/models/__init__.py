"""Every table, split by area; import them from here.

Importing this package registers all tables with SQLModel's metadata, which the migrations
and the bulk writer rely on.
"""

from app.models.catalogue import (
    Address,
    ChangeAction,
    ChangeLog,
    Contact,
    CostOption,
    Language,
    Location,
    Offer,
    OfferState,
    OfferTerm,
    Organization,
    OrganizationTerm,
    Phone,
    Schedule,
    ServiceAtLocation,
    StaffFacts,
    Taxonomy,
    TaxonomyTerm,
    utcnow,
)
from app.models.stats import SearchStat
from app.models.web import RateLimit

__all__ = [
    "Address",
    "ChangeAction",
    "ChangeLog",
    "Contact",
    "CostOption",
    "Language",
    "Location",
    "Offer",
    "OfferState",
    "OfferTerm",
    "Organization",
    "OrganizationTerm",
    "Phone",
    "RateLimit",
    "Schedule",
    "SearchStat",
    "ServiceAtLocation",
    "StaffFacts",
    "Taxonomy",
    "TaxonomyTerm",
    "utcnow",
]
