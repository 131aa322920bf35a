"""An organisation's diagnostic; partnerships with each partner's side; invitations; evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.diagnostic import Scores, default_instrument, root_profile, score
from alliance.evaluation import grid
from alliance.web.accounts.models import User
from alliance.web.organisations.models import InvitationBase, Organisation, digest_of

__all__ = ["AgreementRevision", "Diagnostic", "Evaluation", "Invitation", "Partnership", "Side"]


class Diagnostic(models.Model):
    """An organisation's answers to the diagnostic, saved as drafts as they are typed.

    Two tabs or two colleagues answer at the same time: each answer carries its own version (how
    many times it was saved) and the whole diagnostic one too, so a write based on what another
    write has changed since is refused instead of silently undoing it
    (:func:`alliance.web.partnerships.actions.save_answers`).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="diagnostic"
    )
    instrument_version = models.CharField(max_length=32)
    answers = models.JSONField(default=dict)
    #: {question code: times its answer was saved}; a code never saved is at version 0.
    versions = models.JSONField(default=dict)
    #: Times any answer was saved.
    version = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    def scores(self) -> Scores:
        """Return the scores of the answers so far."""
        profile = root_profile(self.organisation.profile)
        return score(default_instrument(), profile, self.answers)


class Partnership(models.Model):
    """A partnership between two or more organisations, qualified together."""

    title = models.CharField(_("intitulé"), max_length=200)
    #: Codes of the referential's ``partnership-categories`` and ``contract-types``, checked by
    #: :func:`alliance.evaluation.validate_agreement`.
    category = models.CharField(_("catégorie"), max_length=64, blank=True)
    common_objective = models.CharField(_("objectif commun"), max_length=300, blank=True)
    contract = models.CharField(_("contrat"), max_length=64, blank=True)
    #: Codes of the referential's common objectives the partners chose (beside their wording).
    common_objectives = models.JSONField(_("objectifs communs"), default=list, blank=True)
    #: Times the agreed terms changed (each change leaves an :class:`AgreementRevision`).
    agreement_version = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    organisations = models.ManyToManyField(
        Organisation, through="Side", related_name="partnerships"
    )

    def __str__(self) -> str:
        return self.title


class AgreementRevision(models.Model):
    """One change of what the partners agreed on: who, when, and each term before and after.

    Both partners see the whole history; the terms are never changed without leaving one.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_revisions"
    )
    #: The partner the change was made for (kept when the person's account goes).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: {term: [before, after]} for each term that changed.
    changes = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created", "-pk")


class Side(models.Model):
    """One partner's qualification: its carré magique objectives and its contributions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sides")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sides")
    #: {objective code: priority 1 (first) … 3}
    objectives = models.JSONField(default=dict)
    #: {"money": …, "skills": …, "in_kind": …, "time": …} as the partner describes them.
    contributions = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="one_side_each")
        ]


class Invitation(InvitationBase):
    """An invitation to join a partnership, sent by e-mail on behalf of a partner organisation."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    accepted_by = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    @classmethod
    def create(
        cls, partnership: Partnership, email: str, invited_by: Organisation,
        sent_by: User | None = None,
    ) -> tuple[Invitation, str]:  # fmt: skip
        """Make an invitation; return it and its token (to put in the e-mail, never stored)."""
        invitation = cls(partnership=partnership, email=email, invited_by=invited_by,
                         sent_by=sent_by)  # fmt: skip
        token = invitation.new_token()
        invitation.save()
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        """Return the invitation a token belongs to if it still waits for an answer."""
        return cls.pending().filter(digest=digest_of(token)).first()

    def is_accepted(self) -> bool:
        """Tell whether a partner organisation joined with it."""
        return self.accepted_by_id is not None


class Evaluation(models.Model):
    """One partner's evaluation of a partnership at a date (the history keeps every one)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="evaluations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="evaluations"
    )
    #: {object: {approach: 1..5}}
    scores = models.JSONField(default=dict)
    #: {object: comment}
    comments = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created", "-pk")
        indexes = [
            models.Index(fields=["partnership", "-created", "-id"], name="evaluation_history")
        ]

    def cells(self) -> list[tuple[str, str, int]]:
        """Return ``(object, approach, score)`` for every cell scored, in the grid's order.

        The grid gives the order: PostgreSQL's ``jsonb`` does not keep the keys' order.
        """
        return [
            (cell.object, cell.approach, self.scores[cell.object][cell.approach])
            for cell in grid()
            if cell.approach in self.scores.get(cell.object, {})
        ]

    def scored(self) -> list[int]:
        """Return every score given, in the grid's order of objects then approaches."""
        return [score for _, _, score in self.cells()]

    def mean(self) -> float | None:
        """Return the mean of the scores given (None when nothing was scored)."""
        scored = self.scored()
        return sum(scored) / len(scored) if scored else None
