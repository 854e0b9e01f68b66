"""The search page /soeg: the whole page, or with htmx only the part that changes."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SearchDep, SessionDep, VocabularyDep
from app.portal.search_page import build_page
from app.web.htmx import Htmx, htmx_views
from app.web.templating import path_for

router = APIRouter()

SearchViews = Annotated[
    Htmx,
    Depends(
        htmx_views(
            page="pages/search.html",
            fragment="partials/search_fragment.html",
            # "Vis flere" swaps in only the next cards (to either list).
            targets={
                "results": "partials/search_more.html",
                "results-tail": "partials/search_more.html",
            },
        )
    ),
]


@router.get("/soeg", response_class=HTMLResponse)
def show_search(
    request: Request,
    *,
    session: SessionDep,
    search: SearchDep,
    vocabulary: VocabularyDep,
    locale: LocaleDep,
    htmx: SearchViews,
) -> HTMLResponse:
    """Search the catalogue: words, filters with counts, 20 offers a page."""
    page = build_page(
        request.query_params.multi_items(),
        session=session,
        search=search,
        vocabulary=vocabulary,
        locale=locale,
        base=path_for(request, "show_search"),
        now=datetime.now(UTC),
    )
    response = htmx.render({"page": page})
    # Search words are private: no copy on disk or in a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response
