"""The hand-edited YAML catalogue (catalogue/organizations.yaml and catalogue/offers/*.yaml).

Each offer is checked field by field, turned into an HSDS service and upserted through the same
path as an HSDS import. Offers that came from the files before and are no longer there are
retired. The format is described in catalogue/README.md.
"""

import uuid
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from babel import Locale
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlmodel import Session, col, select

from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary
from app.hsds.build import place, term_attribute
from app.hsds.export import HSDS_STATUS
from app.hsds.importer import ImportResult, IncomingService, upsert_services
from app.models import Offer, OfferState

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
_DANISH = Locale.parse("da")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# An organisation; offers refer to it by key.
class OrganizationEntry(_Strict):
    key: Text
    id: uuid.UUID
    name: Text
    udbyder: Text
    description: Text
    website: str | None = None
    email: str | None = None

    @field_validator("udbyder")
    @classmethod
    def _known_provider_type(cls, value: str, info: ValidationInfo) -> str:
        return _check_codes("udbyder", [value], info)[0]


# When an offer happens: a weekly or monthly recurrence, or one dated event.
class ScheduleEntry(_Strict):
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    byday: str | None = Field(
        default=None, pattern=r"^(-?\d?(MO|TU|WE|TH|FR|SA|SU))(,-?\d?(MO|TU|WE|TH|FR|SA|SU))*$"
    )
    interval: int | None = Field(default=None, ge=1, le=52)
    dtstart: date | None = None
    day: date | None = Field(default=None, alias="date")
    opens: ClockTime
    closes: ClockTime
    description: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "ScheduleEntry":
        if (self.freq is None) == (self.day is None):
            raise ValueError("give either freq (a recurrence) or date (one event)")
        if self.interval and self.interval > 1 and self.dtstart is None:
            raise ValueError("an interval above 1 needs dtstart, the first date")
        return self


# Where an offer takes place.
class LocationEntry(_Strict):
    name: Text
    address: Text
    postcode: Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
    city: Text
    latitude: float = Field(ge=54.0, le=58.0)
    longitude: float = Field(ge=7.5, le=15.5)


# Facts only staff see.
class StaffEntry(_Strict):
    referral_procedure: str | None = None
    professional_contact: str | None = None
    internal_note: str | None = None


# One offer as staff write it by hand.
class OfferEntry(_Strict):
    id: uuid.UUID
    name: Text
    organization: Text
    status: Literal["published", "temporarily_closed", "draft", "pending", "retired"] = "published"
    description: Text
    application_process: str | None = None
    fees: str | None = None
    cost: float | None = Field(default=None, ge=0)
    legal_basis: str | None = None
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phones: list[Annotated[str, StringConstraints(pattern=r"^\+?[\d ]{8,20}$")]] = []
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = ["da"]
    tema: list[str] = Field(min_length=1)
    maalgruppe: list[str] = Field(min_length=1)
    kanal: list[str] = []
    adgang: list[str] = []
    schedules: list[ScheduleEntry] = []
    location: LocationEntry | None = None
    assured: date | None = None
    staff: StaffEntry | None = None

    @field_validator("tema", "maalgruppe", "kanal", "adgang")
    @classmethod
    def _known_codes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        assert info.field_name is not None
        return _check_codes(info.field_name, value, info)

    @model_validator(mode="after")
    def _ages_in_order(self) -> "OfferEntry":
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self


def _check_codes(taxonomy: str, codes: list[str], info: ValidationInfo) -> list[str]:
    vocabulary: Vocabulary = (info.context or {})["vocabulary"]
    for code in codes:
        if vocabulary.term(taxonomy, code) is None:
            known = ", ".join(vocabulary.codes(taxonomy))
            raise ValueError(f"unknown code {code!r} (known: {known})")
    return codes


def catalogue_files(directory: Path) -> list[Path]:
    """The files a catalogue consists of, in the order they are read."""
    files = sorted((directory / "offers").glob("*.yaml"))
    organizations = directory / "organizations.yaml"
    return [organizations, *files] if organizations.exists() else files


