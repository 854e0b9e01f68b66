"""The web application: `create_app(settings)` wires routes, templates, static files and the DB."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from app.catalogue.changelog import install_change_log
from app.config import Settings, get_settings
from app.db import make_engine
from app.routes import health
from app.routes.api import moderation as api_moderation
from app.routes.api import offers as api_offers
from app.routes.api import submissions as api_submissions
from app.routes.hsds import create_hsds_api
from app.routes.public import home, offer, report, submit
from app.routes.public import search as search_routes
from app.routes.staff import admin as staff_admin
from app.routes.staff import dashboard as staff_dashboard
from app.routes.staff import editor as staff_editor
from app.routes.staff import login, moderation, outbox
from app.routes.staff.errors import install_login_redirect
from app.search import SearchService
from app.statistics.search_counts import SearchCounter
from app.web.accesslog import AccessLogMiddleware
from app.web.csrf import CsrfMiddleware
from app.web.errors import ServerErrorPages, install_error_pages
from app.web.head import HeadAsGetMiddleware
from app.web.locale import LocaleMiddleware
from app.web.ratelimit import RateLimitStore, purging
from app.web.samesite import SameSiteMiddleware
from app.web.security import SecurityHeadersMiddleware
from app.web.site import site_identity
from app.web.static import CachedStaticFiles
from app.web.templating import STATIC_DIR, make_templates


def create_app(settings: Settings) -> FastAPI:
    """A new application over the database and index the settings name."""

    # The engine connects lazily, so creating it here costs nothing and every caller
    # (uvicorn, tests, schemathesis without lifespan) finds it in place.
    install_change_log()
    engine = make_engine(settings.database_url)
    # Only the portal's searches are counted: the statistics describe what citizens look for.
    search = SearchService(settings, engine, recorder=SearchCounter(engine))
    rate_limits = RateLimitStore(engine, settings.secret_key)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The index is checked (and rebuilt if need be) in the background: the site answers
        # at once, from the database while no index is ready.
        search.start()
        async with purging(rate_limits):
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
    app.state.rate_limits = rate_limits
    app.state.site = site_identity(settings)
    app.state.templates = make_templates()
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR), name="static")
    for routes in (
        home,
        offer,
        report,
        submit,
        search_routes,
        health,
        login,
        staff_dashboard,
        staff_editor,
        staff_admin,
        moderation,
        outbox,
        api_offers,
        api_submissions,
        api_moderation,
    ):
        app.include_router(routes.router)
    app.mount("/hsds", create_hsds_api(settings, engine, search))
    app.include_router(api_offers.documentation)
    install_error_pages(app)
    install_login_redirect(app)
    app.add_middleware(HeadAsGetMiddleware)
    # An unexpected error becomes the 500 page inside the layers below.
    app.add_middleware(ServerErrorPages)
    # The page language is chosen before any route or error handler runs.
    app.add_middleware(LocaleMiddleware)

    # The last one added runs first: the access log sees every answer, security headers go on
    # every response (errors too), and responses are compressed before the headers are added.
    app.add_middleware(CsrfMiddleware, secret_key=settings.secret_key, base_url=settings.BASE_URL)
    app.add_middleware(GZipMiddleware)
    # Inside the security headers, so its 404 pages and redirects get them too.
    app.add_middleware(SameSiteMiddleware, base_url=settings.BASE_URL)
    app.add_middleware(SecurityHeadersMiddleware, base_url=settings.BASE_URL)
    app.add_middleware(AccessLogMiddleware)

    return app


def create_app_from_env() -> FastAPI:
    """The factory uvicorn workers call: settings from the environment."""
    return create_app(get_settings())
