"""The staff dashboard `/personale/`: a search over every offer, whatever its state."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from app.deps import LocaleDep, SessionDep, StaffDep, require_staff_page
from app.staff.dashboard import dashboard
from app.web.templating import render

router = APIRouter(prefix="/personale", dependencies=[Depends(require_staff_page)])


@router.get("/", response_class=HTMLResponse)
def show_dashboard(
    request: Request,
    who: StaffDep,
    session: SessionDep,
    locale: LocaleDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    page = dashboard(session=session, q=q.strip(), locale=locale)
    response = render(request, "staff/pages/dashboard.html", {"who": who, "page": page})
    response.headers["Cache-Control"] = "no-store"
    return response
