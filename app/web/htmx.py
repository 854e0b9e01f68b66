"""Page or fragment: one place decides what an htmx request gets.

A route declares its templates once, `Annotated[Htmx, Depends(htmx_views(...))]`, and renders
with `htmx.render(...)`: the full page for a normal request or a history restore, else the
fragment for the element htmx targets. The answer varies on those headers, so it says so.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.web.templating import render

_VARY = ("HX-Request", "HX-Target", "HX-History-Restore-Request")


@dataclass(frozen=True)
class Htmx:
    """What this request asked for, and the template that answers it."""

    request: Request
    template: str

    def render(self, context: dict[str, Any]) -> HTMLResponse:
        response = render(self.request, self.template, context)
        # The same URL answers with a page or a fragment: caches must keep them apart.
        for header in _VARY:
            response.headers.add_vary_header(header)
        return response


def htmx_views(
    *, page: str, fragment: str, targets: Mapping[str, str] | None = None
) -> Callable[[Request], Htmx]:
    """A dependency choosing among a route's templates: `page` in full, `fragment` for htmx,
    or the template `targets` names for the element htmx swaps (its `HX-Target`)."""

    def choose(request: Request) -> Htmx:
        headers = request.headers
        if headers.get("HX-Request") != "true" or _restoring(request):
            return Htmx(request, page)
        target = headers.get("HX-Target") or ""
        return Htmx(request, (targets or {}).get(target, fragment))

    return choose


def _restoring(request: Request) -> bool:
    # htmx asks for the whole page when its history cache misses.
    return request.headers.get("HX-History-Restore-Request") == "true"
