"""Jinja templates with Babel translations, and the one helper routes use to render a page."""

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from app.i18n import resolve_locale
from app.web.csrf import csrf_input, csrf_token
from app.web.locale import switch_link

APP_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = APP_DIR / "static"


def make_templates() -> Jinja2Templates:
    """The template environment with autoescaping; `_` comes with each page's context,
    so concurrent requests in different languages never share a translation."""
    env = Environment(
        loader=FileSystemLoader(APP_DIR / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def path_for(request: Request, name: str, /, **params: object) -> str:
    """A root-relative URL for a route: pages stay right behind any proxy or host name."""
    root = str(request.scope.get("root_path", ""))
    return root + str(request.app.url_path_for(name, **params))


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page in the request's language."""
    locale = resolve_locale(request)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        name,
        {
            "lang": locale.language,
            "site": request.app.state.site,
            "_": locale.gettext,
            "gettext": locale.gettext,
            "url_for": partial(path_for, request),
            "csrf_input": partial(csrf_input, request),
            "csrf_token": partial(csrf_token, request),
            "format_date": locale.format_date,
            "format_time": locale.format_time,
            "format_number": locale.format_number,
            "lang_switch": switch_link(request, locale),
            # Offer text is written in Danish; an English page marks it so screen readers switch.
            "da_attr": Markup("") if locale.language == "da" else Markup(' lang="da"'),
            **context,
        },
        status_code=status_code,
    )


def no_store(response: Response) -> Response:
    """Keep a private answer (staff pages, a sender's own link) out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
