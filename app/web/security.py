"""Strict security headers on every response: pages, static files, the HSDS API and errors.

A pure ASGI middleware, so it also covers mounted apps and error responses, and never buffers
a body. It also takes any Set-Cookie off a static file (public and cached: a shared cache would
hand one visitor's cookie to the next).
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.static import is_static

# Only our own host: no inline script or style, no plug-ins, no framing, no foreign form target.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# Powerful browser features the site never uses stay off, also for anything it might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# Two years; only sent when the site is served over https, or plain-http test setups would break.
HSTS = "max-age=63072000; includeSubDomains"


def security_headers(*, https: bool) -> list[tuple[str, str]]:
    """The headers every response gets."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        # Same origin only: search words in our URLs never reach another host.
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]
    if https:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


class SecurityHeadersMiddleware:
    """Adds `security_headers()` to every HTTP response, replacing any weaker value."""

    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        self.headers = security_headers(https=base_url.lower().startswith("https://"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        static = is_static(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers[name] = value
                if static:
                    del headers["set-cookie"]
            await send(message)

        await self.app(scope, receive, send_with_headers)
