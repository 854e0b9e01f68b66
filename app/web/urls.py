"""Same-site URLs: what a link or a redirect built from a request may contain.

A request's path is the visitor's (or an attacker's) text. Browsers read `//host`, `/\\host` and
`/<tab>/host` as another site, so a path is only echoed after `same_site_path` has encoded it and
made sure it starts with exactly one slash. Absolute URLs come from `BASE_URL`, never from the
request's Host header (issue 10).
"""

from urllib.parse import quote, urlsplit, urlunsplit

from starlette.types import Scope

# What may stay unencoded in a path: RFC 3986 pchar and "/"; quote() keeps letters, digits, "_.-~".
_PATH_SAFE = "/:@!$&'()*+,;="
# Browsers drop tabs and line breaks anywhere in a URL and read "\" as "/".
_IGNORED_BY_BROWSERS = "\t\n\r"
_SLASHES = "/\\" + _IGNORED_BY_BROWSERS


def route_path(scope: Scope) -> str:
    """The request's path below the app's root path (ASGI 3 puts the root path in "path")."""
    path: str = scope["path"]
    root = str(scope.get("root_path", ""))
    return path[len(root) :] if root and path.startswith(root) else path


def is_hostile_path(path: str) -> bool:
    """Whether a browser would read this path, echoed as a link, as another host: `//x`, `/\\x`."""
    return path.startswith("/") and path[1:].lstrip(_IGNORED_BY_BROWSERS)[:1] in ("/", "\\")


def same_site_path(path: str) -> str:
    """The path percent-encoded, with any leading run of slashes made one: always our host."""
    return "/" + quote(path.lstrip(_SLASHES), safe=_PATH_SAFE)


def origin(url: str) -> str:
    """`scheme://host[:port]` of an absolute URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_site_location(location: str, *, base_origin: str) -> str:
    """A redirect target that stays on this site: an absolute URL on another origin than
    `base_origin` (one built from a forged Host header) becomes its root-relative path."""
    stripped = location.strip("\x00 " + _IGNORED_BY_BROWSERS)
    parts = urlsplit(stripped)
    if parts.scheme or parts.netloc or stripped[:1] in ("/", "\\"):
        if parts.scheme and parts.netloc and origin(stripped) == base_origin:
            return location
        return urlunsplit(("", "", _single_slash(parts.path), parts.query, parts.fragment))
    return location


def _single_slash(path: str) -> str:
    # Already encoded by whoever built it; only the start decides which host a browser asks.
    return "/" + path.lstrip(_SLASHES)
