"""The search page /soeg: the whole page, or with htmx only the part that changes."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SearchDep, SessionDep, VocabularyDep
from app.portal.search_page import build_page
from app.web.templating import path_for, render

router = APIRouter()


def _template(request: Request) -> str:
    """The full page, or the fragment htmx swaps in; a history restore needs the full page."""
    headers = request.headers
    if headers.get("HX-Request") != "true" or headers.get("HX-History-Restore-Request") == "true":
        return "pages/search.html"
    if headers.get("HX-Target") == "results":  # "Vis flere": only the next cards
        return "partials/search_more.html"
    return "partials/search_fragment.html"


@router.get("/soeg", response_class=HTMLResponse)
def show_search(
    request: Request,
    *,
    session: SessionDep,
    search: SearchDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
) -> HTMLResponse:
    """Search the catalogue: words, filters with counts, 20 offers a page."""
    page = build_page(
        request.query_params.multi_items(),
        session=session,
        search=search,
        vocabulary=vocabulary,
        language=locale.language,
        gettext=locale.gettext,
        base=path_for(request, "show_search"),
        now=datetime.now(UTC),
    )
    response = render(request, _template(request), {"page": page})
    # The same URL answers with a page or a fragment: caches must keep them apart. And search
    # words are private: no copy on disk or in a shared cache.
    for header in ("HX-Request", "HX-Target", "HX-History-Restore-Request"):
        response.headers.add_vary_header(header)
    response.headers["Cache-Control"] = "no-store"
    return response
