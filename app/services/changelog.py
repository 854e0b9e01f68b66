"""The change log: every insert, update and retirement of an offer appends a row.

A `before_flush` hook on every session does it, so no code path that writes through the data
layer can forget. The search index and HSDS `modified_after` follow the log by sequence number.
"""

from typing import Any

from sqlalchemy import Connection, event, inspect, text
from sqlmodel import Session, select

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


def serialize_change_log(connection: Connection) -> None:
    """Hold the change-log lock until this transaction ends (PostgreSQL only).

    Sequence numbers are handed out at insert, not at commit: without the lock a follower that
    read up to number 12 could miss number 11 committing later. SQLite already lets one writer
    at a time.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHANGE_LOG_LOCK})


@event.listens_for(Session, "before_flush")
def _record_offer_changes(session: Session, _context: Any, _instances: Any) -> None:
    changes: dict[str, ChangeAction] = {}
    with session.no_autoflush:
        for obj in session.new:
            if isinstance(obj, Offer):
                changes[obj.id] = (
                    ChangeAction.RETIRE if obj.state == OfferState.RETIRED else ChangeAction.INSERT
                )
        touched: set[str] = set()
        modified = [obj for obj in session.dirty if session.is_modified(obj)]
        for obj in [*session.new, *modified, *session.deleted]:
            touched |= _offer_ids_touched_by(session, obj)
        for offer_id in touched - changes.keys():
            changes[offer_id] = _action_for(session, offer_id)
        if changes:
            serialize_change_log(session.connection())
        now = utcnow()
        for offer_id, action in changes.items():
            offer = session.get(Offer, offer_id)
            if offer is not None and action is not ChangeAction.INSERT:
                offer.updated_at = now
            session.add(ChangeLog(offer_id=offer_id, action=action, changed_at=now))
        # Callers (imports) read this to report what really changed.
        session.info.setdefault("offer_changes", []).extend(changes.items())


def _offer_ids_touched_by(session: Session, obj: object) -> set[str]:
    if isinstance(obj, Offer):
        return {obj.id}
    if isinstance(obj, _OFFER_PARTS):
        offer_id = obj.offer_id or _committed_value(obj, "offer_id")
        return {offer_id} if offer_id else set()
    if isinstance(obj, Organization | OrganizationTerm):
        org_id = obj.id if isinstance(obj, Organization) else obj.organization_id
        return set(session.exec(select(Offer.id).where(Offer.organization_id == org_id)).all())
    if isinstance(obj, Location | Address):
        location_id = obj.id if isinstance(obj, Location) else obj.location_id
        query = select(ServiceAtLocation.offer_id).where(
            ServiceAtLocation.location_id == location_id
        )
        return set(session.exec(query).all())
    return set()


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
