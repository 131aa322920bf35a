"""PDF reports rendered a few at a time, so that they never take every server thread.

WeasyPrint takes from a fraction of a second to seconds of CPU per report, in one of the server's
Python threads (:data:`alliance.web.server.THREADS` per worker). A burst of downloads would hold
them all and stall every other page. Each worker therefore renders at most :data:`RENDERS`
reports at once; up to :data:`WAITING` more wait their turn for at most :data:`WAIT_SECONDS`; any
other request for a report is answered at once with 503 and ``Retry-After``, in both languages.
At most ``RENDERS + WAITING`` threads of a worker are thus ever busy with reports. Pages queue
reports as background jobs instead (:mod:`alliance.web.partnerships.reports`); the API's GET of
a report not produced yet is what still renders here.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

from alliance.messages import render

__all__ = ["GATE", "RENDERS", "RETRY_AFTER", "RenderBusyError", "RenderGate", "pdf_response"]

RENDERS = 2
WAITING = 2
WAIT_SECONDS = 5.0
#: Seconds a client refused with 503 is told to wait before trying again.
RETRY_AFTER = 5


class RenderBusyError(Exception):
    """Every render slot is taken, and so is every place in the queue (or the wait ran out)."""


@dataclass
class RenderGate:
    """At most ``renders`` at once, ``waiting`` more queued for ``wait`` seconds, others refused."""

    renders: int
    waiting: int
    wait: float
    _running: threading.Semaphore = field(init=False)
    _admitted: threading.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._running = threading.BoundedSemaphore(self.renders)
        self._admitted = threading.BoundedSemaphore(self.renders + self.waiting)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a render slot for the block; raise :class:`RenderBusyError` if none comes soon."""
        if not self._admitted.acquire(blocking=False):
            raise RenderBusyError
        try:
            if not self._running.acquire(timeout=self.wait):
                raise RenderBusyError
            try:
                yield
            finally:
                self._running.release()
        finally:
            self._admitted.release()


#: The worker's gate for every PDF the site renders.
GATE = RenderGate(RENDERS, WAITING, WAIT_SECONDS)


def pdf_response(
    request: HttpRequest, build: Callable[[], bytes], filename: str | None = None
) -> HttpResponse:
    """Render ``build()`` through the gate: the PDF, or 503 with ``Retry-After`` when busy."""
    try:
        with GATE.slot():
            pdf = build()
    except RenderBusyError:
        return _busy(request)
    response = HttpResponse(pdf, content_type="application/pdf")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _busy(request: HttpRequest) -> HttpResponse:
    messages = {lang: render("serving.busy", lang, seconds=RETRY_AFTER) for lang in ("fr", "en")}
    status = HTTPStatus.SERVICE_UNAVAILABLE
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = {"detail": messages["en"], "key": "serving.busy", "messages": messages}
        response = JsonResponse(body, status=status)
    else:
        text = f"{messages['fr']}\n{messages['en']}\n"
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    return response
