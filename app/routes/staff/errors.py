"""A staff page asked for without a session goes to log-in, and back after it."""

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import LoginRequired


def install_login_redirect(app: FastAPI) -> None:
    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        root = str(request.scope.get("root_path", ""))
        query = urlencode({"naeste": exc.back_to})
        return RedirectResponse(f"{root}/log-ind?{query}", status_code=303)

    app.add_exception_handler(LoginRequired, to_login)
