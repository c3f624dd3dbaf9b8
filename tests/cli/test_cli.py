"""The `pybilling` command line as other tools script it: exit codes, stdout, stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pybilling.cli import app
from pybilling.core import settings_store
from pybilling.db.engine import make_engine

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "PYBILLING_DATA_DIR": str(tmp_path / "var"),
        "PYBILLING_DATABASE_URL": "",
        "PYBILLING_SECRET_KEY": "",
        "PYBILLING_PASSWORD_HASH_COST": "low",
        "PYBILLING_STAFF_PASSWORD": "",
    }


def invoke(env: dict[str, str], *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env, input=input)


def test_init_is_idempotent_and_generates_a_secret(env: dict[str, str]) -> None:
    first = invoke(env, "init")
    assert first.exit_code == 0, first.output
    assert (Path(env["PYBILLING_DATA_DIR"]) / "pybilling.db").exists()
    assert (Path(env["PYBILLING_DATA_DIR"]) / "secret_key").exists()
    second = invoke(env, "init")
    assert second.exit_code == 0, second.output


def test_init_create_admin_prints_credentials_once(env: dict[str, str]) -> None:
    first = invoke(env, "init", "--create-admin")
    assert first.exit_code == 0, first.output
    assert "API key:" in first.stdout
    key = first.stdout.split("API key:")[1].split()[0]
    again = invoke(env, "init", "--create-admin")
    assert again.exit_code == 0
    assert "API key" not in again.stdout
    shown = invoke(env, "staff", "api-key", "admin@example.com")
    assert shown.exit_code == 0
    assert shown.stdout.strip() == key


def test_staff_create_prints_only_the_id(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    made = invoke(env, "staff", "create", "--email", "Ops@Example.com", "--name", "Ops", "--password", "Pw-123456!")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().isdigit()
    key = invoke(env, "staff", "api-key", "ops@example.com")
    assert key.exit_code == 0
    assert len(key.stdout.strip()) == 32
    assert invoke(env, "staff", "api-key", "ops@example.com").stdout == key.stdout


def test_staff_create_password_from_environment(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    made = invoke({**env, "PYBILLING_STAFF_PASSWORD": "From-Env-123!"}, "staff", "create", "--email", "e@example.com",
                  "--name", "E")
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().isdigit()


def test_staff_create_duplicate_email_fails_with_one_line(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    args = ["staff", "create", "--email", "dup@example.com", "--name", "D", "--password", "Pw-123456!"]
    assert invoke(env, *args).exit_code == 0
    again = invoke(env, *args)
    assert again.exit_code == 1
    assert again.stdout == ""
    assert len(again.stderr.strip().splitlines()) == 1
    assert "already registered" in again.stderr


def test_staff_api_key_unknown_email_fails(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    result = invoke(env, "staff", "api-key", "nobody@example.com")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "nobody@example.com" in result.stderr


def test_openapi_needs_no_database_or_secret(tmp_path: Path) -> None:
    result = runner.invoke(app, ["openapi"], env={"PYBILLING_DATA_DIR": str(tmp_path / "none"),
                                                 "PYBILLING_SECRET_KEY": ""})
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["openapi"].startswith("3.1")
    assert "/api/guest/system/version" in doc["paths"]
    assert not (tmp_path / "none").exists()


def test_serve_refuses_debug_on_public_host(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    result = invoke({**env, "PYBILLING_DEBUG": "1"}, "serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "PYBILLING_DEBUG" in result.stderr


def test_serve_without_any_secret_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve"], env={"PYBILLING_DATA_DIR": str(tmp_path), "PYBILLING_SECRET_KEY": ""})
    assert result.exit_code == 1
    assert "PYBILLING_SECRET_KEY" in result.stderr


def test_cron_runs_jobs_and_records_the_run(env: dict[str, str]) -> None:
    assert invoke(env, "init").exit_code == 0
    result = invoke(env, "cron")
    assert result.exit_code == 0, result.output
    assert "sessions_purge_expired: ok" in result.stdout
    again = invoke(env, "cron")
    assert "sessions_purge_expired: skipped" in again.stdout
    engine = make_engine(f"sqlite:///{Path(env['PYBILLING_DATA_DIR']) / 'pybilling.db'}")
    with Session(engine) as db:
        assert settings_store.get_param(db, "last_cron_exec")
    engine.dispose()
