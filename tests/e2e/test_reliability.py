"""The real server (``alliance serve``'s Granian command) under slow clients, races and kill -9.

Each test starts the site in its own process on a throw-away database
(:mod:`benchmarks.live_site`): SQLite, and PostgreSQL too when ``DATABASE_URL`` is set.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from benchmarks import kill_test, races
from benchmarks.live_site import Site, call

from tests.live_databases import DATABASES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=DATABASES)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """One site per database for the module's tests, in order: the erasures come last."""
    folder = tmp_path_factory.mktemp("site")
    with Site(folder, organisations=8, database_url=request.param) as live:
        yield live


def trickle(port: int, stop: threading.Event, opened: list[socket.socket]) -> None:
    """A slow client: a request head sent one header every 2 s, never finished."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        opened.append(connection)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        for index in range(4):
            if stop.wait(2):
                return
            try:
                connection.sendall(f"X-Slow-{index}: yes\r\n".encode())
            except OSError:  # the server closed it: what it should do, in time
                return


def test_64_slow_clients_do_not_slow_the_site_down(site: Site):
    if site.database_url:
        pytest.skip("the server is under test here, not the database: once is enough")
    for _ in range(10):  # every worker has loaded the page's code and data once
        assert call(site.base, "GET", "/referential/")[0] == 200
    stop, opened = threading.Event(), list[socket.socket]()
    slow = [threading.Thread(target=trickle, args=(site.port, stop, opened)) for _ in range(64)]
    for thread in slow:
        thread.start()
    time.sleep(1)
    try:
        assert len(opened) == 64
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            status, _ = call(site.base, "GET", "/referential/", timeout=10)
            timings.append(time.perf_counter() - started)
            assert status == 200
        assert max(timings) < 1.0, timings
    finally:
        stop.set()
        for thread in slow:
            thread.join()


def test_every_acknowledged_write_survives_kill_9(site: Site):
    outcome = kill_test.run(site, seconds=3)

    assert outcome.acknowledged > 0
    assert outcome.lost == 0


def test_erasures_racing_writes_leave_nothing_orphaned_and_no_500(site: Site):
    """Both partners of each partnership erase at once while each of them keeps writing."""
    outcome = races.run(site, rounds=15)

    assert outcome.erasures == {200: len(site.seeded)}
    assert set(outcome.writes) <= {200, 201, 404, 409}, outcome.writes
    assert outcome.left == {
        "organisations": 0, "partnerships": 0, "sides": 0, "evaluations": 0, "orphans": 0,
    }  # fmt: skip
    assert outcome.correct
