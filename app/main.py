"""The web application: `create_app(settings)` wires routes, templates, static files and the DB."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import Settings, get_settings
from app.db import make_engine
from app.routes import pages
from app.routes import search as search_routes
from app.routes.hsds import create_hsds_api
from app.search import SearchService
from app.services.site import site_identity
from app.templating import STATIC_DIR, make_templates, render


def create_app(settings: Settings) -> FastAPI:
    """A new application over the database and index the settings name."""

    # The engine connects lazily, so creating it here costs nothing and every caller
    # (uvicorn, tests, schemathesis without lifespan) finds it in place.
    engine = make_engine(settings.database_url)
    search = SearchService(settings, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        search.close()
        engine.dispose()

    app = FastAPI(
        title=settings.SITE_NAME,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.search = search
    app.state.site = site_identity(settings)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(search_routes.router)
    app.mount("/hsds", create_hsds_api(settings, engine, search))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            # A path the /hsds mount does not match (e.g. one with a newline) still gets JSON.
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render(request, "pages/error.html", {"status": exc.status_code}, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, _exc: RequestValidationError) -> HTMLResponse:
        return render(request, "pages/error.html", {"status": 400}, 400)

    @app.exception_handler(Exception)
    async def server_error(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "Internal error"}, status_code=500)
        return render(request, "pages/error.html", {"status": 500}, 500)

    return app


def _is_api(request: Request) -> bool:
    return request.url.path == "/hsds" or request.url.path.startswith("/hsds/")


def create_app_from_env() -> FastAPI:
    """The factory uvicorn workers call: settings from the environment."""
    return create_app(get_settings())
