"""Account self-service pages: sign up with a confirmation e-mail, « mon compte », tokens.

A sign-up makes an inactive account: nothing can be done with it until the signed, expiring link
sent to the address is opened and confirmed with the password chosen (so mail scanners that open
links confirm nothing, and someone who signed up first with another's address cannot have that
person activate an account whose password they know). Signing up again before confirming sets
the password anew and kills earlier links. Asking to sign up with a known e-mail gets the same
answer, and a mail to that address, so the form does not tell who has an account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.errors import AllianceError
from alliance.web.accounts.forms import ProfileForm, SignupForm, TokenForm
from alliance.web.accounts.limits import mail_requests_exceeded
from alliance.web.accounts.lockout import too_many
from alliance.web.accounts.models import ApiToken, User
from alliance.web.language import current_lang
from alliance.web.permissions import own_tokens

__all__ = [
    "LoginView", "PasswordResetView", "account_page", "confirm_page", "revoke_token", "signup_page",
    "signup_sent_page",
]  # fmt: skip


class LoginView(auth.LoginView):
    """Django's log-in page, which then shows the site in the language saved in the account.

    The language is a cookie (Django's ``LocaleMiddleware`` reads it); the account's choice, made
    in « mon compte », follows the person to any browser they log in from.
    """

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log in, then set the language cookie to the account's language."""
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Confirmation links: signed, expiring with ``PASSWORD_RESET_TIMEOUT``, dead once used.

    The hash covers whether the account is active and when it last logged in, so a link stops
    working once opened and cannot reactivate an account the observatory closed.
    """

    key_salt = "alliance.web.accounts.signup"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        login_at = "" if user.last_login is None else user.last_login.replace(microsecond=0)
        return f"{user.pk}{user.is_active}{user.password}{login_at}{timestamp}{user.email}"


signup_tokens = SignupTokenGenerator()


def safe_next(request: HttpRequest, target: str) -> str:
    """``target`` if it stays on this site, else the account page."""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else reverse("account")


def _mail(request: HttpRequest, to: str, subject: str, template: str, **context: object) -> None:
    context |= {"protocol": request.scheme, "domain": request.get_host()}
    body = render_to_string(template, context, request=request)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def signup_page(request: HttpRequest) -> HttpResponse:
    """Sign up; ``?email=`` pre-fills the address, ``?next=`` is where confirming leads."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if request.method != "POST":
        form = SignupForm(initial={"email": request.GET.get("email", "")})
        return render(request, "registration/signup.html", {"form": form, "next": target})
    form = SignupForm(request.POST)
    if not form.is_valid():
        return render(request, "registration/signup.html", {"form": form, "next": target})
    email = User.objects.normalize_email(form.cleaned_data["email"])
    if mail_requests_exceeded(request, email):
        window = settings.ALLIANCE_MAIL_REQUESTS_WINDOW
        return too_many(request, "account.too_many_requests", int(window.total_seconds()))
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        try:
            with transaction.atomic():
                person = User.objects.create_user(
                    email,
                    form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    language=current_lang(),
                    is_active=False,
                )
        except IntegrityError:  # the same address signed up at the same moment
            person = User.objects.get(email=email)
    elif not person.is_active and person.last_login is None:
        person.set_password(form.cleaned_data["password1"])
        person.save()
    if person.is_active or person.last_login is not None:
        subject = _("Vous avez déjà un compte")
        login = f"{reverse('login')}?{urlencode({'next': safe_next(request, target)})}"
        _mail(request, person.email, subject, "registration/signup_known_email.html", login=login)
    else:
        link = reverse(
            "signup_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                "token": signup_tokens.make_token(person),
            },
        )
        if target:
            link += "?" + urlencode({"next": target})
        subject = _("Confirmez votre adresse e-mail")
        _mail(request, person.email, subject, "registration/signup_email.html", link=link)
    return redirect("signup_sent")


def signup_sent_page(request: HttpRequest) -> HttpResponse:
    """Tell the person to open the link sent to them."""
    return render(request, "registration/signup_sent.html")


def _signed_up(uidb64: str, token: str) -> User | None:
    """Return the unconfirmed person a confirmation link names, if it is genuine and recent."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    person = User.objects.filter(pk=pk, is_active=False).first()
    return person if person and signup_tokens.check_token(person, token) else None


def confirm_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Confirm the address with the password chosen: the account opens, its owner logged in."""
    person = _signed_up(uidb64, token)
    if person is None:
        return render(request, "registration/signup_confirm.html", {"valid": False}, status=400)
    target = request.POST.get("next") or request.GET.get("next", "")
    context: dict[str, object] = {"valid": True, "email": person.email, "next": target}
    if request.method == "POST":
        if person.check_password(request.POST.get("password", "")):
            person.is_active = True
            person.save(update_fields=["is_active"])
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request, target))
        context["wrong_password"] = True
    return render(request, "registration/signup_confirm.html", context)


@login_required
def account_page(request: HttpRequest) -> HttpResponse:
    """« Mon compte »: e-mail, names and language, API tokens, links to the rest.

    A POST with ``password`` makes a token (shown this once, tied to this session: logging out
    revokes it); any other POST saves the profile and switches the pages to its language.
    """
    person: User = request.user  # type: ignore[assignment]
    profile, token_form = ProfileForm(instance=person), TokenForm()
    new_token = ""
    if request.method == "POST" and "password" in request.POST:
        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            data = token_form.cleaned_data
            if not person.check_password(data["password"]):
                token_form.add_error("password", _("Mot de passe incorrect."))
            else:
                try:
                    session = request.session.session_key
                    new_token = ApiToken.mint(person, data["name"], data["days"], session)[1]
                    token_form = TokenForm()
                except AllianceError as error:
                    token_form.add_error(None, error.message(current_lang()))
    elif request.method == "POST":
        profile = ProfileForm(request.POST, instance=person)
        if profile.is_valid():
            profile.save()
            response = redirect("account")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, person.language, samesite="Lax")
            return response
    context = {
        "profile": profile,
        "token_form": token_form,
        "new_token": new_token,
        "tokens": ApiToken.live(person),
    }
    return render(request, "registration/account.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's tokens (another person's answers 404)."""
    get_object_or_404(own_tokens(request.user), pk=pk).delete()
    return redirect("account")


class PasswordResetView(auth.PasswordResetView):
    """Django's reset form, limited per address and e-mail since each request sends a mail."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        """Send the link, unless this address or e-mail asked too often: then 429."""
        if mail_requests_exceeded(self.request, form.cleaned_data["email"]):
            window = settings.ALLIANCE_MAIL_REQUESTS_WINDOW
            return too_many(self.request, "account.too_many_requests", int(window.total_seconds()))
        return super().form_valid(form)
