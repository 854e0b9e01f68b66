"""Every link and redirect stays on this site, whatever the request's path or Host header says.

A path that begins with two slashes (`//evil.example/`, also `/\\evil.example` and the encoded
`/%2F%2Fevil.example`) gets the 404 page without the path repeated anywhere on it: echoed into a
link, a browser would read it as another host. A redirect Location that Starlette built from a
forged Host header (the trailing-slash redirect, `/soeg/` to `/soeg`) becomes a root-relative path;
one on the configured BASE_URL stays as it is. Issue 10.
"""

from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import LANGUAGES
from app.web.errors import error_page
from app.web.locale import LocaleMiddleware
from app.web.urls import is_hostile_path, origin, route_path, same_site_location


class SameSiteMiddleware:
    """Answers a `//…` path with the 404 page and keeps every Location header same-site."""

    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        self.base_origin = origin(base_url)
        # In the visitor's language, as any other page: the locale layer wraps the page.
        self.not_found = LocaleMiddleware(_not_found)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if is_hostile_path(route_path(scope)):
            await self.not_found(_front_page_scope(scope), receive, send)
            return

        async def send_same_site(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                location = headers.get("location")
                if location is not None:
                    headers["location"] = same_site_location(location, base_origin=self.base_origin)
            await send(message)

        await self.app(scope, receive, send_same_site)


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    response = error_page(Request(scope, receive), 404)
    await response(scope, receive, send)


def _front_page_scope(scope: Scope) -> Scope:
    # The page is rendered as if for the front page, so its language switch leads there; of the
    # query only a valid ?lang= is kept, which the locale layer honours.
    lang = Request(scope).query_params.get("lang")
    root = str(scope.get("root_path", ""))
    return {
        **scope,
        "path": root + "/",
        "raw_path": (root + "/").encode(),
        "query_string": urlencode({"lang": lang}).encode() if lang in LANGUAGES else b"",
        "state": dict(scope.get("state", {})),
    }
