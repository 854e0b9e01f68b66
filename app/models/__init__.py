"""Every table, split by area; import them from here.

Importing this package registers all tables with SQLModel's metadata, which the migrations
and the bulk writer rely on.
"""

from app.models.accounts import Account, ApiToken, LoginSession, Role
from app.models.catalogue import (
    Accessibility,
    Address,
    ChangeAction,
    ChangeLog,
    Contact,
    CostOption,
    Language,
    Location,
    Offer,
    OfferRevision,
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
from app.models.mail import MailStatus, OutboxMail
from app.models.stats import SearchStat
from app.models.submissions import Submission, SubmissionKind, SubmissionStatus
from app.models.web import RateLimit

__all__ = [
    "Accessibility",
    "Account",
    "Address",
    "ApiToken",
    "ChangeAction",
    "ChangeLog",
    "Contact",
    "CostOption",
    "Language",
    "Location",
    "MailStatus",
    "LoginSession",
    "Offer",
    "OfferRevision",
    "OfferState",
    "OfferTerm",
    "OutboxMail",
    "Organization",
    "OrganizationTerm",
    "Phone",
    "RateLimit",
    "Role",
    "Schedule",
    "SearchStat",
    "ServiceAtLocation",
    "StaffFacts",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "Taxonomy",
    "TaxonomyTerm",
    "utcnow",
]
