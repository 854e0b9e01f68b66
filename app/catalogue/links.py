"""Which links from offer data may become an href: web links, e-mail and phone links.

The database may hold anything an older import let in ("javascript:…", "data:…"), so the
pages ask these rules every time they show a link, not only when data comes in. A value that
fails is not a link at all; the caller shows it as text or leaves it out.
"""

import re
import unicodedata
from urllib.parse import quote, urlsplit

WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Conservative on purpose: no "?", "&", ",", ";", "%" or "#", so a stored address cannot add
# recipients, a subject or a body to the mailto: link built from it (RFC 6068).
_EMAIL = re.compile(r"[\w.!$'*+/=^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"[0-9]")


def safe_web_url(value: str | None) -> str | None:
    """The value as an absolute http(s) link with a host, or None when it is anything else.

    Surrounding whitespace is dropped; control, format and whitespace characters inside are
    refused (browsers drop tabs and newlines, so "java\\tscript:" would run), and so are
    backslashes, user names ("https://kommune.dk@evil.example") and scheme-relative
    "//host" links.

    >>> safe_web_url(" https://kommune.dk/tilbud ")
    'https://kommune.dk/tilbud'
    >>> safe_web_url("JaVaScRiPt:alert(1)") is None
    True
    """
    if value is None:
        return None
    url = value.strip()
    if not url or not _plain(url) or "\\" in url:
        return None
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() not in WEB_SCHEMES:
        return None
    if not url[scheme.end() :].startswith("//"):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a port that is no number)
    except ValueError:
        return None
    if not parts.hostname or "@" in parts.netloc:
        return None
    return url


def mailto_href(address: str | None) -> str | None:
    """A mailto: link to exactly this one address, or None when it does not look like one.

    >>> mailto_href("rygestop@kommune.dk")
    'mailto:rygestop@kommune.dk'
    >>> mailto_href("a@kommune.dk?bcc=b@evil.example") is None
    True
    """
    if address is None:
        return None
    address = address.strip()
    if not _EMAIL.fullmatch(address) or not _plain(address):
        return None
    return "mailto:" + quote(address, safe="@+")


def tel_href(number: str | None) -> str | None:
    """A tel: link of the number's digits (and a leading "+"), or None when it has none.

    >>> tel_href("+45 70 00 00 02")
    'tel:+4570000002'
    """
    if number is None:
        return None
    number = number.strip()
    digits = "".join(_DIGITS.findall(number))
    if not digits:
        return None
    return "tel:" + ("+" if number.startswith("+") else "") + digits


def _plain(text: str) -> bool:
    """No control, format (zero-width, bidi), surrogate or whitespace characters."""
    return not any(char.isspace() or unicodedata.category(char)[0] == "C" for char in text)
