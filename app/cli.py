"""The `opslagstavle` command: serve, init, import and export.

Every command migrates the database first; the read commands (exports, reindex) refuse one that
does not exist. Bad input ends in one line on stderr that names the
record, exit code 1, and an unchanged database.
"""

import getpass
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NoReturn

import typer
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from app.accounts.store import AccountError, create_account, create_token, find_account
from app.bootstrap import prepare_database
from app.catalogue.changelog import install_change_log
from app.catalogue.errors import CatalogueError
from app.catalogue.taxonomy import Vocabulary, load_vocabulary
from app.config import Settings, get_settings
from app.db import database_exists, session_scope, sqlite_file
from app.exchange.sheets import export_rows, read_sheet, sheet_services, write_sheet
from app.exchange.yaml_catalogue import load_catalogue
from app.hsds.export import iter_public_services
from app.hsds.importer import (
    ImportResult,
    IncomingService,
    read_hsds_file,
    upsert_services,
)
from app.models import Role
from app.search import IndexWriteError, SearchService
from app.web.accesslog import server_log_config

cli = typer.Typer(help="Opslagstavlen: a catalogue of offers for citizens.", no_args_is_help=True)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn bad input into one line on stderr and exit code 1."""
    try:
        yield
    except CatalogueError as exc:
        _fail(str(exc))
    except OperationalError as exc:
        _fail(f"the database did not answer: {_first_line(exc.orig or exc)}")
    except SQLAlchemyError as exc:
        _fail(f"the database refused it: {_first_line(getattr(exc, 'orig', None) or exc)}")
    except IndexWriteError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or ''}: {exc.strerror}")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


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


@dataclass(frozen=True)
class Context:
    """What every command works on: the settings, a migrated database and our taxonomies."""

    settings: Settings
    engine: Engine
    vocabulary: Vocabulary
    demo: ImportResult | None

    def search(self) -> SearchService:
        return SearchService(self.settings, self.engine)

    def ensure_index(self) -> None:
        """Make the index whole; the database is ready either way (exit code 0)."""
        try:
            typer.echo(f"Search index {self.search().ensure()}.")
        except Exception as exc:  # noqa: BLE001
            typer.echo(
                f"note: the search index could not be built ({_first_line(exc)}); "
                "it will be built on the next start or `opslagstavle reindex`.",
                err=True,
            )

    def follow(self) -> None:
        """Bring the search index up to date with what was just committed. The change is
        committed either way, so a failing index is a note, not an error (exit code 0)."""
        try:
            changed = self.search().follow()
        except Exception as exc:  # noqa: BLE001  (a full disk, a damaged index, …)
            typer.echo(
                f"note: the search index could not be updated ({_first_line(exc)}); it will "
                "catch up on the next start or `opslagstavle reindex`.",
                err=True,
            )
            return
        if changed:
            typer.echo(f"Search index updated ({changed} offers).")


@contextmanager
def _context(*, reads: bool = False) -> Iterator[Context]:
    """Settings, database and vocabulary for one command, with bad input as one clear line.

    A command that only reads (`reads`) refuses a database that does not exist instead of
    creating an empty one and reporting nothing.
    """
    settings = get_settings()
    install_change_log()
    with _clear_errors():
        if reads and not database_exists(settings.database_url):
            path = sqlite_file(settings.database_url)
            typer.echo(
                f"error: no database at {path}; run the command where the data folder is, "
                "or set OPSLAGSTAVLE_DATA_DIR (or OPSLAGSTAVLE_DATABASE_URL) to it.",
                err=True,
            )
            raise typer.Exit(1)
        engine, demo = prepare_database(settings)
        vocabulary = load_vocabulary(settings.taxonomy_path)
        yield Context(settings=settings, engine=engine, vocabulary=vocabulary, demo=demo)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Number of worker processes.")] = 1,
) -> None:
    """Migrate the database, then serve the portal."""
    with _context() as context:
        if context.demo:
            _report(context.demo, "Demo catalogue loaded")
        # The workers check the index in the background, so the site answers at once.
        context.settings.secret_key()  # create it now, before several workers race to
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
        # Caps a worker's connections (503 beyond): far above 50 clients, so normal load passes.
        limit_concurrency=1000,
    )


@cli.command()
def init() -> None:
    """Create or migrate the database; load the demo into an empty one when OPSLAGSTAVLE_DEMO=1."""
    with _context() as context:
        if context.demo:
            _report(context.demo, "Demo catalogue loaded")
        shown = make_url(context.settings.database_url).render_as_string(hide_password=True)
        typer.echo(f"Database ready: {shown}")
        context.ensure_index()


@cli.command("import-hsds")
def import_hsds(
    path: Annotated[
        Path, typer.Argument(help="A JSON array of HSDS 3.0 services, or an envelope.")
    ],
) -> None:
    """Insert or update offers from HSDS 3.0 services, keeping their ids. All or nothing."""
    with _context() as context:
        items = read_hsds_file(path)
        _import(context, path, len(items), lambda _session: items)


@cli.command("export-hsds")
def export_hsds(
    path: Annotated[Path, typer.Argument(help="Where to write the JSON array of services.")],
) -> None:
    """Write every published or temporarily closed offer as a fully nested HSDS 3.0 service."""
    with _context(reads=True) as context:
        with session_scope(context.engine) as session:
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
    with _context(reads=True) as context, session_scope(context.engine) as session:
        count = write_sheet(path, export_rows(session=session, vocabulary=context.vocabulary))
    typer.echo(f"Exported {count} offers to {path}.")


@cli.command("import-csv")
def import_csv(
    path: Annotated[Path, typer.Argument(help="A sheet as written by export-csv.")],
) -> None:
    """Insert or update offers from a spreadsheet (';' or ',', UTF-8 or Windows-1252)."""
    with _context() as context:
        sheet, rows = read_sheet(path)
        typer.echo(f"Read {path} as {sheet.encoding} with {sheet.delimiter!r} between columns.")
        _import(
            context,
            path,
            len(rows),
            lambda session: sheet_services(
                session=session, path=path, rows=rows, vocabulary=context.vocabulary
            ),
        )


@cli.command("load-catalogue")
def load_catalogue_command(
    directory: Annotated[Path, typer.Argument(help="A catalogue folder like catalogue/.")],
) -> None:
    """Insert or update the offers of a YAML catalogue and retire those that left it."""
    with _context() as context:
        with session_scope(context.engine) as session:
            result = load_catalogue(
                session=session, directory=directory, vocabulary=context.vocabulary
            )
        _report(result, f"Loaded {directory}")
        context.follow()


@cli.command()
def reindex() -> None:
    """Rebuild the search index from the database."""
    with _context(reads=True) as context:
        count = context.search().rebuild()
    typer.echo(f"Search index rebuilt: {count} offers.")


@cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="The staff member's e-mail address.")],
    role: Annotated[
        Role, typer.Option(help="staff, or admin (also manages accounts).")
    ] = Role.STAFF,
) -> None:
    """Create a staff account. The password is read from standard input (asked twice on a
    terminal, never echoed); a second line, if given, must repeat it."""
    password = _read_password()
    with _context() as context, session_scope(context.engine) as session:
        try:
            account = create_account(session, email=email, password=password, role=role)
        except AccountError as exc:
            _fail(str(exc))
        created = f"Created {account.role.value} account {account.email}."
    typer.echo(created)


@cli.command("create-token")
def create_token_command(
    email: Annotated[str, typer.Argument(help="The account the integration acts as.")],
) -> None:
    """Create an API token for an account; it is printed once, alone on the last line."""
    with _context(reads=True) as context, session_scope(context.engine) as session:
        account = find_account(session, email)
        if account is None or account.disabled:
            _fail(f"no enabled account with the e-mail address {email.strip()!r}")
        token = create_token(session, account)
        owner = account.email
    typer.echo(f"API token for {owner}, shown only now; send it as 'Authorization: Bearer …':")
    typer.echo(token)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Repeat the password: ")
    else:
        lines = sys.stdin.read().splitlines()
        first = lines[0] if lines else ""
        second = lines[1] if len(lines) > 1 else first
    if first != second:
        _fail("the two passwords are not the same")
    return first


def _import(
    context: Context,
    path: Path,
    count: int,
    items_of: Callable[[Session], list[IncomingService]],
) -> None:
    """Upsert what a file holds in one transaction, with a progress bar; then index it."""
    with _progress("Importing", count) as advance, session_scope(context.engine) as session:
        result = upsert_services(
            session=session,
            items=items_of(session),
            vocabulary=context.vocabulary,
            on_progress=advance,
        )
    _report(result, f"Imported {path}")
    context.follow()


def main() -> None:
    cli()
