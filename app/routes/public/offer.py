"""The offer page."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SessionDep, ViewerDep, VocabularyDep
from app.portal.offer_page import offer_page
from app.web.templating import render

router = APIRouter()


def current_time() -> datetime:
    """The moment "next dates" count from; tests override it to stay independent of the clock."""
    return datetime.now(UTC)


NowDep = Annotated[datetime, Depends(current_time)]


@router.get("/tilbud/{id}", response_class=HTMLResponse)
def show_offer(
    request: Request,
    id: str,
    *,
    session: SessionDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    now: NowDep,
    viewer: ViewerDep,
) -> HTMLResponse:
    """One offer, by its HSDS id; staff also see offers in other states, and staff facts."""
    page = offer_page(
        session=session, id=id, vocabulary=vocabulary, locale=locale, now=now, viewer=viewer
    )
    if page is None:
        raise HTTPException(status_code=404)
    response = render(request, "pages/offer.html", {"page": page})
    if page.staff is not None:
        # Staff-only facts never go into a shared or browser cache.
        response.headers["Cache-Control"] = "no-store"
    return response
