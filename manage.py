#!/usr/bin/env python
import os
import subprocess
import sys
from pathlib import Path

# The key `make run` and `make test` use (Makefile); never a production one.
DEVELOPMENT_KEY = "insecure-local-development-key-not-for-production"


def checkout_defaults():
    """A developer's bare shell in a checkout gets what `make run` sets: the
    development key and this checkout's private dev cluster (started or not),
    so `manage.py makemigrations --check` works without a database. A server
    sets DATABASE_URL, so it never gets these; setting only one of the two
    keeps the settings' own error."""
    if os.environ.get("DATABASE_URL") or os.environ.get("SECRET_KEY"):
        return
    script = Path(__file__).resolve().parent / "scripts" / "pg.sh"
    url = subprocess.run(
        [str(script), "url", "dev"], capture_output=True, text=True, check=True
    ).stdout.strip()
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = DEVELOPMENT_KEY


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    checkout_defaults()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
