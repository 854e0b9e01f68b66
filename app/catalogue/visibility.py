"""Who may see and change what: the one place that compares offer states and roles.

The public sees published and temporarily closed offers. Staff and administrators see every
offer (drafts, offers waiting for review and retired ones too), see the staff-only facts and
edit offers; only administrators manage accounts and API tokens.
"""

import enum

from sqlalchemy import ColumnElement
from sqlmodel import col

from app.models import Offer, OfferState


class Viewer(enum.StrEnum):
    PUBLIC = "public"
    STAFF = "staff"
    ADMIN = "admin"


_STATES: dict[Viewer, frozenset[OfferState]] = {
    Viewer.PUBLIC: frozenset({OfferState.PUBLISHED, OfferState.TEMPORARILY_CLOSED}),
    Viewer.STAFF: frozenset(OfferState),
    Viewer.ADMIN: frozenset(OfferState),
}


def viewer_for(role: str | None) -> Viewer:
    """The viewer of a request: its account's role, or the public without one."""
    return Viewer(role) if role in (Viewer.STAFF, Viewer.ADMIN) else Viewer.PUBLIC


def sees_staff_facts(viewer: Viewer) -> bool:
    """Referral procedure, contact for professionals and the internal note."""
    return viewer in (Viewer.STAFF, Viewer.ADMIN)


def may_edit_offers(viewer: Viewer) -> bool:
    return viewer in (Viewer.STAFF, Viewer.ADMIN)


def may_manage_accounts(viewer: Viewer) -> bool:
    return viewer == Viewer.ADMIN


def may_see(state: OfferState, viewer: Viewer = Viewer.PUBLIC) -> bool:
    """Whether an offer in this state is shown to the viewer."""
    return state in _STATES[viewer]


def visible(viewer: Viewer = Viewer.PUBLIC, *, or_retired: bool = False) -> ColumnElement[bool]:
    """A WHERE clause for the offers this viewer may see; `or_retired` adds retired offers,
    for feeds that must tell their readers what has gone."""
    states = set(_STATES[viewer])
    if or_retired:
        states.add(OfferState.RETIRED)
    return col(Offer.state).in_(sorted(states))


def is_temporarily_closed(state: OfferState) -> bool:
    """Visible, but not running just now: pages say so."""
    return state == OfferState.TEMPORARILY_CLOSED


def running(viewer: Viewer = Viewer.PUBLIC) -> ColumnElement[bool]:
    """Offers worth putting forward (newest, similar): visible and running now."""
    return col(Offer.state).in_(sorted(_STATES[viewer] - {OfferState.TEMPORARILY_CLOSED}))