def read_catalogue(directory: Path, vocabulary: Vocabulary) -> list[IncomingService]:
    """Read and check every file; raise naming file, offer and field on the first problem."""
    files = catalogue_files(directory)
    if not files:
        raise CatalogueError(f"{directory}: no organizations.yaml and no offers/*.yaml")
    context = {"vocabulary": vocabulary}
    organizations: dict[str, tuple[Path, OrganizationEntry]] = {}
    offers: list[tuple[Path, int, OfferEntry]] = []
    seen_ids: dict[uuid.UUID, str] = {}
    for path in files:
        document = _read_yaml(path)
        for index, raw in enumerate(document.get("organizations") or [], start=1):
            org = _parse(OrganizationEntry, raw, context, f"{_name(path)}: organization {index}")
            if org.key in organizations:
                raise CatalogueError(f"{_name(path)}: organization {org.key!r} is defined twice")
            organizations[org.key] = (path, org)
        for index, raw in enumerate(document.get("offers") or [], start=1):
            label = _offer_label(path, index, raw)
            offer = _parse(OfferEntry, raw, context, label)
            if offer.id in seen_ids:
                raise CatalogueError(
                    f"{label}: field 'id': the id is also used by {seen_ids[offer.id]}"
                )
            seen_ids[offer.id] = label
            offers.append((path, index, offer))
    items = []
    for path, index, offer in offers:
        label = _offer_label(path, index, {"name": offer.name, "id": offer.id})
        if offer.organization not in organizations:
            raise CatalogueError(
                f"{label}: field 'organization': unknown key {offer.organization!r}"
            )
        org = organizations[offer.organization][1]
        items.append(
            IncomingService(
                data=_to_hsds(offer, org, vocabulary),
                label=label,
                state=OfferState(offer.status),
                staff=offer.staff.model_dump() if offer.staff else {},
                source="catalogue",
            )
        )
    return items


def load_catalogue(*, session: Session, directory: Path, vocabulary: Vocabulary) -> ImportResult:
    """Upsert every offer of the catalogue and retire the ones that left it. The caller commits."""
    items = read_catalogue(directory, vocabulary)
    result = upsert_services(session=session, items=items, vocabulary=vocabulary)
    loaded = {item.data["id"] for item in items}
    query = select(Offer).where(Offer.source == "catalogue", col(Offer.state) != OfferState.RETIRED)
    for offer in session.exec(query):
        if offer.id not in loaded:
            offer.state = OfferState.RETIRED
            result.retired += 1
    session.flush()
    return result


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            f"{_name(path)}: not UTF-8 text (invalid byte at {exc.start})"
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(f"{_name(path)}: not valid YAML: {problem}{where}") from exc
    except (ValueError, RecursionError) as exc:  # a number of 4,300 digits; deep nesting
        raise CatalogueError(f"{_name(path)}: not valid YAML: {exc}") from None
    if document is None:
        return {}
    if not isinstance(document, dict) or not set(document) <= {"organizations", "offers"}:
        raise CatalogueError(f"{_name(path)}: expected only the lists 'organizations' and 'offers'")
    return document


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], raw: object, context: dict[str, Any], label: str) -> M:
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        where = f"field '{field}'" if field else "the entry"
        raise CatalogueError(f"{label}: {where}: {message}") from exc


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name == "offers" else path.name


def _offer_label(path: Path, index: int, raw: object) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    offer_id = raw.get("id") if isinstance(raw, dict) else None
    return f"{_name(path)}: offer {index} ({name!r}, id {offer_id})"


