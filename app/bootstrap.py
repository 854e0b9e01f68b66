"""Getting a database ready: migrate, sync our taxonomies, load the demo when asked."""

from sqlalchemy import Engine, func
from sqlmodel import select

from app.catalogue.taxonomy import load_vocabulary, sync_vocabulary
from app.config import Settings
from app.db import make_engine, migrate, session_scope
from app.exchange.yaml_catalogue import load_catalogue
from app.hsds.importer import ImportResult
from app.models import Offer


def prepare_database(settings: Settings) -> tuple[Engine, ImportResult | None]:
    """Migrate, sync the vocabulary, and load the demo catalogue into an empty database
    when OPSLAGSTAVLE_DEMO is on. Runs before any web worker starts."""
    migrate(settings)
    engine = make_engine(settings.database_url)
    vocabulary = load_vocabulary(settings.taxonomy_path)
    demo: ImportResult | None = None
    with session_scope(engine) as session:
        sync_vocabulary(session=session, vocabulary=vocabulary)
        if settings.DEMO and session.exec(select(func.count()).select_from(Offer)).one() == 0:
            demo = load_catalogue(
                session=session, directory=settings.CATALOGUE_DIR, vocabulary=vocabulary
            )
    return engine, demo
