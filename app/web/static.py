"""Static files with cache headers that suit how each file changes.

A vendored file carries its version in its name (vendor/htmx-2.0.11.min.js): a new version is a
new name, so browsers may keep it for a year without asking. Our own files (site.css, icons) keep
their names across releases, so browsers reuse them only briefly and then revalidate with the
ETag and Last-Modified StaticFiles already sends (a cheap 304 on a slow connection).
"""

import os
import re

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.web.urls import route_path

# Where app/main.py mounts the files.
STATIC_PATH = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300, must-revalidate"

# A version in the file name: name-1.2.3.ext
_VERSIONED = re.compile(r"^vendor/[^/]+-\d+\.\d+\.\d+[^/]*$")


def is_static(scope: Scope) -> bool:
    """Whether a request is for a static file: public, cached, so never a cookie."""
    path = route_path(scope)
    return path == STATIC_PATH or path.startswith(STATIC_PATH + "/")


def cache_control(path: str) -> str:
    """The Cache-Control value for a file path relative to the static folder."""
    return IMMUTABLE if _VERSIONED.match(path.replace(os.sep, "/")) else REVALIDATE


class CachedStaticFiles(StaticFiles):
    """StaticFiles that add Cache-Control to files and to their 304 answers."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = cache_control(self.get_path(scope))
        return response
