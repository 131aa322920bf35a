"""Account self-service: sign up and confirm by e-mail, « mon compte », tokens, password change."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import Client

from alliance.web.accounts.models import ApiToken, User
from alliance.web.accounts.views import signup_tokens
from tests.web.conftest import PASSWORD, logged_in, logs_in

pytestmark = pytest.mark.integration

NEW = "un-jardin-partage-2026"


def sign_up(client: Client, email: str = "camille@demo.invalid", query: str = "", **fields):
    data = {"email": email, "password1": NEW, "password2": NEW, "first_name": "Camille"}
    return client.post(f"/accounts/signup/{query}", data | fields)


def confirmation_link(message) -> str:
    found = re.search(r"http://testserver(/accounts/signup/confirm/\S+)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def test_signup_page_prefills_the_invited_email(db):
    response = Client().get("/accounts/signup/?email=invitee@demo.invalid&next=/invitations/abc/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="invitee@demo.invalid"' in page
    assert '<input type="hidden" name="next" value="/invitations/abc/">' in page
    assert "<h1>Créer un compte</h1>" in page


def test_signup_in_english(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/signup/").content.decode()

    assert "<h1>Sign up</h1>" in page
    assert "Create my account" in page


def test_signup_then_confirmation_then_login(db):
    client = Client()

    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    person = User.objects.get(email="camille@demo.invalid")
    assert not person.is_active
    assert person.first_name == "Camille"
    assert not logs_in("camille@demo.invalid", NEW)  # nothing until the link is opened
    (message,) = mail.outbox
    assert message.to == ["camille@demo.invalid"]
    assert message.subject == "Confirmez votre adresse e-mail"
    link = confirmation_link(message)
    form = client.get(link)
    assert form.status_code == 200
    assert "camille@demo.invalid" in form.content.decode()
    assert not User.objects.get(pk=person.pk).is_active  # opening the link alone is not enough

    confirmed = client.post(link, {"password": NEW})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/accounts/"
    assert User.objects.get(pk=person.pk).is_active
    assert client.get("/accounts/").status_code == 200  # logged in by the confirmation
    assert logs_in("camille@demo.invalid", NEW)


def test_confirmation_leads_to_next(db):
    client = Client()
    sign_up(client, query="?next=/invitations/abc/")
    link = confirmation_link(mail.outbox[0])
    assert link.endswith("?next=%2Finvitations%2Fabc%2F")

    confirmed = client.post(link, {"password": NEW})

    assert confirmed["Location"] == "/invitations/abc/"


def test_confirmation_refuses_to_lead_elsewhere(db):
    client = Client()
    sign_up(client, query="?next=https://evil.example/")

    confirmed = client.post(confirmation_link(mail.outbox[0]), {"password": NEW})

    assert confirmed["Location"] == "/accounts/"


def test_confirmation_needs_the_chosen_password(db):
    client = Client()
    sign_up(client)
    link = confirmation_link(mail.outbox[0])

    response = client.post(link, {"password": "pas-le-bon"})

    assert response.status_code == 200
    assert "Mot de passe incorrect." in response.content.decode()
    assert not User.objects.get(email="camille@demo.invalid").is_active


def test_a_used_link_is_dead(db):
    client = Client()
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    client.post(link, {"password": NEW})

    again = Client().post(link, {"password": NEW})

    assert again.status_code == 400
    assert "Ce lien n'est plus valable" in unescape(again.content.decode())


def test_a_link_expires(db, monkeypatch, settings):
    client = Client()
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    now = signup_tokens._now()
    later = now + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)

    monkeypatch.setattr(signup_tokens, "_now", lambda: later)

    assert client.post(link, {"password": NEW}).status_code == 400
    assert not User.objects.get(email="camille@demo.invalid").is_active


def test_a_forged_link_is_refused(db):
    sign_up(Client())
    person = User.objects.get(email="camille@demo.invalid")

    for path in (
        "/accounts/signup/confirm/MQ/c4b1fx-0123456789abcdef/",
        "/accounts/signup/confirm/%%%/x/",
        f"/accounts/signup/confirm/{person.pk}/abc-def/",
    ):
        assert Client().get(path).status_code == 400


def test_signing_up_again_replaces_the_password_and_kills_older_links(db):
    client = Client()
    sign_up(client)
    first = confirmation_link(mail.outbox[0])
    other = "un-autre-jardin-2027"

    sign_up(client, password1=other, password2=other)

    assert client.post(first, {"password": NEW}).status_code == 400
    second = confirmation_link(mail.outbox[1])
    assert client.post(second, {"password": other}).status_code == 302


def test_a_known_email_gets_the_same_answer_and_a_mail(people):
    response = sign_up(Client(), email="owner@demo.invalid")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    (message,) = mail.outbox
    assert message.subject == "Vous avez déjà un compte"
    assert "http://testserver/accounts/password-reset/" in message.body
    assert User.objects.get(email="owner@demo.invalid").check_password(PASSWORD)


def test_a_known_email_signing_up_from_an_invitation_is_led_back_to_it_after_login(people):
    sign_up(Client(), email="owner@demo.invalid", query="?next=/invitations/abc/")

    (message,) = mail.outbox
    assert "http://testserver/accounts/login/?next=%2Finvitations%2Fabc%2F" in message.body


def test_a_known_email_is_never_led_off_the_site(people):
    sign_up(Client(), email="owner@demo.invalid", query="?next=https://evil.invalid/")

    (message,) = mail.outbox
    assert "http://testserver/accounts/login/?next=%2Faccounts%2F" in message.body


def test_signup_refuses_a_password_like_the_email(db):
    response = sign_up(Client(), email="entreprise@demo.invalid", password1="entreprisedemo",
                       password2="entreprisedemo")  # fmt: skip

    assert response.status_code == 200
    assert "trop semblable" in response.content.decode()
    assert not User.objects.filter(email="entreprise@demo.invalid").exists()


def test_signup_requests_are_limited(db):
    for number in range(5):
        sign_up(Client(), email=f"p{number}@demo.invalid")

    refused = sign_up(Client(), email="p9@demo.invalid")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert len(mail.outbox) == 5


def test_the_signup_sent_page(db):
    page = Client().get("/accounts/signup/sent/").content.decode()

    assert "<h1>Vérifiez votre messagerie</h1>" in page


# « Mon compte »


def test_the_account_page_needs_a_login(db):
    response = Client().get("/accounts/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_the_account_page_shows_the_person_and_their_tokens(people):
    ApiToken.issue(people["owner"], "notebook")
    ApiToken.issue(people["editor"], "le sien")

    page = logged_in(people["owner"]).get("/accounts/").content.decode()

    assert "<strong>owner@demo.invalid</strong>" in page
    assert "<td>notebook</td>" in page
    assert "le sien" not in page
    assert 'href="/accounts/password-change/"' in page
    assert 'href="/organisations/"' in page


def test_the_profile_is_saved_and_the_language_follows(people):
    client = logged_in(people["owner"])

    response = client.post(
        "/accounts/", {"first_name": "Olga", "last_name": "Owen", "language": "en"}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    owner = User.objects.get(pk=people["owner"].pk)
    assert (owner.first_name, owner.last_name, owner.language) == ("Olga", "Owen", "en")
    assert "<h1>My account</h1>" in client.get("/accounts/").content.decode()


def test_a_token_made_on_the_page_is_shown_once_and_works(people):
    client = logged_in(people["owner"])

    page = client.post("/accounts/", {"name": "tableur", "days": "7", "password": PASSWORD})

    assert page.status_code == 200
    token = re.search(r'<code id="new-token"[^>]*>([^<]+)</code>', page.content.decode())
    assert token is not None
    assert ApiToken.user_for(token.group(1)) == people["owner"]
    assert "tableur" in page.content.decode()
    assert 'id="new-token"' not in client.get("/accounts/").content.decode()


def test_a_token_on_the_page_needs_the_password(people):
    page = logged_in(people["owner"]).post(
        "/accounts/", {"name": "tableur", "days": "7", "password": "faux"}
    )

    assert page.status_code == 200
    assert "Mot de passe incorrect." in page.content.decode()
    assert ApiToken.objects.count() == 0


def test_the_cap_is_explained_on_the_page(people, settings):
    settings.ALLIANCE_TOKENS_PER_PERSON = 1
    ApiToken.issue(people["owner"], "un")

    page = logged_in(people["owner"]).post(
        "/accounts/", {"name": "deux", "days": "7", "password": PASSWORD}
    )

    assert "Vous avez déjà 1 jetons" in unescape(page.content.decode())


def test_revoke_a_token_from_the_page(people):
    record, token = ApiToken.mint(people["owner"], "notebook")

    response = logged_in(people["owner"]).post(f"/accounts/tokens/{record.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert ApiToken.user_for(token) is None


def test_another_persons_token_cannot_be_revoked_from_the_page(people):
    record, token = ApiToken.mint(people["editor"], "le sien")

    response = logged_in(people["owner"]).post(f"/accounts/tokens/{record.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.user_for(token) == people["editor"]


def test_revoking_needs_a_post(people):
    record, _ = ApiToken.mint(people["owner"], "notebook")

    assert (
        logged_in(people["owner"]).get(f"/accounts/tokens/{record.pk}/revoke/").status_code == 405
    )


def test_logging_out_revokes_the_tokens_made_on_the_page(people):
    client = Client()
    client.post("/accounts/login/", {"username": "owner@demo.invalid", "password": PASSWORD})
    client.post("/accounts/", {"name": "tableur", "days": "7", "password": PASSWORD})
    script = ApiToken.issue(people["owner"], "script")
    assert ApiToken.objects.filter(user=people["owner"]).count() == 2

    client.post("/accounts/logout/")

    assert [t.name for t in ApiToken.objects.filter(user=people["owner"])] == ["script"]
    assert ApiToken.user_for(script) == people["owner"]


# Password change and reset


def test_changing_the_password_revokes_tokens_and_keeps_the_session(people):
    client = Client()
    client.post("/accounts/login/", {"username": "owner@demo.invalid", "password": PASSWORD})
    token = ApiToken.issue(people["owner"], "script")

    response = client.post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-change/done/"
    assert ApiToken.user_for(token) is None
    assert client.get("/accounts/").status_code == 200
    assert logs_in("owner@demo.invalid", NEW)


def test_the_password_change_page(people):
    page = logged_in(people["owner"]).get("/accounts/password-change/").content.decode()

    assert "<h1>Changer de mot de passe</h1>" in page
    assert "Vos jetons d'API seront révoqués" in page


def test_a_password_change_refuses_a_password_like_the_email(people):
    weak = "ownerdemo"
    response = logged_in(people["owner"]).post(
        "/accounts/password-change/",
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )

    assert response.status_code == 200
    assert User.objects.get(pk=people["owner"].pk).check_password(PASSWORD)


def test_a_password_reset_revokes_tokens(people):
    token = ApiToken.issue(people["viewer"])
    client = Client()
    client.post("/accounts/password-reset/", {"email": "viewer@demo.invalid"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form = client.get(link.group(1), follow=True)

    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert ApiToken.user_for(token) is None
    assert logs_in("viewer@demo.invalid", NEW)


def test_an_unconfirmed_account_gets_no_reset_link(db):
    sign_up(Client())
    mail.outbox.clear()

    response = Client().post("/accounts/password-reset/", {"email": "camille@demo.invalid"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_logging_in_shows_the_site_in_the_language_saved_in_the_account(db):
    User.objects.create_user("anglophone@demo.invalid", PASSWORD, language="en")
    client = Client()

    answer = client.post(
        "/accounts/login/", {"username": "anglophone@demo.invalid", "password": PASSWORD}
    )

    assert answer.status_code == 302
    assert answer.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/").content.decode()


def test_a_failed_login_sets_no_language(db):
    User.objects.create_user("anglophone@demo.invalid", PASSWORD, language="en")

    answer = Client().post(
        "/accounts/login/", {"username": "anglophone@demo.invalid", "password": "wrong-one-123"}
    )

    assert answer.status_code == 200
    assert "django_language" not in answer.cookies
