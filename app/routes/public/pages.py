"""The public pages: home and the offer page."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.catalogue.offers import (
    OfferLink,
    OfferView,
    ThemeCount,
    count_public_offers,
    get_public_offer,
    list_newest,
    list_themes,
    offer_view,
    similar_offers,
)
from app.catalogue.taxonomy import Vocabulary
from app.deps import LocaleDep, SessionDep, VocabularyDep
from app.portal.schedule_text import Gettext
from app.web.templating import render

router = APIRouter()


def current_time() -> datetime:
    """The moment "next dates" count from; tests override it to stay independent of the clock."""
    return datetime.now(UTC)


NowDep = Annotated[datetime, Depends(current_time)]


# A life-situation shortcut on the home page: what a person might say, and what it searches for.
@dataclass(frozen=True)
class Shortcut:
    label: str
    query: str


# What the home page shows.
@dataclass(frozen=True)
class HomeContext:
    total: int
    themes: list[ThemeCount]
    newest: list[OfferLink]
    shortcuts: list[Shortcut]
    vocabulary: Vocabulary


# What the offer page shows.
@dataclass(frozen=True)
class OfferContext:
    offer: OfferView
    similar: list[OfferLink]


@router.get("/", response_class=HTMLResponse)
def show_home(
    request: Request, *, session: SessionDep, vocabulary: VocabularyDep, locale: LocaleDep
) -> HTMLResponse:
    """The home page: search, life situations, themes with counts and the newest offers."""
    context = HomeContext(
        total=count_public_offers(session=session),
        themes=list_themes(session=session),
        newest=list_newest(session=session, limit=6),
        shortcuts=_shortcuts(locale.gettext),
        vocabulary=vocabulary,
    )
    return render(request, "pages/home.html", {"page": context})


def _shortcuts(_: Gettext) -> list[Shortcut]:
    # The query is translated too: the search understands both languages' everyday words.
    return [
        Shortcut(_("I feel lonely"), _("lonely")),
        Shortcut(_("I am in debt"), _("debt")),
        Shortcut(_("I care for someone who is ill"), _("relative")),
        Shortcut(_("I want to get moving"), _("exercise")),
        Shortcut(_("I want to meet new people"), _("meet people")),
        Shortcut(_("I worry about my child"), _("worried about my child")),
        Shortcut(_("I want to volunteer"), _("volunteer")),
        Shortcut(_("I need help now"), _("urgent help")),
    ]


@router.get("/tilbud/{id}", response_class=HTMLResponse)
def show_offer(
    request: Request,
    id: str,
    *,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    now: NowDep,
) -> HTMLResponse:
    """One offer, by its HSDS id."""
    offer = get_public_offer(session=session, id=id)
    if offer is None:
        raise HTTPException(status_code=404)
    view = offer_view(
        offer, vocabulary=vocabulary, language=locale.language, gettext=locale.gettext, now=now
    )
    similar = similar_offers(session=session, offer=offer, limit=4)
    return render(request, "pages/offer.html", {"page": OfferContext(view, similar)})


@router.get("/healthz", include_in_schema=False)
def check_health(session: SessionDep) -> dict[str, str]:
    """For load balancers and container health checks: the database answers."""
    count_public_offers(session=session)
    return {"status": "ok"}
