"""The staff dashboard: every offer, whatever its state, found by words."""

from dataclasses import dataclass

from sqlmodel import Session

from app.catalogue.offers import OfferRow, find_offers
from app.i18n import UILocale, count_text, state_label


@dataclass(frozen=True)
class DashboardRow:
    offer: OfferRow
    state: str
    changed: str


@dataclass(frozen=True)
class Dashboard:
    q: str
    count_text: str
    rows: list[DashboardRow]


def dashboard(*, session: Session, q: str, locale: UILocale) -> Dashboard:
    rows, total = find_offers(session=session, text=q)
    return Dashboard(
        q=q,
        count_text=count_text(locale, total),
        rows=[
            DashboardRow(
                offer=row,
                state=state_label(locale, row.state),
                changed=locale.format_date(row.updated_at, "short"),
            )
            for row in rows
        ],
    )
