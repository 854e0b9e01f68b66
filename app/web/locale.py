"""Which language a response speaks: `?lang=` switches and is remembered in a `lang` cookie; the
cookie decides later visits; on a first visit the browser's Accept-Language decides; else Danish.

A pure ASGI middleware, so `request.state.locale` is set before any route, dependency or error
handler runs, and the cookie is added to whatever response comes back.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import LANGUAGES, UILocale, choose_language
from app.web.urls import same_site_path

COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# A page's language depends on these request headers, so shared caches must keep them apart.
VARY = ("Cookie", "Accept-Language")


class LocaleMiddleware:
    """Sets `request.state.locale` (an `app.i18n.UILocale`) and remembers a switch."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        asked = request.query_params.get("lang")
        remembered = request.cookies.get(COOKIE_NAME)
        language = choose_language(asked, remembered, request.headers.get("accept-language"))
        scope.setdefault("state", {})["locale"] = UILocale(language)
        new_cookie = asked if asked in LANGUAGES and asked != remembered else None
        secure = scope.get("scheme") == "https"

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if new_cookie is not None:
                    headers.append("set-cookie", _cookie(new_cookie, secure=secure))
                if headers.get("content-type", "").startswith("text/html"):
                    _add_vary(headers)
            await send(message)

        await self.app(scope, receive, send_with_language)


def _cookie(language: str, *, secure: bool) -> str:
    # Not secret, but no script needs it either, hence HttpOnly.
    cookie = f"{COOKIE_NAME}={language}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax; HttpOnly"
    return cookie + "; Secure" if secure else cookie


def _add_vary(headers: MutableHeaders) -> None:
    present = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    known = {v.lower() for v in present}
    merged = present + [v for v in VARY if v.lower() not in known]
    headers["vary"] = ", ".join(merged)


@dataclass(frozen=True)
class LanguageSwitch:
    """The header link to the same page in the other language."""

    href: str
    language: str
    label: str


def switch_link(request: Request, locale: UILocale) -> LanguageSwitch:
    """The same path and query with `lang` set to the other language."""
    other = next(language for language in LANGUAGES if language != locale.language)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", other))
    # scope["path"] already carries any root_path (ASGI 3), so this is right behind a proxy too;
    # encoded and with one leading slash, a hostile path cannot turn the link into another host.
    return LanguageSwitch(
        href=f"{same_site_path(request.scope['path'])}?{urlencode(query)}",
        language=other,
        label=locale.language_name(other),
    )
