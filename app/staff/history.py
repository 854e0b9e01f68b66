"""An offer's revisions, each with what it changed against the one before, word by word."""

import json
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlmodel import Session, col, select

from app.catalogue.taxonomy import Vocabulary
from app.catalogue.textdiff import word_diff
from app.models import OfferRevision
from app.staff.editor import (
    EXTRA_FIELDS,
    STAFF_FIELDS,
    TERM_FIELDS,
    TEXT_FIELDS,
    Values,
    values_of_snapshot,
)


@dataclass(frozen=True)
class Change:
    field: str
    old: Markup
    new: Markup


@dataclass(frozen=True)
class RevisionView:
    number: int
    created_at: datetime
    author: str
    kind: str
    changes: list[Change]
    latest: bool


def history(session: Session, offer_id: str, vocabulary: Vocabulary) -> list[RevisionView]:
    """Newest first."""
    revisions = session.exec(
        select(OfferRevision)
        .where(col(OfferRevision.offer_id) == offer_id)
        .order_by(col(OfferRevision.number))
    ).all()
    views: list[RevisionView] = []
    previous: Values | None = None
    for index, revision in enumerate(revisions):
        values = values_of_snapshot(json.loads(revision.snapshot), vocabulary)
        changes = _changes(previous, values) if previous is not None else []
        views.append(
            RevisionView(
                number=revision.number,
                created_at=revision.created_at,
                author=revision.author,
                kind=revision.kind,
                changes=changes,
                latest=index == len(revisions) - 1,
            )
        )
        previous = values
    return list(reversed(views))


def _flat(values: Values) -> dict[str, str]:
    flat = {name: values.text.get(name, "") for name in (*TEXT_FIELDS, *EXTRA_FIELDS)}
    flat.update({name: ", ".join(values.codes.get(name, [])) for name in TERM_FIELDS})
    flat.update({name: values.staff.get(name, "") for name in STAFF_FIELDS})
    flat["tilgaengelighed"] = ", ".join(sorted(values.access))
    flat["state"] = values.state
    return flat


def _changes(old: Values, new: Values) -> list[Change]:
    before, after = _flat(old), _flat(new)
    changes = []
    for name in after:
        if before.get(name, "") != after[name]:
            old_marked, new_marked = word_diff(before.get(name, ""), after[name])
            changes.append(Change(name, old_marked, new_marked))
    return changes
