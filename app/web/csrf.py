"""Protection against cross-site request forgery for every form that changes something.

Each browser gets a random secret in an HttpOnly, SameSite=Lax cookie, signed with a key derived
from the site's secret (a cookie planted from elsewhere does not verify). Pages carry a token:
a fresh random mask and the secret XOR that mask, so the token differs on every response and
compression cannot leak the secret (BREACH). An unsafe request (POST, PUT, PATCH, DELETE) must
send a token that unmasks to the cookie's secret, in the form field `csrf_token` or, from htmx,
in the `X-CSRF-Token` header.

Templates write `{{ csrf_input() }}` inside a form; routes declare `dependencies=[CsrfProtect]`.
`CsrfMiddleware` reads the cookie and sets it when a page handed out the first token.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends
from markupsafe import Markup
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "csrf"
FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SECRET_BYTES = 32
_STATE_KEY = "csrf"


class CsrfRejected(HTTPException):
    """An unsafe request without a valid token; the error page explains what to do."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail="CSRF token missing or invalid")


@dataclass
class _Signer:
    """Signs and verifies the cookie's secret with a key derived from the site's secret."""

    secret_key: Callable[[], str]
    _key: bytes | None = None

    def key(self) -> bytes:
        if self._key is None:
            self._key = hmac.digest(self.secret_key().encode(), b"opslagstavle csrf", "sha256")
        return self._key

    def sign(self, secret: bytes) -> str:
        mac = hmac.digest(self.key(), secret, hashlib.sha256)
        return f"{_b64(secret)}.{_b64(mac)}"

    def unsign(self, value: str) -> bytes | None:
        encoded, _, mac = value.partition(".")
        secret = _unb64(encoded)
        if secret is None or len(secret) != SECRET_BYTES:
            return None
        expected = hmac.digest(self.key(), secret, hashlib.sha256)
        return secret if hmac.compare_digest(_b64(expected), mac) else None


@dataclass
class _CsrfContext:
    """One request's view: the secret its cookie proved, and any secret issued for it."""

    signer: _Signer
    cookie_secret: bytes | None
    issued: bytes | None = None
    used: bool = False

    def secret(self) -> bytes:
        if self.cookie_secret is not None:
            return self.cookie_secret
        if self.issued is None:
            self.issued = secrets.token_bytes(SECRET_BYTES)
        return self.issued


class CsrfMiddleware:
    """Makes the cookie's secret available to the request and sets the cookie when needed."""

    def __init__(self, app: ASGIApp, *, secret_key: Callable[[], str], base_url: str) -> None:
        self.app = app
        self.signer = _Signer(secret_key)
        self.secure = base_url.lower().startswith("https://")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = _cookie(scope)
        context = _CsrfContext(self.signer, self.signer.unsign(cookie) if cookie else None)
        scope.setdefault("state", {})[_STATE_KEY] = context

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and context.used:
                headers = MutableHeaders(scope=message)
                # A page with a token belongs to one browser: no shared or stored copy.
                headers["Cache-Control"] = "no-store"
                if context.issued is not None:
                    headers.append("Set-Cookie", self._cookie_header(context.issued))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie_header(self, secret: bytes) -> str:
        # No Max-Age: the secret lives as long as the browser session, nothing more.
        parts = [f"{COOKIE_NAME}={self.signer.sign(secret)}", "Path=/", "HttpOnly", "SameSite=Lax"]
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)


def csrf_token(request: Request) -> str:
    """A token for this response: a fresh mask, then the secret XOR the mask."""
    context = _context(request)
    context.used = True
    secret = context.secret()
    mask = secrets.token_bytes(SECRET_BYTES)
    return _b64(mask + _xor(mask, secret))


def csrf_input(request: Request) -> Markup:
    """The hidden form field templates put inside every form that posts."""
    token = csrf_token(request)  # URL-safe base64: nothing in it needs escaping
    return Markup(f'<input type="hidden" name="{FIELD_NAME}" value="{token}">')


def token_matches(token: str, secret: bytes) -> bool:
    """Whether a token unmasks to the secret."""
    raw = _unb64(token)
    if raw is None or len(raw) != 2 * SECRET_BYTES:
        return False
    mask, masked = raw[:SECRET_BYTES], raw[SECRET_BYTES:]
    return hmac.compare_digest(_xor(mask, masked), secret)


async def require_csrf_token(request: Request) -> None:
    """Rejects an unsafe request unless it carries a token matching the cookie's secret."""
    if request.method in SAFE_METHODS:
        return
    secret = _context(request).cookie_secret
    token = request.headers.get(HEADER_NAME)
    if token is None and _is_form(request):
        value = (await request.form()).get(FIELD_NAME)
        token = value if isinstance(value, str) else None
    if secret is None or token is None or not token_matches(token, secret):
        raise CsrfRejected()


# For routes: `@router.post("/...", dependencies=[CsrfProtect])`.
CsrfProtect = Depends(require_csrf_token)


def _context(request: Request) -> _CsrfContext:
    context = request.scope.get("state", {}).get(_STATE_KEY)
    if not isinstance(context, _CsrfContext):
        raise RuntimeError("CsrfMiddleware is not installed")
    return context


def _cookie(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(COOKIE_NAME)
            if found:
                return found
    return None


def _is_form(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
