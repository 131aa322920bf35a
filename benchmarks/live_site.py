"""The site served for real (``alliance serve``'s Granian command) on a throw-away database.

Shared by the reliability benchmark, the ``kill -9`` check and the end-to-end tests that need a
real server (slow clients, races between erasures and writes): a temporary data folder, SQLite in
it or a fresh PostgreSQL database made from ``DATABASE_URL``'s server, organisations seeded with
an owner each (and an API token), partners two by two in one partnership.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["Organisation", "Site", "call", "create_database", "drop_database", "free_port"]

ANSWERS = {"skills": 4, "engagement": 3, "strategic": 5}
SCORES = {"produit": {"performance": 4, "sens": 2}, "equilibre": {"clarte": 5}}


@dataclass(frozen=True)
class Organisation:
    """A seeded organisation: its key, its exact name, its owner's token, its partnership."""

    pk: int
    name: str
    token: str
    partnership: int


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def call(
    base: str, method: str, path: str, token: str = "", body: Any = None, timeout: float = 30
) -> tuple[int, bytes]:
    """Send one request; return its status and body (0 and the error when none came back).

    A server killed mid-answer cuts the body short (``IncompleteRead``): that is no answer too,
    so a load test counts it rather than losing the thread that sent it.
    """
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        return 0, str(error).encode()


@dataclass
class Site:
    """A live site: ``with Site(folder, organisations=8) as site:`` then ``site.base``."""

    folder: Path
    organisations: int = 8
    database_url: str | None = None
    workers: int = 2
    port: int = field(default_factory=free_port)
    seeded: list[Organisation] = field(default_factory=list)
    _server: subprocess.Popen[bytes] | None = None
    _database: str = ""

    @property
    def base(self) -> str:
        """The site's address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """The server's environment: its own data folder and database."""
        env = os.environ | {"ALLIANCE_DATA_DIR": str(self.folder)}
        env.pop("DATABASE_URL", None)
        if self._database:
            env["DATABASE_URL"] = self._database
        return env

    def __enter__(self) -> Site:
        if self.database_url:
            self._database = create_database(self.database_url)
        seeded = subprocess.run(
            [sys.executable, "-m", "benchmarks.live_site", "--seed", str(self.organisations)],
            env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        self.seeded = [Organisation(**o) for o in json.loads(seeded.stdout)]
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        if self.database_url and self._database:
            drop_database(self.database_url, self._database)

    def counts(self) -> dict[str, int]:
        """Count the rows in the site's database (read by a separate process)."""
        found = subprocess.run(
            [sys.executable, "-m", "benchmarks.live_site", "--counts"],
            env=self.env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        counted: dict[str, int] = json.loads(found.stdout)
        return counted

    def start(self) -> None:
        """Start the server (its own process group) and wait until it answers."""
        from alliance.web.server import server_command

        with (self.folder / "server.log").open("ab") as log:  # read it when something fails
            self._server = subprocess.Popen(
                server_command("127.0.0.1", self.port, workers=self.workers), env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while call(self.base, "GET", "/api/studies", timeout=5)[0] != 200:
            if time.monotonic() > deadline or self._server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)

    def kill(self) -> None:
        """Kill the server and its workers at once (``kill -9``): no clean shut-down at all."""
        if self._server is not None:
            os.killpg(self._server.pid, signal.SIGKILL)
            self._server.wait()
            self._server = None

    def stop(self) -> None:
        """Stop the server as an operator would (SIGTERM), killing it if it lingers."""
        if self._server is None:
            return
        os.killpg(self._server.pid, signal.SIGTERM)
        try:
            self._server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self._server = None


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def create_database(url: str) -> str:
    """Create a fresh database on ``url``'s server; return its URL."""
    name = f"alliance_live_{secrets.token_hex(4)}"
    _admin(url, f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str, database: str) -> None:
    """Drop the site's database, waiting out a server process (autovacuum) still in it.

    ``WITH (FORCE)`` ends the site's own sessions, but our role may not end the server's
    background workers: such a one is waited for, a few times, then the error is raised.
    """
    import psycopg

    for attempt in range(20):
        try:
            _admin(url, f"DROP DATABASE IF EXISTS {database.rsplit('/', 1)[1]} WITH (FORCE)")
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == 19:
                raise
            time.sleep(0.5)


def seed(count: int) -> list[dict[str, Any]]:
    """Migrate, then create ``count`` organisations, partners two by two (in the server's env)."""
    from alliance.web.server import migrate, setup

    setup()
    migrate()
    from alliance.web.accounts.models import ApiToken, User
    from alliance.web.organisations.models import Membership
    from alliance.web.organisations.models import Organisation as Model
    from alliance.web.partnerships import actions
    from alliance.web.partnerships.models import Side

    seeded: list[dict[str, Any]] = []
    for index in range(count):
        name = f"Organisation {index} (fictive)"
        organisation = Model.objects.create(name=name, profile="associations", synthetic=True)
        user = User.objects.create_user(f"owner{index}@live.invalid", None)  # API tokens only
        Membership.objects.create(user=user, organisation=organisation, role="owner")
        if index % 2 == 0:
            partnership = actions.start(organisation, f"Partenariat {index // 2}").pk
        else:
            partnership = seeded[-1]["partnership"]
            Side.objects.create(partnership_id=partnership, organisation=organisation)
        seeded.append(
            {"pk": organisation.pk, "name": name, "token": ApiToken.issue(user),
             "partnership": partnership}
        )  # fmt: skip
    return seeded


def counts() -> dict[str, int]:
    """Count the rows of each kind, and the partnerships left with no partner (should be 0)."""
    from alliance.web.server import setup

    setup()
    from alliance.web.organisations.models import Organisation as Model
    from alliance.web.partnerships.models import Evaluation, Partnership, Side

    return {
        "organisations": Model.objects.count(),
        "partnerships": Partnership.objects.count(),
        "sides": Side.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "orphans": Partnership.objects.filter(sides__isnull=True).count(),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.live_site")
    parser.add_argument("--seed", type=int, help="create this many organisations")
    parser.add_argument("--counts", action="store_true", help="count the rows of each kind")
    arguments = parser.parse_args()
    print(json.dumps(counts() if arguments.counts else seed(arguments.seed)))
