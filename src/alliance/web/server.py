"""Starting the platform: Django set up, migrations applied, gunicorn serving with WhiteNoise."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["manage", "serve", "setup"]


def setup() -> None:
    """Configure Django with the platform's settings (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or update the database tables."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def serve(host: str, port: int, *, workers: int = 2) -> None:
    """Serve the site with gunicorn until interrupted."""
    from gunicorn.app.base import BaseApplication

    setup()
    migrate()
    from alliance.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "errorlog": "-",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def manage(arguments: list[str]) -> None:
    """Run a Django management command (``alliance manage migrate``, ``createsuperuser``…)."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance manage", *arguments])
