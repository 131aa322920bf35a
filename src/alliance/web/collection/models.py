"""A collection, its responses and its invitations, kept so that answers never name a person.

- :class:`Collection`: a study's questionnaire (copied when the collection is created, so the
  form does not change under respondents) attached to a new wave of one of its populations;
  answered through an anonymous link, personal invitations or both; open until an analyst closes
  it, which writes the wave.
- :class:`Response`: one respondent's answers, saved screen by screen. Its ``key`` is an HMAC of
  the respondent's token (the anonymous resume token or the invitation's token) under
  ``ALLIANCE_COLLECTION_KEY``, a secret kept apart from the database: a response has no link to
  an invitation, and the database alone cannot join them (an invitation keeps only the SHA-256 of
  its token).
- :class:`CollectionInvitation`: a personal link sent by e-mail, one answer each; ``used`` is a
  flag without a date, so the time of an answer does not point at an address either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.survey.questionnaire.model import Questionnaire
from alliance.web.organisations.models import digest_of as token_digest
from alliance.web.organisations.models import invitation_expiry
from alliance.web.results.models import Study

__all__ = ["Collection", "CollectionInvitation", "Response", "response_key", "token_digest"]

#: The privacy notice shown before the first question, until the analyst writes their own.
DEFAULT_NOTICE = {
    "fr": (
        "L'Observatoire des alliances recueille vos réponses à ce questionnaire pour l'étude "
        "« {study} ». Elles servent uniquement à produire des résultats statistiques agrégés : "
        "aucun résultat ne permet de vous reconnaître. Vos réponses sont conservées séparément de "
        "votre adresse e-mail si vous avez reçu une invitation. Tant que l'enquête est ouverte, "
        "vous pouvez effacer vos réponses depuis le questionnaire."
    ),
    "en": (
        "Alliance Observatory collects your answers to this questionnaire for the study "
        "“{study}”. They are used only to produce aggregate statistics: no result can identify "
        "you. Your answers are kept apart from your e-mail address if you received an "
        "invitation. While the survey is open, you can erase your answers from the questionnaire."
    ),
}


def response_key(token: str) -> str:
    """Return what a response keeps of its respondent's token: an HMAC under a secret."""
    secret = settings.ALLIANCE_COLLECTION_KEY.encode()
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def _public_code() -> str:
    return secrets.token_urlsafe(9)


class Collection(models.Model):
    """A questionnaire answered on the platform for a new wave of a study's population."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="collections")
    population = models.CharField(_("population"), max_length=64)
    wave = models.CharField(_("vague"), max_length=64)
    #: The questionnaire's path in the study folder, and its content when the collection began.
    questionnaire_path = models.CharField(_("questionnaire"), max_length=300)
    questionnaire = models.JSONField()
    #: The population's margins when the collection was created (the quotas), if it has some.
    margins = models.JSONField(null=True, blank=True)
    #: The address of the anonymous link, ``/collect/<public_code>/``.
    public_code = models.CharField(max_length=32, unique=True, default=_public_code)
    anonymous = models.BooleanField(_("lien anonyme"), default=True)
    invitations = models.BooleanField(_("invitations personnelles"), default=False)
    #: How many complete responses are wanted: the quotas are this number × the margins' shares.
    goal = models.PositiveIntegerField(_("réponses visées"), default=100)
    notice_fr = models.TextField(_("notice de confidentialité (français)"))
    notice_en = models.TextField(_("notice de confidentialité (anglais)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    #: The wave's file written on closing (its path in the study folder).
    wave_file = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("study", "-created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "population", "wave"], name="one_collection_per_wave"
            )
        ]
        verbose_name = _("collecte")

    def __str__(self) -> str:
        return f"{self.study.code}:{self.population}:{self.wave}"

    @property
    def is_open(self) -> bool:
        """Whether respondents may still answer (and erase their answers)."""
        return self.closed_at is None

    def form(self) -> Questionnaire:
        """Return the questionnaire as it was when the collection was created.

        Validated once per loaded collection: the copy never changes, and a request asks for it
        several times (the screen, its item, the progress).
        """
        return self._form

    @cached_property
    def _form(self) -> Questionnaire:
        return Questionnaire.model_validate(self.questionnaire)

    def notice(self, lang: str) -> str:
        """Return the privacy notice in ``lang``."""
        return self.notice_en if lang == "en" else self.notice_fr


class Response(models.Model):
    """One respondent's answers, saved screen by screen; nothing in it names the respondent."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="responses")
    #: :func:`response_key` of the respondent's token.
    key = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    #: The item on screen (the respondent comes back to it).
    position = models.CharField(max_length=64, blank=True)
    complete = models.BooleanField(default=False)
    language = models.CharField(max_length=2, default="fr")
    started = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("collection", "started")
        verbose_name = _("réponse")

    def __str__(self) -> str:
        return f"{self.collection} response {self.pk}"


class CollectionInvitation(models.Model):
    """A personal link to answer once, sent by e-mail; only its token's digest is kept."""

    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="sent_invitations"
    )
    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    sent = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(default=invitation_expiry)
    #: A flag without a date (see the module's docstring).
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ("collection", "email")
        verbose_name = _("invitation à répondre")

    def __str__(self) -> str:
        return f"{self.collection} → {self.email}"

    @property
    def expired(self) -> bool:
        """Whether the link no longer opens the questionnaire."""
        return self.expires <= timezone.now()

    @classmethod
    def by_token(cls, token: str) -> CollectionInvitation | None:
        """Return the invitation a token belongs to, if any."""
        return cls.objects.filter(digest=token_digest(token)).select_related("collection").first()
