"""The `opslagstavle` command: serve, init, import and export.

Every command migrates the database first. Bad input ends in one line on stderr that names the
record, exit code 1, and an unchanged database.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import session_scope
from app.search import SearchService
from app.services.catalogue import load_catalogue
from app.services.csv_io import export_rows, read_sheet, sheet_services, write_sheet
from app.services.errors import CatalogueError
from app.services.hsds_export import iter_public_services
from app.services.hsds_import import (
    ImportResult,
    IncomingService,
    read_hsds_file,
    upsert_services,
)
from app.services.setup import prepare_database
from app.services.taxonomy import load_vocabulary
from app.web.accesslog import server_log_config

cli = typer.Typer(help="Opslagstavlen: a catalogue of offers for citizens.", no_args_is_help=True)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn bad input into one line on stderr and exit code 1."""
    try:
        yield
    except CatalogueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: {exc.filename or ''}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[], None]]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def _report(result: ImportResult, what: str) -> None:
    retired = f", {result.retired} retired" if result.retired else ""
    typer.echo(
        f"{what}: {result.inserted} new, {result.updated} updated, "
        f"{result.unchanged} unchanged{retired}."
    )


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Number of worker processes.")] = 1,
) -> None:
    """Migrate the database, then serve the portal."""
    settings = get_settings()
    with _clear_errors():
        engine, demo = prepare_database(settings)
    if demo:
        _report(demo, "Demo catalogue loaded")
    typer.echo(f"Search index {SearchService(settings, engine).ensure()}.")
    settings.secret_key()  # create it now, before several workers race to
    uvicorn.run(
        "app.main:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        server_header=False,
        # Our own access log leaves out query strings (search words) and addresses.
        access_log=False,
        log_config=server_log_config(),
    )


@cli.command()
def init() -> None:
    """Create or migrate the database; load the demo into an empty one when OPSLAGSTAVLE_DEMO=1."""
    settings = get_settings()
    with _clear_errors():
        engine, demo = prepare_database(settings)
    if demo:
        _report(demo, "Demo catalogue loaded")
    typer.echo(f"Database ready: {settings.database_url}")
    typer.echo(f"Search index {SearchService(settings, engine).ensure()}.")


@cli.command("import-hsds")
def import_hsds(
    path: Annotated[
        Path, typer.Argument(help="A JSON array of HSDS 3.0 services, or an envelope.")
    ],
) -> None:
    """Insert or update offers from HSDS 3.0 services, keeping their ids. All or nothing."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
        items = read_hsds_file(path)
        _import(settings, engine, path, len(items), lambda _session: items)


@cli.command("export-hsds")
def export_hsds(
    path: Annotated[Path, typer.Argument(help="Where to write the JSON array of services.")],
) -> None:
    """Write every published or temporarily closed offer as a fully nested HSDS 3.0 service."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
        with session_scope(engine) as session:
            services = list(iter_public_services(session=session))
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(services, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    typer.echo(f"Exported {len(services)} services to {path}.")


@cli.command("export-csv")
def export_csv(
    path: Annotated[Path, typer.Argument(help="Where to write the sheet (.csv).")],
) -> None:
    """Write every published or temporarily closed offer as a row of a Danish spreadsheet."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
        vocabulary = load_vocabulary(settings.taxonomy_path)
        with session_scope(engine) as session:
            count = write_sheet(path, export_rows(session=session, vocabulary=vocabulary))
    typer.echo(f"Exported {count} offers to {path}.")


@cli.command("import-csv")
def import_csv(
    path: Annotated[Path, typer.Argument(help="A sheet as written by export-csv.")],
) -> None:
    """Insert or update offers from a spreadsheet (';' or ',', UTF-8 or Windows-1252)."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
        vocabulary = load_vocabulary(settings.taxonomy_path)
        sheet, rows = read_sheet(path)
        typer.echo(f"Read {path} as {sheet.encoding} with {sheet.delimiter!r} between columns.")
        _import(
            settings,
            engine,
            path,
            len(rows),
            lambda session: sheet_services(
                session=session, path=path, rows=rows, vocabulary=vocabulary
            ),
        )


@cli.command("load-catalogue")
def load_catalogue_command(
    directory: Annotated[Path, typer.Argument(help="A catalogue folder like catalogue/.")],
) -> None:
    """Insert or update the offers of a YAML catalogue and retire those that left it."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
        vocabulary = load_vocabulary(settings.taxonomy_path)
        with session_scope(engine) as session:
            result = load_catalogue(session=session, directory=directory, vocabulary=vocabulary)
    _report(result, f"Loaded {directory}")
    _follow(settings, engine)


@cli.command()
def reindex() -> None:
    """Rebuild the search index from the database."""
    settings = get_settings()
    with _clear_errors():
        engine, _ = prepare_database(settings)
    count = SearchService(settings, engine).rebuild()
    typer.echo(f"Search index rebuilt: {count} offers.")


def _import(
    settings: Settings,
    engine: Engine,
    path: Path,
    count: int,
    items_of: Callable[[Session], list[IncomingService]],
) -> None:
    """Upsert what a file holds in one transaction, with a progress bar; then index it."""
    vocabulary = load_vocabulary(settings.taxonomy_path)
    with _progress("Importing", count) as advance, session_scope(engine) as session:
        result = upsert_services(
            session=session, items=items_of(session), vocabulary=vocabulary, on_progress=advance
        )
    _report(result, f"Imported {path}")
    _follow(settings, engine)


def _follow(settings: Settings, engine: Engine) -> None:
    """Bring the search index up to date with what was just committed."""
    changed = SearchService(settings, engine).follow()
    if changed:
        typer.echo(f"Search index updated ({changed} offers).")


def main() -> None:
    cli()
