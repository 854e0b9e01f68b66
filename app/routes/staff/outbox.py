"""`/personale/udbakke`: every mail the app has sent or holds, for admins."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import AdminDep, SessionDep, SettingsDep, require_admin_page
from app.mail.outbox import list_outbox
from app.web.templating import render

router = APIRouter(prefix="/personale", dependencies=[Depends(require_admin_page)])


@router.get("/udbakke", response_class=HTMLResponse)
def show_outbox(
    request: Request, who: AdminDep, session: SessionDep, settings: SettingsDep
) -> Response:
    context = {"who": who, "mails": list_outbox(session), "smtp": bool(settings.SMTP_HOST)}
    response = render(request, "staff/pages/outbox.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
