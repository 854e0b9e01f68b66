"""Every change to an offer through the data layer appends to the change log."""

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import session_scope
from app.models import ChangeLog, Offer, OfferState, Organization, Phone, StaffFacts
from tests.factories import make_offer, make_organization, make_phone, make_schedule


def _log(engine: Engine) -> list[tuple[int, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(ChangeLog).order_by(ChangeLog.seq)).all()  # type: ignore[arg-type]
        return [(row.seq or 0, row.offer_id, row.action.value) for row in rows]


def _new_offer(engine: Engine, offer_id: str = "o1") -> None:
    with session_scope(engine) as session:
        organization = session.get(Organization, "org") or make_organization(
            session, id="org", name="Forening"
        )
        make_offer(
            session,
            id=offer_id,
            organization=organization,
            name="Strikkeklub",
            description="Vi strikker.",
        )


def _offer(session: Session, offer_id: str = "o1") -> Offer:
    offer = session.get(Offer, offer_id)
    assert offer is not None
    return offer


def test_insert_update_and_retire_append_in_order(engine: Engine) -> None:
    _new_offer(engine)
    with session_scope(engine) as session:
        offer = session.get(Offer, "o1")
        assert offer is not None
        offer.description = "Vi strikker og drikker kaffe."
    with session_scope(engine) as session:
        offer = session.get(Offer, "o1")
        assert offer is not None
        offer.state = OfferState.RETIRED

    log = _log(engine)
    assert [(offer_id, action) for _, offer_id, action in log] == [
        ("o1", "insert"),
        ("o1", "update"),
        ("o1", "retire"),
    ]
    sequence = [seq for seq, _, _ in log]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3


def test_changing_a_part_of_an_offer_is_an_update(engine: Engine) -> None:
    _new_offer(engine)
    with session_scope(engine) as session:
        phone_id = make_phone(session, _offer(session), "+45 70 00 00 09").id
    with session_scope(engine) as session:
        make_schedule(session, _offer(session), byday="MO")
    with session_scope(engine) as session:
        phone = session.get(Phone, phone_id)
        assert phone is not None
        session.delete(phone)

    actions = [action for _, _, action in _log(engine)]
    assert actions == ["insert", "update", "update", "update"]


def test_renaming_the_organization_updates_its_offers(engine: Engine) -> None:
    _new_offer(engine, "o1")
    _new_offer(engine, "o2")
    with session_scope(engine) as session:
        org = session.get(Organization, "org")
        assert org is not None
        org.name = "Strikkeforeningen"

    updated = {offer_id for _, offer_id, action in _log(engine) if action == "update"}
    assert updated == {"o1", "o2"}


def test_update_moves_last_modified(engine: Engine) -> None:
    _new_offer(engine)
    with Session(engine) as session:
        before = session.get(Offer, "o1").updated_at  # type: ignore[union-attr]
    with session_scope(engine) as session:
        session.get(Offer, "o1").name = "Strikkecafé"  # type: ignore[union-attr]
    with Session(engine) as session:
        assert session.get(Offer, "o1").updated_at > before  # type: ignore[union-attr]


def test_saving_without_a_change_logs_nothing(engine: Engine) -> None:
    _new_offer(engine)
    with session_scope(engine) as session:
        offer = session.get(Offer, "o1")
        assert offer is not None
        offer.name = "Strikkeklub"
    assert len(_log(engine)) == 1


def test_staff_facts_stay_out_of_the_public_log(engine: Engine) -> None:
    _new_offer(engine)
    with session_scope(engine) as session:
        session.add(StaffFacts(offer_id="o1", internal_note="Kun for personale."))
    assert len(_log(engine)) == 1
