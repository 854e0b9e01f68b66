"""The catalogue's tables, aligned with Open Referral HSDS 3.0.

Ids are the HSDS ids (UUID strings), kept exactly as they come in, so an export gives back what an
import took. Project fields (workflow state, staff-only facts, change log) have no HSDS equivalent.
"""

import enum
from datetime import UTC, date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, Relationship, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


# The workflow state of an offer; who may see which is app/catalogue/visibility.py's rule.
class OfferState(enum.StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    TEMPORARILY_CLOSED = "temporarily_closed"
    RETIRED = "retired"


# A classification scheme: ours from catalogue/taxonomy.yaml, or one that came with an import.
class Taxonomy(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(unique=True, max_length=200)
    label_da: str = Field(default="", max_length=200)
    label_en: str = Field(default="", max_length=200)
    description: str = Field(default="")
    is_ours: bool = Field(default=False)


# One term of a taxonomy; ours are matched by (taxonomy, code) on import.
class TaxonomyTerm(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)

    id: str = Field(primary_key=True, max_length=36)
    taxonomy_id: str = Field(foreign_key="taxonomy.id", index=True, max_length=36)
    code: str | None = Field(default=None, max_length=200)
    name: str = Field(max_length=500)
    name_en: str = Field(default="", max_length=500)
    description: str = Field(default="")
    language: str | None = Field(default=None, max_length=10)
    parent_id: str | None = Field(default=None, max_length=36)
    term_uri: str | None = Field(default=None, max_length=2000)
    position: int = Field(default=0)

    taxonomy: Taxonomy = Relationship(sa_relationship_kwargs={"lazy": "joined"})


# Who runs offers: a municipal department, the region, an association or a business.
class Organization(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=500, index=True)
    description: str = Field(default="")
    website: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    terms: list["OrganizationTerm"] = Relationship(
        back_populates="organization",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )


# An HSDS attribute linking an organization to a term (the provider type, udbyder).
class OrganizationTerm(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organization.id", index=True, max_length=36)
    term_id: str = Field(foreign_key="taxonomyterm.id", index=True, max_length=36)
    value: str | None = Field(default=None)

    organization: Organization = Relationship(back_populates="terms")
    term: TaxonomyTerm = Relationship(sa_relationship_kwargs={"lazy": "joined"})


# An offer ("tilbud"), an HSDS service.
class Offer(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    organization_id: str = Field(foreign_key="organization.id", index=True, max_length=36)
    name: str = Field(max_length=500)
    alternate_name: str | None = Field(default=None, max_length=500)
    description: str = Field(default="")
    url: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=500)
    state: OfferState = Field(
        default=OfferState.PUBLISHED,
        sa_column=Column(
            SAEnum(
                OfferState,
                native_enum=False,
                length=30,
                values_callable=lambda e: [m.value for m in e],
            ),
            nullable=False,
            index=True,
        ),
    )
    application_process: str | None = Field(default=None)
    fees_description: str | None = Field(default=None)
    # The legal basis travels as HSDS eligibility_description; it is public.
    eligibility_description: str | None = Field(default=None)
    minimum_age: int | None = Field(default=None)
    maximum_age: int | None = Field(default=None)
    assured_date: date | None = Field(default=None)
    # Where the offer came from: "catalogue" (the YAML files) or "hsds" (an import).
    source: str = Field(default="hsds", max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)

    organization: Organization = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    terms: list["OfferTerm"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    phones: list["Phone"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    contacts: list["Contact"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    languages: list["Language"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    cost_options: list["CostOption"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    schedules: list["Schedule"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    service_at_locations: list["ServiceAtLocation"] = Relationship(
        back_populates="offer", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    staff_facts: "StaffFacts" = Relationship(
        back_populates="offer",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "uselist": False},
    )


# An HSDS attribute linking an offer to a taxonomy term (tema, maalgruppe, kanal, adgang, …).
class OfferTerm(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    term_id: str = Field(foreign_key="taxonomyterm.id", index=True, max_length=36)
    value: str | None = Field(default=None)

    offer: Offer = Relationship(back_populates="terms")
    term: TaxonomyTerm = Relationship(sa_relationship_kwargs={"lazy": "joined"})


# A phone number of an offer (or of one of its contacts).
class Phone(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    contact_id: str | None = Field(default=None, foreign_key="contact.id", max_length=36)
    number: str = Field(max_length=100)
    extension: str | None = Field(default=None, max_length=20)
    type: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="phones")


# A named person or function to contact about an offer.
class Contact(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    name: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=500)
    department: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=500)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="contacts")


# A language the offer is given in (ISO 639-1 code).
class Language(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    code: str | None = Field(default=None, max_length=20)
    name: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="languages")


# A price fact of an offer; amount 0 means free.
class CostOption(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    option: str | None = Field(default=None, max_length=500)
    amount: float | None = Field(default=None)
    currency: str | None = Field(default=None, max_length=3)
    amount_description: str | None = Field(default=None)
    valid_from: date | None = Field(default=None)
    valid_to: date | None = Field(default=None)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="cost_options")


# When an offer happens: an iCalendar-style recurrence or a dated event, in local Danish time.
class Schedule(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    freq: str | None = Field(default=None, max_length=10)
    interval: int | None = Field(default=None)
    byday: str | None = Field(default=None, max_length=100)
    bymonthday: str | None = Field(default=None, max_length=100)
    byweekno: str | None = Field(default=None, max_length=100)
    byyearday: str | None = Field(default=None, max_length=100)
    wkst: str | None = Field(default=None, max_length=2)
    count: int | None = Field(default=None)
    dtstart: date | None = Field(default=None)
    until: date | None = Field(default=None)
    valid_from: date | None = Field(default=None)
    valid_to: date | None = Field(default=None)
    opens_at: str | None = Field(default=None, max_length=20)
    closes_at: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None)
    notes: str | None = Field(default=None)
    attending_type: str | None = Field(default=None, max_length=100)
    schedule_link: str | None = Field(default=None, max_length=2000)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="schedules")


# A place; offers share places through ServiceAtLocation.
class Location(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    location_type: str = Field(default="physical", max_length=20)
    name: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None)
    transportation: str | None = Field(default=None)
    latitude: float | None = Field(default=None)
    longitude: float | None = Field(default=None)
    url: str | None = Field(default=None, max_length=2000)

    addresses: list["Address"] = Relationship(
        back_populates="location",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )
    accessibility: list["Accessibility"] = Relationship(
        back_populates="location",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )


# A postal address of a location.
class Address(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=36)
    attention: str | None = Field(default=None, max_length=500)
    address_1: str = Field(max_length=500)
    address_2: str | None = Field(default=None, max_length=500)
    city: str = Field(max_length=200, index=True)
    region: str | None = Field(default=None, max_length=200)
    state_province: str | None = Field(default=None, max_length=200)
    postal_code: str = Field(max_length=20)
    country: str = Field(default="DK", max_length=2)
    address_type: str = Field(default="physical", max_length=20)

    location: Location = Relationship(back_populates="addresses")


# How a place can be used by people with disabilities (HSDS accessibility): ours carry a code
# in `details` ("trinfri", "teleslynge", "handicaptoilet") and a Danish description.
class Accessibility(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=36)
    description: str | None = Field(default=None)
    details: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)

    location: Location = Relationship(back_populates="accessibility")


# Where an offer takes place (HSDS service_at_location).
class ServiceAtLocation(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    location_id: str = Field(foreign_key="location.id", index=True, max_length=36)
    description: str | None = Field(default=None)
    position: int = Field(default=0)

    offer: Offer = Relationship(back_populates="service_at_locations")
    location: Location = Relationship(sa_relationship_kwargs={"lazy": "joined"})


# Facts only staff may see; they never leave through public pages, the API or exports.
class StaffFacts(SQLModel, table=True):
    offer_id: str = Field(foreign_key="offer.id", primary_key=True, max_length=36)
    referral_procedure: str | None = Field(default=None)
    professional_contact: str | None = Field(default=None)
    internal_note: str | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow)

    offer: Offer = Relationship(back_populates="staff_facts")


# One saved version of an offer, as staff edited it: the whole offer (HSDS service, staff facts,
# state) as JSON, so any version can be shown, compared and restored.
class OfferRevision(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("offer_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    offer_id: str = Field(foreign_key="offer.id", index=True, max_length=36)
    number: int
    created_at: datetime = Field(default_factory=utcnow)
    # Who saved it (an account id), None for the version the offer had before its first edit.
    account_id: str | None = Field(default=None, max_length=36)
    author: str = Field(default="", max_length=254)
    # "before" (as it was before staff first edited it), "edit", "moderation" (edited, then
    # approved), "restore", "confirm" or "api".
    kind: str = Field(max_length=10)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))


# What happened to an offer, in commit order; the search index and HSDS modified_after follow it.
class ChangeAction(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    RETIRE = "retire"


class ChangeLog(SQLModel, table=True):
    # AUTOINCREMENT: SQLite never reuses a sequence number, so followers never miss a change.
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, primary_key=True)
    offer_id: str = Field(index=True, max_length=36)
    action: ChangeAction = Field(
        sa_column=Column(
            SAEnum(
                ChangeAction,
                native_enum=False,
                length=10,
                values_callable=lambda e: [m.value for m in e],
            ),
            nullable=False,
        )
    )
    changed_at: datetime = Field(default_factory=utcnow, index=True)
