"""The home page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SessionDep, VocabularyDep
from app.portal.home import home_page
from app.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def show_home(
    request: Request, *, session: SessionDep, vocabulary: VocabularyDep, locale: LocaleDep
) -> HTMLResponse:
    """The home page: search, life situations, themes with counts and the newest offers."""
    page = home_page(session=session, vocabulary=vocabulary, locale=locale)
    return render(request, "pages/home.html", {"page": page})