def _to_hsds(offer: OfferEntry, org: OrganizationEntry, vocabulary: Vocabulary) -> dict[str, Any]:
    """The offer as a fully nested HSDS service, with ids derived from the offer's id."""
    offer_id = str(offer.id)

    def part_id(name: str) -> str:
        return str(uuid.uuid5(offer.id, name))

    def attribute(
        owner: str, entity: str, taxonomy: str, code: str, attribute_id: str
    ) -> dict[str, Any]:
        term = vocabulary.term(taxonomy, code)
        assert term is not None  # checked when the entry was parsed
        return term_attribute(term, attribute_id=attribute_id, owner_id=owner, entity=entity)

    org_id = str(org.id)
    organization: dict[str, Any] = {
        "id": org_id,
        "name": org.name,
        "description": org.description,
        "attributes": [
            attribute(
                org_id, "organization", "udbyder", org.udbyder, str(uuid.uuid5(org.id, "udbyder"))
            )
        ],
    }
    organization |= {k: v for k, v in (("website", org.website), ("email", org.email)) if v}
    service: dict[str, Any] = {
        "id": offer_id,
        "organization_id": org_id,
        "name": offer.name,
        "description": offer.description,
        "status": HSDS_STATUS[OfferState(offer.status)],
        "organization": organization,
        "attributes": [
            attribute(offer_id, "service", taxonomy, code, part_id(f"attribute/{taxonomy}/{code}"))
            for taxonomy in ("tema", "maalgruppe", "kanal", "adgang")
            for code in getattr(offer, taxonomy)
        ],
        "phones": [
            {"id": part_id(f"phone/{i}"), "service_id": offer_id, "number": number}
            for i, number in enumerate(offer.phones)
        ],
        "languages": [
            {
                "id": part_id(f"language/{code}"),
                "service_id": offer_id,
                "code": code,
                "name": (_DANISH.languages.get(code) or code).capitalize(),
            }
            for code in offer.languages
        ],
        "schedules": [
            _schedule(s, part_id(f"schedule/{i}"), offer_id) for i, s in enumerate(offer.schedules)
        ],
        "service_at_locations": [],
        "cost_options": [],
    }
    optional = {
        "application_process": offer.application_process,
        "fees_description": offer.fees,
        "eligibility_description": offer.legal_basis,
        "minimum_age": offer.min_age,
        "maximum_age": offer.max_age,
        "url": offer.url,
        "email": offer.email,
        "assured_date": offer.assured.isoformat() if offer.assured else None,
    }
    service |= {key: value for key, value in optional.items() if value is not None}
    if offer.cost is not None:
        service["cost_options"].append(
            {
                "id": part_id("cost/0"),
                "service_id": offer_id,
                "option": offer.fees or ("Gratis" if offer.cost == 0 else f"{offer.cost:g} kr."),
                "amount": offer.cost,
                "currency": "DKK",
            }
        )
    if offer.location:
        service["service_at_locations"].append(
            _service_at_location(offer.location, part_id("at/0"), offer_id)
        )
    return service


def _schedule(entry: ScheduleEntry, schedule_id: str, offer_id: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": schedule_id,
        "service_id": offer_id,
        "opens_at": entry.opens,
        "closes_at": entry.closes,
    }
    if entry.day is not None:
        day = entry.day.isoformat()
        result |= {"dtstart": day, "valid_from": day, "valid_to": day}
    else:
        result |= {"freq": entry.freq, "byday": entry.byday}
        if entry.interval:
            result["interval"] = entry.interval
        if entry.dtstart:
            result["dtstart"] = entry.dtstart.isoformat()
    if entry.description:
        result["description"] = entry.description
    return result


# Offers at the same place share one location, so its id comes from the place itself.
_LOCATION_NAMESPACE = uuid.UUID("5d0c7a52-1f0e-4b7e-9b1a-3c2d4e5f6a7b")


def _service_at_location(entry: LocationEntry, link_id: str, offer_id: str) -> dict[str, Any]:
    location_id = str(
        uuid.uuid5(_LOCATION_NAMESPACE, f"{entry.name}|{entry.address}|{entry.postcode}")
    )
    return place(
        link_id=link_id,
        offer_id=offer_id,
        location_id=location_id,
        name=entry.name,
        street=entry.address,
        postcode=entry.postcode,
        city=entry.city,
        latitude=entry.latitude,
        longitude=entry.longitude,
    )
