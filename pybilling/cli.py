"""`pybilling` command line: init, serve, cron, openapi, staff."""

from __future__ import annotations

import json
import os
import secrets
import sys
from typing import NoReturn

import typer

from pybilling.config import ConfigError, Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="PyBilling: billing and client management.")
staff_app = typer.Typer(no_args_is_help=True, help="Staff accounts.")
app.add_typer(staff_app, name="staff")


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _services(settings: Settings):  # type: ignore[no-untyped-def]
    from pybilling.app import build_services

    return build_services(settings)


@app.command()
def init(
    create_admin: bool = typer.Option(False, "--create-admin", help="Create a first super-admin if none exists"),
) -> None:
    """Create or upgrade the schema and load default data (idempotent)."""
    from pybilling.core.bootstrap import load_default_data
    from pybilling.db.engine import make_engine, make_session_factory
    from pybilling.db.migrate import fix_sequences, upgrade
    from pybilling.modules import load_modules

    settings = Settings()
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if settings.ensure_secret_key():
            typer.echo(f"generated a secret key in {settings.secret_key_file}", err=True)
        load_modules()
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        factory = make_session_factory(engine)
        with factory() as db, db.begin():
            load_default_data(db)
        fix_sequences(engine)
    except ConfigError as exc:
        fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - the CLI contract: one line, exit 1
        fail(f"init failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    if create_admin:
        _create_first_admin(settings)


def _create_first_admin(settings: Settings) -> None:
    from pybilling.modules.staff import service as staff_service

    services = _services(settings)
    with services.session_factory() as db, db.begin():
        if staff_service.any_staff(db):
            return
        password = secrets.token_urlsafe(12)
        email = "admin@example.com"
        staff = staff_service.create_staff_member(
            db, email=email, name="Administrator", password=password, group_id=1, status="active"
        )
        key = staff_service.ensure_api_key(db, services.secrets, staff)
    typer.echo("Created the first super-admin (shown once):")
    typer.echo(f"  email:    {email}")
    typer.echo(f"  password: {password}")
    typer.echo(f"  API key:  {key}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port"),
    workers: int = typer.Option(1, min=1, help="Worker processes"),
) -> None:
    """Serve the API and pages with uvicorn."""
    import uvicorn

    settings = Settings()
    try:
        settings.check_serve(host)
        _ = settings.resolved_secret_key
    except ConfigError as exc:
        fail(str(exc))
    if settings.secret_key_beside_database:
        typer.echo(
            "warning: the secret key is read from the data directory, beside the database; "
            "set PYBILLING_SECRET_KEY in production",
            err=True,
        )
    uvicorn.run(
        "pybilling.asgi:app",
        host=host,
        port=port,
        workers=workers,
        server_header=False,
        proxy_headers=False,
        log_level="info" if settings.debug else "warning",
        # Access lines are INFO: only logged in debug. Off otherwise, so each request skips building one.
        access_log=settings.debug,
    )


@app.command()
def cron(force: bool = typer.Option(False, help="Run every job now, due or not")) -> None:
    """Run the periodic jobs that are due, once (as `admin/cron/run` does: events, `last_cron_exec`)."""
    from pybilling.modules.cron.service import run_crons

    try:
        services = _services(Settings())
    except ConfigError as exc:
        fail(str(exc))
    results = run_crons(services.session_factory, force=force)
    failed = [r for r in results if r.status == "error"]
    for r in results:
        typer.echo(f"{r.job}: {r.status}" + (f" ({r.message})" if r.message else ""))
    if failed:
        raise typer.Exit(1)


@app.command()
def openapi() -> None:
    """Print the OpenAPI 3.1 document of every API method (no database needed)."""
    from pybilling.api.openapi import openapi_document

    sys.stdout.write(json.dumps(openapi_document(), indent=1, sort_keys=True) + "\n")


@staff_app.command("create")
def staff_create(
    email: str = typer.Option(..., help="Email address"),
    name: str = typer.Option(..., help="Full name"),
    password: str | None = typer.Option(None, help="Password (else PYBILLING_STAFF_PASSWORD, else a prompt)"),
    group_id: int = typer.Option(1, "--group-id", help="Staff group (1 = super administrators)"),
    status: str = typer.Option("active", help="active or inactive"),
) -> None:
    """Create a staff member; prints the new id."""
    from pybilling.api.errors import ApiError
    from pybilling.modules.staff import service as staff_service

    if password is None:
        password = os.environ.get("PYBILLING_STAFF_PASSWORD") or typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True, err=True
        )
    try:
        services = _services(Settings())
        with services.session_factory() as db, db.begin():
            staff = staff_service.create_staff_member(
                db, email=email, name=name, password=password, group_id=group_id, status=status
            )
            new_id = staff.id
    except (ApiError, ConfigError) as exc:
        fail(str(exc))
    typer.echo(str(new_id))


@staff_app.command("api-key")
def staff_api_key(email: str = typer.Argument(..., help="The staff member's email")) -> None:
    """Print a staff member's API key (one is created when missing)."""
    from pybilling.modules.staff import service as staff_service

    try:
        services = _services(Settings())
        with services.session_factory() as db, db.begin():
            staff = staff_service.find_by_email(db, email)
            if staff is None:
                fail(f"no staff member with email {email}")
            key = staff_service.ensure_api_key(db, services.secrets, staff)
    except ConfigError as exc:
        fail(str(exc))
    typer.echo(key)
