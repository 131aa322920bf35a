"""Starting the platform: Django set up, migrations applied, gunicorn serving with WhiteNoise."""

from __future__ import annotations

import os
import sys

__all__ = ["gunicorn_command", "manage", "migrate", "serve", "setup"]


def setup() -> None:
    """Configure Django with the platform's settings (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or update the database tables."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def gunicorn_command(host: str, port: int, *, workers: int = 2) -> list[str]:
    """Return the gunicorn command line that serves the platform."""
    return [
        sys.executable, "-m", "gunicorn", "alliance.web.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-", "--error-logfile", "-",
    ]  # fmt: skip


def serve(host: str, port: int, *, workers: int = 2) -> None:
    """Apply migrations, then replace this process by gunicorn serving the site.

    A fresh process: the caller may have rendered charts (vl-convert's runtime does not survive
    gunicorn's fork), and gunicorn then owns signals and workers.
    """
    setup()
    migrate()
    os.execv(sys.executable, gunicorn_command(host, port, workers=workers))


def manage(arguments: list[str]) -> None:
    """Run a Django management command (``alliance manage migrate``, ``createsuperuser``…)."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance manage", *arguments])
