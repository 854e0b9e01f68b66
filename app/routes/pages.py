"""The public pages: home and the offer page."""

from dataclasses import dataclass

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SessionDep, VocabularyDep
from app.services.offers import (
    OfferView,
    ThemeCount,
    count_public_offers,
    get_public_offer,
    list_themes,
    offer_view,
)
from app.services.taxonomy import Vocabulary
from app.templating import render

router = APIRouter()


# What the home page shows.
@dataclass(frozen=True)
class HomeContext:
    total: int
    themes: list[ThemeCount]
    vocabulary: Vocabulary


# What the offer page shows.
@dataclass(frozen=True)
class OfferContext:
    offer: OfferView


@router.get("/", response_class=HTMLResponse)
def show_home(request: Request, session: SessionDep, vocabulary: VocabularyDep) -> HTMLResponse:
    """The home page: the themes and how many offers each has."""
    total = count_public_offers(session=session)
    context = HomeContext(total=total, themes=list_themes(session=session), vocabulary=vocabulary)
    return render(request, "pages/home.html", {"page": context})


@router.get("/tilbud/{id}", response_class=HTMLResponse)
def show_offer(
    request: Request,
    id: str,
    *,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """One offer, by its HSDS id."""
    offer = get_public_offer(session=session, id=id)
    if offer is None:
        raise HTTPException(status_code=404)
    view = offer_view(
        offer, vocabulary=vocabulary, language=locale.language, gettext=locale.gettext
    )
    return render(request, "pages/offer.html", {"page": OfferContext(view)})


@router.get("/healthz", include_in_schema=False)
def check_health(session: SessionDep) -> dict[str, str]:
    """For load balancers and container health checks: the database answers."""
    count_public_offers(session=session)
    return {"status": "ok"}
