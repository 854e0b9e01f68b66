"""Who may see which offer: the one place that compares offer states.

Today there is one viewer, the public. Staff and administrators (who also see drafts and
offers waiting for review) arrive with the staff issue; they get a member of `Viewer` and a row
in `_STATES`, and every page, API, export and the search index follow.
"""

import enum

from sqlalchemy import ColumnElement
from sqlmodel import col

from app.models import Offer, OfferState


class Viewer(enum.StrEnum):
    PUBLIC = "public"


_STATES: dict[Viewer, frozenset[OfferState]] = {
    Viewer.PUBLIC: frozenset({OfferState.PUBLISHED, OfferState.TEMPORARILY_CLOSED}),
}


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
