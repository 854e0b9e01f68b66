"""The staff JSON twin of the editor: an offer as HSDS plus its staff facts and workflow, and
changes to any of them, through the same rules and revisions as the editor."""

import re
from typing import Any

from sqlmodel import Session

from app.catalogue.taxonomy import Vocabulary
from app.models import Offer, OfferState
from app.staff.editor import Draft, FieldError, Who, snapshot, write

# The API's names for the staff facts ("staff_note" is the internal note).
API_STAFF = {
    "referral_procedure": "referral_procedure",
    "professional_contact": "professional_contact",
    "staff_note": "internal_note",
}
_WORKFLOW = {"status", "assured_date"}
# What a PATCH may not change: the offer's identity.
_FIXED = {"id"}


def offer_json(offer: Offer) -> dict[str, Any]:
    snap = snapshot(offer)
    service = snap["service"]
    return {
        **service,
        "staff": {key: snap["staff"].get(field) or None for key, field in API_STAFF.items()},
        "workflow": {"status": snap["state"], "assured_date": service.get("assured_date")},
    }


def patch_offer(
    session: Session, offer: Offer, body: Any, *, who: Who, vocabulary: Vocabulary
) -> list[FieldError]:
    """Apply a PATCH body; the errors (with dotted field paths) when nothing was changed."""
    if not isinstance(body, dict):
        return [FieldError("", "The body must be a JSON object.")]
    before = snapshot(offer)
    draft = Draft.of(before)
    service, staff = draft.service, draft.staff
    errors: list[FieldError] = []
    for key, value in body.items():
        if key in _FIXED:
            if value != offer.id:
                errors.append(FieldError(key, "The id of an offer cannot change."))
        elif key == "staff":
            if not isinstance(value, dict):
                errors.append(FieldError("staff", "Must be an object."))
                continue
            for name, text in value.items():
                _set_staff(staff, f"staff.{name}", name, text, errors)
        elif key == "staff_note":
            _set_staff(staff, "staff_note", "staff_note", value, errors)
        elif key == "workflow":
            if not isinstance(value, dict):
                errors.append(FieldError("workflow", "Must be an object."))
                continue
            for name, item in value.items():
                if name not in _WORKFLOW:
                    errors.append(FieldError(f"workflow.{name}", "Unknown field."))
                elif name == "status":
                    try:
                        draft.state = OfferState(item)
                    except ValueError:
                        known = ", ".join(s.value for s in OfferState)
                        errors.append(
                            FieldError(
                                "workflow.status", "Must be one of: {known}", {"known": known}
                            )
                        )
                elif item is None:
                    service.pop("assured_date", None)
                else:
                    service["assured_date"] = item
        else:
            service[key] = value
    if errors:
        return errors
    written = write(session, offer, draft, before, who=who, kind="api", vocabulary=vocabulary)
    return [_api_error(error) for error in written]


def _set_staff(
    staff: dict[str, str | None], where: str, name: str, value: Any, errors: list[FieldError]
) -> None:
    field = API_STAFF.get(name)
    if field is None:
        errors.append(FieldError(where, "Unknown field."))
    elif value is not None and not isinstance(value, str):
        errors.append(FieldError(where, "Must be text or null."))
    else:
        staff[field] = value or None


def _api_error(error: FieldError) -> FieldError:
    """The editor names form fields; the API names the dotted HSDS path the rule found."""
    path = re.sub(r"\[(\d+)\]", r".\1", error.path or error.name)
    if path == "staff.internal_note":
        path = "staff.staff_note"
    return FieldError(path, error.message, error.values, path=error.path)
