"""Starting the platform: Django set up, migrations applied, Granian serving with WhiteNoise.

Granian (a Rust HTTP server) reads and parses every connection on its own asynchronous runtime and
hands a request to one of the Python threads only once its headers and body have fully arrived:
a slow or idle client costs a socket, never a thread. Headers must arrive within
:data:`HEADER_TIMEOUT_MS`; idle keep-alive connections are kept without holding a thread. Why
this server rather than gunicorn or an ASGI one: ``docs/serving.md``.

Beside Granian, ``alliance serve`` starts one job worker (``alliance worker``), so the embedded
default runs its background jobs with no other command; both are children of ``serve``, which
forwards SIGTERM and SIGINT to them, stops the other when one ends, and takes them down with it
(``PR_SET_PDEATHSIG`` on Linux) if it is killed. With PostgreSQL in production, run ``serve
--no-worker`` and as many ``alliance worker`` processes as needed, on any machine
(``docs/jobs.md``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from types import FrameType

__all__ = [
    "HEADER_TIMEOUT_MS", "THREADS", "manage", "migrate", "serve", "server_command", "setup",
    "supervise", "work", "worker_command",
]  # fmt: skip

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


def worker_command() -> list[str]:
    """Return the command line of the job worker that ``alliance serve`` starts beside Granian."""
    return [sys.executable, "-m", "alliance", "worker"]


#: Seconds between two looks at the children while supervising them.
POLL_SECONDS = 0.2
#: Linux's ``prctl`` option that sends a signal to a process when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Ask Linux to send SIGTERM to this (child) process when its parent dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def supervise(commands: list[list[str]]) -> int:
    """Run ``commands`` as children until one ends or a signal comes; return the exit code.

    SIGTERM and SIGINT are passed on to the children as SIGTERM, once (the job worker takes a
    second signal as an order to abandon its job); the children run in their own process group,
    so a Ctrl+C in the terminal reaches them only through here. When a child ends, the others are
    stopped the same way. The code is the first child's to end, or 0 when stopped by a signal.
    """
    children = [
        subprocess.Popen(command, preexec_fn=_die_with_parent, process_group=0)
        for command in commands
    ]
    stopping = False

    def stop(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while all(child.poll() is None for child in children):
            time.sleep(POLL_SECONDS)
        first = next(child for child in children if child.returncode is not None)
        signalled = stopping
        stop()
        for child in children:
            child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if signalled else first.returncode


def serve(host: str, port: int, *, workers: int = 2, worker: bool = True) -> None:
    """Apply migrations, then serve the site with Granian and, unless told not to, a job worker.

    Fresh processes: the caller may have rendered charts (vl-convert's runtime does not survive
    a fork), and Granian then owns its own signals and workers. Without a job worker this
    process is replaced by Granian.
    """
    setup()
    migrate()
    command = server_command(host, port, workers=workers)
    if not worker:
        os.execv(sys.executable, command)
    sys.exit(supervise([command, worker_command()]))


def work(*, worker_id: str = "", interval: float = 1.0, once: bool = False) -> None:
    """Run a job worker in this process until SIGTERM or SIGINT (``once``: until none is left).

    It applies no migration (``alliance serve`` or ``alliance manage migrate`` do): workers on
    other machines start against a database someone else keeps up to date.
    """
    setup()
    import logging
    import socket

    from alliance.web.jobs.worker import JobWorker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # django-tasks-db says « Starting worker » at each of the worker's rounds: only its warnings.
    logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
    name = worker_id or f"{socket.gethostname()}-{os.getpid()}"
    job_worker = JobWorker(worker_id=name[:64], interval=interval, once=once, delay=not once)
    job_worker.configure_signals()
    job_worker.run()


def manage(arguments: list[str]) -> None:
    """Run a Django management command (``alliance manage migrate``, ``createsuperuser``…)."""
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alliance manage", *arguments])
