"""Password reset by e-mail: the link arrives, and the new password logs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.web.conftest import logs_in

pytestmark = pytest.mark.integration


def test_reset_link_sets_a_new_password(people):
    client = Client()

    response = client.post("/accounts/password-reset/", {"email": "viewer@demo.invalid"})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["viewer@demo.invalid"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = "un-nouveau-mot-de-passe-7"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "Mot de passe enregistré" in done.content.decode()
    assert logs_in("viewer@demo.invalid", new)


def test_unknown_address_gets_the_same_answer_and_no_mail(db):
    response = Client().post("/accounts/password-reset/", {"email": "personne@demo.invalid"})

    assert response.status_code == 302
    assert mail.outbox == []
