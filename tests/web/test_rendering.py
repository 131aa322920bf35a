"""PDF reports rendered a few at a time: the others wait a bounded time or get 503 at once."""

from __future__ import annotations

import json
import threading

import pytest
from django.test import RequestFactory

from alliance.web import rendering
from alliance.web.rendering import RenderBusyError, RenderGate, pdf_response
from tests.web.conftest import bearer, logged_in

pytestmark = pytest.mark.integration


def test_a_gate_lets_its_renders_through_and_refuses_the_next():
    gate = RenderGate(renders=2, waiting=0, wait=0)

    with gate.slot(), gate.slot(), pytest.raises(RenderBusyError), gate.slot():
        pass
    with gate.slot():  # every slot was given back
        pass


def test_a_queued_render_waits_its_turn():
    gate = RenderGate(renders=1, waiting=1, wait=10)
    first_in, release, served = threading.Event(), threading.Event(), []

    def first() -> None:
        with gate.slot():
            first_in.set()
            release.wait()

    def queued() -> None:
        with gate.slot():
            served.append("queued")

    holder = threading.Thread(target=first)
    holder.start()
    first_in.wait()
    waiter = threading.Thread(target=queued)
    waiter.start()
    while gate._admitted._value:  # the queued render has taken its place in the queue
        threading.Event().wait(0.01)
    with pytest.raises(RenderBusyError), gate.slot():  # one rendering, one queued: the third
        pass
    release.set()
    holder.join()
    waiter.join()
    assert served == ["queued"]


def test_a_queued_render_gives_up_after_the_wait():
    gate = RenderGate(renders=1, waiting=1, wait=0.05)

    with gate.slot(), pytest.raises(RenderBusyError), gate.slot():
        pass


def test_a_busy_gate_answers_503_with_retry_after(monkeypatch):
    gate = RenderGate(renders=1, waiting=0, wait=0)
    monkeypatch.setattr(rendering, "GATE", gate)
    request = RequestFactory().get("/organisations/1/diagnostic.pdf")

    with gate.slot():
        busy = pdf_response(request, lambda: b"%PDF")
    done = pdf_response(request, lambda: b"%PDF", "report.pdf")

    assert busy.status_code == 503
    assert busy["Retry-After"] == str(rendering.RETRY_AFTER)
    assert busy.content.decode().splitlines() == [
        "Trop de rapports PDF en cours de production : réessayez dans 5 s",
        "Too many PDF reports are being produced: try again in 5 s",
    ]
    assert done.content == b"%PDF"
    assert done["Content-Disposition"] == 'attachment; filename="report.pdf"'


def test_the_apis_pdf_rendered_during_the_request_goes_through_the_gate(
    monkeypatch, people, organisation
):
    """The API's GET lays out a report not produced yet; pages queue a job instead."""
    gate = RenderGate(renders=1, waiting=0, wait=0)
    monkeypatch.setattr(rendering, "GATE", gate)
    viewer = logged_in(people["viewer"])
    url = f"/api/organisations/{organisation.pk}/diagnostic/report.pdf"

    with gate.slot():
        page = viewer.get(f"/organisations/{organisation.pk}/diagnostic.pdf")
        api = viewer.get(url, headers=bearer(people["viewer"]))
    rendered = viewer.get(url, headers=bearer(people["viewer"]))

    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert api.status_code == 503
    assert json.loads(api.content)["key"] == "serving.busy"
    assert rendered.status_code == 200
    assert rendered.content.startswith(b"%PDF")
