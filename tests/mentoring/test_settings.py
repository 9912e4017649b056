"""The settings a production server starts with, and the ones it refuses."""

import os
import secrets
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict[str, str]:
    """A production-like environment, built from scratch so the developer's
    shell (DEBUG=1, SECURE_SSL_REDIRECT=0) cannot leak in."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "nastavnik.example.ru",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None}


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_environment():
    env = production_env()
    assert len(env["SECRET_KEY"]) >= 50

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"DATABASE_URL": "sqlite:////tmp/nastavnik.sqlite3"},
            "runs on PostgreSQL only",
            id="sqlite",
        ),
        pytest.param(
            {"DATABASE_URL": "mysql://nastavnik:secret@127.0.0.1:3306/nastavnik"},
            "runs on PostgreSQL only",
            id="mysql",
        ),
        pytest.param({"DATABASE_URL": None}, "Set DATABASE_URL", id="no-database"),
        pytest.param({"SECRET_KEY": None}, "Set SECRET_KEY", id="no-secret-key"),
        pytest.param({"SECRET_KEY": ""}, "Set SECRET_KEY", id="empty-secret-key"),
        pytest.param({"DEBUG": "maybe"}, "DEBUG must be a boolean", id="bad-debug"),
        pytest.param(
            {"SESSION_RENEW_SECONDS": "3600"},
            "SESSION_RENEW_SECONDS must be from 0",
            id="renewal-beyond-idle-period",
        ),
    ],
)
def test_settings_refuse_a_bad_environment(overrides, message):
    result = manage("check", env=production_env(**overrides))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_bare_shell_in_a_checkout_checks_migrations_without_a_database():
    # Neither variable: manage.py takes `make run`'s development defaults
    # (the dev cluster need not be running for this check).
    env = production_env(DATABASE_URL=None, SECRET_KEY=None, DEBUG=None)

    result = manage("makemigrations", "--check", "--dry-run", env=env)

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_dates_render_as_day_month_year():
    day = date(2026, 3, 5)

    assert formats.date_format(day) == "05.03.2026"
    assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05.03.2026"
    with translation.override("ru"):
        assert formats.date_format(day) == "05.03.2026"
        assert Template("{{ day|date }}").render(Context({"day": day})) == (
            "05.03.2026"
        )


def test_date_times_render_as_day_month_year_hours_minutes():
    moment = datetime(2026, 3, 5, 9, 7)
    assert formats.date_format(moment, "DATETIME_FORMAT") == "05.03.2026 09:07"


def test_forms_read_dates_typed_as_day_month_year():
    assert forms.DateField().clean("05.03.2026") == date(2026, 3, 5)
