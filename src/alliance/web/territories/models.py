"""Who coordinates a territory, and the self-assessments they write (every version kept).

A territory is named by its kind and canonical code (:mod:`alliance.territory.territory`), not
by a table of its own: the geography ships as data, so these rows only point into it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.territory.territory import KINDS

__all__ = ["Coordinator", "SelfAssessment"]

KIND_CHOICES = [
    ("commune", _("commune")),
    ("epci", _("EPCI")),
    ("department", _("département")),
    ("region", _("région")),
]
assert [k for k, _label in KIND_CHOICES] == list(KINDS)


class Coordinator(models.Model):
    """A person who coordinates a territory: they, and only they, edit its self-assessment.

    Assigned by the observatory's administrators in the Django admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinations"
    )
    kind = models.CharField(_("type de territoire"), max_length=16, choices=KIND_CHOICES)
    #: The canonical code: INSEE code, or the EPCI's SIREN.
    code = models.CharField(_("code"), max_length=9)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordinateur de territoire")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "code"], name="one_coordination_each")
        ]
        indexes = [models.Index(fields=["kind", "code"], name="coordinators_of_territory")]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}/{self.code}"


class SelfAssessment(models.Model):
    """One saved version of a territory's self-assessment; the newest is the current one."""

    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    code = models.CharField(max_length=9)
    #: {item key: level code} (:func:`alliance.territory.self_assessment.clean_assessment`).
    answers = models.JSONField(default=dict)
    #: {item key: comment}
    notes = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: The author's e-mail when they saved it, so the history still says who once they are gone.
    author_email = models.EmailField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("auto-évaluation de territoire")
        indexes = [
            models.Index(fields=["kind", "code", "-created"], name="assessments_of_territory")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.code} {self.created:%Y-%m-%d}"
