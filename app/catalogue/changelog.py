"""The change log: every insert, update and retirement of an offer appends a row.

Both ways of writing offers end here: the ORM's `before_flush` hook (`install_change_log`,
called by each composition root: the app, the CLI, the tests) and the HSDS bulk writer, which
writes plain SQL. Each works out what it changed, asks `offers_touched` which offers an
organisation or location change reaches, and hands the lot to `append_changes`. The search
index and HSDS `modified_after` follow the log by sequence number.
"""

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select, text, update
from sqlmodel import Session, col

from app.models import (
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
    utcnow,
)

# Parts of an offer: changing one changes the offer.
_OFFER_PARTS = (OfferTerm, Phone, Contact, Language, CostOption, Schedule, ServiceAtLocation)

# Any fixed number: the key of the PostgreSQL advisory lock that orders writers of the log.
_CHANGE_LOG_LOCK = 7_041_962_517


def offers_touched(
    connection: Connection, *, organizations: Collection[str], locations: Collection[str]
) -> set[str]:
    """The offers that changed because their organisation or one of their places did."""
    touched: set[str] = set()
    if organizations:
        query = select(col(Offer.id)).where(col(Offer.organization_id).in_(list(organizations)))
        touched |= set(connection.execute(query).scalars())
    if locations:
        links = select(col(ServiceAtLocation.offer_id)).where(
            col(ServiceAtLocation.location_id).in_(list(locations))
        )
        touched |= set(connection.execute(links).scalars())
    return touched


def append_changes(connection: Connection, changes: Mapping[str, ChangeAction]) -> None:
    """Log what happened to each offer, and stamp `updated_at` on those that existed before.

    Holds the change-log lock until the transaction ends (PostgreSQL only): sequence numbers
    are handed out at insert, not at commit, so without it a follower that read up to number
    12 could miss number 11 committing later. SQLite already lets one writer at a time.
    """
    if not changes:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHANGE_LOG_LOCK})
    now = utcnow()
    existing = [offer_id for offer_id, action in changes.items() if action != ChangeAction.INSERT]
    if existing:
        stamp = update(Offer).where(col(Offer.id).in_(existing)).values(updated_at=now)
        connection.execute(stamp)
    rows = [
        {"offer_id": offer_id, "action": action, "changed_at": now}
        for offer_id, action in changes.items()
    ]
    connection.execute(insert(ChangeLog), rows)


def install_change_log() -> None:
    """Log the offer changes of every ORM session from now on (idempotent)."""
    if not event.contains(Session, "before_flush", _record_offer_changes):
        event.listen(Session, "before_flush", _record_offer_changes)


def _record_offer_changes(session: Session, _context: Any, _instances: Any) -> None:
    changes: dict[str, ChangeAction] = {}
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Offer):
                changes[obj.id] = (
                    ChangeAction.RETIRE if obj.state == OfferState.RETIRED else ChangeAction.INSERT
                )
        offers: set[str] = set()
        organizations: set[str] = set()
        locations: set[str] = set()
        modified = [obj for obj in session.dirty if session.is_modified(obj)]
        for obj in [*session.new, *modified, *session.deleted]:
            if isinstance(obj, Offer):
                offers.add(obj.id)
            elif isinstance(obj, _OFFER_PARTS):
                offer_id = obj.offer_id or _committed_value(obj, "offer_id")
                if offer_id:
                    offers.add(offer_id)
            elif isinstance(obj, Organization | OrganizationTerm):
                organizations.add(obj.id if isinstance(obj, Organization) else obj.organization_id)
            elif isinstance(obj, Location | Address):
                locations.add(obj.id if isinstance(obj, Location) else obj.location_id)
        connection = session.connection()
        offers |= offers_touched(connection, organizations=organizations, locations=locations)
        for offer_id in offers - changes.keys():
            changes[offer_id] = _action_for(session, offer_id)
        append_changes(connection, changes)
        # The stamp went straight to the database: loaded offers read it back when asked.
        for offer_id in changes:
            offer = session.identity_map.get(session.identity_key(Offer, offer_id))
            if offer is not None and inspect(offer).persistent:
                session.expire(offer, ["updated_at"])
        # Callers (imports) read this to report what really changed.
        session.info.setdefault("offer_changes", []).extend(changes.items())


def _committed_value(obj: object, attribute: str) -> Any:
    history = inspect(obj).attrs[attribute].history
    return (history.deleted or history.unchanged or [None])[0]


def _action_for(session: Session, offer_id: str) -> ChangeAction:
    offer = session.get(Offer, offer_id)
    if offer is None or offer in session.deleted:
        return ChangeAction.RETIRE
    state = inspect(offer).attrs["state"].history
    if state.has_changes() and offer.state == OfferState.RETIRED:
        return ChangeAction.RETIRE
    return ChangeAction.UPDATE
