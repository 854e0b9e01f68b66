"""Writing many HSDS services fast: compare their rows with what is stored, write the difference.

Imports of 10,000 offers go through here. It uses SQL statements, not ORM objects, so it
tells the change log itself what it did: every offer it inserts, changes or retires, and the
offers whose organization or location it changes. Services it leaves as they were get none.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlmodel import Session, SQLModel

from app.catalogue.changelog import append_changes, offers_touched
from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary
from app.hsds.rows import (
    PART_TABLES,
    STATE_FOR_STATUS,
    Row,
    ServiceRows,
    service_rows,
)
from app.models import ChangeAction, OfferState, utcnow

_TIMESTAMPS = ("created_at", "updated_at")


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _same(stored: Row | None, new: Row) -> bool:
    return stored is not None and all(stored.get(key) == value for key, value in new.items())


def _same_rows(stored: list[Row], new: list[Row]) -> bool:
    if len(stored) != len(new):
        return False
    by_id = {row["id"]: row for row in stored}
    return all(_same(by_id.get(row["id"]), row) for row in new)


def _content(offer: Row, item: Any) -> Row:
    """The offer's columns an upsert sets: an HSDS import leaves the source of an offer that
    came from the YAML catalogue as it is; loading the catalogue claims the offer."""
    if item.source == "catalogue":
        return offer
    return {key: value for key, value in offer.items() if key != "source"}


class BulkWriter:
    """Upserts chunks of services within the session's transaction."""

    def __init__(self, session: Session, vocabulary: Vocabulary) -> None:
        self.connection: Connection = session.connection()
        self.vocabulary = vocabulary
        self.terms = set(self.connection.execute(select(_table("taxonomyterm").c.id)).scalars())
        taxonomies = self.connection.execute(
            select(_table("taxonomy").c.id, _table("taxonomy").c.name)
        )
        self.taxonomy_ids = {name: taxonomy_id for taxonomy_id, name in taxonomies}
        # Services of one organization (or place) may carry different copies of it: the first
        # copy in an import wins, so importing the same file twice changes nothing.
        self.organizations_written: set[str] = set()
        self.locations_written: set[str] = set()

    def write(self, items: list[Any]) -> dict[str, str]:
        """Write one chunk of IncomingService; say of each offer id whether it was
        "inserted", "updated" or "unchanged"."""
        rows: list[tuple[Any, ServiceRows]] = []
        for item in items:
            state = item.state or STATE_FOR_STATUS[item.data["status"]]
            try:
                rows.append(
                    (
                        item,
                        service_rows(
                            item.data, state=state, source=item.source, vocabulary=self.vocabulary
                        ),
                    )
                )
            except CatalogueError as exc:
                raise CatalogueError(f"{item.label}: {exc}") from exc
        self._refuse_parts_of_other_services(rows)
        self._write_foreign_terms(rows)
        touched_orgs = self._write_organizations(rows)
        touched_locations = self._write_locations(rows)
        outcome, actions = self._write_offers(rows)
        self._write_staff_facts(items)
        touched = offers_touched(
            self.connection, organizations=touched_orgs, locations=touched_locations
        )
        for offer_id in touched - actions.keys():
            actions[offer_id] = ChangeAction.UPDATE
        append_changes(self.connection, actions)
        return outcome

    def _refuse_parts_of_other_services(self, rows: list[tuple[Any, ServiceRows]]) -> None:
        for name in PART_TABLES:
            owner = {part["id"]: item for item, r in rows for part in r.parts[name]}
            if not owner:
                continue
            table = _table(name)
            query = select(table.c.id, table.c.offer_id).where(table.c.id.in_(list(owner)))
            for part_id, current in self.connection.execute(query):
                item = owner[part_id]
                if current != item.data["id"]:
                    message = f"the part with id {part_id} belongs to another service ({current})"
                    raise CatalogueError(f"{item.label}: {message}")

    def _write_foreign_terms(self, rows: list[tuple[Any, ServiceRows]]) -> None:
        new_taxonomies: dict[str, Row] = {}
        new_terms: dict[str, Row] = {}
        for item, r in rows:
            for taxonomy in r.foreign_taxonomies:
                known = self.taxonomy_ids.get(taxonomy["name"])
                if known is None:
                    self.taxonomy_ids[taxonomy["name"]] = taxonomy["id"]
                    new_taxonomies[taxonomy["id"]] = {
                        **taxonomy,
                        "label_da": "",
                        "label_en": "",
                        "is_ours": False,
                    }
            by_name = {t["id"]: self.taxonomy_ids[t["name"]] for t in r.foreign_taxonomies}
            for term in r.foreign_terms:
                if term["id"] not in self.terms and term["id"] not in new_terms:
                    taxonomy_id = by_name[term["taxonomy_id"]]
                    new_terms[term["id"]] = {
                        **term,
                        "taxonomy_id": taxonomy_id,
                        "name_en": "",
                        "position": 0,
                    }
            referenced = [p["term_id"] for p in r.parts["offerterm"]] + [
                t["term_id"] for t in r.organization_terms
            ]
            for term_id in referenced:
                if term_id not in self.terms and term_id not in new_terms:
                    raise CatalogueError(f"{item.label}: unknown taxonomy_term_id {term_id}")
        if new_taxonomies:
            self.connection.execute(insert(_table("taxonomy")), list(new_taxonomies.values()))
        if new_terms:
            self.connection.execute(insert(_table("taxonomyterm")), list(new_terms.values()))
            self.terms |= set(new_terms)

    def _write_organizations(self, rows: list[tuple[Any, ServiceRows]]) -> set[str]:
        table, terms = _table("organization"), _table("organizationterm")
        ids = {r.offer["organization_id"] for _, r in rows}
        stored = self._rows_by_id(table, ids)
        stored_terms = self._rows_by_owner(terms, "organization_id", ids)
        changed: set[str] = set()
        now = utcnow()
        for item, r in rows:
            org_id = r.offer["organization_id"]
            if org_id in self.organizations_written:
                continue
            if r.organization is None:
                if org_id not in stored:
                    raise CatalogueError(f"{item.label}: unknown organization_id {org_id}")
                continue
            self.organizations_written.add(org_id)
            if org_id not in stored:
                self.connection.execute(
                    insert(table), [{**r.organization, "created_at": now, "updated_at": now}]
                )
            elif _same(stored[org_id], r.organization) and _same_rows(
                stored_terms[org_id], r.organization_terms
            ):
                continue
            else:
                values = {**r.organization, "updated_at": now}
                self.connection.execute(update(table).where(table.c.id == org_id).values(values))
                self.connection.execute(delete(terms).where(terms.c.organization_id == org_id))
                changed.add(org_id)
            if r.organization_terms:
                self.connection.execute(insert(terms), r.organization_terms)
        return changed

    def _write_locations(self, rows: list[tuple[Any, ServiceRows]]) -> set[str]:
        table = _table("location")
        children = (("address", "addresses"), ("accessibility", "accessibility"))
        ids = {loc["id"] for _, r in rows for loc in r.locations}
        ids |= {p["location_id"] for _, r in rows for p in r.parts["serviceatlocation"]}
        stored = self._rows_by_id(table, ids)
        stored_children = {
            name: self._rows_by_owner(_table(name), "location_id", ids) for name, _ in children
        }
        changed: set[str] = set()
        for item, r in rows:
            nested = {loc["id"]: loc for loc in r.locations}
            for link in r.parts["serviceatlocation"]:
                location_id = link["location_id"]
                if location_id in self.locations_written:
                    continue
                location = nested.get(location_id)
                if location is None:
                    if location_id not in stored:
                        raise CatalogueError(f"{item.label}: unknown location_id {location_id}")
                    continue
                self.locations_written.add(location_id)
                new_children = {
                    name: getattr(r, attribute).get(location_id, []) for name, attribute in children
                }
                if location_id not in stored:
                    self.connection.execute(insert(table), [location])
                elif _same(stored[location_id], location) and all(
                    _same_rows(stored_children[name][location_id], new_children[name])
                    for name, _ in children
                ):
                    continue
                else:
                    self.connection.execute(
                        update(table).where(table.c.id == location_id).values(location)
                    )
                    for name, _ in children:
                        child = _table(name)
                        self.connection.execute(
                            delete(child).where(child.c.location_id == location_id)
                        )
                    changed.add(location_id)
                for name, _ in children:
                    if new_children[name]:
                        self.connection.execute(insert(_table(name)), new_children[name])
        return changed

    def _write_offers(
        self, rows: list[tuple[Any, ServiceRows]]
    ) -> tuple[dict[str, str], dict[str, ChangeAction]]:
        offers = _table("offer")
        ids = {r.offer["id"] for _, r in rows}
        stored = self._rows_by_id(offers, ids)
        stored_parts = {
            name: self._rows_by_owner(_table(name), "offer_id", set(stored)) for name in PART_TABLES
        }
        now = utcnow()
        outcome: dict[str, str] = {}
        actions: dict[str, ChangeAction] = {}
        new_offers: list[Row] = []
        replaced: list[str] = []
        new_parts: dict[str, list[Row]] = defaultdict(list)
        for item, r in rows:
            offer_id = r.offer["id"]
            before = stored.get(offer_id)
            if before is None:
                new_offers.append({**r.offer, "created_at": now, "updated_at": now})
                outcome[offer_id] = "inserted"
                retired = r.offer["state"] == OfferState.RETIRED
                actions[offer_id] = ChangeAction.RETIRE if retired else ChangeAction.INSERT
            elif _same(before, _content(r.offer, item)) and all(
                _same_rows(stored_parts[name][offer_id], r.parts[name]) for name in PART_TABLES
            ):
                outcome[offer_id] = "unchanged"
                continue
            else:
                values = {**r.offer, "updated_at": now}
                self.connection.execute(
                    update(offers).where(offers.c.id == offer_id).values(values)
                )
                replaced.append(offer_id)
                outcome[offer_id] = "updated"
                retired = r.offer["state"] == OfferState.RETIRED != before["state"]
                actions[offer_id] = ChangeAction.RETIRE if retired else ChangeAction.UPDATE
            for name in PART_TABLES:
                new_parts[name].extend(r.parts[name])
        if new_offers:
            self.connection.execute(insert(offers), new_offers)
        if replaced:
            # Phones point at contacts, so parts go in reverse order of how they are written.
            for name in reversed(PART_TABLES):
                table = _table(name)
                self.connection.execute(delete(table).where(table.c.offer_id.in_(replaced)))
        for name in PART_TABLES:
            if new_parts[name]:
                self.connection.execute(insert(_table(name)), new_parts[name])
        return outcome, actions

    def _write_staff_facts(self, items: Iterable[Any]) -> None:
        table = _table("stafffacts")
        facts = {item.data["id"]: item.staff for item in items if item.staff is not None}
        if not facts:
            return
        stored = {
            row["offer_id"]: row
            for row in self.connection.execute(
                select(table).where(table.c.offer_id.in_(list(facts)))
            ).mappings()
        }
        now = utcnow()
        for offer_id, staff in facts.items():
            values = {
                "referral_procedure": staff.get("referral_procedure"),
                "professional_contact": staff.get("professional_contact"),
                "internal_note": staff.get("internal_note"),
            }
            if offer_id not in stored:
                self.connection.execute(
                    insert(table), [{**values, "offer_id": offer_id, "updated_at": now}]
                )
            elif not _same(dict(stored[offer_id]), values):
                statement = update(table).where(table.c.offer_id == offer_id)
                self.connection.execute(statement.values({**values, "updated_at": now}))

    def _rows_by_id(self, table: Table, ids: set[str]) -> dict[str, Row]:
        if not ids:
            return {}
        query = select(table).where(table.c.id.in_(list(ids)))
        return {row["id"]: dict(row) for row in self.connection.execute(query).mappings()}

    def _rows_by_owner(self, table: Table, column: str, ids: set[str]) -> dict[str, list[Row]]:
        result: dict[str, list[Row]] = defaultdict(list)
        if ids:
            query = select(table).where(table.c[column].in_(list(ids)))
            for row in self.connection.execute(query).mappings():
                result[row[column]].append(dict(row))
        return result
