"""Starting the platform: Django set up, migrations applied, Granian serving with WhiteNoise.

Granian (a Rust HTTP server) reads and parses every connection on its own asynchronous runtime and
hands a request to one of the Python threads only once its headers and body have fully arrived:
a slow or idle client costs a socket, never a thread. Headers must arrive within
:data:`HEADER_TIMEOUT_MS`; idle keep-alive connections are kept without holding a thread. Why
this server rather than gunicorn or an ASGI one: ``docs/serving.md``.
"""

from __future__ import annotations

import os
import sys

__all__ = ["HEADER_TIMEOUT_MS", "THREADS", "manage", "migrate", "serve", "server_command", "setup"]

#: Python threads per worker that run Django (the views are synchronous).
THREADS = 8
#: A client that has not sent its whole request head within this time is disconnected.
HEADER_TIMEOUT_MS = 10_000
#: Connections waiting to be accepted (a burst of clients queues rather than being refused).
BACKLOG = 2048


def setup() -> None:
    """Configure Django with the platform's settings (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.web.settings")
    import django

    django.setup()


def migrate() -> None:
    """Create or update the database tables."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def server_command(host: str, port: int, *, workers: int = 2) -> list[str]:
    """Return the Granian command line that serves the platform."""
    return [
        sys.executable, "-m", "granian", "alliance.web.wsgi:application",
        "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(THREADS),
        "--http", "1", "--no-ws", "--backlog", str(BACKLOG),
        "--http1-header-read-timeout", str(HEADER_TIMEOUT_MS),
        "--respawn-failed-workers", "--workers-kill-timeout", "30", "--access-log",
    ]  # fmt: skip


def serve(host: str, port: int, *, workers: int = 2) -> None:
    """Apply migrations, then replace this process by Granian serving the site.

    A fresh process: the caller may have rendered charts (vl-convert's runtime does not survive
    a fork), and Granian then owns signals and workers.
    """
    setup()
    migrate()
    os.execv(sys.executable, server_command(host, port, workers=workers))


def manage(arguments: list[str]) -> None:
    """Run a Django management command (``alliance manage migrate``, ``createsuperuser``…)."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance manage", *arguments])
